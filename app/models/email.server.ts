/**
 * Email about notifications: per-person preferences (at once, in a daily digest, or never, per kind), messages
 * written to `email_outbox`, sent through SMTP when SMTP_URL is set (retried with backoff), and signed unsubscribe
 * links that work without signing in. Without SMTP the messages stay in the outbox for admins (/admin/mail).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Transporter } from "nodemailer";
import { type Db, queryRows } from "#db/client.server";
import { EMAIL_KIND_LABELS } from "~/lib/email";
import { startLoop } from "~/lib/loop.server";
import { nameInThread } from "./anonymity.server";
import {
  EMAIL_DELIVERIES,
  type EmailDelivery,
  NOTIFICATION_KINDS,
  type NotificationKind,
  emailOutbox,
  emailPreferences,
} from "#db/schema";

/** What each kind does by email until the person chooses. */
export const EMAIL_DEFAULTS: Record<NotificationKind, EmailDelivery> = {
  answer: "immediate",
  comment: "digest",
  accepted: "immediate",
  mention: "immediate",
  new_post: "digest",
  invitation: "immediate",
  session_starting: "immediate",
  feedback_request: "digest",
  session_changed: "immediate",
  session_cancelled: "immediate",
  session_answered: "immediate",
  rating: "digest",
  thanks: "digest",
  moderation: "immediate",
};

/** A digest waits this long after its oldest notification, and comes at most once a day. */
const DIGEST_GATHER_MS = 60 * 60_000;
const DIGEST_EVERY_MS = 24 * 60 * 60_000;
/** Notifications older than this are never emailed (a mailer that was down does not flood inboxes later). */
const EMAIL_MAX_AGE_MS = 2 * 24 * 60 * 60_000;
const MAX_ATTEMPTS = 8;

export async function getEmailPreferences(db: Db, userId: string): Promise<Record<NotificationKind, EmailDelivery>> {
  const rows = await db
    .select({ kind: emailPreferences.kind, delivery: emailPreferences.delivery })
    .from(emailPreferences)
    .where(eq(emailPreferences.userId, userId));
  const chosen = { ...EMAIL_DEFAULTS };
  for (const row of rows)
    if (NOTIFICATION_KINDS.includes(row.kind) && EMAIL_DELIVERIES.includes(row.delivery))
      chosen[row.kind] = row.delivery;
  return chosen;
}

export async function setEmailPreference(
  db: Db,
  userId: string,
  kind: NotificationKind,
  delivery: EmailDelivery,
): Promise<void> {
  await db
    .insert(emailPreferences)
    .values({ userId, kind, delivery, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: [emailPreferences.userId, emailPreferences.kind],
      set: { delivery, updatedAt: new Date() },
    });
}

// ---------- unsubscribe links ----------

type UnsubscribeClaim = { userId: string; kind: NotificationKind | "all" };

function sign(secret: string, payload: string): string {
  return createHmac("sha256", secret).update(`unsubscribe:${payload}`).digest("base64url");
}

/** A link token naming the person and kind, valid until `expiresAt`; anyone holding it may turn that email off. */
export function unsubscribeToken(secret: string, claim: UnsubscribeClaim, expiresAt: Date): string {
  const payload = Buffer.from(
    JSON.stringify({ u: claim.userId, k: claim.kind, e: Math.floor(expiresAt.getTime() / 1000) }),
  ).toString("base64url");
  return `${payload}.${sign(secret, payload)}`;
}

/** The claim of a genuine, unexpired token; null for anything tampered with, expired or malformed. */
export function verifyUnsubscribeToken(secret: string, token: string, now = new Date()): UnsubscribeClaim | null {
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined || token.length > 1000) return null;
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const data = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
      u?: unknown;
      k?: unknown;
      e?: unknown;
    };
    if (typeof data.u !== "string" || typeof data.e !== "number" || data.e * 1000 < now.getTime()) return null;
    const kind = data.k === "all" ? "all" : NOTIFICATION_KINDS.find((k) => k === data.k);
    return kind ? { userId: data.u, kind } : null;
  } catch {
    return null;
  }
}

/** Turns the email off for the token's kind (or every kind); returns what was turned off, or null for a bad token. */
export async function unsubscribe(
  db: Db,
  secret: string,
  token: string,
  now = new Date(),
): Promise<UnsubscribeClaim | null> {
  const claim = verifyUnsubscribeToken(secret, token, now);
  if (!claim) return null;
  const kinds = claim.kind === "all" ? [...NOTIFICATION_KINDS] : [claim.kind];
  for (const kind of kinds) await setEmailPreference(db, claim.userId, kind, "never");
  return claim;
}

