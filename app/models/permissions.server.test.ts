import type { Role } from "#db/schema";
import {
  ACTIONS,
  type Action,
  type Actor,
  can,
  canModeratePerson,
  deniedMessage,
  needsConfirmedEmail,
  requirePermission,
} from "./permissions.server";

// The expected table, written out by hand (not derived from the module): rows are actions, columns are
// who is asking. "own"/"other" columns are a member acting on their own post or on someone else's.
type Who = "visitor" | "member" | "mentor" | "moderator" | "admin" | "bannedAdmin" | "memberOwn" | "memberOther";
const Y = true;
const N = false;
const EXPECTED: Record<Action, Record<Who, boolean>> = {
  //                        visitor member mentor moderator admin bannedAdmin memberOwn memberOther
  "admin.view": row(N, N, N, N, Y, N, N, N),
  "space.create": row(N, N, N, N, Y, N, N, N),
  "space.edit": row(N, N, N, N, Y, N, N, N),
  "space.reorder": row(N, N, N, N, Y, N, N, N),
  "space.archive": row(N, N, N, N, Y, N, N, N),
  "user.setRole": row(N, N, N, N, Y, N, N, N),
  "user.ban": row(N, N, N, N, Y, N, N, N),
  "moderationLog.view": row(N, Y, Y, Y, Y, N, Y, Y),
  "profile.editOwn": row(N, Y, Y, Y, Y, N, Y, Y),
  "account.manageOwn": row(N, Y, Y, Y, Y, N, Y, Y),
  "question.create": row(N, Y, Y, Y, Y, N, Y, Y),
  "answer.create": row(N, Y, Y, Y, Y, N, Y, Y),
  "comment.create": row(N, Y, Y, Y, Y, N, Y, Y),
  "howto.create": row(N, Y, Y, Y, Y, N, Y, Y),
  "image.upload": row(N, Y, Y, Y, Y, N, Y, Y),
  "image.remove": row(N, N, N, Y, Y, N, N, N),
  "post.vote": row(N, N, N, Y, Y, N, N, Y),
  "post.edit": row(N, N, N, Y, Y, N, Y, N),
  "post.delete": row(N, N, N, Y, Y, N, Y, N),
  "post.restore": row(N, N, N, Y, Y, N, N, N),
  "post.viewDeleted": row(N, N, N, Y, Y, N, N, N),
  "answer.accept": row(N, N, N, N, N, N, Y, N),
  "comment.delete": row(N, N, N, Y, Y, N, Y, N),
  "howto.rate": row(N, N, N, Y, Y, N, N, Y),
  "howto.suggestEdit": row(N, N, N, Y, Y, N, N, Y),
  "howto.decideSuggestion": row(N, N, N, Y, Y, N, Y, N),
  follow: row(N, Y, Y, Y, Y, N, Y, Y),
  "session.create": row(N, N, Y, Y, Y, N, N, N),
  "session.host": row(N, N, N, Y, Y, N, Y, N),
  "session.ask": row(N, Y, Y, Y, Y, N, Y, Y),
  "session.vote": row(N, N, N, Y, Y, N, N, Y),
  "session.changeQuestion": row(N, N, N, N, N, N, Y, N),
  "question.invite": row(N, N, N, Y, Y, N, Y, N),
  "question.move": row(N, N, N, Y, Y, N, N, N),
  "help.rate": row(N, N, N, N, N, N, Y, N),
  "answer.thank": row(N, N, N, Y, Y, N, N, Y),
  "pulse.export": row(N, N, N, Y, Y, N, N, N),
  "glossary.edit": row(N, N, Y, Y, Y, N, N, N),
  "user.delete": row(N, N, N, N, Y, N, N, N),
  "user.export": row(N, N, N, N, Y, N, N, N),
  "security.configure": row(N, N, N, N, Y, N, N, N),
  "site.backup": row(N, N, N, N, Y, N, N, N),
  "signup.manageDomains": row(N, N, N, N, Y, N, N, N),
  "signup.invite": row(N, N, N, N, Y, N, N, N),
  // Flags name the flagged thing's author as the target: anyone signed in flags others' content, never their own.
  "flag.create": row(N, N, N, Y, Y, N, N, Y),
  "review.view": row(N, N, N, Y, Y, N, N, N),
  "review.decide": row(N, N, N, Y, Y, N, N, N),
  "user.warn": row(N, N, N, Y, Y, N, N, N),
  "user.silence": row(N, N, N, Y, Y, N, N, N),
  "profile.hide": row(N, N, N, Y, Y, N, N, N),
  "trust.settings": row(N, N, N, N, Y, N, N, N),
  "question.askAnonymously": row(N, Y, Y, Y, Y, N, Y, Y),
  "question.close": row(N, N, N, Y, Y, N, N, N),
  "question.reopen": row(N, N, N, Y, Y, N, N, N),
  "question.voteClose": row(N, N, N, N, N, N, N, N),
  "question.voteReopen": row(N, N, N, N, N, N, N, N),
  "question.mergeDuplicate": row(N, N, N, Y, Y, N, N, N),
  "question.revealAsker": row(N, N, N, Y, Y, N, N, N),
};

