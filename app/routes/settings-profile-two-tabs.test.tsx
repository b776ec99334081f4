/**
 * The profile open in two tabs: a save on top of a profile saved meanwhile in the other tab is refused (409) with words
 * saying what changed, nothing is lost (the other save stays, what was typed stays in the form, which takes the newer
 * value of each field it left alone), and saving again then keeps both. Signing in elsewhere changes nothing a save is
 * compared with. On the real database, through the route's loader and action, the page rendered as without JavaScript.
 */
import { DomUtils, parseDocument } from "htmlparser2";
import { eq } from "drizzle-orm";
import { renderToString } from "react-dom/server";
import { StaticRouterProvider, createStaticHandler, createStaticRouter } from "react-router-dom/server";
import type { Database } from "#db/client.server";
import { users } from "#db/schema";
import EditProfile, { action as profileAction, loader as profileLoader } from "~/routes/settings.profile";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson } from "../../tests/fixtures/people";
import { Browser, type TestServices, payload, signUp, testServices } from "../../tests/fixtures/routes";

const PASSWORD = "tom keeps two tabs open";

let database: Database;
let services: TestServices;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  // Outside production the first sign-up becomes admin: somebody else is first.
  await makePerson(database.db, { role: "admin" });
});
afterAll(() => database.close());

type LoaderData = { profile: Record<string, unknown>; version: string };
type Result = { ok: boolean; message?: string; fieldErrors: Record<string, string>; values?: Record<string, string> };

let people = 0;
/** A member signed in in one browser; their id, browser and email address. */
async function member(): Promise<{ id: string; browser: Browser; email: string }> {
  people += 1;
  const email = `tom-tabs-${people}@example.com`;
  const browser = new Browser(services, `10.64.0.${people}`);
  await signUp(browser, { name: "Tom Becker", email, password: PASSWORD });
  const [row] = await database.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (!row) throw new Error("member not created");
  return { id: row.id, browser, email };
}

/** A tab with the profile form open: what its loader gave, and the fields as the form sends them unchanged. */
async function openTab(browser: Browser) {
  const loaded = payload<LoaderData>(await browser.load(profileLoader, "/settings/profile")).data;
  const { profile } = loaded;
  const fields: Record<string, string> = {
    name: String(profile.name),
    bio: String(profile.bio),
    timeZone: String(profile.timeZone),
    audience: String(profile.audience),
    expertise: String(profile.expertise),
    mentorPitch: String(profile.mentorPitch),
    languages: String(profile.languages),
    baseVersion: loaded.version,
  };
  return { loaded, fields };
}

async function save(browser: Browser, fields: Record<string, string>) {
  return payload<Result>(await browser.submit(profileAction, "/settings/profile", fields));
}

/** The profile page as it comes back after a save (the action's answer rendered into the page, as without JavaScript). */
async function pageAfter(loaded: LoaderData, result: Result): Promise<string> {
  const handler = createStaticHandler([
    {
      id: "routes/settings.profile",
      path: "/settings/profile",
      loader: () => ({ ...loaded, isEmailConfirmed: true, isAccountSilenced: false, timeZones: [] }),
      action: () => result,
      Component: EditProfile,
    },
  ]);
  const context = await handler.query(new Request("http://forum.test/settings/profile", { method: "POST", body: "" }));
  if (context instanceof Response) throw new Error("unexpected response");
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToString(<StaticRouterProvider router={router} context={context} hydrate={false} />);
}

/** What the page's form holds in field `name` (a textarea's text or an input's value). */
function fieldValue(html: string, name: string): string | undefined {
  const field = DomUtils.findOne((el) => el.attribs.name === name, parseDocument(html).children);
  if (!field) return undefined;
  return field.name === "textarea" ? DomUtils.textContent(field) : field.attribs.value;
}

function alertTexts(html: string): string[] {
  return DomUtils.findAll((el) => el.attribs.role === "alert", parseDocument(html).children).map((el) =>
    DomUtils.textContent(el),
  );
}

async function storedProfile(id: string) {
  const [row] = await database.db
    .select({ bio: users.bio, languages: users.languages, mentorPitch: users.mentorPitch })
    .from(users)
    .where(eq(users.id, id));
  return row;
}

