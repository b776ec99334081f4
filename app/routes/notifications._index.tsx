/** Your notifications: newest first, unread marked, "Mark all as read", older ones a page at a time. */
import { capitalised } from "~/lib/plain-text";
import {
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  type SerializeFrom,
  data,
  redirect,
} from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { NotificationKind } from "#db/schema";
import { requireUser } from "~/auth/session.server";
import { LocalTimeRange } from "~/components/LocalTimeRange";
import { SessionMovedText } from "~/components/SessionMovedText";
import { RelativeTime } from "~/components/RelativeTime";
import { type NotificationView, listNotifications, markAllRead } from "~/models/notifications.server";
import { useFocusWhenSettled } from "~/lib/focus";
import { parseId } from "~/lib/ids";

export const meta: MetaFunction = () => [{ title: "Notifications · PeerDesk" }, { name: "robots", content: "noindex" }];

/** The loader's `private, no-store`: what someone was told is theirs alone, and not kept by any cache. */
export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const search = new URL(request.url).searchParams;
  const before = parseId(search.get("before"));
  const page = await listNotifications(context.services.db, user.id, { before: before ?? undefined });
  return data(
    {
      ...page,
      isOlderPage: before !== null,
      cameForGone: search.get("gone") === "1",
      // Named so whoever opened someone else's email link sees which account they are in (nothing of the other one).
      otherAccountSignedInAs: search.get("other-account") === "1" ? user.name : null,
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const formData = await request.formData();
  if (formData.get("intent") !== "markAllRead")
    return data({ message: "That request didn't look right." }, { status: 400 });
  await markAllRead(context.services.db, user.id);
  return redirect("/notifications", 303);
}

/** What the person did, after their name: "answered", "accepted your answer to"… */
function whatHappened(item: SerializeFrom<NotificationView>): string {
  const what: Record<NotificationKind, string> = {
    answer: "answered",
    comment: "commented on",
    accepted: "accepted your answer to",
    mention: "mentioned you in",
    new_post: item.postKind === "howto" ? "published the how-to" : "asked",
    session_scheduled: "scheduled the Q&A session",
    invitation: "invited you to answer",
    session_starting: "is starting the Q&A session",
    feedback_request: "",
    session_changed: "changed the time of the Q&A session",
    session_cancelled: "cancelled the Q&A session",
    session_answered: "answered your question in the Q&A session",
    rating: "rated the help you gave on",
    thanks: "thanked you for your answer to",
    suggestion: "suggested an edit to your how-to",
    suggestion_decided:
      item.suggestionOutcome === "accepted" ? "accepted your suggested edit to" : "didn't take your suggested edit to",
    moderation: "",
  };
  return what[item.kind];
}

/**
 * A new Q&A session: who, what, on which of the tags the reader follows (if any), where and when (in the reader's own
 * time zone), true whether the reader follows its host, its space or its tags (the email says the same:
 * email.server.ts).
 */
function SessionScheduledText({
  item,
  spaceName,
  startsAt,
  endsAt,
}: {
  item: SerializeFrom<NotificationView>;
  spaceName: string;
  startsAt: Date | string;
  endsAt: Date | string;
}) {
  return (
    <>
      <bdi>{capitalised(item.actorName ?? "Someone")}</bdi> scheduled the Q&amp;A session “
      <span dir="auto">{item.title}</span>”{item.followedTagWords ? ` on ${item.followedTagWords}` : ""} in{" "}
      <bdi>{spaceName}</bdi> for <LocalTimeRange startsAt={startsAt} endsAt={endsAt} />
    </>
  );
}

/** One notification's words; a session's time is shown in the reader's own time zone. */
function NotificationText({ item }: { item: SerializeFrom<NotificationView> }) {
  // The title is someone's words, in any language: it takes its own direction inside the site's sentence.
  const title = <span dir="auto">{item.title}</span>;
  if (item.kind === "moderation") return <>From the moderators: {title}</>;
  if (item.kind === "feedback_request") return <>How well were you helped with “{title}”? Rate it in one tap.</>;
  if (item.kind === "session_scheduled" && item.spaceName && item.startsAt && item.endsAt)
    return (
      <SessionScheduledText item={item} spaceName={item.spaceName} startsAt={item.startsAt} endsAt={item.endsAt} />
    );
  if (item.kind === "session_changed" && item.startsAt && item.endsAt)
    return <SessionMovedText item={item} startsAt={item.startsAt} endsAt={item.endsAt} />;
  // The name is isolated too (`<bdi>`), so a right-to-left name keeps "answered your question" after it; "someone
  // from the community" (an anonymous asker) starts the sentence as well.
  return (
    <>
      <bdi>{capitalised(item.actorName ?? "Someone")}</bdi> {whatHappened(item)} “{title}”
    </>
  );
}

/** An older page past the last notification (its link followed after they were cleared): says so, with a way back. */
function PastLastPage() {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 p-6 text-slate-600 dark:border-slate-700 dark:text-slate-400">
      <p>There are no older notifications: you have reached the end of the list.</p>
      <p className="mt-2">
        <Link to="/notifications">Go to the newest notifications</Link>
      </p>
    </div>
  );
}

