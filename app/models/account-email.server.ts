/**
 * Email about a person's own account (a password reset link, confirming a new address, notices that the password or
 * address changed), written to the same `email_outbox` as notification email: sent through SMTP when it is set up,
 * readable at /admin/mail otherwise.
 */
import { and, count, eq, gt, inArray, lte, min } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { emailOutbox, writeLimits } from "#db/schema";
import { EMAIL_CHANGE_LINK_MINUTES, RESET_LINK_MINUTES } from "~/lib/accounts";
import { aboutMinutes } from "~/lib/wait-time";
import { hasPassword } from "./two-factor.server";

export { EMAIL_CHANGE_LINK_MINUTES, RESET_LINK_MINUTES };
/** At most this many reset (or confirmation) emails an hour to one account, however often the form is sent. */
const RESET_EMAILS_PER_HOUR = 3;

type AccountMailKind = "password_reset" | "email_verification" | "email_change" | "account_notice";
type Recipient = { id: string; name: string; email: string };

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

type Message = {
  userId: string;
  to: string;
  name: string;
  subject: string;
  paragraphs: string[];
  link?: { url: string; label: string };
  kind: AccountMailKind;
};

async function queue(db: Db, message: Message) {
  const now = new Date();
  const { link } = message;
  const text = [
    `Hi ${message.name},`,
    ...message.paragraphs,
    ...(link ? [`${link.label}: ${link.url}`] : []),
    "— PeerDesk",
  ].join("\n\n");
  const html = [
    `<p>Hi ${escapeHtml(message.name)},</p>`,
    ...message.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    link ? `<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></p>` : "",
    "<p>— PeerDesk</p>",
  ].join("");
  await db.insert(emailOutbox).values({
    userId: message.userId,
    toAddress: message.to,
    subject: message.subject,
    textBody: text,
    htmlBody: html,
    kind: message.kind,
    createdAt: now,
    nextAttemptAt: now,
  });
}

/**
 * The reset link for `token`, unless this account already got enough of them this hour (then nothing is sent). An
 * account made through single sign-on has no password yet: its email says the link sets a first one, and that the
 * workplace sign-in keeps working.
 */
export async function queuePasswordResetEmail(
  db: Db,
  { baseURL, user, token, now = new Date() }: { baseURL: string; user: Recipient; token: string; now?: Date },
): Promise<boolean> {
  if ((await passwordResetEmailWait(db, user.id, now)) !== null) return false;
  const url = `${baseURL}/reset-password?token=${encodeURIComponent(token)}`;
  const firstPassword = !(await hasPassword(db, user.id));
  await queue(db, {
    userId: user.id,
    to: user.email,
    name: user.name,
    kind: "password_reset",
    ...(firstPassword
      ? {
          subject: "Set a password for your PeerDesk account",
          paragraphs: [
            "Someone (we hope you) asked to set a password for your PeerDesk account. You sign in through your workplace sign-in, so the account has no password yet.",
            `Open the link below to choose one. It works once, within ${RESET_LINK_MINUTES} minutes. You can keep signing in through your workplace sign-in as well.`,
            "If you didn't ask for this, you can ignore this email: your account stays without a password.",
          ],
          link: { url, label: "Choose a password" },
        }
      : {
          subject: "Reset your PeerDesk password",
          paragraphs: [
            "Someone (we hope you) asked to reset the password of your PeerDesk account.",
            `Open the link below to choose a new password. It works once, within ${RESET_LINK_MINUTES} minutes.`,
            "If you didn't ask for this, you can ignore this email: your password stays as it is.",
          ],
          link: { url, label: "Choose a new password" },
        }),
  });
  return true;
}

/** Seconds until the account may be sent another email of these kinds, or null when it may now (a few an hour). */
async function accountEmailWait(db: Db, userId: string, kinds: AccountMailKind[], now: Date): Promise<number | null> {
  const hour = 60 * 60_000;
  const [recent] = await db
    .select({ n: count(), oldest: min(emailOutbox.createdAt) })
    .from(emailOutbox)
    .where(
      and(
        eq(emailOutbox.userId, userId),
        inArray(emailOutbox.kind, kinds),
        gt(emailOutbox.createdAt, new Date(now.getTime() - hour)),
      ),
    );
  if (!recent || recent.n < RESET_EMAILS_PER_HOUR || !recent.oldest) return null;
  return Math.max(1, Math.ceil((recent.oldest.getTime() + hour - now.getTime()) / 1000));
}

/**
 * Seconds until the account may be sent another password link, or null when it may now: "Set a password" in settings
 * says so instead of promising an email that would not be sent.
 */
export function passwordResetEmailWait(db: Db, userId: string, now = new Date()): Promise<number | null> {
  return accountEmailWait(db, userId, ["password_reset"], now);
}

/** What a person who asked for one password link too many is told. */
export function passwordResetEmailWaitMessage(retryAfterSeconds: number): string {
  return `We've sent you several password links in the last hour, so we can't send another just now. Please try again in ${aboutMinutes(retryAfterSeconds)}, and check your spam folder meanwhile.`;
}

/**
 * Seconds until the account may be sent another confirmation link ("Send the link again" on /verify-email, a change
 * of address in settings), or null when it may now: at most a few an hour reach one account, however often asked.
 */