const BIO = "Sysadmin for 10 years, Windows and networking.";

test("a save from a tab opened before another tab's save is refused, says what changed, and loses nothing", async () => {
  const tom = await member();
  const tabA = await openTab(tom.browser);
  const tabB = await openTab(tom.browser);

  expect((await save(tom.browser, { ...tabA.fields, bio: BIO })).data.ok).toBe(true);
  const refused = await save(tom.browser, { ...tabB.fields, languages: "German, English" });
  expect(refused.status).toBe(409);
  expect(refused.data.ok).toBe(false);
  expect(refused.data.message).toBe(
    "Your bio was changed somewhere else (another tab, window or device) after you opened this page, so this save was not made: it would have undone that change. The form now shows the newer bio; everything else is as you typed it. Check the form and save again.",
  );
  // The other tab's bio stays; nothing of this save was made.
  expect(await storedProfile(tom.id)).toMatchObject({ bio: BIO, languages: "" });

  // The page keeps what was typed, with the bio saved meanwhile (left alone here) in its field.
  const html = await pageAfter(tabB.loaded, refused.data);
  expect(alertTexts(html)).toContain(refused.data.message);
  expect(fieldValue(html, "languages")).toBe("German, English");
  expect(fieldValue(html, "bio")).toBe(BIO);
  expect(html).not.toContain("Your profile was saved.");

  // Saving that form again keeps both.
  const again = await save(tom.browser, { ...(refused.data.values ?? {}) });
  expect(again.data.ok).toBe(true);
  expect(await storedProfile(tom.id)).toMatchObject({ bio: BIO, languages: "German, English" });
});

test("a field changed in both tabs keeps what this tab typed, and says what the other tab saved", async () => {
  const tom = await member();
  const tabA = await openTab(tom.browser);
  const tabB = await openTab(tom.browser);
  expect((await save(tom.browser, { ...tabA.fields, mentorPitch: "Ask me about Intune." })).data.ok).toBe(true);

  const refused = await save(tom.browser, { ...tabB.fields, mentorPitch: "Happy to help with printers." });
  expect(refused.status).toBe(409);
  expect(refused.data.message).toBe(
    "Your mentor pitch was changed somewhere else (another tab, window or device) after you opened this page, so this save was not made: it would have undone that change. Check the form and save again.",
  );
  expect(refused.data.fieldErrors.mentorPitch).toBe(
    "This was changed elsewhere too, to “Ask me about Intune.”. Saving again keeps what is here instead.",
  );
  expect(refused.data.values?.mentorPitch).toBe("Happy to help with printers.");
  expect(await storedProfile(tom.id)).toMatchObject({ mentorPitch: "Ask me about Intune." });
});

test("signing in on another device doesn't stop a profile form opened before from saving; another tab's save does", async () => {
  const tom = await member();
  const tab = await openTab(tom.browser);
  const otherTab = await openTab(tom.browser);
  const phone = new Browser(services, "10.64.1.1");
  const signedIn = await services.auth.handler(
    phone.request("/api/auth/sign-in/email", {
      method: "POST",
      body: JSON.stringify({ email: tom.email, password: PASSWORD }),
      headers: { "content-type": "application/json" },
    }),
  );
  expect(signedIn.status).toBe(200);
  // Email sign-in leaves users.updated_at alone, but other account changes (a role, a picture, a ban) move it.
  await database.db
    .update(users)
    .set({ updatedAt: new Date(Date.now() + 60_000) })
    .where(eq(users.id, tom.id));

  const saved = await save(tom.browser, { ...tab.fields, bio: BIO });
  expect(saved).toMatchObject({ status: 200, data: { ok: true } });
  expect(await storedProfile(tom.id)).toMatchObject({ bio: BIO });
  // The profile itself changed: the tab opened before that is refused, and the bio stays.
  expect((await save(tom.browser, { ...otherTab.fields, languages: "Dutch" })).status).toBe(409);
  expect(await storedProfile(tom.id)).toMatchObject({ bio: BIO, languages: "" });
});
