/** How-tos against a real database: writing, validation, feedback, suggested edits, revisions, deletion, lists. */
import { and, eq } from "drizzle-orm";
import type { Database, Db } from "#db/client.server";
import { editSuggestions, howtoFeedback, moderationLog, posts, revisions, searchOutbox } from "#db/schema";
import { insertPosts } from "../../scripts/seed/demo";
import { createTestDatabase } from "../../tests/fixtures/db";
import { howtoFields, makeHowto } from "../../tests/fixtures/howtos";
import { createHowto, deleteHowto, editHowto, getHowtoForEditing, restoreHowto } from "./howto-writing.server";
import {
  decideSuggestion,
  diffHowtoContent,
  getOwnPendingSuggestion,
  listPendingSuggestions,
  suggestHowtoEdit,
  withdrawSuggestion,
} from "./howto-suggestions.server";
import { getHowtoPage, getHowtoViewerState } from "./howto-pages.server";
import { getHowtoRevisionHistory, listHowtos, listRelatedContent, wilsonLowerBound } from "./howto-lists.server";
import { listFeedbackComments, rateHowto } from "./howto-feedback.server";
import { validateHowto } from "./howto-validation.server";
import { loadHowtoViewer } from "./howto-viewer.server";
import { follow } from "./notifications.server";
import { PostingError } from "./post-errors.server";
import { RateLimitedError } from "./rate-limits.server";
import { makePerson, makeSpace } from "../../tests/fixtures/people";

let database: Database;
let db: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
});
afterAll(async () => {
  await database?.close();
});

/** The field errors a rejected write carried (fails the test when it was not a PostingError). */
async function fieldErrorsOf(promise: Promise<unknown>): Promise<Record<string, string>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PostingError) return error.fieldErrors;
    throw error;
  }
  throw new Error("expected the write to be refused");
}

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PostingError) return error.status;
    throw error;
  }
  throw new Error("expected the write to be refused");
}

async function outboxFor(postId: number) {
  return db
    .select({ op: searchOutbox.op })
    .from(searchOutbox)
    .where(eq(searchOutbox.postId, postId))
    .orderBy(searchOutbox.id);
}

