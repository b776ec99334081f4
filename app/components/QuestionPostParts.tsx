/** Small parts of a question or answer on the question page: who wrote it when, an imported post's source, a deleted or held banner. */
import { Link } from "@remix-run/react";
import { PersonName } from "~/components/PersonName";
import { RelativeTime } from "~/components/RelativeTime";
import { licenseUrl } from "~/lib/licenses";
import type { PostSource } from "~/models/post-sources.types";

/** An imported post's original, author and licence: CC BY-SA asks for all three beside the post. */
export function SourceNote({ source }: { source: PostSource | undefined }) {
  if (!source) return null;
  const deed = licenseUrl(source.license);
  return (
    <p className="text-xs text-slate-600 dark:text-slate-400">
      Originally posted at{" "}
      <a href={source.url} rel="nofollow noopener" className="underline">
        {new URL(source.url).host}
      </a>{" "}
      by{" "}
      {source.authorUrl ? (
        <a href={source.authorUrl} rel="nofollow noopener" className="underline">
          {source.authorName}
        </a>
      ) : (
        source.authorName
      )}
      , licensed{" "}
      {deed ? (
        <a href={deed} rel="license noopener" className="underline">
          {source.license}
        </a>
      ) : (
        source.license
      )}
      .
    </p>
  );
}

export /** Who wrote the post and when, and when it was last edited. */
function Byline({
  verb,
  name,
  handle,
  at,
  editedAt,
}: {
  verb: string;
  name: string;
  handle: string | null;
  at: string | Date;
  editedAt?: string | Date | null;
}) {
  return (
    <p className="text-xs text-slate-600 dark:text-slate-400">
      {verb} by <PersonName name={name} handle={handle} /> <RelativeTime date={at} />
      {editedAt ? (
        <>
          {" · edited "}
          <RelativeTime date={editedAt} />
        </>
      ) : null}
    </p>
  );
}

export /**
 * Moderators see deleted posts in place, marked. A post held for review is hidden the same way, but nobody deleted it:
 * it says so, and sends them to the review queue, where a decision tells its author (and any flaggers).
 */
function DeletedBanner({ noun, at, isHeld = false }: { noun: string; at: string | Date; isHeld?: boolean }) {
  if (isHeld)
    return (
      <p className="mb-2 rounded-lg border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
        This {noun} is hidden while it waits for a moderator's review (since <RelativeTime date={at} />
        ); nobody deleted it. Only moderators see it. Keep or hide it in the <Link to="/review">review queue</Link>, so
        its author and anyone who flagged it are told.
      </p>
    );
  return (
    <p className="mb-2 rounded-lg border border-red-300 bg-red-50 p-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
      This {noun} was deleted <RelativeTime date={at} />. Only moderators see it.
    </p>
  );
}

/** The held post's heading: the question's title as its asker wrote it, in its own direction. */
function HeldPostHeading({ kind, title }: { kind: "question" | "answer"; title: string }) {
  if (kind === "answer")
    return (
      <>
        Your answer to “<span dir="auto">{title}</span>”
      </>
    );
  return title ? <span dir="auto">{title}</span> : "Your question";
}

/**
 * What the author of a held question or answer finds at its address and its edit page: it waits for a moderator's
 * review, what happens next, and where everything of theirs that waits is listed. `title` is the question's.
 */
export function HeldPostNotice({
  kind,
  title,
  isEditing = false,
}: {
  kind: "question" | "answer";
  title: string;
  isEditing?: boolean;
}) {
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <h1 className="text-2xl font-bold leading-tight">
        <HeldPostHeading kind={kind} title={title} />
      </h1>
      <p
        role="status"
        className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
      >
        Your {kind} is waiting for a moderator's review, so only you can open it for now; other people don't see it yet.
        {isEditing ? " It can't be edited while it waits." : ""}
      </p>
      <p>
        Once a moderator has looked at it, it appears {kind === "question" ? "here" : "under the question"} for
        everyone, or you're told why not. Either way you'll get a notification. Everything of yours that is waiting is
        listed on <Link to="/me/moderation">Moderation and you</Link>.
      </p>
    </div>
  );
}
