/**
 * Answer cards from the HTML fragment cache (app/lib/cached-html*.ts): the page a reader gets is byte for byte the
 * page rendered without the cache (so hydration matches), for every kind of viewer, and a change to the answer, its
 * comments or the viewer's permissions renders the card again instead of showing the stored one. The same for the
 * question's own part and for the whole answers section (one part holding the cards' parts).
 */
import { PassThrough } from "node:stream";
import type { ReactElement } from "react";
import { renderToPipeableStream } from "react-dom/server";
import { StaticRouterProvider, createStaticHandler, createStaticRouter } from "react-router-dom/server";
import { AnswerCard, type AnswerCardItem } from "~/components/AnswerCard";
import { AnswersSection } from "~/components/AnswersSection";
import type { CommentItem } from "~/components/CommentThread";
import { KeptHtmlProvider, commentBodyId, postBodyId } from "~/components/PostHtml";
import { QaPageProvider, type QaPageState, type ViewerData } from "~/components/QaPageContext";
import { HtmlFragmentsProvider } from "~/lib/cached-html";
import { type HtmlFragmentCache, createHtmlFragmentCache } from "~/lib/cached-html.server";
import { questionFormAction } from "~/lib/qa";
import { QuestionPost, type QuestionPostProps } from "~/components/QuestionPost";

const answer = (id: number, overrides: Partial<AnswerCardItem> = {}): AnswerCardItem => ({
  id,
  isAccepted: false,
  authorName: `Member ${id}`,
  authorHandle: `member-${id}`,
  score: 3,
  bodyHtml: null,
  thanks: 1,
  revisionCount: 2,
  createdAt: new Date("2026-11-02T10:00:00Z"),
  updatedAt: new Date("2026-11-03T10:00:00Z"),
  deletedAt: null,
  comments: [
    {
      id: id * 10,
      bodyHtml: null,
      createdAt: new Date("2026-11-04T10:00:00Z"),
      deletedAt: null,
      authorName: "Ann",
      authorHandle: null,
    },
    {
      id: id * 10 + 1,
      bodyHtml: null,
      createdAt: new Date("2026-11-05T10:00:00Z"),
      deletedAt: null,
      authorName: "Bo",
      authorHandle: "bo",
    },
  ],
  ...overrides,
});

const permissions = {
  myVote: 0 as const,
  canVote: true,
  voteHint: null,
  canEdit: false,
  canDelete: false,
  isOwn: false,
};

function viewer(overrides: Partial<ViewerData> = {}): ViewerData {
  return {
    isSignedIn: true,
    canAnswer: true,
    canComment: true,
    canAccept: false,
    canInvite: false,
    posts: {
      1: { ...permissions, canRestore: false, isDeleted: false, canThank: true },
      2: { ...permissions, myVote: 1, canRestore: false, isDeleted: false, canThank: true },
      3: {
        ...permissions,
        canVote: false,
        voteHint: "You can't vote on your own answer.",
        canEdit: true,
        canDelete: true,
        canRestore: false,
        isDeleted: false,
        canThank: false,
        isOwn: true,
      },
    },
    comments: { 10: { canDelete: false }, 11: { canDelete: true } },
    answerDraft: null,
    isFollowing: false,
    isSaved: false,
    mentor: null,
    feedback: null,
    thanks: { 1: { canThank: true, hasThanked: false }, 2: { canThank: true, hasThanked: true } },
    closing: null,
    ...overrides,
  };
}

/** Bodies the loader kept out of the data (html-once.server.ts), with markup that needs escaping-free passing through. */
function keptFor(answers: AnswerCardItem[], edited = "") {
  const kept = new Map<string, string>();
  for (const a of answers) {
    kept.set(postBodyId(a.id), `<p>Answer <strong>${a.id}</strong> &amp; more${edited}</p>`);
    for (const c of a.comments) kept.set(commentBodyId(c.id), `Comment <code>${c.id}</code>`);
  }
  return kept;
}

