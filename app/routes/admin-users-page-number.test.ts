/**
 * The admins' people list reads its ?page= as the other lists do (pageNumberParam): a page number with a fraction
 * ("1.01", "3.3333333"), or anything else that isn't a whole page, shows the first page instead of failing the request.
 * On the real database, through the route's loader, signed in as an admin.
 */
import type { Database } from "#db/client.server";
import { loader } from "~/routes/admin.users";
import { createTestDatabase } from "../../tests/fixtures/db";
import { type Browser, payload, signedInAdmin, testServices } from "../../tests/fixtures/routes";

let database: Database;
let admin: Browser;

beforeAll(async () => {
  database = await createTestDatabase();
  ({ browser: admin } = await signedInAdmin(testServices(database), "10.59.1.1"));
});
afterAll(() => database.close());

test("a page number with a fraction, or one out of range, shows the first page of people", async () => {
  for (const page of ["1.01", "3.3333333", "0.5", "-2", "99999999", "abc", ""]) {
    const { data, status } = payload<{ page: number; users: { email: string }[] }>(
      await admin.load(loader, `/admin/users?page=${encodeURIComponent(page)}`),
    );
    expect(status, page).toBe(200);
    expect(data.page, page).toBe(1);
  }
  const first = payload<{ users: { email: string }[] }>(await admin.load(loader, "/admin/users?page=1.01"));
  expect(first.data.users.map((u) => u.email)).toContain("ada@example.com");
});
