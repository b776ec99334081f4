/** View types for imported posts' sources, shared by the model and the question page's components. */

export type PostSource = { url: string; authorName: string; authorUrl: string | null; license: string };
