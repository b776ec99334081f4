/**
 * An address that doesn't exist shows a signed-in person the header they see on every other page (their name, their
 * menu), not "Sign in / Join"; a signed-out reader still gets the signed-out header. Against the real built server and
 * the demo community.
 */
import { realServer } from "./fixtures/real-server";

const suite = realServer();
const { get, post } = suite;
const person = "dev@peerdesk.test";

/** The page's header, as sent (the part before the main content). */
async function headerOf(res: Response): Promise<string> {
  const html = await res.text();
  return html.slice(0, html.indexOf('<main id="main"'));
}

test("a not-found page names a signed-in person in the header, with their menu; a signed-out reader's offers Sign in", async () => {
  for (const path of ["/nonexistent-page", "/q/1/nonexistent/more", "/admin/nonexistent", "/settings/nothing-here"]) {
    const res = await get(path, person);
    expect(res.status, path).toBe(404);
    const header = await headerOf(res);
    expect(header, path).toContain("Dev Patel");
    expect(header, path).toContain('action="/signout"');
    expect(header, path).toContain('href="/settings/profile"');
    expect(header, path).not.toContain('href="/signin"');
    expect(header, path).not.toContain('href="/signup"');

    const signedOut = await get(path);
    expect(signedOut.status, path).toBe(404);
    const html = await signedOut.text();
    expect(html, path).toContain("We couldn&#x27;t find that page.");
    const signedOutHeader = html.slice(0, html.indexOf('<main id="main"'));
    expect(signedOutHeader, path).toContain('href="/signin"');
    expect(signedOutHeader, path).not.toContain('action="/signout"');
  }
});

test("a form sent to an address that doesn't exist is a not-found page too, with the person's header", async () => {
  const res = await post("/nonexistent-page", person, { title: "anything" });
  expect(res.status).toBe(404);
  const header = await headerOf(res);
  expect(header).toContain("Dev Patel");
  expect(header).not.toContain('href="/signin"');
});

test("asked what an address that doesn't exist answers (OPTIONS), the server says there is nothing there", async () => {
  const res = await fetch(`${suite.server.url}/nonexistent-page`, { method: "OPTIONS" });
  expect(res.status).toBe(404);
  expect(res.headers.get("allow")).toBeNull();
});
