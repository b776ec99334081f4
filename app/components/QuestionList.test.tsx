/** A question list says in words which questions are closed, and where a closed duplicate's link leads. */
import type { ReactElement } from "react";
import { renderToString } from "react-dom/server";
import { StaticRouterProvider, createStaticHandler, createStaticRouter } from "react-router-dom/server";
import { QuestionList, type QuestionListItem } from "~/components/QuestionList";

function question(id: number, title: string, closure: QuestionListItem["closure"]): QuestionListItem {
  return {
    id,
    title,
    score: 0,
    answerCount: 0,
    isSolved: false,
    isPlainLanguage: false,
    lastActivityAt: new Date("2026-11-02T10:00:00Z"),
    author: { name: "Dana Okafor", handle: "dana" },
    space: { slug: "it", name: "IT help" },
    tags: ["vpn"],
    closure,
  };
}

async function render(element: ReactElement): Promise<string> {
  const handler = createStaticHandler([{ path: "/questions", element }]);
  const context = await handler.query(new Request("http://forum.test/questions"));
  if (context instanceof Response) throw new Error("unexpected response");
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToString(<StaticRouterProvider router={router} context={context} hydrate={false} />);
}

/** The list item holding `title`, with its tags and comments taken out so its words can be read. */
function itemText(html: string, title: string): string {
  const item = html.split("<li").find((part) => part.includes(title)) ?? "";
  return item
    .replace(/<!-- -->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ");
}

test("a closed question says so in words, a duplicate names and links its original, an open one says nothing", async () => {
  const html = await render(
    <QuestionList
      emptyText="No questions"
      questions={[
        question(94, "VPN password reset at home: how?", {
          reason: "duplicate",
          original: { id: 39, title: "How do I reset my VPN password from home?" },
        }),
        question(95, "Which pizza place near the office is best?", { reason: "off_topic", original: null }),
        question(96, "Printer shows offline", { reason: "needs_details", original: null }),
        question(97, "Old duplicate whose original was deleted", { reason: "duplicate", original: null }),
        question(98, "Why does Outlook ask for my password every morning?", null),
      ]}
    />,
  );
  expect(itemText(html, "VPN password reset")).toContain(
    "Closed as a duplicate of How do I reset my VPN password from home?",
  );
  expect(html).toContain('href="/q/39/how-do-i-reset-my-vpn-password-from-home"');
  expect(itemText(html, "pizza")).toContain("Closed as off-topic");
  expect(itemText(html, "Printer shows offline")).toContain("Closed until it has more details");
  expect(itemText(html, "Old duplicate")).toContain("Closed as a duplicate");
  expect(itemText(html, "Outlook")).not.toContain("Closed");
});
