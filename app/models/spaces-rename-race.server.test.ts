/**
 * Two admins renaming two spaces to the same name at the same moment: one rename wins, the other is told the name is
 * taken (a 400 beside the name field at /admin/spaces, what typed kept), never two spaces of one name. On PGlite the
 * second rename waits for the first's turn; on PostgreSQL (CI's second pass) it really starts while the first is
 * being saved, and waits for it as a create does.
 */
import type { Database } from "#db/client.server";
import { action as spacesAction } from "~/routes/admin.spaces";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeUser } from "../../tests/fixtures/people";
import { type Browser, payload, signedInAdmin, testServices } from "../../tests/fixtures/routes";
import { whileOpen } from "../../tests/fixtures/while-open";
import { SpaceRuleError, createSpace, listSpacesForAdmin, updateSpace } from "./spaces.server";

let database: Database;
let admin: Browser;
let adminId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  ({ browser: admin, id: adminId } = await signedInAdmin(testServices(database), "10.61.0.2"));
});
afterAll(() => database.close());

const namesOf = async (ids: number[]) =>
  (await listSpacesForAdmin(database.db)).filter((space) => ids.includes(space.id)).map((space) => space.name);

test("two spaces renamed to one name at the same moment: one rename wins, the other is told the name is taken", async () => {
  const { db } = database;
  const otherAdmin = await makeUser(db, { role: "admin" });
  const first = await createSpace(db, { name: "Printers", description: "", by: adminId });
  const second = await createSpace(db, { name: "Copiers", description: "", by: otherAdmin });

  const { finishedWhileOpen, other } = await whileOpen(
    db,
    (tx) =>
      updateSpace(tx, { spaceId: first.id, name: "Printing", description: "", isPlainLanguage: false, by: adminId }),
    () =>
      updateSpace(db, {
        spaceId: second.id,
        name: "printing!",
        description: "",
        isPlainLanguage: false,
        by: otherAdmin,
      }),
  );

  // The second rename waited for the first to be saved, then found the name taken.
  expect(finishedWhileOpen).toBe(false);
  expect(other.status).toBe("rejected");
  const refused = other.status === "rejected" ? other.reason : null;
  expect(refused).toBeInstanceOf(SpaceRuleError);
  expect(refused instanceof SpaceRuleError && [refused.status, refused.field, refused.message]).toEqual([
    400,
    "name",
    "There's already a space called “Printing”.",
  ]);
  expect(await namesOf([first.id, second.id])).toEqual(["Printing", "Copiers"]);
});

test("through the page, the rename that lost answers 400 beside the name with what was typed, not a server error", async () => {
  const { db } = database;
  const first = await createSpace(db, { name: "Laptops", description: "", by: adminId });
  const second = await createSpace(db, { name: "Desktops", description: "", by: adminId });

  const { other } = await whileOpen(
    db,
    (tx) =>
      updateSpace(tx, { spaceId: first.id, name: "Computers", description: "", isPlainLanguage: false, by: adminId }),
    () =>
      admin.submit(spacesAction, "/admin/spaces", {
        intent: "update",
        spaceId: String(second.id),
        name: "Computers",
        description: "Every kind of computer.",
      }),
  );

  expect(other.status).toBe("fulfilled");
  const answer = payload<{ ok: boolean; fieldErrors: Record<string, string>; values?: Record<string, string> }>(
    other.status === "fulfilled" ? other.value : null,
  );
  expect(answer.status).toBe(400);
  expect(answer.data.ok).toBe(false);
  expect(answer.data.fieldErrors.name).toBe("There's already a space called “Computers”.");
  expect(answer.data.values).toMatchObject({ name: "Computers", description: "Every kind of computer." });
  expect(await namesOf([first.id, second.id])).toEqual(["Computers", "Desktops"]);
});
