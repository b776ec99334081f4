/**
 * npm run user:create-admin -- --email a@b.c --name "Ada" [--password … | --password=…]
 * Creates an admin account, or promotes an existing account to admin. Without --password it asks for one
 * (or reads PEERDESK_ADMIN_PASSWORD), so the password never has to appear in shell history.
 */
import { createInterface } from "node:readline/promises";
import { hashPassword } from "better-auth/crypto";
import { eq } from "drizzle-orm";
import { insertUsers } from "./seed/demo";
import { users } from "#db/schema";
import { passwordWeakness } from "~/auth/password-strength.server";
import { signUpSchema } from "~/auth/validation";
import { recordModeration } from "~/models/moderation.server";
import { assignHandleAndFirstAdmin } from "~/models/users.server";
import { askWithoutEcho, flag, openConfiguredDatabase } from "./lib";

async function ask(question: string): Promise<string> {
  if (!process.stdin.isTTY) return "";
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(question);
  rl.close();
  return answer;
}

const USAGE =
  'Usage: npm run user:create-admin -- --email you@org --name "Your Name" [--password VALUE] [--force]\n' +
  "A password that starts with -- is written --password=VALUE (or set PEERDESK_ADMIN_PASSWORD, or leave it out to be asked).";

const email = (flag("email", USAGE) ?? (await ask("Email: "))).trim().toLowerCase();
const database = await openConfiguredDatabase();
try {
  await database.migrate();
  const { db } = database;
  const [existing] = await db
    .select({ id: users.id, role: users.role })
    .from(users)
    .where(eq(users.email, email))
    .limit(1);
  if (existing) {
    await db.update(users).set({ role: "admin", banned: false }).where(eq(users.id, existing.id));
    await recordModeration(db, {
      actorId: null,
      action: "user.role",
      targetType: "user",
      targetId: existing.id,
      details: { from: existing.role, to: "admin", via: "user:create-admin" },
    });
    console.log(`${email} is now an admin.`);
  } else {
    const name = flag("name", USAGE) ?? (await ask("Display name: "));
    const password =
      flag("password", USAGE) ??
      (process.env.PEERDESK_ADMIN_PASSWORD || undefined) ??
      (await askWithoutEcho("Password (at least 10 characters, not shown): "));
    const parsed = password === null ? null : signUpSchema.safeParse({ name, email, password, audience: "it" });
    const weakness = parsed?.success
      ? await passwordWeakness(parsed.data.password, [parsed.data.name, parsed.data.email])
      : null;
    if (parsed === null) {
      console.error(
        "No password given: pass --password=…, set PEERDESK_ADMIN_PASSWORD, or run this in a terminal to be asked.",
      );
      process.exitCode = 1;
    } else if (!parsed.success) {
      for (const issue of parsed.error.issues) console.error(`${issue.path.join(".")}: ${issue.message}`);
      process.exitCode = 1;
    } else if (weakness) {
      console.error(`password: ${weakness}`);
      process.exitCode = 1;
    } else {
      const [id] = await insertUsers(
        db,
        [{ name: parsed.data.name, email: parsed.data.email, role: "admin", handle: null }],
        await hashPassword(parsed.data.password),
      );
      if (id) {
        await assignHandleAndFirstAdmin(
          db,
          { userId: id, name: parsed.data.name, email: parsed.data.email },
          // Made an admin already, by insertUsers above.
          { firstSignUpIsAdmin: false },
        );
        await recordModeration(db, {
          actorId: null,
          action: "user.role",
          targetType: "user",
          targetId: id,
          details: { to: "admin", via: "user:create-admin" },
        });
      }
      console.log(`Admin account created for ${parsed.data.email}.`);
    }
  }
} finally {
  await database.close();
}
