/**
 * The spaces admin's forms sent twice (a double tap, two tabs, a retried request), through the model and the
 * /admin/spaces action on the real database: a move moves one place and the repeat says the order changed, and a
 * create repeated by the admin who just made the space is the same success, while anyone else's clash is still refused.
 */
import { and, eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { moderationLog } from "#db/schema";
import { action as spacesAction, default as spacesPage, loader as spacesLoader } from "~/routes/admin.spaces";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeUser } from "../../tests/fixtures/people";
import { renderRoute } from "../../tests/fixtures/render-route";
import { type Browser, payload, signedInAdmin, testServices } from "../../tests/fixtures/routes";
import { SPACE_ORDER_CHANGED, SpaceRuleError, createSpace, listSpacesForAdmin, moveSpace } from "./spaces.server";

let database: Database;
let admin: Browser;
let adminId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  ({ browser: admin, id: adminId } = await signedInAdmin(testServices(database), "10.61.0.1"));
});
afterAll(() => database.close());

/** The spaces' ids in the admin list's order. */
const order = async () => (await listSpacesForAdmin(database.db)).map((space) => space.id);

/** Six spaces, 1 to 6 in this test's own numbering: their ids. */
async function sixSpaces(label: string): Promise<number[]> {
  const ids: number[] = [];
  for (let n = 1; n <= 6; n++)
    ids.push((await createSpace(database.db, { name: `${label} ${n}`, description: "", by: adminId })).id);
  return ids;
}

/** The spaces' ids after the ones made before this test, so each test reads only its own six. */
const ownOrder = async (ids: number[]) => (await order()).filter((id) => ids.includes(id));

describe("moving a space", () => {
  test("a double-tapped Move up moves the space one place, and the second tap changes nothing and says why", async () => {
    const [s1, s2, s3, s4, s5, s6] = await sixSpaces("Together");
    if (!s1 || !s2 || !s3 || !s4 || !s5 || !s6) throw new Error("missing");
    const tap = () => moveSpace(database.db, { spaceId: s5, direction: "up", swapWithId: s4, by: adminId });
    const outcomes = await Promise.allSettled([tap(), tap()]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["fulfilled", "rejected"]);
    const refused = outcomes.find((outcome) => outcome.status === "rejected");
    expect(refused?.status === "rejected" && refused.reason instanceof SpaceRuleError).toBe(true);
    expect(refused?.status === "rejected" ? [refused.reason.status, refused.reason.message] : null).toEqual([
      409,
      SPACE_ORDER_CHANGED,
    ]);
    expect(await ownOrder([s1, s2, s3, s4, s5, s6])).toEqual([s1, s2, s3, s5, s4, s6]);
  });

  test("the same move sent again later (a retried request, a stale tab) is refused and moves nothing", async () => {
    const ids = await sixSpaces("One by one");
    const [s1, s2, s3, s4, s5, s6] = ids;
    if (!s1 || !s2 || !s3 || !s4 || !s5 || !s6) throw new Error("missing");
    await moveSpace(database.db, { spaceId: s5, direction: "up", swapWithId: s4, by: adminId });
    await expect(moveSpace(database.db, { spaceId: s5, direction: "up", swapWithId: s4, by: adminId })).rejects.toThrow(
      SPACE_ORDER_CHANGED,
    );
    expect(await ownOrder(ids)).toEqual([s1, s2, s3, s5, s4, s6]);
    // A move made on the page as it is now goes through.
    await moveSpace(database.db, { spaceId: s5, direction: "up", swapWithId: s3, by: adminId });
    expect(await ownOrder(ids)).toEqual([s1, s2, s5, s3, s4, s6]);
  });

  test("through the page: two taps at once answer 200 then 409 with words, and the page shows the order as it is now", async () => {
    const ids = await sixSpaces("Page");
    const [s1, s2, s3, s4, s5, s6] = ids;
    if (!s1 || !s2 || !s3 || !s4 || !s5 || !s6) throw new Error("missing");
    const form = { intent: "move", spaceId: String(s5), direction: "up", swapWithId: String(s4) };
    const answers = (
      await Promise.all([
        admin.submit(spacesAction, "/admin/spaces", form),
        admin.submit(spacesAction, "/admin/spaces", form),
      ])
    ).map((answer) => payload<{ ok: boolean; message?: string }>(answer));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const refused = answers.find((answer) => answer.status === 409);
    expect(refused?.data).toMatchObject({ ok: false, message: SPACE_ORDER_CHANGED });
    expect(await ownOrder(ids)).toEqual([s1, s2, s3, s5, s4, s6]);

    const html = (
      await renderRoute(
        admin,
        { loader: spacesLoader, default: spacesPage },
        {
          path: "/admin/spaces",
          actionData: refused?.data,
        },
      )
    ).replaceAll("<!-- -->", "");
    expect(html).toContain("The order of the spaces changed after this page was loaded");
    const listed = [...html.matchAll(/<p class="font-semibold">\d+\. (Page \d)/g)].map((match) => match[1]);
    expect(listed).toEqual(["Page 1", "Page 2", "Page 3", "Page 5", "Page 4", "Page 6"]);
    // Each arrow says which neighbour it swaps with, as listed.
    expect(html).toMatch(
      new RegExp(
        `name="spaceId" value="${s5}"/><input type="hidden" name="direction" value="up"/><input type="hidden" name="swapWithId" value="${s3}"/>`,
      ),
    );
  });

  test("a move sent without the neighbour the page showed (a page from before) is refused with words, not done", async () => {
    const ids = await sixSpaces("Old page");
    const before = await ownOrder(ids);
    const answer = payload<{ ok: boolean; message?: string }>(
      await admin.submit(spacesAction, "/admin/spaces", { intent: "move", spaceId: String(ids[4]), direction: "up" }),
    );
    expect(answer.status).toBe(400);
    expect(answer.data.message).toBe("This page is out of date. Reload it to see the spaces in their current order.");
    expect(await ownOrder(ids)).toEqual(before);
  });
});

