/** Waits are said in whole minutes, never shorter than the real wait. */
import { aboutMinutes } from "./wait-time";

test("a wait in seconds reads as about so many minutes, rounded up", () => {
  expect(aboutMinutes(512)).toBe("about 9 minutes");
  expect(aboutMinutes(60)).toBe("about a minute");
  expect(aboutMinutes(5)).toBe("about a minute");
  expect(aboutMinutes(900)).toBe("about 15 minutes");
});
