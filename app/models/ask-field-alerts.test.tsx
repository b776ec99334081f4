/**
 * The refused /ask form, as a screen reader meets it: one alert (the summary at the top, which takes focus), and each
 * field's own message tied to its field (aria-describedby, aria-invalid) instead of being one more alert.
 */
import { DomUtils, parseDocument } from "htmlparser2";
import type { Element } from "domhandler";
import { renderToString } from "react-dom/server";
import { StaticRouterProvider, createStaticHandler, createStaticRouter } from "react-router-dom/server";
import Ask from "~/routes/ask";

const loaderData = {
  spaces: [{ id: 1, name: "Networking", slug: "networking", isPlainLanguage: false }],
  initial: { title: "", body: "", tags: "", spaceId: "", audience: "technical", anonymous: "" },
  hasDraft: false,
  wasDiscarded: false,
  invitee: null,
  idempotencyKey: "0f8fad5b-d9cb-469f-a165-70867728950e",
};

/** What the ask action answers when every field is refused. */
const refused = {
  fieldErrors: {
    spaceId: "Choose the space your question belongs in.",
    title: "Make the title at least 15 characters.",
    body: "Add a few more details: at least 30 characters.",
    tags: "Add at least one tag, or ask for a plain-language answer.",
    audience: "Choose how answers should be written: plain language or technical.",
  },
  values: { title: "VPN", body: "broken", tags: "", spaceId: "" },
  formError: "Please fix the highlighted fields; nothing you typed was lost.",
};

async function renderRefusedAsk(): Promise<Element[]> {
  const handler = createStaticHandler([
    { id: "routes/ask", path: "/ask", loader: () => loaderData, action: () => refused, Component: Ask },
  ]);
  const context = await handler.query(new Request("http://forum.test/ask", { method: "POST", body: new FormData() }));
  if (context instanceof Response) throw new Error("unexpected response");
  const router = createStaticRouter(handler.dataRoutes, context);
  const html = renderToString(<StaticRouterProvider router={router} context={context} hydrate={false} />);
  return DomUtils.findAll(() => true, parseDocument(html).children);
}

test("a refused question has one alert, the summary; each field's message is described by its field", async () => {
  const elements = await renderRefusedAsk();
  const alerts = elements.filter((el) => el.attribs.role === "alert");
  expect(alerts.map((el) => DomUtils.textContent(el))).toEqual([refused.formError]);

  for (const message of Object.values(refused.fieldErrors)) {
    const shown = elements.find((el) => el.name === "p" && DomUtils.textContent(el) === message);
    expect(shown, message).toBeDefined();
    const id = shown?.attribs.id ?? "";
    expect(id).not.toBe("");
    // The control (or the group of radio buttons) that the message belongs to names it.
    const describedBy = elements.filter((el) => (el.attribs["aria-describedby"] ?? "").split(" ").includes(id));
    expect(describedBy.length, message).toBeGreaterThan(0);
  }
  for (const name of ["spaceId", "title", "body", "tags"]) {
    const control = elements.find((el) => el.attribs.name === name && el.attribs.type !== "hidden");
    expect(control?.attribs["aria-invalid"], name).toBe("true");
  }
});
