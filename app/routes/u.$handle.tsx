/** A person's public profile: who they are, what they know, whether they mentor. Never their email. */
import { FlagLink } from "~/components/FlagLink";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { asActor, getCurrentUser, requireUser } from "~/auth/session.server";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { FollowButton } from "~/components/FollowButton";
import { LocalTime } from "~/components/LocalTime";
import { Avatar } from "~/components/ui/Avatar";
import { FormAlert } from "~/components/ui/Field";
import { isFollowing } from "~/models/notifications.server";
import { listHostedOfficeHours } from "~/models/office-hours-lists.server";
import { getImpactSummary } from "~/models/impact.server";
import { getProfileByHandle } from "~/models/users.server";
import { data } from "@remix-run/node";
import { LIFETIME_SECONDS, TAGS, publicPageHeaders, publicPageHeadersFunction } from "~/lib/page-cache-policy.server";
import { isInvitable } from "~/models/invitations.server";
import { buttonClass } from "~/components/ui/Button";
import { TrustLevelCard } from "~/components/TrustLevelCard";
import { getTrustSummary } from "~/models/trust-levels.server";
import { ProfileModeration, type ProfileModerationResult } from "~/components/ProfileModeration";
import { can } from "~/models/permissions.server";
import { PostingError } from "~/models/post-errors.server";
import { getProfileHiding, hideProfile, showProfile } from "~/models/profile-hiding.server";
import { type HoldReason, listMyHolds } from "~/models/holds.server";
import type { Db } from "#db/client.server";
import { RateLimitedError } from "~/models/rate-limits.server";

export const meta: MetaFunction<typeof loader> = ({ data, error }) =>
  error
    ? errorMeta(error, "Member not found")
    : [{ title: data ? `${data.profile.name} · PeerDesk` : "Member not found · PeerDesk" }];

const SESSION_PHASE_WORDS = { live: "started", upcoming: "upcoming", ended: "past", cancelled: "cancelled" } as const;

const roleLabels = { member: null, mentor: "Mentor", moderator: "Moderator", admin: "Admin" } as const;

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const { db } = context.services;
  const profile = await getProfileByHandle(db, params.handle ?? "");
  // A banned member's page stays (posts the ban left public link here) and says the account is suspended; a deleted
  // account has no handle, so its address finds nobody.
  if (!profile) throw new Response("There is no member with this name.", { status: 404 });
  const viewer = await getCurrentUser(request, context);
  const trust = await getTrustSummary(db, profile.id);
  const isSelf = viewer?.id === profile.id;
  const hiding = await getProfileHiding(db, profile.id);
  // Only signed-in moderators see the panel, and their pages are never cached (publicPageHeaders below).
  const canHide = !isSelf && can(asActor(viewer), "profile.hide") && !STAFF_ROLES.has(profile.role);
  // Activity numbers come from posts, feedback and sessions: dropped with every list or session change.
  const headers = publicPageHeaders(request, {
    tags: [TAGS.lists, TAGS.sessions, TAGS.people],
    maxAgeSeconds: LIFETIME_SECONDS.untracked,
  });
  return data(
    {
      userId: profile.id,
      isSelf,
      // Public, like the moderation log; the reason only in the moderators' panel.
      isHidden: hiding !== null,
      // The admin's ban form says its reason is shown here and in the moderation log.
      suspension: profile.banned
        ? { reason: profile.banReason ?? "", arePostsHidden: await arePostsHidden(db, profile.id) }
        : null,
      moderation: canHide ? { hiddenReason: hiding?.reason ?? null } : null,
      // The level is public; the counts behind it only to the person (they include questions asked without a name).
      trust: { level: trust.level, name: trust.name },
      trustProgress: isSelf ? { counts: trust.counts, next: trust.next } : null,
      isSignedIn: viewer !== null,
      isFollowing: viewer ? await isFollowing(db, viewer.id, { type: "user", key: profile.id }) : false,
      sessions: await listHostedOfficeHours(db, profile.id),
      // "Ask <name>": the ask form with them invited, for mentors who take invitations.
      canAsk: isInvitable(profile) && profile.handle !== null,
      // Only the positive part is public: never a rating.
      impact: await getImpactSummary(db, profile.id),
      profile: {
        name: profile.name,
        image: profile.image,
        handle: profile.handle,
        bio: profile.bio,
        audience: profile.audience,
        role: profile.role,
        openToMentoring: profile.openToMentoring,
        mentorPitch: profile.mentorPitch,
        languages: profile.languages,
        expertise: profile.expertise,
        memberSince: profile.createdAt,
      },
    },
    { headers },
  );
}

