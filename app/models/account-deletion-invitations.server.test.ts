/**
 * Deleting an account forgets that its address joined with an invitation: the invitation keeps its count of uses (the
 * use happened) but no longer the hash of the deleted person's address. Through better-auth's sign-up on the real
 * database.
 */
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { signupInvitations, users } from "#db/schema";
import { type Auth, CLIENT_IP_HEADER, createAuth } from "~/auth/auth.server";
import { INVITATION_HEADER } from "~/auth/join-guard.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeUser } from "../../tests/fixtures/people";
import { deleteAccount } from "./account-deletion.server";
import { createInvitation, setAllowedDomains } from "./signup-policy.server";

const BASE = "http://localhost:3000";
const PASSWORD = "a long and unusual sentence for testing";
let database: Database;
let auth: Auth;
let adminId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  auth = createAuth(database.db, { secret: "s".repeat(40), baseURL: BASE, rateLimit: false });
  adminId = await makeUser(database.db, { role: "admin", email: "admin@corp.example" });
  await setAllowedDomains(database.db, { domains: ["corp.example"], by: adminId });
});
afterAll(() => database.close());

/** Signs up with an invitation link, as the sign-up page does; the new account's id. */
async function joinWith(token: string, name: string, email: string): Promise<string> {
  const res = await auth.handler(
    new Request(`${BASE}/api/auth/sign-up/email`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: BASE,
        [CLIENT_IP_HEADER]: "10.4.0.1",
        [INVITATION_HEADER]: token,
      },
      body: JSON.stringify({ name, email, password: PASSWORD }),
    }),
  );
  expect(res.status).toBe(200);
  const [row] = await database.db.select({ id: users.id }).from(users).where(eq(users.email, email.toLowerCase()));
  if (!row) throw new Error(`no account for ${email}`);
  return row.id;
}

const hashOf = (email: string) => createHash("sha256").update(email).digest("hex");

async function invitationRow(id: string) {
  const [row] = await database.db
    .select({ uses: signupInvitations.uses, emailHashes: signupInvitations.emailHashes })
    .from(signupInvitations)
    .where(eq(signupInvitations.id, id));
  return row;
}

test("deleting an account removes its address from the invitation it joined with; the invitation's uses stay counted", async () => {
  const invitation = await createInvitation(database.db, { by: adminId, maxUses: 3, days: 7 });
  const olaId = await joinWith(invitation.token, "Ola Outside", "Ola.Outside@Partner.example");
  await joinWith(invitation.token, "Kim Contractor", "kim@partner.example");
  expect(await invitationRow(invitation.id)).toEqual({
    uses: 2,
    emailHashes: [hashOf("ola.outside@partner.example"), hashOf("kim@partner.example")],
  });

  await deleteAccount(database.db, { userId: olaId, by: olaId, deleteUnansweredQuestions: false });

  // Nothing left says Ola's address joined; Kim's still does, and the link has one use left, as before.
  expect(await invitationRow(invitation.id)).toEqual({ uses: 2, emailHashes: [hashOf("kim@partner.example")] });
});

test("an admin deleting an account at the person's request forgets the address in every invitation that has it", async () => {
  const first = await createInvitation(database.db, { by: adminId, maxUses: 2, days: 7 });
  const second = await createInvitation(database.db, { by: adminId, maxUses: 2, days: 7 });
  const samId = await joinWith(first.token, "Sam Supplier", "sam@supplier.example");
  // An address another invitation took a use for too (a sign-up that failed after the use was taken, then retried).
  await database.db
    .update(signupInvitations)
    .set({ uses: 1, emailHashes: [hashOf("sam@supplier.example")] })
    .where(eq(signupInvitations.id, second.id));

  await deleteAccount(database.db, { userId: samId, by: adminId, deleteUnansweredQuestions: false, reason: "T-42" });

  expect(await invitationRow(first.id)).toEqual({ uses: 1, emailHashes: [] });
  expect(await invitationRow(second.id)).toEqual({ uses: 1, emailHashes: [] });
});