// Earned privileges: a member at trust levels 0–4, on someone else's post ("other") and on their own ("own").
// Actions not listed here don't depend on trust: every level gets what level 0 gets (the table above).
type ByLevel = [boolean, boolean, boolean, boolean, boolean];
const BY_TRUST: Partial<Record<Action, { other: ByLevel; own: ByLevel }>> = {
  "post.edit": { other: [N, N, N, Y, Y], own: [Y, Y, Y, Y, Y] },
  "question.voteClose": { other: [N, N, Y, Y, Y], own: [N, N, Y, Y, Y] },
  "question.voteReopen": { other: [N, N, Y, Y, Y], own: [N, N, Y, Y, Y] },
};

function row(
  visitor: boolean,
  member: boolean,
  mentor: boolean,
  moderator: boolean,
  admin: boolean,
  bannedAdmin: boolean,
  memberOwn: boolean,
  memberOther: boolean,
): Record<Who, boolean> {
  return { visitor, member, mentor, moderator, admin, bannedAdmin, memberOwn, memberOther };
}

const person = (role: Role, banned = false): Actor => ({ id: `${role}-id`, role, banned });

describe("permissions: every (role × action) pair", () => {
  test("the expected table covers every action the module knows", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ACTIONS].sort());
  });

  for (const action of ACTIONS) {
    const expected = EXPECTED[action];
    const member = person("member");
    const checks: [Who, boolean][] = [
      ["visitor", can(null, action)],
      ["member", can(member, action)],
      ["mentor", can(person("mentor"), action)],
      ["moderator", can(person("moderator"), action, { ownerId: "someone-else" })],
      ["admin", can(person("admin"), action, { ownerId: "someone-else" })],
      ["bannedAdmin", can(person("admin", true), action, { ownerId: "admin-id" })],
      ["memberOwn", can(member, action, { ownerId: "member-id" })],
      ["memberOther", can(member, action, { ownerId: "someone-else" })],
    ];
    for (const [who, actual] of checks) {
      test(`${action} by ${who}: ${expected[who] ? "allowed" : "refused"}`, () => {
        expect(actual).toBe(expected[who]);
      });
    }
  }
});

describe("permissions: role × trust level × ownership", () => {
  for (const action of ACTIONS) {
    for (const level of [0, 1, 2, 3, 4] as const) {
      const trusted: Actor = { id: "member-id", role: "member", banned: false, trustLevel: level };
      const expected = BY_TRUST[action] ?? {
        other: Array(5).fill(EXPECTED[action].memberOther) as ByLevel,
        own: Array(5).fill(EXPECTED[action].memberOwn) as ByLevel,
      };
      test(`${action} by a member at trust level ${level}`, () => {
        expect(can(trusted, action, { ownerId: "someone-else" })).toBe(expected.other[level]);
        expect(can(trusted, action, { ownerId: "member-id" })).toBe(expected.own[level]);
      });
    }
    test(`${action}: a banned member at trust level 4 may not`, () => {
      expect(can({ id: "member-id", role: "member", banned: true, trustLevel: 4 }, action, { ownerId: "x" })).toBe(
        false,
      );
    });
  }

  test("mentors and staff keep their roles whatever their trust level", () => {
    const newModerator: Actor = { id: "mod", role: "moderator", banned: false, trustLevel: 0 };
    expect(can(newModerator, "question.close")).toBe(true);
    expect(can(newModerator, "post.edit", { ownerId: "someone" })).toBe(true);
    expect(can({ id: "m", role: "mentor", banned: false, trustLevel: 0 }, "session.create")).toBe(true);
  });
});

