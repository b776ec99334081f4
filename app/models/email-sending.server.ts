/**
 * Sending the email outbox: through SMTP when SMTP_URL is set (each message leased, retried with backoff); without
 * SMTP the messages stay in the outbox for admins (/admin/mail). The mailer loop writes and sends in each process.
 */
import { asc, desc, eq, gt, lt, sql } from "drizzle-orm";
import type { Transporter } from "nodemailer";
import { type Db, queryRows } from "#db/client.server";
import { emailOutbox } from "#db/schema";
import { withoutSecrets } from "~/lib/log.server";
import { startLoop } from "~/lib/loop.server";
import { type MailContext, queueNotificationEmails } from "./email.server";

const MAX_ATTEMPTS = 8;

export type MailTransport = Pick<Transporter, "sendMail">;

/**
 * Sends due messages through `transport`, each claimed first (a lease, so two processes never send one twice);
 * a failure is retried with backoff (1 min, 2, 4 … up to 6 h) and given up after eight attempts.
 */
export async function sendPendingEmails(
  db: Db,
  transport: MailTransport,
  {
    from,
    now = new Date(),
    batch = 50,
    onFailure,
  }: { from: string; now?: Date; batch?: number; onFailure?: (reason: string) => void },
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
    // The footer's link, which comes last: a title or name earlier in the text may look like one too.
    const unsubscribe = [...message.text_body.matchAll(/https?:\/\/\S+\/unsubscribe\?token=[\w.-]+/g)].at(-1)?.[0];
    try {
      await transport.sendMail({
        from,
        to: message.to_address,
        subject: message.subject,
        text: message.text_body,
        html: message.html_body,
        // One-click unsubscribe (RFC 8058): the mail app POSTs to the link itself (routes/unsubscribe.tsx).
        ...(unsubscribe
          ? { list: { unsubscribe }, headers: { "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" } }
          : {}),
      });
      await db.execute(
        sql`update email_outbox set status = 'sent', sent_at = ${new Date()}, last_error = null where id = ${message.id}`,
      );
      sent += 1;
    } catch (error) {
      // Shown at /admin/mail and in the log: an SMTP address's user:password@ is left out.
      const reason = withoutSecrets(error instanceof Error ? error.message : String(error)).slice(0, 500);
      onFailure?.(reason);
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

/** Messages on one page of /admin/mail. */
export const OUTBOX_PAGE_SIZE = 50;

const outboxListColumns = {
  id: emailOutbox.id,
  toAddress: emailOutbox.toAddress,
  subject: emailOutbox.subject,
  kind: emailOutbox.kind,
  status: emailOutbox.status,
  attempts: emailOutbox.attempts,
  lastError: emailOutbox.lastError,
  createdAt: emailOutbox.createdAt,
  sentAt: emailOutbox.sentAt,
};

/**
 * One page of the outbox, newest first: the newest messages, those older than `before`, or those just newer than
 * `after` (a page back towards the newest). Keyed by id, so a message written meanwhile never shifts a page; the
 * cursors of the pages either side are null where there is nothing more.
 */
export async function listOutbox(
  db: Db,
  { before, after, limit = OUTBOX_PAGE_SIZE }: { before?: number; after?: number; limit?: number } = {},
) {
  const isNewerPage = before === undefined && after !== undefined;
  const rows = isNewerPage
    ? (
        await db
          .select(outboxListColumns)
          .from(emailOutbox)
          .where(gt(emailOutbox.id, after))
          .orderBy(asc(emailOutbox.id))
          .limit(limit + 1)
      ).reverse()
    : await db
        .select(outboxListColumns)
        .from(emailOutbox)
        .where(before === undefined ? undefined : lt(emailOutbox.id, before))
        .orderBy(desc(emailOutbox.id))
        .limit(limit + 1);
  // The extra row fetched says whether there is more in the direction of travel.
  const hasMore = rows.length > limit;
  const messages = isNewerPage ? rows.slice(rows.length - Math.min(rows.length, limit)) : rows.slice(0, limit);
  const newest = messages[0]?.id;
  const oldest = messages[messages.length - 1]?.id;
  const isAny = async (where: ReturnType<typeof gt>) =>
    (await db.select({ id: emailOutbox.id }).from(emailOutbox).where(where).limit(1)).length > 0;
  const hasOlder = isNewerPage ? oldest !== undefined && (await isAny(lt(emailOutbox.id, oldest))) : hasMore;
  const hasNewer = isNewerPage ? hasMore : newest !== undefined && (await isAny(gt(emailOutbox.id, newest)));
  return {
    messages,
    olderBefore: hasOlder && oldest !== undefined ? oldest : null,
    newerAfter: hasNewer && newest !== undefined ? newest : null,
  };
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
      // The operator reads why from the log line too, not only at /admin/mail.
      let firstFailure: string | undefined;
      const sent = ctx.transport
        ? await sendPendingEmails(ctx.db, ctx.transport, {
            from: ctx.from,
            onFailure: (reason) => {
              firstFailure ??= reason;
            },
          })
        : { sent: 0, failed: 0 };
      if (queued.immediate + queued.digests + sent.sent + sent.failed > 0)
        ctx.log("info", "mailer", { ...queued, ...sent, smtp: ctx.transport !== null, firstFailure });
      lastError = "";
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message !== lastError) ctx.log("error", "mailer failed", { error: message });
      lastError = message;
    }
  };
  return startLoop(tick, ctx.intervalMs ?? 30_000);
}
