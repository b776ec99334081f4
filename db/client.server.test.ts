import { createTestDatabase } from "../tests/fixtures/db";
import { isDatabaseReachable } from "./client.server";

describe("database health", () => {
  test("a working database is reachable; a closed one is not (so /healthz answers 503)", async () => {
    const database = await createTestDatabase();
    expect(await isDatabaseReachable(database.db)).toBe(true);
    await database.close();
    expect(await isDatabaseReachable(database.db, 1000)).toBe(false);
  });
});
