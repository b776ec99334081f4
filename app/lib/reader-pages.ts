/**
 * Which pages signed-out readers get without the Remix client runtime. A route opts in with
 * `export const handle = readerPage;` when everything on it works as plain HTML and the reader script
 * (app/reader/reader.ts) covers what a reader would miss; signed-in people always get the full, live page.
 */
export type ReaderPageHandle = { isReaderPage: true };

export const readerPage: ReaderPageHandle = { isReaderPage: true };

export function isReaderPageHandle(handle: unknown): boolean {
  return Boolean(handle && typeof handle === "object" && "isReaderPage" in handle && handle.isReaderPage === true);
}
