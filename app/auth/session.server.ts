/** Request-side helpers around better-auth: who is signed in, and calling auth endpoints from Remix actions. */
import { data, redirect } from "@remix-run/node";
import type { AppLoadContext } from "@remix-run/node";
import { isFormSubmission } from "~/lib/form-submission.server";
import { safeRedirectPath } from "~/lib/safe-redirect";
import { SECRET_FIELD_NAME, isSignInForm } from "~/lib/unsent-form";
import { type Action, type Actor, type Target, requirePermission } from "~/models/permissions.server";
import { goneWhileWriting } from "~/lib/gone-while-writing.server";
import { CLIENT_IP_HEADER } from "./auth.server";
import { type CurrentUser, getViewer } from "./viewer.server";

export type { CurrentUser } from "./viewer.server";

/** The signed-in person, or null; one session check per request however many loaders ask (see viewer.server.ts). */
export async function getCurrentUser(request: Request, context: AppLoadContext): Promise<CurrentUser | null> {
  return (await getViewer(request, context)).user;
}

export function asActor(user: CurrentUser | null): Actor {
  return user
    ? {
        id: user.id,
        role: user.role,
        banned: user.banned,
        emailVerified: user.emailVerified,
        needsTwoFactor: user.needsTwoFactor,
      }
    : null;
}

/**
 * Sends visitors to sign in, then back to the page they wanted. A form sent without JavaScript by someone signed out
 * meanwhile is answered with the error page instead (signedOutWhileSending), so what they typed isn't lost; with
 * JavaScript the redirect stays, and the browser keeps the text (lib/unsent-form.ts).
 */