async function renderPage({
  answers,
  state,
  kept,
  cache,
  url = "http://forum.test/q/7/printers",
  question,
  section = false,
}: {
  /** The cards inside the answers section (AnswersSection.tsx), itself one cached part, instead of one by one. */
  section?: boolean;
  /** The question's own part, rendered before the cards when given. */
  question?: QuestionPostProps;
  answers: AnswerCardItem[];
  state: Omit<QaPageState, "questionId" | "isHydrated" | "actionResult" | "formAction"> & Partial<QaPageState>;
  kept: Map<string, string>;
  cache: HtmlFragmentCache | null;
  url?: string;
}): Promise<string> {
  const page = (
    <QaPageProvider
      value={{
        questionId: 7,
        isHydrated: false,
        actionResult: undefined,
        formAction: questionFormAction(new URL(url)),
        ...state,
      }}
    >
      <main>
        <h1>Question</h1>
        {question ? <QuestionPost {...question} /> : null}
        {section ? (
          <AnswersSection answers={answers} sources={{}} />
        ) : (
          answers.map((a) => <AnswerCard key={a.id} answer={a} source={undefined} />)
        )}
      </main>
    </QaPageProvider>
  );
  const handler = createStaticHandler([{ path: "/q/:id/:slug", element: page }]);
  const context = await handler.query(new Request(url));
  if (context instanceof Response) throw new Error("unexpected response");
  const router = createStaticRouter(handler.dataRoutes, context);
  const tree: ReactElement = (
    <KeptHtmlProvider value={kept}>
      <HtmlFragmentsProvider value={cache ? cache.forRequest(kept) : null}>
        <StaticRouterProvider router={router} context={context} hydrate={false} />
      </HtmlFragmentsProvider>
    </KeptHtmlProvider>
  );
  return new Promise((resolve, reject) => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on("data", (chunk: Buffer) => chunks.push(chunk));
    // React 18.3's stream writer pads its 2,048-byte buffer with NUL bytes when a multi-byte character does not fit
    // (writeStringChunk sends the whole view); browsers drop them from text, so they are no difference here.
    out.on("end", () => resolve(Buffer.concat(chunks).toString("utf8").replaceAll("\u0000", "")));
    const { pipe } = renderToPipeableStream(tree, {
      onAllReady: () => pipe(out),
      onShellError: reject,
      onError: reject,
    });
  });
}

const signInHref = "/signin?redirectTo=%2Fq%2F7%2Fprinters";
const answers = [answer(1), answer(2, { isAccepted: true, score: 9 }), answer(3, { thanks: 0 })];

