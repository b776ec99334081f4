/**
 * The profile picture's upload form: the limit in plain words, and any error beside the field. With JavaScript a
 * picture over the limit is caught as soon as it is picked, before anything is sent (a phone photo takes a while to
 * upload); without it the server answers with this page and the same message.
 */
import { Form } from "@remix-run/react";
import { type FormEvent, useRef, useState } from "react";
import { Button } from "~/components/ui/Button";
import { AVATAR_MAX_BYTES, AVATAR_MAX_MB, AVATAR_TOO_LARGE_MESSAGE } from "~/lib/avatars";
import { useFocusWhenSettled } from "~/lib/focus";

// One string, so the page says it in one piece (JSX text around {AVATAR_MAX_MB} is split by markers in the HTML).
const HINT = `A photo up to ${AVATAR_MAX_MB} MB: JPEG, PNG or WebP. We crop it square and remove hidden details such as where and when it was taken.`;

/** The message for a picked file the server would refuse for its size, or null. */
function sizeProblem(input: HTMLInputElement | null): string | null {
  const file = input?.files?.[0];
  return file && file.size > AVATAR_MAX_BYTES ? AVATAR_TOO_LARGE_MESSAGE : null;
}

/**
 * `pictureError`: the last answer's message about the picture, if it had one; `answer`: that answer (focus moves to
 * the field when it brought an error, and a picture picked after it replaces its message).
 */
export function AvatarUploadForm({
  pictureError,
  answer,
  busy,
}: {
  pictureError: string | null;
  answer: unknown;
  busy: boolean;
}) {
  const inputRef = useRef<HTMLInputElement>(null);
  // What the browser found in the picture picked after `after` (an answer): a newer answer's message replaces it.
  const [picked, setPicked] = useState<{ after: unknown; error: string | null } | null>(null);
  useFocusWhenSettled(pictureError ? answer : null, () => inputRef.current);
  const error = picked && picked.after === answer ? picked.error : pictureError;
  const check = (input: HTMLInputElement | null) => setPicked({ after: answer, error: sizeProblem(input) });

  const checkBeforeSending = (event: FormEvent<HTMLFormElement>) => {
    const problem = sizeProblem(inputRef.current);
    if (!problem) return;
    event.preventDefault();
    check(inputRef.current);
    inputRef.current?.focus();
  };

  return (
    <Form method="post" encType="multipart/form-data" className="mt-6 space-y-4" onSubmit={checkBeforeSending}>
      <input type="hidden" name="intent" value="upload" />
      <div>
        <label htmlFor="picture" className="mb-1 block text-sm font-medium">
          New picture
        </label>
        <input
          ref={inputRef}
          id="picture"
          name="picture"
          type="file"
          accept="image/jpeg,image/png,image/webp"
          required
          onChange={(event) => check(event.currentTarget)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "picture-hint picture-error" : "picture-hint"}
          className="block w-full text-sm"
        />
        <p id="picture-hint" className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          {HINT}
        </p>
        {error ? (
          <p id="picture-error" className="mt-1 text-sm font-medium text-red-700 dark:text-red-400" role="alert">
            {error}
          </p>
        ) : null}
      </div>
      <Button type="submit" disabled={busy}>
        Upload picture
      </Button>
    </Form>
  );
}
