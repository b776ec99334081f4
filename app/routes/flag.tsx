/**
 * /flag?type=post&id=12 — report a post, comment, session question or profile to the moderators, with a reason. A
 * plain form (no JavaScript needed); after sending, the page says the flag was received and what happens next.
 */
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FLAG_REASONS, type ModeratedTarget } from "#db/schema";
import { asActor, requireUser, safeRedirectPath } from "~/auth/session.server";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { Button } from "~/components/ui/Button";
import { FormAlert, RadioGroup, TextField } from "~/components/ui/Field";
import { FLAG_REASON_LABELS, describeFlagTarget, flagContent, isModeratedTarget, myFlag } from "~/models/flags.server";
import { formPageHeaders } from "~/lib/route-headers.server";
import { writeFailureResponse } from "~/lib/write-failure.server";
import { goneWhileWriting } from "~/lib/gone-while-writing.server";

export const meta: MetaFunction = ({ error }) =>
  error ? errorMeta(error) : [{ title: "Flag for moderators · PeerDesk" }, { name: "robots", content: "noindex" }];

const REASON_HINTS: Record<(typeof FLAG_REASONS)[number], string> = {
  spam: "Advertising, or links that have nothing to do with the question.",
  rude: "Insults, harassment, or anything a colleague shouldn't have to read.",
  duplicate: "The same question was asked before: paste the link to the original.",
  not_an_answer: "A new question, a thank-you or a comment posted as an answer.",
  needs_detail: "It can't be answered without more information.",
  other: "Something else a moderator should look at: say what.",
};

/** This page's address with only the checked return path (the form posts here, never to the unchecked one). */
function flagPageAddress(ref: { type: string; id: string }, returnTo: string) {
  const query = new URLSearchParams({ type: ref.type, id: ref.id, returnTo });
  return `/flag?${query.toString()}`;
}

const HIDDEN_KIND_LABELS: Record<ModeratedTarget, string> = {
  post: "post",
  comment: "comment",
  session_question: "question",
  user: "profile",
};

/** What was typed into the flag form, labelled as the form labels it, for copying from the page that says it's gone. */
function keptFlagText(values: { reason: string; details: string; duplicateOf: string }): string {
  const reason = FLAG_REASONS.find((known) => known === values.reason);
  return [
    ["What is wrong", reason ? FLAG_REASON_LABELS[reason] : ""],
    ["Link to the original question", values.duplicateOf.trim()],
    ["Anything the moderators should know", values.details.trim()],
  ]
    .filter(([, value]) => value)
    .map(([label, value]) => `${label}:\n${value}`)
    .join("\n\n");
}