describe("requirePermission", () => {
  test("visitors are asked to sign in (401)", () => {
    try {
      requirePermission(null, "admin.view");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(Response);
      expect((error as Response).status).toBe(401);
    }
  });

  test("members get 403 on admin actions, admins pass", () => {
    try {
      requirePermission(person("member"), "space.create");
      expect.unreachable();
    } catch (error) {
      expect((error as Response).status).toBe(403);
    }
    expect(() => requirePermission(person("admin"), "space.create")).not.toThrow();
  });
});

describe("why a refusal says no", () => {
  const member = { id: "member-id", role: "member", banned: false } as const;
  const own = { ownerId: "member-id" };
  const other = { ownerId: "someone-else" };
  const GENERIC = "Your account doesn't have permission to do that.";

  test("names who may, from the rule, in plain words", () => {
    expect(deniedMessage(member, "space.create")).toBe("Only admins can do that.");
    expect(deniedMessage(member, "question.close")).toBe("Only moderators and admins can do that.");
    expect(deniedMessage(member, "post.delete", other)).toBe("Only its author, moderators and admins can do that.");
    expect(deniedMessage(member, "post.vote", own)).toBe("You can't do that on your own post.");
    expect(deniedMessage(member, "flag.create", own)).toBe("You can't do that on your own post.");
    expect(deniedMessage({ ...member, banned: true }, "question.create")).toBe(
      "Your account is suspended, so you can't do that.",
    );
  });

  test("opening a staff page says whose page it is, not what may be done", () => {
    expect(deniedMessage(member, "review.view")).toBe("This page is for moderators and admins.");
    expect(deniedMessage(member, "admin.view")).toBe("This page is for admins.");
  });

  test("says what to do instead where there is something", () => {
    expect(deniedMessage(member, "session.create")).toMatch(/hosted by mentors, moderators and admins.*ask an admin/);
    expect(deniedMessage(member, "post.edit", other)).toMatch(/suggest a change in a comment.*suggest an edit/);
    expect(deniedMessage(member, "question.voteClose", other)).toMatch(/Trust levels.*flag it/);
    for (const action of ["post.edit", "question.voteClose", "question.voteReopen"] as const)
      expect(deniedMessage(member, action, other)).not.toMatch(/trust level \d/);
    expect(deniedMessage(member, "answer.accept", other)).toBe(
      "Only the person who asked this question can accept an answer.",
    );
  });

  test("every refusal a member can meet on a post of their own or someone else's has its own reason", () => {
    for (const action of ACTIONS)
      for (const target of [own, other])
        if (!can(member, action, target))
          expect(deniedMessage(member, action, target), `${action} ${target.ownerId}`).not.toBe(GENERIC);
  });

  test("the 403 carries the reason", async () => {
    try {
      requirePermission(person("member"), "session.create");
      expect.unreachable();
    } catch (error) {
      expect((error as Response).status).toBe(403);
      expect(await (error as Response).text()).toMatch(/^Q&A sessions are hosted by mentors/);
    }
  });
});

