/**
 * Accounts made through single sign-on have no password: the account page offers "Set a password" (a link emailed to
 * the account's address, whose email says it sets a first password) instead of asking for a password they never had,
 * the address waits until they have one, and the security and devices pages speak of their workplace sign-in.
 * Password accounts read exactly as before. Through the real loaders and actions on the real database with
 * better-auth, and the pages rendered from what the loaders returned.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { and, desc, eq } from "drizzle-orm";
import { renderToStaticMarkup } from "react-dom/server";
import { StaticRouterProvider, createStaticHandler, createStaticRouter } from "react-router-dom/server";
import type { Database } from "#db/client.server";
import { accounts, emailOutbox, users } from "#db/schema";
import AccountSettings, { action as accountAction, loader as accountLoader } from "~/routes/settings.account";
import DeviceSettings, { loader as devicesLoader } from "~/routes/settings.devices";
import { action as resetAction } from "~/routes/reset-password";
import SecuritySettings, { action as securityAction, loader as securityLoader } from "~/routes/settings.security";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeUser } from "../../tests/fixtures/people";
import { BASE, Browser, payload, signUp, testServices } from "../../tests/fixtures/routes";
import { queuePasswordResetEmail } from "./account-email.server";
import { getSignInMethods, workplaceSignInName } from "./account-sign-in.server";
import { hasPassword } from "./two-factor.server";

let database: Database;
let services: ReturnType<typeof testServices> & { env: { ssoProviders: { id: string; name: string }[] } };
let ipCounter = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  // The configured providers, as env.server.ts reads them: the account page names the one a person uses.
  services = { ...testServices(database), env: { ssoProviders: [{ id: "contoso", name: "Contoso Sign-In" }] } };
  // The site's very first account becomes its admin; these tests are about members.
  await makeUser(database.db, { email: "first-admin@example.com", role: "admin" });
});
afterAll(() => database.close());

async function person(name: string, email: string, { viaProvider }: { viaProvider?: string } = {}) {
  ipCounter += 1;
  const browser = new Browser(services, `10.64.0.${ipCounter}`);
  await signUp(browser, { name, email, password: `${name.toLowerCase()} keeps the spare keys` });
  const [row] = await database.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (!row) throw new Error("no user");
  // Made by the provider: its account row names the provider and the person's id there, and holds no password.
  if (viaProvider) {
    await database.db
      .update(accounts)
      .set({ providerId: viaProvider, accountId: `sub-${row.id}`, password: null })
      .where(eq(accounts.userId, row.id));
    await database.db.update(users).set({ emailVerified: true }).where(eq(users.id, row.id));
  }
  return { browser, id: row.id };
}

/** The page's HTML as the route's component renders it from `loaderData` (and an action's answer, if any). */
async function renderPage(Component: () => JSX.Element, loaderData: object, actionData?: object): Promise<string> {
  const routes = [{ id: "page", path: "/page", loader: () => loaderData, action: () => actionData ?? null, Component }];
  const handler = createStaticHandler(routes);
  const request = new Request(`${BASE}/page`, actionData === undefined ? {} : { method: "POST", body: "" });
  const context = await handler.query(request);
  if (context instanceof Response) throw new Error(`expected a page, got ${context.status}`);
  const router = createStaticRouter(handler.dataRoutes, context);
  const html = renderToStaticMarkup(<StaticRouterProvider router={router} context={context} hydrate={false} />);
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, " ");
}

async function pageText(
  browser: Browser,
  loader: (args: LoaderFunctionArgs) => unknown,
  Component: () => JSX.Element,
  path: string,
  actionData?: object,
): Promise<string> {
  return renderPage(Component, payload<object>(await browser.load(loader, path)).data, actionData);
}

async function lastResetEmail(email: string) {
  const [mail] = await database.db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.toAddress, email), eq(emailOutbox.kind, "password_reset")))
    .orderBy(desc(emailOutbox.id))
    .limit(1);
  return mail;
}

