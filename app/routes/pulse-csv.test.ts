/** /pulse.csv as a spreadsheet opens it: UTF-8 marked as such, so a space's name in any script reads as written. */
import type { Database } from "#db/client.server";
import { spaces } from "#db/schema";
import { loader } from "~/routes/pulse[.]csv";
import { createTestDatabase } from "../../tests/fixtures/db";
import { Browser, signUp, testServices } from "../../tests/fixtures/routes";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

test("the CSV starts with a byte-order mark, so Excel reads a space named in Arabic or Japanese as written", async () => {
  const admin = new Browser(testServices(database));
  // The first person to sign up outside production is the admin, who may export the pulse.
  await signUp(admin, { name: "Ada Admin", email: "ada@example.com", password: "ada audits the servers daily" });
  await database.db.insert(spaces).values({ slug: "arabic-japanese", name: "الشبكات والأمن 日本語サポート" });
  const response = await admin.load(loader, "/pulse.csv?days=30");
  if (!(response instanceof Response)) throw new Error("expected a response");
  expect(response.status).toBe(200);
  const bytes = new Uint8Array(await response.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  expect(text.startsWith("\uFEFFscope,space_slug,space_name,")).toBe(true);
  expect(text).toContain(",arabic-japanese,الشبكات والأمن 日本語サポート,30,");
});
