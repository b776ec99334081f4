/** Asking and editing questions: validation, tags, spaces, double submits, hourly limits, revisions and the search outbox. */
import { and, count, eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { posts, revisions, searchOutbox } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeQuestion, sampleBody } from "../../tests/fixtures/qa";
import { askQuestion, editQuestion } from "./questions.server";
import { getQuestionPage } from "./question-thread.server";
import { getRevisionHistory } from "./question-history.server";
import { RateLimitedError } from "./rate-limits.server";
import { rejection } from "../../tests/fixtures/errors";
import { makePerson, makeSpace } from "../../tests/fixtures/people";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function outboxRowsFor(postId: number) {
  const [row] = await database.db.select({ n: count() }).from(searchOutbox).where(eq(searchOutbox.postId, postId));
  return row?.n ?? 0;
}

describe("asking a question", () => {
  test("a member asks a question; it is stored with rendered Markdown, normalised tags, revision #1 and a search outbox row", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const spaceId = await makeSpace(db);
    const { questionId, isRepeat } = await askQuestion(db, {
      actor: asker,
      spaceId,
      title: "  Outlook asks for my   password every morning ",
      body: "Every morning Outlook shows a password box.\n\n```bash\nls -la ~/.config\n```",
      tags: "Outlook, Windows 11, outlook,  exchange_online",
      isPlainLanguage: true,
    });
    expect(isRepeat).toBe(false);
    const page = await getQuestionPage(db, questionId);
    expect(page?.question.title).toBe("Outlook asks for my password every morning");
    expect(page?.question.tags).toEqual(["exchange-online", "outlook", "windows-11"]);
    expect(page?.question.isPlainLanguage).toBe(true);
    expect(page?.question.bodyHtml).toContain('<code class="hljs language-bash">');
    const history = await getRevisionHistory(db, questionId);
    expect(history?.revisions.map((r) => r.number)).toEqual([1]);
    expect(history?.revisions[0]?.tags).toEqual(["outlook", "windows-11", "exchange-online"]);
    expect(await outboxRowsFor(questionId)).toBe(1);
  });

  test("titles, bodies and tags outside the limits are refused with a message per field", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const spaceId = await makeSpace(db);
    const error = await rejection(
      askQuestion(db, { actor: asker, spaceId, title: "VPN broken", body: "help", tags: "", isPlainLanguage: false }),
    );
    expect(error.fieldErrors.title).toBe(
      "Titles need at least 15 characters (yours has 10). Say what goes wrong, and where.",
    );
    expect(error.fieldErrors.body).toContain("needs at least 20 characters");
    expect(error.fieldErrors.tags).toContain("Add at least one tag");

    const tooMuch = await rejection(
      askQuestion(db, {
        actor: asker,
        spaceId,
        title: "x".repeat(151),
        body: "y".repeat(30_001),
        tags: "a, b, c, d, e, f",
        isPlainLanguage: false,
      }),
    );
    expect(tooMuch.fieldErrors.title).toBe(
      "Please keep the title to 150 characters (yours has 151); details belong in the body.",
    );
    expect(tooMuch.fieldErrors.body).toContain("at most 30,000");
    expect(tooMuch.fieldErrors.tags).toBe("Use at most 5 tags (you have 6). Keep the most specific ones.");

    // A plain-language question may leave the tags out (the people who answer can add them); a technical one may not.
    const plain = await askQuestion(db, {
      actor: asker,
      spaceId,
      title: "My laptop won't print at home",
      body: sampleBody,
      tags: "",
      isPlainLanguage: true,
    });
    expect((await getQuestionPage(db, plain.questionId))?.question.tags).toEqual([]);

    // Duplicates written differently count once: five distinct tags are fine.
    const { questionId } = await askQuestion(db, {
      actor: asker,
      spaceId,
      title: "Exactly fifteen!",
      body: sampleBody,
      tags: "A, a, B, C, D, E, e",
      isPlainLanguage: false,
    });
    expect((await getQuestionPage(db, questionId))?.question.tags).toEqual(["a", "b", "c", "d", "e"]);
  });

  test("archived spaces and unknown spaces take no questions", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const archived = await makeSpace(db, { archived: true });
    const error = await rejection(
      askQuestion(db, {
        actor: asker,
        spaceId: archived,
        title: "A question for an archived space",
        body: sampleBody,
        tags: "vpn",
        isPlainLanguage: false,
      }),
    );
    expect(error.fieldErrors.spaceId).toContain("archived");
    const missing = await rejection(
      askQuestion(db, {
        actor: asker,
        spaceId: 999_999,
        title: "A question for no space at all",
        body: sampleBody,
        tags: "vpn",
        isPlainLanguage: false,
      }),
    );
    expect(missing.fieldErrors.spaceId).toBeDefined();
  });

  test("banned people and visitors can't ask", async () => {
    const { db } = database;
    const spaceId = await makeSpace(db);
    const banned = await makePerson(db, { banned: true });
    const input = {
      spaceId,
      title: "A perfectly good question title",
      body: sampleBody,
      tags: "vpn",
      isPlainLanguage: false,
    };
    expect((await rejection(askQuestion(db, { ...input, actor: banned }))).status).toBe(403);
    expect((await rejection(askQuestion(db, { ...input, actor: null }))).status).toBe(401);
  });

  test("submitting the same form twice (same idempotency key) creates one question", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const spaceId = await makeSpace(db);
    const input = {
      actor: asker,
      spaceId,
      title: "Double-clicked question about printers",
      body: sampleBody,
      tags: "printers",
      isPlainLanguage: false,
      idempotencyKey: "same-key-123456",
    };
    const [first, second] = await Promise.all([askQuestion(db, input), askQuestion(db, input)]);
    const third = await askQuestion(db, input);
    expect(second.questionId).toBe(first.questionId);
    expect(third).toEqual({ questionId: first.questionId, isRepeat: true });
    expect([first.isRepeat, second.isRepeat].sort()).toEqual([false, true]);
    const [row] = await db
      .select({ n: count() })
      .from(posts)
      .where(and(eq(posts.authorId, asker.id), eq(posts.kind, "question")));
    expect(row?.n).toBe(1);
  });

  test("the 11th question within an hour is refused with the time to wait, and nothing is stored for it", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const spaceId = await makeSpace(db);
    const start = new Date("2030-01-01T09:00:00Z");
    for (let i = 0; i < 10; i++)
      await makeQuestion(db, asker, spaceId, { now: new Date(start.getTime() + i * 60_000) });
    const eleventh = askQuestion(db, {
      actor: asker,
      spaceId,
      title: "One question too many this hour",
      body: sampleBody,
      tags: "vpn",
      isPlainLanguage: false,
      now: new Date(start.getTime() + 20 * 60_000),
    });
    const error = await eleventh.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error instanceof RateLimitedError && error.retryAfterSeconds).toBe(40 * 60);
    expect(error instanceof RateLimitedError && error.message).toBe(
      "We need a short pause before you can do that again. Please wait 40 minutes and try again.",
    );
    const [row] = await db.select({ n: count() }).from(posts).where(eq(posts.authorId, asker.id));
    expect(row?.n).toBe(10);
    // An hour after the first, asking works again.
    await makeQuestion(db, asker, spaceId, { now: new Date(start.getTime() + 61 * 60_000) });
  });

  test("a refused question leaves no search outbox row behind (the row is written in the question's transaction)", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const spaceId = await makeSpace(db);
    const before = await db.select({ n: count() }).from(searchOutbox);
    const start = new Date("2031-01-01T09:00:00Z");
    for (let i = 0; i < 10; i++) await makeQuestion(db, asker, spaceId, { now: start });
    const afterTen = await db.select({ n: count() }).from(searchOutbox);
    expect((afterTen[0]?.n ?? 0) - (before[0]?.n ?? 0)).toBe(10);
    await expect(makeQuestion(db, asker, spaceId, { now: start })).rejects.toBeInstanceOf(RateLimitedError);
    const afterRefusal = await db.select({ n: count() }).from(searchOutbox);
    expect(afterRefusal[0]?.n).toBe(afterTen[0]?.n);
  });
});