describe("writing a how-to", () => {
  test("every field is checked, with a message for each field that is wrong", () => {
    let errors: Record<string, string> = {};
    try {
      validateHowto({
        title: "Short",
        summary: "Too short",
        appliesTo: "",
        difficulty: "expert",
        estimatedMinutes: "0",
        prerequisites: "",
        steps: ["ok", "", "Fine step"],
        tags: "a, b, c, d, e, f",
      });
    } catch (error) {
      if (error instanceof PostingError) errors = error.fieldErrors;
    }
    expect(errors.title).toContain("at least 15 characters");
    expect(errors.summary).toContain("at least 20 characters");
    expect(errors.appliesTo).toContain("which product and version");
    expect(errors.difficulty).toContain("beginner, intermediate or advanced");
    expect(errors.estimatedMinutes).toContain("1 to 600");
    // The blank step is dropped, so the too-short one is step 1 and the next one is fine.
    expect(errors["steps.0"]).toBe("Step 1 needs at least 3 characters.");
    expect(errors["steps.1"]).toBeUndefined();
    expect(errors.tags).toContain("at most 5 tags");
  });

  test("a how-to needs 1 to 30 steps, each at most 5,000 characters", () => {
    const fail = (steps: string[]) => {
      try {
        validateHowto(howtoFields({ steps }));
        return {};
      } catch (error) {
        return error instanceof PostingError ? error.fieldErrors : {};
      }
    };
    expect(fail(["", "  "]).steps).toContain("Add at least one step");
    expect(fail(Array.from({ length: 31 }, (_, i) => `Do thing number ${i + 1}`)).steps).toContain("at most 30 steps");
    expect(fail(["Fine", "x".repeat(5001)])["steps.1"]).toContain("at most 5,000 characters");
    expect(fail(Array.from({ length: 30 }, (_, i) => `Do thing number ${i + 1}`))).toEqual({});
  });

  test("the summary becomes one paragraph, tags are normalised, and prerequisites are optional", () => {
    const fields = validateHowto(
      howtoFields({
        summary: "Line one of the summary\n\nand line two of it.",
        tags: "Exchange Online, VPN, vpn",
        prerequisites: "",
      }),
    );
    expect(fields.summary).toBe("Line one of the summary and line two of it.");
    expect(fields.tags).toEqual(["exchange-online", "vpn"]);
    expect(fields.prerequisites).toBe("");
    expect(fields.estimatedMinutes).toBe(10);
  });

  test("a member publishes a how-to: steps stored and rendered, revision 1 kept, search outbox row written", async () => {
    const author = await makePerson(db);
    const spaceId = await makeSpace(db);
    const { howtoId, isRepeat } = await createHowto(db, {
      actor: author,
      spaceId,
      ...howtoFields({ isPlainLanguage: true }),
    });
    expect(isRepeat).toBe(false);
    const page = await getHowtoPage(db, howtoId);
    expect(page?.stepsHtml).toHaveLength(3);
    expect(page?.stepsHtml[0]).toContain("<em>self-service</em>");
    expect(page?.stepsHtml[0]).toContain("<code>https://passwords.example</code>");
    expect(page?.prerequisitesHtml).toContain("<strong>Authenticator</strong>");
    expect(page?.isPlainLanguage).toBe(true);
    expect(page?.difficulty).toBe("beginner");
    expect(page?.estimatedMinutes).toBe(10);
    expect(page?.tags).toEqual(["passwords", "vpn"]);
    const [row] = await db
      .select({ bodyMd: posts.bodyMd, kind: posts.kind, revisionCount: posts.revisionCount })
      .from(posts)
      .where(eq(posts.id, howtoId));
    expect(row?.kind).toBe("howto");
    expect(row?.bodyMd).toContain("## Step 2\n\nChoose **Forgot password**");
    expect(row?.revisionCount).toBe(1);
    const [first] = await db.select().from(revisions).where(eq(revisions.postId, howtoId));
    expect(first?.content.steps).toHaveLength(3);
    expect(first?.editorId).toBe(author.id);
    expect(await outboxFor(howtoId)).toEqual([{ op: "upsert" }]);
  });

  test("Markdown in steps is sanitised: no scripts or event handlers survive", async () => {
    const author = await makePerson(db);
    const spaceId = await makeSpace(db);
    const howtoId = await makeHowto(db, author, spaceId, {
      steps: ["<script>alert(1)</script> then <img src=x onerror=alert(1)> [link](javascript:alert(1))"],
    });
    const html = (await getHowtoPage(db, howtoId))?.stepsHtml[0] ?? "";
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).not.toMatch(/href="javascript/i);
    expect(html).not.toMatch(/<[^>]+onerror=/i);
  });

  test("the same idempotency key twice creates one how-to", async () => {
    const author = await makePerson(db);
    const spaceId = await makeSpace(db);
    const fields = howtoFields();
    const first = await createHowto(db, { actor: author, spaceId, ...fields, idempotencyKey: "howto-key-123456" });
    const second = await createHowto(db, { actor: author, spaceId, ...fields, idempotencyKey: "howto-key-123456" });
    expect(second).toEqual({ howtoId: first.howtoId, isRepeat: true });
    const mine = await db.select({ id: posts.id }).from(posts).where(eq(posts.authorId, author.id));
    expect(mine).toHaveLength(1);
  });

  test("visitors, banned members and archived spaces are refused; the eleventh how-to in an hour is rate limited", async () => {
    const spaceId = await makeSpace(db);
    const banned = await makePerson(db, { banned: true });
    expect(await statusOf(createHowto(db, { actor: null, spaceId, ...howtoFields() }))).toBe(401);
    expect(await statusOf(createHowto(db, { actor: banned, spaceId, ...howtoFields() }))).toBe(403);
    const archived = await makeSpace(db, { archived: true });
    const author = await makePerson(db);
    expect(
      (await fieldErrorsOf(createHowto(db, { actor: author, spaceId: archived, ...howtoFields() }))).spaceId,
    ).toContain("archived");
    const now = new Date("2030-01-01T10:00:00Z");
    for (let i = 0; i < 10; i++) await makeHowto(db, author, spaceId, { now });
    await expect(makeHowto(db, author, spaceId, { now })).rejects.toBeInstanceOf(RateLimitedError);
  });
});

