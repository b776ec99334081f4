/** The review queue's list of silenced members, each with a "Lift silence" button (their held posts are published). */
import { Form } from "@remix-run/react";
import { PersonName } from "~/components/PersonName";
import { RelativeTime } from "~/components/RelativeTime";
import { Button } from "~/components/ui/Button";
import { heldWords } from "~/lib/held-words";
import { FormAlert, TextField } from "~/components/ui/Field";
import { KeptText } from "~/components/KeptText";

export type SilencedMemberView = {
  userId: string;
  name: string;
  handle: string | null;
  reason: string;
  since: string | Date;
  isAutomatic: boolean;
  heldPosts: number;
  heldSessionQuestions: number;
  /** Whether this moderator may lift it: not their own, nor a fellow moderator's or an admin's. */
  canLift: boolean;
};

function heldText(posts: number, sessionQuestions: number) {
  const total = posts + sessionQuestions;
  if (total === 0) return "Nothing of theirs is held because of it.";
  return `${heldWords(posts, sessionQuestions)} ${total === 1 ? "is" : "are"} held because of it.`;
}

/** A refused "Lift silence" (`targetId`: the member), with when it was lifted already and the note that was typed. */
export type LiftFailure = { targetId?: string; message: string; at?: string; values?: Record<string, string> };

/**
 * A refused lift whose member is no longer listed (their silence was lifted meanwhile, by someone else or in another
 * tab): what happened and when, above the list, and the note that was typed (not sent), to copy.
 */
function RefusedLift({ failure }: { failure: LiftFailure }) {
  const note = failure.values?.note?.trim() ?? "";
  return (
    <FormAlert focusOn={failure}>
      <LiftRefusalWords failure={failure} />
      {note ? (
        <>
          {" Your note was not sent:"}
          <KeptText id="refused-lift-note" label="Your note" text={note} isLabelHidden />
        </>
      ) : null}
    </FormAlert>
  );
}

/** Why a lift was refused, and when the silence was lifted already (if it was): the same in the row and above the list. */
function LiftRefusalWords({ failure }: { failure: LiftFailure }) {
  return (
    <>
      {failure.message}
      {failure.at ? (
        <>
          {" "}
          (lifted <RelativeTime date={failure.at} />)
        </>
      ) : null}
    </>
  );
}

export function SilencedMembers({
  members,
  busyUserId,
  failure,
}: {
  members: SilencedMemberView[];
  busyUserId: string | null;
  /** A refused lift: shown in its member's row, or above the list when the row is gone. */
  failure?: LiftFailure;
}) {
  const isRowGone = failure !== undefined && !members.some((member) => member.userId === failure.targetId);
  return (
    <section aria-labelledby="silenced-heading" className="space-y-2">
      <h2 id="silenced-heading" className="text-lg font-semibold">
        Silenced members ({members.length})
      </h2>
      {failure && isRowGone ? <RefusedLift failure={failure} /> : null}
      {members.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">Nobody is silenced.</p>
      ) : (
        <ul className="space-y-3">
          {members.map((member) => (
            <li
              key={member.userId}
              aria-labelledby={`silenced-${member.userId}`}
              className="space-y-2 rounded-lg border border-slate-200 p-4 dark:border-slate-800"
            >
              <h3 id={`silenced-${member.userId}`} dir="auto" className="font-semibold">
                <PersonName name={member.name} handle={member.handle} />
              </h3>
              <p className="text-sm text-slate-700 dark:text-slate-300">
                {member.isAutomatic ? "Silenced automatically" : "Silenced by a moderator"}{" "}
                <RelativeTime date={member.since} />: {member.reason}{" "}
                {heldText(member.heldPosts, member.heldSessionQuestions)}
              </p>
              {member.canLift ? (
                <Form method="post" className="space-y-2">
                  {failure && failure.targetId === member.userId ? (
                    <FormAlert>
                      <LiftRefusalWords failure={failure} />
                    </FormAlert>
                  ) : null}
                  <input type="hidden" name="intent" value="liftSilence" />
                  <input type="hidden" name="userId" value={member.userId} />
                  <TextField
                    label={`Note for ${member.name} and the log (optional)`}
                    name="note"
                    maxLength={500}
                    defaultValue={failure?.targetId === member.userId ? failure.values?.note : undefined}
                  />
                  <Button type="submit" variant="secondary" disabled={busyUserId === member.userId}>
                    Lift silence for {member.name}
                  </Button>
                </Form>
              ) : (
                <p className="text-sm text-slate-700 dark:text-slate-300">
                  Only an admin can lift a moderator's silence, and nobody can lift their own or an admin's.
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
