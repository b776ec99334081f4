/** The trust levels help page names the new-account period as people say it: "its first day", "its first 7 days". */
import { firstDays } from "./help.trust-levels";

test("a one-day new-account period reads as its first day, longer ones as so many days", () => {
  expect(`for its first ${firstDays(1)}`).toBe("for its first day");
  expect(`for its first ${firstDays(7)}`).toBe("for its first 7 days");
  expect(`for its first ${firstDays(0)}`).toBe("for its first 0 days");
});
