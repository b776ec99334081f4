import { memoTestDatabase } from "../../tests/fixtures/memo";
import { howtoFields, makeHowto } from "../../tests/fixtures/howtos";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import { createGlossaryEntry } from "./glossary.server";
import { rateHowto } from "./howto-feedback.server";
import { deleteHowto, editHowto, restoreHowto } from "./howto-writing.server";
import { deleteQuestionOrAnswer } from "./post-deletion.server";
import {
  followPublicDataChanges,
  getHomeData,
  getHowtoList,
  getPublicHowto,
  getQuestionList,
  getRelatedContent,
  getSpaceList,
  getSpaceNames,
} from "./public-data-memo.server";
import { addComment } from "./comments.server";
import { makeAnswer } from "../../tests/fixtures/qa";
import { updateSpace } from "./spaces.server";
import { updateProfile } from "./users.server";
import { toggleVote } from "./votes.server";

const memo = memoTestDatabase(followPublicDataChanges);
const barrier = () => memo.barrier();

test("a how-to's page data follows every write it shows, and comes from memory while nothing changed", async () => {
  const db = memo.database.db;
  const author = await makePerson(db, { name: "Ada Author" });
  const reader = await makePerson(db);
  const moderator = await makePerson(db, { role: "moderator" });
  const spaceId = await makeSpace(db, { name: "Remote work" });
  const howtoId = await makeHowto(db, author, spaceId);
  const otherId = await makeHowto(db, author, spaceId);
  await barrier();

  const first = await getPublicHowto(db, howtoId);
  expect(first?.authorName).toBe("Ada Author");
  // Nothing changed: the very same data, from memory.
  expect(await getPublicHowto(db, howtoId)).toBe(first);
  const other = await getPublicHowto(db, otherId);

  await editHowto(db, {
    howtoId,
    actor: author,
    ...howtoFields({ title: "Reset a forgotten VPN password from your phone" }),
  });
  await barrier();
  expect((await getPublicHowto(db, howtoId))?.title).toBe("Reset a forgotten VPN password from your phone");
  // A write to one how-to leaves the others in memory.
  expect(await getPublicHowto(db, otherId)).toBe(other);

  await rateHowto(db, { howtoId, actor: reader, isHelpful: true });
  await barrier();
  expect((await getPublicHowto(db, howtoId))?.helpfulYes).toBe(1);

  await updateProfile(db, author.id, {
    name: "Ada Lovelace",
    bio: "",
    audience: "it",
    openToMentoring: false,
    expertise: [],
  });
  await barrier();
  expect((await getPublicHowto(db, howtoId))?.authorName).toBe("Ada Lovelace");

  await updateSpace(db, {
    spaceId,
    name: "Working from home",
    description: "Laptops, VPN and home networks.",
    isPlainLanguage: false,
    by: moderator.id,
  });
  await barrier();
  expect((await getPublicHowto(db, howtoId))?.spaceName).toBe("Working from home");

  // A new glossary term is explained in the steps at once.
  expect((await getPublicHowto(db, howtoId))?.glossaryNotesHtml).not.toContain("Self-service portal");
  await createGlossaryEntry(db, {
    actor: moderator,
    entry: {
      term: "self-service",
      expansion: "Self-service portal",
      explanation: "The page where you reset your own password.",
      synonyms: "",
    },
  });
  await barrier();
  expect((await getPublicHowto(db, howtoId))?.glossaryNotesHtml).toContain("Self-service portal");

  // A deletion shows at once (the route then hides it from everyone but staff); so does restoring it.
  await deleteHowto(db, { howtoId, actor: moderator, reason: "spam" });
  await barrier();
  expect((await getPublicHowto(db, howtoId))?.deletedAt).not.toBeNull();
  await restoreHowto(db, { howtoId, actor: moderator });
  await barrier();
  expect((await getPublicHowto(db, howtoId))?.deletedAt).toBeNull();

  expect(await getPublicHowto(db, 987_654_321)).toBeNull();
});

test("related content follows new, edited and deleted posts sharing a tag", async () => {
  const db = memo.database.db;
  const author = await makePerson(db);
  const moderator = await makePerson(db, { role: "moderator" });
  const spaceId = await makeSpace(db);
  const howtoId = await makeHowto(db, author, spaceId, { tags: "printers-related" });
  await barrier();
  expect(await getRelatedContent(db, howtoId)).toEqual([]);
  const unrelated = await getRelatedContent(db, howtoId);
  expect(await getRelatedContent(db, howtoId)).toBe(unrelated);

  const questionId = await makeQuestion(db, author, spaceId, {
    title: "Why does the office printer ask for a PIN?",
    tags: "printers-related",
  });
  await barrier();
  expect((await getRelatedContent(db, howtoId)).map((r) => [r.id, r.title])).toEqual([
    [questionId, "Why does the office printer ask for a PIN?"],
  ]);

  await deleteQuestionOrAnswer(db, { postId: questionId, actor: moderator, reason: "duplicate" });
  await barrier();
  expect(await getRelatedContent(db, howtoId)).toEqual([]);
});

