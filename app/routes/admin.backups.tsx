/**
 * /admin/backups: the embedded database's backups (made on a schedule, or now on request), each downloadable by
 * admins; with PostgreSQL, where its backups come from instead. Making and downloading one are in the moderation log.
 */
import path from "node:path";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUserWith } from "~/auth/session.server";
import { Button } from "~/components/ui/Button";
import { FormAlert } from "~/components/ui/Field";
import { fullDate } from "~/lib/time";
import { writeFailureResponse } from "~/lib/write-failure.server";
import {
  BACKUP_ON_REQUEST_GAP_MINUTES,
  BackupError,
  BackupTooSoonError,
  backupTooSoon,
  listBackups,
  makeBackupOnRequest,
} from "~/models/backups.server";
import { recordModeration } from "~/models/moderation.server";
import { consumeWriteLimit } from "~/models/rate-limits.server";
import { formPageHeaders, tooManyRequests } from "~/lib/route-headers.server";

export const meta: MetaFunction = () => [{ title: "Backups · Admin · PeerDesk" }];

/** The folder as the operator configured it: relative to where the server runs when it is inside it. */
function shownFolder(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : dir;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUserWith(request, context, "site.backup");
  const { backups, database } = context.services;
  const failure = backups?.lastFailure();
  return {
    isPostgres: database.kind === "postgres",
    embedded: backups
      ? {
          folder: shownFolder(backups.dir),
          everyHours: backups.everyHours,
          keep: backups.keep,
          /** How old the newest backup must be before an admin can make another. */
          gapMinutes: BACKUP_ON_REQUEST_GAP_MINUTES,
          failure: failure ? { at: failure.at.toISOString(), message: failure.message } : null,
          backups: (await listBackups(backups.dir)).map((b) => ({ name: b.name, bytes: b.bytes, madeAt: b.madeAt })),
        }
      : null,
  };
}

type ActionData = { ok: true; name: string; bytes: number } | { ok: false; message: string };

/** Keeps a refused write's Retry-After (Remix drops action headers a route does not pass on). */
export const headers = formPageHeaders;

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireUserWith(request, context, "site.backup");
  // A backup copies the whole database: only the page's own button (its hidden intent) asks for one.
  if ((await request.formData()).get("intent") !== "make-backup")
    return data<ActionData>(
      {
        ok: false,
        message: "That isn't something this page can do, so no backup was made. Reload the page and try again.",
      },
      { status: 400 },
    );
  const { backups, database, db } = context.services;
  if (!backups)
    return data<ActionData>(
      { ok: false, message: "This site's database is not the embedded one: back it up as the page says." },
      { status: 400 },
    );
  try {
    // Refused before the hourly limit counts it: a press answered "too soon" must not use up a later one.
    const tooSoon = backupTooSoon((await listBackups(backups.dir))[0], new Date());
    if (tooSoon) throw tooSoon;
    await consumeWriteLimit(db, { userId: admin.id, kind: "backup" });
    // Asks again (presses at once share one backup; a press just after one finished is refused, writing nothing).
    const backup = await makeBackupOnRequest(database, { dir: backups.dir, keep: backups.keep });
    await recordModeration(db, {
      actorId: admin.id,
      action: "site.backup",
      targetType: "backup",
      targetId: backup.name,
    });
    return data<ActionData>({ ok: true, name: backup.name, bytes: backup.bytes });
  } catch (error) {
    if (error instanceof BackupTooSoonError)
      return data<ActionData>({ ok: false, message: error.message }, tooManyRequests(error.retryAfterSeconds));
    if (error instanceof BackupError) return data<ActionData>({ ok: false, message: error.message }, { status: 400 });
    return writeFailureResponse(error, (failure): ActionData => ({ ok: false, message: failure.message }));
  }
}

function fileSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function Schedule({
  everyHours,
  keep,
  folder,
  gapMinutes,
}: {
  everyHours: number;
  keep: number;
  folder: string;
  gapMinutes: number;
}) {
  const often =
    everyHours === 0
      ? "Backups are made only when an admin asks (BACKUP_HOURS=0)."
      : `A backup is made every ${everyHours === 1 ? "hour" : `${everyHours} hours`} while the site runs.`;
  return (
    <p className="text-sm">
      {often} The newest {keep} are kept in <code className="break-all">{folder}</code> on the server. You can make one
      yourself once the newest is {gapMinutes} minutes old: one made sooner would hold almost nothing new, and would
      push an older one out.
    </p>
  );
}

/** What pressing "Make a backup now" did: the backup made, or why none was. */
function BackupResult({ result }: { result: ActionData | undefined }) {
  if (!result) return null;
  if (result.ok)
    return <FormAlert tone="success">{`Backup made: ${result.name} (${fileSize(result.bytes)}).`}</FormAlert>;
  return <FormAlert>{result.message}</FormAlert>;
}

export default function AdminBackups() {
  const { isPostgres, embedded: page } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const isMaking = useNavigation().state === "submitting";
  return (
    <section aria-labelledby="backups-heading" className="space-y-4">
      <h2 id="backups-heading" className="text-xl font-semibold">
        Backups
      </h2>
      {/* Without the embedded database there is no form to show a refused post's words beside: they go here. */}
      {page && !isPostgres ? null : <BackupResult result={result} />}
      {isPostgres ? (
        <p className="text-sm">
          This site keeps its data in PostgreSQL (DATABASE_URL). Back it up there, with <code>pg_dump</code> or your
          provider's backups; PeerDesk's own backups are for its embedded database.
        </p>
      ) : !page ? (
        <p className="text-sm">
          This site's database is in memory (PGLITE_DIR=memory://): there is nothing to back up, and it is gone when the
          server stops.
        </p>
      ) : (
        <>
          <Schedule everyHours={page.everyHours} keep={page.keep} folder={page.folder} gapMinutes={page.gapMinutes} />
          {page.failure ? (
            <FormAlert>
              The last scheduled backup failed ({fullDate(page.failure.at)}): {page.failure.message}
            </FormAlert>
          ) : null}
          <BackupResult result={result} />
          <Form method="post">
            <input type="hidden" name="intent" value="make-backup" />
            <Button type="submit" disabled={isMaking}>
              {isMaking ? "Making a backup…" : "Make a backup now"}
            </Button>
          </Form>
          {page.backups.length === 0 ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">No backups yet.</p>
          ) : (
            <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-700 dark:border-slate-700">
              {page.backups.map((backup) => (
                <li key={backup.name} className="flex flex-wrap items-center gap-3 p-3 text-sm">
                  <span className="min-w-0 flex-1">
                    <span className="block font-medium">{fullDate(backup.madeAt)}</span>
                    <span className="break-all text-slate-600 dark:text-slate-400">
                      {backup.name} · {fileSize(backup.bytes)}
                    </span>
                  </span>
                  <a
                    href={`/admin/backups/${backup.name}`}
                    download
                    className="inline-flex min-h-11 items-center rounded-md px-2 font-medium text-brand-700 dark:text-brand-300"
                    aria-label={`Download the backup of ${fullDate(backup.madeAt)}`}
                  >
                    Download
                  </a>
                </li>
              ))}
            </ul>
          )}
          <div className="space-y-2 text-sm">
            <h3 className="font-semibold">Keeping them safe, and putting one back</h3>
            <p>
              A backup holds everything: posts, and everyone's email address and password hash. Copy them to another
              machine that only admins can read. Keep the auth secret with them (the <code>auth-secret</code> file
              beside the database, or your BETTER_AUTH_SECRET): two-step sign-in set up before needs it.
            </p>
            <p>
              To put one back, stop the server and run <code>npm run db:restore -- FILE</code>. The database it replaces
              is moved aside, not deleted.
            </p>
          </div>
        </>
      )}
    </section>
  );
}
