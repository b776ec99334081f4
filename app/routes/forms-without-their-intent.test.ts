/**
 * A form names what it does with its `intent`, and a page does only what its own forms name: a post with no intent or
 * one the page doesn't know (an old page, a hand-made request) is refused with words and changes nothing, where it
 * used to hide a profile, turn the staff two-step rule off, say email settings were saved, revoke an invitation link,
 * change a password, save a glossary entry or upload a picture. On the real database, through the routes' actions,
 * signed in.
 */
import { eq } from "drizzle-orm";
import sharp from "sharp";
import type { Database } from "#db/client.server";
import { accounts, securitySettings, signupInvitations, users } from "#db/schema";
import { action as signupAction } from "~/routes/admin.signup";
import { action as adminSecurityAction } from "~/routes/admin.security";
import { action as glossaryEditAction } from "~/routes/glossary.$id.edit";
import { action as accountAction } from "~/routes/settings.account";
import { action as avatarAction } from "~/routes/settings.avatar";
import { action as emailSettingsAction } from "~/routes/settings.notifications";
import { action as profileAction } from "~/routes/u.$handle";
import { getEmailPreferences } from "~/models/email-preferences.server";
import { createGlossaryEntry, getGlossaryEntry } from "~/models/glossary.server";
import { getProfileHiding } from "~/models/profile-hiding.server";
import { createInvitation } from "~/models/signup-policy.server";
import { getSecuritySettings } from "~/models/two-factor.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeUser } from "../../tests/fixtures/people";
import { Browser, type TestServices, payload, signUp, signedInAdmin, testServices } from "../../tests/fixtures/routes";

const REFUSED = "That isn't something this page can do";

let database: Database;
let services: TestServices;
let admin: Browser;
let adminId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  ({ browser: admin, id: adminId } = await signedInAdmin(services, "10.59.0.1"));
});
afterAll(() => database.close());

/** A person signed up through better-auth (a real password), with a role, and their browser. */
async function signedIn(name: string, role: "member" | "moderator", ip: string) {
  const browser = new Browser(services, ip);
  const email = `${name.toLowerCase().replace(/\W+/g, ".")}@example.com`;
  const password = `${name} keeps the printers running`;
  await signUp(browser, { name, email, password });
  const [row] = await database.db.select().from(users).where(eq(users.email, email));
  if (!row) throw new Error("not signed up");
  await database.db.update(users).set({ role }).where(eq(users.id, row.id));
  return { browser, id: row.id, password };
}

type Refusal = { ok?: boolean; message?: string };

/** What a refused post answered: its status and its message. */
function refusal(result: unknown): { status: number; message: string } {
  const { data, status } = payload<Refusal>(result);
  return { status, message: data.message ?? "" };
}

test("a moderator's profile form without Hide or Show hides nothing and says so", async () => {
  const { browser: moderator } = await signedIn("Marcus Mod", "moderator", "10.59.0.2");
  const tomId = await makeUser(database.db, { name: "Tom Becker", handle: "tom-becker" });
  const params = { handle: "tom-becker" };
  for (const fields of [
    { reason: "spam" },
    { intent: "bogus", reason: "spam" },
    { intent: "", reason: "spam" },
  ] as Record<string, string>[]) {
    const answer = refusal(await moderator.submit(profileAction, "/u/tom-becker", fields, params));
    expect(answer.status, JSON.stringify(fields)).toBe(400);
    expect(answer.message).toContain(REFUSED);
    expect(await getProfileHiding(database.db, tomId)).toBeNull();
  }
  // The page's own Hide button still hides.
  const hidden = payload<Refusal>(
    await moderator.submit(profileAction, "/u/tom-becker", { intent: "hide", reason: "spam" }, params),
  );
  expect(hidden.data.ok).toBe(true);
  expect(await getProfileHiding(database.db, tomId)).not.toBeNull();
});

test("email settings sent without the page's form, or with no choice at all, save nothing and never say Saved", async () => {
  const { browser: member, id } = await signedIn("Nora Notes", "member", "10.59.0.3");
  const before = await getEmailPreferences(database.db, id);
  for (const fields of [{}, { junk: "1" }, { intent: "bogus", answer: "never" }, { answer: "never" }] as Record<
    string,
    string
  >[]) {
    const answer = refusal(await member.submit(emailSettingsAction, "/settings/notifications", fields));
    expect(answer.status, JSON.stringify(fields)).toBe(400);
    expect(answer.message).not.toContain("Saved");
    expect(await getEmailPreferences(database.db, id)).toEqual(before);
  }
  const empty = refusal(
    await member.submit(emailSettingsAction, "/settings/notifications", { intent: "save-email-settings" }),
  );
  expect(empty).toEqual({
    status: 400,
    message: "No choice was sent, so nothing was saved. Pick how each kind of email should come, then save.",
  });
  // What was picked on a refused form comes back, so nothing is lost.
  const kept = payload<{ chosen: Record<string, string> }>(
    await member.submit(emailSettingsAction, "/settings/notifications", { answer: "never" }),
  );
  expect(kept.data.chosen).toEqual({ answer: "never" });
  // The page's own form still saves.
  const saved = refusal(
    await member.submit(emailSettingsAction, "/settings/notifications", {
      intent: "save-email-settings",
      answer: "never",
    }),
  );
  expect(saved).toEqual({ status: 200, message: "Saved. Your email settings apply from now on." });
  expect((await getEmailPreferences(database.db, id)).answer).toBe("never");
});

