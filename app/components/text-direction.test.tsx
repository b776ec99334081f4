/**
 * Text people write (titles, bodies, comments, names) takes its own direction (`dir="auto"`), so an Arabic or Hebrew
 * title reads right to left with its "(Windows 11)" on the correct side; the site's own words beside it stay as they are.
 */
import type { ReactElement } from "react";
import { renderToString } from "react-dom/server";
import { StaticRouterProvider, createStaticHandler, createStaticRouter } from "react-router-dom/server";
import { AnswerCard, type AnswerCardItem } from "~/components/AnswerCard";
import { QaPageProvider } from "~/components/QaPageContext";
import { QuestionList, type QuestionListItem } from "~/components/QuestionList";

const title = "كيف أصلح اتصال VPN في المكتب؟ (Windows 11)";
const askerName = "ليلى حداد";
const answererName = "דוד כהן";
const commenterName = "سارة";

const question: QuestionListItem = {
  id: 7,
  title,
  score: 2,
  answerCount: 1,
  isSolved: false,
  isPlainLanguage: false,
  lastActivityAt: new Date("2026-11-02T10:00:00Z"),
  author: { name: askerName, handle: "layla" },
  space: { slug: "it", name: "IT help" },
  tags: ["vpn"],
};

const answer: AnswerCardItem = {
  id: 8,
  isAccepted: false,
  authorName: answererName,
  authorHandle: null,
  score: 1,
  bodyHtml: "<p>נסו להפעיל מחדש את הלקוח.</p>",
  thanks: 0,
  revisionCount: 1,
  createdAt: new Date("2026-11-02T10:00:00Z"),
  updatedAt: new Date("2026-11-02T10:00:00Z"),
  deletedAt: null,
  comments: [
    {
      id: 80,
      bodyHtml: "شكرا، نجح ذلك",
      createdAt: new Date("2026-11-03T10:00:00Z"),
      deletedAt: null,
      authorName: commenterName,
      authorHandle: "sara",
    },
  ],
};

async function render(element: ReactElement): Promise<string> {
  const url = "http://forum.test/q/7/vpn";
  const page = (
    <QaPageProvider
      value={{
        questionId: 7,
        viewer: null,
        isHydrated: false,
        isSignedIn: false,
        signInHref: "/signin",
        formAction: "/q/7/vpn",
        actionResult: undefined,
      }}
    >
      {element}
    </QaPageProvider>
  );
  const handler = createStaticHandler([{ path: "/q/:id/:slug", element: page }]);
  const context = await handler.query(new Request(url));
  if (context instanceof Response) throw new Error("unexpected response");
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToString(<StaticRouterProvider router={router} context={context} hydrate={false} />);
}

/** The opening tag of the element whose text starts with `text` (the tag right before it). */
function tagBefore(html: string, text: string): string {
  const at = html.indexOf(`>${text}`) + 1;
  expect(at, `an element starting with "${text}"`).toBeGreaterThan(0);
  return html.slice(html.lastIndexOf("<", at - 1), at);
}

test("a question's title in a list, its asker's name and its space take their own direction; the counts and labels don't", async () => {
  const html = await render(<QuestionList questions={[question]} emptyText="No questions" />);
  expect(tagBefore(html, title)).toContain('dir="auto"');
  expect(tagBefore(html, askerName)).toContain('dir="auto"');
  expect(tagBefore(html, "vpn</a>")).toContain('dir="auto"');
  // A space's name is written by its admins, in any language too.
  expect(tagBefore(html, "IT help")).toContain('dir="auto"');
  expect((html.match(/dir="auto"/g) ?? []).length).toBe(5); // heading, title link, tag, name, space: no label or count
});

test("an answer's body, a comment and the people's names take their own direction; the byline's words don't", async () => {
  const html = await render(<AnswerCard answer={answer} source={undefined} />);
  expect(tagBefore(html, "<p>נסו")).toContain('dir="auto"');
  expect(tagBefore(html, "<p>נסו")).toContain('id="post-body-8"');
  expect(tagBefore(html, "شكرا، نجح ذلك")).toContain('dir="auto"');
  expect(tagBefore(html, answererName)).toContain('dir="auto"');
  expect(tagBefore(html, commenterName)).toContain('dir="auto"');
  expect(tagBefore(html, "Answered<!-- --> by")).not.toContain("dir=");
  expect(tagBefore(html, "Sign in to comment")).not.toContain("dir=");
  expect(html).not.toMatch(/<(article|div|p|li)[^>]*dir="auto"[^>]*>[^<]*(Answered|Flag|Sign in)/);
});
