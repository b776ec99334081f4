/**
 * Email about notifications, written to `email_outbox`: one message per notification for kinds a person wants at
 * once, and a daily digest for the rest (sending is email-sending.server.ts; preferences and unsubscribe links are
 * email-preferences.server.ts).
 */
import { capitalised } from "~/lib/plain-text";
import { and, desc, eq, sql } from "drizzle-orm";
import { type Db, queryRows } from "#db/client.server";
import { EMAIL_KIND_TOPICS } from "~/lib/email";
import { sessionMove } from "~/lib/office-hours";
import { isTimeZone, isUtcOffsetChanged } from "~/lib/time-zones";
import { nameInThread } from "./anonymity.server";
import {
  aboutGoneContent,
  emailSettingKind,
  followedSessionTags,
  suggestionOutcome,
  tagsInWords,
} from "./notifications.server";
import { EMAIL_DEFAULTS, unsubscribeToken } from "./email-preferences.server";
import { type EmailDelivery, NOTIFICATION_KINDS, type NotificationKind, emailOutbox } from "#db/schema";

/** A digest waits this long after its oldest notification, and comes at most once a day. */
const DIGEST_GATHER_MS = 60 * 60_000;
const DIGEST_EVERY_MS = 24 * 60 * 60_000;
/** Notifications older than this are never emailed (a mailer that was down does not flood inboxes later). */
const EMAIL_MAX_AGE_MS = 2 * 24 * 60 * 60_000;

type Pending = {
  id: number;
  user_id: string;
  email: string;
  user_name: string;
  kind: NotificationKind;
  /** The kind whose email setting it goes by (emailSettingKind), and whose emails its footer's link stops. */
  email_kind: NotificationKind;
  delivery: EmailDelivery;
  actor_name: string | null;
  title: string | null;
  post_kind: string | null;
  created_at: Date | string;
  is_gone: boolean;
  /** The session's start and end as they are now (a "changed the time" email says them), and the recipient's profile time zone. */
  starts_at: Date | string | null;
  ends_at: Date | string | null;
  time_zone: string | null;
  /** A session's space, as it is now (a "scheduled" email says where, for those told because they follow it). */
  space_name: string | null;
  /** A session's tags the recipient follows, as they are now (a "scheduled" email names them: why they are told). */
  followed_tags: string[] | null;
  /** A "session_changed" email: the times before the move (null for notices from before they were recorded). */
  previous_starts_at: Date | string | null;
  previous_ends_at: Date | string | null;
  /** For a "suggestion_decided" email: what became of the recipient's suggested edit. */
  suggestion_status: string | null;
  /** For a "moderation" email: what the notice on the site says ("A moderator removed your answer in …"). */
  notice_message: string | null;
};

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

const sessionTimeFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * "Tue, 8 Dec 2026, 15:00 (Europe/Berlin)" in the recipient's profile time zone, or "…, 15:00 UTC" when they have none:
 * an email can't know where it is read, so it names the zone it uses.
 */
export function sessionTimeInZone(date: Date, timeZone: string | null): string {
  const zone = timeZone && isTimeZone(timeZone) ? timeZone : "UTC";
  return `${sessionTimeFormat(zone).format(date)}${zoneSuffix(zone)}`;
}

/**
 * A session's times, "Tue, 8 Dec 2026, 15:00–17:00 (Europe/Berlin)" (both days when it crosses midnight there), in
 * the recipient's profile time zone or UTC, as sessionTimeInZone.
 */
export function sessionTimesInZone(
  starts: Date,
  ends: Date,
  timeZone: string | null,
  { withZone = true }: { withZone?: boolean } = {},
): string {
  const zone = timeZone && isTimeZone(timeZone) ? timeZone : "UTC";
  const suffix = withZone ? zoneSuffix(zone) : "";
  // Clocks that change in between give each end its offset ("23:30 GMT-5 – 03:30 GMT-4" is 3 hours, not 4), each in
  // full: a range on one day would say the offset once ("00:30–03:30 BST" for 2 hours).
  if (isUtcOffsetChanged(starts, ends, zone)) {
    const withOffset = sessionTimeFormat(zone, true);
    return `${withOffset.format(starts)} – ${withOffset.format(ends)}${suffix}`;
  }
  return `${sessionTimeFormat(zone).formatRange(starts, ends)}${suffix}`;
}

const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** "15:00" in the recipient's zone (or UTC) when `date` falls on the same day there as `sameDayAs`, else with the day. */
function sessionClockInZone(date: Date, sameDayAs: Date, timeZone: string | null): string {
  const zone = timeZone && isTimeZone(timeZone) ? timeZone : "UTC";
  let clock = clockFormats.get(zone);
  if (!clock) {
    clock = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: zone });
    clockFormats.set(zone, clock);
  }
  const day = (d: Date) => d.toLocaleDateString("en-CA", { timeZone: zone });
  return day(date) === day(sameDayAs) ? clock.format(date) : sessionTimeFormat(zone).format(date);
}