test("an invitation link is revoked only by its Revoke button, not by a form naming nothing this page does", async () => {
  const { id } = await createInvitation(database.db, { by: adminId, maxUses: 5, days: 7, note: "Contractors" });
  for (const fields of [{ invitationId: id }, { intent: "bogus", invitationId: id }] as Record<string, string>[]) {
    const answer = refusal(await admin.submit(signupAction, "/admin/signup", fields));
    expect(answer.status, JSON.stringify(fields)).toBe(400);
    expect(answer.message).toContain(REFUSED);
    const [row] = await database.db.select().from(signupInvitations).where(eq(signupInvitations.id, id));
    expect(row?.revokedAt).toBeNull();
  }
  const revoked = refusal(await admin.submit(signupAction, "/admin/signup", { intent: "revoke", invitationId: id }));
  expect(revoked).toEqual({ status: 200, message: "The link no longer works." });
});

test("a password change needs the page's own Change password form: another intent changes nothing", async () => {
  const { browser: member, id, password } = await signedIn("Paula Pass", "member", "10.59.0.4");
  const hashOf = async () =>
    (await database.db.select({ password: accounts.password }).from(accounts).where(eq(accounts.userId, id)))[0]
      ?.password;
  const before = await hashOf();
  for (const intent of ["bogus", "Password", ""]) {
    const answer = refusal(
      await member.submit(accountAction, "/settings/account", {
        intent,
        currentPassword: password,
        newPassword: "a brand new password for paula",
        confirmPassword: "a brand new password for paula",
      }),
    );
    expect(answer.status, intent).toBe(400);
    expect(answer.message).toContain(REFUSED);
    expect(await hashOf()).toBe(before);
  }
});

test("a glossary entry is saved or removed only by the page's own buttons", async () => {
  const entry = await createGlossaryEntry(database.db, {
    actor: { id: adminId, role: "admin", banned: false },
    entry: { term: "Badge reader log", explanation: "The list of door badges read at the office doors." },
  });
  const typed = { term: "Badge reader log", explanation: "Changed by a form from nowhere.", synonyms: "" };
  for (const intent of [undefined, "bogus"]) {
    const fields = intent === undefined ? typed : { ...typed, intent };
    const result = await admin.submit(glossaryEditAction, `/glossary/${entry.id}/edit`, fields, {
      id: String(entry.id),
    });
    const { data, status } = payload<{ message?: string; values?: Record<string, string> }>(result);
    expect(status, String(intent)).toBe(400);
    expect(data.message).toContain(REFUSED);
    // What was typed stays on the form.
    expect(data.values?.explanation).toBe(typed.explanation);
    expect((await getGlossaryEntry(database.db, entry.id))?.explanation).toBe(entry.explanation);
  }
});

test("a picture is uploaded only by the upload form: without its intent nothing is saved", async () => {
  const { browser: member, id } = await signedIn("Piet Picture", "member", "10.59.0.5");
  const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 20, g: 90, b: 200 } } })
    .png()
    .toBuffer();
  const picture = () => new File([new Uint8Array(png)], "me.png", { type: "image/png" });
  for (const fields of [{ picture: picture() }, { intent: "bogus", picture: picture() }] as Record<
    string,
    string | File
  >[]) {
    const answer = refusal(await member.submit(avatarAction, "/settings/avatar", fields));
    expect(answer.status).toBe(400);
    expect(answer.message).toContain(REFUSED);
    const [row] = await database.db.select({ image: users.image }).from(users).where(eq(users.id, id));
    expect(row?.image).toBeNull();
  }
  const uploaded = refusal(
    await member.submit(avatarAction, "/settings/avatar", { intent: "upload", picture: picture() }),
  );
  expect(uploaded).toEqual({ status: 200, message: "Your new picture is saved." });
});

test("the staff two-step rule stays on unless the sign-in rules form itself turns it off", async () => {
  // The admin uses two-step sign-in, as the rule asks of staff while it is on.
  await database.db.update(users).set({ twoFactorEnabled: true }).where(eq(users.id, adminId));
  await database.db
    .insert(securitySettings)
    .values({ id: 1, requireTwoFactorForStaff: true })
    .onConflictDoUpdate({ target: securitySettings.id, set: { requireTwoFactorForStaff: true } });
  for (const fields of [{}, { intent: "bogus" }, { reason: "spam" }] as Record<string, string>[]) {
    const answer = refusal(await admin.submit(adminSecurityAction, "/admin/security", fields));
    expect(answer.status, JSON.stringify(fields)).toBe(400);
    expect(answer.message).toContain(REFUSED);
    expect((await getSecuritySettings(database.db)).requireTwoFactorForStaff).toBe(true);
  }
  // The page's form, its box unticked, turns it off.
  const saved = refusal(await admin.submit(adminSecurityAction, "/admin/security", { intent: "save-sign-in-rules" }));
  expect(saved).toEqual({ status: 200, message: "Saved. Staff may use their tools without two-step sign-in." });
  expect((await getSecuritySettings(database.db)).requireTwoFactorForStaff).toBe(false);
});