// ---------- writing messages ----------

type Pending = {
  id: number;
  user_id: string;
  email: string;
  user_name: string;
  kind: NotificationKind;
  delivery: EmailDelivery;
  actor_name: string | null;
  title: string | null;
  post_kind: string | null;
  created_at: Date | string;
};

export { EMAIL_KIND_LABELS };

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

function sentence(row: Pending): string {
  const who = row.actor_name ?? "Someone";
  const title = `“${row.title ?? "a post"}”`;
  switch (row.kind) {
    case "answer":
      return `${who} answered ${title}`;
    case "comment":
      return `${who} commented on ${title}`;
    case "accepted":
      return `${who} accepted your answer to ${title}`;
    case "mention":
      return `${who} mentioned you in ${title}`;
    case "invitation":
      return `${who} invited you to answer ${title}`;
    case "session_starting":
      return `${title}, hosted by ${who}, is starting`;
    case "feedback_request":
      return `How well were you helped with ${title}? Rate it in one tap`;
    case "session_changed":
      return `${who} changed the time of ${title}`;
    case "session_cancelled":
      return `${who} cancelled ${title}`;
    case "session_answered":
      return `${who} answered your question in ${title}`;
    case "rating":
      return `${who} rated the help you gave on ${title}`;
    case "thanks":
      return `${who} thanked you for your answer to ${title}`;
    case "moderation":
      return "A moderator reviewed something you flagged or posted";
    default:
      return row.post_kind === "howto" ? `${who} published the how-to ${title}` : `${who} asked ${title}`;
  }
}

class DigestTaken extends Error {}

export type MailContext = { db: Db; baseURL: string; secret: string; now?: Date };

function footer(ctx: MailContext, userId: string, kind: NotificationKind | "all", now: Date) {
  const token = unsubscribeToken(ctx.secret, { userId, kind }, new Date(now.getTime() + 90 * 24 * 60 * 60_000));
  const unsubscribeUrl = `${ctx.baseURL}/unsubscribe?token=${token}`;
  const settingsUrl = `${ctx.baseURL}/settings/notifications`;
  const what = kind === "all" ? "these digests" : EMAIL_KIND_LABELS[kind].toLowerCase();
  return {
    unsubscribeUrl,
    text: `\n\n—\nStop emails about ${what}: ${unsubscribeUrl}\nChoose what PeerDesk emails you: ${settingsUrl}\n`,
    html: `<p style="color:#555;font-size:12px">Stop emails about ${escapeHtml(what)}: <a href="${escapeHtml(unsubscribeUrl)}">unsubscribe</a> · <a href="${escapeHtml(settingsUrl)}">email settings</a></p>`,
  };
}

/** Pending notifications (not read, not yet mailed, recent) with each person's choice for their kind. */
async function pendingNotifications(db: Db, now: Date): Promise<Pending[]> {
  return (
    await queryRows<Pending>(
      db,
      sql`
      select n.id, n.user_id, u.email, u.name as user_name, n.kind, ${nameInThread(sql`n.post_id`, sql`n.actor_id`, sql`a.name`)} as actor_name, p.kind as post_kind,
        coalesce(s.title, case when p.kind = 'answer' then q.title else p.title end, '') as title, n.created_at,
        coalesce(ep.delivery, case n.kind
          ${sql.join(
            NOTIFICATION_KINDS.map((kind) => sql`when ${kind} then ${EMAIL_DEFAULTS[kind]}`),
            sql` `,
          )} end) as delivery
      from notifications n
      join users u on u.id = n.user_id
      left join posts p on p.id = n.post_id
      left join posts q on q.id = p.parent_id
      left join qa_sessions s on s.id = n.session_id
      left join users a on a.id = n.actor_id
      left join email_preferences ep on ep.user_id = n.user_id and ep.kind = n.kind
      where n.mailed_at is null and not u.banned
      order by n.id
      limit 1000`,
    )
  ).filter((row) => new Date(row.created_at).getTime() <= now.getTime());
}

/**
 * Turns notifications into messages: one email each for kinds chosen "immediate", one digest a day for "digest"
 * (gathered for an hour after the first), nothing for "never". Read or stale notifications are not emailed. Every
 * notification it decides on is marked mailed in the same transaction as its message.
 */
