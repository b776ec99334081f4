/**
 * The search contract, run against every engine that is available: PostgreSQL full-text search always (on PGlite,
 * or on the server in DATABASE_URL), Meilisearch when MEILISEARCH_URL answers (in a throw-away index). Posts are
 * written through the real models, reach the engine through the real outbox drain, and are searched as the site does.
 */
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { Meilisearch } from "meilisearch";
import type { Database } from "#db/client.server";
import { posts, searchOutbox, spaces, users } from "#db/schema";
import { makeHowto } from "../../tests/fixtures/howtos";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { createTestDatabase } from "../../tests/fixtures/db";
import { acceptAnswer } from "~/models/answers.server";
import { deleteQuestionOrAnswer, restoreQuestionOrAnswer } from "~/models/post-deletion.server";
import { editQuestion } from "~/models/questions.server";
import { toggleVote } from "~/models/votes.server";
import { answerInOfficeHours, askInOfficeHours } from "~/models/office-hours-queue.server";
import { scheduleOfficeHours } from "~/models/office-hours.server";
import { updateSpace } from "~/models/spaces.server";
import { updateProfile } from "~/models/users.server";
import { drainSearchOutbox } from "./drain.server";
import { findSimilarQuestions, reindexAll, searchPosts } from "./engine.server";
import { createIndexedSearch } from "./indexed.server";
import { createMeilisearchSearch } from "./meilisearch.server";
import { createPostgresSearch } from "./postgres.server";
import { parseSearchInput } from "./query";
import { hitPath } from "./present";
import { type SearchEngine, type SearchResult, sessionDocumentId } from "./types";
import { makePerson, makeSpace } from "../../tests/fixtures/people";

type EngineCase = {
  name: string;
  create: (database: Database) => SearchEngine;
  /** An engine of the same kind that fails every write for real, and a way to mend it. */
  broken: (database: Database) => Promise<{ engine: SearchEngine; mend: () => Promise<void> }>;
  cleanup: () => Promise<void>;
};

const meilisearchUrl = process.env.MEILISEARCH_URL;
const meilisearchKey = process.env.MEILISEARCH_KEY || undefined;

async function isMeilisearchReachable(): Promise<boolean> {
  if (!meilisearchUrl) return false;
  try {
    return (
      (await new Meilisearch({ host: meilisearchUrl, apiKey: meilisearchKey, timeout: 2000 }).health()).status ===
      "available"
    );
  } catch {
    return false;
  }
}

const engines: EngineCase[] = [
  {
    name: "postgres",
    create: (database) => createPostgresSearch(database.db),
    // The engine's own table goes missing, so writes fail inside the database as they would for real.
    broken: async (database) => {
      await database.db.execute(sql`alter table search_documents rename to search_documents_away`);
      return {
        engine: createPostgresSearch(database.db),
        mend: async () => {
          await database.db.execute(sql`alter table search_documents_away rename to search_documents`);
        },
      };
    },
    cleanup: async () => {},
  },
  {
    // What the site runs: documents in the database, ranked by each process's in-memory index (indexed.server.ts).
    name: "postgres ranked in the app",
    create: (database) => createIndexedSearch(database.db),
    broken: async (database) => {
      await database.db.execute(sql`alter table search_documents rename to search_documents_away`);
      return {
        engine: createIndexedSearch(database.db),
        mend: async () => {
          await database.db.execute(sql`alter table search_documents_away rename to search_documents`);
        },
      };
    },
    cleanup: async () => {},
  },
];

if (await isMeilisearchReachable()) {
  const indexUid = `peerdesk_test_${randomBytes(4).toString("hex")}`;
  engines.push({
    name: "meilisearch",
    create: () => createMeilisearchSearch({ url: meilisearchUrl!, apiKey: meilisearchKey, indexUid }),
    // A server that is not there: the drain must keep the rows until the real one confirms.
    broken: async () => ({
      engine: createMeilisearchSearch({ url: "http://127.0.0.1:9", indexUid }),
      mend: async () => {},
    }),
    cleanup: async () => {
      const client = new Meilisearch({ host: meilisearchUrl!, apiKey: meilisearchKey });
      await client.deleteIndexIfExists(indexUid);
      await client.deleteIndexIfExists(`${indexUid}_next`);
    },
  });
}

