/**
 * Admins find people, change their role (member, mentor, moderator, admin) and ban or unban them. A ban signs the
 * person out everywhere, so it is asked twice: "Ban …" opens a panel with the reason and the choice to hide everything
 * they posted (on unless unticked), and only "Yes, ban …" bans.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { ROLES } from "#db/schema";
import { requireUserWith } from "~/auth/session.server";
import { RelativeTime } from "~/components/RelativeTime";
import { Button } from "~/components/ui/Button";
import { CheckboxField, FormAlert } from "~/components/ui/Field";
import { parseForm } from "~/lib/forms";
import { heldWords } from "~/lib/held-words";
import { pageNumberParam } from "~/lib/ids";
import type { HeldCount } from "~/models/holds.server";
import { type DeletionRecord, deletionRecords } from "~/models/account-deletion.server";
import {
  RoleChangedMeanwhileError,
  UserRuleError,
  banUser,
  listUsers,
  requireAccount,
  setUserRole,
  unbanUser,
} from "~/models/users.server";

const PAGE_SIZE = 50;

const ROLE_FORM_OUTDATED =
  "This form is from an older version of the page and doesn't say which role you saw, so nothing was changed. Reload the page, check the role, and choose again.";

const actionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("role"),
      userId: z.string().min(1),
      role: z.enum(ROLES, { errorMap: () => ({ message: "Choose one of the listed roles." }) }),
      // The role the page showed, so a change made meanwhile by someone else is refused, not overwritten. Optional here
      // only so a form from an older page (which lacks it) is answered in words below.
      baseRole: z.enum(ROLES, { errorMap: () => ({ message: ROLE_FORM_OUTDATED }) }).optional(),
    }),
    z.object({
      intent: z.literal("ban"),
      userId: z.string().min(1),
      reason: z.string().trim().max(280, "Keep the reason under 280 characters.").default(""),
      // Sent only by the "Yes, ban …" button: without it the page asks first (a form from an older page included).
      confirm: z.literal("yes").optional(),
      // The checkbox sends "on" when ticked; `hideOffered` tells an unticked box from a form that never showed it, whose
      // ban hides their posts as the box would have by default.
      hidePosts: z.literal("on").optional(),
      hideOffered: z.literal("yes").optional(),
    }),
    z.object({ intent: z.literal("unban"), userId: z.string().min(1) }),
  ],
  // A form from an older page (or a hand-made request) names no action this page knows: say so plainly.
  {
    errorMap: (issue, ctx) =>
      issue.code === "invalid_union_discriminator"
        ? { message: "That isn't something this page can do. Reload the page and try again." }
        : { message: ctx.defaultError },
  },
);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const me = await requireUserWith(request, context, "admin.view");
  const url = new URL(request.url);
  const query = (url.searchParams.get("q") ?? "").slice(0, 100);
  const page = pageNumberParam(url.searchParams.get("page"));
  const { db } = context.services;
  const result = await listUsers(db, { query, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  // Deleted accounts on this page say how they were deleted, with the admin's note (for admins only).
  const deletions = await deletionRecords(db, result.users);
  const users = result.users.map((u) => ({ ...u, deletion: deletions.get(u.id) ?? null }));
  return {
    users,
    total: result.total,
    page,
    pageCount: Math.max(1, Math.ceil(result.total / PAGE_SIZE)),
    query,
    myId: me.id,
  };
}

/**
 * `askBan` when a ban was asked for without its confirmation: the page opens that person's panel, choices kept.
 * `currentRole` when a role change was refused because the role changed meanwhile: the form shows that role (the list
 * isn't reloaded after a refusal).
 */
type ActionData = {
  ok: boolean;
  message: string;
  userId?: string;
  askBan?: { userId: string; reason: string; hidePosts: boolean };
  currentRole?: (typeof ROLES)[number];
};

