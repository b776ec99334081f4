/** Admins create, rename, reorder and archive spaces. Each change is recorded in the public moderation log. */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requireUserWith } from "~/auth/session.server";
import { CurrentVersion } from "~/components/CurrentVersion";
import { Button } from "~/components/ui/Button";
import { CheckboxField, FormAlert, TextAreaField, TextField } from "~/components/ui/Field";
import { FIELD_LEEWAY, type FieldErrors, baseVersionOf, parseForm, submittedValues } from "~/lib/forms";
import { SPACE_LIMITS } from "~/lib/spaces";
import {
  NO_SUCH_SPACE,
  SpaceConflictError,
  SpaceRuleError,
  createSpace,
  listSpacesForAdmin,
  moveSpace,
  setSpaceArchived,
  updateSpace,
} from "~/models/spaces.server";
import { idField } from "~/lib/id-field";
import { cx } from "~/lib/cx";
import { oneLineName } from "~/lib/plain-text";

const spaceFields = {
  name: z
    .string({ required_error: "Please give the space a name." })
    .transform(oneLineName)
    .pipe(
      z
        .string()
        .min(SPACE_LIMITS.nameMin, `Space names need at least ${SPACE_LIMITS.nameMin} characters.`)
        .max(SPACE_LIMITS.nameMax, `Space names can be at most ${SPACE_LIMITS.nameMax} characters.`),
    ),
  description: z
    .string()
    .trim()
    .max(SPACE_LIMITS.descriptionMax, `Descriptions can be at most ${SPACE_LIMITS.descriptionMax} characters.`)
    .default(""),
  isPlainLanguage: z
    .literal("on")
    .optional()
    .transform((v) => v === "on"),
  holdFirstQuestions: z
    .literal("on")
    .optional()
    .transform((v) => v === "on"),
};

const HOLD_FIRST_QUESTIONS_HINT =
  "A new member's first question in this space waits for a moderator before others see it.";
const spaceId = idField(NO_SUCH_SPACE);
const OUT_OF_DATE_PAGE = "This page is out of date. Reload it to see the spaces in their current order.";

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create"), ...spaceFields }),
  z.object({
    intent: z.literal("update"),
    spaceId,
    ...spaceFields,
  }),
  z.object({
    intent: z.literal("move"),
    spaceId,
    direction: z.enum(["up", "down"]),
    // The neighbour the page showed in that direction: the move happens only if it still is (a double tap moves once).
    swapWithId: idField(OUT_OF_DATE_PAGE),
  }),
  z.object({
    intent: z.literal("archive"),
    spaceId,
    archived: z.enum(["true", "false"]).transform((v) => v === "true"),
  }),
]);

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUserWith(request, context, "admin.view");
  const spaces = await listSpacesForAdmin(context.services.db);
  return { spaces: spaces.map(({ updatedAt, ...space }) => ({ ...space, version: updatedAt.toISOString() })) };
}

type ActionData = {
  intent: string;
  spaceId?: string;
  ok: boolean;
  message?: string;
  fieldErrors: FieldErrors;
  values?: Record<string, string>;
  /** The space as it is now (label, text), after a save refused because someone changed it meanwhile. */
  current?: [string, string][];
};

