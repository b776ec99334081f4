/** Questions-and-answers limits and addresses, shared by the forms in the browser and the rules on the server. */
import { slugify } from "./slug";

export const QA_LIMITS = {
  titleMin: 15,
  titleMax: 150,
  bodyMin: 20,
  bodyMax: 30_000,
  tagsMin: 1,
  tagsMax: 5,
  commentMin: 3,
  commentMax: 600,
  noteMax: 300,
  /** A moderator's reason for deleting someone else's post, told to its author. */
  deleteReasonMax: 500,
} as const;

export const QUESTION_SORTS = ["newest", "active", "unanswered", "top"] as const;
export type QuestionSort = (typeof QUESTION_SORTS)[number];
export const TOP_PERIODS = ["week", "month", "all"] as const;
export type TopPeriod = (typeof TOP_PERIODS)[number];

/** The readable slug after a question's id; the id alone also works, the slug is for people and search engines. */
export function questionSlug(title: string | null | undefined): string {
  return title ? slugify(title, 80) : "";
}

export function questionPath(id: number, title?: string | null): string {
  const slug = questionSlug(title);
  return slug ? `/q/${id}/${slug}` : `/q/${id}`;
}

/**
 * Where a question page's forms post: its path, keeping of its query only `stay=1` (a closed duplicate shown instead of
 * its original, which a form's error page must show again). Everything else in the address (`?comment=`,
 * `?duplicate=`, tracking parameters) changes nothing a post does, so leaving it out keeps the page's answer cards the
 * same markup, and cached once, for every address.
 */
export function questionFormAction(location: { pathname: string; search: string }): string {
  return new URLSearchParams(location.search).get("stay") === "1" ? `${location.pathname}?stay=1` : location.pathname;
}

/** Answers have no page of their own: they live on their question, at an anchor. */
export function answerAnchor(answerId: number): string {
  return `answer-${answerId}`;
}

export function answerPath(questionId: number, questionTitle: string | null | undefined, answerId: number): string {
  return `${questionPath(questionId, questionTitle)}#${answerAnchor(answerId)}`;
}

export type ListParams = {
  sort: QuestionSort;
  period: TopPeriod;
  tag: string | null;
  after: string | null;
  before: string | null;
};

/** Reads a question list's query string (?sort=top&period=week&tag=vpn&after=…); anything unknown falls back to the defaults. */
export function parseListParams(search: URLSearchParams, defaultSort: QuestionSort = "active"): ListParams {
  const sort = search.get("sort");
  const period = search.get("period");
  return {
    sort: (QUESTION_SORTS as readonly string[]).includes(sort ?? "") ? (sort as QuestionSort) : defaultSort,
    period: (TOP_PERIODS as readonly string[]).includes(period ?? "") ? (period as TopPeriod) : "all",
    tag: search.get("tag")?.slice(0, 60) || null,
    after: search.get("after")?.slice(0, 200) || null,
    before: search.get("before")?.slice(0, 200) || null,
  };
}

/** The address of a list page with only the non-default parameters, so links stay short and shareable. */
export function listHref(basePath: string, params: Partial<ListParams>, defaultSort: QuestionSort = "active"): string {
  const search = new URLSearchParams();
  if (params.sort && params.sort !== defaultSort) search.set("sort", params.sort);
  if (params.sort === "top" && params.period && params.period !== "all") search.set("period", params.period);
  if (params.tag) search.set("tag", params.tag);
  if (params.after) search.set("after", params.after);
  if (params.before) search.set("before", params.before);
  const query = search.toString();
  return query ? `${basePath}?${query}` : basePath;
}
