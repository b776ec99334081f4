/**
 * A Q&A session's "start – end": the zone is said once, at the end, unless its UTC offset differs at the end from the
 * start's where it is read (the clocks changed in between): then each end says its own, so a session across a
 * daylight-saving change reads as long as it is.
 */
import { renderToStaticMarkup } from "react-dom/server";
import { isUtcOffsetChanged } from "~/lib/time-zones";
import { utcTimeText } from "./LocalTime";
import { LocalTimeRange, timeRangeTexts } from "./LocalTimeRange";
import { SessionMovedText } from "./SessionMovedText";

const text = (element: JSX.Element) => renderToStaticMarkup(element).replace(/<[^>]+>/g, "");

/** What a reader in `timeZone` sees once the page runs in their browser, as LocalTimeRange writes it there. */
function readerRange(startsAt: string, endsAt: string, timeZone: string): string {
  return timeRangeTexts(new Date(startsAt), new Date(endsAt), true, timeZone).join("");
}

// The year is said only when it isn't the current one; these tests are about the zones.
const YEAR = "( 2027)?";

test("New York, clocks forward on 14 March 2027: 23:30 GMT-5 to 03:30 GMT-4, 3 hours", () => {
  const range = readerRange("2027-03-14T04:30:00Z", "2027-03-14T07:30:00Z", "America/New_York");
  expect(range).toMatch(new RegExp(`^Sat, 13 Mar${YEAR}, 23:30 GMT-5 – Sun, 14 Mar${YEAR}, 03:30 GMT-4$`));
});

test("London, clocks forward on 28 March 2027: 00:30 GMT to 03:30 BST, 2 hours (on one day: the day once)", () => {
  const range = readerRange("2027-03-28T00:30:00Z", "2027-03-28T02:30:00Z", "Europe/London");
  expect(range).toMatch(new RegExp(`^Sun, 28 Mar${YEAR}, 00:30 GMT – 03:30 BST$`));
});

test("an ordinary session says its zone once, at the end", () => {
  const range = readerRange("2027-03-20T19:00:00Z", "2027-03-20T21:00:00Z", "America/New_York");
  expect(range).toMatch(new RegExp(`^Sat, 20 Mar${YEAR}, 15:00–17:00 GMT-4$`));
  expect(isUtcOffsetChanged(new Date("2027-03-28T00:30:00Z"), new Date("2027-03-28T00:59:00Z"), "Europe/London")).toBe(
    false,
  );
});

test("the server's UTC never changes its clocks: the zone is said once, at the end, across a change too", () => {
  const [startsAt, endsAt] = ["2027-03-14T04:30:00Z", "2027-03-14T07:30:00Z"];
  const range = text(<LocalTimeRange startsAt={startsAt} endsAt={endsAt} />);
  expect(range).toBe(`${utcTimeText(new Date(startsAt), { withZone: false })}–07:30 UTC`);
});

test("a moved session's old and new times follow the same rule", () => {
  const moved = text(
    <SessionMovedText
      item={{
        actorName: "priya shah",
        title: "Wi-Fi roaming",
        previousStartsAt: "2027-03-28T00:30:00Z",
        previousEndsAt: "2027-03-28T02:30:00Z",
      }}
      startsAt="2027-03-29T00:30:00Z"
      endsAt="2027-03-29T02:30:00Z"
    />,
  );
  expect(moved).not.toMatch(/00:30 (UTC|BST|GMT)/);
  expect(moved.match(/ UTC/g)).toHaveLength(2);
});
