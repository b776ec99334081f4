/**
 * More pages where people's words can be Arabic or Hebrew: the saved list, the service pulse, a how-to and the pages
 * around it, the glossary's synonyms, its search and its edit page, and "Ask <name>". Wherever they show a space's
 * name, a title, a synonym or a person's name, it takes its own direction (`dir="auto"`, or a `<bdi>` inside an English
 * sentence). Each page is rendered from its real loader on the real database, as it reaches a browser without
 * JavaScript.
 */
import { eq } from "drizzle-orm";
import { DomUtils, parseDocument } from "htmlparser2";
import type { Database } from "#db/client.server";
import { spaces, users } from "#db/schema";
import { createGlossaryEntry } from "~/models/glossary.server";
import { savePost } from "~/models/saved-posts.server";
import * as askRoute from "~/routes/ask";
import * as glossaryEditRoute from "~/routes/glossary.$id.edit";
import * as glossaryRoute from "~/routes/glossary._index";
import * as howtoEditRoute from "~/routes/howtos.$id.edit";
import * as howtoFeedbackRoute from "~/routes/howtos.$id.feedback";
import * as howtoRoute from "~/routes/howtos.$id._index";
import * as pulseRoute from "~/routes/pulse._index";
import * as savedRoute from "~/routes/saved";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeHowto } from "../../tests/fixtures/howtos";
import { ESTABLISHED_SINCE, makePerson, makeSpace, makeUser } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import { renderRoute } from "../../tests/fixtures/render-route";
import { Browser, signUp, testServices } from "../../tests/fixtures/routes";
import { expectIsolated, textOfElementWith } from "../../tests/fixtures/text-direction";

const spaceName = "دعم الطابعات";
const authorName = "דנה לוי";
const howtoTitle = "إعادة ضبط كلمة مرور الشبكة الافتراضية (VPN)";
const howtoSummary = "كيف تعود إلى الشبكة الافتراضية عندما تنسى كلمة المرور، بدون الاتصال بالدعم.";
const firstStep = "افتح بوابة الخدمة الذاتية واختر نسيت كلمة المرور.";
const questionTitle = "لماذا تتوقف الطابعة في الطابق الثالث بعد الغداء؟";
const glossaryTerm = "نفق العمل";
const synonyms = ["شبكة خاصة افتراضية", "רשת פרטית וירטואלית"];
const glossaryEditorName = "سلمى يوسف";
const mentorName = "יעל כהן";

let database: Database;
let author: Browser;
let visitor: Browser;
let glossaryMentor: Browser;
let spaceSlug: string;
let howtoId: number;
let glossaryId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  // The pulse keeps its numbers for a while; the test's services say how long, as the app's settings do.
  const services = { ...testServices(database), env: { PULSE_CACHE_SECONDS: 60 } };
  visitor = new Browser(services, "10.66.0.1");
  const spaceId = await makeSpace(db, { name: spaceName });
  const [space] = await db.select({ slug: spaces.slug }).from(spaces).where(eq(spaces.id, spaceId));
  spaceSlug = space?.slug ?? "";

  // Dana writes a how-to and asks a question in the space, and saves both; a member for years, so nothing is held.
  author = new Browser(services, "10.66.0.2");
  await signUp(author, { name: authorName, email: "dana-rtl@example.com", password: "dana writes right to left" });
  const [dana] = await db
    .update(users)
    .set({ createdAt: ESTABLISHED_SINCE })
    .where(eq(users.email, "dana-rtl@example.com"))
    .returning({ id: users.id });
  if (!dana) throw new Error("author not created");
  const danaActor = { id: dana.id, role: "member" as const, banned: false };
  howtoId = await makeHowto(db, danaActor, spaceId, {
    title: howtoTitle,
    summary: howtoSummary,
    steps: [firstStep, "اكتب كلمة مرور جديدة مرتين واحفظها."],
  });
  const questionId = await makeQuestion(db, danaActor, spaceId, { title: questionTitle, tags: "printers" });
  await savePost(db, dana.id, questionId);
  await savePost(db, dana.id, howtoId);

  // Yael mentors, so "Ask Yael" can invite her.
  await makeUser(db, { name: mentorName, role: "mentor", handle: "yael-cohen" });

  ({ id: glossaryId } = await createGlossaryEntry(db, {
    actor: await makePerson(db, { role: "moderator", name: glossaryEditorName }),
    entry: {
      term: glossaryTerm,
      expansion: "",
      explanation: "A safe tunnel from your laptop to the office network.",
      synonyms,
    },
  }));
  glossaryMentor = new Browser(services, "10.66.0.3");
  await signUp(glossaryMentor, {
    name: "Mia Mentor",
    email: "mia-rtl@example.com",
    password: "mia keeps the glossary",
  });
  await db.update(users).set({ role: "mentor" }).where(eq(users.email, "mia-rtl@example.com"));
}, 120_000);
afterAll(() => database.close());

