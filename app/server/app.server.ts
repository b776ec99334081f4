/** Starts PeerDesk's services once per process: configuration, database (migrated), demo content, auth. */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type Database, databaseStartProblem, openDatabase, unappliedMigrations } from "#db/client.server";
import { seedDemoContent } from "../../scripts/seed/demo";
import { type Auth, createAuth } from "~/auth/auth.server";
import { countSpaces } from "~/models/spaces.server";
import { hasAdmin } from "~/models/users.server";
import { DEMO_ADMIN_EMAIL, demoAdminCanSignIn } from "~/models/demo-admin.server";
import nodemailer from "nodemailer";
import { startMailer } from "~/models/email-sending.server";
import { notifyOfficeHoursStarting } from "~/models/office-hours.server";
import { requestOverdueFeedback } from "~/models/feedback.server";
import { needsFactsRebuild, rebuildQuestionFacts } from "~/models/pulse.server";
import { startLoop } from "~/lib/loop.server";
import { startSearchDrain } from "~/search/drain.server";
import { GLOSSARY_TOPIC, invalidateGlossaryCache } from "~/models/glossary.server";
import { applyGlossarySynonyms } from "~/search/synonyms.server";
import { createSearchEngine, needsReindex, reindexAll } from "~/search/engine.server";
import type { SearchEngine } from "~/search/types";
import { ConfigError, type Env, parseEnv } from "~/lib/env.server";
import { logEvent } from "~/lib/log.server";
import { type RealtimeHub, createRealtimeHub } from "~/lib/realtime.server";
import { EventStreamLimits } from "~/lib/sse.server";
import { followQuestionPageChanges } from "~/models/question-page-memo.server";
import { followPublicDataChanges } from "~/models/public-data-memo.server";
import { startRerenderingStalePosts } from "~/models/post-rendering.server";
import {
  BackupError,
  type BackupSchedule,
  checkBackupFolder,
  defaultBackupDir,
  startScheduledBackups,
} from "~/models/backups.server";
import { startPostImageSweep } from "~/models/post-images.server";
import { startDraftSweep } from "~/models/drafts.server";

export type AppServices = {
  env: Env;
  database: Database;
  db: Database["db"];
  auth: Auth;
  baseURL: string;
  search: SearchEngine;
  /** Signs things that must not be forged (unsubscribe links); the auth secret. */
  secret: string;
  /** Events between app processes (LISTEN/NOTIFY): live unread counts, live sessions. */
  realtime: RealtimeHub;
  /** How many live-update streams this process holds open, in all and per client address (eventStream refuses more). */
  eventStreams: EventStreamLimits;
  /** Backups of the embedded database on disk (null with PostgreSQL or an in-memory database). */
  backups: BackupSchedule | null;
  /** Stops background work (the search outbox drain) before the database closes. */
  stop: () => Promise<void>;
};

/**
 * Without BETTER_AUTH_SECRET (the embedded database in any mode, or PostgreSQL in development) a secret is generated
 * once and kept beside the embedded database (or under .data/ with PostgreSQL), so sessions survive restarts; an
 * in-memory database gets a secret that lives as long as it does.
 */
