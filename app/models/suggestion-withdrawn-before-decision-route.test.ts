/**
 * The how-to's author opens the suggested edits, the suggester withdraws theirs meanwhile, then the author presses
 * Accept (or Reject): the answer says the suggestion is no longer there and why it may be, not that it "doesn't
 * exist", and nothing changes. Through /howtos/:id/suggestions on the real database.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { users } from "#db/schema";
import { action, loader } from "~/routes/howtos.$id.suggestions";
import { createTestDatabase } from "../../tests/fixtures/db";
import { howtoFields, makeHowto } from "../../tests/fixtures/howtos";
import { ESTABLISHED_SINCE, makePerson, makeSpace } from "../../tests/fixtures/people";
import { Browser, type TestServices, payload, signUp, testServices } from "../../tests/fixtures/routes";
import { getHowtoForEditing } from "./howto-writing.server";
import { suggestHowtoEdit, withdrawSuggestion } from "./howto-suggestions.server";

let database: Database;
let services: TestServices;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
});
afterAll(() => database.close());

type Page = { revision: number; suggestions: { id: number; createdAt: Date }[] };

const GONE = "This suggestion is no longer there: its author withdrew it, or it was removed. Nothing was changed.";

test.each(["accept", "reject"])(
  "%sing a suggestion its author withdrew after the page loaded says it was withdrawn",
  async (decision) => {
    const { db } = database;
    const browser = new Browser(services, `10.62.11.${decision === "accept" ? 1 : 2}`);
    const email = `ines-${decision}@example.com`;
    await signUp(browser, { name: "Ines Duarte", email, password: "ines keeps the runbooks current" });
    const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
    if (!user) throw new Error("not signed up");
    await db.update(users).set({ createdAt: ESTABLISHED_SINCE }).where(eq(users.id, user.id));
    const ines = { id: user.id, role: "member" as const, banned: false };
    const tom = await makePerson(db, { name: "Tom Reyes" });
    const fields = howtoFields();
    const howtoId = await makeHowto(db, ines, await makeSpace(db), fields);
    await suggestHowtoEdit(db, {
      actor: tom,
      howtoId,
      ...fields,
      steps: fields.steps.with(1, "Restart the spooler first."),
    });

    const path = `/howtos/${howtoId}/suggestions`;
    const params = { id: String(howtoId) };
    const page = payload<Page>(await browser.load(loader, path, params)).data;
    const [shown] = page.suggestions;
    if (!shown) throw new Error("no suggestion listed");

    // Tom withdraws it; Ines presses the button on the page she has open.
    expect(await withdrawSuggestion(db, { howtoId, actor: tom })).toBe(true);
    const answer = payload<{ message: string; suggestionId: number | null }>(
      await browser.submit(
        action,
        path,
        {
          suggestionId: String(shown.id),
          decision,
          suggestedAt: new Date(shown.createdAt).toISOString(),
          howtoRevision: String(page.revision),
        },
        params,
      ),
    );
    expect(answer).toEqual({ status: 404, data: { message: GONE, suggestionId: shown.id } });
    const howto = await getHowtoForEditing(db, howtoId);
    expect(howto?.revisionCount).toBe(1);
    expect(howto?.content.steps).toEqual(fields.steps);
  },
);