describe("editing", () => {
  test("the author edits directly: a new revision with the note, and an outbox row", async () => {
    const author = await makePerson(db);
    const spaceId = await makeSpace(db);
    const howtoId = await makeHowto(db, author, spaceId);
    const fields = howtoFields({
      title: "Reset a forgotten VPN password yourself",
      steps: ["Open the portal.", "Choose Forgot password.", "Type a new password.", "Sign in again."],
    });
    const { revision } = await editHowto(db, { actor: author, howtoId, ...fields, note: "Added the last step" });
    expect(revision).toBe(2);
    const page = await getHowtoPage(db, howtoId);
    expect(page?.title).toBe("Reset a forgotten VPN password yourself");
    expect(page?.stepsHtml).toHaveLength(4);
    expect(page?.revisionCount).toBe(2);
    const history = await getHowtoRevisionHistory(db, howtoId);
    expect(history?.revisions[0]?.note).toBe("Added the last step");
    const changed = history?.revisions[0]?.changes.map((c) => c.field);
    expect(changed).toContain("title");
    expect(changed).toContain("steps.3");
    expect(await outboxFor(howtoId)).toEqual([{ op: "upsert" }, { op: "upsert" }]);
  });

  test("staff may edit anyone's how-to; other members may not, and an unchanged edit is refused", async () => {
    const author = await makePerson(db);
    const moderator = await makePerson(db, { role: "moderator" });
    const other = await makePerson(db);
    const spaceId = await makeSpace(db);
    const fields = howtoFields();
    const howtoId = await makeHowto(db, author, spaceId, fields);
    expect(
      await statusOf(editHowto(db, { actor: other, howtoId, ...fields, summary: `${fields.summary} More.` })),
    ).toBe(403);
    expect((await fieldErrorsOf(editHowto(db, { actor: author, howtoId, ...fields }))).form).toContain(
      "Nothing changed",
    );
    await editHowto(db, {
      actor: moderator,
      howtoId,
      ...fields,
      summary: `${fields.summary} Fixed a typo.`,
      note: "typo",
    });
    const [latest] = (await getHowtoRevisionHistory(db, howtoId))?.revisions ?? [];
    expect(latest?.editorName).toBe(moderator.name);
  });
});

describe("Did this help?", () => {
  test("one answer per person, changeable; the counts follow; the author can't rate their own", async () => {
    const author = await makePerson(db);
    const reader = await makePerson(db);
    const another = await makePerson(db);
    const spaceId = await makeSpace(db);
    const howtoId = await makeHowto(db, author, spaceId);
    expect(await statusOf(rateHowto(db, { howtoId, actor: author, isHelpful: true }))).toBe(403);
    expect(await statusOf(rateHowto(db, { howtoId, actor: null, isHelpful: true }))).toBe(401);

    expect(
      await rateHowto(db, { howtoId, actor: reader, isHelpful: true, comment: "Worked first time." }),
    ).toMatchObject({ helpfulYes: 1, helpfulNo: 0 });
    // Answering again replaces the first answer rather than adding a second.
    expect(
      await rateHowto(db, { howtoId, actor: reader, isHelpful: true, comment: "Worked first time!" }),
    ).toMatchObject({ helpfulYes: 1, helpfulNo: 0 });
    expect(await rateHowto(db, { howtoId, actor: another, isHelpful: false })).toMatchObject({
      helpfulYes: 1,
      helpfulNo: 1,
    });
    expect(
      await rateHowto(db, { howtoId, actor: reader, isHelpful: false, comment: "Step 2 has changed." }),
    ).toMatchObject({ helpfulYes: 0, helpfulNo: 2 });
    const rows = await db.select().from(howtoFeedback).where(eq(howtoFeedback.postId, howtoId));
    expect(rows).toHaveLength(2);
    const page = await getHowtoPage(db, howtoId);
    expect([page?.helpfulYes, page?.helpfulNo]).toEqual([0, 2]);

    const viewer = await getHowtoViewerState(db, { howtoId, actor: reader });
    expect(viewer?.myFeedback).toEqual({ isHelpful: false, comment: "Step 2 has changed." });
    expect(viewer?.canRate).toBe(true);
    expect(viewer?.feedbackComments).toBeNull();
  });

  test("the author (and staff) read the comments; other readers cannot", async () => {
    const author = await makePerson(db);
    const reader = await makePerson(db);
    const admin = await makePerson(db, { role: "admin" });
    const spaceId = await makeSpace(db);
    const howtoId = await makeHowto(db, author, spaceId);
    await rateHowto(db, { howtoId, actor: reader, isHelpful: true, comment: "Clear and quick, thanks." });
    const comments = await listFeedbackComments(db, { howtoId, actor: author });
    expect(comments).toMatchObject([{ isHelpful: true, comment: "Clear and quick, thanks.", name: reader.name }]);
    expect(await listFeedbackComments(db, { howtoId, actor: admin })).toHaveLength(1);
    expect(await statusOf(listFeedbackComments(db, { howtoId, actor: reader }))).toBe(403);
    const authorView = await getHowtoViewerState(db, { howtoId, actor: author });
    expect(authorView?.canRate).toBe(false);
    expect(authorView?.rateHint).toContain("your how-to");
    expect(authorView?.feedbackComments?.[0]?.comment).toBe("Clear and quick, thanks.");
  });

  test("a signed-in view in one statement: own feedback, following, pending suggestions, each person's own", async () => {
    const author = await makePerson(db);
    const reader = await makePerson(db);
    const other = await makePerson(db);
    const howtoId = await makeHowto(db, author, await makeSpace(db));
    const viewOf = (actor: typeof reader | null) => loadHowtoViewer(db, howtoId, actor);
    expect(await viewOf(reader)).toMatchObject({ isFollowing: false, myFeedback: null, pendingSuggestions: 0 });

    await follow(db, reader.id, { type: "howto", key: String(howtoId) });
    await follow(db, other.id, { type: "question", key: String(howtoId) });
    await rateHowto(db, { howtoId, actor: reader, isHelpful: true, comment: "" });
    await suggestHowtoEdit(db, {
      ...howtoFields({ title: "Reset a forgotten VPN password, a better title" }),
      howtoId,
      actor: reader,
    });

    expect(await viewOf(reader)).toMatchObject({
      isFollowing: true,
      myFeedback: { isHelpful: true, comment: "" },
      canReviewSuggestions: false,
      pendingSuggestions: 0,
    });
    // Another person's follow of something else with the same key, and the reader's feedback, are not theirs.
    expect(await viewOf(other)).toMatchObject({ isFollowing: false, myFeedback: null, canRate: true });
    // Authors follow what they write.
    expect(await viewOf(author)).toMatchObject({
      isFollowing: true,
      canReviewSuggestions: true,
      pendingSuggestions: 1,
    });
    expect(await viewOf(null)).toMatchObject({ isSignedIn: false, isFollowing: false, myFeedback: null });
    // Not a how-to, or gone: no viewer state.
    expect(await loadHowtoViewer(db, 2_000_000_000, reader)).toBeNull();
  });

  test("overlong comments are refused with a message", async () => {
    const author = await makePerson(db);
    const reader = await makePerson(db);
    const howtoId = await makeHowto(db, author, await makeSpace(db));
    expect(
      (await fieldErrorsOf(rateHowto(db, { howtoId, actor: reader, isHelpful: true, comment: "x".repeat(1001) })))
        .comment,
    ).toContain("1,000 characters");
  });
});