export async function queueNotificationEmails(
  ctx: MailContext,
): Promise<{ immediate: number; digests: number; skipped: number }> {
  const now = ctx.now ?? new Date();
  const pending = await pendingNotifications(ctx.db, now);
  let immediate = 0;
  let digests = 0;
  const skip: number[] = [];
  const digestByUser = new Map<string, Pending[]>();
  const readIds = new Set(
    pending.length === 0
      ? []
      : (
          await queryRows<{ id: number }>(
            ctx.db,
            sql`select id from notifications where id = any(${`{${pending.map((row) => row.id).join(",")}}`}::int[]) and read_at is not null`,
          )
        ).map((row) => row.id),
  );
  for (const row of pending) {
    const isStale = now.getTime() - new Date(row.created_at).getTime() > EMAIL_MAX_AGE_MS;
    if (row.delivery === "never" || readIds.has(row.id) || isStale) skip.push(row.id);
    else if (row.delivery === "digest") digestByUser.set(row.user_id, [...(digestByUser.get(row.user_id) ?? []), row]);
    else {
      const text = sentence(row);
      const link = `${ctx.baseURL}/notifications/${row.id}`;
      const foot = footer(ctx, row.user_id, row.kind, now);
      const wrote = await ctx.db.transaction(async (tx) => {
        // Claimed first: another process's mailer may have taken it meanwhile.
        const claimed = await queryRows<{ id: number }>(
          tx,
          sql`update notifications set mailed_at = ${now} where id = ${row.id} and mailed_at is null returning id`,
        );
        if (claimed.length === 0) return false;
        await tx.insert(emailOutbox).values({
          userId: row.user_id,
          toAddress: row.email,
          subject: text,
          textBody: `Hi ${row.user_name},\n\n${text}.\n\nOpen it: ${link}${foot.text}`,
          htmlBody: `<p>Hi ${escapeHtml(row.user_name)},</p><p>${escapeHtml(text)}.</p><p><a href="${escapeHtml(link)}">Open it on PeerDesk</a></p>${foot.html}`,
          kind: "notification",
          createdAt: now,
          nextAttemptAt: now,
        });
        return true;
      });
      if (wrote) immediate += 1;
    }
  }
  if (skip.length > 0)
    await ctx.db.execute(
      sql`update notifications set mailed_at = ${now} where id = any(${`{${skip.join(",")}}`}::int[])`,
    );

  for (const [userId, rows] of digestByUser) {
    const oldest = Math.min(...rows.map((row) => new Date(row.created_at).getTime()));
    if (now.getTime() - oldest < DIGEST_GATHER_MS) continue;
    const [last] = await ctx.db
      .select({ at: emailOutbox.createdAt })
      .from(emailOutbox)
      .where(and(eq(emailOutbox.userId, userId), eq(emailOutbox.kind, "digest")))
      .orderBy(desc(emailOutbox.createdAt))
      .limit(1);
    if (last && now.getTime() - last.at.getTime() < DIGEST_EVERY_MS) continue;
    const [first] = rows;
    if (!first) continue;
    const foot = footer(ctx, userId, "all", now);
    const lines = rows.map((row) => `• ${sentence(row)}: ${ctx.baseURL}/notifications/${row.id}`);
    const subject = `PeerDesk: ${rows.length} ${rows.length === 1 ? "update" : "updates"} since your last digest`;
    const wrote = await ctx.db
      .transaction(async (tx) => {
        const claimed = await queryRows<{ id: number }>(
          tx,
          sql`update notifications set mailed_at = ${now} where id = any(${`{${rows.map((row) => row.id).join(",")}}`}::int[]) and mailed_at is null returning id`,
        );
        if (claimed.length !== rows.length) throw new DigestTaken();
        await tx.insert(emailOutbox).values({
          userId,
          toAddress: first.email,
          subject,
          textBody: `Hi ${first.user_name},\n\nHere is what happened on PeerDesk:\n\n${lines.join("\n")}${foot.text}`,
          htmlBody: `<p>Hi ${escapeHtml(first.user_name)},</p><p>Here is what happened on PeerDesk:</p><ul>${rows
            .map(
              (row) =>
                `<li><a href="${escapeHtml(`${ctx.baseURL}/notifications/${row.id}`)}">${escapeHtml(sentence(row))}</a></li>`,
            )
            .join("")}</ul>${foot.html}`,
          kind: "digest",
          createdAt: now,
          nextAttemptAt: now,
        });
        return true;
      })
      .catch((error: unknown) => {
        // Another process is writing this person's digest: leave it to them (the transaction rolled back).
        if (error instanceof DigestTaken) return false;
        throw error;
      });
    if (wrote) digests += 1;
  }
  return { immediate, digests, skipped: skip.length };
}

