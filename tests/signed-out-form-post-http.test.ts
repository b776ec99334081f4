/**
 * On the built server: a member whose session was ended from another device sends an answer. Without JavaScript (a
 * page's form post) it comes back on the error page (401) with the text to copy and a Sign in link; with JavaScript
 * (Remix's single-fetch data request, `/q/N.data`) it is still sent to sign in, where the browser puts the text back;
 * opening a page is still sent to sign in too. A settings form's text comes back the same way.
 */
import { randomUUID } from "node:crypto";
import { realServer, signInCookie } from "./fixtures/real-server";

const suite = realServer();

const ANSWER = "Stale tab: set the printer's address as a DHCP reservation & point the queue at it, not at its name.";

/** A form post from `cookie`'s browser, as it sends it, redirects not followed. */
function postForm(path: string, cookie: string, fields: Record<string, string>) {
  return fetch(`${suite.server.url}${path}`, {
    method: "POST",
    headers: { cookie, Origin: suite.server.url, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
    redirect: "manual",
  });
}

test("an answer sent after the session was ended elsewhere: the page hands it back without JavaScript, the data request still redirects", async () => {
  const phone = await signInCookie(suite.server, "grace@peerdesk.test");
  const laptop = await signInCookie(suite.server, "grace@peerdesk.test");
  const ended = await postForm("/settings/devices", laptop, { intent: "sign-out-others" });
  expect(ended.status).toBe(200);
  expect(await ended.text()).toContain("Signed out of 1 other device.");

  const fields = { intent: "answer", idempotencyKey: randomUUID(), js: "0", body: ANSWER };
  const page = await postForm("/q/36", phone, fields);
  expect(page.status).toBe(401);
  const html = await page.text();
  expect(html).toContain(
    "You&#x27;re signed out (you signed out in another tab, or your session was ended from another device), so this wasn&#x27;t saved. What you typed is below, to copy.",
  );
  expect(html).toMatch(/<textarea[^>]*readOnly=""[^>]*>Stale tab: set the printer&#x27;s address/i);
  expect(html).not.toContain(fields.idempotencyKey);
  expect(html).toMatch(/<a[^>]* href="\/signin\?redirectTo=%2Fq%2F36"[^>]*>Sign in<\/a>/);

  // With JavaScript the form goes to the page's data address: a redirect to sign in, as before.
  const script = await postForm("/q/36.data", phone, { ...fields, js: "1" });
  expect(script.status).toBe(202);
  const sent = await script.text();
  expect(sent).toContain("/signin?redirectTo=%2Fq%2F36");
  expect(sent).not.toContain("What you typed");

  // A settings page's form (the app's own error page at the root, with no page loader run) hands back the bio.
  const bio = "Finance team lead; I ask about spreadsheets & shared drives.";
  const profile = await postForm("/settings/profile", phone, { name: "Grace Kim", bio, timeZone: "Europe/London" });
  expect(profile.status).toBe(401);
  const profileHtml = await profile.text();
  expect(profileHtml).toMatch(
    /<textarea[^>]*readOnly=""[^>]*>Name:\nGrace Kim\n\nBio:\nFinance team lead; I ask about spreadsheets &amp; shared drives.<\/textarea>/i,
  );
  expect(profileHtml).toMatch(/<a[^>]* href="\/signin\?redirectTo=%2Fsettings%2Fprofile"[^>]*>Sign in<\/a>/);

  const opened = await fetch(`${suite.server.url}/settings/profile`, {
    headers: { cookie: phone },
    redirect: "manual",
  });
  expect(opened.status).toBe(302);
  expect(opened.headers.get("location")).toBe("/signin?redirectTo=%2Fsettings%2Fprofile");
}, 120_000);
