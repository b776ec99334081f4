/** Email: each person's delivery preferences per notification kind, and the outbox of every message sent. */
import { sql } from "drizzle-orm";
import { index, integer, pgTable, primaryKey, serial, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./columns";
import { users } from "./auth";
import type { NotificationKind } from "./notifications";

export const EMAIL_DELIVERIES = ["immediate", "digest", "never"] as const;
export type EmailDelivery = (typeof EMAIL_DELIVERIES)[number];

/** How a person wants each kind of notification by email; a missing row means the kind's default. */
export const emailPreferences = pgTable(
  "email_preferences",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").$type<NotificationKind>().notNull(),
    delivery: text("delivery").$type<EmailDelivery>().notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);

/**
 * Every message PeerDesk sends. The mailer sends pending rows through SMTP when SMTP_URL is set, retrying with
 * backoff; without SMTP they stay here and admins read them at /admin/mail.
 */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: serial("id").primaryKey(),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body").notNull(),
    /**
     * "notification" (one at once), "digest" (the day's, grouped), or an account message (reset link, confirming a new
     * account's address, an email change, a notice).
     */
    kind: text("kind")
      .$type<"notification" | "digest" | "password_reset" | "email_verification" | "email_change" | "account_notice">()
      .notNull(),
    status: text("status").$type<"pending" | "sent" | "failed">().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("email_outbox_pending_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index("email_outbox_created_idx").on(t.createdAt.desc()),
  ],
);