describe("staff who must use two-step sign-in and have not turned it on", () => {
  const pending = (role: Role): Actor => ({ id: `${role}-id`, role, banned: false, needsTwoFactor: true });

  test("keep every member permission, and only those", () => {
    for (const action of ACTIONS)
      for (const role of ["mentor", "moderator", "admin"] as const) {
        expect(can(pending(role), action, { ownerId: "someone-else" }), `${role} ${action}`).toBe(
          can(person("member"), action, { ownerId: "someone-else" }),
        );
        expect(can(pending(role), action, { ownerId: `${role}-id` }), `${role} own ${action}`).toBe(
          can({ id: `${role}-id`, role: "member", banned: false }, action, { ownerId: `${role}-id` }),
        );
      }
  });

  test("are sent to set it up (302) before a staff action, and refused (403) for what their role never allows", () => {
    try {
      requirePermission(pending("admin"), "space.create");
      expect.unreachable();
    } catch (error) {
      expect((error as Response).status).toBe(302);
      expect((error as Response).headers.get("location")).toBe("/settings/security?required=1");
    }
    try {
      requirePermission(pending("mentor"), "space.create");
      expect.unreachable();
    } catch (error) {
      expect((error as Response).status).toBe(403);
    }
    expect(() => requirePermission(pending("moderator"), "question.create")).not.toThrow();
  });
});

// People who have not confirmed their email address yet may open every form they otherwise could (and keep drafts),
// but these writes (and votes, flags, thanks and ratings) wait for the confirmation; everything else is unchanged.
// Written out by hand, as above.
const WAITS_FOR_CONFIRMED_EMAIL: readonly Action[] = [
  "question.create",
  "answer.create",
  "comment.create",
  "howto.create",
  "howto.suggestEdit",
  "image.upload",
  "session.create",
  "session.ask",
  "post.vote",
  "session.vote",
  "flag.create",
  "answer.thank",
  "howto.rate",
  "help.rate",
];

describe("permissions: someone whose email address is not confirmed yet", () => {
  const unconfirmed = (role: Role, emailVerified = false): Actor => ({
    id: `${role}-id`,
    role,
    banned: false,
    emailVerified,
  });
  for (const action of ACTIONS) {
    const waits = WAITS_FOR_CONFIRMED_EMAIL.includes(action);
    test(`${action}: ${waits ? "waits for a confirmed address" : "as for anyone with their role"}`, () => {
      for (const role of ["member", "mentor", "moderator", "admin"] as const) {
        const actor = unconfirmed(role);
        expect(can(actor, action, { ownerId: "someone-else" })).toBe(
          can(person(role), action, { ownerId: "someone-else" }),
        );
        expect(needsConfirmedEmail(actor, action)).toBe(waits);
        expect(needsConfirmedEmail(unconfirmed(role, true), action)).toBe(false);
      }
    });
  }
});

describe("acting on a person (warn, silence, lift a silence, hide a profile)", () => {
  // Written out by hand: rows are who acts, columns who they act on (someone else with that role).
  const ON: Record<Role, Record<Role, boolean>> = {
    //         member mentor moderator admin
    member: { member: N, mentor: N, moderator: N, admin: N },
    mentor: { member: N, mentor: N, moderator: N, admin: N },
    moderator: { member: Y, mentor: Y, moderator: N, admin: N },
    admin: { member: Y, mentor: Y, moderator: Y, admin: N },
  };
  for (const [actorRole, row] of Object.entries(ON) as [Role, Record<Role, boolean>][])
    for (const [targetRole, expected] of Object.entries(row) as [Role, boolean][])
      test(`a ${actorRole} on a ${targetRole}: ${expected ? "allowed" : "refused"}`, () => {
        expect(canModeratePerson(person(actorRole), { id: "someone-else", role: targetRole })).toBe(expected);
      });

  test("never on one's own account, never by a visitor, a banned admin or an admin still owing two-step sign-in", () => {
    for (const role of ["member", "moderator", "admin"] as const)
      expect(canModeratePerson(person(role), { id: `${role}-id`, role: "member" }), role).toBe(false);
    const member = { id: "someone-else", role: "member" as const };
    expect(canModeratePerson(null, member)).toBe(false);
    expect(canModeratePerson(person("admin", true), member)).toBe(false);
    expect(canModeratePerson({ id: "admin-id", role: "admin", banned: false, needsTwoFactor: true }, member)).toBe(
      false,
    );
  });
});
