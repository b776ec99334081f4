/**
 * On a phone: strangers guessing a member's password from many addresses pause signing in to the account for browsers
 * that never signed in to it, and the pause says what still works; the member's own phone, signed out meanwhile,
 * signs in as usual. The server trusts X-Forwarded-For here (TRUST_PROXY), so the guesses come from many addresses as
 * they would from a botnet, and the per-address sign-in limit stays out of the way.
 */
import { DEMO_PASSWORD } from "~/models/demo-admin.server";
import { SIGN_IN_LOCK } from "~/models/sign-in-throttle.server";
import { accessibilityViolations, hasChromium, phoneSuite, sidewaysOverflow, signInAs } from "./harness";

describe.skipIf(!hasChromium)("a sign-in paused by strangers' guesses, on a phone", () => {
  const suite = phoneSuite({ TRUST_PROXY: "true" });
  const email = "sofia@peerdesk.test";

  test("strangers' wrong passwords pause the account for new browsers, not for the phone its owner signs in on", async () => {
    const ownPhone = await (await suite.context()).newPage();
    await signInAs(ownPhone, email);
    await ownPhone.locator("summary", { hasText: "Sofia" }).click();
    await ownPhone.getByRole("button", { name: "Sign out" }).click();
    await ownPhone.getByRole("link", { name: "Sign in" }).first().waitFor();

    for (let i = 0; i < SIGN_IN_LOCK.maxFailures; i++) {
      const res = await fetch(`${suite.server.url}/api/auth/sign-in/email`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Origin: suite.server.url,
          "X-Forwarded-For": `203.0.113.${i + 1}`,
        },
        body: JSON.stringify({ email, password: `a stranger's guess number ${i}` }),
      });
      expect(res.status).toBe(401);
    }

    // A phone that never signed in to the account is told to wait, and what works meanwhile; the address stays typed.
    // The pause ends at a time in the phone's own zone, and "in about 15 minutes" reads right on any clock.
    const newPhone = await (await suite.context({ timezoneId: "Asia/Kolkata" })).newPage();
    await newPhone.goto("/signin");
    await newPhone.getByLabel("Email").fill(email);
    await newPhone.getByLabel("Password").fill(DEMO_PASSWORD);
    await newPhone.getByRole("button", { name: "Sign in" }).click();
    const alert = newPhone.getByRole("alert").filter({ hasText: "Too many wrong passwords" });
    await alert.waitFor();
    expect(await alert.textContent()).toContain("sign in from a browser you have used before");
    expect(await alert.textContent()).toContain(`(in about ${SIGN_IN_LOCK.lockMinutes} minutes)`);
    await expect.poll(() => alert.locator("time").textContent()).toMatch(/GMT\+5:30|IST/);
    expect(await alert.textContent()).not.toContain("UTC");
    expect(await newPhone.getByLabel("Email").inputValue()).toBe(email);
    expect(await accessibilityViolations(newPhone), "/signin (paused)").toEqual([]);
    expect(await sidewaysOverflow(newPhone), "/signin (paused) scrolls sideways").toBeLessThanOrEqual(0);

    // The owner's phone signs in as usual.
    await signInAs(ownPhone, email);
    await ownPhone.locator("summary", { hasText: "Sofia" }).waitFor();
  });
});
