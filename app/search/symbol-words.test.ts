/** Words whose symbols are their name ("c#", "c++", ".net") are searched as themselves, never as the bare letter. */
import { describe, expect, test } from "vitest";
import { embeddedEngines, searchCorpus } from "../../tests/fixtures/search";
import { spellSymbolWord, spellSymbolWords } from "./symbol-words";

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

describe.each(embeddedEngines)("searching for c#, c++, f# and .net: $name", ({ create }) => {
  const { ids, find } = searchCorpus(create, {
    csharp: {
      title: "C# service cannot read the certificate store",
      body: "A small C# worker on .NET 8 gets access denied when it opens the machine store.",
    },
    cpp: {
      title: "Old C++ tool crashes on the new laptops",
      body: "The vendor's C++ runtime installer says it is already installed.",
    },
    fsharp: {
      title: "Scripts in F# for the asset report",
      body: "Anyone using F# interactive to read the asset export?",
    },
    monitor: {
      title: "Monitor flickers when docked",
      body: "The second screen on USB-C flickers; the net result is a headache.",
    },
    driver: {
      title: "Installing the printer driver by hand",
      body: "Run pnputil -a - c .\\driver\\printer.inf from the folder you unpacked.",
    },
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
    expect((await find("net")).ids).toEqual([ids.csharp, ids.monitor].sort((a, b) => a - b));
  });
});
