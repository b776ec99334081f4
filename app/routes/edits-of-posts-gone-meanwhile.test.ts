/**
 * An edit form saved after its post left every page: hidden because its author was banned, held for a moderator's
 * review, or deleted. The save says which, in words its editor may read (a member is not told of someone's ban; a
 * moderator is told why; a post held for review is not called deleted), and hands back what was typed. Through the
 * real edit actions on the real database: the how-to form (which checks the how-to itself), the question and answer
 * forms (which check before saving), and the refusal those forms give when the post goes in the moment between their
 * check and the save (the model then refuses it as not there; refusedEdit words it).
 */
import type { Database } from "#db/client.server";
import { holdContent } from "~/models/holds.server";
import { deleteHowto } from "~/models/howto-writing.server";
import { editAnswer } from "~/models/answers.server";
import { deleteQuestionOrAnswer } from "~/models/post-deletion.server";
import type { SignedInActor } from "~/models/post-errors.server";
import { editQuestion } from "~/models/questions.server";
import { banUser } from "~/models/users.server";
import { action as editAnswerAction } from "~/routes/a.$id.edit";
import { action as editHowtoAction } from "~/routes/howtos.$id.edit";
import { action as editQuestionAction } from "~/routes/q.$id.edit";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeHowto } from "../../tests/fixtures/howtos";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { type Browser, type TestServices, payload, testServices, signedUpAs } from "../../tests/fixtures/routes";
import { refusedEdit } from "./__post-editing.server";

let database: Database;
let services: TestServices;
let author: { browser: Browser; actor: SignedInActor };
let moderator: { browser: Browser; actor: SignedInActor };

const signedIn = (name: string, email: string, role: "member" | "moderator", ip: string) =>
  signedUpAs(services, { name, email, role, ip });

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  // Outside production the first sign-up becomes admin: somebody else is first.
  await makePerson(database.db, { role: "admin" });
  author = await signedIn("Ana Author", "ana-gone@example.com", "member", "10.62.7.1");
  moderator = await signedIn("Moe Moderator", "moe-gone@example.com", "moderator", "10.62.7.2");
});
afterAll(() => database.close());

/** What the action answered with: the error page's data (thrown), or the refusal the form shows (returned). */
type Answered = { message?: string; kept?: string; formError?: string };

async function sent(browser: Browser, action: Parameters<Browser["submit"]>[0], path: string, fields: object) {
  const id = path.split("/")[2] ?? "";
  try {
    return payload<Answered>(await browser.submit(action, path, fields as Record<string, string>, { id }));
  } catch (thrown) {
    return payload<Answered>(thrown);
  }
}

/** What an edit route's refusal (refusedEdit) answers when the model refuses a save as "not there". */
async function refusal(
  save: Promise<unknown>,
  edited: Parameters<typeof refusedEdit>[1],
  typed: Record<string, string>,
) {
  const error = await save.then(
    () => {
      throw new Error("the edit was saved");
    },
    (reason: unknown) => reason,
  );
  try {
    return payload<Answered>(await refusedEdit(error, edited, typed));
  } catch (thrown) {
    return payload<Answered>(thrown);
  }
}

/** Holds a post for review after members flagged it (hidden, not deleted), as the flags do. */
async function holdForReview(postId: number, authorId: string) {
  await holdContent(database.db, {
    ref: { type: "post", id: String(postId) },
    authorId,
    reason: "flags",
    message: "Flagged by members",
  });
}

const ban = (userId: string) => banUser(database.db, { userId, reason: "Phishing links", by: moderator.actor.id });

/** The how-to edit form as its page sends it, with a changed summary and an edit note. */
const howtoForm = {
  intent: "save",
  title: "Reset a forgotten VPN password",
  summary: "Get back into the VPN without calling the helpdesk, even from a hotel & on a phone.",
  appliesTo: "GlobalProtect 6.2 on Windows 11",
  difficulty: "beginner",
  estimatedMinutes: "10",
  prerequisites: "A phone with the Authenticator app.",
  "step-0": "Open the self-service portal.",
  "step-1": "Choose Forgot password and approve the prompt.",
  tags: "vpn, passwords",
  note: "Said it works from hotels",
  baseRevision: "1",
};

