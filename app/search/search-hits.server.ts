/** The embedded engine's result rows as hits (highlighted title and snippets) and facet counts. */
import { type QueryLexeme, markMatches, markedToHtml } from "./highlight";
import { type FacetCounts, SEARCH_KINDS, type SearchHit, type SearchKind } from "./types";

/** Snippets are cut from the start of the body; a match further in still finds the post, the snippet shows its start. */
export const SNIPPET_SOURCE_CHARS = 4000;
const SNIPPET_WORDS = 32;

export type HitRow = {
  id: number;
  kind: SearchKind;
  question_id: number | null;
  title: string;
  body_text: string;
  space_slug: string;
  space_name: string;
  tags: string[];
  author_name: string;
  is_plain_language: boolean;
  is_solved: boolean;
  answer_count: number;
  score: number;
  created_ms: number | string;
  answer_id: number | null;
  answer_text: string | null;
  answer_is_accepted: boolean | null;
  answer_score: number | null;
};

export type FacetRow = {
  kind: Record<string, number> | null;
  space: Record<string, number> | null;
  tag: Record<string, number> | null;
  solved: number;
  unanswered: number;
  plain: number;
};

/**
 * Highlights are marked here rather than with ts_headline, which cost half a millisecond per hit: the query's own
 * lexemes mark the words they stem from, and the snippet is cropped around the first match.
 */
export function toHit(row: HitRow, lexemes: QueryLexeme[]): SearchHit {
  return {
    id: row.id,
    kind: row.kind,
    questionId: row.question_id,
    title: row.title,
    titleHtml: markedToHtml(markMatches(row.title, lexemes)),
    snippetHtml: markedToHtml(markMatches(row.body_text, lexemes, SNIPPET_WORDS)),
    spaceSlug: row.space_slug,
    spaceName: row.space_name,
    tags: row.tags,
    authorName: row.author_name,
    isPlainLanguage: row.is_plain_language,
    isSolved: row.is_solved,
    answerCount: row.answer_count,
    score: row.score,
    createdAt: Math.round(Number(row.created_ms)),
    answer:
      row.answer_id === null
        ? null
        : {
            id: row.answer_id,
            snippetHtml: markedToHtml(markMatches(row.answer_text ?? "", lexemes, SNIPPET_WORDS)),
            isAccepted: row.answer_is_accepted ?? false,
            score: row.answer_score ?? 0,
          },
  };
}

export function toFacets(row: FacetRow): FacetCounts {
  const kind: Partial<Record<SearchKind, number>> = {};
  for (const [value, count] of Object.entries(row.kind ?? {})) {
    const known = SEARCH_KINDS.find((k) => k === value);
    if (known) kind[known] = Number(count);
  }
  return {
    kind,
    space: row.space ?? {},
    tag: row.tag ?? {},
    solved: Number(row.solved),
    unanswered: Number(row.unanswered),
    plainLanguage: Number(row.plain),
  };
}