describe("suggested edits", () => {
  async function setUp() {
    const author = await makePerson(db);
    const suggester = await makePerson(db);
    const bystander = await makePerson(db);
    const spaceId = await makeSpace(db);
    const fields = howtoFields();
    const howtoId = await makeHowto(db, author, spaceId, fields);
    const suggested = { ...fields, steps: [...fields.steps, "Sign in to the VPN with the new password."] };
    return { author, suggester, bystander, howtoId, fields, suggested };
  }

  test("only non-authors suggest; a suggestion is pending and changes nothing yet", async () => {
    const { author, suggester, howtoId, fields, suggested } = await setUp();
    expect(await statusOf(suggestHowtoEdit(db, { actor: author, howtoId, ...suggested }))).toBe(403);
    expect(await statusOf(suggestHowtoEdit(db, { actor: null, howtoId, ...suggested }))).toBe(401);
    expect((await fieldErrorsOf(suggestHowtoEdit(db, { actor: suggester, howtoId, ...fields }))).form).toContain(
      "Nothing changed",
    );
    const { suggestionId, replaced } = await suggestHowtoEdit(db, {
      actor: suggester,
      howtoId,
      ...suggested,
      note: "Added the sign-in step",
    });
    expect(replaced).toBe(false);
    const [row] = await db.select().from(editSuggestions).where(eq(editSuggestions.id, suggestionId));
    expect(row?.status).toBe("pending");
    expect((await getHowtoPage(db, howtoId))?.stepsHtml).toHaveLength(3);
    // Suggesting again replaces the pending suggestion instead of piling up.
    const again = await suggestHowtoEdit(db, {
      actor: suggester,
      howtoId,
      ...suggested,
      note: "Added the sign-in step (v2)",
    });
    expect(again).toEqual({ suggestionId, replaced: true });
    const { suggestions } = await listPendingSuggestions(db, { howtoId, actor: author });
    expect(suggestions).toHaveLength(1);
    expect(suggestions[0]?.note).toBe("Added the sign-in step (v2)");
    expect(suggestions[0]?.diff.map((d) => d.field)).toEqual(["steps.3"]);
    expect(suggestions[0]?.diff[0]?.parts).toEqual([
      { op: "added", text: "Sign in to the VPN with the new password." },
    ]);
  });

  test("only the author or staff decide; accepting applies it as a revision crediting the suggester", async () => {
    const { author, suggester, bystander, howtoId, suggested } = await setUp();
    const { suggestionId } = await suggestHowtoEdit(db, {
      actor: suggester,
      howtoId,
      ...suggested,
      note: "Added the sign-in step",
    });
    expect(await statusOf(decideSuggestion(db, { suggestionId, actor: bystander, decision: "accept" }))).toBe(403);
    expect(await statusOf(decideSuggestion(db, { suggestionId, actor: suggester, decision: "accept" }))).toBe(403);
    expect(await statusOf(listPendingSuggestions(db, { howtoId, actor: bystander }))).toBe(403);
    const outboxBefore = (await outboxFor(howtoId)).length;

    const { revision } = await decideSuggestion(db, { suggestionId, actor: author, decision: "accept" });
    expect(revision).toBe(2);
    expect((await getHowtoPage(db, howtoId))?.stepsHtml).toHaveLength(4);
    const [latest] = (await getHowtoRevisionHistory(db, howtoId))?.revisions ?? [];
    expect(latest?.editorName).toBe(suggester.name);
    expect(latest?.note).toBe("Suggested edit: Added the sign-in step");
    const [row] = await db.select().from(editSuggestions).where(eq(editSuggestions.id, suggestionId));
    expect(row).toMatchObject({ status: "accepted", decidedBy: author.id });
    expect((await outboxFor(howtoId)).length).toBe(outboxBefore + 1);
    // Deciding twice is refused.
    expect(await statusOf(decideSuggestion(db, { suggestionId, actor: author, decision: "reject" }))).toBe(409);
  });

  test("rejecting changes nothing on the how-to; a moderator deciding leaves a public record", async () => {
    const { author, suggester, howtoId, suggested } = await setUp();
    const moderator = await makePerson(db, { role: "moderator" });
    const before = await getHowtoForEditing(db, howtoId);
    const outboxBefore = (await outboxFor(howtoId)).length;
    const { suggestionId } = await suggestHowtoEdit(db, { actor: suggester, howtoId, ...suggested });
    const { revision } = await decideSuggestion(db, { suggestionId, actor: moderator, decision: "reject" });
    expect(revision).toBeNull();
    const after = await getHowtoForEditing(db, howtoId);
    expect(after?.content).toEqual(before?.content);
    expect(after?.revisionCount).toBe(1);
    expect((await outboxFor(howtoId)).length).toBe(outboxBefore);
    const [row] = await db.select().from(editSuggestions).where(eq(editSuggestions.id, suggestionId));
    expect(row).toMatchObject({ status: "rejected", decidedBy: moderator.id });
    const log = await db
      .select()
      .from(moderationLog)
      .where(and(eq(moderationLog.actorId, moderator.id), eq(moderationLog.targetId, String(howtoId))));
    expect(log.map((l) => l.action)).toEqual(["howto.suggestion.reject"]);
    expect((await getHowtoViewerState(db, { howtoId, actor: author }))?.pendingSuggestions).toBe(0);
  });

  test("a suggestion made before a later edit is merged on accepting: the later edit stays, the suggestion applies", async () => {
    const { author, suggester, howtoId, fields, suggested } = await setUp();
    // The suggester's form opened on version 1; the author changes what it applies to (version 2) before it is sent.
    await editHowto(db, { actor: author, howtoId, ...fields, appliesTo: "GlobalProtect 6.3 on Windows 11" });
    const { suggestionId } = await suggestHowtoEdit(db, { actor: suggester, howtoId, ...suggested, baseRevision: 1 });
    const [listed] = (await listPendingSuggestions(db, { howtoId, actor: author })).suggestions;
    expect(listed).toMatchObject({ isStale: true, replacesLaterEdits: [], isAlreadyIn: false });
    // What accepting changes on the how-to now: the added step only, not the author's later edit undone.
    expect(listed?.diff.map((change) => change.field)).toEqual(["steps.3"]);
    await decideSuggestion(db, { suggestionId, actor: author, decision: "accept" });
    const after = await getHowtoForEditing(db, howtoId);
    expect(after?.content.appliesTo).toBe("GlobalProtect 6.3 on Windows 11");
    expect(after?.content.steps).toEqual(suggested.steps);
    expect(after?.content.bodyMd).toContain("## Step 4\n\nSign in to the VPN with the new password.");
    expect(after?.revisionCount).toBe(3);
  });

  test("where a later edit and the suggestion changed the same part, the review names it and accepting takes the suggestion's", async () => {
    const { author, suggester, howtoId, fields } = await setUp();
    const { suggestionId } = await suggestHowtoEdit(db, {
      actor: suggester,
      howtoId,
      ...fields,
      summary: "Get back into the VPN after forgetting its password, without a call to the helpdesk.",
      baseRevision: 1,
    });
    await editHowto(db, {
      actor: author,
      howtoId,
      ...fields,
      summary: "Forgot the VPN password? Reset it yourself in a few minutes, no helpdesk call needed.",
      estimatedMinutes: "5",
    });
    const [listed] = (await listPendingSuggestions(db, { howtoId, actor: author })).suggestions;
    expect(listed).toMatchObject({ isStale: true, replacesLaterEdits: ["Summary"], isAlreadyIn: false });
    await decideSuggestion(db, { suggestionId, actor: author, decision: "accept" });
    const after = await getHowtoForEditing(db, howtoId);
    expect(after?.content.summary).toBe(
      "Get back into the VPN after forgetting its password, without a call to the helpdesk.",
    );
    expect(after?.content.estimatedMinutes).toBe(5);
  });

  test("a suggester finds their waiting suggestion to change it, and can withdraw it; nobody else's is theirs", async () => {
    const { author, suggester, bystander, howtoId, suggested } = await setUp();
    await suggestHowtoEdit(db, { actor: suggester, howtoId, ...suggested, note: "One more step", baseRevision: 1 });
    const pending = await getOwnPendingSuggestion(db, { howtoId, userId: suggester.id });
    expect(pending).toMatchObject({ note: "One more step", baseRevision: 1 });
    expect(pending?.content.steps).toEqual(suggested.steps);
    expect(await getOwnPendingSuggestion(db, { howtoId, userId: bystander.id })).toBeNull();
    // Someone else cannot withdraw it, and a visitor is asked to sign in.
    expect(await withdrawSuggestion(db, { howtoId, actor: bystander })).toBe(false);
    expect(await statusOf(withdrawSuggestion(db, { howtoId, actor: null }))).toBe(401);
    expect(await withdrawSuggestion(db, { howtoId, actor: suggester })).toBe(true);
    expect(await withdrawSuggestion(db, { howtoId, actor: suggester })).toBe(false);
    expect(await getOwnPendingSuggestion(db, { howtoId, userId: suggester.id })).toBeNull();
    expect((await listPendingSuggestions(db, { howtoId, actor: author })).suggestions).toEqual([]);
  });

  test("a suggestion whose every change is already in the how-to cannot be accepted, only closed", async () => {
    const { author, suggester, howtoId, fields, suggested } = await setUp();
    const { suggestionId } = await suggestHowtoEdit(db, { actor: suggester, howtoId, ...suggested, baseRevision: 1 });
    await editHowto(db, { actor: author, howtoId, ...suggested, appliesTo: "GlobalProtect 6.3 on Windows 11" });
    const [listed] = (await listPendingSuggestions(db, { howtoId, actor: author })).suggestions;
    expect(listed).toMatchObject({ isStale: true, isAlreadyIn: true, diff: [] });
    expect(await statusOf(decideSuggestion(db, { suggestionId, actor: author, decision: "accept" }))).toBe(409);
    expect((await getHowtoForEditing(db, howtoId))?.revisionCount).toBe(2);
    await decideSuggestion(db, { suggestionId, actor: author, decision: "reject" });
    // Sending back the version one's form opened on, after someone else changed it, is not a suggestion either.
    expect(
      (await fieldErrorsOf(suggestHowtoEdit(db, { actor: suggester, howtoId, ...fields, baseRevision: 1 }))).form,
    ).toContain("Nothing changed");
  });
});