describe("answer cards from the HTML fragment cache", () => {
  const variants: [string, QaPageState["viewer"], boolean][] = [
    ["another member", viewer(), true],
    ["the asker (accept buttons)", viewer({ canAccept: true }), true],
    ["a signed-out reader", null, false],
    ["a signed-in reader without the viewer's state", null, true],
  ];
  test.each(variants)(
    "for %s the cached page is the page rendered without the cache, first and second time",
    async (_, v, isSignedIn) => {
      const cache = createHtmlFragmentCache({ maxBytes: 1_000_000 });
      const state = { viewer: v, isSignedIn, signInHref };
      const kept = keptFor(answers);
      const plain = await renderPage({ answers, state, kept, cache: null });
      expect(plain).toContain("Answer <strong>2</strong>");
      expect(await renderPage({ answers, state, kept, cache })).toBe(plain);
      expect(cache.stats()).toMatchObject({ misses: 3, hits: 0 });
      expect(await renderPage({ answers, state, kept: keptFor(answers), cache })).toBe(plain);
      expect(cache.stats()).toMatchObject({ misses: 3, hits: 3 });
    },
  );

  test("an equal copy of an answer finds the entry its original stored (keys are by content, not by object)", async () => {
    const cache = createHtmlFragmentCache({ maxBytes: 1_000_000 });
    const state = { viewer: viewer(), isSignedIn: true, signInHref };
    const first = await renderPage({ answers, state, kept: keptFor(answers), cache });
    const copies = answers.map((a) => ({ ...a, comments: a.comments.map((c) => ({ ...c })) }));
    expect(await renderPage({ answers: copies, state, kept: keptFor(copies), cache })).toBe(first);
    expect(cache.stats()).toMatchObject({ misses: 3, hits: 3 });
  });

  test("a vote, an edit, a comment, an acceptance and a deletion each show at once", async () => {
    const cache = createHtmlFragmentCache({ maxBytes: 1_000_000 });
    const state = { viewer: viewer(), isSignedIn: true, signInHref };
    await renderPage({ answers, state, kept: keptFor(answers), cache });
    const changes: [string, AnswerCardItem[], QaPageState["viewer"], Map<string, string>][] = [
      [
        "my vote",
        answers,
        viewer({
          posts: {
            ...viewer().posts,
            1: { ...permissions, myVote: -1, canRestore: false, isDeleted: false, canThank: true },
          },
        }),
        keptFor(answers),
      ],
      ["a score", [answer(1, { score: 4 }), ...answers.slice(1)], viewer(), keptFor(answers)],
      ["an edit", answers, viewer(), keptFor(answers, " (edited)")],
      [
        "a new comment",
        [
          answer(1, {
            comments: [
              ...answer(1).comments,
              { ...answer(1).comments[0], id: 12 } as AnswerCardItem["comments"][number],
            ],
          }),
          ...answers.slice(1),
        ],
        viewer(),
        keptFor(answers),
      ],
      [
        "an acceptance",
        [answer(1, { isAccepted: true }), answer(2, { score: 9 }), answer(3, { thanks: 0 })],
        viewer(),
        keptFor(answers),
      ],
      [
        "a deletion a moderator sees",
        [answer(1, { deletedAt: new Date("2026-11-06T10:00:00Z") }), ...answers.slice(1)],
        viewer(),
        keptFor(answers),
      ],
    ];
    for (const [what, changed, v, kept] of changes) {
      const withCache = await renderPage({ answers: changed, state: { ...state, viewer: v }, kept, cache });
      const plain = await renderPage({ answers: changed, state: { ...state, viewer: v }, kept, cache: null });
      expect(withCache, what).toBe(plain);
    }
  });

  test("a card with its comment form open or a form's result is rendered as usual, and the rest still come from the cache", async () => {
    const cache = createHtmlFragmentCache({ maxBytes: 1_000_000 });
    const state = { viewer: viewer(), isSignedIn: true, signInHref };
    const kept = keptFor(answers);
    await renderPage({ answers, state, kept, cache });
    const url = "http://forum.test/q/7/printers?comment=2";
    const open = await renderPage({ answers, state, kept, cache, url });
    expect(open).toBe(await renderPage({ answers, state, kept, cache: null, url }));
    expect(open).toContain("Your comment on this answer");
    const failed = { intent: "vote", postId: 1, ok: false, message: "Votes are paused." };
    const withResult = await renderPage({ answers, state: { ...state, actionResult: failed }, kept, cache });
    expect(withResult).toContain("Votes are paused.");
    expect(withResult).toBe(
      await renderPage({ answers, state: { ...state, actionResult: failed }, kept, cache: null }),
    );
  });

  test("an address with other query parameters gets the same cards from the cache; ?stay=1 is kept in the forms", async () => {
    const cache = createHtmlFragmentCache({ maxBytes: 1_000_000 });
    for (const [state, posts] of [
      [{ viewer: null, isSignedIn: false, signInHref }, 'action="/q/7/printers"'],
      [{ viewer: viewer(), isSignedIn: true, signInHref }, 'action="/q/7/printers"'],
    ] as const) {
      const kept = keptFor(answers);
      const plain = await renderPage({ answers, state, kept, cache: null });
      expect(plain).toContain(posts);
      expect(await renderPage({ answers, state, kept, cache })).toBe(plain);
      const before = cache.stats();
      for (const query of ["?utm_source=newsletter", "?_bench=7&x=1", "?duplicate=12"]) {
        const url = `http://forum.test/q/7/printers${query}`;
        const withCache = await renderPage({ answers, state, kept, cache, url });
        // The page without the cache at that address: its forms post to the path alone, so the markup is the same.
        expect(withCache).toBe(await renderPage({ answers, state, kept, cache: null, url }));
        expect(withCache).toBe(plain);
      }
      expect(cache.stats()).toMatchObject({ misses: before.misses, hits: before.hits + 9 });
    }
    const stay = "http://forum.test/q/7/printers?stay=1&utm_source=x";
    const state = { viewer: viewer(), isSignedIn: true, signInHref };
    const kept = keptFor(answers);
    const staying = await renderPage({ answers, state, kept, cache, url: stay });
    expect(staying).toContain('action="/q/7/printers?stay=1"');
    expect(staying).toContain('href="/q/7/printers?stay=1&amp;comment=1#comments-1"');
    expect(staying).toBe(await renderPage({ answers, state, kept, cache: null, url: stay }));
  });

  test("the cache stays within its size, dropping the least recently used cards", async () => {
    const cache = createHtmlFragmentCache({ maxBytes: 40_000 });
    const state = { viewer: viewer(), isSignedIn: true, signInHref };
    for (let round = 0; round < 5; round++) {
      const many = [1, 2, 3].map((n) => answer(n, { score: round }));
      await renderPage({ answers: many, state, kept: keptFor(many), cache });
      expect(cache.stats().bytes).toBeLessThanOrEqual(40_000);
    }
    expect(cache.stats().entries).toBeLessThan(15);
  });
});