describe("the how-to edit form", () => {
  test("a moderator's edit of a how-to hidden meanwhile by its author's ban is told why (not deleted) and keeps the edit", async () => {
    const { db } = database;
    const bannedAuthor = await makePerson(db, { name: "Sam Spammer" });
    const howtoId = await makeHowto(db, bannedAuthor, await makeSpace(db));
    await ban(bannedAuthor.id);
    const page = await sent(moderator.browser, editHowtoAction, `/howtos/${howtoId}/edit`, howtoForm);
    expect(page.status).toBe(404);
    expect(page.data.message).toBe(
      "While you were editing this how-to, it was hidden when its author was banned, so your changes could not be saved. What you typed is below, to copy.",
    );
    expect(page.data.kept).toContain("even from a hotel & on a phone");
    expect(page.data.kept).toContain("Said it works from hotels");
  });

  test("its author's edit of a how-to held for review meanwhile says it waits for a moderator, not that it was deleted", async () => {
    const { db } = database;
    const howtoId = await makeHowto(db, author.actor, await makeSpace(db));
    await holdForReview(howtoId, author.actor.id);
    const page = await sent(author.browser, editHowtoAction, `/howtos/${howtoId}/edit`, howtoForm);
    expect(page.status).toBe(404);
    expect(page.data.message).toBe(
      "While you were editing this how-to, it was hidden for a moderator's review, so your changes could not be saved. What you typed is below, to copy.",
    );
    expect(page.data.kept).toContain("even from a hotel & on a phone");
  });

  test("an edit of a how-to its author deleted meanwhile still says it was deleted", async () => {
    const { db } = database;
    const howtoId = await makeHowto(db, author.actor, await makeSpace(db));
    await deleteHowto(db, { howtoId, actor: author.actor });
    const page = await sent(moderator.browser, editHowtoAction, `/howtos/${howtoId}/edit`, howtoForm);
    expect(page.status).toBe(404);
    expect(page.data.message).toBe(
      "This how-to was deleted while you were editing it, so your changes could not be saved. What you typed is below, to copy.",
    );
    expect(page.data.kept).toContain("Said it works from hotels");
  });
});

const questionForm = {
  title: "The VPN drops every night at two",
  body: "The VPN drops every night at two, on every laptop in the office, since the firewall update.",
  tags: "vpn",
  audience: "technical",
  note: "Said which update",
};

const answerForm = {
  body: "Update the firmware to 2.6 first; the drops at night are the lease renewal bug fixed there.",
  note: "Named the version",
};

describe("the question and answer edit forms, checking before they save", () => {
  test("its author's edit of a question held for review meanwhile says it waits for a moderator, keeping the edit", async () => {
    const { db } = database;
    const questionId = await makeQuestion(db, author.actor, await makeSpace(db));
    await holdForReview(questionId, author.actor.id);
    const page = await sent(author.browser, editQuestionAction, `/q/${questionId}/edit`, questionForm);
    expect(page.status).toBe(404);
    expect(page.data.message).toBe(
      "Your question was hidden for a moderator's review while you were editing it, so your changes could not be saved. It can be edited again once a moderator has looked at it. What you typed is below, to copy.",
    );
    expect(page.data.kept).toContain("since the firewall update");
  });

  test("a moderator's edit of an answer hidden meanwhile by its author's ban says so, keeping the edit", async () => {
    const { db } = database;
    const bannedAuthor = await makePerson(db);
    const questionId = await makeQuestion(db, await makePerson(db), await makeSpace(db));
    const answerId = await makeAnswer(db, bannedAuthor, questionId);
    await ban(bannedAuthor.id);
    const page = await sent(moderator.browser, editAnswerAction, `/a/${answerId}/edit`, answerForm);
    expect(page.status).toBe(404);
    expect(page.data.message).toBe(
      "While you were editing this answer, it was hidden when its author was banned, so your changes could not be saved. What you typed is below, to copy.",
    );
    expect(page.data.kept).toContain("lease renewal bug");
    expect(page.data.kept).toContain("Named the version");
  });

  test("an edit of a question its author deleted meanwhile still says it was deleted", async () => {
    const { db } = database;
    const questionId = await makeQuestion(db, author.actor, await makeSpace(db));
    await deleteQuestionOrAnswer(db, { postId: questionId, actor: author.actor });
    const page = await sent(moderator.browser, editQuestionAction, `/q/${questionId}/edit`, questionForm);
    expect(page.status).toBe(404);
    expect(page.data.message).toBe(
      "This question was deleted while you were editing it, so your changes could not be saved. What you typed is below, to copy.",
    );
  });
});

