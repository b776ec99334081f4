/**
 * A person defending their own account is never held back by limits meant for attackers: signing devices out is
 * never limited, wrong passwords are counted apart from changes (and still stop guessing), a "new" password equal to
 * the current one is refused, and a new sign-in address must be at the domains the admins allow. Confirmation links
 * say what they would do before anyone presses a button. Through the routes, on the real database, with better-auth.
 */
import { and, desc, eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { emailOutbox, users, writeLimits } from "#db/schema";
import { action as accountAction } from "~/routes/settings.account";
import { action as devicesAction } from "~/routes/settings.devices";
import { action as verifyAction, loader as verifyLoader } from "~/routes/verify-email";
import { WRITE_RULES } from "~/models/rate-limits.server";
import { setAllowedDomains } from "~/models/signup-policy.server";
import { createTestDatabase } from "./fixtures/db";
import { Browser, type TestServices, payload, signUp, testServices } from "./fixtures/routes";

let database: Database;
let services: TestServices;
let ipCounter = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  // verify-email reads links with the auth secret, as the server's services carry it.
  services = Object.assign(testServices(database), { secret: "s".repeat(40) });
});
afterAll(() => database.close());

function newBrowser() {
  ipCounter += 1;
  return new Browser(services, `10.40.${Math.floor(ipCounter / 250)}.${ipCounter % 250}`);
}

async function person(name: string, email: string, password: string) {
  const browser = newBrowser();
  await signUp(browser, { name, email, password });
  return browser;
}

type AccountData = {
  ok: boolean;
  message?: string;
  fieldErrors: Record<string, string>;
  values: Record<string, string>;
};

async function mails(to: string, kind: "account_notice" | "email_change" | "email_verification") {
  return database.db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.toAddress, to), eq(emailOutbox.kind, kind)))
    .orderBy(desc(emailOutbox.id));
}