describe("the question's own part from the HTML fragment cache", () => {
  const question = (overrides: Partial<QuestionPostProps["question"]> = {}): QuestionPostProps => ({
    question: {
      id: 7,
      score: 4,
      bodyHtml: null,
      revisionCount: 1,
      deletedAt: null,
      spaceId: 1,
      ...overrides,
    },
    comments: answer(7).comments.map((c, i) => ({ ...c, id: 700 + i })),
    canonicalUrl: "http://forum.test/q/7/printers",
    isStaffView: false,
    moveTargets: [],
  });
  const viewerOf = (overrides: Partial<ViewerData> = {}) =>
    viewer({
      posts: {
        ...viewer().posts,
        7: { ...permissions, canRestore: false, isDeleted: false, canThank: false },
      },
      comments: { ...viewer().comments, 700: { canDelete: true } },
      ...overrides,
    });
  const keptWithQuestion = (body = "") => {
    const kept = keptFor(answers);
    kept.set(postBodyId(7), `<p>Printer <em>offline</em>${body}</p>`);
    for (const id of [700, 701]) kept.set(commentBodyId(id), `Question comment ${id}`);
    return kept;
  };

  test.each([
    ["another member", viewerOf(), true],
    ["a follower", viewerOf({ isFollowing: true }), true],
    ["a signed-out reader", null, false],
  ] as const)("for %s the cached page is the page rendered without the cache", async (_, v, isSignedIn) => {
    const cache = createHtmlFragmentCache({ maxBytes: 1_000_000 });
    const state = { viewer: v, isSignedIn, signInHref };
    const plain = await renderPage({ question: question(), answers, state, kept: keptWithQuestion(), cache: null });
    expect(plain).toContain("Printer <em>offline</em>");
    expect(plain).toContain('id="share-7"');
    const first = await renderPage({ question: question(), answers, state, kept: keptWithQuestion(), cache });
    expect(first).toBe(plain);
    expect(cache.stats()).toMatchObject({ misses: 4, hits: 0 });
    const url = "http://forum.test/q/7/printers?utm_source=mail";
    expect(await renderPage({ question: question(), answers, state, kept: keptWithQuestion(), cache, url })).toBe(
      await renderPage({ question: question(), answers, state, kept: keptWithQuestion(), cache: null, url }),
    );
    expect(cache.stats()).toMatchObject({ misses: 4, hits: 4 });
  });

  test("a vote, an edit, a comment, following and a deletion each show at once", async () => {
    const cache = createHtmlFragmentCache({ maxBytes: 1_000_000 });
    const state = { viewer: viewerOf(), isSignedIn: true, signInHref };
    await renderPage({ question: question(), answers, state, kept: keptWithQuestion(), cache });
    const changes: [string, QuestionPostProps, ViewerData, Map<string, string>][] = [
      ["a score", question({ score: 5 }), viewerOf(), keptWithQuestion()],
      ["an edit", question({ revisionCount: 2 }), viewerOf(), keptWithQuestion(" (edited)")],
      [
        "a new comment",
        { ...question(), comments: [...question().comments, { ...answer(7).comments[0], id: 702 } as CommentItem] },
        viewerOf(),
        keptWithQuestion(),
      ],
      ["following", question(), viewerOf({ isFollowing: true }), keptWithQuestion()],
      [
        "my vote",
        question(),
        viewerOf({
          posts: {
            ...viewer().posts,
            7: { ...permissions, myVote: 1, canRestore: false, isDeleted: false, canThank: false },
          },
        }),
        keptWithQuestion(),
      ],
      [
        "a deletion a moderator sees",
        question({ deletedAt: new Date("2026-11-06T10:00:00Z") }),
        viewerOf(),
        keptWithQuestion(),
      ],
    ];
    for (const [what, q, v, kept] of changes) {
      const withCache = await renderPage({ question: q, answers, state: { ...state, viewer: v }, kept, cache });
      const plain = await renderPage({ question: q, answers, state: { ...state, viewer: v }, kept, cache: null });
      expect(withCache, what).toBe(plain);
    }
  });

  test("staff's move form, an opened comment form and a form's result are rendered as usual", async () => {
    const cache = createHtmlFragmentCache({ maxBytes: 1_000_000 });
    const state = { viewer: viewerOf(), isSignedIn: true, signInHref };
    const staff = { ...question(), isStaffView: true, moveTargets: [{ id: 2, name: "Printing" }] };
    const moving = await renderPage({ question: staff, answers, state, kept: keptWithQuestion(), cache });
    expect(moving).toContain("Printing");
    expect(moving).toBe(await renderPage({ question: staff, answers, state, kept: keptWithQuestion(), cache: null }));
    const url = "http://forum.test/q/7/printers?comment=7";
    const open = await renderPage({ question: question(), answers, state, kept: keptWithQuestion(), cache, url });
    expect(open).toContain("Your comment on this question");
    expect(open).toBe(
      await renderPage({ question: question(), answers, state, kept: keptWithQuestion(), cache: null, url }),
    );
    // Only the three answer cards were stored: the question's part was rendered with the page each time.
    expect(cache.stats().entries).toBe(3);
  });
});