/** Someone else's notification link, opened in this account: whose account this is, and how to open it. */
function OtherAccountNotice({ signedInAs }: { signedInAs: string }) {
  return (
    <div role="alert" className="space-y-2 rounded-md border border-slate-300 p-3 text-sm dark:border-slate-700">
      <p>
        {`That link is for another account's notification. You're signed in as ${signedInAs}: sign out and sign in as the person it was sent to, then open the link again.`}
      </p>
      <Form method="post" action="/signout">
        <button type="submit" className="min-h-11 font-medium text-brand-700 underline dark:text-brand-300">
          Sign out
        </button>
      </Form>
    </div>
  );
}

/**
 * With JavaScript, "Mark all as read" removes its own button, and focus would fall to the page's body. Once the
 * reloaded list is in, this says so in a status message and moves focus there; the message belongs to that visit
 * only (gone after paging on). Without JavaScript the page loads again from the top.
 */
function useMarkedAllRead(unread: number) {
  const navigation = useNavigation();
  const location = useLocation();
  const isMarking = navigation.formData?.get("intent") === "markAllRead";
  const wasMarking = useRef(false);
  const [markedOn, setMarkedOn] = useState<string | null>(null);
  useEffect(() => {
    if (isMarking) wasMarking.current = true;
    else if (wasMarking.current && navigation.state === "idle") {
      wasMarking.current = false;
      // A refused request leaves unread notifications: then nothing is claimed.
      if (unread === 0) setMarkedOn(location.key);
    }
  }, [isMarking, navigation.state, unread, location.key]);
  const statusRef = useRef<HTMLParagraphElement>(null);
  useFocusWhenSettled(markedOn, () => statusRef.current);
  return { isMarking, isMarked: markedOn === location.key, statusRef };
}

export default function Notifications() {
  const { items, nextBefore, isOlderPage, cameForGone, otherAccountSignedInAs } = useLoaderData<typeof loader>();
  const unread = items.filter((item) => !item.isRead).length;
  const { isMarking, isMarked, statusRef } = useMarkedAllRead(unread);
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-bold">Notifications</h1>
        {/* Always in the page, so screen readers know it before it speaks. */}
        <p ref={statusRef} role="status" className="text-sm font-medium">
          {isMarked ? "All marked as read." : ""}
        </p>
        {unread > 0 ? (
          <Form method="post">
            <input type="hidden" name="intent" value="markAllRead" />
            <button
              type="submit"
              disabled={isMarking}
              className="min-h-11 rounded-md border border-slate-300 px-3 text-sm font-medium dark:border-slate-700"
            >
              Mark all as read
            </button>
          </Form>
        ) : null}
      </div>
      {cameForGone ? (
        <p className="rounded-md border border-slate-300 p-3 text-sm dark:border-slate-700">
          {`The notification you opened isn't here any more: what it was about may have been removed, or a newer notification about the same thing replaced it${items.length > 0 ? " (listed below)" : ""}.`}
        </p>
      ) : null}
      {otherAccountSignedInAs !== null ? <OtherAccountNotice signedInAs={otherAccountSignedInAs} /> : null}
      {items.length === 0 && isOlderPage ? <PastLastPage /> : null}
      {items.length === 0 && !isOlderPage ? (
        <div className="rounded-lg border border-dashed border-slate-300 p-6 text-slate-600 dark:border-slate-700 dark:text-slate-400">
          <p>
            Nothing here yet. When someone answers or comments on what you follow, mentions you, or accepts your answer,
            you'll see it here.
          </p>
          <p className="mt-2">
            You follow everything you ask or answer. <Link to="/spaces">Follow a space</Link> or{" "}
            <Link to="/tags">a tag</Link> to hear of new questions and live Q&amp;A sessions in that space or on that
            topic.
          </p>
        </div>
      ) : null}
      {items.length > 0 ? (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
          {items.map((item) => {
            return (
              <li key={item.id} className={item.isRead ? "" : "bg-brand-50 dark:bg-slate-900"}>
                <a
                  href={`/notifications/${item.id}`}
                  className="flex gap-3 px-4 py-3 text-slate-800 no-underline hover:bg-slate-50 dark:text-slate-100 dark:hover:bg-slate-800"
                >
                  <span
                    aria-hidden="true"
                    className={`mt-2 size-2 shrink-0 rounded-full ${item.isRead ? "bg-transparent" : "bg-brand-600"}`}
                  />
                  <span className="min-w-0">
                    <span className={item.isRead ? "" : "font-semibold"}>
                      <NotificationText item={item} />
                    </span>
                    {item.isRead ? null : <span className="sr-only"> (unread)</span>}
                    <RelativeTime date={item.createdAt} className="block text-xs text-slate-600 dark:text-slate-400" />
                  </span>
                </a>
              </li>
            );
          })}
        </ul>
      ) : null}
      <p className="text-sm">
        <Link to="/settings/notifications">Choose what is emailed to you</Link>
      </p>
      {nextBefore ? (
        <p>
          <Link to={`/notifications?before=${nextBefore}`}>Older notifications →</Link>
        </p>
      ) : null}
    </div>
  );
}
