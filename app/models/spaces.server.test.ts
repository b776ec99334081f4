import type { Database } from "#db/client.server";
import { insertPosts } from "../../scripts/seed/demo";
import { createTestDatabase } from "../../tests/fixtures/db";
import { describeModerationAction, listModerationLog } from "./moderation.server";
import {
  SpaceConflictError,
  SpaceRuleError,
  createSpace,
  getSpaceBySlug,
  listSpaces,
  listSpacesForAdmin,
  moveSpace,
  setSpaceArchived,
  updateSpace,
} from "./spaces.server";
import { makeUser } from "../../tests/fixtures/people";

let database: Database;
let adminId: string;
beforeAll(async () => {
  database = await createTestDatabase();
  adminId = await makeUser(database.db, { role: "admin" });
});
afterAll(() => database.close());

const names = async () => (await listSpaces(database.db, { includeArchived: true })).map((s) => s.name);

describe("spaces", () => {
  test("a new space gets a slug from its name and goes to the end of the list", async () => {
    await createSpace(database.db, { name: "Networking", description: "Wires", by: adminId });
    const space = await createSpace(database.db, { name: "Microsoft 365 & Teams", description: "", by: adminId });
    expect(space.slug).toBe("microsoft-365-teams");
    expect(await names()).toEqual(["Networking", "Microsoft 365 & Teams"]);
  });

  test("two spaces cannot share a name, whatever the letter case", async () => {
    await expect(createSpace(database.db, { name: "NETWORKING", description: "", by: adminId })).rejects.toSatisfy(
      (e: unknown) => e instanceof SpaceRuleError && e.field === "name",
    );
  });

  test("renaming keeps the address so links keep working", async () => {
    const space = await getSpaceBySlug(database.db, "networking");
    if (!space) throw new Error("missing");
    await updateSpace(database.db, {
      spaceId: space.id,
      name: "Networks",
      description: "Cables and Wi-Fi",
      isPlainLanguage: false,
      by: adminId,
    });
    const renamed = await getSpaceBySlug(database.db, "networking");
    expect(renamed?.name).toBe("Networks");
    expect(renamed?.description).toBe("Cables and Wi-Fi");
  });

  test("spaces move up and down, and stay put at the ends", async () => {
    const security = await createSpace(database.db, { name: "Security", description: "", by: adminId });
    const [networks, microsoft] = await listSpaces(database.db);
    if (!networks || !microsoft) throw new Error("missing");
    expect(await names()).toEqual(["Networks", "Microsoft 365 & Teams", "Security"]);
    const move = (direction: "up" | "down", swapWithId: number) =>
      moveSpace(database.db, { spaceId: security.id, direction, swapWithId, by: adminId });
    await move("up", microsoft.id);
    expect(await names()).toEqual(["Networks", "Security", "Microsoft 365 & Teams"]);
    await move("up", networks.id);
    expect(await names()).toEqual(["Security", "Networks", "Microsoft 365 & Teams"]);
    // Already first: a move up (from a page that showed it lower) is refused, and nothing moves.
    await expect(move("up", networks.id)).rejects.toSatisfy(
      (e: unknown) => e instanceof SpaceRuleError && e.status === 409,
    );
    expect(await names()).toEqual(["Security", "Networks", "Microsoft 365 & Teams"]);
    await move("down", networks.id);
    expect(await names()).toEqual(["Networks", "Security", "Microsoft 365 & Teams"]);
  });

  test("archived spaces leave the public list but can be restored", async () => {
    const space = await getSpaceBySlug(database.db, "security");
    if (!space) throw new Error("missing");
    await setSpaceArchived(database.db, { spaceId: space.id, archived: true, by: adminId });
    expect((await listSpaces(database.db)).map((s) => s.name)).not.toContain("Security");
    expect(await names()).toContain("Security");
    await setSpaceArchived(database.db, { spaceId: space.id, archived: false, by: adminId });
    expect((await listSpaces(database.db)).map((s) => s.name)).toContain("Security");
  });

  test("each space counts its own questions, not answers or other spaces' posts", async () => {
    const author = await makeUser(database.db);
    const space = await getSpaceBySlug(database.db, "microsoft-365-teams");
    const other = await getSpaceBySlug(database.db, "networking");
    if (!space || !other) throw new Error("missing");
    const [q1] = await insertPosts(database.db, [
      {
        kind: "question",
        spaceId: space.id,
        authorId: author,
        title: "Teams meeting audio echoes",
        body: "Echo on every call",
      },
      {
        kind: "question",
        spaceId: space.id,
        authorId: author,
        title: "Outlook search finds nothing",
        body: "Index is empty",
      },
      { kind: "question", spaceId: other.id, authorId: author, title: "Switch port flaps", body: "Every ten minutes" },
    ]);
    await insertPosts(database.db, [
      { kind: "answer", spaceId: space.id, authorId: author, parentId: q1, body: "Turn off the second device." },
    ]);
    const counts = Object.fromEntries(
      (await listSpaces(database.db, { includeArchived: true })).map((s) => [s.slug, s.questionCount]),
    );
    expect(counts["microsoft-365-teams"]).toBe(2);
    expect(counts.networking).toBe(1);
    expect(counts.security).toBe(0);
  });

  test("a name that only looks different (a tab, a zero-width space, two spaces) is the same name, stored tidy", async () => {
    const space = await createSpace(database.db, { name: " Tab\tname\u200b ", description: "", by: adminId });
    expect(space.name).toBe("Tab name");
    await expect(createSpace(database.db, { name: "tab  NAME", description: "", by: adminId })).rejects.toSatisfy(
      (e: unknown) => e instanceof SpaceRuleError && e.field === "name",
    );
    await setSpaceArchived(database.db, { spaceId: space.id, archived: true, by: adminId });
  });

  test("every change is written to the moderation log with who did it", async () => {
    const log = await listModerationLog(database.db, { limit: 100 });
    const actions = log.map((e) => e.action);
    for (const action of ["space.create", "space.edit", "space.reorder", "space.archive", "space.unarchive"])
      expect(actions).toContain(action);
    expect(log.every((e) => e.actorName !== null)).toBe(true);
    // The public log reads as words, never as the action's code.
    expect(
      log.map((e) => describeModerationAction(e.action)).filter((words) => /^[a-z]+\.[a-zA-Z]+$/.test(words)),
    ).toEqual([]);
    expect(describeModerationAction("question.move")).toBe("moved a question to another space");
  });

  test("an edit made on a version another admin has replaced is refused with theirs; made on it, it saves", async () => {
    const { db } = database;
    const otherAdminId = await makeUser(db, { role: "admin", name: "Ada Admin" });
    const space = await createSpace(db, { name: "Printers", description: "Queues and toner", by: adminId });
    const version = async () => (await listSpacesForAdmin(db)).find((s) => s.id === space.id)?.updatedAt;
    const opened = await version();
    const edit = { spaceId: space.id, isPlainLanguage: false, by: adminId };

    await updateSpace(db, {
      ...edit,
      name: "Printing",
      description: "Queues, toner, scanners",
      baseUpdatedAt: opened,
      by: otherAdminId,
    });
    const refused = await updateSpace(db, {
      ...edit,
      name: "Printers & scanners",
      description: "",
      baseUpdatedAt: opened,
    }).then(
      () => null,
      (error: unknown) => error,
    );
    if (!(refused instanceof SpaceConflictError)) throw new Error(`expected a conflict, got ${String(refused)}`);
    expect(refused.message).toMatch(
      /^Ada Admin changed this space after you opened its form, so your changes are not saved yet/,
    );
    expect(refused.current).toMatchObject({
      name: "Printing",
      description: "Queues, toner, scanners",
      isPlainLanguage: false,
    });
    expect((await getSpaceBySlug(db, "printers"))?.name).toBe("Printing");
    expect(refused.current.updatedAt).toEqual(await version());

    await updateSpace(db, {
      ...edit,
      name: "Printers & scanners",
      description: "",
      baseUpdatedAt: refused.current.updatedAt,
    });
    expect((await getSpaceBySlug(db, "printers"))?.name).toBe("Printers & scanners");
    // Archiving is a change too: a form opened before it says so (here, the admin's own other tab).
    const beforeArchive = await version();
    await setSpaceArchived(db, { spaceId: space.id, archived: true, by: adminId });
    await expect(
      updateSpace(db, { ...edit, name: "Printers", description: "", baseUpdatedAt: beforeArchive }),
    ).rejects.toThrow(/^You changed this space in another tab or window after you opened its form/);
  });

  test("a name needs a letter or number, and one that differs from another only in punctuation or case is refused", async () => {
    const refusal = (name: string) =>
      createSpace(database.db, { name, description: "", by: adminId }).then(
        () => null,
        (error: unknown) => (error instanceof SpaceRuleError ? [error.field, error.message] : error),
      );
    for (const name of ["!!!!", "🙂🙂🙂", "- - -"])
      expect(await refusal(name), name).toEqual(["name", "A space's name needs at least one letter or number."]);
    // (Described, so its exact name below is a clash: the same form sent again at once is a double tap, not refused.)
    const laptops = await createSpace(database.db, { name: "Laptops & Docks", description: "Docking", by: adminId });
    for (const name of ["laptops docks!", "LAPTOPS-&-DOCKS", "Laptops & Docks"])
      expect(await refusal(name), name).toEqual(["name", "There's already a space called “Laptops & Docks”."]);
    // Its own name, retyped in another case, is still its own.
    await updateSpace(database.db, {
      spaceId: laptops.id,
      name: "Laptops & docks",
      description: "",
      isPlainLanguage: false,
      by: adminId,
    });
    await expect(
      updateSpace(database.db, {
        spaceId: laptops.id,
        name: "??",
        description: "",
        isPlainLanguage: false,
        by: adminId,
      }),
    ).rejects.toThrow("A space's name needs at least one letter or number.");
  });

  test("archiving, moving or editing a space that doesn't exist is refused as not found, not done in silence", async () => {
    // Started one at a time: together, PostgreSQL would reject the later ones while the first is awaited.
    for (const attempt of [
      () => setSpaceArchived(database.db, { spaceId: 999_999, archived: true, by: adminId }),
      () => setSpaceArchived(database.db, { spaceId: 999_999, archived: false, by: adminId }),
      () => moveSpace(database.db, { spaceId: 999_999, direction: "up", swapWithId: 1, by: adminId }),
      () =>
        updateSpace(database.db, {
          spaceId: 999_999,
          name: "Nowhere",
          description: "",
          isPlainLanguage: false,
          by: adminId,
        }),
    ])
      await expect(attempt()).rejects.toSatisfy((e: unknown) => e instanceof SpaceRuleError && e.status === 404);
    // Archiving one already archived (a second click) is still fine.
    const space = await createSpace(database.db, { name: "Twice archived", description: "", by: adminId });
    await setSpaceArchived(database.db, { spaceId: space.id, archived: true, by: adminId });
    await setSpaceArchived(database.db, { spaceId: space.id, archived: true, by: adminId });
  });
});