const zoneSuffix = (zone: string) => (zone === "UTC" ? " UTC" : ` (${zone})`);

function sessionTimeFormat(zone: string, withOffset = false): Intl.DateTimeFormat {
  const key = withOffset ? `${zone} offset` : zone;
  let format = sessionTimeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", {
      weekday: "short",
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      timeZone: zone,
      ...(withOffset ? { timeZoneName: "short" } : {}),
    });
    sessionTimeFormats.set(key, format);
  }
  return format;
}

/** "… moved “X” from <old times> to <new times>", or that only its end moved; the times in the recipient's zone. */
function sessionChangedSentence(who: string, title: string, row: Pending): string {
  if (!row.starts_at || !row.ends_at) return `${who} changed the time of ${title}`;
  const now = { startsAt: new Date(row.starts_at), endsAt: new Date(row.ends_at) };
  const newTimes = sessionTimesInZone(now.startsAt, now.endsAt, row.time_zone);
  const previous = {
    startsAt: row.previous_starts_at ? new Date(row.previous_starts_at) : null,
    endsAt: row.previous_ends_at ? new Date(row.previous_ends_at) : null,
  };
  const move = sessionMove(previous, now);
  if (move === "start" && previous.startsAt && previous.endsAt)
    return `${who} moved ${title} from ${sessionTimesInZone(previous.startsAt, previous.endsAt, row.time_zone, { withZone: false })} to ${newTimes}`;
  if (move === "end" && previous.endsAt)
    return `${who} changed when ${title} ends: it is now on ${newTimes} (it was to end at ${sessionClockInZone(previous.endsAt, now.endsAt, row.time_zone)})`;
  return `${who} changed the time of ${title}: it is now on ${newTimes}`;
}

/** The line an email says about a notification, starting with a capital whoever acted ("someone from the community"). */
function sentence(row: Pending): string {
  return capitalised(sentenceAsWritten(row));
}

function sentenceAsWritten(row: Pending): string {
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
    case "session_scheduled": {
      // Which of its tags they follow (why they are told, when that is why), where and when: the sentence is true
      // whether they follow its tags, its space or its host.
      const topics = row.followed_tags?.length ? ` on ${tagsInWords(row.followed_tags)}` : "";
      const where = row.space_name ? ` in ${row.space_name}` : "";
      const when =
        row.starts_at && row.ends_at
          ? ` for ${sessionTimesInZone(new Date(row.starts_at), new Date(row.ends_at), row.time_zone)}`
          : "";
      return `${who} scheduled the Q&A session ${title}${topics}${where}${when}`;
    }
    case "session_starting":
      return `${title}, hosted by ${who}, is starting`;
    case "feedback_request":
      return `How well were you helped with ${title}? Rate it in one tap`;
    case "session_changed":
      return sessionChangedSentence(who, title, row);
    case "session_cancelled":
      return `${who} cancelled ${title}`;
    case "session_answered":
      return `${who} answered your question in ${title}`;
    case "rating":
      return `${who} rated the help you gave on ${title}`;
    case "thanks":
      return `${who} thanked you for your answer to ${title}`;
    case "suggestion":
      return `${who} suggested an edit to your how-to ${title}`;
    case "suggestion_decided":
      return row.suggestion_status === "accepted"
        ? `${who} accepted your suggested edit to ${title}`
        : `${who} didn't take your suggested edit to ${title}`;
    // The notice's first sentence says what happened to what (a moderator's note stays on the site, behind the link).
    case "moderation":
      return noticeHeadline(row.notice_message) ?? "A moderator reviewed something you flagged or posted";
    default:
      return row.post_kind === "howto" ? `${who} published the how-to ${title}` : `${who} asked ${title}`;
  }
}

/**
 * The first sentence of a moderation notice, without its full stop (the email adds one); null when there is none. The
 * sentence ends after the quoted title, if there is one: a title's own "!" or "?" is not the end ("“Help! Outlook…”").
 */
export function noticeHeadline(message: string | null): string | null {
  const text = message?.trim() ?? "";
  const closing = text.indexOf("”");
  const from = closing >= 0 ? closing + 1 : 0;
  const end = text.slice(from).search(/[.!?](?:\s|$)/);
  const first = (end < 0 ? text : text.slice(0, from + end + 1)).replace(/\.$/, "");
  return first || null;
}

class DigestTaken extends Error {}

export type MailContext = { db: Db; baseURL: string; secret: string; now?: Date };

/**
 * The footer's offer to stop, naming what the link stops: one kind, or (from a digest, whose link turns off every kind)
 * all of them.
 */
export function stopEmailsLine(kind: NotificationKind | "all"): string {
  return kind === "all" ? "Stop all notification emails from PeerDesk" : `Stop emails about ${EMAIL_KIND_TOPICS[kind]}`;
}

/** Said on every "all" page: a digest's link stops notification emails only, never the account's own. */
const ACCOUNT_EMAILS_STAY = "You'll still get emails about your account, such as password resets.";

