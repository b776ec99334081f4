/** Words whose symbols are their name ("c#", "c++", ".net") are searched as themselves, never as the bare letter. */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Database } from "#db/client.server";
import { makeQuestion } from "../../tests/fixtures/qa";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { drainSearchOutbox } from "./drain.server";
import { searchPosts } from "./engine.server";
import { createIndexedSearch } from "./indexed.server";
import { createPostgresSearch } from "./postgres.server";
import { parseSearchInput } from "./query";
import { spellSymbolWord, spellSymbolWords } from "./symbol-words";
import type { SearchEngine } from "./types";

test("symbol words are spelled in letters; words merely next to a sign are left alone", () => {
  expect(["c#", "c++", "f#", ".net", "notepad++", "m365", "usb-c"].map(spellSymbolWord)).toEqual([
    "csharp",
    "cplusplus",
    "fsharp",
    "dotnet",
    "notepadplusplus",
    "m365",
    "usb-c",
  ]);
  expect(spellSymbolWords("C# and C++ on .NET 8, not ASP.NET or setup.exe; USB-C - c .\\driver #5")).toBe(
    "Csharp and Cplusplus on NET dotNET 8, not ASP.NET or setup.exe; USB-C - c .\\driver #5",
  );
});

const engines: { name: string; create: (database: Database) => SearchEngine }[] = [
  { name: "postgres", create: (database) => createPostgresSearch(database.db) },
  { name: "postgres ranked in the app (what the site runs)", create: (database) => createIndexedSearch(database.db) },
];

describe.each(engines)("searching for c#, c++, f# and .net: $name", ({ create }) => {
  let database: Database;
  let engine: SearchEngine;
  const ids: Record<string, number> = {};
  const find = async (text: string) => {
    const result = await searchPosts({ db: database.db, search: engine }, parseSearchInput(text).query);
    return { ids: result.hits.map((hit) => hit.id).sort((a, b) => a - b), hits: result.hits };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    const { db } = database;
    engine = create(database);
    await engine.setup();
    const asker = await makePerson(db);
    const spaceId = await makeSpace(db);
    ids.csharp = await makeQuestion(db, asker, spaceId, {
      title: "C# service cannot read the certificate store",
      body: "A small C# worker on .NET 8 gets access denied when it opens the machine store.",
    });
    ids.cpp = await makeQuestion(db, asker, spaceId, {
      title: "Old C++ tool crashes on the new laptops",
      body: "The vendor's C++ runtime installer says it is already installed.",
    });
    ids.fsharp = await makeQuestion(db, asker, spaceId, {
      title: "Scripts in F# for the asset report",
      body: "Anyone using F# interactive to read the asset export?",
    });
    ids.monitor = await makeQuestion(db, asker, spaceId, {
      title: "Monitor flickers when docked",
      body: "The second screen on USB-C flickers; the net result is a headache.",
    });
    ids.driver = await makeQuestion(db, asker, spaceId, {
      title: "Installing the printer driver by hand",
      body: "Run pnputil -a - c .\\driver\\printer.inf from the folder you unpacked.",
    });
    const drained = await drainSearchOutbox(db, engine);
    expect(drained.error).toBeNull();
    // Setting up the database and the posts takes a while on a busy machine.
  }, 180_000);

  afterAll(async () => {
    await database?.close();
  });

  test('"c#" finds C# posts, not "USB-C" or "-c", and marks the whole word', async () => {
    const csharp = await find("c#");
    expect(csharp.ids).toEqual([ids.csharp]);
    expect(csharp.hits[0]?.titleHtml).toContain("<mark>C#</mark>");
    expect((await find("csharp")).ids).toEqual([ids.csharp]);
  });

  test('"c++" and "f#" find their own posts; ".net" finds .NET but not the word "net"', async () => {
    expect((await find("c++")).ids).toEqual([ids.cpp]);
    expect((await find("f#")).ids).toEqual([ids.fsharp]);
    expect((await find(".net")).ids).toEqual([ids.csharp]);
    expect((await find('"c# worker"')).ids).toEqual([ids.csharp]);
    // The plain word keeps finding what it found: the word itself, and .NET.
    expect((await find("net")).ids).toEqual([ids.csharp!, ids.monitor!].sort((a, b) => a - b));
  });
});