test("the home page's lists follow new questions, votes, feedback and renamed spaces", async () => {
  const db = memo.database.db;
  const asker = await makePerson(db);
  const voter = await makePerson(db);
  const moderator = await makePerson(db, { role: "moderator" });
  const spaceId = await makeSpace(db, { name: "Printers" });
  await barrier();

  const first = await getHomeData(db);
  expect(await getHomeData(db)).toBe(first);
  // Concurrent readers share one load.
  const [a, b] = await Promise.all([getHomeData(db), getHomeData(db)]);
  expect(a).toBe(b);

  const questionId = await makeQuestion(db, asker, spaceId, { title: "The printer on floor 3 prints blank pages" });
  await barrier();
  const withQuestion = await getHomeData(db);
  expect(withQuestion.questions[0]?.id).toBe(questionId);
  expect(withQuestion.spaces.find((s) => s.id === spaceId)?.questionCount).toBe(1);

  await toggleVote(db, { postId: questionId, actor: voter, direction: "up" });
  await barrier();
  expect((await getHomeData(db)).questions.find((q) => q.id === questionId)?.score).toBe(1);

  const howtoId = await makeHowto(db, asker, spaceId);
  await rateHowto(db, { howtoId, actor: voter, isHelpful: true });
  await barrier();
  expect((await getHomeData(db)).howtos.map((h) => h.id)).toContain(howtoId);

  await updateSpace(db, {
    spaceId,
    name: "Printers and scanners",
    description: "Everything that puts ink on paper.",
    isPlainLanguage: false,
    by: moderator.id,
  });
  await barrier();
  expect((await getHomeData(db)).spaces.find((s) => s.id === spaceId)?.name).toBe("Printers and scanners");
});

test("question, how-to and space lists stay in memory through comments and answer votes, and follow what they show", async () => {
  const db = memo.database.db;
  const asker = await makePerson(db);
  const helper = await makePerson(db);
  const voter = await makePerson(db);
  const moderator = await makePerson(db, { role: "moderator" });
  const spaceId = await makeSpace(db, { name: "Laptops" });
  const questionId = await makeQuestion(db, asker, spaceId, { title: "The laptop dock loses the second screen" });
  const answerId = await makeAnswer(db, helper, questionId);
  await barrier();
  const options = { spaceId, sort: "active" as const, limit: 20 };
  const first = await getQuestionList(db, options);
  expect(first.questions.map((q) => q.id)).toEqual([questionId]);
  expect(await getQuestionList(db, options)).toBe(first);
  // Other parameters are another list.
  expect(await getQuestionList(db, { ...options, sort: "newest" })).not.toBe(first);
  const howtos = await getHowtoList(db, { spaceId, sort: "newest", limit: 5 });
  const spaces = await getSpaceList(db);
  const names = await getSpaceNames(db);

  // Nothing a list shows: the very same lists, from memory.
  await addComment(db, { postId: questionId, actor: voter, body: "Same dock here, same problem since Tuesday." });
  await toggleVote(db, { postId: answerId, actor: voter, direction: "up" });
  await barrier();
  expect(await getQuestionList(db, options)).toBe(first);
  expect(await getHowtoList(db, { spaceId, sort: "newest", limit: 5 })).toBe(howtos);
  expect(await getSpaceList(db)).toBe(spaces);

  // A vote on the question shows in its row; a new question in the list and in the space's count.
  await toggleVote(db, { postId: questionId, actor: voter, direction: "up" });
  await barrier();
  expect((await getQuestionList(db, options)).questions[0]?.score).toBe(1);
  const secondId = await makeQuestion(db, asker, spaceId, { title: "Teams calls drop on the guest Wi-Fi" });
  await barrier();
  expect((await getQuestionList(db, options)).questions.map((q) => q.id)).toContain(secondId);
  expect((await getSpaceList(db)).find((s) => s.id === spaceId)?.questionCount).toBe(2);
  const howtoId = await makeHowto(db, asker, spaceId);
  await barrier();
  expect((await getHowtoList(db, { spaceId, sort: "newest", limit: 5 })).howtos.map((h) => h.id)).toContain(howtoId);

  // A moderator's deletion is gone from the list when the deletion returns (the barrier stands for its wait).
  await deleteQuestionOrAnswer(db, { postId: secondId, actor: moderator, reason: "spam" });
  await barrier();
  expect((await getQuestionList(db, options)).questions.map((q) => q.id)).not.toContain(secondId);

  expect(await getSpaceNames(db)).toBe(names);
  await updateSpace(db, {
    spaceId,
    name: "Laptops and docks",
    description: "",
    isPlainLanguage: false,
    by: moderator.id,
  });
  await barrier();
  expect((await getSpaceNames(db)).find((s) => s.id === spaceId)?.name).toBe("Laptops and docks");
});

test("a load in flight when a write is heard is not shared with readers who come after the write", async () => {
  const db = memo.database.db;
  const asker = await makePerson(db);
  const spaceId = await makeSpace(db);
  await barrier();
  await getHomeData(db);
  // Invalidate the kept lists, start a load, then write while it may still be running.
  await makeQuestion(db, asker, spaceId);
  await barrier();
  const before = getHomeData(db);
  const questionId = await makeQuestion(db, asker, spaceId, { title: "Teams calls drop after ten minutes" });
  await barrier();
  const after = await getHomeData(db);
  expect(after.questions[0]?.id).toBe(questionId);
  await before;
  // The earlier load, whatever it read, was not kept over the write.
  expect((await getHomeData(db)).questions[0]?.id).toBe(questionId);
});