/** What the admin is told after a ban: hidden posts counted (or said to stay public), and any sessions it cancelled. */
function bannedMessage(hidden: HeldCount, hidePosts: boolean, cancelledSessions: number): string {
  const cancelled = cancelledSessionsWords(cancelledSessions);
  return `Account banned and signed out everywhere. ${hiddenPostsWords(hidden, hidePosts)}${cancelled ? ` ${cancelled}` : ""}`;
}

function hiddenPostsWords(hidden: HeldCount, hidePosts: boolean): string {
  if (!hidePosts) return "Their posts stay public.";
  const count = hidden.posts + hidden.sessionQuestions;
  if (count === 0) return "They had no public posts to hide.";
  return `${heldWords(hidden.posts, hidden.sessionQuestions)} by them ${count === 1 ? "is" : "are"} hidden until the ban is lifted.`;
}

/** The Q&A sessions they hosted that the ban cancelled (banUser), or nothing when there were none. */
function cancelledSessionsWords(count: number): string {
  if (count === 0) return "";
  const sessions = count === 1 ? "upcoming Q&A session was" : `${count} upcoming Q&A sessions were`;
  return `Their ${sessions} cancelled and the people who signed up were told.`;
}

/** What the admin is told after lifting a ban: what the ban had hidden is public again. */
function unbannedMessage(shown: HeldCount): string {
  const count = shown.posts + shown.sessionQuestions;
  if (count === 0) return "Ban lifted.";
  return `Ban lifted. ${heldWords(shown.posts, shown.sessionQuestions)} hidden by the ban ${count === 1 ? "is" : "are"} public again.`;
}

export async function action({ request, context }: ActionFunctionArgs) {
  // A copy: if the admin was signed out meanwhile, requireUserWith hands what they typed back from the body.
  const formData = await request.clone().formData();
  const intent = formData.get("intent");
  const me = await requireUserWith(request, context, intent === "role" ? "user.setRole" : "user.ban");
  const parsed = parseForm(actionSchema, formData);
  if (!parsed.ok)
    return data<ActionData>(
      { ok: false, message: Object.values(parsed.fieldErrors)[0] ?? "Please check the form." },
      { status: 400 },
    );
  const { db } = context.services;
  const input = parsed.data;
  try {
    if (input.intent === "role") {
      if (input.baseRole === undefined) {
        // A deleted or unknown account is said first: reloading would not help with that.
        await requireAccount(db, input.userId);
        return data<ActionData>({ ok: false, message: ROLE_FORM_OUTDATED, userId: input.userId }, { status: 400 });
      }
      await setUserRole(db, { userId: input.userId, role: input.role, by: me.id, baseRole: input.baseRole });
      return data<ActionData>({ ok: true, message: `Role changed to ${input.role}.`, userId: input.userId });
    }
    if (input.intent === "ban") {
      const hidePosts = input.hidePosts === "on" || input.hideOffered === undefined;
      if (input.confirm !== "yes") {
        // No such account, or a deleted one: said at once, not after a confirmation that could only fail.
        await requireAccount(db, input.userId);
        return data<ActionData>({
          ok: false,
          message: "Nobody was banned yet. Check the reason, then confirm the ban below.",
          userId: input.userId,
          askBan: { userId: input.userId, reason: input.reason, hidePosts },
        });
      }
      const banned = await banUser(db, { userId: input.userId, reason: input.reason, by: me.id, hidePosts });
      const message = bannedMessage(banned.hidden, hidePosts, banned.cancelledSessions);
      return data<ActionData>({ ok: true, message, userId: input.userId });
    }
    const { shown } = await unbanUser(db, { userId: input.userId, by: me.id });
    return data<ActionData>({ ok: true, message: unbannedMessage(shown), userId: input.userId });
  } catch (error) {
    if (error instanceof RoleChangedMeanwhileError)
      return data<ActionData>(
        { ok: false, message: error.message, userId: input.userId, currentRole: error.currentRole },
        { status: error.status },
      );
    if (error instanceof UserRuleError)
      return data<ActionData>({ ok: false, message: error.message, userId: input.userId }, { status: error.status });
    throw error;
  }
}