describe("editing a question", () => {
  test("the asker edits; each edit is the next revision with its note, and the history diffs consecutive versions", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const spaceId = await makeSpace(db);
    const questionId = await makeQuestion(db, asker, spaceId, {
      title: "Printer prints blank pages sometimes",
      body: "The office printer prints blank pages after lunch.",
      tags: "printers",
    });
    const first = await editQuestion(db, {
      questionId,
      actor: asker,
      title: "Printer prints blank pages after lunch",
      body: "The office printer prints blank pages after lunch, every day.",
      tags: "printers, toner",
      isPlainLanguage: false,
      note: "More detail",
    });
    expect(first.revision).toBe(2);
    const second = await editQuestion(db, {
      questionId,
      actor: asker,
      title: "Printer prints blank pages after lunch",
      body: "The office printer prints blank pages after lunch, every weekday.",
      tags: "toner",
      isPlainLanguage: true,
    });
    expect(second.revision).toBe(3);

    const history = await getRevisionHistory(db, questionId);
    expect(history?.revisions.map((r) => r.number)).toEqual([3, 2, 1]);
    const [v3, v2, v1] = history?.revisions ?? [];
    expect(v2?.note).toBe("More detail");
    expect(v2?.titleDiff).toEqual([
      { op: "same", text: "Printer prints blank pages " },
      { op: "removed", text: "sometimes" },
      { op: "added", text: "after lunch" },
    ]);
    expect(v2?.tagsAdded).toEqual(["toner"]);
    expect(v3?.tagsRemoved).toEqual(["printers"]);
    expect(v3?.bodyDiff.filter((p) => p.op !== "same")).toEqual([
      { op: "removed", text: "day." },
      { op: "added", text: "weekday." },
    ]);
    expect(v1?.bodyDiff).toEqual([{ op: "same", text: "The office printer prints blank pages after lunch." }]);

    const [revisionRows] = await db.select({ n: count() }).from(revisions).where(eq(revisions.postId, questionId));
    expect(revisionRows?.n).toBe(3);
    const page = await getQuestionPage(db, questionId);
    expect(page?.question.revisionCount).toBe(3);
    expect(page?.question.tags).toEqual(["toner"]);
    expect(page?.question.isPlainLanguage).toBe(true);
    expect(await outboxRowsFor(questionId)).toBe(3);
  });

  test("an edit that changes nothing is refused", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const questionId = await makeQuestion(db, asker, await makeSpace(db), {
      title: "Nothing will change in this one",
      tags: "vpn",
    });
    const error = await rejection(
      editQuestion(db, {
        questionId,
        actor: asker,
        title: "Nothing will change in this one",
        body: sampleBody,
        tags: "VPN",
        isPlainLanguage: false,
      }),
    );
    expect(error.message).toBe("You haven't changed anything yet.");
  });

  test("the same tags in another order, or typed twice, are not a change: the edit is refused and nothing moves", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const before = new Date("2024-03-01T09:00:00Z");
    const questionId = await makeQuestion(db, asker, await makeSpace(db), {
      title: "Emoji in the subject line break the preview",
      tags: "b-tag-b, emoji, xss",
      now: before,
    });
    const edit = { questionId, actor: asker, title: "Emoji in the subject line break the preview", body: sampleBody };
    for (const tags of ["xss, emoji, b-tag-b", "Emoji, xss, emoji, B tag b, xss"]) {
      const error = await rejection(editQuestion(db, { ...edit, tags, isPlainLanguage: false }));
      expect(error.message).toBe("You haven't changed anything yet.");
    }
    const [post] = await db
      .select({ revisionCount: posts.revisionCount, lastActivityAt: posts.lastActivityAt, updatedAt: posts.updatedAt })
      .from(posts)
      .where(eq(posts.id, questionId));
    expect(post).toEqual({ revisionCount: 1, lastActivityAt: before, updatedAt: before });

    // A tag really added or removed is still a change.
    const { revision } = await editQuestion(db, { ...edit, tags: "xss, emoji", isPlainLanguage: false });
    expect(revision).toBe(2);
    expect((await getRevisionHistory(db, questionId))?.revisions[0]?.tagsRemoved).toEqual(["b-tag-b"]);
  });

  test("switching between plain language and technical is recorded and said in words in the history", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const questionId = await makeQuestion(db, asker, await makeSpace(db), {
      title: "Shared mailbox stopped showing in Outlook",
      tags: "outlook",
    });
    const edit = { questionId, actor: asker, title: "Shared mailbox stopped showing in Outlook", body: sampleBody };
    await editQuestion(db, { ...edit, tags: "outlook", isPlainLanguage: true });
    await editQuestion(db, { ...edit, tags: "outlook", isPlainLanguage: false, note: "I work in IT after all" });
    const history = await getRevisionHistory(db, questionId);
    expect(history?.revisions.map((r) => [r.number, r.audienceChange])).toEqual([
      [3, "Marked as technical"],
      [2, "Marked as asking for plain language"],
      [1, null],
    ]);
    const [stored] = await db
      .select({ content: revisions.content })
      .from(revisions)
      .where(and(eq(revisions.postId, questionId), eq(revisions.number, 2)));
    expect(stored?.content.isPlainLanguage).toBe(true);
  });

  test("versions saved before the audience was recorded still show, without guessing a switch", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const questionId = await makeQuestion(db, asker, await makeSpace(db), {
      title: "Teams calls drop after ten minutes",
      tags: "teams",
      isPlainLanguage: true,
    });
    // As stored before revisions recorded the audience: no isPlainLanguage in the content.
    await db
      .update(revisions)
      .set({ content: { title: "Teams calls drop after ten minutes", bodyMd: sampleBody, tags: ["teams"] } })
      .where(eq(revisions.postId, questionId));
    await editQuestion(db, {
      questionId,
      actor: asker,
      title: "Teams calls drop after ten minutes",
      body: sampleBody,
      tags: "teams",
      isPlainLanguage: false,
    });
    const history = await getRevisionHistory(db, questionId);
    expect(history?.revisions.map((r) => [r.number, r.audienceChange, r.title])).toEqual([
      [2, null, "Teams calls drop after ten minutes"],
      [1, null, "Teams calls drop after ten minutes"],
    ]);
  });

  test("other members can't edit someone's question; moderators and admins can", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const other = await makePerson(db);
    const moderator = await makePerson(db, { role: "moderator" });
    const questionId = await makeQuestion(db, asker, await makeSpace(db));
    const edit = {
      questionId,
      title: "A clearer title written by staff",
      body: sampleBody,
      tags: "vpn",
      isPlainLanguage: false,
    };
    expect((await rejection(editQuestion(db, { ...edit, actor: other }))).status).toBe(403);
    await editQuestion(db, { ...edit, actor: moderator, note: "Title tidy-up" });
    const history = await getRevisionHistory(db, questionId);
    expect(history?.revisions[0]?.editorName).toBe(moderator.name);
  });
});