describe("revisions", () => {
  test("the history diffs title, summary and steps word by word; the original is shown whole", async () => {
    const author = await makePerson(db);
    const fields = howtoFields();
    const howtoId = await makeHowto(db, author, await makeSpace(db), fields);
    await editHowto(db, {
      actor: author,
      howtoId,
      ...fields,
      summary: fields.summary.replace("without calling", "without phoning"),
      steps: [fields.steps[0] ?? "", "Choose **Forgot password** and approve it.", fields.steps[2] ?? ""],
    });
    const history = await getHowtoRevisionHistory(db, howtoId);
    expect(history?.revisions.map((r) => r.number)).toEqual([2, 1]);
    const [second, first] = history?.revisions ?? [];
    expect(second?.changes.map((c) => c.field)).toEqual(["summary", "steps.1"]);
    expect(second?.changes[0]?.parts).toContainEqual({ op: "removed", text: "calling" });
    expect(second?.changes[0]?.parts).toContainEqual({ op: "added", text: "phoning" });
    expect(first?.changes.map((c) => c.label)).toEqual([
      "Title",
      "Summary",
      "Applies to",
      "Difficulty",
      "Time (minutes)",
      "Prerequisites",
      "Step 1",
      "Step 2",
      "Step 3",
      "Tags",
    ]);
  });

  test('ticking or unticking only "plain language" makes a version the history describes in words', async () => {
    const author = await makePerson(db);
    const fields = howtoFields({ isPlainLanguage: false });
    const howtoId = await makeHowto(db, author, await makeSpace(db), fields);
    await editHowto(db, { actor: author, howtoId, ...fields, isPlainLanguage: true, note: "For the front office" });
    await editHowto(db, { actor: author, howtoId, ...fields, isPlainLanguage: false });
    const [third, second] = (await getHowtoRevisionHistory(db, howtoId))?.revisions ?? [];
    expect(second?.changes).toEqual([
      {
        field: "isPlainLanguage",
        label: "Plain language",
        parts: [{ op: "same", text: "Marked as written in plain language" }],
      },
    ]);
    expect(third?.changes).toEqual([
      {
        field: "isPlainLanguage",
        label: "Plain language",
        parts: [{ op: "same", text: "No longer marked as plain language" }],
      },
    ]);
    // Versions saved before the flag was recorded say nothing about it rather than guess.
    const older = { title: "T", bodyMd: "", tags: [], steps: ["one"] };
    expect(diffHowtoContent(older, { ...older, isPlainLanguage: true })).toEqual([]);
  });

  test('a suggested edit keeps the author\'s "plain language" as it is now, even when changed after it was sent', async () => {
    const author = await makePerson(db);
    const suggester = await makePerson(db);
    const fields = howtoFields({ isPlainLanguage: true });
    const howtoId = await makeHowto(db, author, await makeSpace(db), fields);
    // The suggestion form has no plain-language box, so the suggester's input never says "plain".
    const { suggestionId } = await suggestHowtoEdit(db, {
      actor: suggester,
      howtoId,
      ...fields,
      isPlainLanguage: false,
      steps: [...fields.steps, "Sign in to the VPN with the new password."],
      baseRevision: 1,
    });
    const { suggestions } = await listPendingSuggestions(db, { howtoId, actor: author });
    expect(suggestions[0]?.diff.map((d) => d.field)).toEqual(["steps.3"]);
    await editHowto(db, { actor: author, howtoId, ...fields, isPlainLanguage: false, baseRevision: 1 });
    await decideSuggestion(db, { suggestionId, actor: author, decision: "accept" });
    expect((await getHowtoForEditing(db, howtoId))?.isPlainLanguage).toBe(false);
    const [accepted] = (await getHowtoRevisionHistory(db, howtoId))?.revisions ?? [];
    expect(accepted?.changes.map((c) => c.field)).toEqual(["steps.3"]);
  });

  test("diffHowtoContent compares steps by position, including removed ones", () => {
    const base = { title: "T", bodyMd: "", tags: [], steps: ["one", "two"] };
    expect(diffHowtoContent(base, { ...base, steps: ["one"] })).toEqual([
      { field: "steps.1", label: "Step 2", parts: [{ op: "removed", text: "two" }] },
    ]);
  });
});

