/** The notifications page's words for a moved Q&A session (the email says the same: email.server.ts). */
import { capitalised } from "~/lib/plain-text";
import { sessionMove } from "~/lib/office-hours";
import { LocalTime } from "./LocalTime";
import { LocalTimeRange } from "./LocalTimeRange";

type MovedNotice = {
  actorName: string | null;
  title: string;
  previousStartsAt?: Date | string | null;
  previousEndsAt?: Date | string | null;
};

/**
 * A moved session: from when to when (its start moved), or that only its end did; the times in the reader's own zone,
 * as the session's page shows them. A notice from before moves recorded the old times says the new ones.
 */
export function SessionMovedText({
  item,
  startsAt,
  endsAt,
}: {
  item: MovedNotice;
  startsAt: Date | string;
  endsAt: Date | string;
}) {
  // The mover's name and the session's title are people's words, each in its own direction.
  const who = item.actorName ? <span dir="auto">{capitalised(item.actorName)}</span> : "Someone";
  const title = (
    <>
      “<span dir="auto">{item.title}</span>”
    </>
  );
  const times = <LocalTimeRange startsAt={startsAt} endsAt={endsAt} />;
  const previous = {
    startsAt: item.previousStartsAt ? new Date(item.previousStartsAt) : null,
    endsAt: item.previousEndsAt ? new Date(item.previousEndsAt) : null,
  };
  const move = sessionMove(previous, { startsAt: new Date(startsAt), endsAt: new Date(endsAt) });
  if (move === "start" && previous.startsAt && previous.endsAt)
    return (
      <>
        {who} moved the Q&amp;A session {title} from{" "}
        <LocalTimeRange startsAt={previous.startsAt} endsAt={previous.endsAt} /> to {times}
      </>
    );
  if (move === "end" && previous.endsAt)
    return (
      <>
        {who} changed when the Q&amp;A session {title} ends: it is now on {times} (it was to end at{" "}
        <LocalTime iso={previous.endsAt} rangeStart={startsAt} />)
      </>
    );
  return (
    <>
      {who} changed the time of the Q&amp;A session {title}: it is now on {times}
    </>
  );
}
