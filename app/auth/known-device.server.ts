/**
 * The known-device cookie: a browser that signed in to an account with its password before carries, signed, its own
 * random id and a tag for each account it signed in to (at most a few). The sign-in lock counts such a device's wrong
 * passwords on their own (models/sign-in-throttle.server.ts), so strangers guessing an address cannot lock its owner
 * out of the laptop they always use (OWASP's "device cookies" against lockout attacks). A tag is a keyed hash of the
 * account's id (so it outlives a change of address), so the cookie neither names the accounts nor helps with any other.
 */
import { createHmac } from "node:crypto";
import type { getSessionFromCtx } from "better-auth/api";
import { generateRandomString } from "better-auth/crypto";

type HookContext = Parameters<typeof getSessionFromCtx>[0];

const COOKIE = "known_device";
const MAX_AGE_SECONDS = 180 * 24 * 60 * 60;
/** Accounts one browser is remembered for (a shared family or front-desk computer); the oldest is forgotten first. */
const MAX_ACCOUNTS = 5;

function tagOf(secret: string, key: string): string {
  return createHmac("sha256", secret).update(`known-device:${key}`).digest("base64url").slice(0, 22);
}

/**
 * The tags that stand for the account behind `email`: its id's, and the address's own (cookies from before tags were
 * by id, or an address that has no account). The first is the one a sign-in now remembers.
 */
async function accountTags(ctx: HookContext, email: string): Promise<string[]> {
  const address = email.trim().toLowerCase();
  const found = await ctx.context.internalAdapter.findUserByEmail(address).catch(() => null);
  const byAddress = tagOf(ctx.context.secret, address);
  return found ? [tagOf(ctx.context.secret, `user:${found.user.id}`), byAddress] : [byAddress];
}

async function readCookie(ctx: HookContext): Promise<{ device: string; tags: string[] } | null> {
  const cookie = ctx.context.createAuthCookie(COOKIE);
  const value = await ctx.getSignedCookie(cookie.name, ctx.context.secret);
  if (typeof value !== "string") return null;
  const [device, ...tags] = value.split(".");
  return device && /^[A-Za-z0-9]{16,64}$/.test(device) ? { device, tags } : null;
}

/** This browser's device id when it signed in to the account behind `email` before (under any address), else null. */
export async function knownDeviceFor(ctx: HookContext, email: string): Promise<string | null> {
  const known = await readCookie(ctx);
  if (!known) return null;
  const tags = await accountTags(ctx, email);
  return tags.some((tag) => known.tags.includes(tag)) ? known.device : null;
}

/** After a right password: this browser is remembered for the account (its id kept, the account's tag put first). */
export async function rememberDevice(ctx: HookContext, email: string): Promise<void> {
  const known = await readCookie(ctx);
  const [tag = "", ...older] = await accountTags(ctx, email);
  const tags = [tag, ...(known?.tags ?? []).filter((t) => t !== tag && !older.includes(t))].slice(0, MAX_ACCOUNTS);
  const cookie = ctx.context.createAuthCookie(COOKIE, { maxAge: MAX_AGE_SECONDS });
  const device = known?.device ?? generateRandomString(24, "a-z", "A-Z", "0-9");
  await ctx.setSignedCookie(cookie.name, [device, ...tags].join("."), ctx.context.secret, cookie.attributes);
}
