/**
 * The buttons that send a form look exactly like the Button of their kind, so the pages can't drift apart: saving an
 * edited question, answer or how-to, sending or withdrawing a suggested edit, deleting a how-to, finding a tag, posting
 * a question and posting an answer. Each page is rendered from its real loader on the real database (the answer form,
 * a part of the question page, on its own), and the button's classes are the Button's classes.
 */
import { eq } from "drizzle-orm";
import { DomUtils, parseDocument } from "htmlparser2";
import { createRef } from "react";
import { renderToString } from "react-dom/server";
import { StaticRouterProvider, createStaticHandler, createStaticRouter } from "react-router-dom/server";
import type { Database } from "#db/client.server";
import { users } from "#db/schema";
import { AnswerForm } from "~/components/AnswerForm";
import { QaPageProvider } from "~/components/QaPageContext";
import { Button, type ButtonVariant } from "~/components/ui/Button";
import { suggestHowtoEdit } from "~/models/howto-suggestions.server";
import * as answerEditRoute from "~/routes/a.$id.edit";
import * as askRoute from "~/routes/ask";
import * as howtoEditRoute from "~/routes/howtos.$id.edit";
import * as questionEditRoute from "~/routes/q.$id.edit";
import * as tagsRoute from "~/routes/tags";
import { createTestDatabase } from "../../../tests/fixtures/db";
import { howtoFields, makeHowto } from "../../../tests/fixtures/howtos";
import { ESTABLISHED_SINCE, makeSpace } from "../../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../../tests/fixtures/qa";
import { renderRoute } from "../../../tests/fixtures/render-route";
import { Browser, type TestServices, signUp, testServices } from "../../../tests/fixtures/routes";

let database: Database;
let services: TestServices;
let visitor: Browser;
let author: Browser;
let suggester: Browser;
let questionId: number;
let answerId: number;
let howtoId: number;

/** Signs a member up in their own browser, a member for years (nothing they write is held); their browser and id. */
async function member(name: string, email: string, ip: string): Promise<{ browser: Browser; id: string }> {
  const browser = new Browser(services, ip);
  await signUp(browser, { name, email, password: `${name} has a long password` });
  const [row] = await database.db
    .update(users)
    .set({ createdAt: ESTABLISHED_SINCE })
    .where(eq(users.email, email))
    .returning({ id: users.id });
  if (!row) throw new Error(`${name} not created`);
  return { browser, id: row.id };
}

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  services = testServices(database);
  visitor = new Browser(services, "10.67.0.1");
  const spaceId = await makeSpace(db, { name: "Printers" });
  const dana = await member("Dana Author", "dana-buttons@example.com", "10.67.0.2");
  author = dana.browser;
  const danaActor = { id: dana.id, role: "member" as const, banned: false };
  questionId = await makeQuestion(db, danaActor, spaceId, { tags: "printers" });
  answerId = await makeAnswer(db, danaActor, questionId);
  howtoId = await makeHowto(db, danaActor, spaceId);
  // Sam suggested an edit to Dana's how-to, still waiting: his edit page offers to send it again or withdraw it.
  const sam = await member("Sam Suggester", "sam-buttons@example.com", "10.67.0.3");
  suggester = sam.browser;
  await suggestHowtoEdit(db, {
    ...howtoFields({ summary: "Get back into the VPN when you forgot its password, without calling the helpdesk." }),
    howtoId,
    actor: { id: sam.id, role: "member", banned: false },
  });
}, 120_000);
afterAll(() => database.close());

const classesOf = (className: string | undefined) => new Set((className ?? "").split(/\s+/).filter(Boolean));

function buttonClasses(variant: ButtonVariant): Set<string> {
  const html = renderToString(<Button variant={variant}>Go</Button>);
  return classesOf(/class="([^"]*)"/.exec(html)?.[1]);
}

/** The classes of the one button named `name` on the page. */
function buttonClassesOn(html: string, name: string): Set<string> {
  const buttons = DomUtils.findAll(
    (el) => el.name === "button" && DomUtils.textContent(el).trim() === name,
    parseDocument(html).children,
  );
  expect(buttons, `one button named "${name}"`).toHaveLength(1);
  return classesOf(buttons[0]?.attribs.class);
}

function expectLooksLikeButton(html: string, name: string, variant: ButtonVariant) {
  expect([...buttonClassesOn(html, name)].sort()).toEqual([...buttonClasses(variant)].sort());
}

test("saving an edited question or answer is a primary button", async () => {
  const question = await renderRoute(author, questionEditRoute, {
    path: `/q/${questionId}/edit`,
    pattern: "/q/:id/edit",
    params: { id: String(questionId) },
  });
  expectLooksLikeButton(question, "Save changes", "primary");
  const answer = await renderRoute(author, answerEditRoute, {
    path: `/a/${answerId}/edit`,
    pattern: "/a/:id/edit",
    params: { id: String(answerId) },
  });
  expectLooksLikeButton(answer, "Save changes", "primary");
});

test("editing a how-to: saving is a primary button and deleting a danger one", async () => {
  const html = await renderRoute(author, howtoEditRoute, {
    path: `/howtos/${howtoId}/edit`,
    pattern: "/howtos/:id/edit",
    params: { id: String(howtoId) },
  });
  expectLooksLikeButton(html, "Save changes", "primary");
  expectLooksLikeButton(html, "Delete how-to", "danger");
});

test("a waiting suggestion: sending it again is a primary button and withdrawing it a secondary one", async () => {
  const html = await renderRoute(suggester, howtoEditRoute, {
    path: `/howtos/${howtoId}/edit`,
    pattern: "/howtos/:id/edit",
    params: { id: String(howtoId) },
  });
  expectLooksLikeButton(html, "Send suggestion", "primary");
  expectLooksLikeButton(html, "Withdraw my suggestion", "secondary");
});

test("the tag directory's Find is a secondary button", async () => {
  expectLooksLikeButton(await renderRoute(visitor, tagsRoute, { path: "/tags" }), "Find", "secondary");
});

test("posting a question is a primary button", async () => {
  expectLooksLikeButton(await renderRoute(author, askRoute, { path: "/ask" }), "Post your question", "primary");
});

test("posting an answer under a question is a primary button", async () => {
  // The question page's answer form for a signed-in member (the root's loader says who is signed in).
  const form = (
    <QaPageProvider
      value={{
        questionId,
        viewer: null,
        isHydrated: false,
        isSignedIn: true,
        signInHref: "/signin",
        formAction: `/q/${questionId}`,
        actionResult: undefined,
      }}
    >
      <AnswerForm
        isClosed={false}
        questionId={questionId}
        idempotencyKey="k"
        isArchived={false}
        isPlainLanguage={false}
        formRef={createRef<HTMLFormElement>()}
      />
    </QaPageProvider>
  );
  const handler = createStaticHandler([
    {
      id: "root",
      path: "/",
      loader: () => ({ user: { id: "dana", name: "Dana Author", emailVerified: true } }),
      children: [{ id: "routes/q", path: "q/:id", element: form }],
    },
  ]);
  const context = await handler.query(new Request(`http://forum.test/q/${questionId}`));
  if (context instanceof Response) throw new Error("unexpected response");
  const router = createStaticRouter(handler.dataRoutes, context);
  const html = renderToString(<StaticRouterProvider router={router} context={context} hydrate={false} />);
  expectLooksLikeButton(html, "Post your answer", "primary");
});
