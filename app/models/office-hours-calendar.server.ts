/** A hosted Q&A session as an iCalendar file, for "add to calendar". */
import addressparser from "nodemailer/lib/addressparser/index.js";
import type { OfficeHoursView } from "./office-hours-lists.server";

function icsEscape(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/\n/g, "\\n")
    .replace(/([,;])/g, "\\$1");
}

function icsDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/**
 * A parameter value (RFC 5545 §3.1): quoted, so commas, colons and semicolons are plain text; a quoted value cannot
 * hold a double quote or a control character (a line break would end the line), so those are dropped.
 */
function icsParamValue(text: string): string {
  return `"${text.replace(/[\p{Cc}"]/gu, "")}"`;
}

/**
 * The address the site sends its email from (MAIL_FROM: "PeerDesk <no-reply@example.org>" or a bare address), the
 * calendar event's organizer: never the host's own address, which is private. Null when none can be read from it.
 */
export function sendingAddress(mailFrom: string): string | null {
  const [first] = addressparser(mailFrom, { flatten: true });
  return first?.address ? first.address : null;
}

/**
 * The ORGANIZER line RFC 5546 asks of a published or cancelled event (some calendars ignore a cancellation without
 * one): the host's name, at the site's sending address.
 */
function organizerLine(hostName: string, organizerAddress: string): string {
  const name = icsParamValue(hostName.trim());
  return `ORGANIZER${name === '""' ? "" : `;CN=${name}`}:mailto:${encodeURI(organizerAddress)}`;
}

/** Longest content line, in octets, without its CRLF (RFC 5545 §3.1). */
const LINE_OCTETS = 75;

/**
 * Folds a content line at 75 octets, each continuation starting with a space (counted in its 75). Cuts fall between
 * characters, never inside one: a calendar that reads the octets of an emoji split in two shows two U+FFFD instead.
 */
export function foldIcsLine(line: string): string {
  const out: string[] = [];
  let current = "";
  let octets = 0;
  for (const character of line) {
    const size = Buffer.byteLength(character);
    if (octets + size > LINE_OCTETS) {
      out.push(current);
      current = " ";
      octets = 1;
    }
    current += character;
    octets += size;
  }
  out.push(current);
  return out.join("\r\n");
}

/**
 * The session as an iCalendar event (RFC 5545), times in UTC. A cancelled one is sent as a cancellation of the same
 * event (METHOD:CANCEL, STATUS:CANCELLED, a higher SEQUENCE), so a calendar that has it crosses it out or removes it;
 * a moved one, by its higher SEQUENCE, replaces the copy a calendar holds. `organizerAddress`: the site's sending
 * address (sendingAddress), named as the organizer with the host's name; no ORGANIZER line when there is none.
 */
export function officeHoursIcs(
  session: Pick<
    OfficeHoursView,
    "id" | "title" | "startsAt" | "endsAt" | "hostName" | "spaceName" | "revision" | "cancelledAt"
  >,
  url: string,
  { now = new Date(), organizerAddress = null }: { now?: Date; organizerAddress?: string | null } = {},
): string {
  const isCancelled = session.cancelledAt !== null;
  const summary = `${isCancelled ? "Cancelled: " : ""}${session.title} (PeerDesk Q&A)`;
  // Not "the host": a moderator may have cancelled it.
  const description = isCancelled
    ? `This session was cancelled. Details at ${url}`
    : `Hosted by ${session.hostName} in ${session.spaceName}. Ask your questions at ${url}`;
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//PeerDesk//Q&A sessions//EN",
    "CALSCALE:GREGORIAN",
    `METHOD:${isCancelled ? "CANCEL" : "PUBLISH"}`,
    "BEGIN:VEVENT",
    `UID:session-${session.id}@peerdesk`,
    `SEQUENCE:${session.revision}`,
    ...(organizerAddress ? [organizerLine(session.hostName, organizerAddress)] : []),
    `DTSTAMP:${icsDate(now)}`,
    `DTSTART:${icsDate(session.startsAt)}`,
    `DTEND:${icsDate(session.endsAt)}`,
    `STATUS:${isCancelled ? "CANCELLED" : "CONFIRMED"}`,
    `SUMMARY:${icsEscape(summary)}`,
    `DESCRIPTION:${icsEscape(description)}`,
    `URL:${url}`,
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return `${lines.map(foldIcsLine).join("\r\n")}\r\n`;
}