describe.each(engines)("search contract: $name", (engineCase) => {
  let database: Database;
  let engine: SearchEngine;
  const ids: Record<string, number> = {};
  let networking = "";
  let office = "";

  async function find(text: string, filters: Parameters<typeof parseSearchInput>[1] = {}): Promise<SearchResult> {
    return searchPosts({ db: database.db, search: engine }, parseSearchInput(text, filters).query);
  }
  const idsOf = (result: SearchResult) => result.hits.map((hit) => hit.id).sort((a, b) => a - b);
  async function authorOf(postId: number) {
    const [row] = await database.db
      .select({ id: users.id, role: users.role, banned: users.banned })
      .from(posts)
      .innerJoin(users, eq(users.id, posts.authorId))
      .where(eq(posts.id, postId));
    if (!row) throw new Error(`no post ${postId}`);
    return row;
  }
  const drain = async () => {
    const result = await drainSearchOutbox(database.db, engine);
    expect(result.error).toBeNull();
    return result;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    const { db } = database;
    engine = engineCase.create(database);
    await engine.setup();
    const [alice, bob, carol] = [
      await makePerson(db, { name: "Alice Admin" }),
      await makePerson(db),
      await makePerson(db),
    ];
    const networkingId = await makeSpace(db);
    const officeId = await makeSpace(db);
    const [n, o] = await Promise.all(
      [networkingId, officeId].map(
        async (id) => (await db.select({ slug: spaces.slug }).from(spaces).where(eq(spaces.id, id)))[0]!.slug,
      ),
    );
    networking = n!;
    office = o!;
    ids.exchange = await makeQuestion(db, alice!, officeId, {
      title: "Exchange certificate expired: hybrid mail flow stopped",
      body: "Our hybrid connector certificate expired over the weekend and mail from on-premises stopped. <script>alert(1)</script> shows in the log.",
      tags: "exchange-online, certificates",
    });
    ids.exchangeAnswer = await makeAnswer(db, bob!, ids.exchange, {
      body: "Renew the certificate in the Exchange admin center, then run the Hybrid Configuration Wizard again.",
    });
    await acceptAnswer(db, { answerId: ids.exchangeAnswer, actor: alice! });
    ids.vpn = await makeQuestion(db, bob!, networkingId, {
      title: "Always On VPN drops every sixty minutes",
      body: "The device tunnel disconnects every hour. The mail flow is fine, but the tunnel is not.",
      tags: "vpn, windows-11",
    });
    ids.printer = await makeQuestion(db, carol!, officeId, {
      title: "The office printer prints blank pages since Monday",
      body: "Please explain in plain words what I can try before I call someone; flow of paper looks normal.",
      tags: "printing",
      isPlainLanguage: true,
    });
    ids.howto = await makeHowto(db, carol!, networkingId, {
      title: "Reconnect the VPN after a password change",
      tags: "vpn, passwords",
    });
    await toggleVote(db, { postId: ids.vpn, actor: alice!, direction: "up" });
    await toggleVote(db, { postId: ids.vpn, actor: carol!, direction: "up" });
    await drain();
    // Setting up the database and the posts takes a while on a busy machine.
  }, 180_000);

  afterAll(async () => {
    await engineCase.cleanup();
    await database?.close();
  });

  test("indexing: every visible post is searchable, titles and snippets highlighted and escaped", async () => {
    const result = await find("certificate");
    // One hit per thread: the question, with its best-matching answer's snippet and whether it was accepted.
    expect(idsOf(result)).toEqual([ids.exchange]);
    expect(result.total).toBe(1);
    const question = result.hits.find((hit) => hit.id === ids.exchange);
    expect(question?.answer?.id).toBe(ids.exchangeAnswer);
    expect(question?.answer?.isAccepted).toBe(true);
    expect(question?.answer?.snippetHtml).toMatch(/<mark>certificate<\/mark>/i);
    expect(question?.titleHtml).toContain("<mark>certificate</mark>");
    expect(question?.snippetHtml).toMatch(/<mark>certificate<\/mark>/i);
    expect(question?.spaceSlug).toBe(office);
    expect(question?.tags).toEqual(expect.arrayContaining(["exchange-online", "certificates"]));
    // Asked for answers only, the answer is the hit; it carries its question's title (and so its link) and tags.
    const answers = await find("certificate", { kinds: ["answer"] });
    const answer = answers.hits.find((hit) => hit.id === ids.exchangeAnswer);
    expect(answer?.tags).toEqual(expect.arrayContaining(["exchange-online", "certificates"]));
    expect(answer?.kind).toBe("answer");
    expect(answer?.questionId).toBe(ids.exchange);
    const script = await find("alert");
    expect(script.hits.map((hit) => hit.id)).toEqual([ids.exchange]);
    expect(script.hits[0]?.snippetHtml).not.toContain("<script>");
    expect(script.hits[0]?.snippetHtml).toContain("&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;");
    expect((await engine.count()) >= 5).toBe(true);
  });

  test("typo tolerance, prefixes while typing, phrases and operators", async () => {
    expect(idsOf(await find("exchnage certifcate expird"))).toContain(ids.exchange);
    expect(idsOf(await find("certif", { isPrefix: true }))).toContain(ids.exchange);
    // Both posts hold "mail" and "flow", only one holds them side by side.
    expect(idsOf(await find('"mail flow"'))).toEqual(expect.arrayContaining([ids.exchange]));
    expect(idsOf(await find('"mail flow"', { kinds: ["question"] }))).toContain(ids.vpn);
    expect(idsOf(await find('"flow mail"'))).toEqual([]);
    expect(idsOf(await find("tag:vpn"))).toEqual([ids.vpn!, ids.howto!].sort((a, b) => a - b));
    expect(idsOf(await find(`space:${networking} tunnel`))).toEqual([ids.vpn]);
    expect(idsOf(await find(`space:${office} tunnel`))).toEqual([]);
  });

  test("filters and facet counts", async () => {
    expect(idsOf(await find("vpn", { kinds: ["howto"] }))).toEqual([ids.howto]);
    expect(idsOf(await find("", { isSolved: true }))).toEqual([ids.exchange]);
    expect(idsOf(await find("", { isUnanswered: true }))).toEqual([ids.vpn!, ids.printer!].sort((a, b) => a - b));
    expect(idsOf(await find("", { isPlainLanguage: true }))).toEqual([ids.printer]);
    // Counts and facets count threads (the Exchange question and its answer are one); "answer" counts threads where an answer matched.
    const all = await find("", { spaceSlug: office });
    expect(all.total).toBe(2);
    expect(all.facets?.kind).toEqual({ question: 2, answer: 1 });
    expect(all.facets?.space).toEqual({ [office]: 2 });
    expect(all.facets?.tag).toMatchObject({ "exchange-online": 1, certificates: 1, printing: 1 });
    expect(all.facets?.solved).toBe(1);
    expect(all.facets?.unanswered).toBe(1);
    expect(all.facets?.plainLanguage).toBe(1);
  });

  test("sorting by votes and by date, and pages", async () => {
    const byVotes = await find("", { kinds: ["question"], sort: "votes" });
    expect(byVotes.hits[0]?.id).toBe(ids.vpn);
    expect(byVotes.hits[0]?.score).toBe(2);
    const newest = await find("", { kinds: ["question"], sort: "newest" });
    expect(newest.hits.map((hit) => hit.id)).toEqual([ids.printer, ids.vpn, ids.exchange]);
    const second = await find("", { kinds: ["question"], sort: "newest", page: 2, perPage: 2 });
    expect(second.total).toBe(3);
    expect(second.hits.map((hit) => hit.id)).toEqual([ids.exchange]);
  });

  test("an edit updates the document; deleting a question hides it and its answers, restoring brings them back", async () => {
    const { db } = database;
    const actor = await authorOf(ids.printer!);
    await editQuestion(db, {
      questionId: ids.printer!,
      actor,
      title: "The office printer prints faded toner pages since Monday",
      body: "Please explain in plain words what I can try before I call someone.",
      tags: "printing, toner",
      isPlainLanguage: true,
    });
    await drain();
    expect(idsOf(await find("toner"))).toEqual([ids.printer]);
    expect(idsOf(await find("blank"))).toEqual([]);

    await deleteQuestionOrAnswer(db, { postId: ids.exchange!, actor: await authorOf(ids.exchange!) });
    // Before the drain runs, the database already keeps deleted posts out of results.
    expect(idsOf(await find("certificate"))).toEqual([]);
    await drain();
    expect(idsOf(await find("certificate"))).toEqual([]);
    const moderator = await makePerson(db, { role: "moderator" });
    await restoreQuestionOrAnswer(db, { postId: ids.exchange!, actor: moderator });
    await drain();
    expect(idsOf(await find("certificate"))).toEqual([ids.exchange]);
  });

  test("renaming a space reaches the documents of its posts", async () => {
    const { db } = database;
    const admin = await makePerson(db, { role: "admin" });
    const [space] = await db.select().from(spaces).where(eq(spaces.slug, networking));
    await updateSpace(db, {
      spaceId: space!.id,
      name: "Firewalls and tunnels",
      description: space!.description,
      isPlainLanguage: false,
      by: admin.id,
    });
    await drain();
    const result = await find("tunnel", { spaceSlug: networking });
    expect(result.hits.map((hit) => hit.id)).toContain(ids.vpn);
    expect(new Set(result.hits.map((hit) => hit.spaceName))).toEqual(new Set(["Firewalls and tunnels"]));
  });

  test("ranked by relevance, any word matches (more and rarer words first); sorted by date, all must, or some are shown and said to be", async () => {
    const ranked = await find("hybrid connector wizard toner");
    expect(ranked.hits[0]?.id).toBe(ids.exchange);
    expect(idsOf(ranked)).toContain(ids.printer);
    expect(ranked.isPartialMatch ?? false).toBe(false);
    const strict = await engine.search(parseSearchInput("hybrid connector toner", { sort: "newest" }).query);
    expect(strict.total).toBe(0);
    const relaxed = await find("hybrid connector toner", { sort: "newest" });
    expect(relaxed.isPartialMatch).toBe(true);
    expect(idsOf(relaxed)).toContain(ids.exchange);
  });

  test("similar questions: any words count, typos are forgiven, solved questions first", async () => {
    const similar = await findSimilarQuestions(
      { db: database.db, search: engine },
      "exchnage certifcate expird, mail stopped",
    );
    expect(similar[0]?.id).toBe(ids.exchange);
    expect(similar[0]?.isSolved).toBe(true);
    expect(similar.every((hit) => hit.kind === "question")).toBe(true);
  });

  test("bad input never fails: empty, huge, punctuation, unbalanced quotes, operator and SQL injection", async () => {
    for (const text of [
      "",
      "   ",
      "x".repeat(5000),
      "!!! ??? ...",
      '"unbalanced quote',
      "') or 1=1; drop table posts; --",
      "vpn & | ! <-> :* \\",
      "tag: space: is:",
      "\u0000\u0001 vpn",
    ]) {
      const result = await find(text, { isPrefix: true });
      expect(Array.isArray(result.hits)).toBe(true);
    }
    expect(idsOf(await find("vpn & | ! <-> :*"))).toEqual(expect.arrayContaining([ids.vpn]));
  });

  test("outbox: a failing engine keeps the rows with the error and a backoff; the next drain delivers them", async () => {
    const { db } = database;
    const member = await makePerson(db);
    const spaceId = (await db.select({ id: spaces.id }).from(spaces).where(eq(spaces.slug, networking)))[0]!.id;
    const questionId = await makeQuestion(db, member, spaceId, {
      title: "Wireless controller reboots itself at midnight",
      tags: "wi-fi",
    });
    const { engine: broken, mend } = await engineCase.broken(database);
    const failed = await drainSearchOutbox(db, broken);
    await mend();
    expect(failed.error).toBeTruthy();
    const [row] = await db.select().from(searchOutbox).where(eq(searchOutbox.postId, questionId));
    expect(row?.attempts).toBe(1);
    expect(row?.lastError).toBeTruthy();
    expect(row!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    // Not due yet: nothing is sent, nothing lost.
    expect((await drainSearchOutbox(db, engine)).claimed).toBe(0);
    expect(idsOf(await find("midnight"))).toEqual([]);
    await db.update(searchOutbox).set({ nextAttemptAt: new Date(Date.now() - 1000) });
    await drain();
    expect(idsOf(await find("midnight"))).toEqual([questionId]);
    expect(await db.select().from(searchOutbox)).toEqual([]);
  });

  test("session answers: an answered question of a hosted session is searchable and leads to its place in the archive; skipped ones are not", async () => {
    const { db } = database;
    const host = await makePerson(db, { role: "mentor", name: "Hana Host" });
    const attendee = await makePerson(db);
    const spaceId = (await db.select({ id: spaces.id }).from(spaces).where(eq(spaces.slug, networking)))[0]!.id;
    const t0 = new Date("2026-02-02T15:00:00Z");
    const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
    const local = (minutes: number) => at(minutes).toISOString().slice(0, 16);
    const { officeHoursId } = await scheduleOfficeHours(db, {
      actor: host,
      title: "Office hours: wireless roaming",
      description: "Sticky clients, mesh and dead zones.",
      spaceId,
      tags: "wi-fi",
      startsAtLocal: local(60),
      endsAtLocal: local(120),
      timeZone: "UTC",
      maxQuestionsPerPerson: "",
      now: t0,
    });
    const { questionId: answered } = await askInOfficeHours(db, {
      officeHoursId,
      actor: attendee,
      body: "Why do laptops cling to the farthest access point?",
      now: at(10),
    });
    const { questionId: skipped } = await askInOfficeHours(db, {
      officeHoursId,
      actor: attendee,
      body: "Can the farthest access point be switched off remotely?",
      now: at(11),
    });
    await answerInOfficeHours(db, {
      questionId: answered,
      actor: host,
      answer: "Raise the **minimum RSSI** so the controller nudges sticky clients to roam.",
      now: at(70),
    });
    await answerInOfficeHours(db, { questionId: skipped, actor: host, skip: true, now: at(71) });
    await drain();
    const result = await find("sticky clients rssi");
    expect(result.hits.map((hit) => [hit.id, hit.kind])).toEqual([[sessionDocumentId(answered), "session"]]);
    const [hit] = result.hits;
    expect(hit).toMatchObject({
      questionId: officeHoursId,
      title: "Why do laptops cling to the farthest access point?",
      authorName: "Hana Host",
      spaceSlug: networking,
      tags: ["wi-fi"],
    });
    expect(hit!.snippetHtml).toContain("<mark>");
    expect(hitPath(hit!)).toBe(`/sessions/${officeHoursId}#q-${answered}`);
    // The session's title finds its answers; only the answered question is in the index; kind:session filters.
    expect(idsOf(await find("farthest access point"))).toEqual([sessionDocumentId(answered)]);
    expect(idsOf(await find("kind:session roaming"))).toEqual([sessionDocumentId(answered)]);
    expect((await find("roaming", { kinds: ["question"] })).hits.some((h) => h.kind === "session")).toBe(false);
    expect((await find("roaming")).facets?.kind.session).toBe(1);
    // A rename of the session's space reaches it too.
    const admin = await makePerson(db, { role: "admin" });
    await updateSpace(db, {
      spaceId,
      name: "Wireless and networks",
      description: "Wi-Fi, VPN and switching.",
      isPlainLanguage: false,
      by: admin.id,
    });
    await drain();
    expect((await find("sticky clients")).hits[0]?.spaceName).toBe("Wireless and networks");
  });

  test("a person who renames themselves shows under the new name on everything they wrote and every session they host", async () => {
    const { db } = database;
    const person = await makePerson(db, { role: "mentor", name: "Dev Patel" });
    const asker = await makePerson(db);
    const spaceId = (await db.select({ id: spaces.id }).from(spaces).where(eq(spaces.slug, networking)))[0]!.id;
    const questionId = await makeQuestion(db, person, spaceId, {
      title: "DHCP reservation ignored by the quokkaswitch",
      body: "The reserved address goes to another device after every quokkaswitch reboot.",
      tags: "dhcp",
    });
    const otherQuestion = await makeQuestion(db, asker, spaceId, {
      title: "Quokkaswitch forgets its VLANs",
      body: "After a firmware update the quokkaswitch lost every VLAN but the first.",
      tags: "vlan",
    });
    const answerId = await makeAnswer(db, person, otherQuestion, {
      body: "Export the quokkaswitch configuration before every firmware update, then import it again.",
    });
    const howtoId = await makeHowto(db, person, spaceId, { title: "Reserve a DHCP address on the quokkaswitch" });
    const t0 = new Date("2026-03-02T15:00:00Z");
    const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
    const local = (minutes: number) => at(minutes).toISOString().slice(0, 16);
    const { officeHoursId } = await scheduleOfficeHours(db, {
      actor: person,
      title: "Office hours: quokkaswitch basics",
      description: "Reservations, VLANs and firmware.",
      spaceId,
      tags: "dhcp",
      startsAtLocal: local(60),
      endsAtLocal: local(120),
      timeZone: "UTC",
      maxQuestionsPerPerson: "",
      now: t0,
    });
    const { questionId: sessionQuestion } = await askInOfficeHours(db, {
      officeHoursId,
      actor: asker,
      body: "Does the quokkaswitch keep reservations across reboots?",
      now: at(10),
    });
    await answerInOfficeHours(db, {
      questionId: sessionQuestion,
      actor: person,
      answer: "Only once the quokkaswitch configuration is saved to flash.",
      now: at(70),
    });
    await drain();
    const authors = async () => {
      const found = [...(await find("quokkaswitch")).hits, ...(await find("quokkaswitch", { kinds: ["answer"] })).hits];
      return Object.fromEntries(found.map((hit) => [hit.id, hit.authorName]));
    };
    const mine = [questionId, answerId, howtoId, sessionDocumentId(sessionQuestion)];
    const named = (name: string) => Object.fromEntries(mine.map((id) => [id, name]));
    expect(await authors()).toMatchObject({ ...named("Dev Patel"), [otherQuestion]: asker.name });

    const profile = { bio: "", audience: "it" as const, openToMentoring: true, expertise: [] };
    await updateProfile(db, person.id, { ...profile, name: "Devon Okafor" });
    await drain();
    expect(await authors()).toMatchObject({ ...named("Devon Okafor"), [otherQuestion]: asker.name });
    // And back again; a save that keeps the name sends nothing to the index.
    await updateProfile(db, person.id, { ...profile, name: " Dev Patel " });
    await drain();
    expect(await authors()).toMatchObject({ ...named("Dev Patel"), [otherQuestion]: asker.name });
    await updateProfile(db, person.id, { ...profile, name: "Dev Patel", bio: "Network admin" });
    expect(await db.select().from(searchOutbox)).toEqual([]);
  });

  test("a deleted answer is never shown, before the index hears of it or after; its question only on its own merits", async () => {
    const { db } = database;
    const [asker, helper] = [await makePerson(db), await makePerson(db)];
    const spaceId = (await db.select({ id: spaces.id }).from(spaces).where(eq(spaces.slug, networking)))[0]!.id;
    const questionId = await makeQuestion(db, asker, spaceId, {
      title: "Docking station loses the second monitor after sleep",
      body: "After the laptop wakes up, the second screen on the dock stays black until I unplug it.",
      tags: "hardware",
    });
    const answerId = await makeAnswer(db, helper, questionId, {
      body: "Uninstall quandrelix first: that old display tool grabs the dock's second output.",
    });
    await drain();
    const before = await find("quandrelix");
    expect(before.hits.map((hit) => [hit.id, hit.answer?.id])).toEqual([[questionId, answerId]]);

    await deleteQuestionOrAnswer(db, { postId: answerId, actor: await authorOf(answerId) });
    // Found only through the deleted answer: gone at once, and after the index has heard of it.
    for (const phase of ["before the drain", "after the drain"]) {
      const gone = await find("quandrelix");
      expect({ phase, ids: idsOf(gone), total: gone.total }).toEqual({ phase, ids: [], total: 0 });
      // Its question matches "docking" itself: still a result, without the deleted answer's text.
      const question = (await find("docking quandrelix")).hits.find((hit) => hit.id === questionId);
      expect({ phase, found: Boolean(question), answer: question?.answer ?? null }).toEqual({
        phase,
        found: true,
        answer: null,
      });
      expect(JSON.stringify(question)).not.toContain("quandrelix");
      if (phase === "before the drain") await drain();
    }
  });

  test("rebuild: a fresh index from the database, swapped in whole", async () => {
    const { db } = database;
    const before = await find("tunnel");
    const rebuilt = await reindexAll(db, engine);
    expect(rebuilt.indexed).toBe(rebuilt.total);
    expect(await engine.count()).toBe(rebuilt.total);
    expect(idsOf(await find("tunnel"))).toEqual(idsOf(before));
    expect(idsOf(await find("exchnage"))).toContain(ids.exchange);
    expect((await find("sticky clients")).hits.map((hit) => hit.kind)).toEqual(["session"]);
  });
});
