/**
 * The allowed sign-up domains saved from two pages that both showed the same list: the first save lands, the second
 * (made on the older list) is refused naming the list as it is now, and nothing of the first is lost. The same save
 * twice is one change. On the real database.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { moderationLog } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeUser } from "../../tests/fixtures/people";
import { AllowedDomainsChangedError, getAllowedDomains, setAllowedDomains } from "./signup-policy.server";

let database: Database;
let ada: string;
let ben: string;

beforeAll(async () => {
  database = await createTestDatabase();
  ada = await makeUser(database.db, { role: "admin" });
  ben = await makeUser(database.db, { role: "admin" });
});
afterAll(() => database.close());

async function domainChangesLogged() {
  const rows = await database.db.select().from(moderationLog).where(eq(moderationLog.action, "signup.domains"));
  return rows.length;
}

/** What a refused save threw, or null when it was saved. */
async function refusalOf(save: Promise<unknown>): Promise<AllowedDomainsChangedError | null> {
  try {
    await save;
    return null;
  } catch (error) {
    if (error instanceof AllowedDomainsChangedError) return error;
    throw error;
  }
}

test("a save from a page that showed an older list is refused, naming the list now, and drops nothing", async () => {
  // Both pages showed an empty list (anyone may sign up); Ben saves acme.example first.
  await setAllowedDomains(database.db, { domains: ["acme.example"], by: ben, baseDomains: [] });
  const refused = await refusalOf(
    setAllowedDomains(database.db, { domains: ["beta.example"], by: ada, baseDomains: [] }),
  );
  expect(refused?.status).toBe(409);
  expect(refused?.current).toEqual(["acme.example"]);
  expect(refused?.message).toBe(
    "Another admin changed the allowed domains to acme.example after you opened this page. Nothing was saved: check the list below and save again.",
  );
  expect(await getAllowedDomains(database.db)).toEqual(["acme.example"]);
  expect(await domainChangesLogged()).toBe(1);

  // Saved again on the list as it is now, Ada's change lands (here she keeps both).
  const saved = await setAllowedDomains(database.db, {
    domains: ["beta.example", "acme.example"],
    by: ada,
    baseDomains: ["acme.example"],
  });
  expect(saved).toEqual(["acme.example", "beta.example"]);
  expect(await getAllowedDomains(database.db)).toEqual(["acme.example", "beta.example"]);
  expect(await domainChangesLogged()).toBe(2);
});

test("the same save pressed twice is one change, and the second press is not refused", async () => {
  const base = await getAllowedDomains(database.db);
  const logged = await domainChangesLogged();
  const press = () =>
    setAllowedDomains(database.db, { domains: [...base, "gamma.example"], by: ada, baseDomains: base });
  const [first, second] = await Promise.all([press(), press()]);
  expect(first).toEqual(["acme.example", "beta.example", "gamma.example"]);
  expect(second).toEqual(first);
  expect(await getAllowedDomains(database.db)).toEqual(first);
  expect(await domainChangesLogged()).toBe(logged + 1);
});

test("two admins saving different lists at the same moment: one lands, the other is refused", async () => {
  const base = await getAllowedDomains(database.db);
  const [fromAda, fromBen] = await Promise.all([
    refusalOf(setAllowedDomains(database.db, { domains: ["ada.example"], by: ada, baseDomains: base })),
    refusalOf(setAllowedDomains(database.db, { domains: ["ben.example"], by: ben, baseDomains: base })),
  ]);
  const refusals = [fromAda, fromBen].filter((r) => r !== null);
  expect(refusals).toHaveLength(1);
  const now = await getAllowedDomains(database.db);
  expect(now).toEqual(fromAda === null ? ["ada.example"] : ["ben.example"]);
  expect(refusals[0]?.current).toEqual(now);
});

test("a change the same admin made in another tab is said to be theirs; emptied, the list is said to be none", async () => {
  const base = await getAllowedDomains(database.db);
  await setAllowedDomains(database.db, { domains: [], by: ada, baseDomains: base });
  const refused = await refusalOf(
    setAllowedDomains(database.db, { domains: [...base, "delta.example"], by: ada, baseDomains: base }),
  );
  expect(refused?.message).toBe(
    "You changed the allowed domains to none (anyone may sign up now) in another tab or window after you opened this page. Nothing was saved: check the list below and save again.",
  );
  expect(await getAllowedDomains(database.db)).toEqual([]);
});
