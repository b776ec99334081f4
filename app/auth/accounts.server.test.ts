import { and, desc, eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { emailOutbox, sessions, signInFailures, users, verifications } from "#db/schema";
import { SIGN_IN_LOCK } from "~/models/sign-in-throttle.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { type Auth, CLIENT_IP_HEADER, createAuth } from "./auth.server";

const BASE = "http://localhost:3000";
let database: Database;
let auth: Auth;
let ipCounter = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  auth = createAuth(database.db, { secret: "s".repeat(40), baseURL: BASE });
});
afterAll(() => database.close());

/** Every call from a new client address unless one is given, so the per-address rate limits stay out of the way. */
function nextIp() {
  ipCounter += 1;
  return `10.20.${Math.floor(ipCounter / 250)}.${ipCounter % 250}`;
}

function call(
  path: string,
  {
    body,
    cookie,
    ip = nextIp(),
    method = "POST",
  }: { body?: unknown; cookie?: string; ip?: string; method?: string } = {},
) {
  const headers: Record<string, string> = { origin: BASE, [CLIENT_IP_HEADER]: ip };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (cookie) headers.cookie = cookie;
  return auth.handler(
    new Request(`${BASE}/api/auth${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
}

async function json(res: Response): Promise<Record<string, unknown>> {
  return (await res.json()) as Record<string, unknown>;
}

function sessionCookie(res: Response): string {
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("peerdesk.session_token="));
  if (!cookie) throw new Error(`no session cookie (status ${res.status})`);
  return cookie.split(";")[0] ?? "";
}

async function signUp(name: string, email: string, password: string) {
  const res = await call("/sign-up/email", { body: { name, email, password } });
  expect(res.status).toBe(200);
  return sessionCookie(res);
}

async function signIn(email: string, password: string, ip?: string) {
  return call("/sign-in/email", { body: { email, password }, ip });
}

async function userByEmail(email: string) {
  const [user] = await database.db.select().from(users).where(eq(users.email, email));
  return user;
}

/** The newest message of a kind to an address, from the real outbox (what /admin/mail shows). */
async function lastMail(to: string, kind: "password_reset" | "email_change" | "account_notice") {
  const [message] = await database.db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.toAddress, to), eq(emailOutbox.kind, kind)))
    .orderBy(desc(emailOutbox.id))
    .limit(1);
  return message;
}

function tokenFrom(text: string | undefined, path: string): string {
  const match = new RegExp(`${BASE}${path}\\?token=([^\\s]+)`).exec(text ?? "");
  if (!match?.[1]) throw new Error(`no ${path} link in: ${text}`);
  return decodeURIComponent(match[1]);
}

async function requestReset(email: string) {
  const res = await call("/request-password-reset", { body: { email } });
  return { status: res.status, body: await json(res) };
}

describe("forgotten passwords", () => {
  test("a reset link arrives by email, works once, signs every device out, and the old password stops working", async () => {
    const cookie = await signUp("Rosa Diaz", "rosa@example.com", "rosa keeps her spreadsheets tidy");
    const sent = await requestReset("rosa@example.com");
    expect(sent.status).toBe(200);

    const mail = await lastMail("rosa@example.com", "password_reset");
    expect(mail?.subject).toBe("Reset your PeerDesk password");
    expect(mail?.textBody).toContain("within 30 minutes");
    const token = tokenFrom(mail?.textBody, "/reset-password");
    // Only a hash of the token is stored: a copy of the database cannot reset anyone's password.
    const stored = await database.db
      .select({ identifier: verifications.identifier, expiresAt: verifications.expiresAt })
      .from(verifications);
    const resetRows = stored.filter((row) => row.identifier.startsWith("reset-password:"));
    expect(resetRows).toHaveLength(1);
    expect(resetRows[0]?.identifier).not.toContain(token);
    const minutesLeft = ((resetRows[0]?.expiresAt.getTime() ?? 0) - Date.now()) / 60_000;
    expect(minutesLeft).toBeGreaterThan(29);
    expect(minutesLeft).toBeLessThanOrEqual(30);

    const weak = await call("/reset-password", { body: { token, newPassword: "qwertyuiop1" } });
    expect(weak.status).toBe(400);
    const weakBody = await json(weak);
    expect(weakBody.code).toBe("PASSWORD_TOO_WEAK");
    expect(String(weakBody.message)).toMatch(/too easy to guess/);

    const ok = await call("/reset-password", { body: { token, newPassword: "a brand new harbour lantern" } });
    expect(ok.status).toBe(200);
    // Used once: the same link is refused afterwards.
    const again = await call("/reset-password", { body: { token, newPassword: "another harbour lantern story" } });
    expect(again.status).toBe(400);
    expect((await json(again)).code).toBe("INVALID_TOKEN");

    const rosa = await userByEmail("rosa@example.com");
    expect(
      await database.db
        .select()
        .from(sessions)
        .where(eq(sessions.userId, rosa?.id ?? "")),
    ).toHaveLength(0);
    expect((await call("/get-session", { method: "GET", cookie })).status).toBe(200);
    expect(await json(await call("/get-session", { method: "GET", cookie }))).toBeNull();
    expect((await signIn("rosa@example.com", "rosa keeps her spreadsheets tidy")).status).toBe(401);
    expect((await signIn("rosa@example.com", "a brand new harbour lantern")).status).toBe(200);
    expect((await lastMail("rosa@example.com", "account_notice"))?.subject).toBe("Your PeerDesk password was changed");
  });

  test("reset requests are rate limited per client address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await call("/request-password-reset", { body: { email: `someone${i}@example.com` }, ip: "10.99.0.1" })).status,
      );
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  test("an unknown address gets exactly the same answer, and no mail is written", async () => {
    await signUp("Known Person", "known@example.com", "known person likes long walks");
    const known = await requestReset("known@example.com");
    const unknown = await requestReset("nobody-here@example.com");
    expect(unknown).toEqual(known);
    expect(await lastMail("nobody-here@example.com", "password_reset")).toBeUndefined();
  });

  test("an expired link is refused, and a reset through one link ends every other outstanding link", async () => {
    await signUp("Tom Berg", "tom@example.com", "tom berg collects old radios");
    await requestReset("tom@example.com");
    const first = tokenFrom((await lastMail("tom@example.com", "password_reset"))?.textBody, "/reset-password");
    await requestReset("tom@example.com");
    const second = tokenFrom((await lastMail("tom@example.com", "password_reset"))?.textBody, "/reset-password");
    await requestReset("tom@example.com");
    const third = tokenFrom((await lastMail("tom@example.com", "password_reset"))?.textBody, "/reset-password");
    expect(new Set([first, second, third]).size).toBe(3);

    // The first link's time runs out (as 30 minutes later).
    const tom = await userByEmail("tom@example.com");
    const rows = await database.db
      .select()
      .from(verifications)
      .where(eq(verifications.value, tom?.id ?? ""));
    const oldest = rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())[0];
    await database.db
      .update(verifications)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(verifications.id, oldest?.id ?? ""));
    const expired = await call("/reset-password", {
      body: { token: first, newPassword: "tom berg repairs valve radios" },
    });
    expect((await json(expired)).code).toBe("INVALID_TOKEN");

    expect(
      (await call("/reset-password", { body: { token: second, newPassword: "tom berg repairs valve radios" } })).status,
    ).toBe(200);
    const third2 = await call("/reset-password", { body: { token: third, newPassword: "someone else took over tom" } });
    expect((await json(third2)).code).toBe("INVALID_TOKEN");

    // A fourth request within the hour is answered the same, but no more mail is written to that inbox.
    const before = await database.db.select().from(emailOutbox).where(eq(emailOutbox.kind, "password_reset"));
    expect((await requestReset("tom@example.com")).status).toBe(200);
    const after = await database.db.select().from(emailOutbox).where(eq(emailOutbox.kind, "password_reset"));
    expect(after).toHaveLength(before.length);
  });
});

describe("changing the password and the email address", () => {
  test("changing the password needs the current one, refuses weak ones and signs out other devices", async () => {
    const phone = await signUp("Ines Weber", "ines@example.com", "ines waters the office plants");
    const laptop = sessionCookie(await signIn("ines@example.com", "ines waters the office plants"));

    const wrong = await call("/change-password", {
      cookie: phone,
      body: {
        currentPassword: "not the password at all",
        newPassword: "ines prefers cacti nowadays",
        revokeOtherSessions: true,
      },
    });
    expect(wrong.status).toBe(400);
    expect((await json(wrong)).code).toBe("INVALID_PASSWORD");
    const weak = await call("/change-password", {
      cookie: phone,
      body: {
        currentPassword: "ines waters the office plants",
        newPassword: "ines weber 1",
        revokeOtherSessions: true,
      },
    });
    expect((await json(weak)).code).toBe("PASSWORD_TOO_WEAK");

    const ok = await call("/change-password", {
      cookie: phone,
      body: {
        currentPassword: "ines waters the office plants",
        newPassword: "ines prefers cacti nowadays",
        revokeOtherSessions: true,
      },
    });
    expect(ok.status).toBe(200);
    const phoneNow = sessionCookie(ok);
    expect(await json(await call("/get-session", { method: "GET", cookie: laptop }))).toBeNull();
    expect(await json(await call("/get-session", { method: "GET", cookie: phoneNow }))).toMatchObject({
      user: { email: "ines@example.com" },
    });
    expect((await signIn("ines@example.com", "ines waters the office plants")).status).toBe(401);
    expect((await signIn("ines@example.com", "ines prefers cacti nowadays")).status).toBe(200);
    expect((await lastMail("ines@example.com", "account_notice"))?.textBody).toContain("other devices were signed out");
  });

  test("a new email address is used only once the link sent to it is opened, and the old address is told", async () => {
    const cookie = await signUp("Omar Haddad", "omar@example.com", "omar fixes printers on fridays");
    const res = await call("/change-email", { cookie, body: { newEmail: "Omar.New@example.com" } });
    expect(res.status).toBe(200);
    expect((await userByEmail("omar@example.com"))?.id).toBeDefined();

    const mail = await lastMail("omar.new@example.com", "email_change");
    expect(mail?.subject).toBe("Confirm your new PeerDesk email address");
    const token = tokenFrom(mail?.textBody, "/confirm-email");
    const forged = await call(`/verify-email?token=${encodeURIComponent(`${token.slice(0, -4)}AAAA`)}`, {
      method: "GET",
    });
    expect(forged.status).toBe(401);
    expect(await userByEmail("omar.new@example.com")).toBeUndefined();

    const confirmed = await call(`/verify-email?token=${encodeURIComponent(token)}`, { method: "GET", cookie });
    expect(confirmed.status).toBe(200);
    const omar = await userByEmail("omar.new@example.com");
    expect(omar?.emailVerified).toBe(true);
    expect(await userByEmail("omar@example.com")).toBeUndefined();
    const notice = await lastMail("omar@example.com", "account_notice");
    expect(notice?.subject).toBe("Your PeerDesk email address was changed");
    expect(notice?.textBody).toContain("omar.new@example.com");
    // The link has done its work: opening it again changes nothing and tells nobody again.
    expect((await call(`/verify-email?token=${encodeURIComponent(token)}`, { method: "GET" })).status).toBe(401);
    expect((await signIn("omar.new@example.com", "omar fixes printers on fridays")).status).toBe(200);
  });

  test("a reset link mailed before the password was changed, or before the address changed, stops working", async () => {
    const cookie = await signUp("Nia Okafor", "nia@example.com", "nia sorts the cable drawer");
    await requestReset("nia@example.com");
    const beforeChange = tokenFrom((await lastMail("nia@example.com", "password_reset"))?.textBody, "/reset-password");
    const changed = await call("/change-password", {
      cookie,
      body: {
        currentPassword: "nia sorts the cable drawer",
        newPassword: "nia labels every cable now",
        revokeOtherSessions: true,
      },
    });
    expect(changed.status).toBe(200);
    const stale = await call("/reset-password", {
      body: { token: beforeChange, newPassword: "someone else chose this" },
    });
    expect((await json(stale)).code).toBe("INVALID_TOKEN");

    // The old address may be the reason for the change (lost, or read by someone else): its link ends with it.
    await requestReset("nia@example.com");
    const toOldAddress = tokenFrom((await lastMail("nia@example.com", "password_reset"))?.textBody, "/reset-password");
    const session = sessionCookie(changed);
    expect((await call("/change-email", { cookie: session, body: { newEmail: "nia.new@example.com" } })).status).toBe(
      200,
    );
    const confirm = tokenFrom((await lastMail("nia.new@example.com", "email_change"))?.textBody, "/confirm-email");
    expect(
      (await call(`/verify-email?token=${encodeURIComponent(confirm)}`, { method: "GET", cookie: session })).status,
    ).toBe(200);
    const old = await call("/reset-password", {
      body: { token: toOldAddress, newPassword: "someone else chose this" },
    });
    expect((await json(old)).code).toBe("INVALID_TOKEN");
    expect((await signIn("nia.new@example.com", "nia labels every cable now")).status).toBe(200);
  });

  test("asking for an address another account uses answers the same but changes and sends nothing", async () => {
    const cookie = await signUp("Lena Park", "lena@example.com", "lena plays the cello badly");
    await signUp("Max Park", "max@example.com", "max paints model trains");
    const res = await call("/change-email", { cookie, body: { newEmail: "max@example.com" } });
    expect(res.status).toBe(200);
    expect(await lastMail("max@example.com", "email_change")).toBeUndefined();
    expect((await userByEmail("lena@example.com"))?.name).toBe("Lena Park");
  });
});

describe("per-account protection against password guessing", () => {
  test("wrong passwords from many addresses lock the account for a while; even the right password waits", async () => {
    await signUp("Grace Lin", "grace.lin@example.com", "grace lin rides a red bicycle");
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push((await signIn("grace.lin@example.com", `guess number ${i} from afar`, `172.16.0.${i + 1}`)).status);
    expect(statuses.slice(0, SIGN_IN_LOCK.maxFailures)).toEqual(Array(SIGN_IN_LOCK.maxFailures).fill(401));
    expect(statuses.slice(SIGN_IN_LOCK.maxFailures)).toEqual([429, 429]);

    const right = await signIn("grace.lin@example.com", "grace lin rides a red bicycle", "172.16.1.1");
    expect(right.status).toBe(429);
    expect(Number(right.headers.get("x-retry-after"))).toBeGreaterThan(14 * 60);
    const body = await json(right);
    expect(body.code).toBe("ACCOUNT_LOCKED");
    expect(String(body.message)).toMatch(/paused for 15 minutes \(until \d\d:\d\d UTC\).*Forgot password\?/);

    // Fifteen minutes later (the lock's end moved into the past), the right password works and the count starts over.
    await database.db.update(signInFailures).set({ lockedUntil: new Date(Date.now() - 1000) });
    expect((await signIn("grace.lin@example.com", "grace lin rides a red bicycle", "172.16.1.2")).status).toBe(200);
    // The account's count is gone; each address keeps its one wrong password (ADDRESS_LOCK counts per network).
    const left = await database.db.select().from(signInFailures);
    expect(left.filter((row) => !row.emailHash.startsWith("address:"))).toHaveLength(0);
    expect(left.map((row) => row.failures)).toEqual(Array(left.length).fill(1));
  });

  test("an address without an account locks the same way, so the lock tells nothing", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < SIGN_IN_LOCK.maxFailures + 1; i++)
      statuses.push((await signIn("ghost@example.com", `guess number ${i} for ghost`, `172.17.0.${i + 1}`)).status);
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.at(-2)).toBe(401);
  });

  test("a password reset lifts the lock", async () => {
    await signUp("Pia Holm", "pia@example.com", "pia holm bakes sourdough bread");
    for (let i = 0; i < SIGN_IN_LOCK.maxFailures; i++)
      await signIn("pia@example.com", `wrong guess ${i} for pia`, `172.18.0.${i + 1}`);
    expect((await signIn("pia@example.com", "pia holm bakes sourdough bread")).status).toBe(429);
    await requestReset("pia@example.com");
    const token = tokenFrom((await lastMail("pia@example.com", "password_reset"))?.textBody, "/reset-password");
    expect((await call("/reset-password", { body: { token, newPassword: "pia holm now bakes rye" } })).status).toBe(
      200,
    );
    expect((await signIn("pia@example.com", "pia holm now bakes rye")).status).toBe(200);
  });
});

describe("a device signed in from before keeps its own count", () => {
  /** The known-device cookie a right password left (name=value), or fails. */
  function deviceCookie(res: Response): string {
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("peerdesk.known_device="));
    if (!cookie) throw new Error(`no known-device cookie (status ${res.status})`);
    return cookie.split(";")[0] ?? "";
  }
  const signInFrom = (email: string, password: string, cookie: string) =>
    call("/sign-in/email", { body: { email, password }, cookie });

  test("strangers' guesses lock the account, but not its owner's laptop", async () => {
    await signUp("Ines Moreau", "ines.moreau@example.com", "ines moreau grows tomatoes upstairs");
    const laptop = deviceCookie(await signIn("ines.moreau@example.com", "ines moreau grows tomatoes upstairs"));
    for (let i = 0; i < SIGN_IN_LOCK.maxFailures; i++)
      await signIn("ines.moreau@example.com", `guess number ${i} from a botnet`, `172.19.0.${i + 1}`);
    // A browser that never signed in is refused even with the right password, and told what still works…
    const stranger = await signIn("ines.moreau@example.com", "ines moreau grows tomatoes upstairs");
    expect(stranger.status).toBe(429);
    expect(String((await json(stranger)).message)).toContain("sign in from a browser you have used before");
    // …the laptop is not, and its success leaves the strangers' lock running.
    const again = await signInFrom("ines.moreau@example.com", "ines moreau grows tomatoes upstairs", laptop);
    expect(again.status).toBe(200);
    expect(deviceCookie(again)).toBe(laptop);
    expect((await signIn("ines.moreau@example.com", "ines moreau grows tomatoes upstairs")).status).toBe(429);
  });

  test("a known device's own wrong passwords lock that device only; a reset lifts it", async () => {
    await signUp("Jonas Berg", "jonas@example.com", "jonas berg repairs old radios");
    const laptop = deviceCookie(await signIn("jonas@example.com", "jonas berg repairs old radios"));
    const statuses: number[] = [];
    for (let i = 0; i < SIGN_IN_LOCK.maxFailures + 1; i++)
      statuses.push((await signInFrom("jonas@example.com", `jonas forgot it, try ${i}`, laptop)).status);
    expect(statuses.at(-2)).toBe(401);
    expect(statuses.at(-1)).toBe(429);
    const locked = await signInFrom("jonas@example.com", "jonas berg repairs old radios", laptop);
    expect(locked.status).toBe(429);
    const lock = await json(locked);
    expect(lock.code).toBe("ACCOUNT_LOCKED");
    expect(String(lock.message)).toMatch(/in this browser, so signing in to it here is paused for 15 minutes/);
    // The account itself is not locked: another browser signs in.
    expect((await signIn("jonas@example.com", "jonas berg repairs old radios")).status).toBe(200);
    await requestReset("jonas@example.com");
    const token = tokenFrom((await lastMail("jonas@example.com", "password_reset"))?.textBody, "/reset-password");
    expect(
      (await call("/reset-password", { body: { token, newPassword: "jonas berg now fixes clocks" } })).status,
    ).toBe(200);
    expect((await signInFrom("jonas@example.com", "jonas berg now fixes clocks", laptop)).status).toBe(200);
  });

  test("the owner's laptop is still known after the account changes its sign-in address", async () => {
    const cookie = await signUp("Mona Falk", "mona@example.com", "mona falk tunes the wifi");
    const laptop = deviceCookie(await signIn("mona@example.com", "mona falk tunes the wifi"));
    expect((await call("/change-email", { cookie, body: { newEmail: "mona.falk@example.com" } })).status).toBe(200);
    const token = tokenFrom((await lastMail("mona.falk@example.com", "email_change"))?.textBody, "/confirm-email");
    expect((await call(`/verify-email?token=${encodeURIComponent(token)}`, { method: "GET", cookie })).status).toBe(
      200,
    );
    for (let i = 0; i < SIGN_IN_LOCK.maxFailures; i++)
      await signIn("mona.falk@example.com", `stranger guesses ${i}`, `172.21.0.${i + 1}`);
    expect((await signIn("mona.falk@example.com", "mona falk tunes the wifi")).status).toBe(429);
    expect((await signInFrom("mona.falk@example.com", "mona falk tunes the wifi", laptop)).status).toBe(200);
  });

  test("the cookie helps only the accounts that device signed in to, and a forged one helps none", async () => {
    await signUp("Kai Ito", "kai@example.com", "kai ito collects vinyl records");
    await signUp("Lea Ito", "lea.ito@example.com", "lea ito climbs in the alps");
    const kaisLaptop = deviceCookie(await signIn("kai@example.com", "kai ito collects vinyl records"));
    // Guessing Lea's password from Kai's laptop counts against Lea's account, like any stranger's guess.
    for (let i = 0; i < SIGN_IN_LOCK.maxFailures; i++)
      await signInFrom("lea.ito@example.com", `kai guesses ${i}`, kaisLaptop);
    expect((await signIn("lea.ito@example.com", "lea ito climbs in the alps")).status).toBe(429);
    expect((await signInFrom("lea.ito@example.com", "lea ito climbs in the alps", kaisLaptop)).status).toBe(429);
    // Kai's own account paused by strangers: his laptop's cookie works, the same cookie altered (unsigned) does not.
    for (let i = 0; i < SIGN_IN_LOCK.maxFailures; i++)
      await signIn("kai@example.com", `stranger guesses ${i}`, `172.20.0.${i + 1}`);
    const value = kaisLaptop.slice(kaisLaptop.indexOf("=") + 1);
    const forged = `peerdesk.known_device=${value.replace(/^[A-Za-z0-9]/, (c) => (c === "A" ? "B" : "A"))}`;
    expect((await signInFrom("kai@example.com", "kai ito collects vinyl records", forged)).status).toBe(429);
    expect((await signInFrom("kai@example.com", "kai ito collects vinyl records", kaisLaptop)).status).toBe(200);
  });
});

describe("password strength", () => {
  test.each(["12345678901", "qwertyuiop1", "abcabcabca", "password1234", "iloveyou123"])(
    "sign-up refuses %s and says why",
    async (password) => {
      const res = await call("/sign-up/email", {
        body: { name: "Weak Password", email: `weak-${password}@example.com`, password },
      });
      expect(res.status).toBe(400);
      const body = await json(res);
      expect(body.code).toBe("PASSWORD_TOO_WEAK");
      expect(String(body.message)).toMatch(/^This password is too easy to guess\. .+/);
      expect(await userByEmail(`weak-${password}@example.com`)).toBeUndefined();
    },
  );

  test("an admin setting or creating a password through better-auth's admin endpoints is held to the same rule", async () => {
    const cookie = await signUp("Ada Admin", "ada.admin@example.com", "ada admin audits the servers");
    await database.db.update(users).set({ role: "admin" }).where(eq(users.email, "ada.admin@example.com"));
    await signUp("Bea Target", "bea@example.com", "bea target sings in a choir");
    const target = await userByEmail("bea@example.com");
    const set = await call("/admin/set-user-password", {
      cookie,
      body: { userId: target?.id, newPassword: "abcabcabca" },
    });
    expect(set.status).toBe(400);
    expect((await json(set)).code).toBe("PASSWORD_TOO_WEAK");
    const created = await call("/admin/create-user", {
      cookie,
      body: { email: "new.hire@example.com", name: "New Hire", password: "12345678901", role: "member" },
    });
    expect(created.status).toBe(400);
    expect((await json(created)).code).toBe("PASSWORD_TOO_WEAK");
    expect(await userByEmail("new.hire@example.com")).toBeUndefined();
  });

  test("a password made of the person's own name or address is refused; a passphrase is accepted", async () => {
    const own = await call("/sign-up/email", {
      body: { name: "Harriet Quimby", email: "harriet.quimby@example.com", password: "harrietquimby" },
    });
    expect(own.status).toBe(400);
    expect(String((await json(own)).message)).toMatch(/too easy to guess/);
    const ok = await call("/sign-up/email", {
      body: { name: "Harriet Quimby", email: "harriet.quimby@example.com", password: "first woman to fly the channel" },
    });
    expect(ok.status).toBe(200);
  });
});
