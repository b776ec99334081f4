/**
 * Your profile picture: upload a JPEG, PNG or WebP (up to 8 MB, app/lib/avatars.ts), or go back to the letter of your
 * name. The picture is checked by its content, cropped square, resized and stripped of its metadata before anyone
 * sees it. A picture past the limit is dropped by the body guard before it is read, and said so here, beside the field.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { asActor, requireUser } from "~/auth/session.server";
import { AvatarUploadForm } from "~/components/AvatarUploadForm";
import { SettingsNav } from "~/components/SettingsNav";
import { Avatar } from "~/components/ui/Avatar";
import { Button } from "~/components/ui/Button";
import { FormAlert } from "~/components/ui/Field";
import { AvatarError, processAvatar, removeAvatar, saveAvatar } from "~/models/avatars.server";
import { requirePermission } from "~/models/permissions.server";
import { consumeWriteLimit } from "~/models/rate-limits.server";
import { getProfileById } from "~/models/users.server";
import { AVATAR_TOO_LARGE_MESSAGE } from "~/lib/avatars";
import { wasBodyTooLarge } from "~/lib/body-too-large.server";
import { formPageHeaders } from "~/lib/route-headers.server";
import { writeFailureResponse } from "~/lib/write-failure.server";

export const meta: MetaFunction = () => [{ title: "Profile picture · PeerDesk" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  requirePermission(asActor(user), "profile.editOwn");
  const profile = await getProfileById(context.services.db, user.id);
  return { name: user.name, image: profile?.image ?? null };
}

/** `isAboutPicture`: the message belongs beside the file field rather than above the form. */
type ActionData = { ok: boolean; message: string; isAboutPicture?: boolean };

/** Keeps a refused write's Retry-After (Remix drops action headers a route does not pass on). */
export const headers = formPageHeaders;

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  requirePermission(asActor(user), "profile.editOwn");
  const { db } = context.services;
  if (wasBodyTooLarge(context))
    return data<ActionData>({ ok: false, message: AVATAR_TOO_LARGE_MESSAGE, isAboutPicture: true }, { status: 413 });
  let formData: FormData;
  try {
    formData = await request.formData();
  } catch {
    return data<ActionData>(
      { ok: false, message: "The upload arrived incomplete. Please try again." },
      { status: 400 },
    );
  }
  const intent = formData.get("intent");
  // Uploading is never the default: a form naming neither button (an old page, a hand-made request) changes nothing.
  if (intent !== "upload" && intent !== "remove")
    return data<ActionData>(
      {
        ok: false,
        message: "That isn't something this page can do, so nothing was changed. Reload the page and try again.",
      },
      { status: 400 },
    );
  try {
    await consumeWriteLimit(db, { userId: user.id, kind: "edit" });
  } catch (error) {
    return writeFailureResponse<ActionData>(error, (failure) => ({ ok: false, message: failure.message }));
  }
  if (intent === "remove") {
    await removeAvatar(db, user.id);
    return data<ActionData>({ ok: true, message: "Your picture is removed; people see the letter of your name." });
  }
  const file = formData.get("picture");
  if (!(file instanceof File) || file.size === 0)
    return data<ActionData>(
      { ok: false, message: "Choose a picture to upload.", isAboutPicture: true },
      { status: 400 },
    );
  try {
    const avatar = await processAvatar(new Uint8Array(await file.arrayBuffer()));
    await saveAvatar(db, { userId: user.id, avatar });
  } catch (error) {
    if (error instanceof AvatarError)
      return data<ActionData>({ ok: false, message: error.message, isAboutPicture: true }, { status: 400 });
    throw error;
  }
  return data<ActionData>({ ok: true, message: "Your new picture is saved." });
}

export default function AvatarSettings() {
  const { name, image } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <div className="mx-auto max-w-xl">
      <h1 className="text-2xl font-bold">Profile picture</h1>
      <p className="mt-1 mb-4 text-sm text-slate-600 dark:text-slate-400">
        Shown on your profile. Without one, people see the first letter of your name.
      </p>
      <SettingsNav />
      {result && !result.isAboutPicture ? (
        <FormAlert tone={result.ok ? "success" : "error"}>{result.message}</FormAlert>
      ) : null}
      <div className="mt-4 flex items-center gap-4">
        <Avatar name={name} image={image} size="lg" decorative={false} />
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {image ? "Your current picture." : "Your letter avatar (no picture yet)."}
        </p>
      </div>
      <AvatarUploadForm pictureError={result?.isAboutPicture ? result.message : null} answer={result} busy={busy} />
      {image ? (
        <Form method="post" className="mt-6">
          <input type="hidden" name="intent" value="remove" />
          <Button type="submit" variant="secondary" disabled={busy}>
            Remove picture
          </Button>
        </Form>
      ) : null}
    </div>
  );
}
