/** Small parts of a question or answer on the question page: who wrote it when, an imported post's source, a deleted banner. */
import { Link } from "@remix-run/react";
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
      {verb} by {handle ? <Link to={`/u/${handle}`}>{name}</Link> : name} <RelativeTime date={at} />
      {editedAt ? (
        <>
          {" · edited "}
          <RelativeTime date={editedAt} />
        </>
      ) : null}
    </p>
  );
}

export /** Moderators see deleted posts in place, marked. */
function DeletedBanner({ noun, at }: { noun: string; at: string | Date }) {
  return (
    <p className="mb-2 rounded-lg border border-red-300 bg-red-50 p-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
      This {noun} was deleted <RelativeTime date={at} />. Only moderators see it.
    </p>
  );
}
