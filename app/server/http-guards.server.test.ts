/** Body limits: a page's form gets the page's limit whether it comes with JavaScript (to `.data`) or without. */
import { bodyRuleFor } from "./http-guards.server";

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
