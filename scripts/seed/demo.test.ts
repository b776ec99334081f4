/** The demo community on the real database: people joined before anything they wrote (no "member since" this month beside old posts). */
import { sql } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { seedDemoContent } from "./demo";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

test("every demo person's “member since” comes before their oldest post, comment and session", async () => {
  await seedDemoContent(database.db);
  const result = (await database.db.execute(sql`
    select u.name, u.created_at,
      (select min(at) from (
        select created_at as at from posts where author_id = u.id
        union all select created_at from comments where author_id = u.id
        union all select created_at from session_questions where author_id = u.id
        union all select created_at from qa_sessions where host_id = u.id) a) as first_activity
    from users u`)) as unknown as {
    rows: { name: string; created_at: string | Date; first_activity: string | Date | null }[];
  };
  const active = result.rows.filter((row) => row.first_activity !== null);
  expect(active.length).toBeGreaterThan(5);
  const late = active
    .filter((row) => new Date(row.created_at).getTime() > new Date(row.first_activity ?? 0).getTime())
    .map((row) => row.name);
  expect(late).toEqual([]);
}, 120_000);