export function confirmationEmailWait(db: Db, userId: string, now = new Date()): Promise<number | null> {
  return accountEmailWait(db, userId, ["email_verification", "email_change"], now);
}

/** What a person who asked for one confirmation link too many is told, wherever they asked. */
export function confirmationEmailWaitMessage(retryAfterSeconds: number): string {
  return `We've sent you several confirmation links in the last hour, so we can't send another just now. Please try again in ${aboutMinutes(retryAfterSeconds)}, and check your spam folder meanwhile.`;
}

/**
 * The link that confirms an address: for a change of address it goes to the new address (`user.email` is the new one
 * here, as better-auth passes it); otherwise it confirms the account's own address. False when nothing was sent
 * because the account had enough of them this hour (confirmationEmailWait says how long until the next).
 */
export async function queueEmailConfirmation(
  db: Db,
  { baseURL, user, token, newAddress }: { baseURL: string; user: Recipient; token: string; newAddress: boolean },
): Promise<boolean> {
  if ((await confirmationEmailWait(db, user.id)) !== null) return false;
  await queue(db, {
    userId: user.id,
    to: user.email,
    name: user.name,
    kind: newAddress ? "email_change" : "email_verification",
    subject: newAddress ? "Confirm your new PeerDesk email address" : "Confirm your PeerDesk email address",
    paragraphs: [
      newAddress
        ? `You asked to sign in to PeerDesk with this address (${user.email}) from now on.`
        : `Please confirm that ${user.email} is your address.`,
      newAddress
        ? `Open the link below and confirm. It works for ${EMAIL_CHANGE_LINK_MINUTES} minutes. Until then nothing changes.`
        : `Open the link below and confirm. It works for ${EMAIL_CHANGE_LINK_MINUTES} minutes. Until then you can read and write drafts, but not post.`,
      "If you didn't ask for this, you can ignore this email.",
    ],
    link: {
      url: `${baseURL}/${newAddress ? "confirm-email" : "verify-email"}?token=${encodeURIComponent(token)}`,
      label: "Confirm this address",
    },
  });
  return true;
}

/** "Send the link again" is answered "sent" at most once in this many seconds; a second press hears it was just sent. */
export const CONFIRMATION_RESEND_SECONDS = 60;

/**
 * Claims this account's one confirmation resend of the short window, in one upsert (two presses at once can't both
 * win): true when this press may send, false when a link was sent a moment ago. Kept in `write_limits` by its own key.
 */
export async function claimConfirmationResend(db: Db, userId: string, now = new Date()): Promise<boolean> {
  const windowFloor = new Date(now.getTime() - CONFIRMATION_RESEND_SECONDS * 1000);
  const claimed = await db
    .insert(writeLimits)
    .values({ key: `confirmationResend:${userId}`, windowStart: now, count: 1 })
    .onConflictDoUpdate({
      target: writeLimits.key,
      set: { windowStart: now, count: 1 },
      setWhere: lte(writeLimits.windowStart, windowFloor),
    })
    .returning({ key: writeLimits.key });
  return claimed.length > 0;
}

/** Gives the short window back when the claimed press sent nothing after all, so the next press isn't told "just sent". */
export async function releaseConfirmationResend(db: Db, userId: string): Promise<void> {
  await db.delete(writeLimits).where(eq(writeLimits.key, `confirmationResend:${userId}`));
}

/** What the second of two quick "Send the link again" presses is told: the first one's link is on its way. */
export function confirmationJustSentMessage(email: string): string {
  return `We sent a link to ${email} a moment ago. It works for an hour, so please use that one; check your spam folder if it hasn't arrived. You can ask for another in a minute.`;
}

/** Tells the old address that the account now uses another one. */
export async function queueEmailChangedNotice(
  db: Db,
  { baseURL, user, oldEmail }: { baseURL: string; user: Recipient; oldEmail: string },
): Promise<void> {
  await queue(db, {
    userId: user.id,
    to: oldEmail,
    name: user.name,
    kind: "account_notice",
    subject: "Your PeerDesk email address was changed",
    paragraphs: [
      `Your PeerDesk account now signs in with ${user.email} instead of this address (${oldEmail}).`,
      "If you made this change, there is nothing to do. If you didn't, contact the site's administrators right away.",
    ],
    link: { url: `${baseURL}/settings/account`, label: "Account settings" },
  });
}

const PASSWORD_NOTICES = {
  changed:
    "The password of your PeerDesk account was just changed in its settings, and your other devices were signed out.",
  reset:
    "The password of your PeerDesk account was just reset with a link sent to this address, and every device was signed out.",
  set: "Your PeerDesk account now has a password, chosen with a link sent to this address, and every device was signed out.",
};

/** Tells the account's address that its password was changed or reset, with the way back if it wasn't them. */
export async function queuePasswordChangedNotice(
  db: Db,
  { baseURL, user, how }: { baseURL: string; user: Recipient; how: "changed" | "reset" | "set" },
): Promise<void> {
  await queue(db, {
    userId: user.id,
    to: user.email,
    name: user.name,
    kind: "account_notice",
    subject: how === "set" ? "A password was set for your PeerDesk account" : "Your PeerDesk password was changed",
    paragraphs: [
      PASSWORD_NOTICES[how],
      "If that was you, there is nothing to do. If it wasn't, reset your password now with the link below.",
    ],
    link: { url: `${baseURL}/forgot-password`, label: "Reset your password" },
  });
}
