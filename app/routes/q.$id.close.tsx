/**
 * Closing tools for one question (`/q/:id/close`): moderators close, reopen and merge a duplicate's answers at once
 * and may reveal an anonymous asker (logged); trusted members (trust level 2+) vote to close, or to reopen after an edit.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { asActor, requireUser } from "~/auth/session.server";
import { ClosureBanner } from "~/components/ClosedQuestion";
import { CLOSE_REASON_OPTIONS, CloseReasonFields } from "~/components/CloseReasonFields";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { FlagLink } from "~/components/FlagLink";
import { KeptText } from "~/components/KeptText";
import { PersonName } from "~/components/PersonName";
import { FormAlert, TextField } from "~/components/ui/Field";
import { formFields, submittedValues } from "~/lib/forms";
import { requireId } from "~/lib/ids";
import { questionPath } from "~/lib/qa";
import { isAnonymousQuestion, revealAsker } from "~/models/anonymity.server";
import { closeQuestion, getCloseViewer, reopenQuestion, withdrawCloseVote } from "~/models/close.server";
import { getClosure } from "~/models/closure.server";
import { mergeDuplicateAnswers } from "~/models/duplicate-merge.server";
import {
  type Actor,
  can,
  deniedMessage,
  formerRoleAllowing,
  noLongerAllowedMessage,
} from "~/models/permissions.server";
import { PostingError, type SignedInActor } from "~/models/post-errors.server";
import { getPostMeta } from "~/models/posts.server";
import type { Db } from "#db/client.server";

/** The page's heading when the reader can't vote yet: the tab says the same (a screen reader's first words). */
function notYetHeading(isClosed: boolean): string {
  return isClosed ? "Reopening opens up later" : "Closing opens up later";
}

export const meta: MetaFunction<typeof loader> = ({ data: page, error }) => {
  if (error) return errorMeta(error);
  const title = !page
    ? "Close or reopen"
    : page.notYet
      ? notYetHeading(page.closure !== null)
      : `Close or reopen: ${page.question.title}`;
  return [{ title: `${title} · PeerDesk` }, { name: "robots", content: "noindex" }];
};

async function loadQuestion(params: LoaderFunctionArgs["params"], context: LoaderFunctionArgs["context"]) {
  const id = requireId(params.id, "There is no question at this address.");
  const question = await getPostMeta(context.services.db, id);
  if (question?.kind !== "question" || question.deletedAt)
    throw new Response("This question doesn't exist or was deleted.", { status: 404 });
  return { id, title: question.title ?? "(untitled)" };
}

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { db } = context.services;
  const question = await loadQuestion(params, context);
  const actor = asActor(user);
  const [closure, closing, isAnonymous] = await Promise.all([
    getClosure(db, question.id),
    getCloseViewer(db, question.id, actor),
    isAnonymousQuestion(db, question.id),
  ]);
  const isModerator = can(actor, "question.close");
  const mayVote = closing.canVoteClose || closing.canVoteReopen || closing.myVote !== null;
  return data(
    {
      question,
      closure,
      closing,
      isModerator,
      canReveal: isAnonymous && can(actor, "question.revealAsker"),
      notYet: isModerator || mayVote ? null : notYetMessage(actor, closure !== null),
    },
    // Someone who can't vote yet gets this page's explanation (with its links) rather than the bare error page.
    { status: isModerator || mayVote ? 200 : 403, headers: { "Cache-Control": "private, no-store" } },
  );
}

/** Why this member can't close (or reopen) yet, and what they can do now: the page adds the links. */
function notYetMessage(actor: Actor, isClosed: boolean): string {
  if (!actor) return "Please sign in first.";
  if (actor.banned || !isClosed) return deniedMessage(actor, "question.voteClose");
  // Reopen votes need both: a member who has taken part for a while, and an edit since it was closed.
  return "A closed question is voted open by members who have taken part for a while, once it has been edited to fix what it was closed for (more in Trust levels, in the help). If you think it was closed by mistake, flag it and a moderator will look.";
}

const actionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("close"),
    reason: z.string().max(40).default(""),
    duplicateOf: z.string().max(500).default(""),
    details: z.string().max(2000).default(""),
    // "moderator" from a moderator's form ("Close the question"): closing at once, never a vote in its place.
    closeAs: z.string().max(20).default(""),
  }),
  z.object({ intent: z.literal("reopen") }),
  z.object({ intent: z.literal("withdraw"), kind: z.enum(["close", "reopen"]) }),
  z.object({ intent: z.literal("merge") }),
  z.object({ intent: z.literal("reveal"), reason: z.string().max(2000).default("") }),
]);

type ActionData = {
  intent: string;
  message?: string;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string>;
  voted?: { votes: number; needed: number };
  revealed?: { name: string; handle: string | null };
};

export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const { db } = context.services;
  const question = await loadQuestion(params, context);
  const actor = asActor(user);
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const values = submittedValues(formData, { omit: ["intent"] });
  const parsed = actionSchema.safeParse(formFields(formData));
  if (!parsed.success)
    return data<ActionData>(
      { intent, message: "That request didn't look right. Please reload the page and try again.", values },
      { status: 400 },
    );
  const input = parsed.data;
  const pagePath = questionPath(question.id, question.title);
  try {
    switch (input.intent) {
      case "close": {
        const { closeAs, ...close } = input;
        if (closeAs === "moderator" && !can(actor, "question.close"))
          throw new PostingError(await notModeratorNow(db, question.id, user), {}, 403);
        const siteUrl = context.services.baseURL;
        const outcome = await closeQuestion(db, { actor, questionId: question.id, ...close, siteUrl });
        // A closed duplicate's own page sends readers on to the original: the closer stays with the duplicate.
        if (outcome.isClosed) return redirect(`/q/${question.id}?stay=1`, 303);
        return data<ActionData>({ intent, voted: { votes: outcome.votes, needed: outcome.needed } });
      }
      case "reopen": {
        const outcome = await reopenQuestion(db, { actor, questionId: question.id });
        if (!outcome.isClosed) return redirect(pagePath, 303);
        return data<ActionData>({ intent, voted: { votes: outcome.votes, needed: outcome.needed } });
      }
      case "withdraw":
        await withdrawCloseVote(db, { actor, questionId: question.id, kind: input.kind });
        return redirect(`/q/${question.id}/close`, 303);
      case "merge": {
        const { originalId } = await mergeDuplicateAnswers(db, { actor, questionId: question.id });
        return redirect(`/q/${originalId}`, 303);
      }
      case "reveal": {
        const asker = await revealAsker(db, { actor, questionId: question.id, reason: input.reason });
        return data<ActionData>(
          { intent, revealed: { name: asker.name, handle: asker.handle } },
          { headers: { "Cache-Control": "private, no-store" } },
        );
      }
    }
  } catch (error) {
    if (error instanceof PostingError)
      return data<ActionData>(
        { intent, message: error.message, fieldErrors: error.fieldErrors, values },
        { status: error.status },
      );
    throw error;
  }
}

/**
 * Why "Close the question", sent from a moderator's page, closed nothing: the account is no longer a moderator (or, as
 * staff, must turn on two-step sign-in first). Said in words rather than casting a vote the person didn't ask for.
 */
async function notModeratorNow(db: Db, questionId: number, actor: SignedInActor): Promise<string> {
  if (actor.banned) return deniedMessage(actor, "question.close");
  if (actor.role === "moderator" || actor.role === "admin")
    return "Moderators and admins turn on two-step sign-in before they can close questions, so the question was not closed. Turn it on in your account's security settings, then close it again.";
  const { canVoteClose } = await getCloseViewer(db, questionId, actor);
  // The staff forms' words: "no longer" only when it is true (a member who never was staff may have sent it by hand).
  const refused = noLongerAllowedMessage(actor, "question.close", {
    doing: "close questions",
    outcome: "so the question was not closed",
    formerRole: await formerRoleAllowing(db, actor.id, "question.close"),
  });
  return `${refused} ${
    canVoteClose
      ? "You can vote to close it instead: your reason and details are still in the form."
      : "Your reason and details are kept below, to copy."
  }`;
}

