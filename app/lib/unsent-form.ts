/**
 * What a person was sending when it turned out they had been signed out (in another tab, or their session ended): the
 * action sent them to sign in, and the form and its text were gone. Each form post's typed text is kept in this tab's
 * sessionStorage as it is sent; if the next page is the sign-in page, it is marked as interrupted, and on the first
 * page after signing in (the one it was sent from, where sign-in returns) it is put back into the form, or shown to
 * copy when that form isn't there. Anything else that follows a post (its result, another page) forgets it. A post
 * whose connection dropped on the way (the error page says so) is handed back the same way when its page is loaded
 * again. The sign-in pages' own forms (a password, a two-step code, an address to sign up with) are never kept: what
 * they send is a sign-in, not something interrupted by one, and their fields can hold secrets.
 */
const KEY = "peerdesk:unsent";
/** How long an interrupted post waits for its sender to sign in again. */
const KEPT_FOR_MS = 30 * 60_000;
const MAX_CHARACTERS = 200_000;
/** A sign-in page this soon after a post is that post's redirect, not a later visit. */
const SENT_JUST_NOW_MS = 15_000;
/** A connection dropping this soon after a post, with no answer back yet, was sending it (a phone's can hang a while). */
const DROPPED_WITHIN_MS = 60_000;

export type UnsentPost = {
  /** The page it was sent from (its path), and the address it was sent to. */
  page: string;
  action: string;
  fields: Record<string, string>;
  /**
   * The hidden fields that say which of a page's forms it came from (see IDENTIFYING): a comment on one post and an
   * answer post to the same address with the same typed field. Absent in posts kept before it was added.
   */
  formIdentity?: Record<string, string>;
  at: number;
  isInterrupted: boolean;
  /** Interrupted by a dropped connection (keepDroppedPost), not by being signed out. */
  isDropped?: boolean;
  /** An answer to it came back (its result, a redirect): it reached the server, so a later drop was not sending it. */
  isAnswered?: boolean;
};

/** The pages that sign people in, up or back in: their forms' posts are never kept (see isSignInForm). */
const SIGN_IN_PAGES = /^\/(?:signin|signup|sso|login|register|forgot-password|reset-password|api\/auth)(?:\/|$)/;
/** Fields holding a secret: a password or a one-time code (a two-step or backup code). */
const SECRET_FIELDS = "input[type=password], input[autocomplete~=one-time-code], input[autocomplete~=current-password]";
/**
 * The same rule by field name, for the server (requireUser), which sees a sent form's names but not its fields' types:
 * a password, a two-step or backup code, a token, a two-step set-up secret.
 */
export const SECRET_FIELD_NAME = /password|code$|token|secret|otp/i;

/**
 * Whether a form is one of the sign-in pages' own (sent to, or sent from, a sign-in page) or holds a secret field: it
 * is never kept, and a sign-in page it led to never says something was interrupted.
 */
export function isSignInForm({
  action,
  page,
  hasSecretField,
}: {
  action: string;
  page: string;
  hasSecretField: boolean;
}): boolean {
  return hasSecretField || SIGN_IN_PAGES.test(action) || SIGN_IN_PAGES.test(page);
}

const TYPED = "textarea, input:not([type]), input[type=text], input[type=email], input[type=url], input[type=search]";
/** Hidden fields naming what a form does and to which post: a post goes back only into a form with the same ones. */
const IDENTIFYING = ["intent", "postId"] as const;

/** A form's identifying hidden fields (see IDENTIFYING); a field the form doesn't have is left out. */
function identityOf(form: HTMLFormElement): Record<string, string> {
  const identity: Record<string, string> = {};
  for (const name of IDENTIFYING) {
    const field = form.elements.namedItem(name);
    if (field instanceof HTMLInputElement && field.type === "hidden") identity[name] = field.value;
  }
  return identity;
}

function read(storage: Storage): UnsentPost | null {
  try {
    const raw = storage.getItem(KEY);
    return raw ? (JSON.parse(raw) as UnsentPost) : null;
  } catch {
    return null;
  }
}

function write(storage: Storage, post: UnsentPost | null): void {
  try {
    if (post) storage.setItem(KEY, JSON.stringify(post));
    else storage.removeItem(KEY);
  } catch {
    // Storage full or turned off: nothing to keep, as before this existed.
  }
}