describe("the refusal when the post goes between the form's check and the save", () => {
  test("a question hidden by its author's ban: a moderator is told why, with the edit kept", async () => {
    const { db } = database;
    const bannedAuthor = await makePerson(db);
    const questionId = await makeQuestion(db, bannedAuthor, await makeSpace(db));
    await ban(bannedAuthor.id);
    const save = editQuestion(db, { questionId, actor: moderator.actor, ...questionForm, isPlainLanguage: false });
    const page = await refusal(
      save,
      { db, noun: "question", postId: questionId, actor: moderator.actor },
      questionForm,
    );
    expect(page.status).toBe(404);
    expect(page.data.message).toBe(
      "While you were editing this question, it was hidden when its author was banned, so your changes could not be saved. What you typed is below, to copy.",
    );
    expect(page.data.kept).toContain("since the firewall update");
  });

  test("a trusted member editing someone's question is told the moderators hid it (not of the ban), or that it waits for review", async () => {
    const { db } = database;
    const regular: SignedInActor = { id: (await makePerson(db)).id, role: "member", banned: false, trustLevel: 3 };
    const bannedAsker = await makePerson(db);
    const ofBanned = await makeQuestion(db, bannedAsker, await makeSpace(db));
    await ban(bannedAsker.id);
    const hidden = await refusal(
      editQuestion(db, { questionId: ofBanned, actor: regular, ...questionForm, isPlainLanguage: false }),
      { db, noun: "question", postId: ofBanned, actor: regular },
      questionForm,
    );
    expect(hidden.data.message).toBe(
      "While you were editing this question, it was hidden by the moderators, so your changes could not be saved. What you typed is below, to copy.",
    );

    const asker = await makePerson(db);
    const flagged = await makeQuestion(db, asker, await makeSpace(db));
    await holdForReview(flagged, asker.id);
    const held = await refusal(
      editQuestion(db, { questionId: flagged, actor: regular, ...questionForm, isPlainLanguage: false }),
      { db, noun: "question", postId: flagged, actor: regular },
      questionForm,
    );
    expect(held.data.message).toBe(
      "While you were editing this question, it was hidden for a moderator's review, so your changes could not be saved. What you typed is below, to copy.",
    );
  });

  test("its author's own question held for review says it waits, and can be edited again once looked at", async () => {
    const { db } = database;
    const questionId = await makeQuestion(db, author.actor, await makeSpace(db));
    await holdForReview(questionId, author.actor.id);
    const save = editQuestion(db, { questionId, actor: author.actor, ...questionForm, isPlainLanguage: false });
    const page = await refusal(save, { db, noun: "question", postId: questionId, actor: author.actor }, questionForm);
    expect(page.data.message).toBe(
      "Your question was hidden for a moderator's review while you were editing it, so your changes could not be saved. It can be edited again once a moderator has looked at it. What you typed is below, to copy.",
    );
  });

  test("an answer hidden by its author's ban, and one held for review, say hidden; the edit is kept", async () => {
    const { db } = database;
    const questionId = await makeQuestion(db, await makePerson(db), await makeSpace(db));
    const bannedAuthor = await makePerson(db);
    const bannedAnswer = await makeAnswer(db, bannedAuthor, questionId);
    await ban(bannedAuthor.id);
    const banned = await refusal(
      editAnswer(db, { answerId: bannedAnswer, actor: moderator.actor, ...answerForm }),
      { db, noun: "answer", postId: bannedAnswer, actor: moderator.actor },
      answerForm,
    );
    expect(banned.data.message).toBe(
      "While you were editing this answer, it was hidden when its author was banned, so your changes could not be saved. What you typed is below, to copy.",
    );
    expect(banned.data.kept).toContain("lease renewal bug");

    const heldAnswer = await makeAnswer(db, author.actor, questionId);
    await holdForReview(heldAnswer, author.actor.id);
    const held = await refusal(
      editAnswer(db, { answerId: heldAnswer, actor: author.actor, ...answerForm }),
      { db, noun: "answer", postId: heldAnswer, actor: author.actor },
      answerForm,
    );
    expect(held.data.message).toBe(
      "Your answer was hidden for a moderator's review while you were editing it, so your changes could not be saved. It can be edited again once a moderator has looked at it. What you typed is below, to copy.",
    );
  });

  test("an answer whose question was hidden meanwhile says so; one whose question was deleted still says deleted", async () => {
    const { db } = database;
    const bannedAsker = await makePerson(db);
    const hiddenQuestion = await makeQuestion(db, bannedAsker, await makeSpace(db));
    const underHidden = await makeAnswer(db, author.actor, hiddenQuestion);
    await ban(bannedAsker.id);
    const hidden = await refusal(
      editAnswer(db, { answerId: underHidden, actor: author.actor, ...answerForm }),
      { db, noun: "answer", postId: underHidden, actor: author.actor },
      answerForm,
    );
    expect(hidden.data.message).toBe(
      "While you were editing, the question this answer belongs to was hidden by the moderators, so your changes could not be saved. What you typed is below, to copy.",
    );

    const asker = await makePerson(db);
    const deletedQuestion = await makeQuestion(db, asker, await makeSpace(db));
    const underDeleted = await makeAnswer(db, author.actor, deletedQuestion);
    await deleteQuestionOrAnswer(db, { postId: deletedQuestion, actor: moderator.actor });
    const deleted = await refusal(
      editAnswer(db, { answerId: underDeleted, actor: author.actor, ...answerForm }),
      { db, noun: "answer", postId: underDeleted, actor: author.actor },
      answerForm,
    );
    expect(deleted.data.message).toBe(
      "The question this answer belongs to was deleted while you were editing, so your changes could not be saved. What you typed is below, to copy.",
    );
  });

  test("a question deleted by its author still says deleted", async () => {
    const { db } = database;
    const questionId = await makeQuestion(db, author.actor, await makeSpace(db));
    await deleteQuestionOrAnswer(db, { postId: questionId, actor: author.actor });
    const save = editQuestion(db, { questionId, actor: moderator.actor, ...questionForm, isPlainLanguage: false });
    const page = await refusal(
      save,
      { db, noun: "question", postId: questionId, actor: moderator.actor },
      questionForm,
    );
    expect(page.data.message).toBe(
      "This question was deleted while you were editing it, so your changes could not be saved. What you typed is below, to copy.",
    );
  });
});
