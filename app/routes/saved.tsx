/**
 * /saved: the signed-in person's "Saved for later" list of questions and how-tos; POST saves or unsaves one (the
 * Save button's fetcher gets JSON; a plain form returns to the page it came from).
 */
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useRef } from "react";
import { z } from "zod";
import { requireUser, safeRedirectPath } from "~/auth/session.server";
import { PastLastPage } from "~/components/PastLastPage";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { RelativeTime } from "~/components/RelativeTime";
import { FormAlert } from "~/components/ui/Field";
import { toWriteFailure } from "~/lib/write-failure.server";
import { consumeWriteLimit } from "~/models/rate-limits.server";
import { SAVED_PAGE_SIZE, listSaved, savePost, unsavePost } from "~/models/saved-posts.server";
import { NumberedPager } from "~/components/NumberedPager";
import { pageNumberParam } from "~/lib/ids";
import { idField } from "~/lib/id-field";
import { useFocusRowAfterRemoval } from "~/lib/focus";
import { withRetryAfter } from "~/lib/route-headers.server";
import { formFields } from "~/lib/forms";

export const meta: MetaFunction = ({ error }) =>
  error ? errorMeta(error) : [{ title: "Saved for later · PeerDesk" }, { name: "robots", content: "noindex" }];

/** `back`: where a refused plain form (no JavaScript) offers to return, beside the message on this page. */
export type SaveActionResult = { ok: boolean; isSaved: boolean; message?: string; back?: string };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const page = pageNumberParam(new URL(request.url).searchParams.get("page"));
  const { items, total } = await listSaved(context.services.db, user.id, { page });
  return data(
    { items, total, page, pageCount: Math.max(1, Math.ceil(total / SAVED_PAGE_SIZE)) },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

/**
 * The loader's `private, no-store` for the list; a refused save's `Retry-After` (too many) for whoever sent it, the
 * Save button's fetcher or a plain form.
 */
export const headers: HeadersFunction = ({ loaderHeaders, actionHeaders }) => {
  const merged = withRetryAfter(loaderHeaders, actionHeaders);
  merged.set("Cache-Control", "private, no-store");
  return merged;
};

const schema = z.object({
  postId: idField("That can't be saved: it isn't a question or how-to on PeerDesk."),
  intent: z.enum(["save", "unsave"]),
});

function reply(result: SaveActionResult, status = 200, headers: Record<string, string> = {}) {
  return data(result, { status, headers: { "Cache-Control": "private, no-store", ...headers } });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const formData = await request.formData();
  const isFetch = formData.get("js") === "1";
  const back = safeRedirectPath(formData.get("redirectTo"), "/saved");
  const parsed = schema.safeParse(formFields(formData));
  if (!parsed.success)
    return reply(
      { ok: false, isSaved: false, message: "That can't be saved: it isn't a question or how-to on PeerDesk.", back },
      400,
    );
  const { postId, intent } = parsed.data;
  const { db } = context.services;
  try {
    await consumeWriteLimit(db, { userId: user.id, kind: "save" });
    if (intent === "save") await savePost(db, user.id, postId);
    else await unsavePost(db, user.id, postId);
  } catch (error) {
    // Too many saves, or nothing to save (gone, or not a question or how-to): the state stays as it was.
    const failure = toWriteFailure(error);
    if (!failure) throw error;
    const headers = failure.init.headers as Record<string, string> | undefined;
    return reply(
      { ok: false, isSaved: intent === "unsave", message: failure.message, back },
      failure.init.status,
      headers,
    );
  }
  return isFetch ? reply({ ok: true, isSaved: intent === "save" }) : redirect(back, 303);
}

export default function Saved() {
  const { items, total, page, pageCount } = useLoaderData<typeof loader>();
  // Only a plain form (no JavaScript) lands here with a refusal; the Save button's fetcher shows its own.
  const refused = useActionData<typeof action>();
  const listRef = useRef<HTMLUListElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  // After Remove: focus the row that took its place (the next one), else the last, else the page's heading.
  useFocusRowAfterRemoval(
    listRef,
    useNavigation(),
    (form) => (form.get("intent") === "unsave" ? String(form.get("postId")) : null),
    () => headingRef.current,
  );
  return (
    <div className="space-y-4">
      <header className="space-y-1">
        <h1 ref={headingRef} className="text-2xl font-bold">
          Saved for later
        </h1>
        <p className="text-slate-700 dark:text-slate-300">
          Questions and how-tos you saved to come back to. Only you see this list.
        </p>
      </header>
      {refused && "ok" in refused && !refused.ok ? (
        <FormAlert>
          {refused.message}
          {refused.back && refused.back !== "/saved" ? (
            <>
              {" "}
              <Link to={refused.back}>Go back to where you were</Link>
            </>
          ) : null}
        </FormAlert>
      ) : null}
      {items.length === 0 && total > 0 ? (
        <PastLastPage
          page={page}
          pageCount={pageCount}
          what="your saved questions and how-tos"
          lastHref={pageCount > 1 ? `/saved?page=${pageCount}` : "/saved"}
          onePageLabel="See your saved list"
        />
      ) : null}
      {items.length === 0 && total === 0 ? (
        <p>
          Nothing saved yet. Use <strong>Save</strong> on a question or how-to to keep it here.
        </p>
      ) : null}
      {items.length > 0 ? (
        <>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {total === 1 ? "1 saved" : `${total.toLocaleString("en")} saved`}
          </p>
          <ul ref={listRef} className="divide-y divide-slate-200 dark:divide-slate-800">
            {items.map((item) => (
              <li
                key={item.postId}
                data-row-key={item.postId}
                className="flex flex-wrap items-start justify-between gap-2 py-3"
              >
                <div className="min-w-0 flex-1">
                  <h2 dir="auto" className="text-base font-semibold">
                    <Link to={item.path} dir="auto">
                      {item.title}
                    </Link>
                  </h2>
                  <p className="text-sm text-slate-600 dark:text-slate-400">
                    {item.kind === "howto"
                      ? "How-to"
                      : `Question · ${item.answerCount === 1 ? "1 answer" : `${item.answerCount} answers`}${item.isSolved ? " · solved" : ""}`}
                    {" · "}
                    <bdi>{item.spaceName}</bdi> · saved <RelativeTime date={item.savedAt} />
                  </p>
                </div>
                <Form method="post">
                  <input type="hidden" name="postId" value={item.postId} />
                  <input type="hidden" name="intent" value="unsave" />
                  <input type="hidden" name="redirectTo" value={page > 1 ? `/saved?page=${page}` : "/saved"} />
                  <button
                    type="submit"
                    aria-label={`Remove “${item.title}” from saved`}
                    className="inline-flex min-h-11 items-center rounded-md border border-slate-300 px-3 text-sm dark:border-slate-700"
                  >
                    Remove
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {page <= pageCount ? (
        <NumberedPager page={page} pageCount={pageCount} href={(n) => (n > 1 ? `/saved?page=${n}` : "/saved")} />
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
