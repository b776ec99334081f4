/** Body limits: a page's form gets the page's limit whether it comes with JavaScript (to `.data`) or without. */
import { bodyRuleFor, isOneClickUnsubscribeBody } from "./http-guards.server";

describe("body limits", () => {
  test.each([
    ["/ask", "/ask.data"],
    ["/q/12/printer-queue", "/q/12/printer-queue.data"],
    ["/howtos/new", "/howtos/new.data"],
    ["/settings/avatar", "/settings/avatar.data"],
    ["/settings/profile", "/settings/profile.data"],
    ["/", "/_root.data"],
  ])("%s and its data address take the same rule", (page, dataAddress) => {
    expect(bodyRuleFor(dataAddress)).toBe(bodyRuleFor(page));
  });

  test("a long question fits, with JavaScript or without; an ordinary form stays small", () => {
    expect(bodyRuleFor("/ask.data").maxBytes).toBeGreaterThanOrEqual(2 * 1024 * 1024);
    expect(bodyRuleFor("/settings/profile.data").maxBytes).toBe(64 * 1024);
  });
});

describe("a mail app's one-click unsubscribe (RFC 8058), the only POST let through from another origin", () => {
  const form = "application/x-www-form-urlencoded";
  test("is List-Unsubscribe=One-Click, form-encoded or multipart", async () => {
    expect(await isOneClickUnsubscribeBody(Buffer.from("List-Unsubscribe=One-Click"), form)).toBe(true);
    const multipart = new Response(
      (() => {
        const body = new FormData();
        body.set("List-Unsubscribe", "One-Click");
        return body;
      })(),
    );
    const type = multipart.headers.get("content-type") ?? "";
    expect(await isOneClickUnsubscribeBody(Buffer.from(await multipart.arrayBuffer()), type)).toBe(true);
  });

  test("the page's own form, an empty body or anything else is not", async () => {
    expect(await isOneClickUnsubscribeBody(Buffer.from("token=abc"), form)).toBe(false);
    expect(await isOneClickUnsubscribeBody(Buffer.alloc(0), form)).toBe(false);
    expect(await isOneClickUnsubscribeBody(Buffer.from("List-Unsubscribe=Yes"), form)).toBe(false);
    expect(await isOneClickUnsubscribeBody(Buffer.from("--x\r\nbroken"), "multipart/form-data; boundary=x")).toBe(
      false,
    );
  });
});