test("the saved list says which space each saved post is in, the space's name in its own direction", async () => {
  const html = await renderRoute(author, savedRoute, { path: "/saved" });
  // One line per saved post: "Question · 0 answers · <space> · saved …" and "How-to · <space> · saved …".
  expectIsolated(html, spaceName, 2);
  expectIsolated(html, questionTitle);
  expectIsolated(html, howtoTitle);
});

test("the service pulse lists a right-to-left space by its name in its own direction", async () => {
  expectIsolated(await renderRoute(visitor, pulseRoute, { path: "/pulse" }), spaceName);
});

test("a space's pulse names the space in its heading and first sentence, each kept apart from the English", async () => {
  const html = await renderRoute(visitor, pulseRoute, { path: `/pulse?space=${encodeURIComponent(spaceSlug)}` });
  expectIsolated(html, spaceName, 2);
  expect(textOfElementWith(html, "h1", "Service pulse")).toBe(`Service pulse: ${spaceName}`);
  expect(textOfElementWith(html, "p", "How quickly")).toContain(`helped in ${spaceName}, for questions asked`);
  // Its unanswered questions, with who asked.
  expectIsolated(html, questionTitle);
  expectIsolated(html, authorName);
});

test("a how-to's page: its space, title, summary and author each read in their own direction, and so do its steps", async () => {
  const html = await renderRoute(visitor, howtoRoute, {
    path: `/howtos/${howtoId}`,
    pattern: "/howtos/:id",
    params: { id: String(howtoId) },
  });
  expectIsolated(html, spaceName);
  expectIsolated(html, howtoTitle);
  expectIsolated(html, howtoSummary);
  expectIsolated(html, authorName);
  // A step is Markdown (paragraphs, lists): the box holding the whole step takes its direction.
  const step = DomUtils.findOne((el) => el.attribs.id === "step-1", parseDocument(html).children);
  const body = step && DomUtils.findOne((el) => DomUtils.textContent(el).trim() === firstStep, step.children);
  expect(body?.attribs.dir).toBe("auto");
});

test("editing a how-to and reading its feedback, the page names the how-to in its title's own direction", async () => {
  const params = { id: String(howtoId) };
  const edit = await renderRoute(author, howtoEditRoute, {
    path: `/howtos/${howtoId}/edit`,
    pattern: "/howtos/:id/edit",
    params,
  });
  expectIsolated(edit, howtoTitle);
  const feedback = await renderRoute(author, howtoFeedbackRoute, {
    path: `/howtos/${howtoId}/feedback`,
    pattern: "/howtos/:id/feedback",
    params,
  });
  expectIsolated(feedback, howtoTitle);
});

test("the glossary lists a term's right-to-left synonyms each in its own direction, in the English sentence", async () => {
  const html = await renderRoute(visitor, glossaryRoute, { path: "/glossary" });
  for (const synonym of synonyms) expectIsolated(html, synonym);
  expect(textOfElementWith(html, "dd", synonyms[1] ?? "")).toBe(`Also called: ${synonyms.join(", ")}`);
});

test("searching the glossary in Arabic: the 'terms match' line keeps the searched words apart", async () => {
  const query = synonyms[0] ?? "";
  const html = await renderRoute(visitor, glossaryRoute, { path: `/glossary?q=${encodeURIComponent(query)}` });
  expectIsolated(html, query, 2); // the status line and the entry's synonym
  expect(textOfElementWith(html, "p", "matches")).toContain(`1 term matches “${query}”.`);
});

test("editing a glossary entry: its term and who changed it last read in their own direction", async () => {
  const html = await renderRoute(glossaryMentor, glossaryEditRoute, {
    path: `/glossary/${glossaryId}/edit`,
    pattern: "/glossary/:id/edit",
    params: { id: String(glossaryId) },
  });
  // The heading, "Posts will no longer explain …" and the button "Remove … from the glossary".
  expectIsolated(html, glossaryTerm, 3);
  expect(textOfElementWith(html, "h1", "Edit")).toBe(`Edit “${glossaryTerm}”`);
  expectIsolated(html, glossaryEditorName);
  expect(textOfElementWith(html, "p", "Last changed")).toContain(`Last changed by ${glossaryEditorName} on`);
});

test("'Ask <name>' keeps a right-to-left name apart in the ask page's heading and its 'will be invited' line", async () => {
  const html = await renderRoute(author, askRoute, { path: "/ask?invite=yael-cohen" });
  expectIsolated(html, mentorName, 2);
  expect(textOfElementWith(html, "h1", "Ask")).toBe(`Ask ${mentorName}`);
  const heading = DomUtils.findOne((el) => el.name === "h1", parseDocument(html).children);
  const name = heading && DomUtils.findOne((el) => el.name === "bdi", heading.children);
  expect(name && DomUtils.textContent(name)).toBe(mentorName);
});