/** How a deleted account was deleted: by the person, or by an admin at their request with the admin's note. */
function DeletionNote({ deletion }: { deletion: Omit<DeletionRecord, "at"> & { at: Date | string } }) {
  if (!deletion.isByAdmin) {
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400">
        They deleted their own account <RelativeTime date={deletion.at} />.
      </p>
    );
  }
  return (
    <div className="text-sm text-slate-600 dark:text-slate-400">
      <p>
        Deleted at the person's request by {deletion.adminName ?? "an admin"} <RelativeTime date={deletion.at} />.
      </p>
      <p className="whitespace-pre-line break-words">
        {deletion.note ? `Note for admins: ${deletion.note}` : "No note was left for the admins."}
      </p>
    </div>
  );
}

/** Role and ban of another account; a deleted one has neither to change. */
function AccountControls({
  account: u,
  busy,
  asked,
  currentRole,
}: {
  account: { id: string; name: string; role: (typeof ROLES)[number]; banned: boolean | null; deletedAt: unknown };
  busy: boolean;
  asked: BanAsked | undefined;
  /** The role a refused change found (newer than the list's): shown, and sent as the base of the next change. */
  currentRole: (typeof ROLES)[number] | undefined;
}) {
  const shownRole = currentRole ?? u.role;
  if (u.deletedAt) {
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400">Deleted accounts have no role or ban to change.</p>
    );
  }
  return (
    <div className="flex flex-wrap items-end gap-2">
      <Form method="post" className="flex flex-wrap items-end gap-2">
        <input type="hidden" name="intent" value="role" />
        <input type="hidden" name="userId" value={u.id} />
        <input type="hidden" name="baseRole" value={shownRole} />
        <div>
          <label htmlFor={`role-${u.id}`} className="block text-xs font-medium">
            Role for {u.name}
          </label>
          <select
            // A new role (saved, or found changed) starts the choice afresh: React keeps a mounted select's own choice.
            key={shownRole}
            id={`role-${u.id}`}
            name="role"
            defaultValue={shownRole}
            className="min-h-11 rounded-lg border border-slate-300 px-2 dark:border-slate-600 dark:bg-slate-900"
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
        <Button variant="secondary" type="submit" disabled={busy}>
          Save role
        </Button>
      </Form>
      {u.banned ? (
        <Form method="post">
          <input type="hidden" name="intent" value="unban" />
          <input type="hidden" name="userId" value={u.id} />
          <Button variant="secondary" type="submit" disabled={busy}>
            Lift ban
          </Button>
        </Form>
      ) : (
        <BanConfirmation account={u} busy={busy} asked={asked} />
      )}
    </div>
  );
}

/** The reason typed and the choice made before the page asked for confirmation. */
type BanAsked = { reason: string; hidePosts: boolean };

/**
 * Banning asks first, without JavaScript too: "Ban …" opens a panel with the public reason, whether to hide their posts,
 * and "Yes, ban …" (the disclosure the post tools use for deleting). A ban sent without the confirmation comes back
 * with the panel open.
 */
function BanConfirmation({
  account: u,
  busy,
  asked,
}: {
  account: { id: string; name: string };
  busy: boolean;
  /** Undefined when the page didn't ask for this person. */
  asked: BanAsked | undefined;
}) {
  return (
    <details className="open:basis-full" open={asked !== undefined}>
      <summary className="inline-flex min-h-11 cursor-pointer items-center rounded-lg border border-red-600 px-3 text-sm font-semibold text-red-700 dark:text-red-400">
        Ban {u.name}…
      </summary>
      <Form
        method="post"
        className="mt-2 max-w-sm space-y-2 rounded-lg border border-red-300 p-3 text-sm dark:border-red-800"
      >
        <input type="hidden" name="intent" value="ban" />
        <input type="hidden" name="userId" value={u.id} />
        <input type="hidden" name="confirm" value="yes" />
        <p className="font-semibold">
          Ban {u.name}? They are signed out on every device at once and can't sign in until the ban is lifted.
        </p>
        <div>
          <label htmlFor={`reason-${u.id}`} className="block text-xs font-medium">
            Ban reason (optional)
          </label>
          <input
            id={`reason-${u.id}`}
            name="reason"
            maxLength={280}
            defaultValue={asked?.reason}
            aria-describedby={`reason-hint-${u.id}`}
            className="min-h-11 w-full rounded-lg border border-slate-300 px-2 dark:border-slate-600 dark:bg-slate-900"
          />
          <p id={`reason-hint-${u.id}`} className="mt-1 text-xs text-slate-600 dark:text-slate-400">
            Shown publicly on their profile and in the moderation log.
          </p>
        </div>
        <input type="hidden" name="hideOffered" value="yes" />
        <CheckboxField
          name="hidePosts"
          label="Also hide everything they posted"
          hint="Their questions, answers, how-tos and comments leave the site. Lifting the ban shows them again."
          defaultChecked={asked?.hidePosts ?? true}
        />
        <Button variant="danger" type="submit" disabled={busy}>
          Yes, ban {u.name}
        </Button>
      </Form>
    </details>
  );
}