export async function requireUser(request: Request, context: AppLoadContext): Promise<CurrentUser> {
  const user = await getCurrentUser(request, context);
  if (user) return user;
  const url = new URL(request.url);
  if (isDocumentFormPost(request, context)) {
    const refusal = await signedOutWhileSending(request);
    if (refusal) throw refusal;
  }
  throw redirect(`/signin?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}

/**
 * A form the browser sent itself, as a whole page (no JavaScript): the server marks those (isFormSubmission). Remix's
 * data requests (single fetch's `.data` addresses) are not marked; the loaders rendering a form's answer get a GET.
 */
function isDocumentFormPost(request: Request, context: AppLoadContext): boolean {
  if (request.method === "GET" || request.method === "HEAD" || !isFormSubmission(context)) return false;
  if (new URL(request.url).searchParams.has("_data")) return false;
  const type = request.headers.get("content-type") ?? "";
  return /^(?:application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type);
}

const SIGNED_OUT = "You're signed out (you signed out in another tab, or your session was ended from another device),";

/**
 * The error page (401) for a form sent without JavaScript by someone no longer signed in: what they typed to copy
 * (typedTextOf), and a Sign in link back to the page it was sent from. A form with nothing typed gets the page without
 * the text when the browser still held a session (ended elsewhere, or by a ban); from a browser without one (a visitor
 * pressing a vote button, or someone who signed out in this browser) it is null: the sign-in redirect says enough.
 */
async function signedOutWhileSending(request: Request) {
  const url = new URL(request.url);
  const page = safeRedirectPath(sentFrom(request) ?? `${url.pathname}${url.search}`, url.pathname);
  const back = { path: `/signin?redirectTo=${encodeURIComponent(page)}`, label: "Sign in" };
  const typed = await typedTextOf(request, { action: url.pathname, page: page.split("?")[0] ?? page });
  // goneWhileWriting's page (the message, the text, the link) with the status of a missing sign-in.
  if (typed) return data(goneWhileWriting(`${SIGNED_OUT} so this wasn't saved.`, typed, back).data, { status: 401 });
  if (!(request.headers.get("cookie") ?? "").includes("session_token=")) return null;
  return data(
    { message: `${SIGNED_OUT} so nothing was changed. Sign in to try again.`, kept: "", back },
    { status: 401 },
  );
}

/** The page a form was sent from, when the browser said it (same site only), as a path with its query. */
function sentFrom(request: Request): string | null {
  try {
    const referer = new URL(request.headers.get("referer") ?? "");
    return referer.origin === new URL(request.url).origin ? `${referer.pathname}${referer.search}` : null;
  } catch {
    return null;
  }
}

/**
 * Free-text fields (what a person types), by name, with the words to label them by when a form had several. Hidden
 * fields (ids, intents, idempotency keys, versions) and choices are not among them.
 */
const TYPED_FIELD_LABELS = new Map([
  ["title", "Title"],
  ["body", "Text"],
  ["tags", "Tags"],
  ["summary", "Summary"],
  ["appliesTo", "Applies to"],
  ["prerequisites", "Before you start"],
  ["note", "Note"],
  ["comment", "Comment"],
  ["answer", "Answer"],
  ["details", "Details"],
  ["reason", "Reason"],
  ["description", "Description"],
  ["term", "Term"],
  ["expansion", "Full name"],
  ["explanation", "Explanation"],
  ["synonyms", "Synonyms"],
  ["name", "Name"],
  ["bio", "Bio"],
  ["expertise", "Expertise"],
  ["mentorPitch", "Mentor pitch"],
  ["languages", "Languages"],
  ["domains", "Allowed email domains"],
]);
/** Names that are a choice on some forms (a flag's reason, a how-to's "did it help?" yes/no): text only with a space. */
const SOMETIMES_A_CHOICE = new Set(["reason", "answer"]);

function typedFieldLabel(name: string): string | null {
  const step = /^step-(\d+)$/.exec(name);
  return step ? `Step ${Number(step[1]) + 1}` : (TYPED_FIELD_LABELS.get(name) ?? null);
}

/**
 * What a person typed into the form `request` sends, to copy, by the rules the browser keeps it by (lib/unsent-form.ts)
 * as far as names can say them: never a sign-in page's form nor a form holding a secret, only free-text fields, not
 * blank; each under its label when there are several. Empty when there is none, or the action read the form already.
 */
async function typedTextOf(request: Request, { action, page }: { action: string; page: string }): Promise<string> {
  if (request.bodyUsed) return "";
  let form: FormData;
  try {
    form = await request.clone().formData();
  } catch {
    return "";
  }
  const hasSecretField = [...form.keys()].some((name) => SECRET_FIELD_NAME.test(name));
  if (isSignInForm({ action, page, hasSecretField })) return "";
  const typed: [string, string][] = [];
  for (const [name, value] of form) {
    const label = typedFieldLabel(name);
    if (label === null || typeof value !== "string" || !value.trim()) continue;
    if (SOMETIMES_A_CHOICE.has(name) && !/\s/.test(value.trim())) continue;
    typed.push([label, value.trim()]);
  }
  if (typed.length === 1) return typed[0]?.[1] ?? "";
  return typed.map(([label, value]) => `${label}:\n${value}`).join("\n\n");
}

// Routes import the one safe-redirect rule from here, beside the other request helpers.
export { safeRedirectPath } from "~/lib/safe-redirect";

/**
 * Calls a better-auth endpoint through its HTTP handler (not auth.api) so rate limiting, origin checks
 * and cookies behave exactly as for a direct API call; the caller forwards Set-Cookie.
 */
export async function callAuthEndpoint(
  request: Request,
  context: AppLoadContext,
  endpoint: string,
  body: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<Response> {
  const url = new URL(`/api/auth${endpoint}`, request.url);
  const headers = new Headers({ "content-type": "application/json" });
  for (const name of ["cookie", "origin", "referer", "user-agent", CLIENT_IP_HEADER]) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }
  for (const [name, value] of Object.entries(extraHeaders)) headers.set(name, value);
  return context.services.auth.handler(new Request(url, { method: "POST", headers, body: JSON.stringify(body ?? {}) }));
}

/** Copies the Set-Cookie headers of an auth response onto a redirect or data response. */
export function authCookies(response: Response): Headers {
  const headers = new Headers();
  for (const cookie of response.headers.getSetCookie()) headers.append("set-cookie", cookie);
  return headers;
}

/** better-auth answers errors as { code, message }; rate limits as 429 with X-Retry-After seconds. */
export async function readAuthError(
  response: Response,
): Promise<{ status: number; code: string; message: string; retryAfter: number | null }> {
  const retry = response.headers.get("x-retry-after");
  let code = "";
  let message = "";
  try {
    const json: unknown = await response.json();
    if (json && typeof json === "object") {
      if ("code" in json && typeof json.code === "string") code = json.code;
      if ("message" in json && typeof json.message === "string") message = json.message;
    }
  } catch {
    // Non-JSON error bodies keep the generic message below.
  }
  return { status: response.status, code, message, retryAfter: retry ? Number(retry) : null };
}

/** Signed-in user who may perform the action, or a 401/403 response. Every admin loader and action calls it. */
export async function requireUserWith(
  request: Request,
  context: AppLoadContext,
  action: Action,
  target?: Target,
): Promise<CurrentUser> {
  const user = await requireUser(request, context);
  requirePermission(asActor(user), action, target);
  return user;
}