const STAFF_ROLES: ReadonlySet<string> = new Set(["moderator", "admin"]);

/** The holds that hide everything a person posted: a ban's ("Hide their posts", ticked by default), or a silence's. */
const WHOLE_ACCOUNT_HOLDS: ReadonlySet<string> = new Set<HoldReason>(["banned_author", "silenced_author"]);

/**
 * Whether a suspended person's posts are out of sight, as the holds that hid them record (users.server.ts banUser).
 * Nobody posts once banned, so the ban's holds are among their newest.
 */
async function arePostsHidden(db: Db, userId: string): Promise<boolean> {
  const holds = await listMyHolds(db, userId);
  return holds.some((hold) => hold.status === "pending" && WHOLE_ACCOUNT_HOLDS.has(hold.reason));
}

/** Moderators hide a spammer's profile or show it again (profile-hiding.server.ts checks the permission). */
export async function action({ params, request, context }: ActionFunctionArgs) {
  const { db } = context.services;
  const user = await requireUser(request, context);
  const profile = await getProfileByHandle(db, params.handle ?? "");
  if (!profile) throw new Response("There is no member with this name.", { status: 404 });
  const form = await request.formData();
  const reasonField = form.get("reason");
  const values = { reason: typeof reasonField === "string" ? reasonField : "" };
  const intent = form.get("intent");
  // Hiding is never the default: a form naming neither (an old page, a hand-made request) changes nothing.
  if (intent !== "hide" && intent !== "show")
    return data<ProfileModerationResult>(
      {
        ok: false,
        message: "That isn't something this page can do, so nothing was changed. Reload the page and try again.",
        fieldErrors: {},
        values,
      },
      { status: 400 },
    );
  try {
    if (intent === "show") {
      await showProfile(db, { actor: asActor(user), userId: profile.id });
      return data<ProfileModerationResult>({ ok: true, message: "The profile shows again." });
    }
    await hideProfile(db, { actor: asActor(user), userId: profile.id, reason: values.reason });
    return data<ProfileModerationResult>({
      ok: true,
      message: "The profile is hidden: its bio, picture and mentoring note are gone from every page.",
    });
  } catch (error) {
    if (error instanceof PostingError || error instanceof RateLimitedError) {
      const status = error instanceof PostingError ? error.status : 429;
      const fieldErrors = error instanceof PostingError ? error.fieldErrors : {};
      return data<ProfileModerationResult>({ ok: false, message: error.message, fieldErrors, values }, { status });
    }
    throw error;
  }
}

/** Signed-out readers get this page from the page cache (see ~/lib/page-cache-policy.server). */
export const headers = publicPageHeadersFunction;

