import { and, desc, eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { accounts, emailOutbox, sessions, twoFactors, users } from "#db/schema";
import { TOTP_CODE_USED_MESSAGE, stepOfCode } from "~/auth/totp-replay.server";
import { action as confirmEmailAction } from "~/routes/confirm-email";
import { action as accountAction, loader as accountLoader } from "~/routes/settings.account";
import { loader as devicesLoader } from "~/routes/settings.devices";
import { action as securityAction, loader as securityLoader } from "~/routes/settings.security";
import { action as resetAction, loader as resetLoader } from "~/routes/reset-password";
import { action as verifyAction } from "~/routes/verify-email";
import { createTestDatabase } from "./fixtures/db";
import { makeUser } from "./fixtures/people";
import { BASE, Browser, type TestServices, payload, signUp, testServices } from "./fixtures/routes";

let database: Database;
let services: TestServices;
let ipCounter = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  services = Object.assign(testServices(database), {
    secret: "s".repeat(40),
    env: { PASSWORD_SIGNUP: true, ssoProviders: [{ id: "contoso", name: "Contoso Sign-In" }] },
  }) as TestServices;
  // The site's very first account becomes its admin; these tests are about members.
  await makeUser(database.db, { email: "first-admin@example.com", role: "admin" });
});
afterAll(() => database.close());

function newBrowser() {
  ipCounter += 1;
  return new Browser(services, `10.71.0.${ipCounter}`);
}

async function person(name: string, email: string, password: string) {
  const browser = newBrowser();
  await signUp(browser, { name, email, password });
  const [row] = await database.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (!row) throw new Error("no user");
  return { browser, id: row.id };
}

async function mailsTo(to: string) {
  return database.db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, to)).orderBy(desc(emailOutbox.id));
}

function tokenFrom(text: string | undefined, page: string): string {
  const match = new RegExp(`${BASE}${page}\\?token=([^\\s]+)`).exec(text ?? "");
  if (!match?.[1]) throw new Error(`no ${page} link in: ${text}`);
  return decodeURIComponent(match[1]);
}

describe("a confirmed change of sign-in address", () => {
  test("signs every other device out, keeps the one it was confirmed on, and says so", async () => {
    const password = "hugo moves the servers on tuesdays";
    const laptop = await person("Hugo Berg", "hugo@example.com", password);
    const phone = newBrowser();
    // A second device of Hugo's: signed in with his password.
    const phoneSignIn = await services.auth.handler(
      phone.request("/api/auth/sign-in/email", {
        method: "POST",
        body: JSON.stringify({ email: "hugo@example.com", password }),
        headers: { "content-type": "application/json" },
      }),
    );
    expect(phoneSignIn.status).toBe(200);
    const hugoSessions = () =>
      database.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, laptop.id));
    expect(await hugoSessions()).toHaveLength(2);

    const asked = payload<{ ok: boolean }>(
      await laptop.browser.submit(accountAction, "/settings/account", {
        intent: "email",
        newEmail: "hugo.berg@example.com",
        currentPassword: password,
      }),
    );
    expect(asked.data.ok).toBe(true);
    const [mail] = await mailsTo("hugo.berg@example.com");
    const token = tokenFrom(mail?.textBody, "/confirm-email");
    const confirmed = await laptop.browser.submit(confirmEmailAction, "/confirm-email", { token });
    expect(confirmed).toBeInstanceOf(Response);
    expect((confirmed as Response).headers.get("Location")).toBe("/settings/account?email=changed");
    const left = await hugoSessions();
    expect(left).toHaveLength(1);
    const page = payload<{ email: string }>(
      await laptop.browser.load(accountLoader, "/settings/account?email=changed"),
    );
    expect(page.data.email).toBe("hugo.berg@example.com");
  });

  test("confirmed on a device that isn't signed in, every device is signed out and the page says so", async () => {
    const ida = await person("Ida Lund", "ida@example.com", "ida lund checks the fire doors");
    await ida.browser.submit(accountAction, "/settings/account", {
      intent: "email",
      newEmail: "ida.lund@example.com",
      currentPassword: "ida lund checks the fire doors",
    });
    const [mail] = await mailsTo("ida.lund@example.com");
    const done = payload<{ done: boolean }>(
      await newBrowser().submit(confirmEmailAction, "/confirm-email", {
        token: tokenFrom(mail?.textBody, "/confirm-email"),
      }),
    );
    expect(done.data.done).toBe(true);
    expect(await database.db.select().from(sessions).where(eq(sessions.userId, ida.id))).toHaveLength(0);
  });
});