/** What the /unsubscribe page asks before, and says after, turning off what a link names (as its email's footer did). */
export function unsubscribeWording(kind: NotificationKind | "all"): { question: string; done: string } {
  if (kind === "all")
    return {
      question: `${stopEmailsLine("all")}? ${ACCOUNT_EMAILS_STAY}`,
      done: `Done: you won't get notification emails from PeerDesk any more. ${ACCOUNT_EMAILS_STAY}`,
    };
  return {
    question: `${stopEmailsLine(kind)}?`,
    done: `Done: you won't get emails about ${EMAIL_KIND_TOPICS[kind]} any more.`,
  };
}

function footer(ctx: MailContext, userId: string, kind: NotificationKind | "all", now: Date) {
  const token = unsubscribeToken(ctx.secret, { userId, kind }, new Date(now.getTime() + 90 * 24 * 60 * 60_000));
  const unsubscribeUrl = `${ctx.baseURL}/unsubscribe?token=${token}`;
  const settingsUrl = `${ctx.baseURL}/settings/notifications`;
  const stop = stopEmailsLine(kind);
  return {
    unsubscribeUrl,
    text: `\n\n—\n${stop}: ${unsubscribeUrl}\nChoose what PeerDesk emails you: ${settingsUrl}\n`,
    html: [
      `<p style="color:#555;font-size:12px">${escapeHtml(stop)}:`,
      `<a href="${escapeHtml(unsubscribeUrl)}">unsubscribe</a> ·`,
      `<a href="${escapeHtml(settingsUrl)}">email settings</a></p>`,
    ].join(" "),
  };
}

/**
 * Pending notifications (not read, not yet mailed, recent) with each person's choice for their kind. Only to confirmed
 * addresses of living accounts: anyone can sign up with a stranger's address, and a deleted account's is a placeholder.
 * Those notifications stay in the site and unmailed (once the address is confirmed, recent ones are mailed).
 */
async function pendingNotifications(db: Db, now: Date): Promise<Pending[]> {
  return (
    await queryRows<Pending>(
      db,
      sql`
      select n.id, n.user_id, u.email, u.name as user_name, u.time_zone, s.starts_at, s.ends_at, sp.name as space_name,
        case when n.kind = 'session_scheduled' then ${followedSessionTags(sql`n.user_id`, sql`s.tags`)} end
          as followed_tags,
        n.kind,
        n.previous_starts_at, n.previous_ends_at,
        ${nameInThread(sql`n.post_id`, sql`n.actor_id`, sql`a.name`)} as actor_name, p.kind as post_kind,
        coalesce(s.title, case when p.kind = 'answer' then q.title else p.title end, '') as title, n.created_at,
        ${aboutGoneContent(sql`n.kind`, sql`n.post_id`, sql`n.comment_id`)} as is_gone,
        case when n.kind = 'suggestion_decided' then ${suggestionOutcome(sql`n.post_id`, sql`n.user_id`)} end
          as suggestion_status,
        mn.message as notice_message,
        ek.kind as email_kind, coalesce(ep.delivery, case ek.kind
          ${sql.join(
            NOTIFICATION_KINDS.map((kind) => sql`when ${kind} then ${EMAIL_DEFAULTS[kind]}`),
            sql` `,
          )} end) as delivery
      from notifications n
      join users u on u.id = n.user_id
      cross join lateral (select ${emailSettingKind(sql`n.kind`, sql`n.user_id`, sql`n.session_id`)} as kind) ek
      left join posts p on p.id = n.post_id
      left join posts q on q.id = p.parent_id
      left join qa_sessions s on s.id = n.session_id
      left join spaces sp on sp.id = s.space_id
      left join users a on a.id = n.actor_id
      left join email_preferences ep on ep.user_id = n.user_id and ep.kind = ek.kind
      left join moderation_notices mn on mn.id = n.notice_id
      where n.mailed_at is null and not u.banned and u.email_verified and u.deleted_at is null
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
    // A session starting is news for its hour only: a digest would bring it after the session (it stays in the site).
    const isPastItsHour = row.kind === "session_starting" && row.delivery === "digest";
    // About a post or comment a moderator removed: never mailed (its title may be why it was removed).
    if (row.delivery === "never" || readIds.has(row.id) || isStale || row.is_gone || isPastItsHour) skip.push(row.id);
    else if (row.delivery === "digest") digestByUser.set(row.user_id, [...(digestByUser.get(row.user_id) ?? []), row]);
    else {
      const text = sentence(row);
      const link = `${ctx.baseURL}/notifications/${row.id}`;
      const foot = footer(ctx, row.user_id, row.email_kind, now);
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
          htmlBody:
            `<p>Hi ${escapeHtml(row.user_name)},</p><p>${escapeHtml(text)}.</p>` +
            `<p><a href="${escapeHtml(link)}">Open it on PeerDesk</a></p>${foot.html}`,
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
          sql`update notifications set mailed_at = ${now}
              where id = any(${`{${rows.map((row) => row.id).join(",")}}`}::int[]) and mailed_at is null returning id`,
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
