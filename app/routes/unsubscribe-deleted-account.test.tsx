/**
 * An unsubscribe link from an email sent before its account was deleted: opening or posting it changes nothing (no
 * email settings are written for the deleted account) and says plainly that the account no longer exists, so no email
 * will come anyway. Through the real loader and action on the real database, as a mail app or a browser sends them.
 */
import { eq } from "drizzle-orm";
import { DomUtils, parseDocument } from "htmlparser2";
import type { Database } from "#db/client.server";
import { emailPreferences } from "#db/schema";
import { deleteAccount } from "~/models/account-deletion.server";
import { unsubscribe, unsubscribeToken } from "~/models/email-preferences.server";
import * as unsubscribeRoute from "~/routes/unsubscribe";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson } from "../../tests/fixtures/people";
import { renderRoute } from "../../tests/fixtures/render-route";
import { Browser, payload, testServices } from "../../tests/fixtures/routes";

const SECRET = "unsubscribe-test-secret-unsubscribe-test-secret";
const GONE =
  "The account this link was for no longer exists (it was deleted), so no more emails will come to it from PeerDesk. There is nothing to unsubscribe from.";

let database: Database;
let mailApp: Browser;

beforeAll(async () => {
  database = await createTestDatabase();
  // The link works without signing in: whoever holds it (a mail app, a browser) posts it with no cookie.
  mailApp = new Browser({ ...testServices(database), secret: SECRET } as ReturnType<typeof testServices>, "10.61.6.1");
});
afterAll(() => database.close());

const linkFor = (userId: string, kind: "answer" | "all") =>
  `/unsubscribe?token=${unsubscribeToken(SECRET, { userId, kind }, new Date(Date.now() + 60 * 60_000))}`;

async function settingsRowsOf(userId: string) {
  return database.db.select().from(emailPreferences).where(eq(emailPreferences.userId, userId));
}

function textOf(html: string): string {
  return DomUtils.textContent(parseDocument(html)).replace(/\s+/g, " ");
}

test("a deleted account's unsubscribe link writes nothing and says the account no longer exists", async () => {
  const { db } = database;
  const gone = await makePerson(db, { name: "Dana Departed" });
  const answerLink = linkFor(gone.id, "answer");
  const allLink = linkFor(gone.id, "all");
  await deleteAccount(db, { userId: gone.id, by: gone.id, deleteUnansweredQuestions: false });

  // Opened: no "Unsubscribe" button, the plain words instead.
  const opened = payload<{ token: string | null; accountGone: string | null }>(
    await mailApp.load(unsubscribeRoute.loader, answerLink),
  );
  expect(opened).toEqual({ status: 410, data: { token: null, question: null, accountGone: GONE } });
  const openedPage = textOf(await renderRoute(mailApp, unsubscribeRoute, { path: answerLink }));
  expect(openedPage).toContain(GONE);
  expect(openedPage).not.toContain("Unsubscribe?");

  // Posted (the page's form, or a mail app's one-click unsubscribe): the same words, and nothing written.
  for (const [link, fields] of [
    [answerLink, { "List-Unsubscribe": "One-Click" }],
    [allLink, { token: allLink.split("token=")[1] ?? "" }],
  ] as const) {
    const posted = payload<{ done: boolean; said: string | null }>(
      await mailApp.submit(unsubscribeRoute.action, link, fields),
    );
    expect(posted).toEqual({ status: 410, data: { done: false, said: GONE } });
    const page = textOf(await renderRoute(mailApp, unsubscribeRoute, { path: link, actionData: posted.data }));
    expect(page).toContain(GONE);
    expect(page).not.toContain("Done:");
  }
  expect(await settingsRowsOf(gone.id)).toEqual([]);
  // The model says the same to any caller, and writes nothing either.
  const token = allLink.split("token=")[1] ?? "";
  expect(await unsubscribe(db, SECRET, token)).toEqual({ userId: gone.id, kind: "all", isAccountDeleted: true });
  expect(await settingsRowsOf(gone.id)).toEqual([]);

  // A living account's link still turns the email off.
  const living = await makePerson(db);
  const livingLink = linkFor(living.id, "answer");
  expect(payload(await mailApp.load(unsubscribeRoute.loader, livingLink)).status).toBe(200);
  const done = payload<{ done: boolean; said: string }>(
    await mailApp.submit(unsubscribeRoute.action, livingLink, { "List-Unsubscribe": "One-Click" }),
  );
  expect(done).toMatchObject({ status: 200, data: { done: true } });
  expect((await settingsRowsOf(living.id)).map((row) => [row.kind, row.delivery])).toEqual([["answer", "never"]]);
});

test("a genuine link naming an account that isn't there at all is answered the same, never with an error", async () => {
  const link = linkFor("no-such-account", "answer");
  const posted = payload<{ done: boolean; said: string | null }>(
    await mailApp.submit(unsubscribeRoute.action, link, { "List-Unsubscribe": "One-Click" }),
  );
  expect(posted).toEqual({ status: 410, data: { done: false, said: GONE } });
  expect(await settingsRowsOf("no-such-account")).toEqual([]);
});