export default function ProfilePage() {
  const {
    profile,
    userId,
    isSelf,
    isSignedIn,
    isFollowing: following,
    sessions,
    impact,
    canAsk,
    trust,
    trustProgress,
    isHidden,
    suspension,
    moderation,
  } = useLoaderData<typeof loader>();
  const moderationResult = useActionData<typeof action>();
  const roleLabel = roleLabels[profile.role];
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <div className="flex flex-wrap items-center gap-4">
        <Avatar name={profile.name} image={profile.image} size="md" />
        <div>
          <h1 dir="auto" className="text-2xl font-bold">
            {profile.name}
          </h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {profile.audience === "it" ? "IT professional" : "Business colleague"}
            {roleLabel ? ` · ${roleLabel}` : ""} · member since{" "}
            {new Date(profile.memberSince).toLocaleDateString("en-GB", { month: "long", year: "numeric" })}
          </p>
        </div>
        {isSelf ? null : (
          <div className="ml-auto flex flex-wrap items-center justify-end gap-2">
            {canAsk ? <AskLink name={profile.name} handle={profile.handle} isSignedIn={isSignedIn} /> : null}
            {suspension ? null : (
              <FollowButton
                type="user"
                targetKey={userId}
                isFollowing={following}
                label={profile.name}
                isSignedIn={isSignedIn}
              />
            )}
            <FlagLink
              type="user"
              id={userId}
              noun="profile"
              returnTo={profile.handle ? `/u/${encodeURIComponent(profile.handle)}` : undefined}
            />
          </div>
        )}
      </div>
      {/* The moderators' panel shows what a post did; anyone else (or a staff profile) has no panel, so it shows here. */}
      {moderationResult && !moderation ? (
        <FormAlert tone={moderationResult.ok ? "success" : "error"}>{moderationResult.message}</FormAlert>
      ) : null}
      {suspension ? (
        <p className="rounded-lg bg-slate-100 px-3 py-2 text-sm dark:bg-slate-800">
          This account is suspended: {profile.name} can't sign in or post.{" "}
          {suspension.arePostsHidden ? "What they posted is hidden too." : "What they posted before stays public."}
          {suspension.reason ? ` Reason: “${suspension.reason}”.` : ""} See the{" "}
          <Link to="/moderation">moderation log</Link>.
        </p>
      ) : null}
      {isHidden ? (
        <p className="rounded-lg bg-slate-100 px-3 py-2 text-sm dark:bg-slate-800">
          A moderator hid this profile's bio and picture. See the <Link to="/moderation">moderation log</Link>.
        </p>
      ) : null}
      {moderation ? (
        <ProfileModeration name={profile.name} hiddenReason={moderation.hiddenReason} result={moderationResult} />
      ) : null}
      {profile.openToMentoring && !suspension ? (
        <div className="space-y-1">
          <p className="inline-block rounded-full bg-brand-100 px-3 py-1 text-sm font-medium text-brand-700">
            Open to mentoring
          </p>
          {profile.mentorPitch ? <p>{profile.mentorPitch}</p> : null}
          {profile.languages ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">Helps in {profile.languages}</p>
          ) : null}
        </div>
      ) : null}
      {impact.peopleHelped + impact.thanksReceived > 0 ? (
        <section
          className="rounded-lg bg-green-50 px-3 py-2 text-green-900 dark:bg-green-950 dark:text-green-100"
          aria-label="Help given"
        >
          Helped {impact.peopleHelped.toLocaleString("en-US")} {impact.peopleHelped === 1 ? "person" : "people"}
          {impact.acceptedAnswers > 0
            ? ` · ${impact.acceptedAnswers.toLocaleString("en-US")} accepted ${impact.acceptedAnswers === 1 ? "answer" : "answers"}`
            : ""}
          {impact.thanksReceived > 0
            ? ` · thanked ${impact.thanksReceived.toLocaleString("en-US")} ${impact.thanksReceived === 1 ? "time" : "times"}`
            : ""}
        </section>
      ) : null}
      {isSelf ? (
        <p className="text-sm">
          <Link to="/me/impact">See the feedback on your help (only you see it)</Link>
        </p>
      ) : null}
      <TrustLevelCard level={trust.level} name={trust.name} progress={trustProgress} />
      {profile.bio ? (
        <p dir="auto" className="whitespace-pre-line">
          {profile.bio}
        </p>
      ) : null}
      {profile.expertise.length > 0 ? (
        <section aria-labelledby="expertise-heading">
          <h2 id="expertise-heading" className="mb-2 font-semibold">
            Expertise
          </h2>
          <ul className="flex flex-wrap gap-2">
            {profile.expertise.map((t) => (
              <li key={t} dir="auto" className="rounded-full bg-slate-100 px-3 py-1 text-sm dark:bg-slate-800">
                {t}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {sessions.length > 0 ? (
        <section aria-labelledby="sessions-heading">
          <h2 id="sessions-heading" className="mb-2 font-semibold">
            Q&amp;A sessions
          </h2>
          <ul className="space-y-1">
            {sessions.map((session) => (
              <li key={session.id} className="text-sm">
                {session.phase === "live" ? (
                  <span className="mr-2 rounded-full bg-red-600 px-2 py-0.5 text-xs font-bold uppercase text-white">
                    Live now
                  </span>
                ) : null}
                <Link to={`/sessions/${session.id}`} dir="auto">
                  {session.title}
                </Link>
                <span className="text-slate-600 dark:text-slate-400">
                  {" "}
                  · {SESSION_PHASE_WORDS[session.phase]} · <LocalTime iso={session.startsAt} />
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

/** "Ask <name>": to the ask form with them invited (through sign-in for visitors). */
function AskLink({ name, handle, isSignedIn }: { name: string; handle: string | null; isSignedIn: boolean }) {
  const askPath = `/ask?invite=${encodeURIComponent(handle ?? "")}`;
  const to = isSignedIn ? askPath : `/signin?redirectTo=${encodeURIComponent(askPath)}`;
  return (
    <Link to={to} className={buttonClass("primary")}>
      Ask {name.split(" ")[0]}
    </Link>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
