/**
 * Space names, space and tag descriptions, glossary notes and people's names in notification sentences can be Arabic,
 * Hebrew or Persian: wherever a page shows them, they take their own direction (`dir="auto"`, or a `<bdi>` inside a
 * sentence), so "ليلى answered your question" and "How-tos in شبكة المكتب" keep their order. The pages are rendered
 * from their real loaders on the real database, as they reach a browser without JavaScript.
 */
import { eq } from "drizzle-orm";
import { DomUtils, parseDocument } from "htmlparser2";
import type { ChildNode, Element, ParentNode, Text } from "domhandler";
import { renderToString } from "react-dom/server";
import { StaticRouterProvider, createStaticHandler, createStaticRouter } from "react-router-dom/server";
import type { Database } from "#db/client.server";
import { spaces, tags, users } from "#db/schema";
import { SearchHitList } from "~/components/SearchHitList";
import { createGlossaryEntry } from "~/models/glossary.server";
import { loadQuestionPage } from "~/models/question-page.server";
import { scheduleOfficeHours } from "~/models/office-hours.server";
import { drainSearchOutbox } from "~/search/drain.server";
import { searchPosts } from "~/search/engine.server";
import { createPostgresSearch } from "~/search/postgres.server";
import { parseSearchInput } from "~/search/query";
import * as glossaryRoute from "~/routes/glossary._index";
import * as howtosRoute from "~/routes/howtos._index";
import * as notificationsRoute from "~/routes/notifications._index";
import * as questionsRoute from "~/routes/questions";
import * as sessionsRoute from "~/routes/sessions._index";
import * as spacePageRoute from "~/routes/s.$slug";
import * as spacesRoute from "~/routes/spaces._index";
import * as tagsRoute from "~/routes/tags";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeHowto } from "../../tests/fixtures/howtos";
import { ESTABLISHED_SINCE, makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { renderRoute } from "../../tests/fixtures/render-route";
import { Browser, type TestServices, signUp, testServices } from "../../tests/fixtures/routes";
import { T0, local } from "../../tests/fixtures/sessions";

const spaceName = "شبكة المكتب";
const spaceDescription = "أسئلة عن الشبكة والطابعات في المكتب (Wi-Fi)";
const tagDescription = "רשת פרטית וירטואלית לעבודה מהבית";
const answererName = "ليلى حداد";
const explanation = "نفق آمن من حاسوبك إلى شبكة العمل.";
const expansion = "شبكة سطح المكتب الافتراضية";

let database: Database;
let services: TestServices;
let visitor: Browser;
let spaceSlug: string;
let spaceId: number;
let questionId: number;
let askerBrowser: Browser;
const questionTitle = "Why does the printer on the third floor stop after lunch?";

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  services = testServices(database);
  visitor = new Browser(services, "10.64.0.1");
  spaceId = await makeSpace(db, { name: spaceName });
  const [space] = await db
    .update(spaces)
    .set({ description: spaceDescription })
    .where(eq(spaces.id, spaceId))
    .returning({ slug: spaces.slug });
  spaceSlug = space?.slug ?? "";

  // The asker signs in to read their notifications; a member for years, so nothing they post is held.
  askerBrowser = new Browser(services, "10.64.0.2");
  await signUp(askerBrowser, {
    name: "Noa Asker",
    email: "noa-rtl@example.com",
    password: "noa reads in any direction",
  });
  const [asker] = await db
    .update(users)
    .set({ createdAt: ESTABLISHED_SINCE })
    .where(eq(users.email, "noa-rtl@example.com"))
    .returning({ id: users.id });
  if (!asker) throw new Error("asker not created");
  const askerActor = { id: asker.id, role: "member" as const, banned: false };
  questionId = await makeQuestion(db, askerActor, spaceId, {
    title: questionTitle,
    body: "The VDI session freezes and the printer queue stops every day after lunch.",
    tags: ["printers"],
  });
  await makeAnswer(db, await makePerson(db, { name: answererName }), questionId);
  await makeHowto(db, await makePerson(db), spaceId);
  await db.update(tags).set({ description: tagDescription }).where(eq(tags.slug, "printers"));
  await createGlossaryEntry(db, {
    actor: await makePerson(db, { role: "moderator" }),
    entry: { term: "VDI", expansion, explanation, synonyms: "" },
  });
  const host = await makePerson(db, { role: "mentor" });
  await scheduleOfficeHours(db, {
    actor: host,
    title: "Printers and the office network",
    description: "Bring your printer questions.",
    spaceId,
    tags: "printers",
    startsAtLocal: local(60),
    endsAtLocal: local(120),
    timeZone: "UTC",
    maxQuestionsPerPerson: "",
    now: T0,
  });
}, 120_000);
afterAll(() => database.close());

const isText = (node: ChildNode): node is Text => node.type === "text";
const isElement = (node: ParentNode | null): node is Element => node !== null && "attribs" in node;

/** Elements whose words are only read aloud: their order on screen doesn't arise. */
function isScreenReaderOnly(node: ChildNode): boolean {
  for (let at = node.parent; at; at = at.parent)
    if (isElement(at) && (at.attribs.class ?? "").split(" ").includes("sr-only")) return true;
  return false;
}