function developmentSecret(env: Env): string {
  if (!env.DATABASE_URL && env.PGLITE_DIR.startsWith("memory://")) return randomBytes(32).toString("hex");
  const dir = env.DATABASE_URL ? path.resolve(".data") : path.resolve(path.dirname(path.resolve(env.PGLITE_DIR)));
  const file = path.join(dir, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** Said at every start while the demo admin can sign in: fine for trying PeerDesk, never for real use. */
function warnAboutDemoAdmin(): void {
  logEvent("warn", "demo admin can sign in with the published demo password", { email: DEMO_ADMIN_EMAIL });
  console.warn(
    [
      "",
      "  WARNING: demo content with a published password.",
      `  ${DEMO_ADMIN_EMAIL} is an admin whose password is in the README: anyone can administer this site.`,
      "  Fine for trying PeerDesk on your own machine. Before real use, start from an empty database without",
      "  SEED_DEMO (npm run serve), or stop the server, create your own admin (npm run user:create-admin), start",
      "  it again and ban the demo one.",
      "",
    ].join("\n"),
  );
}

/**
 * The database, migrated (embedded) or checked to be (PostgreSQL). Anything wrong with it at start is one line for
 * the operator (a ConfigError: the server prints it and exits), never a stack trace.
 */
async function openMigratedDatabase(env: Env): Promise<Database> {
  const config = { databaseUrl: env.DATABASE_URL, pgliteDir: env.PGLITE_DIR };
  let database: Database | undefined;
  try {
    database = await openDatabase({
      ...config,
      // Named in the embedded database's lock, so commands run meanwhile say the server has it.
      holder: "server",
      pgliteWorker: env.PGLITE_WORKER,
      pgliteSharedBuffersMb: env.PGLITE_SHARED_BUFFERS_MB,
      connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_SECONDS * 1000,
    });
    if (database.kind === "pglite") {
      logEvent("info", "embedded database (PGlite): single process only; set DATABASE_URL for PostgreSQL", {
        dir: env.PGLITE_DIR,
        workerThread: env.PGLITE_WORKER,
      });
      const startedAt = Date.now();
      await database.migrate();
      logEvent("info", "migrations applied", { ms: Date.now() - startedAt });
    } else {
      // A PostgreSQL database is migrated by `npm run db:migrate`, once per deployment, not by each of its processes.
      const { unapplied, known } = await unappliedMigrations(database.db);
      if (unapplied > 0) {
        await database.close();
        throw new ConfigError(
          unapplied === known
            ? "The PostgreSQL database in DATABASE_URL has no PeerDesk tables yet. Run `npm run db:migrate` once, then start again."
            : `The PostgreSQL database in DATABASE_URL is ${unapplied} migration${unapplied === 1 ? "" : "s"} behind this version of PeerDesk. Run \`npm run db:migrate\` once, then start again.`,
        );
      }
    }
    return database;
  } catch (error) {
    await database?.close().catch(() => {});
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(databaseStartProblem(error, config));
  }
}

let started: Promise<AppServices> | undefined;

export function startApp(source: Record<string, string | undefined> = process.env): Promise<AppServices> {
  started ??= boot(source);
  return started;
}

/**
 * Where the embedded database's backups go (null with PostgreSQL or an in-memory database), checked before the
 * database opens: a folder that can't hold backups stops the start with one line, rather than failing (or, under
 * /proc, hanging) at the first backup.
 */
function backupFolder(env: Env): string | null {
  if (env.DATABASE_URL || env.PGLITE_DIR.startsWith("memory://")) return null;
  const dir = env.BACKUP_DIR ? path.resolve(env.BACKUP_DIR) : defaultBackupDir(env.PGLITE_DIR);
  try {
    checkBackupFolder(dir);
  } catch (error) {
    if (error instanceof BackupError) throw new ConfigError(error.message);
    throw error;
  }
  return dir;
}

async function boot(source: Record<string, string | undefined>): Promise<AppServices> {
  const env = parseEnv(source);
  const baseURL = env.APP_URL ?? `http://localhost:${env.PORT}`;
  const backupDir = backupFolder(env);
  const database = await openMigratedDatabase(env);
  const secret = env.BETTER_AUTH_SECRET ?? developmentSecret(env);
  const auth = createAuth(database.db, {
    secret,
    baseURL,
    ssoProviders: env.ssoProviders,
    passwordSignUp: env.PASSWORD_SIGNUP,
    signInsPerAddress: env.SIGN_IN_LIMIT_PER_ADDRESS,
    signUpsPerAddress: env.SIGN_UP_LIMIT_PER_ADDRESS,
    firstSignUpIsAdmin: env.NODE_ENV !== "production",
  });
  // A deployment's production start never creates demo people (a published password) unless asked to.
  const shouldSeed =
    env.SEED_DEMO === "true" ||
    (env.SEED_DEMO === "auto" && database.kind === "pglite" && env.NODE_ENV !== "production");
  if (shouldSeed && (await countSpaces(database.db)) === 0) {
    await seedDemoContent(database.db, {
      onProgress: (done, total, label) => logEvent("info", "seeding demo content", { done, total, label }),
    });
  }
  if (await demoAdminCanSignIn(database.db)) warnAboutDemoAdmin();
  else if (env.NODE_ENV === "production" && !(await hasAdmin(database.db)))
    console.warn('No admin yet: stop the server and run npm run user:create-admin -- --email you@org --name "You".');
  if (database.kind === "pglite") {
    const startedAt = Date.now();
    await database.maintain();
    logEvent("info", "database statistics refreshed", { ms: Date.now() - startedAt });
    // Hourly thereafter, the system catalogs included (dead rows left by migrations and schema changes); unref'd so it
    // never keeps the process alive.
    setInterval(
      () => {
        database
          .maintain({ catalogs: true })
          .catch((error: unknown) => logEvent("error", "database maintenance failed", { error: String(error) }));
      },
      60 * 60 * 1000,
    ).unref();
  }
  if (await needsFactsRebuild(database.db)) {
    // A database from before the service pulse (or a bulk import): compute every question's facts once.
    const startedAt = Date.now();
    const count = await rebuildQuestionFacts(database.db, (done, total) =>
      logEvent("info", "computing service pulse facts", { done, total }),
    );
    logEvent("info", "service pulse facts computed", { questions: count, ms: Date.now() - startedAt });
  }
  const search = createSearchEngine(env, database.db, database.listen);
  await prepareSearch(database.db, search);
  const drain = env.SEARCH_DRAIN ? startSearchDrain(database.db, search) : null;
  // Posts stored before the renderer last changed get their HTML again from their Markdown, in the background.
  const rerendering = env.POSTS_RERENDER ? startRerenderingStalePosts(database.db, logEvent) : null;
  // Followers hear a few minutes before a session starts; claimed in the database, so any number of processes may run it.
  // Askers of week-old questions without an accepted answer are asked, once, how well they were helped (also claimed
  // in the database by the notification's unique index).
  const sessionStarts = startLoop(async () => {
    await notifyOfficeHoursStarting(database.db).catch((error: unknown) =>
      logEvent("error", "session start notifications failed", { error: String(error) }),
    );
    await requestOverdueFeedback(database.db).catch((error: unknown) =>
      logEvent("error", "feedback reminders failed", { error: String(error) }),
    );
  }, 30_000);
  const mailer = env.MAILER
    ? startMailer({
        db: database.db,
        baseURL,
        secret,
        transport: env.SMTP_URL ? nodemailer.createTransport(env.SMTP_URL) : null,
        from: env.MAIL_FROM,
        intervalMs: env.MAIL_INTERVAL_SECONDS * 1000,
        log: logEvent,
      })
    : null;
  const backups =
    database.kind === "pglite" && backupDir
      ? startScheduledBackups(database, {
          dir: backupDir,
          everyHours: env.BACKUP_HOURS,
          keep: env.BACKUP_KEEP,
          log: logEvent,
        })
      : null;
  // Pictures uploaded for posts and used nowhere for a day are deleted, hourly (any number of processes may run it).
  const imageSweep = startPostImageSweep(database.db, { log: logEvent });
  // Drafts nobody touched for 90 days are removed, hourly (any number of processes may run it).
  const draftSweep = startDraftSweep(database.db, { log: logEvent });
  const realtime = createRealtimeHub(database);
  // A glossary change in any process drops this process's cached glossary (terms in posts, synonyms for search).
  await realtime
    .subscribe(GLOSSARY_TOPIC, () => invalidateGlossaryCache())
    .catch((error: unknown) => logEvent("error", "glossary changes not followed", { error: String(error) }));
  // Question pages' public data is kept in memory, dropped by the page cache's announcements; it relies on the page
  // cache's write barrier (server.js), so only with the page cache on.
  const stopQuestionPages = env.PAGE_CACHE_MB > 0 ? await followQuestionPageChanges(database) : null;
  const stopPublicData = env.PAGE_CACHE_MB > 0 ? await followPublicDataChanges(database) : null;
  return {
    env,
    database,
    db: database.db,
    auth,
    baseURL,
    secret,
    search,
    realtime,
    eventStreams: new EventStreamLimits({
      limit: env.SSE_STREAM_LIMIT,
      limitPerAddress: env.SSE_STREAM_LIMIT_PER_ADDRESS,
    }),
    backups,
    stop: async () => {
      await drain?.stop();
      await backups?.stop();
      await rerendering?.stop();
      await mailer?.stop();
      await sessionStarts.stop();
      await imageSweep.stop();
      await draftSweep.stop();
      await stopQuestionPages?.();
      await stopPublicData?.();
    },
  };
}

/**
 * Applies the engine's settings and fills an empty index from the database (first start, or a new engine). The
 * embedded engine is filled before the server answers; Meilisearch in the background, as it may take minutes. An
 * unreachable Meilisearch does not stop the forum: searches say so, and the outbox keeps every change for later.
 */
async function prepareSearch(db: Database["db"], search: SearchEngine): Promise<void> {
  const fill = async () => {
    await search.setup();
    await applyGlossarySynonyms(db, search);
    if (!(await needsReindex(db, search))) return;
    let last = 0;
    const result = await reindexAll(db, search, (indexed, total) => {
      if (indexed - last >= 5000 || indexed === total)
        logEvent("info", "building the search index", { engine: search.name, indexed, total });
      last = indexed;
    });
    logEvent("info", "search index built", { engine: search.name, documents: result.indexed, ms: result.ms });
  };
  const report = (error: unknown) =>
    logEvent("error", "search engine not ready; searches will fail until it answers", {
      engine: search.name,
      error: error instanceof Error ? error.message : String(error),
    });
  if (search.name === "postgres") await fill().catch(report);
  else void fill().catch(report);
}
