import { providerCheckedTwoFactors } from "./sso-two-factor.server";

describe("when the identity provider's amr claim counts as two factors", () => {
  test.each([
    [{ amr: ["mfa"] }, true],
    [{ amr: ["pwd", "otp"] }, true],
    [{ amr: ["hwk", "pin"] }, true],
    [{ amr: ["pwd"] }, false],
    [{ amr: ["otp"] }, false],
    // The same method twice, unknown words and a plain string are not two factors.
    [{ amr: ["pwd", "pwd"] }, false],
    [{ amr: ["pwd", "magic"] }, false],
    [{ amr: "mfa" }, false],
    [{}, false],
  ])("%j → %s", (claims, expected) => {
    expect(providerCheckedTwoFactors(claims)).toBe(expected);
  });
});