describe("creating a space", () => {
  const form = (name: string) => ({
    intent: "create",
    name,
    description: "Made by a double tap.",
    isPlainLanguage: "on",
  });
  const spaceCreated = (id: number) =>
    and(
      eq(moderationLog.action, "space.create"),
      eq(moderationLog.targetType, "space"),
      eq(moderationLog.targetId, String(id)),
    );
  const copies = async (name: string) =>
    (await listSpacesForAdmin(database.db)).filter((space) => space.name === name).length;

  test("a double-tapped Create space makes one space and both taps say it was created", async () => {
    const answers = (
      await Promise.all([
        admin.submit(spacesAction, "/admin/spaces", form("Printers")),
        admin.submit(spacesAction, "/admin/spaces", form("Printers")),
      ])
    ).map((answer) => payload<{ ok: boolean; message?: string }>(answer));
    expect(answers.map((answer) => [answer.status, answer.data.message])).toEqual([
      [200, "Created “Printers”."],
      [200, "Created “Printers”."],
    ]);
    expect(await copies("Printers")).toBe(1);
  });

  test("sent again right after, the same form is the same success; sent by another admin, or long after, it is refused", async () => {
    const first = await createSpace(database.db, { name: "Phones", description: "Mobiles", by: adminId });
    const again = await createSpace(database.db, { name: "Phones", description: "Mobiles", by: adminId });
    expect(again.id).toBe(first.id);
    expect(await copies("Phones")).toBe(1);
    // The log has one creation.
    const created = await database.db
      .select({ id: moderationLog.id })
      .from(moderationLog)
      .where(spaceCreated(first.id));
    expect(created).toHaveLength(1);

    const otherAdmin = await makeUser(database.db, { role: "admin" });
    await expect(createSpace(database.db, { name: "Phones", description: "Mobiles", by: otherAdmin })).rejects.toThrow(
      "There's already a space called “Phones”.",
    );
    // Something else under the same name, by the same admin: a clash, not a repeat.
    await expect(createSpace(database.db, { name: "Phones", description: "Desk phones", by: adminId })).rejects.toThrow(
      "There's already a space called “Phones”.",
    );
    // Long after, the same form is refused too: the space was not just made.
    await database.db
      .update(moderationLog)
      .set({ createdAt: new Date(Date.now() - 10 * 60 * 1000) })
      .where(spaceCreated(first.id));
    await expect(createSpace(database.db, { name: "Phones", description: "Mobiles", by: adminId })).rejects.toThrow(
      "There's already a space called “Phones”.",
    );
  });
});
