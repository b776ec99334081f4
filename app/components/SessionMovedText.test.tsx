/** A moved Q&A session's notification: from when to when, or only its new end; an old notice says the new times. */
import { renderToStaticMarkup } from "react-dom/server";
import { utcTimeText } from "./LocalTime";
import { SessionMovedText } from "./SessionMovedText";

const text = (element: JSX.Element) => renderToStaticMarkup(element).replace(/<[^>]+>/g, "");
const notice = { actorName: "priya shah", title: "Wi-Fi roaming" };
/** The server's text for a time (the page's before it runs in the browser), as LocalTime renders it. */
const at = (iso: string, withZone = true) => utcTimeText(new Date(iso), { withZone });
/** The day and start of a range on one day, as the server writes it before the end's "–17:00 UTC". */
const from = (iso: string) => at(iso, false);

test("a moved start says from when to when (in UTC until the page runs in the reader's browser)", () => {
  const moved = text(
    <SessionMovedText
      item={{ ...notice, previousStartsAt: "2026-12-01T16:00:00Z", previousEndsAt: "2026-12-01T17:00:00Z" }}
      startsAt="2026-12-02T16:00:00Z"
      endsAt="2026-12-02T17:00:00Z"
    />,
  );
  expect(moved).toBe(
    `Priya shah moved the Q&amp;A session “Wi-Fi roaming” from ${from("2026-12-01T16:00:00Z")}–17:00 UTC to ${from("2026-12-02T16:00:00Z")}–17:00 UTC`,
  );
});

test("only the end moved: says when it ends now and when it was to end", () => {
  const ended = text(
    <SessionMovedText
      item={{ ...notice, previousStartsAt: "2026-12-01T16:00:00Z", previousEndsAt: "2026-12-01T17:00:00Z" }}
      startsAt="2026-12-01T16:00:00Z"
      endsAt="2026-12-01T17:30:00Z"
    />,
  );
  expect(ended).toBe(
    `Priya shah changed when the Q&amp;A session “Wi-Fi roaming” ends: it is now on ${from("2026-12-01T16:00:00Z")}–17:30 UTC (it was to end at ${at("2026-12-01T17:00:00Z", false)})`,
  );
});

test("a notice from before moves kept the old times says the new ones", () => {
  const old = text(
    <SessionMovedText item={{ ...notice }} startsAt="2026-12-01T16:00:00Z" endsAt="2026-12-01T17:30:00Z" />,
  );
  expect(old).toBe(
    `Priya shah changed the time of the Q&amp;A session “Wi-Fi roaming”: it is now on ${from("2026-12-01T16:00:00Z")}–17:30 UTC`,
  );
});
