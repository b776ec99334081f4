/**
 * Deciding on a suggested edit decides on the version the reviewer was shown: a suggestion changed since the review
 * page loaded, or (for accepting) a how-to edited since, is refused with nothing published, and the page shows the new
 * version to look over.
 */
import type { Database, Db } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { howtoFields, makeHowto } from "../../tests/fixtures/howtos";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { decideSuggestion, listPendingSuggestions, suggestHowtoEdit } from "./howto-suggestions.server";
import { editHowto, getHowtoForEditing } from "./howto-writing.server";
import { PostingError } from "./post-errors.server";

let database: Database;
let db: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
});
afterAll(async () => {
  await database?.close();
});

/** The refusal a decision met (fails the test when it went through). */
async function refusalOf(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PostingError) return { status: error.status, message: error.message };
    throw error;
  }
  throw new Error("expected the decision to be refused");
}

const publishedSteps = [
  "Open Settings, then Printers & scanners.",
  "Remove the printer.",
  "If it still fails, restart the Print Spooler service.",
];
/** Tom's suggestion: step 2 reworded. */
const printerSteps = publishedSteps.with(1, "Remove the printer, add it again, and print a test page from Settings.");

async function setUp() {
  const dev = await makePerson(db, { name: "Dev Patel" });
  const tom = await makePerson(db, { name: "Tom Reyes" });
  const spaceId = await makeSpace(db);
  const fields = howtoFields({ steps: publishedSteps });
  const howtoId = await makeHowto(db, dev, spaceId, fields);
  return { dev, tom, howtoId, fields };
}

/** What the review page showed: the suggestion's version and the how-to's, as its decision forms carry them. */
async function reviewPage(actor: Awaited<ReturnType<typeof setUp>>["dev"], howtoId: number) {
  const page = await listPendingSuggestions(db, { howtoId, actor });
  const [first] = page.suggestions;
  if (!first) throw new Error("no suggestion waiting");
  return { suggestion: first, shown: { suggestedAt: first.createdAt, howtoRevision: page.revision } };
}

describe("deciding on the version that was shown", () => {
  test("a suggestion changed after the page loaded is neither accepted nor rejected; the new version is shown", async () => {
    const { dev, tom, howtoId, fields } = await setUp();
    await suggestHowtoEdit(db, {
      actor: tom,
      howtoId,
      ...fields,
      steps: printerSteps,
      now: new Date("2025-03-01T10:00:00Z"),
    });
    const before = await reviewPage(dev, howtoId);
    expect(JSON.stringify(before.suggestion.diff)).toContain("print a test page");

    const second =
      "SECOND VERSION: delete everything in C:\\Windows\\System32\\spool\\PRINTERS and the drivers folder.";
    await suggestHowtoEdit(db, {
      actor: tom,
      howtoId,
      ...fields,
      steps: publishedSteps.with(1, second),
      now: new Date("2025-03-01T10:05:00Z"),
    });

    for (const decision of ["accept", "reject"] as const) {
      const refused = await refusalOf(
        decideSuggestion(db, { suggestionId: before.suggestion.id, actor: dev, decision, shown: before.shown }),
      );
      expect(refused).toEqual({
        status: 409,
        message:
          "Tom Reyes changed this suggestion after you opened the page. Here is the new version; look it over before you decide.",
      });
    }
    // Nothing was published, and the suggestion still waits, now as its second version.
    const howto = await getHowtoForEditing(db, howtoId);
    expect(howto?.revisionCount).toBe(1);
    expect(howto?.content.steps).toEqual(fields.steps);
    const after = await reviewPage(dev, howtoId);
    expect(after.suggestion.id).toBe(before.suggestion.id);
    expect(JSON.stringify(after.suggestion.diff)).toContain("SECOND VERSION");

    // Decided on as shown now, it goes through.
    await decideSuggestion(db, {
      suggestionId: after.suggestion.id,
      actor: dev,
      decision: "reject",
      shown: after.shown,
    });
    expect((await listPendingSuggestions(db, { howtoId, actor: dev })).suggestions).toEqual([]);
    expect((await getHowtoForEditing(db, howtoId))?.revisionCount).toBe(1);
  });

  test("accepting after the author edited the how-to since the page loaded is refused: the later edit is not undone", async () => {
    const { dev, tom, howtoId, fields } = await setUp();
    await suggestHowtoEdit(db, { actor: tom, howtoId, ...fields, steps: printerSteps, baseRevision: 1 });
    const before = await reviewPage(dev, howtoId);
    expect(before.suggestion).toMatchObject({ isStale: false, replacesLaterEdits: [] });

    // In another tab, dev rewrites the same step themselves.
    const devsStep = "Remove the printer, then add it again from the list.";
    await editHowto(db, { actor: dev, howtoId, ...fields, steps: publishedSteps.with(1, devsStep) });

    const refused = await refusalOf(
      decideSuggestion(db, { suggestionId: before.suggestion.id, actor: dev, decision: "accept", shown: before.shown }),
    );
    expect(refused).toEqual({
      status: 409,
      message:
        "The how-to was edited after you opened the page. Here is what accepting this suggestion would change now; look it over before you decide.",
    });
    const howto = await getHowtoForEditing(db, howtoId);
    expect(howto?.revisionCount).toBe(2);
    expect(howto?.content.steps?.[1]).toBe(devsStep);

    // The page now says the suggestion would replace that later edit; accepting what it shows is the reviewer's call.
    const after = await reviewPage(dev, howtoId);
    expect(after.suggestion).toMatchObject({ isStale: true, replacesLaterEdits: ["Step 2"] });
    await decideSuggestion(db, {
      suggestionId: after.suggestion.id,
      actor: dev,
      decision: "accept",
      shown: after.shown,
    });
    expect((await getHowtoForEditing(db, howtoId))?.content.steps).toEqual(printerSteps);
  });

  test("rejecting stays possible after the how-to was edited: rejecting changes nothing on it", async () => {
    const { dev, tom, howtoId, fields } = await setUp();
    await suggestHowtoEdit(db, { actor: tom, howtoId, ...fields, steps: printerSteps, baseRevision: 1 });
    const before = await reviewPage(dev, howtoId);
    await editHowto(db, { actor: dev, howtoId, ...fields, summary: "Fix a printer that prints nothing." });
    const { revision } = await decideSuggestion(db, {
      suggestionId: before.suggestion.id,
      actor: dev,
      decision: "reject",
      shown: before.shown,
    });
    expect(revision).toBeNull();
    expect((await getHowtoForEditing(db, howtoId))?.revisionCount).toBe(2);
  });
});
