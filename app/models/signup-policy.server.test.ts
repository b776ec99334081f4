import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { moderationLog, signupInvitations } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import {
  DOMAIN_REFUSED_MESSAGE,
  admitNewAccount,
  createInvitation,
  getAllowedDomains,
  invitationIsUsable,
  listInvitations,
  revokeInvitation,
  setAllowedDomains,
} from "./signup-policy.server";
import { makeUser } from "../../tests/fixtures/people";

let database: Database;
let adminId: string;
beforeAll(async () => {
  database = await createTestDatabase();
  adminId = await makeUser(database.db, { role: "admin" });
});
afterAll(() => database.close());

describe("who may join", () => {
  test("with no domains set, anyone may join", async () => {
    expect(await getAllowedDomains(database.db)).toEqual([]);
    expect(await admitNewAccount(database.db, { email: "someone@anywhere.example" })).toEqual({ ok: true });
  });

  test("an admin's domain list is tidied (case, '@', repeats) and logged; other domains are refused plainly", async () => {
    const saved = await setAllowedDomains(database.db, {
      domains: ["Corp.Example", "@corp.example", "subsidiary.example"],
      by: adminId,
    });
    expect(saved).toEqual(["corp.example", "subsidiary.example"]);
    expect(await admitNewAccount(database.db, { email: "ada@CORP.example" })).toEqual({ ok: true });
    expect(await admitNewAccount(database.db, { email: "eve@evil.example" })).toEqual({
      ok: false,
      message: DOMAIN_REFUSED_MESSAGE,
    });
    // A look-alike is not the domain.
    expect((await admitNewAccount(database.db, { email: "eve@notcorp.example" })).ok).toBe(false);
    const log = await database.db.select().from(moderationLog).where(eq(moderationLog.action, "signup.domains"));
    expect(log).toHaveLength(1);
  });

  test("an invitation admits people from other domains, as many times as it allows", async () => {
    const { token } = await createInvitation(database.db, { by: adminId, maxUses: 2, days: 7, note: "contractors" });
    expect(await invitationIsUsable(database.db, token)).toBe(true);
    expect((await admitNewAccount(database.db, { email: "a@elsewhere.example", invitationToken: token })).ok).toBe(
      true,
    );
    expect((await admitNewAccount(database.db, { email: "b@elsewhere.example", invitationToken: token })).ok).toBe(
      true,
    );
    const third = await admitNewAccount(database.db, { email: "c@elsewhere.example", invitationToken: token });
    expect(third).toEqual({ ok: false, message: expect.stringMatching(/expired or been used up/) });
    expect(await invitationIsUsable(database.db, token)).toBe(false);
    const [listed] = await listInvitations(database.db);
    expect(listed).toMatchObject({ note: "contractors", uses: 2, maxUses: 2 });
  });

  test("two people racing for the last use: exactly one gets in", async () => {
    const { token } = await createInvitation(database.db, { by: adminId, maxUses: 1, days: 1 });
    const results = await Promise.all(
      ["x@elsewhere.example", "y@elsewhere.example", "z@elsewhere.example"].map((email) =>
        admitNewAccount(database.db, { email, invitationToken: token }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  test("expired, revoked and made-up invitations admit nobody", async () => {
    const now = new Date("2020-03-01T10:00:00Z");
    const expired = await createInvitation(database.db, { by: adminId, maxUses: 5, days: 1, now });
    expect(
      (await admitNewAccount(database.db, { email: "p@elsewhere.example", invitationToken: expired.token })).ok,
    ).toBe(false);
    const revoked = await createInvitation(database.db, { by: adminId, maxUses: 5, days: 1 });
    expect(await revokeInvitation(database.db, { id: revoked.id })).toBe(true);
    expect(await revokeInvitation(database.db, { id: revoked.id })).toBe(false);
    expect(
      (await admitNewAccount(database.db, { email: "q@elsewhere.example", invitationToken: revoked.token })).ok,
    ).toBe(false);
    expect((await admitNewAccount(database.db, { email: "r@elsewhere.example", invitationToken: "made-up" })).ok).toBe(
      false,
    );
    expect(await invitationIsUsable(database.db, "x".repeat(500))).toBe(false);
  });

  test("only a hash of the link's secret is stored", async () => {
    const { id, token } = await createInvitation(database.db, { by: adminId, maxUses: 1, days: 1 });
    const [row] = await database.db.select().from(signupInvitations).where(eq(signupInvitations.id, id));
    expect(row?.tokenHash).not.toContain(token);
    expect(row?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    await setAllowedDomains(database.db, { domains: [], by: adminId });
  });
});
