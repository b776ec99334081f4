/**
 * "Create account" pressed twice (two identical sign-ups at once, through the sign-up page's action and better-auth's
 * real handler on the real database): one account, one use of an invitation link, the second press told the account
 * was just made, and no error in the log for what is only a lost race.
 */
import { eq, sql } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { signupInvitations, users } from "#db/schema";
import { createInvitation, setAllowedDomains } from "~/models/signup-policy.server";
import { action as signupAction } from "~/routes/signup";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeUser } from "../../tests/fixtures/people";
import { Browser, type TestServices, payload, testServices } from "../../tests/fixtures/routes";

let database: Database;
let services: TestServices;
let adminId: string;
let ipCounter = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  services = Object.assign(testServices(database), {
    env: { PASSWORD_SIGNUP: true, ssoProviders: [] },
  }) as TestServices;
  adminId = await makeUser(database.db, { role: "admin", email: "admin@corp.example" });
  // Only colleagues at corp.example join without an invitation link.
  await setAllowedDomains(database.db, { domains: ["corp.example"], by: adminId });
});
afterAll(() => database.close());

const PASSWORD = "a long and unusual sentence for testing";

type SignUpData = { fieldErrors: Record<string, string>; formError?: string };

/** The sign-up form sent from one browser, `times` times at once (a double tap); what each press got back. */
async function pressCreateAccount(fields: { name: string; email: string; invite?: string }, times = 2) {
  ipCounter += 1;
  const browser = new Browser(services, `10.91.0.${ipCounter}`);
  return Promise.all(
    Array.from({ length: times }, () =>
      browser.submit(signupAction, "/signup", { password: PASSWORD, audience: "it", ...fields }),
    ),
  );
}

function isRedirect(result: unknown): boolean {
  return result instanceof Response && result.status === 302;
}

async function usesOf(invitationId: string): Promise<number> {
  const [row] = await database.db
    .select({ uses: signupInvitations.uses })
    .from(signupInvitations)
    .where(eq(signupInvitations.id, invitationId));
  return row?.uses ?? -1;
}

async function accountsWith(email: string): Promise<number> {
  return (await database.db.select({ id: users.id }).from(users).where(eq(users.email, email))).length;
}

/** The refused press of a pair: the one that did not go on to the welcome page. */
function refusedOf(results: unknown[]) {
  const refused = results.filter((result) => !isRedirect(result));
  expect(refused).toHaveLength(1);
  return payload<SignUpData>(refused[0]);
}

describe("pressing Create account twice with an invitation link", () => {
  test("a link for two people makes one account and takes one use, leaving the other for the second person", async () => {
    const invitation = await createInvitation(database.db, { by: adminId, maxUses: 2, days: 3 });
    const results = await pressCreateAccount({
      name: "Vera Holm",
      email: "vera@elsewhere.example",
      invite: invitation.token,
    });
    expect(results.filter(isRedirect)).toHaveLength(1);
    expect(await accountsWith("vera@elsewhere.example")).toBe(1);
    expect(await usesOf(invitation.id)).toBe(1);

    const [colleague] = await pressCreateAccount(
      { name: "Ivo Berg", email: "ivo@elsewhere.example", invite: invitation.token },
      1,
    );
    expect(isRedirect(colleague)).toBe(true);
    expect(await usesOf(invitation.id)).toBe(2);
  });

  test("with a link for one person, the second press is told to sign in, not that the link is used up", async () => {
    const invitation = await createInvitation(database.db, { by: adminId, maxUses: 1, days: 3 });
    const results = await pressCreateAccount({
      name: "Lea Strand",
      email: "lea@elsewhere.example",
      invite: invitation.token,
    });
    expect(results.filter(isRedirect)).toHaveLength(1);
    const refused = refusedOf(results);
    expect(refused.status).toBe(400);
    expect(refused.data.fieldErrors.email).toMatch(/created just now.*Sign in/);
    expect(refused.data.fieldErrors.email).not.toMatch(/used up/);
    expect(await accountsWith("lea@elsewhere.example")).toBe(1);
    expect(await usesOf(invitation.id)).toBe(1);

    // Used up for anyone else.
    const [stranger] = await pressCreateAccount(
      { name: "Other Person", email: "other@elsewhere.example", invite: invitation.token },
      1,
    );
    expect(payload<SignUpData>(stranger).status).toBe(403);
    expect(payload<SignUpData>(stranger).data.fieldErrors.email).toMatch(/used up/);
  });

  test("two different people sending the link's last use at once: one joins, the other is told it is used up", async () => {
    const invitation = await createInvitation(database.db, { by: adminId, maxUses: 1, days: 3 });
    ipCounter += 1;
    const results = await Promise.all(
      ["ana", "ben"].map((name) =>
        new Browser(services, `10.92.0.${ipCounter}`).submit(signupAction, "/signup", {
          name: `${name} Person`,
          email: `${name}@elsewhere.example`,
          password: PASSWORD,
          audience: "it",
          invite: invitation.token,
        }),
      ),
    );
    expect(results.filter(isRedirect)).toHaveLength(1);
    expect(refusedOf(results).data.fieldErrors.email).toMatch(/used up/);
    expect((await accountsWith("ana@elsewhere.example")) + (await accountsWith("ben@elsewhere.example"))).toBe(1);
    expect(await usesOf(invitation.id)).toBe(1);
  });
});

describe("the log when Create account is pressed twice", () => {
  function capturedLines() {
    const lines: string[] = [];
    const keep = (line: unknown) => {
      lines.push(String(line));
    };
    const spies = [
      vi.spyOn(console, "log").mockImplementation(keep),
      vi.spyOn(console, "error").mockImplementation(keep),
    ];
    return {
      lines,
      restore: () => {
        for (const spy of spies) spy.mockRestore();
      },
    };
  }

  test("the press that finds its address just taken is no error, and the person is told to sign in", async () => {
    const log = capturedLines();
    let results: unknown[];
    try {
      results = await pressCreateAccount({ name: "Kai Lund", email: "kai@corp.example" });
    } finally {
      log.restore();
    }
    expect(results.filter(isRedirect)).toHaveLength(1);
    expect(refusedOf(results).data.fieldErrors.email).toMatch(/created just now.*Sign in/);
    const errors = log.lines.filter((line) => line.includes('"level":"error"'));
    expect(errors).toEqual([]);
    // Nothing the person typed is written to the log at all.
    expect(log.lines.join("\n")).not.toContain("kai@corp.example");
  });

  test("a sign-up that fails in the database for another reason is still logged as an error", async () => {
    await database.db.execute(sql`
      create function refuse_broken_sign_up() returns trigger language plpgsql as $$
      begin
        if new.email like 'broken-%' then raise exception 'the disk is full'; end if;
        return new;
      end $$`);
    await database.db.execute(
      sql`create trigger refuse_broken_sign_up before insert on users for each row execute function refuse_broken_sign_up()`,
    );
    const log = capturedLines();
    let result: unknown;
    try {
      [result] = await pressCreateAccount({ name: "Broken Disk", email: "broken-disk@corp.example" }, 1);
    } finally {
      log.restore();
    }
    expect(payload<SignUpData>(result).data.formError).toMatch(/couldn't create your account/);
    expect(log.lines.some((line) => line.includes('"level":"error"') && line.includes("Failed to create user"))).toBe(
      true,
    );
  });
});
