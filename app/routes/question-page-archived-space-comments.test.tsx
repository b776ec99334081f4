/**
 * A question in an archived space takes no new comments, so its page offers none: no "Add a comment" link and no
 * comment form (not even at the address that asks for one), for members and moderators alike. A comment sent from a page
 * opened before the archiving is refused in words beside the form, with the typed text still in it. The pages are the
 * real loader's and action's on the real database, rendered as a browser without JavaScript gets them.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { eq } from "drizzle-orm";
import { DomUtils, parseDocument } from "htmlparser2";
import { renderToString } from "react-dom/server";
import { StaticRouterProvider, createStaticHandler, createStaticRouter } from "react-router-dom/server";
import type { Database } from "#db/client.server";
import { comments } from "#db/schema";
import type { SignedInActor } from "~/models/post-errors.server";
import { setSpaceArchived } from "~/models/spaces.server";
import { loader as rootLoader } from "~/root";
import * as questionRoute from "~/routes/q.$id.($slug)";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { type Browser, type TestServices, payload, testServices, signedUpAs } from "../../tests/fixtures/routes";

let database: Database;
let services: TestServices;
let adminId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  // The first account made becomes the admin (who archives spaces): the people signed in below are not.
  adminId = (await makePerson(database.db, { role: "admin" })).id;
});
afterAll(() => database.close());

let people = 0;

async function signedIn(name: string, role: SignedInActor["role"] = "member") {
  people += 1;
  const email = `archived-comments-${people}@example.com`;
  return (await signedUpAs(services, { name, email, role, ip: `10.64.0.${people}` })).browser;
}

/**
 * The question's page as this person gets it (at `query`, e.g. "?comment=12"), after `actionData` when given: the real
 * root and page loaders' data passed through JSON as Remix sends it, rendered without JavaScript.
 */
async function pageOf(browser: Browser, questionId: number, query = "", actionData?: object) {
  const path = `/q/${questionId}${query}`;
  const params = { id: String(questionId) };
  const loaded = async (loader: (args: LoaderFunctionArgs) => unknown): Promise<object> =>
    JSON.parse(JSON.stringify(payload<unknown>(await browser.load(loader, path, params)).data));
  const [rootData, pageData] = [await loaded(rootLoader), await loaded(questionRoute.loader)];
  const handler = createStaticHandler([
    {
      id: "root",
      path: "/",
      loader: () => rootData,
      Component: Outlet,
      children: [
        {
          id: "routes/page",
          path: "q/:id",
          loader: () => pageData,
          action: actionData === undefined ? undefined : () => actionData,
          Component: questionRoute.default,
        },
      ],
    },
  ]);
  const request = new Request(
    `http://forum.test${path}`,
    actionData === undefined ? undefined : { method: "POST", body: "" },
  );
  const context = await handler.query(request);
  if (context instanceof Response) throw new Error(`unexpected ${context.status} response`);
  const router = createStaticRouter(handler.dataRoutes, context);
  const html = renderToString(<StaticRouterProvider router={router} context={context} hydrate={false} />);
  const document = parseDocument(html);
  const commentForms = DomUtils.findAll(
    (el) =>
      el.name === "form" &&
      DomUtils.findOne((input) => input.attribs.name === "intent" && input.attribs.value === "comment", el.children) !==
        null,
    document.children,
  );
  return {
    text: DomUtils.textContent(document).replace(/\s+/g, " "),
    commentLinks: DomUtils.findAll(
      (el) => el.name === "a" && DomUtils.textContent(el) === "Add a comment",
      document.children,
    ).length,
    commentForms: commentForms.map((form) => ({
      kept: DomUtils.findAll((el) => el.name === "textarea", form.children).map((el) => DomUtils.textContent(el)),
      text: DomUtils.textContent(form).replace(/\s+/g, " "),
    })),
  };
}

async function threadInAnArchivedSpace() {
  const { db } = database;
  const spaceId = await makeSpace(db);
  const questionId = await makeQuestion(db, await makePerson(db), spaceId);
  const answerId = await makeAnswer(db, await makePerson(db), questionId);
  return { spaceId, questionId, answerId };
}

test("no one is offered a comment form in an archived space, not even at the address that asks for one", async () => {
  const { spaceId, questionId, answerId } = await threadInAnArchivedSpace();
  const member = await signedIn("Bea");
  const moderator = await signedIn("Mo", "moderator");
  // While the space is open, each post offers "Add a comment" and the address opens its form.
  const open = await pageOf(member, questionId);
  expect(open.text).not.toContain("Sign in to comment");
  expect(open.commentLinks).toBe(2);
  expect((await pageOf(member, questionId, `?comment=${answerId}`)).commentForms).toHaveLength(1);

  await setSpaceArchived(database.db, { spaceId, archived: true, by: adminId });
  for (const browser of [member, moderator]) {
    for (const query of ["", `?comment=${questionId}`, `?comment=${answerId}`]) {
      const page = await pageOf(browser, questionId, query);
      expect(page.commentLinks, query).toBe(0);
      expect(page.commentForms, query).toEqual([]);
      // The answer form's line says the space is archived; the comment threads add nothing.
      expect(page.text).toContain("This space is archived, so it takes no new answers.");
      expect(page.text.match(/archived/g), query).toHaveLength(1);
      expect(page.text).not.toContain("Sign in to comment");
    }
  }
});

test("a comment sent from a page opened before the archiving is refused beside the form, with the text kept", async () => {
  const { spaceId, questionId, answerId } = await threadInAnArchivedSpace();
  const member = await signedIn("Cy");
  await setSpaceArchived(database.db, { spaceId, archived: true, by: adminId });
  const typed = "Does the same happen on the guest network?";

  const result = await member.submit(
    questionRoute.action,
    `/q/${questionId}?comment=${answerId}`,
    { intent: "comment", postId: String(answerId), body: typed, js: "0" },
    { id: String(questionId) },
  );
  const { status, data } = payload<{ ok: boolean; message: string }>(result);
  expect(status).toBe(403);
  expect(data.message).toBe("This space is archived, so it takes no new comments.");
  expect(await database.db.select().from(comments).where(eq(comments.postId, answerId))).toEqual([]);

  const page = await pageOf(member, questionId, `?comment=${answerId}`, data);
  expect(page.commentForms).toHaveLength(1);
  expect(page.commentForms[0]?.kept).toEqual([typed]);
  expect(page.commentForms[0]?.text).toContain("This space is archived, so it takes no new comments.");
  expect(page.commentLinks).toBe(0);
});