type AccountData = {
  ok: boolean;
  message?: string;
  fieldErrors: Record<string, string>;
  values: Record<string, string>;
};

describe("an account made through single sign-on, without a password", () => {
  test("is told which sign-in it uses: the configured provider's name, else plain words", async () => {
    const sam = await person("Sam Sato", "sam@example.com", { viaProvider: "contoso" });
    const methods = await getSignInMethods(database.db, sam.id);
    expect(methods).toEqual({ hasPassword: false, providerIds: ["contoso"] });
    expect(workplaceSignInName(methods.providerIds, services.env.ssoProviders)).toBe("Contoso Sign-In");
    expect(workplaceSignInName(["retired-idp"], services.env.ssoProviders)).toBe("your workplace sign-in");
  });

  test('the account page offers "Set a password" instead of asking for a current password', async () => {
    const ines = await person("Ines Ito", "ines@example.com", { viaProvider: "contoso" });
    const text = await pageText(ines.browser, accountLoader, AccountSettings, "/settings/account");
    expect(text).toContain("Set a password");
    expect(text).toContain("You sign in with Contoso Sign-In, so your account has no password");
    expect(text).toContain("We'll email a link to ines@example.com");
    expect(text).toContain("You can keep signing in with Contoso Sign-In as well.");
    expect(text).not.toContain("Change your password");
    expect(text).not.toContain("Current password");
    // The address waits for a password, and the page says so rather than asking for one.
    expect(text).toContain("To change the address you sign in with, set a password first (above).");
    expect(text).not.toContain("Your password");
  });

  test('"Set a password" emails a link that sets a first password, and the workplace sign-in keeps working', async () => {
    const ola = await person("Ola Olsen", "ola@example.com", { viaProvider: "contoso" });
    const sent = payload<AccountData>(
      await ola.browser.submit(accountAction, "/settings/account", { intent: "set-password" }),
    );
    expect(sent.status).toBe(200);
    expect(sent.data.ok).toBe(true);
    expect(sent.data.message).toBe(
      "We sent a link to ola@example.com. Open it within 30 minutes to choose your password. You can keep signing in with Contoso Sign-In as well.",
    );
    const text = await pageText(ola.browser, accountLoader, AccountSettings, "/settings/account", sent.data);
    expect(text).toContain("We sent a link to ola@example.com.");

    const mail = await lastResetEmail("ola@example.com");
    expect(mail?.subject).toBe("Set a password for your PeerDesk account");
    expect(mail?.textBody).toContain("asked to set a password for your PeerDesk account");
    expect(mail?.textBody).toContain("You can keep signing in through your workplace sign-in as well.");
    expect(mail?.textBody).toContain("your account stays without a password.");
    expect(mail?.textBody).not.toContain("your password stays as it is");
    expect(mail?.textBody).toContain("Choose a password: ");

    // The link works as any reset link: better-auth gives the account its first password, the provider stays linked.
    const token = decodeURIComponent(/reset-password\?token=(\S+)/.exec(mail?.textBody ?? "")?.[1] ?? "");
    const saved = await new Browser(services, "10.64.1.1").submit(resetAction, "/reset-password", {
      token,
      newPassword: "ola now waters the office plants",
    });
    expect((saved as Response).headers.get("location")).toBe("/signin?reset=first");
    expect(await getSignInMethods(database.db, ola.id)).toEqual({ hasPassword: true, providerIds: ["contoso"] });
  });

  test("a form for a password it never had says what to do instead, never that the password is wrong", async () => {
    const uma = await person("Uma Usman", "uma@example.com", { viaProvider: "contoso" });
    const change = payload<AccountData>(
      await uma.browser.submit(accountAction, "/settings/account", {
        intent: "password",
        currentPassword: "anything at all",
        newPassword: "a brand new passphrase",
      }),
    );
    expect(change.status).toBe(409);
    expect(change.data.message).toBe(
      'Your account has no password yet: you sign in with Contoso Sign-In. Use "Set a password" to get a link for choosing one.',
    );
    expect(change.data.fieldErrors).toEqual({});

    const email = payload<AccountData>(
      await uma.browser.submit(accountAction, "/settings/account", {
        intent: "email",
        newEmail: "uma.new@example.com",
      }),
    );
    expect(email.status).toBe(403);
    expect(email.data.message).toMatch(/^Your account has no password yet \(you sign in with Contoso Sign-In\)\./);
    expect(email.data.message).toContain('first use "Set a password" above');
    expect(email.data.message).not.toMatch(/enter your current password/i);
    expect(email.data.values.newEmail).toBe("uma.new@example.com");
    const [row] = await database.db.select({ email: users.email }).from(users).where(eq(users.id, uma.id));
    expect(row?.email).toBe("uma@example.com");
  });

  test("without a provider name, the page says “your workplace sign-in”", async () => {
    const vic = await person("Vic Vance", "vic@example.com", { viaProvider: "old-idp" });
    const text = await pageText(vic.browser, accountLoader, AccountSettings, "/settings/account");
    expect(text).toContain("You sign in with your workplace sign-in, so your account has no password");
  });

  test("the security page speaks of the workplace sign-in, and turning two-step sign-in off says so", async () => {
    const wes = await person("Wes Wong", "wes@example.com", { viaProvider: "contoso" });
    const before = await pageText(wes.browser, securityLoader, SecuritySettings, "/settings/security");
    expect(before).toContain("after your workplace sign-in we also ask for a code from an app on your phone");
    expect(before).not.toContain("needs your password and a code");
    // Two-step sign-in on, as better-auth keeps it once confirmed.
    await database.db.update(users).set({ twoFactorEnabled: true }).where(eq(users.id, wes.id));
    const off = payload<AccountData>(
      await wes.browser.submit(securityAction, "/settings/security", { intent: "disable" }),
    );
    expect(off.data.message).toBe("Two-step sign-in is off. Signing in asks only for your workplace sign-in.");
  });

  test("the devices page says to sign out everywhere and tell the IT team", async () => {
    const xia = await person("Xia Xu", "xia@example.com", { viaProvider: "contoso" });
    const text = await pageText(xia.browser, devicesLoader, DeviceSettings, "/settings/devices");
    expect(text).toContain("Don't recognise one? Sign out everywhere else, then tell your IT team");
    expect(text).not.toContain("change your password");
  });
});