export default function AdminUsers() {
  const { users, total, page, pageCount, query, myId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const busy = navigation.state !== "idle";
  const pageLink = (p: number) => {
    const next = new URLSearchParams(searchParams);
    next.set("page", String(p));
    return `?${next}`;
  };
  return (
    <div className="space-y-4">
      {result ? <FormAlert tone={result.ok ? "success" : "error"}>{result.message}</FormAlert> : null}
      {!result && searchParams.get("deleted") === "1" ? (
        <FormAlert tone="success">The account is deleted; their posts now show "Former member".</FormAlert>
      ) : null}
      <Form method="get" className="flex gap-2" role="search" aria-label="Find people">
        <label htmlFor="people-search" className="sr-only">
          Find people
        </label>
        <input
          id="people-search"
          name="q"
          type="search"
          defaultValue={query}
          placeholder="Name, email or handle"
          className="w-full rounded-lg border border-slate-300 px-3 py-2 dark:border-slate-600 dark:bg-slate-900"
        />
        <Button variant="secondary" type="submit">
          Find
        </Button>
      </Form>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        {total} {total === 1 ? "person" : "people"}
        {query ? ` matching “${query}”` : ""}
      </p>
      <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
        {users.map((u) => (
          <li key={u.id} className="space-y-2 p-3">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <p>
                <span className="font-semibold">{u.name}</span>{" "}
                <span className="text-sm text-slate-600 dark:text-slate-400">{u.email}</span>
                {u.deletedAt ? (
                  <span className="ml-2 rounded bg-slate-600 px-2 py-0.5 text-xs font-semibold text-white">
                    Deleted
                  </span>
                ) : null}
                {u.banned ? (
                  <span className="ml-2 rounded bg-red-700 px-2 py-0.5 text-xs font-semibold text-white">Banned</span>
                ) : null}
              </p>
              <span className="flex gap-3 text-sm">
                {u.handle ? <a href={`/u/${u.handle}`}>@{u.handle}</a> : null}
                {u.deletedAt ? null : <a href={`/admin/account/${encodeURIComponent(u.id)}`}>Data &amp; deletion</a>}
              </span>
            </div>
            {u.deletion ? <DeletionNote deletion={u.deletion} /> : null}
            {u.id === myId ? (
              <p className="text-sm text-slate-600 dark:text-slate-400">This is you ({u.role}).</p>
            ) : (
              <AccountControls
                account={u}
                busy={busy}
                asked={result?.askBan?.userId === u.id ? result.askBan : undefined}
                currentRole={result?.userId === u.id ? result.currentRole : undefined}
              />
            )}
          </li>
        ))}
      </ul>
      {pageCount > 1 ? (
        <nav aria-label="Pages" className="flex justify-between text-sm">
          {page > 1 ? <a href={pageLink(page - 1)}>← Previous</a> : <span />}
          <span>
            Page {page} of {pageCount}
          </span>
          {page < pageCount ? <a href={pageLink(page + 1)}>Next →</a> : <span />}
        </nav>
      ) : null}
    </div>
  );
}
