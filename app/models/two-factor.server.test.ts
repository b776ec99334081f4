/**
 * Two-step sign-in end to end through the routes on the real database: set-up with a QR code and a code computed
 * here from the secret (RFC 6238, independently of better-auth), backup codes shown once and each usable once,
 * signing in with a code, turning it off with the password, rate limits, and the rule that staff must use it.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { moderationLog, sessions, users } from "#db/schema";
import { action as securityAction, loader as securityLoader } from "~/routes/settings.security";
import { action as signInAction } from "~/routes/signin";
import { action as secondStepAction, loader as secondStepLoader } from "~/routes/signin_.two-factor";
import { action as adminSecurityAction } from "~/routes/admin.security";
import { action as adminSpacesAction } from "~/routes/admin.spaces";
import { createTestDatabase } from "../../tests/fixtures/db";
import { Browser, type TestServices, payload, signUp, testServices } from "../../tests/fixtures/routes";
import { describeTotpUri, getSecuritySettings, setStaffTwoFactorRequirement } from "./two-factor.server";
import { totp } from "../../tests/fixtures/totp";

let database: Database;
let services: TestServices;
let ipCounter = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
});
afterAll(() => database.close());

function newBrowser(svc = services) {
  ipCounter += 1;
  return new Browser(svc, `10.30.${Math.floor(ipCounter / 250)}.${ipCounter % 250}`);
}

type SecurityData = {
  ok: boolean;
  message?: string;
  fieldErrors: Record<string, string>;
  setup?: { uri: string; secretForHumans: string; qrDataUrl: string };
  backupCodes?: { codes: string[]; file: string };
};

/** Signs up and turns two-step sign-in on; returns the secret and the backup codes. */
async function personWithTwoFactor(name: string, email: string, password: string) {
  const browser = newBrowser();
  await signUp(browser, { name, email, password });
  const started = payload<SecurityData>(
    await browser.submit(securityAction, "/settings/security", { intent: "enable", password }),
  );
  expect(started.status).toBe(200);
  const setup = started.data.setup;
  if (!setup) throw new Error("no set-up");
  const secret = setup.secretForHumans.replace(/\s/g, "");
  const done = payload<SecurityData>(
    await browser.submit(securityAction, "/settings/security", {
      intent: "verify",
      code: totp(secret),
      totpUri: setup.uri,
    }),
  );
  expect(done.data.ok).toBe(true);
  return { browser, secret, setup, codes: done.data.backupCodes?.codes ?? [], file: done.data.backupCodes?.file ?? "" };
}

async function sessionCount(email: string): Promise<number> {
  const rows = await database.db
    .select({ id: sessions.id })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(users.email, email));
  return rows.length;
}

async function signIn(browser: Browser, email: string, password: string) {
  return browser.submit(signInAction, "/signin", { email, password, redirectTo: "/questions" });
}

