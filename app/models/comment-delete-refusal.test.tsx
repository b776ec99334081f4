/**
 * A refused comment deletion (someone else's comment, one already deleted, one on another question), posted as a
 * browser without JavaScript posts it: the action says why and names the thread and the comment, and the question
 * page shows that message beside the comment, or atop the thread when the comment isn't listed there.
 */
import { DomUtils, parseDocument } from "htmlparser2";
import { renderToString } from "react-dom/server";
import { StaticRouterProvider, createStaticHandler, createStaticRouter } from "react-router-dom/server";
import type { Database } from "#db/client.server";
import { CommentThread, type CommentItem } from "~/components/CommentThread";
import { type QaActionResult, QaPageProvider } from "~/components/QaPageContext";
import { addComment, deleteComment } from "~/models/comments.server";
import { action as questionAction } from "~/routes/q.$id.($slug)";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import { Browser, type TestServices, payload, signUp, testServices } from "../../tests/fixtures/routes";

let database: Database;
let services: TestServices;
let grace: Browser;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  // The first account made becomes the admin (who may delete any comment): Grace is an ordinary member.
  await makePerson(database.db, { role: "admin" });
  grace = new Browser(services, "10.62.0.7");
  await signUp(grace, { name: "Grace Ode", email: "grace-deletes@example.com", password: "grace tidies comments" });
});
afterAll(() => database.close());

async function refusedDeletion(questionId: number, commentId: number) {
  const result = await grace.submit(
    questionAction,
    `/q/${questionId}`,
    { intent: "deleteComment", commentId: String(commentId), js: "0" },
    { id: String(questionId) },
  );
  return payload<QaActionResult>(result);
}

/** The thread of `postId` as the page renders it after the refused post (no JavaScript: the action data). */
async function renderThread(postId: number, comments: CommentItem[], actionResult: QaActionResult) {
  const page = (
    <QaPageProvider
      value={{
        questionId: postId,
        viewer: null,
        isHydrated: false,
        isSignedIn: true,
        signInHref: "/signin",
        formAction: `/q/${postId}`,
        actionResult,
      }}
    >
      <CommentThread postId={postId} comments={comments} noun="question" />
    </QaPageProvider>
  );
  const handler = createStaticHandler([{ path: "/q/:id", element: page }]);
  const context = await handler.query(new Request(`http://forum.test/q/${postId}`));
  if (context instanceof Response) throw new Error("unexpected response");
  const router = createStaticRouter(handler.dataRoutes, context);
  return parseDocument(renderToString(<StaticRouterProvider router={router} context={context} hydrate={false} />));
}

const listed = (id: number): CommentItem => ({
  id,
  bodyHtml: "Which firmware is it on?",
  createdAt: new Date("2026-11-04T10:00:00Z"),
  deletedAt: null,
  authorName: "Ann",
  authorHandle: null,
});

test("deleting someone else's comment is refused, and the message shows beside that comment", async () => {
  const { db } = database;
  const ann = await makePerson(db, { name: "Ann" });
  const questionId = await makeQuestion(db, ann, await makeSpace(db));
  const { commentId } = await addComment(db, { postId: questionId, actor: ann, body: "Which firmware is it on?" });

  const refused = await refusedDeletion(questionId, commentId);
  expect(refused.status).toBe(403);
  expect(refused.data).toMatchObject({
    intent: "deleteComment",
    ok: false,
    postId: questionId,
    message: "You can only delete your own comments.",
    values: { commentId: String(commentId) },
  });

  const document = await renderThread(questionId, [listed(commentId), listed(commentId + 1000)], refused.data);
  const alerts = DomUtils.findAll((el) => el.attribs.role === "alert", document.children);
  expect(alerts).toHaveLength(1);
  const item = DomUtils.findOne((el) => el.attribs.id === `comment-${commentId}`, document.children);
  expect(item && DomUtils.textContent(item)).toContain("You can only delete your own comments.");
});

test("a comment already deleted, or on another question, is refused with the message atop the thread", async () => {
  const { db } = database;
  const ann = await makePerson(db, { name: "Ann" });
  const spaceId = await makeSpace(db);
  const questionId = await makeQuestion(db, ann, spaceId);
  const { commentId } = await addComment(db, { postId: questionId, actor: ann, body: "Is the cable in the hub?" });
  await deleteComment(db, { commentId, actor: ann });

  const gone = await refusedDeletion(questionId, commentId);
  expect(gone.status).toBe(404);
  expect(gone.data).toMatchObject({
    postId: questionId,
    message: "This comment doesn't exist or was already deleted.",
  });
  const document = await renderThread(questionId, [], gone.data);
  const alert = DomUtils.findOne((el) => el.attribs.role === "alert", document.children);
  expect(alert && DomUtils.textContent(alert)).toBe("This comment doesn't exist or was already deleted.");

  const otherQuestion = await makeQuestion(db, ann, spaceId);
  const other = await addComment(db, { postId: otherQuestion, actor: ann, body: "Is the screen switched on?" });
  const elsewhere = await refusedDeletion(questionId, other.commentId);
  expect(elsewhere.status).toBe(404);
  expect(elsewhere.data).toMatchObject({ postId: questionId, values: { commentId: String(other.commentId) } });
  expect(elsewhere.data.message).toContain("isn't on this question");
});
