/** View types for revision diffs, shared by the server models and the components that draw them. */

export type DiffPart = { op: "same" | "added" | "removed"; text: string };