export async function action({ request, context }: ActionFunctionArgs) {
  // A copy: if the admin was signed out meanwhile, requireUserWith hands what they typed back from the body.
  const formData = await request.clone().formData();
  const intent = String(formData.get("intent") ?? "");
  const permission =
    intent === "create"
      ? "space.create"
      : intent === "move"
        ? "space.reorder"
        : intent === "archive"
          ? "space.archive"
          : "space.edit";
  const user = await requireUserWith(request, context, permission);
  const parsed = parseForm(actionSchema, formData);
  const formSpaceId = String(formData.get("spaceId") ?? "");
  if (!parsed.ok)
    return data<ActionData>(
      {
        intent,
        spaceId: formSpaceId,
        ok: false,
        message: messageBesideFields(parsed.fieldErrors),
        fieldErrors: parsed.fieldErrors,
        values: parsed.values,
      },
      { status: 400 },
    );
  const { db } = context.services;
  const input = parsed.data;
  try {
    switch (input.intent) {
      case "create": {
        const space = await createSpace(db, {
          name: input.name,
          description: input.description,
          isPlainLanguage: input.isPlainLanguage,
          holdFirstQuestions: input.holdFirstQuestions,
          by: user.id,
        });
        return data<ActionData>({ intent, ok: true, message: `Created “${space.name}”.`, fieldErrors: {} });
      }
      case "update":
        await updateSpace(db, {
          spaceId: input.spaceId,
          name: input.name,
          description: input.description,
          isPlainLanguage: input.isPlainLanguage,
          holdFirstQuestions: input.holdFirstQuestions,
          baseUpdatedAt: baseVersionOf(formData),
          by: user.id,
        });
        return data<ActionData>({ intent, spaceId: formSpaceId, ok: true, message: "Saved.", fieldErrors: {} });
      case "move":
        await moveSpace(db, {
          spaceId: input.spaceId,
          direction: input.direction,
          swapWithId: input.swapWithId,
          by: user.id,
        });
        return data<ActionData>({ intent, ok: true, fieldErrors: {} });
      case "archive":
        await setSpaceArchived(db, { spaceId: input.spaceId, archived: input.archived, by: user.id });
        return data<ActionData>({
          intent,
          ok: true,
          message: input.archived ? "Space archived." : "Space restored.",
          fieldErrors: {},
        });
    }
  } catch (error) {
    if (error instanceof SpaceConflictError) {
      const { current } = error;
      const yesNo = (value: boolean) => (value ? "Yes" : "No");
      return data<ActionData>(
        {
          intent,
          spaceId: formSpaceId,
          ok: false,
          message: error.message,
          fieldErrors: {},
          values: { ...submittedValues(formData), baseUpdatedAt: current.updatedAt.toISOString() },
          current: [
            ["Name", current.name],
            ["Description", current.description],
            ["Plain-language space", yesNo(current.isPlainLanguage)],
            ["Hold new members' first questions", yesNo(current.holdFirstQuestions)],
          ],
        },
        { status: 409 },
      );
    }
    if (error instanceof SpaceRuleError) {
      const fieldErrors: FieldErrors = error.field ? { [error.field]: error.message } : {};
      return data<ActionData>(
        {
          intent,
          spaceId: formSpaceId,
          ok: false,
          message: error.field ? undefined : error.message,
          fieldErrors,
          values: submittedValues(formData),
        },
        { status: error.status },
      );
    }
    throw error;
  }
}

/**
 * The page shows errors beside a space's name and description only: anything else (a space id or action a stale or
 * hand-made form sent) is said at the top, in words, never the validator's.
 */
function messageBesideFields(fieldErrors: FieldErrors): string | undefined {
  const elsewhere = Object.keys(fieldErrors).filter((field) => field !== "name" && field !== "description");
  if (elsewhere.length === 0) return undefined;
  return (
    fieldErrors.spaceId ??
    fieldErrors.swapWithId ??
    "That isn't something this page can do. Reload the page and try again."
  );
}

