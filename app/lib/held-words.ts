/**
 * What a silence holds, in words: "2 posts and 1 session question" (posts here are questions, answers, how-tos and
 * comments alike, as their authors call them). Shared by the moderators' list and the notice to the person.
 */
export function heldWords(posts: number, sessionQuestions: number): string {
  return [
    posts > 0 ? `${posts} ${posts === 1 ? "post" : "posts"}` : "",
    sessionQuestions > 0 ? `${sessionQuestions} session ${sessionQuestions === 1 ? "question" : "questions"}` : "",
  ]
    .filter(Boolean)
    .join(" and ");
}