const BUTTON =
  "inline-flex min-h-11 items-center rounded-lg bg-brand-600 px-4 text-sm font-semibold text-white hover:bg-brand-700 disabled:bg-slate-400";
const SECONDARY =
  "inline-flex min-h-11 items-center rounded-lg border border-slate-300 px-4 text-sm font-medium dark:border-slate-700";

export default function CloseQuestionPage() {
  const { question, closure, closing, isModerator, canReveal, notYet } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const isBusy = navigation.state !== "idle";
  const failed = result?.message ? result : undefined;
  if (notYet)
    return <NotYet question={question} isClosed={closure !== null} message={notYet} refused={failed ?? null} />;
  return (
    <div className="mx-auto max-w-2xl space-y-5">
      <header className="space-y-1">
        <h1 className="text-2xl font-bold">{closure ? "Reopen this question" : "Close this question"}</h1>
        <p className="text-sm">
          <Link to={closure ? `/q/${question.id}?stay=1` : questionPath(question.id, question.title)} dir="auto">
            {question.title}
          </Link>
        </p>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          {isModerator
            ? "As a moderator you close and reopen at once. Every decision is recorded in the public moderation log."
            : `Members at trust level 2 or above vote: ${closing.needed} votes decide. Your vote counts once and you can take it back.`}
        </p>
      </header>
      {failed ? <FormAlert focusOn={failed}>{failed.message}</FormAlert> : null}
      {result?.voted ? (
        <FormAlert tone="success">
          Thanks, your vote is in: {result.voted.votes} of {result.voted.needed} votes so far.
        </FormAlert>
      ) : null}
      {closure ? <ClosureBanner closure={closure} /> : null}
      {/* A refused close whose form is not offered now (closed meanwhile, or no longer this person's to close). */}
      {failed?.intent === "close" && (closure || !(closing.canClose || closing.canVoteClose)) ? (
        <UnsentClose values={failed.values ?? {}} />
      ) : null}
      {closure ? null : (
        <CloseForm
          canClose={closing.canClose || closing.canVoteClose}
          isModerator={isModerator}
          votes={closing.closeVotes}
          needed={closing.needed}
          hasVoted={closing.myVote === "close"}
          isBusy={isBusy}
        />
      )}
      {closure && (closing.canReopen || closing.canVoteReopen) ? (
        <Form method="post" className="space-y-2">
          <input type="hidden" name="intent" value="reopen" />
          {isModerator ? null : (
            <p className="text-sm">
              Reopen votes so far: {closing.reopenVotes} of {closing.needed}.
            </p>
          )}
          <button type="submit" className={BUTTON} disabled={isBusy || closing.myVote === "reopen"}>
            {isModerator ? "Reopen the question" : "Vote to reopen"}
          </button>
        </Form>
      ) : null}
      {closing.myVote ? (
        <Form method="post">
          <input type="hidden" name="intent" value="withdraw" />
          <input type="hidden" name="kind" value={closing.myVote} />
          <button type="submit" className={SECONDARY} disabled={isBusy}>
            Take back my {closing.myVote} vote
          </button>
        </Form>
      ) : null}
      {closing.canMerge ? (
        <Form method="post" className="space-y-2">
          <input type="hidden" name="intent" value="merge" />
          <p className="text-sm">
            Move this question's answers (with their comments and votes) to the original question, so the help is in one
            place.
          </p>
          <button type="submit" className={SECONDARY} disabled={isBusy}>
            Merge the answers into the original
          </button>
        </Form>
      ) : null}
      {canReveal ? <RevealAsker revealed={result?.revealed ?? null} error={result?.fieldErrors?.reason} /> : null}
    </div>
  );
}

