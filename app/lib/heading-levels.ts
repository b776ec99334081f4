/**
 * The level a stored post's top heading gets (renderMarkdown in markdown.server.ts; the editor's preview asks for the
 * same): where the text is shown decides it, so a screen reader's list of headings nests
 * (a post's "# Steps" under the question's h1 is an h2; in an answer, under the page's "N answers" h2, an h3) and no
 * level is skipped. The text's levels keep their order: the highest one used becomes this level, the next one
 * below it one deeper, and so on, and no heading is more than one level below the heading before it.
 */
export const HEADING_LEVEL = {
  /** Under the page's h1 (a how-to's body is shown on its revisions and in previews). */
  question: 2,
  howto: 2,
  discussion: 2,
  sessionDescription: 2,
  /** Under the question page's "N answers" h2. */
  answer: 3,
  /** Under "Before you start" (h2). */
  prerequisites: 3,
  /** Under a session's "Questions and answers" (h2). */
  sessionAnswer: 3,
  /** Under the step's "Step N" (h3). */
  step: 4,
} as const;
