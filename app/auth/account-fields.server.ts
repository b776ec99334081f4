/**
 * The name and picture of every account better-auth writes (the JSON sign-up, single sign-on, anything else that
 * creates or renames someone), held to PeerDesk's own rules: the name to the forms' rule (validation.ts), and no
 * picture address at all, since pictures are only ever PeerDesk's own uploads (avatars.server.ts).
 */
import { APIError } from "better-auth/api";
import { displayName } from "./validation";

export const INVALID_NAME = "INVALID_NAME";

function checkedName(name: unknown): string {
  const parsed = displayName.safeParse(name);
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues[0]?.message ?? "Please enter your name.";
  throw new APIError("BAD_REQUEST", { code: INVALID_NAME, message });
}

/** A new account's name as the sign-up form would keep it (or 400 INVALID_NAME), and no picture from the request. */
export function newAccountFields(user: { name?: unknown }): { name: string; image: null } {
  return { name: checkedName(user.name), image: null };
}

/** A rename obeys the same rule; an update that leaves the name alone changes nothing here. */
export function renamedAccountFields(update: { name?: unknown }): { name?: string } {
  return update.name === undefined ? {} : { name: checkedName(update.name) };
}
