/**
 * /review/images — pictures people added to posts, for moderators: the newest ones, and taking one down (a screenshot
 * showing a password, something abusive). A take-down deletes the picture's bytes at once, every address of it
 * answers 404, the same picture can't be uploaded again, and the moderation log records who did it and why.
 */
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { asActor, requireUser, requireUserWith } from "~/auth/session.server";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { RelativeTime } from "~/components/RelativeTime";
import { ReviewTabs } from "~/components/review/ReviewTabs";
import { Button } from "~/components/ui/Button";
import { FormAlert, TextField } from "~/components/ui/Field";
import { type FieldErrors, parseForm } from "~/lib/forms";
import { postImageHashFrom } from "~/lib/post-images";
import { toWriteFailure } from "~/lib/write-failure.server";
import { listRecentPostImages, removePostImage } from "~/models/post-images.server";
import { consumeWriteLimit } from "~/models/rate-limits.server";
import { countReopenQueue } from "~/models/review-actions.server";
import { countFlaggedOrHeld } from "~/models/review-queue.server";
import { loaderAndRetryAfterHeaders } from "~/lib/route-headers.server";
import { can, formerRoleAllowing } from "~/models/permissions.server";
import { refusedAfterRoleChange } from "./__review-actions.server";

export const meta: MetaFunction = ({ error }) =>
  error ? errorMeta(error) : [{ title: "Pictures · Review · PeerDesk" }, { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUserWith(request, context, "image.remove");
  const { db } = context.services;
  const [pictures, flaggedCount, reopenCount] = await Promise.all([
    listRecentPostImages(db),
    countFlaggedOrHeld(db),
    countReopenQueue(db),
  ]);
  return data({ pictures, flaggedCount, reopenCount }, { headers: { "Cache-Control": "private, no-store" } });
}

export const headers = loaderAndRetryAfterHeaders;

const takeDownSchema = z.object({
  image: z
    .string()
    .trim()
    .min(1, "Paste the picture's address, e.g. /images/0123456789abcdef0123.webp.")
    .max(300, "That is longer than a picture's address.")
    .refine((value) => postImageHashFrom(value) !== null, {
      message:
        "That isn't a picture's address here: it looks like /images/ followed by 20 letters and digits and .webp.",
    }),
  reason: z
    .string()
    .trim()
    .min(3, "Say why, for the moderation log (e.g. “shows a password”).")
    .max(280, "Keep the reason under 280 characters."),
});

type ActionResult = { fieldErrors: FieldErrors; values: Record<string, string> };

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const { db } = context.services;
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return data<ActionResult>(
      { fieldErrors: { form: "That request didn't look right." }, values: {} },
      { status: 400 },
    );
  }
  // No longer staff (demoted in another tab): said in words, with the address and reason kept (the loader's 403 would
  // lose them).
  const actor = asActor(user);
  if (actor && !can(actor, "image.remove")) {
    const typed = (name: string) => {
      const value = form.get(name);
      return typeof value === "string" ? value : "";
    };
    throw refusedAfterRoleChange(
      actor,
      "image.remove",
      {
        doing: "take pictures down",
        outcome: "so the picture was not taken down",
        formerRole: await formerRoleAllowing(db, actor.id, "image.remove"),
      },
      [
        ["Picture address", typed("image")],
        ["Why", typed("reason")],
      ],
    );
  }
  const parsed = parseForm(takeDownSchema, form);
  if (!parsed.ok) return data<ActionResult>(parsed, { status: 400 });
  const hash = postImageHashFrom(parsed.data.image) ?? "";
  try {
    await consumeWriteLimit(db, { userId: user.id, kind: "review" });
    await removePostImage(db, { actor: asActor(user), hash, reason: parsed.data.reason });
  } catch (error) {
    const failure = toWriteFailure(error);
    if (!failure) throw error;
    const values = { image: parsed.data.image, reason: parsed.data.reason };
    return data<ActionResult>({ fieldErrors: { image: failure.message }, values }, failure.init);
  }
  return redirect("/review/images?removed=1", 303);
}

function kilobytes(bytes: number) {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** Who added the picture: everyone who uploaded it, shortened past two names. */
function uploadersText(names: string[]) {
  if (names.length === 0) return "a former member";
  if (names.length <= 2) return names.join(" and ");
  return `${names[0]} and ${names.length - 1} others`;
}

function usesText(n: number) {
  if (n === 0) return "used nowhere yet";
  return n === 1 ? "used in 1 place" : `used in ${n} places`;
}

export default function ReviewPictures() {
  const { pictures, flaggedCount, reopenCount } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const errors = result?.fieldErrors ?? {};
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <h1 className="text-2xl font-bold">Review queue</h1>
      <ReviewTabs flagged={flaggedCount} reopen={reopenCount} />
      {searchParams.get("removed") ? (
        <p role="status" className="rounded-lg bg-brand-50 p-3 text-sm font-medium dark:bg-slate-900">
          The picture was taken down: it no longer shows anywhere, and can't be added again. It is in the moderation
          log.
        </p>
      ) : null}
      <section aria-labelledby="take-down-heading" className="space-y-3">
        <h2 id="take-down-heading" className="text-lg font-semibold">
          Take a picture down
        </h2>
        <p className="text-sm text-slate-700 dark:text-slate-300">
          For a picture that must not be shown (a password or personal details in a screenshot, something abusive).
          Posts that showed it keep their text; the picture is gone for everyone at once.
        </p>
        {errors.form ? <FormAlert>{errors.form}</FormAlert> : null}
        <Form method="post" className="space-y-3">
          <TextField
            label="Picture address"
            name="image"
            required
            maxLength={300}
            autoComplete="off"
            hint="Right-click the picture in the post and copy its address, or copy it from the list below."
            defaultValue={result?.values.image}
            error={errors.image}
          />
          <TextField
            label="Why (shown in the moderation log)"
            name="reason"
            required
            maxLength={280}
            defaultValue={result?.values.reason}
            error={errors.reason}
          />
          <Button type="submit" disabled={navigation.state === "submitting"}>
            Take the picture down
          </Button>
        </Form>
      </section>
      <section aria-labelledby="recent-heading" className="space-y-3">
        <h2 id="recent-heading" className="text-lg font-semibold">
          Newest pictures
        </h2>
        {pictures.length === 0 ? (
          <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center dark:border-slate-700">
            Nobody has added a picture yet.
          </p>
        ) : (
          <ul className="grid gap-3 sm:grid-cols-2">
            {pictures.map((picture) => (
              <li key={picture.hash} className="space-y-2 rounded-lg border border-slate-200 p-3 dark:border-slate-800">
                <img
                  src={`/images/${picture.hash}.webp`}
                  alt={`Added by ${uploadersText(picture.uploaderNames)}`}
                  width={picture.width}
                  height={picture.height}
                  loading="lazy"
                  className="h-auto max-h-48 w-auto max-w-full rounded"
                />
                <p className="text-sm text-slate-700 dark:text-slate-300">
                  Added by {uploadersText(picture.uploaderNames)} · <RelativeTime date={picture.createdAt} /> ·{" "}
                  {kilobytes(picture.bytes)} · {usesText(picture.uses)}
                </p>
                <p className="break-all font-mono text-xs text-slate-700 dark:text-slate-300">
                  /images/{picture.hash}.webp
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