export default function AdminSpaces() {
  const { spaces } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const createErrors = result?.intent === "create" ? result.fieldErrors : {};
  const createValues = result?.intent === "create" && !result.ok ? result.values : undefined;
  return (
    <div className="space-y-8">
      {result?.message ? (
        <FormAlert tone={result.ok ? "success" : "error"} focusOn={result}>
          {result.message}
        </FormAlert>
      ) : null}
      <section aria-labelledby="spaces-list-heading" className="space-y-3">
        <h2 id="spaces-list-heading" className="text-lg font-semibold">
          Spaces ({spaces.length})
        </h2>
        <ol className="space-y-3">
          {spaces.map((space, index) => {
            const isEditing = result?.intent === "update" && result.spaceId === String(space.id);
            const errors = isEditing ? result.fieldErrors : {};
            const values = isEditing && !result.ok ? result.values : undefined;
            return (
              <li
                key={space.id}
                className={cx(
                  "rounded-lg border p-4",
                  space.archivedAt
                    ? "border-dashed border-slate-300 opacity-80 dark:border-slate-700"
                    : "border-slate-200 dark:border-slate-800",
                )}
              >
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <p className="font-semibold">
                    {index + 1}. {space.name}{" "}
                    <span className="text-sm font-normal text-slate-500 dark:text-slate-400">
                      /s/{space.slug} · {space.questionCount} questions
                    </span>
                    {space.archivedAt ? (
                      <span className="ml-2 rounded bg-slate-200 px-2 py-0.5 text-xs dark:bg-slate-700">Archived</span>
                    ) : null}
                  </p>
                  <div className="flex flex-wrap gap-1">
                    <Form method="post">
                      <input type="hidden" name="intent" value="move" />
                      <input type="hidden" name="spaceId" value={space.id} />
                      <input type="hidden" name="direction" value="up" />
                      <input type="hidden" name="swapWithId" value={spaces[index - 1]?.id ?? ""} />
                      <Button
                        variant="secondary"
                        type="submit"
                        disabled={busy || index === 0}
                        aria-label={`Move ${space.name} up`}
                      >
                        ↑
                      </Button>
                    </Form>
                    <Form method="post">
                      <input type="hidden" name="intent" value="move" />
                      <input type="hidden" name="spaceId" value={space.id} />
                      <input type="hidden" name="direction" value="down" />
                      <input type="hidden" name="swapWithId" value={spaces[index + 1]?.id ?? ""} />
                      <Button
                        variant="secondary"
                        type="submit"
                        disabled={busy || index === spaces.length - 1}
                        aria-label={`Move ${space.name} down`}
                      >
                        ↓
                      </Button>
                    </Form>
                    <Form method="post">
                      <input type="hidden" name="intent" value="archive" />
                      <input type="hidden" name="spaceId" value={space.id} />
                      <input type="hidden" name="archived" value={space.archivedAt ? "false" : "true"} />
                      <Button variant="secondary" type="submit" disabled={busy}>
                        {space.archivedAt ? "Restore" : "Archive"}
                      </Button>
                    </Form>
                  </div>
                </div>
                <details className="mt-2" open={isEditing && !result.ok}>
                  <summary className="cursor-pointer text-sm font-medium text-brand-700 dark:text-brand-300">
                    Rename or edit description
                  </summary>
                  <Form method="post" className="mt-3 space-y-3" noValidate>
                    <input type="hidden" name="intent" value="update" />
                    <input type="hidden" name="spaceId" value={space.id} />
                    <input type="hidden" name="baseUpdatedAt" value={values?.baseUpdatedAt ?? space.version} />
                    <TextField
                      label="Name"
                      name="name"
                      maxLength={SPACE_LIMITS.nameMax + FIELD_LEEWAY}
                      defaultValue={values?.name ?? space.name}
                      error={errors.name}
                      required
                    />
                    <TextAreaField
                      label="Description"
                      name="description"
                      rows={2}
                      maxLength={SPACE_LIMITS.descriptionMax + FIELD_LEEWAY}
                      defaultValue={values?.description ?? space.description}
                      error={errors.description}
                    />
                    <CheckboxField
                      name="isPlainLanguage"
                      label="Plain-language space"
                      hint="Answers here should avoid jargon: for business colleagues."
                      defaultChecked={values ? values.isPlainLanguage === "on" : space.isPlainLanguage}
                    />
                    <CheckboxField
                      name="holdFirstQuestions"
                      label="Hold new members' first questions"
                      hint={HOLD_FIRST_QUESTIONS_HINT}
                      defaultChecked={values ? values.holdFirstQuestions === "on" : space.holdFirstQuestions}
                    />
                    {isEditing && result.current ? (
                      <CurrentVersion heading="The space as it is now" rows={result.current} />
                    ) : null}
                    <Button type="submit" disabled={busy}>
                      Save changes
                    </Button>
                  </Form>
                </details>
              </li>
            );
          })}
        </ol>
      </section>
      <section
        aria-labelledby="new-space-heading"
        className="rounded-lg border border-slate-200 p-4 dark:border-slate-800"
      >
        <h2 id="new-space-heading" className="text-lg font-semibold">
          New space
        </h2>
        <Form method="post" className="mt-3 space-y-3" noValidate>
          <input type="hidden" name="intent" value="create" />
          <TextField
            label="Name"
            name="name"
            maxLength={SPACE_LIMITS.nameMax + FIELD_LEEWAY}
            defaultValue={createValues?.name}
            error={createErrors.name}
            required
          />
          <TextAreaField
            label="Description"
            name="description"
            rows={2}
            maxLength={SPACE_LIMITS.descriptionMax + FIELD_LEEWAY}
            defaultValue={createValues?.description}
            error={createErrors.description}
          />
          <CheckboxField
            name="isPlainLanguage"
            label="Plain-language space"
            defaultChecked={createValues?.isPlainLanguage === "on"}
          />
          <CheckboxField
            name="holdFirstQuestions"
            label="Hold new members' first questions"
            hint={HOLD_FIRST_QUESTIONS_HINT}
            defaultChecked={createValues?.holdFirstQuestions === "on"}
          />
          <Button type="submit" disabled={busy}>
            Create space
          </Button>
        </Form>
      </section>
    </div>
  );
}
