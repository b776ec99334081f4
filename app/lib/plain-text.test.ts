/** Invisible control characters are dropped from what people type and from feeds; everything visible stays. */
import { profileSchema } from "~/auth/validation";
import { commentBodyField, questionBodyField, titleField } from "~/models/post-fields.server";
import { capitalised, withoutControlCharacters, xmlSafe } from "./plain-text";

test("control characters go, tabs, newlines, emoji and other scripts stay", () => {
  expect(withoutControlCharacters("a\u0001b\u0008c\u000bd\u001be\u007ff\u0085g\uffffh")).toBe("abcdefgh");
  expect(withoutControlCharacters("tab\there\nline\r\nend 😀 日本 é")).toBe("tab\there\nline\r\nend 😀 日本 é");
  // A lone half of a surrogate pair is not text; a whole pair (the emoji above) is.
  expect(withoutControlCharacters("x\ud800y")).toBe("xy");
  expect(xmlSafe("a\u0000b\u0008c")).toBe("abc");
});

test("titles, bodies, comments and names lose them before they are checked and stored", () => {
  expect(titleField.parse("Printer\u0008 jams\u000b after update")).toBe("Printer jams after update");
  expect(questionBodyField.parse("The tray\u001b jams every morning since the update.")).toBe(
    "The tray jams every morning since the update.",
  );
  expect(commentBodyField.parse("Same here\u0007 on floor 2")).toBe("Same here on floor 2");
  expect(profileSchema.shape.name.parse("Bea\u0001 Ops")).toBe("Bea Ops");
  // Only invisible characters left: counted as empty, with the usual message.
  expect(titleField.safeParse("\u0001\u0002\u0003").success).toBe(false);
});

test("a sentence that starts with an anonymous asker's name starts with a capital", () => {
  expect(capitalised("someone from the community mentioned you")).toBe("Someone from the community mentioned you");
  expect(capitalised("Tom Becker answered")).toBe("Tom Becker answered");
  expect(capitalised("")).toBe("");
});