function targetOf(url: URL) {
  const type = url.searchParams.get("type");
  const id = url.searchParams.get("id") ?? "";
  if (!isModeratedTarget(type) || id.length === 0 || id.length > 64) return null;
  return { type, id };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const url = new URL(request.url);
  const ref = targetOf(url);
  const existing = ref ? await myFlag(context.services.db, user.id, ref) : null;
  // What this person flagged may be hidden by now (their flag can be the one that hides it): they still get the page,
  // with their flag's state and no title, rather than a 404 right after flagging.
  const target =
    (ref ? await describeFlagTarget(context.services.db, ref) : null) ??
    (ref && existing
      ? { kindLabel: HIDDEN_KIND_LABELS[ref.type], phrase: `this ${HIDDEN_KIND_LABELS[ref.type]}`, authorId: null }
      : null);
  if (!ref || !target) throw new Response("There is nothing to flag at this address.", { status: 404 });
  return data(
    {
      ref,
      // "the question “…”", "an answer to “…”", "a comment on “…”" (worded by the model, where the kinds are known).
      target: { phrase: target.phrase },
      isOwn: target.authorId === user.id,
      existing: existing ? { status: existing.status } : null,
      returnTo: safeRedirectPath(url.searchParams.get("returnTo"), "/"),
      // The labels live in a server module, so the choices travel with the page (a browser bundle can't import them).
      reasons: FLAG_REASONS.map((reason) => ({
        value: reason,
        label: FLAG_REASON_LABELS[reason],
        hint: REASON_HINTS[reason],
      })),
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

type ActionResult =
  | { ok: true; hidden: boolean; isRepeat: boolean }
  | { ok: false; message: string; fieldErrors: Record<string, string>; values: Record<string, string> };

/** Keeps a refused write's Retry-After (Remix drops action headers a route does not pass on). */
export const headers = formPageHeaders;

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const values = { reason: text("reason"), details: text("details"), duplicateOf: text("duplicateOf") };
  try {
    const result = await flagContent(context.services.db, {
      actor: asActor(user),
      targetType: text("targetType"),
      targetId: text("targetId"),
      ...values,
      siteUrl: context.services.baseURL,
    });
    return data<ActionResult>({ ok: true, hidden: result.hidden, isRepeat: result.isRepeat });
  } catch (error) {
    const refused = writeFailureResponse<ActionResult>(error, (failure) => ({
      ok: false,
      message: failure.message,
      fieldErrors: failure.fieldErrors ?? {},
      values,
    }));
    // Deleted or hidden (a ban hides posts too) while the report was written: the form can't be shown again (the page
    // is a 404 now, or, for someone who flagged it from another tab, says only "You flagged this already"), so the error
    // page says so in words a member may read and hands back what was typed.
    const url = new URL(request.url);
    const ref = targetOf(url);
    if (ref && !(await describeFlagTarget(context.services.db, ref))) {
      const returnTo = safeRedirectPath(url.searchParams.get("returnTo"), "/");
      throw goneWhileWriting(
        `This ${HIDDEN_KIND_LABELS[ref.type]} was removed while you were writing your report, so there is nothing to report any more.`,
        keptFlagText(values),
        returnTo === "/" ? undefined : { path: returnTo, label: "Back to the page you came from" },
      );
    }
    return refused;
  }
}

export default function FlagPage() {
  const { ref, target, isOwn, existing, returnTo, reasons } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  if (result?.ok) {
    return (
      <div className="mx-auto max-w-xl space-y-4">
        <h1 className="text-2xl font-bold">Thanks, your flag was received</h1>
        <p role="status">
          {result.isRepeat ? "You had already flagged this; your first flag stands. " : ""}A moderator will look at it
          {result.hidden ? " (it is hidden until a moderator reviews it)" : ""}. You'll get a notification with the
          outcome. Moderators see your reason, not your name, and the public moderation log never shows who flagged.
        </p>
        <p>
          <Link to={returnTo}>Back to where you were</Link>
        </p>
      </div>
    );
  }
  const failure = result && !result.ok ? result : null;
  return (
    <div className="mx-auto max-w-xl space-y-4">
      <h1 className="text-2xl font-bold">Flag for moderators</h1>
      <p className="text-slate-700 dark:text-slate-300">You are flagging {target.phrase}.</p>
      {isOwn ? <FormAlert>You can't flag your own posts; edit or delete them instead.</FormAlert> : null}
      {existing ? (
        <FormAlert tone="success">
          You flagged this already (
          {existing.status === "pending" ? "a moderator will look at it" : `it was ${existing.status}`}).
        </FormAlert>
      ) : null}
      {!isOwn && !existing ? (
        <Form method="post" action={flagPageAddress(ref, returnTo)} className="space-y-4">
          {failure ? <FormAlert focusOn={failure}>{failure.message}</FormAlert> : null}
          <input type="hidden" name="targetType" value={ref.type} />
          <input type="hidden" name="targetId" value={ref.id} />
          <RadioGroup
            label="What is wrong?"
            name="reason"
            required
            defaultValue={failure?.values.reason}
            error={failure?.fieldErrors.reason}
            options={reasons}
          />
          <TextField
            label="Link to the original question (for duplicates)"
            name="duplicateOf"
            inputMode="url"
            defaultValue={failure?.values.duplicateOf}
            error={failure?.fieldErrors.duplicateOf}
          />
          <TextField
            label="Anything the moderators should know (needed for “Something else”)"
            name="details"
            maxLength={500}
            defaultValue={failure?.values.details}
            error={failure?.fieldErrors.details}
          />
          <div className="flex flex-wrap items-center gap-3">
            <Button type="submit" disabled={navigation.state === "submitting"}>
              Send flag
            </Button>
            <Link to={returnTo}>Cancel</Link>
          </div>
        </Form>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