describe("limits that never block a person's own defence", () => {
  test("signing out everywhere else works however often it is pressed", async () => {
    const laptop = await person("Abel Dunn", "abel@example.com", "abel dunn racks the switches");
    const statuses: number[] = [];
    for (let i = 0; i < WRITE_RULES.account.max + 5; i++)
      statuses.push(
        payload(await laptop.submit(devicesAction, "/settings/devices", { intent: "sign-out-others" })).status,
      );
    expect(statuses.every((status) => status === 200)).toBe(true);
  });

  test("a few wrong passwords don't use up the changes; many still stop guessing, the wait in minutes", async () => {
    const browser = await person("Bea Business", "bea@example.com", "bea business books the rooms");
    for (let i = 0; i < 3; i++) {
      const typo = payload<AccountData>(
        await browser.submit(accountAction, "/settings/account", {
          intent: "email",
          newEmail: `bea.${i}@example.com`,
          currentPassword: `bea business books the room ${i}`,
        }),
      );
      expect(typo.status).toBe(400);
      expect(typo.data.fieldErrors.currentPassword).toMatch(/isn't your password/);
      expect(typo.data.values.newEmail).toBe(`bea.${i}@example.com`);
    }
    const changed = payload<AccountData>(
      await browser.submit(accountAction, "/settings/account", {
        intent: "email",
        newEmail: "bea.new@example.com",
        currentPassword: "bea business books the rooms",
      }),
    );
    expect(changed.data.ok).toBe(true);
    const [bea] = await database.db.select({ id: users.id }).from(users).where(eq(users.email, "bea@example.com"));
    const counts = await database.db.select().from(writeLimits);
    // Three typos counted as wrong passwords (the right one given back), one change counted as a change.
    expect(counts.find((row) => row.key === `passwordCheck:${bea?.id}`)?.count).toBe(3);
    expect(counts.find((row) => row.key === `account:${bea?.id}`)?.count).toBe(1);

    const statuses: number[] = [];
    let last: AccountData | undefined;
    for (let i = 0; i < WRITE_RULES.passwordCheck.max; i++) {
      const guess = payload<AccountData>(
        await browser.submit(accountAction, "/settings/account", {
          intent: "password",
          currentPassword: `a guess number ${i}`,
          newPassword: "an entirely new passphrase here",
        }),
      );
      statuses.push(guess.status);
      last = guess.data;
    }
    expect(statuses.at(-1)).toBe(429);
    expect(last?.message).toMatch(/Please wait \d+ minutes/);
    // Past the limit even the right password waits, so guessing gains nothing.
    const right = payload<AccountData>(
      await browser.submit(accountAction, "/settings/account", {
        intent: "password",
        currentPassword: "bea business books the rooms",
        newPassword: "an entirely new passphrase here",
      }),
    );
    expect(right.status).toBe(429);
  });
});

describe("changing the password and the sign-in address", () => {
  test("a new password equal to the current one is refused, and nothing is signed out or mailed", async () => {
    const browser = await person("Cleo Park", "cleo@example.com", "cleo park fixes the projector");
    const same = payload<AccountData>(
      await browser.submit(accountAction, "/settings/account", {
        intent: "password",
        currentPassword: "cleo park fixes the projector",
        newPassword: "cleo park fixes the projector",
      }),
    );
    expect(same.status).toBe(400);
    expect(same.data.fieldErrors.newPassword).toBe("That's your current password. Choose a different one.");
    expect(await mails("cleo@example.com", "account_notice")).toHaveLength(0);
    expect(browser.has("session_token")).toBe(true);
  });

  test("while sign-up is limited to some domains, a new sign-in address must be at one of them", async () => {
    const browser = await person("Dana Fox", "dana@example.com", "dana fox orders the laptops");
    const [dana] = await database.db.select({ id: users.id }).from(users).where(eq(users.email, "dana@example.com"));
    const by = dana?.id ?? "";
    await setAllowedDomains(database.db, { domains: ["example.com"], by });
    try {
      const outside = payload<AccountData>(
        await browser.submit(accountAction, "/settings/account", {
          intent: "email",
          newEmail: "dana@gmail.com",
          currentPassword: "dana fox orders the laptops",
        }),
      );
      expect(outside.status).toBe(400);
      expect(outside.data.fieldErrors.newEmail).toBe(
        "This site only takes sign-in addresses at @example.com. Choose an address there.",
      );
      expect(outside.data.values.newEmail).toBe("dana@gmail.com");
      expect(await mails("dana@gmail.com", "email_change")).toHaveLength(0);
      const inside = payload<AccountData>(
        await browser.submit(accountAction, "/settings/account", {
          intent: "email",
          newEmail: "dana.fox@example.com",
          currentPassword: "dana fox orders the laptops",
        }),
      );
      expect(inside.data.ok).toBe(true);
    } finally {
      await setAllowedDomains(database.db, { domains: [], by });
    }
  });
});

describe("a sign-up confirmation link says what it would do before anyone presses a button", () => {
  function linkIn(text: string | undefined): string {
    const match = /\/verify-email\?token=(\S+)/.exec(text ?? "");
    if (!match?.[1]) throw new Error(`no link in ${text}`);
    return decodeURIComponent(match[1]);
  }
  type LinkPage = { token: string | null; email: string | null; linkState: string | null };

  test("a used link says the address is already confirmed", async () => {
    const browser = await person("Eli Stone", "eli@example.com", "eli stone swaps the toner");
    const [mail] = await mails("eli@example.com", "email_verification");
    const token = linkIn(mail?.textBody);
    const path = `/verify-email?token=${encodeURIComponent(token)}`;
    expect(payload<LinkPage>(await browser.load(verifyLoader, path)).data).toMatchObject({
      token,
      linkState: "pending",
    });
    expect(
      payload<{ outcome: string }>(await browser.submit(verifyAction, "/verify-email", { intent: "confirm", token }))
        .data.outcome,
    ).toBe("confirmed");
    const again = payload<LinkPage>(await newBrowser().load(verifyLoader, path)).data;
    expect(again).toMatchObject({ token: null, linkState: "confirmed", email: "eli@example.com" });
  });

  test("a valid link is confirmed only by the page's own button: a post naming nothing it does confirms nothing", async () => {
    const browser = await person("Gus Hale", "gus@example.com", "gus hale patches the servers");
    const [mail] = await mails("gus@example.com", "email_verification");
    const token = linkIn(mail?.textBody);
    const isConfirmed = async () =>
      (await database.db.select().from(users).where(eq(users.email, "gus@example.com")))[0]?.emailVerified;
    for (const fields of [{ token }, { intent: "bogus", token }, { intent: "", token }] as Record<string, string>[]) {
      const refused = payload<{ outcome: string; message?: string }>(
        await browser.submit(verifyAction, "/verify-email", fields),
      );
      expect(refused, JSON.stringify(fields)).toEqual({
        status: 400,
        data: {
          outcome: "refused",
          message: "That isn't something this page can do, so nothing was changed. Reload the page and try again.",
        },
      });
      expect(await isConfirmed()).toBe(false);
    }
    // Opening the link still offers the button, and the button confirms.
    const page = payload<LinkPage>(
      await browser.load(verifyLoader, `/verify-email?token=${encodeURIComponent(token)}`),
    );
    expect(page.data).toMatchObject({ token, linkState: "pending" });
    const pressed = payload<{ outcome: string }>(
      await browser.submit(verifyAction, "/verify-email", { intent: "confirm", token }),
    );
    expect(pressed.data.outcome).toBe("confirmed");
    expect(await isConfirmed()).toBe(true);
  });

  test("a link for an address the account no longer uses says so, and offers nothing to confirm", async () => {
    const browser = await person("Fay Lund", "fay@example.com", "fay lund maps the network");
    const [mail] = await mails("fay@example.com", "email_verification");
    const token = linkIn(mail?.textBody);
    await database.db.update(users).set({ email: "fay.lund@example.com" }).where(eq(users.email, "fay@example.com"));
    const page = payload<LinkPage>(
      await browser.load(verifyLoader, `/verify-email?token=${encodeURIComponent(token)}`),
    );
    expect(page.data).toMatchObject({ token: null, linkState: "retired", email: "fay@example.com" });
    const pressed = payload<{ outcome: string }>(
      await browser.submit(verifyAction, "/verify-email", { intent: "confirm", token }),
    );
    expect(pressed).toEqual({ status: 400, data: { outcome: "broken" } });
  });
});