/**
 * Every place the page shows `text`, as "tag: its words", with whether it takes its own direction: inside a `<bdi>`
 * or an element with `dir="auto"` holding nothing but it. Choices in a list box (`<option>`) are not text on the page.
 */
function placesOf(html: string, text: string): { place: string; isolated: boolean }[] {
  const document = parseDocument(html);
  const textNodes = DomUtils.filter((node) => isText(node) && node.data.includes(text), document.children);
  return textNodes
    .filter((node) => !isScreenReaderOnly(node))
    .flatMap((node) => {
      const parent = node.parent;
      if (!isElement(parent) || parent.name === "option") return [];
      const isolated =
        (parent.name === "bdi" || parent.attribs.dir === "auto") && DomUtils.textContent(parent).trim() === text;
      return [{ place: `${parent.name}: ${DomUtils.textContent(parent).trim()}`, isolated }];
    });
}

/** Asserts `text` is on the page, and takes its own direction everywhere it is. */
function expectIsolated(html: string, text: string, atLeast = 1): void {
  const places = placesOf(html, text);
  expect(places.length, `places showing "${text}"`).toBeGreaterThanOrEqual(atLeast);
  expect(places.filter((p) => !p.isolated).map((p) => p.place)).toEqual([]);
}

test("the spaces list shows a right-to-left space's name and description each in their own direction", async () => {
  const html = await renderRoute(visitor, spacesRoute, { path: "/spaces" });
  expectIsolated(html, spaceName);
  expectIsolated(html, spaceDescription);
});

test("a space's page: its heading, description, how-tos heading and feed link keep a right-to-left name apart", async () => {
  const html = await renderRoute(visitor, spacePageRoute, {
    path: `/s/${spaceSlug}`,
    pattern: "/s/:slug",
    params: { slug: spaceSlug },
  });
  // The heading, "How-tos in …" and "Follow new questions in … in a feed reader".
  expectIsolated(html, spaceName, 3);
  expectIsolated(html, spaceDescription);
  expect(html).toContain("How-tos in <bdi>");
});

test("the question and how-to lists show which space each post is in, in the space name's own direction", async () => {
  expectIsolated(await renderRoute(visitor, questionsRoute, { path: "/questions" }), spaceName);
  expectIsolated(await renderRoute(visitor, howtosRoute, { path: "/howtos" }), spaceName);
});

test("the how-tos of one space name it in its heading, description and links in its own direction", async () => {
  const path = `/howtos?space=${encodeURIComponent(spaceSlug)}`;
  const html = await renderRoute(visitor, howtosRoute, { path });
  // The heading, "Questions in …" and the feed link.
  expectIsolated(html, spaceName, 3);
  expectIsolated(html, spaceDescription);
});

test("the Q&A sessions list names a session's space in its own direction", async () => {
  expectIsolated(await renderRoute(visitor, sessionsRoute, { path: "/sessions" }), spaceName);
});

test("a search result says which space it is in, the space name in its own direction", async () => {
  const engine = createPostgresSearch(database.db);
  await engine.setup();
  expect((await drainSearchOutbox(database.db, engine)).error).toBeNull();
  const { hits } = await searchPosts(
    { db: database.db, search: engine },
    parseSearchInput("printer lunch", { sort: "relevance" }).query,
  );
  expect(hits.map((hit) => hit.id)).toContain(questionId);
  const handler = createStaticHandler([{ path: "/search", element: <SearchHitList hits={hits} tagHref={String} /> }]);
  const context = await handler.query(new Request("http://forum.test/search"));
  if (context instanceof Response) throw new Error("unexpected response");
  const router = createStaticRouter(handler.dataRoutes, context);
  const html = renderToString(<StaticRouterProvider router={router} context={context} hydrate={false} />);
  expectIsolated(html, spaceName);
});

test("a tag's description in the tag directory reads in its own direction", async () => {
  expectIsolated(await renderRoute(visitor, tagsRoute, { path: "/tags" }), tagDescription);
});

test("the glossary shows a term's full name and explanation each in their own direction", async () => {
  const html = await renderRoute(visitor, glossaryRoute, { path: "/glossary" });
  expectIsolated(html, expansion);
  expectIsolated(html, explanation);
});

test("a glossary note opened from a post keeps a right-to-left explanation and full name apart", async () => {
  const page = await loadQuestionPage(database.db, questionId);
  expect(page?.question.bodyHtml).toContain('popovertarget="g-vdi"');
  const notes = page?.glossaryNotesHtml ?? "";
  expectIsolated(notes, expansion);
  expectIsolated(notes, explanation);
});

test("a notification keeps a right-to-left name apart, so 'answered' and the title stay in the sentence's order", async () => {
  const html = await renderRoute(askerBrowser, notificationsRoute, { path: "/notifications" });
  expectIsolated(html, answererName);
  const name = DomUtils.findOne(
    (el) => el.name === "bdi" && DomUtils.textContent(el) === answererName,
    parseDocument(html).children,
  );
  // The sentence goes on after the name: "<name> answered “<title>”".
  const after = name?.parent ? DomUtils.textContent(name.parent) : "";
  expect(after).toBe(`${answererName} answered “${questionTitle}”`);
  expectIsolated(html, questionTitle);
});
