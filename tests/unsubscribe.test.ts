/**
 * Links in emails against the real built server. One-click unsubscribe (RFC 8058): a mail app POSTs
 * `List-Unsubscribe=One-Click` to the link in the email's List-Unsubscribe header, from no page of ours (no Origin, or
 * its provider's own, and no cookie), and that email stops. A sign-up confirmation link opened while someone else is
 * signed in says whose address it confirmed.
 */
import { unsubscribeToken } from "~/models/email-preferences.server";
import { realServer } from "./fixtures/real-server";

// The secret the test server is started with (tests/e2e/harness.ts).
const SECRET = "e2e-secret-e2e-secret-e2e-secret-0123456789";
const suite = realServer({ BETTER_AUTH_SECRET: SECRET });
const { signIn, get, post } = suite;
const person = "grace@peerdesk.test";

async function answerEmailSetting(): Promise<string | undefined> {
  const html = await (await get("/settings/notifications", person)).text();
  const checked = (html.match(/<input[^>]*name="answer"[^>]*>/g) ?? []).find((input) => input.includes("checked"));
  return /value="(\w+)"/.exec(checked ?? "")?.[1];
}

test("a mail app's one-click POST to the link turns that email off, and only for the link's person", async () => {
  const session = await fetch(`${suite.server.url}/api/auth/get-session`, {
    headers: { cookie: await signIn(person) },
  });
  const { user } = (await session.json()) as { user: { id: string } };
  expect(await answerEmailSetting()).toBe("immediate");
  const token = unsubscribeToken(SECRET, { userId: user.id, kind: "answer" }, new Date(Date.now() + 60 * 60_000));
  const oneClick = (link: string) =>
    fetch(link, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
      redirect: "manual",
    });
  expect((await oneClick(`${suite.server.url}/unsubscribe?token=${token.slice(0, -2)}xx`)).status).toBe(400);
  expect(await answerEmailSetting()).toBe("immediate");
  const res = await oneClick(`${suite.server.url}/unsubscribe?token=${token}`);
  expect(res.status).toBe(200);
  expect(await answerEmailSetting()).toBe("never");
});

/** The page's text as a reader sees it: scripts and tags dropped, entities decoded, spaces collapsed. */
function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

/** A fresh unsubscribe link's token for Grace's answer emails. */
async function answerToken(): Promise<string> {
  const session = await fetch(`${suite.server.url}/api/auth/get-session`, {
    headers: { cookie: await signIn(person) },
  });
  const { user } = (await session.json()) as { user: { id: string } };
  return unsubscribeToken(SECRET, { userId: user.id, kind: "answer" }, new Date(Date.now() + 60 * 60_000));
}

async function turnAnswerEmailsBackOn(): Promise<void> {
  await post("/settings/notifications", person, {
    intent: "save-email-settings",
    answer: "immediate",
    comment: "digest",
  });
  expect(await answerEmailSetting()).toBe("immediate");
}

test("a one-click POST works whatever Origin the mail provider sends; the page's form from elsewhere is refused", async () => {
  const token = await answerToken();
  const link = `${suite.server.url}/unsubscribe?token=${token}`;
  for (const origin of ["http://evil.example", "null"]) {
    await turnAnswerEmailsBackOn();
    const res = await fetch(link, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin },
      body: "List-Unsubscribe=One-Click",
      redirect: "manual",
    });
    expect(res.status, origin).toBe(200);
    expect(await answerEmailSetting(), origin).toBe("never");
  }

  // Anything else sent to the link from another site changes nothing, and says so on the usual page.
  await turnAnswerEmailsBackOn();
  for (const body of [new URLSearchParams({ token }), new URLSearchParams()]) {
    const refused = await fetch(link, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://evil.example" },
      body,
      redirect: "manual",
    });
    expect(refused.status).toBe(403);
    expect(textOf(await refused.text())).toContain("This didn't come from a PeerDesk page, so nothing was changed.");
  }
  expect(await answerEmailSetting()).toBe("immediate");
});

test("a sign-up confirmation link opened by someone else signed in says another account was confirmed, not theirs", async () => {
  const nia = "nia.okafor@example.com";
  const signUp = await fetch(`${suite.server.url}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: suite.server.url },
    body: JSON.stringify({ name: "Nia Okafor", email: nia, password: "nia okafor fixes the printers" }),
  });
  expect(signUp.status).toBe(200);
  // Without SMTP the link waits in the outbox, where an admin can read it.
  const mailList = await (await get("/admin/mail", "admin@peerdesk.test")).text();
  const mailId = new RegExp(`href="/admin/mail\\?id=(\\d+)"[^<]*</a><span[^>]*>${nia.replace(".", "\\.")}`).exec(
    mailList,
  )?.[1];
  const mail = textOf(await (await get(`/admin/mail?id=${mailId}`, "admin@peerdesk.test")).text());
  const path = /\/verify-email\?token=\S+/.exec(mail)?.[0] ?? "";
  expect(path).not.toBe("");

  const tom = "tom@peerdesk.test";
  const opened = await get(path, tom);
  expect(opened.status).toBe(200);
  // Said before confirming, too: the link is not for the account signed in.
  expect(textOf(await opened.text())).toContain(
    "This link is for another account than the one signed in here (Tom Becker).",
  );
  const token = decodeURIComponent(new URL(path, suite.server.url).searchParams.get("token") ?? "");
  const confirmed = await post(path, tom, { intent: "confirm", token });
  expect(confirmed.status).toBe(200);
  const text = textOf(await confirmed.text());
  expect(text).toContain(
    "The email address for another account was confirmed. You're signed in as Tom Becker, so nothing changed for your own account; that account's owner can now sign in and post.",
  );
  expect(text).not.toContain("Your email address is confirmed");
  expect(text).not.toContain(nia);
});