function CloseForm({
  canClose,
  isModerator,
  votes,
  needed,
  hasVoted,
  isBusy,
}: {
  canClose: boolean;
  isModerator: boolean;
  votes: number;
  needed: number;
  hasVoted: boolean;
  isBusy: boolean;
}) {
  const result = useActionData<typeof action>();
  if (!canClose) return null;
  const errors = result?.intent === "close" ? (result.fieldErrors ?? {}) : {};
  const values = result?.intent === "close" ? (result.values ?? {}) : {};
  return (
    <Form method="post" className="space-y-4" noValidate>
      <input type="hidden" name="intent" value="close" />
      {isModerator ? <input type="hidden" name="closeAs" value="moderator" /> : null}
      {isModerator ? null : (
        <p className="text-sm">
          Close votes so far: {votes} of {needed}.{hasVoted ? " You voted; voting again changes your reason." : ""}
        </p>
      )}
      <CloseReasonFields values={values} errors={errors} />
      <button type="submit" className={BUTTON} disabled={isBusy}>
        {isModerator ? "Close the question" : "Vote to close"}
      </button>
    </Form>
  );
}

/** For members who can't vote yet: why, in plain words, with the way to the help page and to a moderator. */
function NotYet({
  question,
  isClosed,
  message,
  refused,
}: {
  question: { id: number; title: string };
  isClosed: boolean;
  message: string;
  /** A form sent from an older page (a moderator's, before their role changed): why it was refused, and its text. */
  refused: ActionData | null;
}) {
  const back = isClosed ? `/q/${question.id}?stay=1` : questionPath(question.id, question.title);
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <h1 className="text-2xl font-bold">{notYetHeading(isClosed)}</h1>
      {refused?.message && refused.message !== message ? (
        <FormAlert focusOn={refused}>{refused.message}</FormAlert>
      ) : null}
      {refused?.intent === "close" ? <UnsentClose values={refused.values ?? {}} /> : null}
      <p className="text-sm">
        <Link to={back} dir="auto">
          {question.title}
        </Link>
      </p>
      <p>{message}</p>
      <p className="flex flex-wrap items-center gap-4">
        <Link to="/help/trust-levels">Trust levels, in the help</Link>
        <FlagLink type="post" id={question.id} noun="question" returnTo={back} className={SECONDARY} />
      </p>
    </div>
  );
}

/** What a refused close form said (its reason, the original's link, the note), to copy: the form is not offered here. */
function UnsentClose({ values }: { values: Record<string, string> }) {
  const reason = CLOSE_REASON_OPTIONS.find((option) => option.value === values.reason)?.label;
  const duplicateOf = values.duplicateOf?.trim() ?? "";
  const details = values.details?.trim() ?? "";
  return (
    <>
      {reason ? <p>Your reason (not sent): {reason}</p> : null}
      {duplicateOf ? (
        <KeptText
          id="unsent-duplicate-of"
          label="Your link to the original question (not sent)"
          text={duplicateOf}
          rows={1}
        />
      ) : null}
      {details ? (
        <KeptText id="unsent-close-details" label="Your note for the asker (not sent)" text={details} />
      ) : null}
    </>
  );
}

/** Moderators only: who asked an anonymous question, shown once per request and recorded in the moderation log. */
function RevealAsker({
  revealed,
  error,
}: {
  revealed: { name: string; handle: string | null } | null;
  error?: string;
}) {
  return (
    <section
      aria-labelledby="reveal-heading"
      className="space-y-2 rounded-lg border border-slate-200 p-3 dark:border-slate-800"
    >
      <h2 id="reveal-heading" className="font-semibold">
        Who asked (moderators)
      </h2>
      <p className="text-sm">
        This question was asked as “someone from the community”. Look up who asked only to act on it; your reason goes
        in the public moderation log (the asker's name does not).
      </p>
      {revealed ? (
        <p role="status" className="font-medium">
          Asked by <PersonName name={revealed.name} handle={revealed.handle} />
        </p>
      ) : (
        <Form method="post" className="space-y-2" noValidate>
          <input type="hidden" name="intent" value="reveal" />
          <TextField label="Why do you need to know?" name="reason" error={error} maxLength={300} />
          <button type="submit" className={SECONDARY}>
            Show who asked
          </button>
        </Form>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