describe("deleting", () => {
  test("the author soft-deletes; readers no longer see it; staff restore it; outbox rows both ways", async () => {
    const author = await makePerson(db);
    const other = await makePerson(db);
    const moderator = await makePerson(db, { role: "moderator" });
    const spaceId = await makeSpace(db);
    const howtoId = await makeHowto(db, author, spaceId);
    expect(await statusOf(deleteHowto(db, { howtoId, actor: other }))).toBe(403);
    await deleteHowto(db, { howtoId, actor: author });
    expect(await getHowtoPage(db, howtoId)).toBeNull();
    expect((await getHowtoPage(db, howtoId, { includeDeleted: true }))?.deletedAt).not.toBeNull();
    expect((await listHowtos(db, { spaceId, sort: "newest", limit: 10 })).howtos).toEqual([]);
    expect(await statusOf(rateHowto(db, { howtoId, actor: other, isHelpful: true }))).toBe(404);
    expect(await getHowtoViewerState(db, { howtoId, actor: other })).toBeNull();
    expect((await getHowtoViewerState(db, { howtoId, actor: moderator }))?.canRestore).toBe(true);
    expect(await statusOf(restoreHowto(db, { howtoId, actor: author }))).toBe(403);
    await restoreHowto(db, { howtoId, actor: moderator });
    expect(await getHowtoPage(db, howtoId)).not.toBeNull();
    expect((await outboxFor(howtoId)).map((r) => r.op)).toEqual(["upsert", "delete", "upsert"]);
  });
});

