/**
 * Staff signed out elsewhere (their session ended from another device) who then send a form on a staff page without
 * JavaScript get their typed text back on the error page (401), as everyone else does: a ban reason, a space's name and
 * description, the allowed domains, an invitation's note. These pages used to read the form before the sign-in check,
 * which left nothing to hand back ("nothing was changed"). Nothing is changed either way. On the real database with
 * real better-auth sessions, through the real routes (action, loader, error page) rendered as HTML.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { signupInvitations, spaces, users } from "#db/schema";
import { getAllowedDomains } from "~/models/signup-policy.server";
import * as signupPolicyRoute from "~/routes/admin.signup";
import * as spacesRoute from "~/routes/admin.spaces";
import * as usersRoute from "~/routes/admin.users";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson } from "../../tests/fixtures/people";
import { Browser, type TestServices, signUp, testServices } from "../../tests/fixtures/routes";
import {
  type RouteModule,
  SIGNED_OUT,
  endOtherSessions,
  readPage,
  sendForm as send,
} from "../../tests/fixtures/signed-out-elsewhere";

let database: Database;
let services: TestServices;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  // Outside production the first sign-up becomes admin: somebody else is first.
  await makePerson(database.db, { role: "admin" });
});
afterAll(() => database.close());

const PASSWORD = "staff keep the admin pages open all day";

let people = 0;
/** An admin signed up (so signed in) on their work laptop: their id, email and that laptop. */
async function admin(name: string) {
  people += 1;
  const email = `staff-signed-out-${people}@example.com`;
  const laptop = new Browser(services, `10.63.0.${people}`);
  await signUp(laptop, { name, email, password: PASSWORD });
  const [row] = await database.db
    .update(users)
    .set({ role: "admin" })
    .where(eq(users.email, email))
    .returning({ id: users.id });
  if (!row) throw new Error("admin not created");
  return { id: row.id, email, laptop };
}

/** Signs the admin in on their phone and, there, signs out every other device (settings → devices). */
const endOtherSessionsFromPhone = (email: string) =>
  endOtherSessions(services, { email, password: PASSWORD, ip: `10.63.1.${people}` });

/** Sends `fields` to a staff page as a form POST without JavaScript (the whole page comes back). */
const sendForm = (browser: Browser, route: RouteModule, path: string, fields: Record<string, string>) =>
  send(browser, route, { path, fields });

/** The error page said the text wasn't saved, with a way to sign in back to `path`; the boxes' text is returned. */
function handedBack(sent: { status: number; html: string }, path: string): string {
  expect(sent.status).toBe(401);
  const shown = readPage(sent.html);
  expect(shown.heading).toEqual(["What you wrote wasn't saved"]);
  expect(shown.text).toContain(`${SIGNED_OUT} so this wasn't saved. What you typed is below, to copy.`);
  expect(shown.links).toContainEqual({ text: "Sign in", href: `/signin?redirectTo=${encodeURIComponent(path)}` });
  expect(shown.boxes).toHaveLength(1);
  expect(shown.boxes[0]?.isReadOnly).toBe(true);
  return shown.boxes[0]?.text ?? "";
}

test("a ban confirmed without JavaScript by an admin signed out elsewhere hands back the ban reason, and nobody is banned", async () => {
  const ada = await admin("Ada Lovelace");
  const spammer = await makePerson(database.db, { name: "Sam Spammer" });
  await endOtherSessionsFromPhone(ada.email);
  const reason = "Posted links to a fake payroll login page in three spaces";

  const sent = await sendForm(ada.laptop, usersRoute, "/admin/users", {
    intent: "ban",
    userId: spammer.id,
    confirm: "yes",
    reason,
    hideOffered: "yes",
    hidePosts: "on",
  });

  expect(handedBack(sent, "/admin/users")).toBe(reason);
  expect(sent.html).not.toContain(spammer.id);
  const [row] = await database.db.select({ banned: users.banned }).from(users).where(eq(users.id, spammer.id));
  expect(row?.banned).toBe(false);
});

test("a new space sent without JavaScript by an admin signed out elsewhere hands back its name and description, and no space is made", async () => {
  const grace = await admin("Grace Hopper");
  await endOtherSessionsFromPhone(grace.email);
  const description = "Questions about expense claims, mileage and the travel booking tool.";

  const sent = await sendForm(grace.laptop, spacesRoute, "/admin/spaces", {
    intent: "create",
    name: "Travel & expenses",
    description,
  });

  const kept = handedBack(sent, "/admin/spaces");
  expect(kept).toContain("Name:\nTravel & expenses");
  expect(kept).toContain(`Description:\n${description}`);
  const made = await database.db.select().from(spaces).where(eq(spaces.name, "Travel & expenses"));
  expect(made).toEqual([]);
});

test("allowed email domains saved without JavaScript by an admin signed out elsewhere come back to copy, and the list is unchanged", async () => {
  const linus = await admin("Linus Domains");
  await endOtherSessionsFromPhone(linus.email);
  const before = await getAllowedDomains(database.db);

  const sent = await sendForm(linus.laptop, signupPolicyRoute, "/admin/signup", {
    intent: "domains",
    baseDomains: before.join("\n"),
    domains: "example.org\nsubsidiary.example.com",
  });

  expect(handedBack(sent, "/admin/signup")).toBe("example.org\nsubsidiary.example.com");
  expect(await getAllowedDomains(database.db)).toEqual(before);
});

test("an invitation link asked for without JavaScript by an admin signed out elsewhere hands back its note, and no link is made", async () => {
  const margaret = await admin("Margaret Invites");
  await endOtherSessionsFromPhone(margaret.email);
  const note = "For the auditors from the external firm, spring review";

  const sent = await sendForm(margaret.laptop, signupPolicyRoute, "/admin/signup", {
    intent: "invite",
    maxUses: "3",
    days: "14",
    note,
  });

  expect(handedBack(sent, "/admin/signup")).toBe(note);
  expect(await database.db.select().from(signupInvitations)).toEqual([]);
});