// ---------- sending ----------

export type MailTransport = Pick<Transporter, "sendMail">;

/**
 * Sends due messages through `transport`, each claimed first (a lease, so two processes never send one twice);
 * a failure is retried with backoff (1 min, 2, 4 … up to 6 h) and given up after eight attempts.
 */
export async function sendPendingEmails(
  db: Db,
  transport: MailTransport,
  { from, now = new Date(), batch = 50 }: { from: string; now?: Date; batch?: number },
): Promise<{ sent: number; failed: number }> {
  const claimed = await queryRows<{
    id: number;
    to_address: string;
    subject: string;
    text_body: string;
    html_body: string;
    attempts: number;
  }>(
    db,
    sql`
      update email_outbox set next_attempt_at = ${new Date(now.getTime() + 10 * 60_000)}, attempts = attempts + 1
      where id in (select id from email_outbox where status = 'pending' and next_attempt_at <= ${now} order by id limit ${batch})
      returning id, to_address, subject, text_body, html_body, attempts`,
  );
  let sent = 0;
  let failed = 0;
  for (const message of claimed) {
    const unsubscribe = /https?:\/\/\S+\/unsubscribe\?token=[\w.-]+/.exec(message.text_body)?.[0];
    try {
      await transport.sendMail({
        from,
        to: message.to_address,
        subject: message.subject,
        text: message.text_body,
        html: message.html_body,
        ...(unsubscribe ? { list: { unsubscribe } } : {}),
      });
      await db.execute(
        sql`update email_outbox set status = 'sent', sent_at = ${new Date()}, last_error = null where id = ${message.id}`,
      );
      sent += 1;
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).slice(0, 500);
      const giveUp = message.attempts >= MAX_ATTEMPTS;
      const backoffMinutes = Math.min(360, 2 ** (message.attempts - 1));
      await db.execute(sql`
        update email_outbox set last_error = ${reason}, status = ${giveUp ? "failed" : "pending"},
          next_attempt_at = ${new Date(now.getTime() + backoffMinutes * 60_000)}
        where id = ${message.id}`);
      failed += 1;
    }
  }
  return { sent, failed };
}

export async function listOutbox(db: Db, limit = 50) {
  return db
    .select({
      id: emailOutbox.id,
      toAddress: emailOutbox.toAddress,
      subject: emailOutbox.subject,
      kind: emailOutbox.kind,
      status: emailOutbox.status,
      attempts: emailOutbox.attempts,
      lastError: emailOutbox.lastError,
      createdAt: emailOutbox.createdAt,
      sentAt: emailOutbox.sentAt,
    })
    .from(emailOutbox)
    .orderBy(desc(emailOutbox.id))
    .limit(limit);
}

export async function getOutboxMessage(db: Db, id: number) {
  const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.id, id)).limit(1);
  return row ?? null;
}

/**
 * The mailer in this process: every `intervalMs`, writes messages for new notifications and sends what is due
 * (when there is a transport). Errors are logged once per distinct message; the loop never stops on one.
 */
export function startMailer(
  ctx: Omit<MailContext, "now"> & {
    transport: MailTransport | null;
    from: string;
    intervalMs?: number;
    log: (level: "info" | "error", msg: string, fields: Record<string, unknown>) => void;
  },
): { stop: () => Promise<void> } {
  let lastError = "";
  const tick = async () => {
    try {
      const queued = await queueNotificationEmails(ctx);
      const sent = ctx.transport
        ? await sendPendingEmails(ctx.db, ctx.transport, { from: ctx.from })
        : { sent: 0, failed: 0 };
      if (queued.immediate + queued.digests + sent.sent + sent.failed > 0)
        ctx.log("info", "mailer", { ...queued, ...sent, smtp: ctx.transport !== null });
      lastError = "";
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message !== lastError) ctx.log("error", "mailer failed", { error: message });
      lastError = message;
    }
  };
  return startLoop(tick, ctx.intervalMs ?? 30_000);
}
