/**
 * One-click unsubscribe (RFC 8058) against the real built server: a mail app POSTs `List-Unsubscribe=One-Click` to
 * the link in the email's List-Unsubscribe header, from no page of ours (no Origin, no cookie), and that email stops.
 */
import { unsubscribeToken } from "~/models/email-preferences.server";
import { realServer } from "./fixtures/real-server";

// The secret the test server is started with (tests/e2e/harness.ts).
const SECRET = "e2e-secret-e2e-secret-e2e-secret-0123456789";
const suite = realServer({ BETTER_AUTH_SECRET: SECRET });
const { signIn, get } = suite;
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
