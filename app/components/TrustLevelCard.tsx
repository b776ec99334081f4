/** A person's trust level on their profile, with a link to what the levels mean; their own progress when it is them. */
import { Link } from "@remix-run/react";

type Counts = {
  accountAgeDays: number;
  postsWritten: number;
  upvotesReceived: number;
  acceptedAnswers: number;
  flagsUpheld: number;
  flaggedAgainst: number;
};
type Next = Omit<Counts, "flaggedAgainst"> & { maxFlaggedAgainst: number | null };

export function TrustLevelCard({
  level,
  name,
  progress,
}: {
  level: number;
  name: string;
  progress: { counts: Counts | null; next: Next | null } | null;
}) {
  return (
    <section aria-labelledby="trust-heading" className="rounded-lg border border-slate-200 p-3 dark:border-slate-800">
      <h2 id="trust-heading" className="font-semibold">
        {`Trust level ${level}: ${name}`}
      </h2>
      <p className="text-sm">
        Earned by taking part here. <Link to="/help/trust-levels">What trust levels mean</Link>
      </p>
      {progress?.counts && progress.next ? <NextLevel counts={progress.counts} next={progress.next} /> : null}
    </section>
  );
}

/** Only on your own profile: what the next level still asks for. */
function NextLevel({ counts, next }: { counts: Counts; next: Next }) {
  const rows: [string, number, number][] = [
    ["Days since you joined", counts.accountAgeDays, next.accountAgeDays],
    ["Questions, answers, how-tos and comments", counts.postsWritten, next.postsWritten],
    ["Votes from others", counts.upvotesReceived, next.upvotesReceived],
    ["Answers accepted by others", counts.acceptedAnswers, next.acceptedAnswers],
    ["Your flags that moderators agreed with", counts.flagsUpheld, next.flagsUpheld],
  ];
  const overFlagged = next.maxFlaggedAgainst !== null && counts.flaggedAgainst > next.maxFlaggedAgainst;
  return (
    <div className="mt-2 text-sm">
      <p className="font-medium">For the next level (only you see this):</p>
      <ul className="mt-1 space-y-0.5">
        {rows
          .filter(([, , needed]) => needed > 0)
          .map(([label, have, needed]) => (
            <li key={label}>
              {label}: {Math.min(have, needed)} of {needed}
            </li>
          ))}
      </ul>
      {overFlagged ? (
        <p className="mt-1">
          {`Moderators removed ${counts.flaggedAgainst} of your posts after flags recently; the next level allows ${next.maxFlaggedAgainst}. This clears with time.`}
        </p>
      ) : null}
    </div>
  );
}