describe("an account with a password reads as before", () => {
  test("account, security and devices pages, and the reset email", async () => {
    const pat = await person("Pat Park", "pat@example.com");
    expect(await hasPassword(database.db, pat.id)).toBe(true);
    const account = await pageText(pat.browser, accountLoader, AccountSettings, "/settings/account");
    expect(account).toContain("Change your password");
    expect(account).toContain("Current password");
    expect(account).toContain("We'll email a link to the new address; the change happens when you open it.");
    expect(account).not.toContain("Set a password");
    const refused = payload<AccountData>(
      await pat.browser.submit(accountAction, "/settings/account", { intent: "set-password" }),
    );
    expect(refused.status).toBe(409);
    expect(refused.data.message).toMatch(/^Your account already has a password\./);

    const security = await pageText(pat.browser, securityLoader, SecuritySettings, "/settings/security");
    expect(security).toContain("signing in needs your password and a code from an app on your phone");
    const devices = await pageText(pat.browser, devicesLoader, DeviceSettings, "/settings/devices");
    expect(devices).toContain("Don't recognise one? Sign it out, then change your password.");

    const queued = await queuePasswordResetEmail(database.db, {
      baseURL: BASE,
      user: { id: pat.id, name: "Pat Park", email: "pat@example.com" },
      token: "pat-token",
    });
    expect(queued).toBe(true);
    const mail = await lastResetEmail("pat@example.com");
    expect(mail?.subject).toBe("Reset your PeerDesk password");
    expect(mail?.textBody).toContain(
      "If you didn't ask for this, you can ignore this email: your password stays as it is.",
    );
    expect(mail?.textBody).toContain(`Choose a new password: ${BASE}/reset-password?token=pat-token`);
  });
});
