import { and, desc, eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { emailOutbox, users } from "#db/schema";
import { askQuestion } from "~/models/questions.server";
import { PostingError } from "~/models/post-errors.server";
import { createInvitation, setAllowedDomains } from "~/models/signup-policy.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { type Auth, CLIENT_IP_HEADER, createAuth } from "./auth.server";
import { INVITATION_HEADER, SIGNUP_NOT_ALLOWED } from "./join-guard.server";
import { makeSpace, makeUser } from "../../tests/fixtures/people";

// Joining with a password: the address is confirmed by an emailed link before posting, and only allowed domains (or
// invitations) may join. Through better-auth's HTTP handler on the real database.
const BASE = "http://localhost:3000";
let database: Database;
let auth: Auth;
let adminId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  auth = createAuth(database.db, { secret: "s".repeat(40), baseURL: BASE, rateLimit: false });
  adminId = await makeUser(database.db, { role: "admin", email: "admin@corp.example" });
});
afterAll(() => database.close());

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return auth.handler(
    new Request(`${BASE}/api/auth${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: BASE, [CLIENT_IP_HEADER]: "10.2.0.1", ...headers },
      body: JSON.stringify(body),
    }),
  );
}

const PASSWORD = "a long and unusual sentence for testing";

async function lastLinkTo(email: string): Promise<string> {
  const [mail] = await database.db
    .select({ text: emailOutbox.textBody })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.toAddress, email), eq(emailOutbox.kind, "email_verification")))
    .orderBy(desc(emailOutbox.id))
    .limit(1);
  const match = /(http\S+\/verify-email\?token=\S+)/.exec(mail?.text ?? "");
  if (!match?.[1]) throw new Error(`no confirmation link was sent to ${email}`);
  return match[1];
}

describe("confirming the address of a new account", () => {
  test("signing up sends a confirmation link; posting waits for it; the link confirms the address", async () => {
    const res = await post("/sign-up/email", { name: "New Person", email: "new@corp.example", password: PASSWORD });
    expect(res.status).toBe(200);
    const [person] = await database.db.select().from(users).where(eq(users.email, "new@corp.example"));
    expect(person?.emailVerified).toBe(false);
    const link = await lastLinkTo("new@corp.example");
    expect(link.startsWith(`${BASE}/verify-email?token=`)).toBe(true);

    const spaceId = await makeSpace(database.db);
    const actor = { id: person?.id ?? "", role: "member" as const, banned: false, emailVerified: false };
    const question = {
      actor,
      spaceId,
      title: "How do I map a network drive on a new laptop?",
      body: "The old instructions from the wiki don't work on the new laptops anymore.",
      tags: "windows",
      isPlainLanguage: false,
    };
    const refusal = await askQuestion(database.db, question).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(PostingError);
    expect((refusal as PostingError).status).toBe(403);
    expect((refusal as PostingError).message).toMatch(/confirm your email address first/);

    const token = new URL(link).searchParams.get("token") ?? "";
    const verified = await auth.handler(
      new Request(`${BASE}/api/auth/verify-email?token=${encodeURIComponent(token)}`, {
        headers: { [CLIENT_IP_HEADER]: "10.2.0.1" },
      }),
    );
    expect(verified.status).toBe(200);
    const [after] = await database.db.select().from(users).where(eq(users.email, "new@corp.example"));
    expect(after?.emailVerified).toBe(true);
    const { questionId } = await askQuestion(database.db, { ...question, actor: { ...actor, emailVerified: true } });
    expect(questionId).toBeGreaterThan(0);
  });

  test("asking for the link again is capped per account, however often the button is pressed", async () => {
    await post("/sign-up/email", { name: "Impatient", email: "impatient@corp.example", password: PASSWORD });
    for (let i = 0; i < 5; i++)
      await post(
        "/send-verification-email",
        { email: "impatient@corp.example" },
        { [CLIENT_IP_HEADER]: `10.3.0.${i}` },
      );
    const sent = await database.db
      .select({ id: emailOutbox.id })
      .from(emailOutbox)
      .where(and(eq(emailOutbox.toAddress, "impatient@corp.example"), eq(emailOutbox.kind, "email_verification")));
    expect(sent).toHaveLength(3);
  });
});

describe("allowed domains and invitations for password sign-up", () => {
  test("another domain is refused with a plain message; an invitation lets them in", async () => {
    await setAllowedDomains(database.db, { domains: ["corp.example"], by: adminId });
    const refused = await post("/sign-up/email", {
      name: "Out Sider",
      email: "out@elsewhere.example",
      password: PASSWORD,
    });
    expect(refused.status).toBe(403);
    const body = (await refused.json()) as { code: string; message: string };
    expect(body.code).toBe(SIGNUP_NOT_ALLOWED);
    expect(body.message).toMatch(/invitation link/);
    expect(await database.db.select().from(users).where(eq(users.email, "out@elsewhere.example"))).toEqual([]);

    const { token } = await createInvitation(database.db, { by: adminId, maxUses: 1, days: 3 });
    const invited = await post(
      "/sign-up/email",
      { name: "Out Sider", email: "out@elsewhere.example", password: PASSWORD },
      { [INVITATION_HEADER]: token },
    );
    expect(invited.status).toBe(200);
    // Used up: the next person with the same link is refused.
    const second = await post(
      "/sign-up/email",
      { name: "Second", email: "second@elsewhere.example", password: PASSWORD },
      { [INVITATION_HEADER]: token },
    );
    expect(second.status).toBe(403);
    // People at the allowed domain need no invitation.
    expect(
      (await post("/sign-up/email", { name: "Insider", email: "in@corp.example", password: PASSWORD })).status,
    ).toBe(200);
    await setAllowedDomains(database.db, { domains: [], by: adminId });
  });

  test("with password sign-up turned off, /sign-up/email creates nobody", async () => {
    const closed = createAuth(database.db, {
      secret: "s".repeat(40),
      baseURL: BASE,
      rateLimit: false,
      passwordSignUp: false,
    });
    const res = await closed.handler(
      new Request(`${BASE}/api/auth/sign-up/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: BASE, [CLIENT_IP_HEADER]: "10.4.0.1" },
        body: JSON.stringify({ name: "Nope", email: "nope@corp.example", password: PASSWORD }),
      }),
    );
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await database.db.select().from(users).where(eq(users.email, "nope@corp.example"))).toEqual([]);
  });
});