describe("turning two-step sign-in on", () => {
  test("a QR code and the secret as text, confirmed by a real code; backup codes shown once and downloadable", async () => {
    const browser = newBrowser();
    await signUp(browser, { name: "Nadia Quint", email: "nadia@example.com", password: "nadia prints the quarterly" });
    expect(payload<{ state: string }>(await browser.load(securityLoader, "/settings/security")).data.state).toBe("off");

    const wrongPassword = payload<SecurityData>(
      await browser.submit(securityAction, "/settings/security", { intent: "enable", password: "not her password" }),
    );
    expect(wrongPassword.status).toBe(400);
    expect(wrongPassword.data.fieldErrors.password).toMatch(/isn't your password/);

    const started = payload<SecurityData>(
      await browser.submit(securityAction, "/settings/security", {
        intent: "enable",
        password: "nadia prints the quarterly",
      }),
    );
    const setup = started.data.setup;
    expect(setup?.qrDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    const svg = Buffer.from(setup?.qrDataUrl.split(",")[1] ?? "", "base64").toString("utf8");
    expect(svg).toMatch(/^<svg[^>]*>/);
    expect(svg).not.toMatch(/<script/i);
    expect(setup?.uri).toMatch(/^otpauth:\/\/totp\/PeerDesk:nadia%40example\.com\?/);
    expect(setup?.secretForHumans).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
    expect(payload<{ state: string }>(await browser.load(securityLoader, "/settings/security")).data.state).toBe(
      "pending",
    );

    const secret = (setup?.secretForHumans ?? "").replace(/\s/g, "");
    const wrongCode = payload<SecurityData>(
      await browser.submit(securityAction, "/settings/security", {
        intent: "verify",
        code: totp(secret, Date.now() - 10 * 60_000),
        totpUri: setup?.uri ?? "",
      }),
    );
    expect(wrongCode.status).toBe(400);
    expect(wrongCode.data.fieldErrors.code).toMatch(/didn't match/);
    // The QR code stays on the page for another try.
    expect(wrongCode.data.setup?.secretForHumans).toBe(setup?.secretForHumans);

    const done = payload<SecurityData>(
      await browser.submit(securityAction, "/settings/security", {
        intent: "verify",
        code: totp(secret),
        totpUri: setup?.uri ?? "",
      }),
    );
    expect(done.data.ok).toBe(true);
    const codes = done.data.backupCodes?.codes ?? [];
    expect(codes).toHaveLength(10);
    for (const code of codes) expect(code).toMatch(/^[A-Za-z0-9]{5}-[A-Za-z0-9]{5}$/);
    expect(done.data.backupCodes?.file).toContain("PeerDesk backup codes");
    for (const code of codes) expect(done.data.backupCodes?.file).toContain(code);
    const [row] = await database.db.select().from(users).where(eq(users.email, "nadia@example.com"));
    expect(row?.twoFactorEnabled).toBe(true);

    // Shown once: the page afterwards says it is on, and never shows the codes or the secret again.
    const after = payload<Record<string, unknown>>(await browser.load(securityLoader, "/settings/security"));
    expect(after.data.state).toBe("on");
    expect(JSON.stringify(after.data)).not.toContain(codes[0]);
    expect(JSON.stringify(after.data)).not.toContain(secret);
  });

  test("starting set-up again in a second tab keeps the first tab's QR code working", async () => {
    const password = "tabs open for the quarterly figures";
    const browser = newBrowser();
    await signUp(browser, { name: "Tomás Rey", email: "tomas@example.com", password });
    const start = async () =>
      payload<SecurityData>(await browser.submit(securityAction, "/settings/security", { intent: "enable", password }))
        .data.setup;
    const firstTab = await start();
    const secondTab = await start();
    expect(secondTab?.secretForHumans).toBe(firstTab?.secretForHumans);

    // The second start still checks the password.
    const wrongPassword = payload<SecurityData>(
      await browser.submit(securityAction, "/settings/security", { intent: "enable", password: "not his password" }),
    );
    expect(wrongPassword.data.fieldErrors.password).toMatch(/isn't your password/);

    const secret = (firstTab?.secretForHumans ?? "").replace(/\s/g, "");
    const done = payload<SecurityData>(
      await browser.submit(securityAction, "/settings/security", {
        intent: "verify",
        code: totp(secret),
        totpUri: firstTab?.uri ?? "",
      }),
    );
    expect(done.data.ok).toBe(true);
    expect(done.data.backupCodes?.codes).toHaveLength(10);
  });

  test("describeTotpUri refuses anything that is not an authenticator address", async () => {
    expect(await describeTotpUri("javascript:alert(1)")).toBeNull();
    expect(await describeTotpUri("otpauth://totp/X?secret=not-base32!")).toBeNull();
    expect(await describeTotpUri("otpauth://totp/PeerDesk:a?secret=JBSWY3DPEHPK3PXPJBSWY3DP")).not.toBeNull();
  });
});

describe("signing in with two-step sign-in", () => {
  test("the password alone gives no session; the code from the app does", async () => {
    const { secret } = await personWithTwoFactor("Omar Lind", "omar@example.com", "omar keeps the server room cold");
    const phone = newBrowser();
    const first = await signIn(phone, "omar@example.com", "omar keeps the server room cold");
    expect(first).toBeInstanceOf(Response);
    expect((first as Response).headers.get("location")).toBe("/signin/two-factor?redirectTo=%2Fquestions");
    expect(phone.has("session_token")).toBe(false);
    expect(phone.has("two_factor")).toBe(true);
    // The code page opens (it also offers a passkey, which would come back to the page asked for).
    expect(await phone.load(secondStepLoader, "/signin/two-factor?redirectTo=%2Fquestions")).toEqual({
      passkeyRedirectTo: "/questions",
    });

    const wrong = payload<{ codeError?: string }>(
      await phone.submit(secondStepAction, "/signin/two-factor", { code: "000000", redirectTo: "/questions" }),
    );
    expect(wrong.status).toBe(400);
    expect(wrong.data.codeError).toMatch(/didn't work/);

    // The set-up used this step's code; the app's next one (accepted a step early) signs in.
    const ok = await phone.submit(secondStepAction, "/signin/two-factor", {
      code: totp(secret, Date.now() + 30_000),
      redirectTo: "/questions",
    });
    expect((ok as Response).status).toBe(302);
    expect((ok as Response).headers.get("location")).toBe("/questions");
    expect(phone.has("session_token")).toBe(true);
    expect(phone.has("two_factor")).toBe(false);
  });

  test("each backup code works once; typed without its dash it still works", async () => {
    const { codes } = await personWithTwoFactor("Pia Moss", "pia@example.com", "pia answers the helpdesk phone");
    const [code = "", second = ""] = codes;
    const laptop = newBrowser();
    await signIn(laptop, "pia@example.com", "pia answers the helpdesk phone");
    const used = await laptop.submit(secondStepAction, "/signin/two-factor", { code, redirectTo: "/" });
    expect((used as Response).status).toBe(302);
    expect(laptop.has("session_token")).toBe(true);

    const tablet = newBrowser();
    await signIn(tablet, "pia@example.com", "pia answers the helpdesk phone");
    const again = payload<{ codeError?: string }>(
      await tablet.submit(secondStepAction, "/signin/two-factor", { code, redirectTo: "/" }),
    );
    expect(again.status).toBe(400);
    expect(tablet.has("session_token")).toBe(false);
    const other = await tablet.submit(secondStepAction, "/signin/two-factor", {
      code: second.replace("-", ""),
      redirectTo: "/",
    });
    expect((other as Response).status).toBe(302);
    expect(tablet.has("session_token")).toBe(true);
  });

  test("five wrong codes end the sign-in attempt: the person starts again", async () => {
    const { secret } = await personWithTwoFactor("Quinn Reed", "quinn@example.com", "quinn labels every cable");
    const browser = newBrowser();
    await signIn(browser, "quinn@example.com", "quinn labels every cable");
    for (let i = 0; i < 5; i++)
      await browser.submit(secondStepAction, "/signin/two-factor", { code: "111111", redirectTo: "/" });
    const late = payload<{ expired?: boolean }>(
      await browser.submit(secondStepAction, "/signin/two-factor", {
        code: totp(secret, Date.now() + 30_000),
        redirectTo: "/",
      }),
    );
    expect(late.data.expired).toBe(true);
    expect(browser.has("session_token")).toBe(false);
  });

  test("a code from the app works once: sent again, even at once, it makes no second session", async () => {
    const { secret } = await personWithTwoFactor("Vera Holm", "vera@example.com", "vera rotates the keys");
    const code = totp(secret, Date.now() + 30_000);
    const before = await sessionCount("vera@example.com");
    const browsers = [newBrowser(), newBrowser(), newBrowser()];
    for (const browser of browsers) await signIn(browser, "vera@example.com", "vera rotates the keys");
    const answers = await Promise.all(
      browsers.map((browser) => browser.submit(secondStepAction, "/signin/two-factor", { code, redirectTo: "/" })),
    );
    const signedIn = answers.filter((answer) => answer instanceof Response && answer.status === 302);
    expect(signedIn).toHaveLength(1);
    const refusals = answers.filter((answer) => !(answer instanceof Response)).map((answer) => payload(answer));
    expect(refusals.map((r) => r.status)).toEqual([400, 400]);
    expect(refusals.map((r) => (r.data as { codeError?: string }).codeError)).toEqual([
      "That code was just used. Wait for the next one on your app.",
      "That code was just used. Wait for the next one on your app.",
    ]);
    expect(browsers.filter((browser) => browser.has("session_token"))).toHaveLength(1);
    // An older code than the one used is refused too; the next one works.
    const late = browsers.find((browser) => !browser.has("session_token")) ?? newBrowser();
    const older = payload<{ codeError?: string }>(
      await late.submit(secondStepAction, "/signin/two-factor", { code: totp(secret), redirectTo: "/" }),
    );
    expect(older.data.codeError).toMatch(/just used/);
    expect(await sessionCount("vera@example.com")).toBe(before + 1);
  });

  test("code checks count per sign-in, not per address: an office behind one address all get in", async () => {
    const limited = testServices(database, { rateLimit: true });
    const people = [];
    for (let i = 0; i < 7; i++)
      people.push(
        await personWithTwoFactor(`Office Person ${i}`, `office${i}@example.com`, `office ${i} shares a line`),
      );
    const statuses: number[] = [];
    for (const [i, person] of people.entries()) {
      const browser = new Browser(limited, "10.99.9.9");
      await signIn(browser, `office${i}@example.com`, `office ${i} shares a line`);
      // One typo each first, as people make.
      await browser.submit(secondStepAction, "/signin/two-factor", { code: "222222", redirectTo: "/" });
      const done = await browser.submit(secondStepAction, "/signin/two-factor", {
        code: totp(person.secret, Date.now() + 30_000),
        redirectTo: "/",
      });
      statuses.push(done instanceof Response ? done.status : payload(done).status);
    }
    expect(statuses).toEqual(Array(7).fill(302));
    // A pending sign-in still ends after five wrong codes, wherever they come from.
    const rui = await personWithTwoFactor("Rui Sol", "rui@example.com", "rui patches on tuesdays");
    const browser = new Browser(limited, "10.99.9.9");
    await signIn(browser, "rui@example.com", "rui patches on tuesdays");
    for (let i = 0; i < 5; i++)
      await browser.submit(secondStepAction, "/signin/two-factor", { code: "222222", redirectTo: "/" });
    const late = payload<{ expired?: boolean }>(
      await browser.submit(secondStepAction, "/signin/two-factor", {
        code: totp(rui.secret, Date.now() + 30_000),
        redirectTo: "/",
      }),
    );
    expect(late.data.expired).toBe(true);
  });

  test("turning it off needs the password; signing in then asks for no code", async () => {
    const { browser } = await personWithTwoFactor("Sara Tan", "sara@example.com", "sara renews the certificates");
    const refused = payload<SecurityData>(
      await browser.submit(securityAction, "/settings/security", { intent: "disable", password: "wrong password!!" }),
    );
    expect(refused.data.fieldErrors.password).toMatch(/isn't your password/);
    const off = payload<SecurityData>(
      await browser.submit(securityAction, "/settings/security", {
        intent: "disable",
        password: "sara renews the certificates",
      }),
    );
    expect(off.data.ok).toBe(true);
    const fresh = newBrowser();
    const signedIn = await signIn(fresh, "sara@example.com", "sara renews the certificates");
    expect((signedIn as Response).headers.get("location")).toBe("/questions");
    expect(fresh.has("session_token")).toBe(true);
  });
});

describe("staff must use two-step sign-in when admins say so", () => {
  test("an admin can require it only once they use it themselves; it is logged; staff without it are sent to set it up", async () => {
    const admin = newBrowser();
    await signUp(admin, { name: "Tess Admin", email: "tess@example.com", password: "tess signs off the budget" });
    const [tess] = await database.db.select().from(users).where(eq(users.email, "tess@example.com"));
    await database.db.update(users).set({ role: "admin" }).where(eq(users.email, "tess@example.com"));
    const tooEarly = payload<{ ok: boolean; message: string }>(
      await admin.submit(adminSecurityAction, "/admin/security", {
        intent: "save-sign-in-rules",
        requireTwoFactorForStaff: "on",
      }),
    );
    expect(tooEarly.data.ok).toBe(false);
    expect(tooEarly.data.message).toMatch(/your own account first/);
    expect((await getSecuritySettings(database.db)).requireTwoFactorForStaff).toBe(false);

    // A moderator without two-step sign-in, signed in before the rule.
    const moderator = newBrowser();
    await signUp(moderator, { name: "Uma Mod", email: "uma@example.com", password: "uma reads every report" });
    await database.db.update(users).set({ role: "admin" }).where(eq(users.email, "uma@example.com"));

    await database.db
      .update(users)
      .set({ twoFactorEnabled: true })
      .where(eq(users.id, tess?.id ?? ""));
    await setStaffTwoFactorRequirement(database.db, { required: true, by: tess?.id ?? "" });
    const [logged] = await database.db
      .select()
      .from(moderationLog)
      .where(eq(moderationLog.action, "security.requireStaffTwoFactor"));
    expect(logged?.actorId).toBe(tess?.id);

    const sent = await moderator.submit(adminSpacesAction, "/admin/spaces", { intent: "create", name: "Printers" });
    expect(sent).toBeInstanceOf(Response);
    expect((sent as Response).status).toBe(302);
    expect((sent as Response).headers.get("location")).toBe("/settings/security?required=1");

    // Setting it up is allowed, and once on, it can't be turned off while the rule stands.
    const started = payload<SecurityData>(
      await moderator.submit(securityAction, "/settings/security", {
        intent: "enable",
        password: "uma reads every report",
      }),
    );
    const secret = (started.data.setup?.secretForHumans ?? "").replace(/\s/g, "");
    await moderator.submit(securityAction, "/settings/security", {
      intent: "verify",
      code: totp(secret),
      totpUri: started.data.setup?.uri ?? "",
    });
    const allowed = await moderator.submit(adminSpacesAction, "/admin/spaces", { intent: "create", name: "Printers" });
    expect(allowed instanceof Response && allowed.headers.get("location") === "/settings/security?required=1").toBe(
      false,
    );
    const keep = payload<SecurityData>(
      await moderator.submit(securityAction, "/settings/security", {
        intent: "disable",
        password: "uma reads every report",
      }),
    );
    expect(keep.status).toBe(403);
    expect(keep.data.message).toMatch(/required for your role/);
    await setStaffTwoFactorRequirement(database.db, { required: false, by: tess?.id ?? "" });
    expect(
      await database.db
        .select()
        .from(sessions)
        .where(eq(sessions.userId, tess?.id ?? "")),
    ).not.toHaveLength(0);
  });
});