describe("setting up two-step sign-in", () => {
  test("the code that was just used, entered again, is told so in its own words, and the QR code stays", async () => {
    const password = "jon keeps the spare laptops";
    const jon = await person("Jon Aho", "jon@example.com", password);
    const started = payload<{ setup?: { uri: string } }>(
      await jon.browser.submit(securityAction, "/settings/security", { intent: "enable", password }),
    );
    const uri = started.data.setup?.uri ?? "";
    // The authenticator's code for now, from the secret better-auth stored (as totp-replay.server.ts reads it).
    const [row] = await database.db.select().from(twoFactors).where(eq(twoFactors.userId, jon.id));
    const { symmetricDecrypt } = await import("better-auth/crypto");
    const secret = await symmetricDecrypt({
      key: (await services.auth.$context).secretConfig,
      data: row?.secret ?? "",
    });
    const { createOTP } = await import("@better-auth/utils/otp");
    const code = await createOTP(secret, { digits: 6, period: 30 }).totp();
    // This code was just used: its time step is claimed already.
    await database.db
      .update(twoFactors)
      .set({ lastTotpStep: await stepOfCode(secret, code) })
      .where(eq(twoFactors.userId, jon.id));
    const refused = payload<{ fieldErrors: Record<string, string>; setup?: unknown; message?: string }>(
      await jon.browser.submit(securityAction, "/settings/security", { intent: "verify", code, totpUri: uri }),
    );
    expect(refused.status).toBe(400);
    expect(refused.data.fieldErrors.code).toBe(TOTP_CODE_USED_MESSAGE);
    expect(refused.data.message).toBeUndefined();
    expect(refused.data.setup).toBeDefined();
  });
});

describe("an account without a password that wasn't made through single sign-on", () => {
  async function adminMade(name: string, email: string) {
    const made = await person(name, email, `${name.toLowerCase()} sorts the post room`);
    await database.db.update(accounts).set({ password: null }).where(eq(accounts.userId, made.id));
    return made;
  }

  test("the settings pages don't speak of a workplace sign-in", async () => {
    const kai = await adminMade("Kai Moe", "kai@example.com");
    const account = payload<{ hasPassword: boolean; signInName: string | null }>(
      await kai.browser.load(accountLoader, "/settings/account"),
    );
    expect(account.data).toMatchObject({ hasPassword: false, signInName: null });
    const refused = payload<{ message?: string }>(
      await kai.browser.submit(accountAction, "/settings/account", { intent: "password" }),
    );
    expect(refused.data.message).toBe(
      'Your account has no password yet. Use "Set a password" to get a link for choosing one.',
    );
    const sent = payload<{ ok: boolean; message?: string }>(
      await kai.browser.submit(accountAction, "/settings/account", { intent: "set-password" }),
    );
    expect(sent.data.ok).toBe(true);
    expect(sent.data.message).not.toMatch(/workplace|keep signing in/);

    const security = payload<{ viaWorkplace: boolean }>(await kai.browser.load(securityLoader, "/settings/security"));
    expect(security.data.viaWorkplace).toBe(false);
    const devices = payload<{ viaWorkplace: boolean }>(await kai.browser.load(devicesLoader, "/settings/devices"));
    expect(devices.data.viaWorkplace).toBe(false);

    // The link sets a first password: the page says so, and the notice afterwards says a password was set.
    const [mail] = (await mailsTo("kai@example.com")).filter((m) => m.kind === "password_reset");
    const token = tokenFrom(mail?.textBody, "/reset-password");
    const page = payload<{ isFirstPassword: boolean }>(
      await kai.browser.load(resetLoader, `/reset-password?token=${encodeURIComponent(token)}`),
    );
    expect(page.data.isFirstPassword).toBe(true);
    const saved = await kai.browser.submit(resetAction, "/reset-password", {
      token,
      newPassword: "kai moe finally picked one",
    });
    expect(saved).toBeInstanceOf(Response);
    // The sign-in page it leads to says the password is set (not "changed").
    expect((saved as Response).headers.get("location")).toBe("/signin?reset=first");
    const [notice] = (await mailsTo("kai@example.com")).filter((m) => m.kind === "account_notice");
    expect(notice?.subject).toBe("A password was set for your PeerDesk account");
    expect(notice?.textBody).not.toContain("was just reset");
  });

  test("a reset of an existing password still reads as a reset", async () => {
    const lea = await person("Lea Voss", "lea@example.com", "lea voss labels the cables");
    await services.auth.handler(
      lea.browser.request("/api/auth/request-password-reset", {
        method: "POST",
        body: JSON.stringify({ email: "lea@example.com" }),
        headers: { "content-type": "application/json" },
      }),
    );
    const [mail] = (await mailsTo("lea@example.com")).filter((m) => m.kind === "password_reset");
    const token = tokenFrom(mail?.textBody, "/reset-password");
    const page = payload<{ isFirstPassword: boolean }>(
      await newBrowser().load(resetLoader, `/reset-password?token=${encodeURIComponent(token)}`),
    );
    expect(page.data.isFirstPassword).toBe(false);
    await newBrowser().submit(resetAction, "/reset-password", { token, newPassword: "lea voss relabels the cables" });
    const [notice] = (await mailsTo("lea@example.com")).filter((m) => m.kind === "account_notice");
    expect(notice?.textBody).toContain("was just reset");
  });
});

test('two "send the link again" presses at once: one says sent, the other that a link was just sent', async () => {
  const mia = await person("Mia Holm", "mia@example.com", "mia holm waters the ferns");
  const answers = await Promise.all(
    [1, 2].map(async () =>
      payload<{ outcome: string; message?: string }>(
        await mia.browser.submit(verifyAction, "/verify-email", { intent: "resend" }),
      ),
    ),
  );
  expect(answers.map((answer) => answer.data.outcome).sort()).toEqual(["just-sent", "sent"]);
  const second = answers.find((answer) => answer.data.outcome === "just-sent");
  expect(second?.data.message).toMatch(/^We sent a link to mia@example\.com a moment ago\./);
  const links = await database.db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.userId, mia.id), eq(emailOutbox.kind, "email_verification")));
  // The sign-up's link and one more.
  expect(links).toHaveLength(2);
});