/** Remembers a form post's typed text as it is sent (see the module comment); a post with nothing typed is not kept. */
export function rememberPost(storage: Storage, form: HTMLFormElement, location: Location): void {
  if (form.method.toLowerCase() !== "post") return;
  const action = new URL(form.action, location.href).pathname;
  if (isSignInForm({ action, page: location.pathname, hasSecretField: form.querySelector(SECRET_FIELDS) !== null })) {
    // Signing in now: a post still waiting to be handed back stays; one that was not interrupted is over.
    if (!read(storage)?.isInterrupted) write(storage, null);
    return;
  }
  const fields: Record<string, string> = {};
  let size = 0;
  for (const field of form.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>(TYPED)) {
    if (!field.name || field.readOnly || !field.value.trim()) continue;
    fields[field.name] = field.value;
    size += field.value.length;
  }
  if (size === 0 || size > MAX_CHARACTERS) return;
  write(storage, {
    page: location.pathname,
    action,
    fields,
    formIdentity: identityOf(form),
    at: Date.now(),
    isInterrupted: false,
  });
}

/**
 * What the page just arrived at means for a remembered post. The sign-in page right after sending (an action's
 * redirect) means it was interrupted; the next other page is where it is handed back ("restore": put back into its
 * form if that page has it, else shown to copy) and forgotten. Any other arrival forgets it.
 */
export function unsentPostOnArrival(
  storage: Storage,
  path: string,
  now = Date.now(),
): { state: "interrupted" | "restore"; post: UnsentPost } | null {
  const post = read(storage);
  if (!post) return null;
  const pathname = path.split("?")[0] ?? "";
  // Kept before sign-in forms were left out: never handed back, and never a reason to say something wasn't sent.
  if (isSignInForm({ action: post.action, page: post.page, hasSecretField: false })) {
    write(storage, null);
    return null;
  }
  // The sign-in page and its second step (a two-step code).
  const isSignIn = pathname === "/signin" || pathname.startsWith("/signin/");
  if (
    isSignIn &&
    !post.isDropped &&
    (post.isInterrupted || now - post.at < SENT_JUST_NOW_MS) &&
    now - post.at < KEPT_FOR_MS
  ) {
    write(storage, { ...post, isInterrupted: true });
    return { state: "interrupted", post };
  }
  // Its own page again just after sending (a result shown in place, a redirect back to it) keeps it till the next post.
  if (!post.isInterrupted && pathname === post.page && now - post.at < SENT_JUST_NOW_MS) {
    markPostAnswered(storage);
    return null;
  }
  write(storage, null);
  return post.isInterrupted && now - post.at < KEPT_FOR_MS ? { state: "restore", post } : null;
}

/** An answer to the post came back (a fetcher's result, or its page again): it reached the server. */
export function markPostAnswered(storage: Storage): void {
  const post = read(storage);
  if (post && !post.isInterrupted && !post.isAnswered) write(storage, { ...post, isAnswered: true });
}

/**
 * Whether the connection that dropped on `path` was sending a post from that page: one sent in the last minute with no
 * answer back yet, or one already kept after this drop. Otherwise it was a page loading, and nothing typed was lost.
 */
export function wasSendingPost(storage: Storage, path: string, now = Date.now()): boolean {
  const post = read(storage);
  const pathname = path.split("?")[0];
  if (!post || (pathname !== post.page && pathname !== post.action)) return false;
  return post.isDropped === true || (!post.isInterrupted && !post.isAnswered && now - post.at < DROPPED_WITHIN_MS);
}

/** Keeps the post a dropped connection interrupted, to hand back when a page is next loaded (see unsentPostOnArrival). */
export function keepDroppedPost(storage: Storage): void {
  const post = read(storage);
  if (post) write(storage, { ...post, isInterrupted: true, isDropped: true });
}

/**
 * Puts a post's text back into the form on the page that sends to the same address, has its fields and is the same form
 * (the same identifying hidden fields: a comment never goes into the answer box), as if typed (so controlled fields and
 * autosave hear it). Returns whether a form took it.
 */
export function putBack(document: Document, post: UnsentPost): boolean {
  const names = Object.keys(post.fields);
  const identity = JSON.stringify(post.formIdentity ?? {});
  const form = [...document.forms].find(
    (candidate) =>
      new URL(candidate.action, document.location.href).pathname === post.action &&
      names.every((name) => candidate.elements.namedItem(name)) &&
      JSON.stringify(identityOf(candidate)) === identity,
  );
  if (!form) return false;
  for (const name of names) {
    const field = form.elements.namedItem(name);
    if (!(field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement)) continue;
    // React keeps its own copy of a controlled field's value: set it through the element's own setter, then say so.
    const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(field), "value")?.set;
    setter?.call(field, post.fields[name]);
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }
  return true;
}
