/** The password check's words: why a password is refused, in plain language. */
import { USER_INPUTS_WARNING, passwordWeakness } from "./password-strength.server";

describe("password strength", () => {
  test("a password made of the person's own email address says so in plain words", async () => {
    const weakness = await passwordWeakness("sofia@peerdesk.test", ["Sofia Ortiz", "sofia@peerdesk.test"]);
    expect(weakness).toContain(USER_INPUTS_WARNING);
    expect(weakness).not.toMatch(/page related/);
  });

  test("a sentence only the person would think of passes", async () => {
    expect(await passwordWeakness("my blue kettle sings at dawn", ["Sofia Ortiz", "sofia@peerdesk.test"])).toBeNull();
  });
});
