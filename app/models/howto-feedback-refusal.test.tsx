/**
 * "Did this help?" on a how-to, refused: the reader's comment comes back in its field with the message, also when the
 * page now says rating is closed to them (a suspended account, as the page loaded after the post without JavaScript).
 */
import { DomUtils, parseDocument } from "htmlparser2";
import { renderToString } from "react-dom/server";
import { StaticRouterProvider, createStaticHandler, createStaticRouter } from "react-router-dom/server";
import { FeedbackForm, type HowtoActionResult, type HowtoViewerJson } from "~/components/HowtoFeedback";

const suspended: HowtoViewerJson = {
  isSignedIn: true,
  isAuthor: false,
  myFeedback: null,
  canRate: false,
  rateHint: "Your account is suspended.",
  canEdit: false,
  canSuggest: false,
  canDelete: false,
  canRestore: false,
  canReviewSuggestions: false,
  pendingSuggestions: 0,
  feedbackComments: null,
  isFollowing: false,
  isSaved: false,
};

async function renderForm(viewer: HowtoViewerJson, pageResult: HowtoActionResult | undefined) {
  const page = (
    <FeedbackForm
      viewer={viewer}
      isSignedIn
      isHydrated={false}
      signInHref="/signin"
      pageResult={pageResult}
      justSaved={false}
    />
  );
  const handler = createStaticHandler([{ path: "/howtos/:id", element: page }]);
  const context = await handler.query(new Request("http://forum.test/howtos/4"));
  if (context instanceof Response) throw new Error("unexpected response");
  const router = createStaticRouter(handler.dataRoutes, context);
  return parseDocument(renderToString(<StaticRouterProvider router={router} context={context} hydrate={false} />));
}

const comment = "Step 3 needs the admin password, which I don't have.";

test("a refused answer keeps the typed comment in its field with the message, though rating is now closed", async () => {
  const refused: HowtoActionResult = {
    intent: "feedback",
    ok: false,
    message: "You can't rate this how-to.",
    values: { answer: "no", comment },
  };
  const document = await renderForm(suspended, refused);
  const field = DomUtils.findOne((el) => el.name === "textarea" && el.attribs.name === "comment", document.children);
  expect(field && DomUtils.textContent(field).trim()).toBe(comment);
  const alert = DomUtils.findOne((el) => el.attribs.role === "alert", document.children);
  expect(alert && DomUtils.textContent(alert)).toBe("You can't rate this how-to.");
});

test("a message about the comment itself shows under the field, with the comment kept", async () => {
  const tooLong = "x".repeat(20);
  const document = await renderForm(suspended, {
    intent: "feedback",
    ok: false,
    message: "Keep the comment to 1,000 characters (it has 1,020).",
    fieldErrors: { comment: "Keep the comment to 1,000 characters (it has 1,020)." },
    values: { answer: "yes", comment: tooLong },
  });
  const field = DomUtils.findOne((el) => el.name === "textarea" && el.attribs.name === "comment", document.children);
  expect(field && DomUtils.textContent(field).trim()).toBe(tooLong);
  expect(field?.attribs["aria-invalid"]).toBe("true");
});

test("without a refusal, a reader who can't rate sees why, and no form", async () => {
  const document = await renderForm(suspended, undefined);
  expect(DomUtils.findOne((el) => el.name === "form", document.children)).toBeNull();
  expect(DomUtils.textContent(document)).toContain("Your account is suspended.");
});
