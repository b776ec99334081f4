/** A hosted Q&A session as an iCalendar file, for "add to calendar". */
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

/** The session as an iCalendar event (RFC 5545), lines folded at 75 octets, times in UTC. */
export function officeHoursIcs(
  session: Pick<OfficeHoursView, "id" | "title" | "startsAt" | "endsAt" | "hostName" | "spaceName">,
  url: string,
  now = new Date(),
): string {
  const fold = (line: string) => {
    const out: string[] = [];
    let rest = line;
    while (Buffer.byteLength(rest) > 75) {
      let cut = 75;
      while (Buffer.byteLength(rest.slice(0, cut)) > 75) cut -= 1;
      out.push(rest.slice(0, cut));
      rest = ` ${rest.slice(cut)}`;
    }
    out.push(rest);
    return out.join("\r\n");
  };
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//PeerDesk//Q&A sessions//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    "BEGIN:VEVENT",
    `UID:session-${session.id}@peerdesk`,
    `DTSTAMP:${icsDate(now)}`,
    `DTSTART:${icsDate(session.startsAt)}`,
    `DTEND:${icsDate(session.endsAt)}`,
    `SUMMARY:${icsEscape(`${session.title} (PeerDesk Q&A)`)}`,
    `DESCRIPTION:${icsEscape(`Hosted by ${session.hostName} in ${session.spaceName}. Ask your questions at ${url}`)}`,
    `URL:${url}`,
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return `${lines.map(fold).join("\r\n")}\r\n`;
}