describe("the answers section as one cached part holding the cards", () => {
  const variants: [string, QaPageState["viewer"], boolean][] = [
    ["another member", viewer(), true],
    ["the asker (accept buttons)", viewer({ canAccept: true }), true],
    ["a signed-out reader", null, false],
  ];
  test.each(variants)("for %s the cached page is the page rendered without the cache", async (_, v, isSignedIn) => {
    const cache = createHtmlFragmentCache({ maxBytes: 1_000_000 });
    const state = { viewer: v, isSignedIn, signInHref };
    const plain = await renderPage({ answers, state, kept: keptFor(answers), cache: null, section: true });
    expect(plain).toContain('<section aria-labelledby="answers-heading" class="space-y-4"><h2 id="answers-heading"');
    expect(plain).toContain("Answer <strong>3</strong>");
    // The section and, inside its own render, each card: stored once each.
    expect(await renderPage({ answers, state, kept: keptFor(answers), cache, section: true })).toBe(plain);
    expect(cache.stats()).toMatchObject({ misses: 4, hits: 0 });
    // Then the section alone, whole.
    expect(await renderPage({ answers, state, kept: keptFor(answers), cache, section: true })).toBe(plain);
    expect(cache.stats()).toMatchObject({ misses: 4, hits: 1 });
    // The same markup as the cards rendered one by one, inside the section's element.
    const cards = await renderPage({ answers, state, kept: keptFor(answers), cache: null });
    expect(
      plain.replace(/<section aria-labelledby="answers-heading".*?<\/p>/s, "").replace("</section></main>", "</main>"),
    ).toBe(cards);
  });

  test("a section for another viewer takes the cards it shares from the card cache; a draft changes nothing", async () => {
    const cache = createHtmlFragmentCache({ maxBytes: 1_000_000 });
    const state = { viewer: viewer(), isSignedIn: true, signInHref };
    await renderPage({ answers, state, kept: keptFor(answers), cache, section: true });
    expect(cache.stats()).toMatchObject({ misses: 4, hits: 0 });
    const typing = { ...state, viewer: viewer({ answerDraft: "Half an answer" }) };
    await renderPage({ answers, state: typing, kept: keptFor(answers), cache, section: true });
    expect(cache.stats()).toMatchObject({ misses: 4, hits: 1 });
    // Someone who voted on the first answer: a new section, a new first card, the other two cards from the cache.
    const voted = viewer({
      posts: {
        ...viewer().posts,
        1: { ...permissions, myVote: 1, canRestore: false, isDeleted: false, canThank: true },
      },
    });
    const theirs = await renderPage({
      answers,
      state: { ...state, viewer: voted },
      kept: keptFor(answers),
      cache,
      section: true,
    });
    expect(cache.stats()).toMatchObject({ misses: 6, hits: 3 });
    expect(theirs).toBe(
      await renderPage({
        answers,
        state: { ...state, viewer: voted },
        kept: keptFor(answers),
        cache: null,
        section: true,
      }),
    );
  });

  test("a vote, an edit, a comment, an acceptance and a deletion each show at once", async () => {
    const cache = createHtmlFragmentCache({ maxBytes: 1_000_000 });
    const state = { viewer: viewer(), isSignedIn: true, signInHref };
    await renderPage({ answers, state, kept: keptFor(answers), cache, section: true });
    const changes: [string, AnswerCardItem[], Map<string, string>][] = [
      ["a score", [answer(1, { score: 4 }), ...answers.slice(1)], keptFor(answers)],
      ["an edit", answers, keptFor(answers, " (edited)")],
      [
        "a new comment",
        [
          answer(1, {
            comments: [...answer(1).comments, { ...answer(1).comments[0], id: 12 } as CommentItem],
          }),
          ...answers.slice(1),
        ],
        keptFor(answers),
      ],
      [
        "an acceptance",
        [answer(1, { isAccepted: true }), answer(2, { score: 9 }), answer(3, { thanks: 0 })],
        keptFor(answers),
      ],
      ["a new answer", [...answers, answer(4)], keptFor([...answers, answer(4)])],
      [
        "a deletion a moderator sees",
        [answer(1, { deletedAt: new Date("2026-11-06T10:00:00Z") }), ...answers.slice(1)],
        keptFor(answers),
      ],
    ];
    for (const [what, changed, kept] of changes) {
      const withCache = await renderPage({ answers: changed, state, kept, cache, section: true });
      expect(withCache, what).toBe(await renderPage({ answers: changed, state, kept, cache: null, section: true }));
    }
    expect(
      await renderPage({
        answers: [...answers, answer(4)],
        state,
        kept: keptFor([...answers, answer(4)]),
        cache,
        section: true,
      }),
    ).toContain("4<!-- --> <!-- -->answers");
  });

  test("an answer's opened comment form or a form's result renders the section as usual; the question's comment form does not", async () => {
    const cache = createHtmlFragmentCache({ maxBytes: 1_000_000 });
    const state = { viewer: viewer(), isSignedIn: true, signInHref };
    const kept = keptFor(answers);
    await renderPage({ answers, state, kept, cache, section: true });
    const before = cache.stats();
    const url = "http://forum.test/q/7/printers?comment=2";
    const open = await renderPage({ answers, state, kept, cache, url, section: true });
    expect(open).toContain("Your comment on this answer");
    expect(open).toBe(await renderPage({ answers, state, kept, cache: null, url, section: true }));
    // Not the section: the two other cards from the cache, the second rendered as usual.
    expect(cache.stats()).toMatchObject({ misses: before.misses, hits: before.hits + 2 });
    const failed = { intent: "vote", postId: 1, ok: false, message: "Votes are paused." };
    const withResult = await renderPage({
      answers,
      state: { ...state, actionResult: failed },
      kept,
      cache,
      section: true,
    });
    expect(withResult).toContain("Votes are paused.");
    expect(withResult).toBe(
      await renderPage({ answers, state: { ...state, actionResult: failed }, kept, cache: null, section: true }),
    );
    const questionComment = "http://forum.test/q/7/printers?comment=7";
    const hits = cache.stats().hits;
    expect(await renderPage({ answers, state, kept, cache, url: questionComment, section: true })).toBe(
      await renderPage({ answers, state, kept, cache: null, url: questionComment, section: true }),
    );
    expect(cache.stats().hits).toBe(hits + 1);
  });
});
