/** The Save link a signed-out reader gets: it reads "Save" and tells screen-reader users that saving needs sign-in. */
import { DomUtils, parseDocument } from "htmlparser2";
import type { Element } from "domhandler";
import { renderToStaticMarkup } from "react-dom/server";
import { StaticRouter } from "react-router-dom/server";
import { SaveButton } from "./SaveButton";

function renderSignedOut(noun: "question" | "how-to", at: string) {
  const html = renderToStaticMarkup(
    <StaticRouter location={at}>
      <SaveButton postId={7} isSaved={null} noun={noun} isSignedIn={false} />
    </StaticRouter>,
  );
  const document = parseDocument(html);
  const links = DomUtils.findAll((el) => el.name === "a", document.children);
  expect(links).toHaveLength(1);
  const link = links[0] as Element;
  const hidden = DomUtils.findAll((el) => (el.attribs.class ?? "").split(" ").includes("sr-only"), [link]);
  return {
    link,
    // The link has no aria-label, so its accessible name is its whole text, screen-reader-only words included.
    name: DomUtils.textContent(link),
    visible: DomUtils.textContent(link).replace(hidden.map((el) => DomUtils.textContent(el)).join(""), ""),
  };
}

test("signed out, Save on a question is a link to sign in named 'Save this question for later (sign in)'", () => {
  const { link, name, visible } = renderSignedOut("question", "/q/7/printers?tab=votes");
  expect(name).toBe("Save this question for later (sign in)");
  // What is seen starts the name, so "click Save" works for voice control users.
  expect(visible).toBe("Save");
  expect(link.attribs.href).toBe(`/signin?redirectTo=${encodeURIComponent("/q/7/printers?tab=votes")}`);
});

test("signed out, Save on a how-to names the how-to", () => {
  expect(renderSignedOut("how-to", "/howtos/3").name).toBe("Save this how-to for later (sign in)");
});