describe("lists", () => {
  test("newest and most helpful orders, plain-language filter, and keyset pages that never repeat", async () => {
    const spaceId = await makeSpace(db);
    const readers = await Promise.all(Array.from({ length: 5 }, () => makePerson(db)));
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) {
      const author = await makePerson(db);
      ids.push(
        await makeHowto(db, author, spaceId, { isPlainLanguage: i % 2 === 0, now: new Date(Date.UTC(2031, 0, 1 + i)) }),
      );
    }
    const newest = await listHowtos(db, { spaceId, sort: "newest", limit: 10 });
    expect(newest.howtos.map((h) => h.id)).toEqual([...ids].reverse());
    expect(newest.nextCursor).toBeNull();
    expect(newest.howtos[0]).toMatchObject({
      stepCount: 3,
      difficulty: "beginner",
      estimatedMinutes: 10,
      tags: ["passwords", "vpn"],
    });

    // ids[1]: 5 yes; ids[3]: 1 yes; ids[5]: 4 yes 1 no; ids[0]: 0 yes 2 no.
    const rate = async (howtoId: number, yes: number, no: number) => {
      for (let i = 0; i < yes + no; i++) {
        const reader = readers[i];
        if (reader) await rateHowto(db, { howtoId, actor: reader, isHelpful: i < yes });
      }
    };
    const [a, b, , d, , f] = ids;
    if (a === undefined || b === undefined || d === undefined || f === undefined) throw new Error("setup");
    await rate(b, 5, 0);
    await rate(d, 1, 0);
    await rate(f, 4, 1);
    await rate(a, 0, 2);
    const helpful = await listHowtos(db, { spaceId, sort: "helpful", limit: 10 });
    expect(helpful.howtos.slice(0, 3).map((h) => h.id)).toEqual([b, f, d]);
    expect(wilsonLowerBound(5, 0)).toBeGreaterThan(wilsonLowerBound(4, 1));
    expect(wilsonLowerBound(4, 1)).toBeGreaterThan(wilsonLowerBound(1, 0));

    for (const sort of ["newest", "helpful"] as const) {
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof listHowtos>> = await listHowtos(db, { spaceId, sort, cursor, limit: 3 });
        seen.push(...page.howtos.map((h) => h.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen, sort).toEqual((await listHowtos(db, { spaceId, sort, limit: 10 })).howtos.map((h) => h.id));
    }
    const plain = await listHowtos(db, { spaceId, sort: "newest", limit: 10, plainOnly: true });
    expect(plain.howtos.map((h) => h.id)).toEqual([ids[6], ids[4], ids[2], ids[0]]);
    // A tampered cursor gives the first page instead of an error.
    expect(
      (await listHowtos(db, { spaceId, sort: "newest", limit: 2, cursor: "not-a-cursor" })).howtos.map((h) => h.id),
    ).toEqual([ids[6], ids[5]]);
  });

  test("related content: how-tos and questions sharing tags, most shared first", async () => {
    const author = await makePerson(db);
    const spaceId = await makeSpace(db);
    const main = await makeHowto(db, author, spaceId, { tags: "zz-printers, zz-drivers" });
    const both = await makeHowto(db, await makePerson(db), spaceId, { tags: "zz-printers, zz-drivers" });
    const [question] = await insertPosts(db, [
      {
        kind: "question",
        spaceId,
        authorId: author.id,
        title: "Printer driver keeps asking for admin rights",
        body: "Why?",
        tags: ["zz-printers"],
      },
    ]);
    await makeHowto(db, await makePerson(db), spaceId, { tags: "zz-unrelated" });
    const related = await listRelatedContent(db, main);
    expect(related.map((r) => [r.kind, r.id])).toEqual([
      ["howto", both],
      ["question", question],
    ]);
    // A question's page lists the how-tos sharing its tags (and only how-tos).
    const forQuestion = await listRelatedContent(db, question ?? 0, 3, ["howto"]);
    expect(forQuestion.map((r) => [r.kind, r.id])).toEqual([
      ["howto", both],
      ["howto", main],
    ]);
  });
});
