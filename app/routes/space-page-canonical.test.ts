/**
 * A space's page tells search engines its own address, as the question and how-to lists do: on the real database, the
 * page's `<link rel="canonical">` keeps the tag, order and page of the list shown and drops everything else.
 */
import type { Database } from "#db/client.server";
import { meta, loader as spaceLoader } from "~/routes/s.$slug";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import { BASE, Browser, type TestServices, payload, testServices } from "../../tests/fixtures/routes";

let database: Database;
let services: TestServices;
let slug: string;
beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  const { db } = database;
  const spaceId = await makeSpace(db);
  await makeQuestion(db, await makePerson(db), spaceId, { title: "The VPN drops every morning" });
  const space = await db.query.spaces.findFirst({ where: (s, { eq }) => eq(s.id, spaceId) });
  slug = space?.slug ?? "";
});
afterAll(() => database.close());

type MetaArgs = Parameters<typeof meta>[0];

/** The canonical links in the head of the space page at `path` (a signed-out reader's request). */
async function canonicalLinksOf(path: string): Promise<unknown[]> {
  const result = await new Browser(services).load(spaceLoader, path, { slug });
  const url = new URL(path, BASE);
  const descriptors =
    meta({
      data: payload<MetaArgs["data"]>(result).data,
      params: { slug },
      location: { pathname: url.pathname, search: url.search, hash: "", state: null, key: "default" },
      matches: [],
    }) ?? [];
  return descriptors.filter((d) => "rel" in d && d.rel === "canonical").map((d) => ("href" in d ? d.href : null));
}

test("a space's page names its own address for search engines, without tracking tags", async () => {
  expect(await canonicalLinksOf(`/s/${slug}`)).toEqual([`${BASE}/s/${slug}`]);
  expect(await canonicalLinksOf(`/s/${slug}?utm_source=teams&deleted=1`)).toEqual([`${BASE}/s/${slug}`]);
});

test("a space's canonical address keeps its tag, order and page, as the question list's does", async () => {
  expect(await canonicalLinksOf(`/s/${slug}?tag=VPN&ref=mail`)).toEqual([`${BASE}/s/${slug}?tag=vpn`]);
  expect(await canonicalLinksOf(`/s/${slug}?sort=top&period=week&after=abc&utm_source=teams`)).toEqual([
    `${BASE}/s/${slug}?sort=top&period=week&after=abc`,
  ]);
  expect(await canonicalLinksOf(`/s/${slug}?sort=newest&tag=vpn&before=abc`)).toEqual([
    `${BASE}/s/${slug}?sort=newest&tag=vpn&before=abc`,
  ]);
});
