/** Tables that keep writes and sign-ins safe: idempotency keys, per-user write limits and failed sign-ins. */
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";
import { users } from "./auth";

/** Idempotency keys of submitted forms: a retried or double-clicked submit returns the first result. */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    result: jsonb("result").$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] })],
);

/** Fixed-window counters for per-user write limits (posting, voting, commenting); shared by all app processes. */
export const writeLimits = pgTable("write_limits", {
  key: text("key").primaryKey(),
  windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
  count: integer("count").notNull(),
});

/**
 * Wrong passwords per account (keyed by a hash of the lower-cased email, so unknown addresses are counted the same way
 * and the lock says nothing about whether an account exists), across every client address and app process.
 */
export const signInFailures = pgTable(
  "sign_in_failures",
  {
    /** The address's SHA-256 (hex); with ":<device id>" after it, one known device's count (models/sign-in-throttle.server.ts). */
    emailHash: text("email_hash").primaryKey(),
    failures: integer("failures").notNull(),
    windowStartedAt: timestamp("window_started_at", { withTimezone: true }).notNull(),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
  },
  (t) => [index("sign_in_failures_window_idx").on(t.windowStartedAt)],
);
