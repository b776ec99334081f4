/**
 * A ban cancels the Q&A sessions the person hosts that are still to come or under way (users.server.ts banUser); the
 * admin who banned them is told so in the ban's message, counted, with the people who signed up told. Nothing is added
 * when the person hosted none. Through the real admin people page's action on the real database.
 */
import type { Database } from "#db/client.server";
import { scheduleOfficeHours } from "~/models/office-hours.server";
import { action as usersAction } from "~/routes/admin.users";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { type Browser, payload, signedInAdmin, testServices } from "../../tests/fixtures/routes";

let database: Database;
let admin: Browser;
let spaceId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  ({ browser: admin } = await signedInAdmin(testServices(database), "10.63.5.1"));
  spaceId = await makeSpace(database.db);
});
afterAll(() => database.close());

type Person = Awaited<ReturnType<typeof makePerson>>;

/** "2026-12-08T10:00" for `n` minutes from now, as a datetime-local field in UTC sends it. */
const fromNow = (n: number) => new Date(Date.now() + n * 60_000).toISOString().slice(0, 16);

/** A session `host` schedules, starting in `startsIn` minutes and lasting an hour. */
async function sessionHostedBy(host: Person, startsIn: number) {
  await scheduleOfficeHours(database.db, {
    actor: host,
    title: "Crypto giveaway, ask me how",
    description: "Send one coin, get two back. Questions welcome.",
    spaceId,
    tags: "finance",
    startsAtLocal: fromNow(startsIn),
    endsAtLocal: fromNow(startsIn + 60),
    timeZone: "UTC",
    maxQuestionsPerPerson: "",
  });
}

/** What the admin is told after confirming a ban of `person` (their posts stay public, so that part says little). */
async function banMessage(person: Person): Promise<string> {
  const answer = payload<{ ok: boolean; message: string }>(
    await admin.submit(usersAction, "/admin/users", {
      intent: "ban",
      userId: person.id,
      reason: "Scam sessions",
      confirm: "yes",
      hideOffered: "yes",
    }),
  );
  expect(answer.data.ok).toBe(true);
  return answer.data.message;
}

test("banning someone who hosts two upcoming Q&A sessions tells the admin both were cancelled and their people told", async () => {
  const sam = await makePerson(database.db, { role: "mentor", name: "Sam Spammer" });
  await sessionHostedBy(sam, 60);
  await sessionHostedBy(sam, 24 * 60);

  expect(await banMessage(sam)).toBe(
    "Account banned and signed out everywhere. Their posts stay public. Their 2 upcoming Q&A sessions were cancelled and the people who signed up were told.",
  );
});

test("banning someone who hosts one upcoming Q&A session says so in the singular", async () => {
  const kim = await makePerson(database.db, { role: "mentor", name: "Kim Scam" });
  await sessionHostedBy(kim, 90);

  expect(await banMessage(kim)).toBe(
    "Account banned and signed out everywhere. Their posts stay public. Their upcoming Q&A session was cancelled and the people who signed up were told.",
  );
});

test("banning someone who hosts no upcoming Q&A sessions says nothing about sessions", async () => {
  const lee = await makePerson(database.db, { name: "Lee Quiet" });

  expect(await banMessage(lee)).toBe("Account banned and signed out everywhere. Their posts stay public.");
});
