import { expect, test } from "vitest";
import { type JsonLdHowto, howtoJsonLd } from "./HowtoJsonLd";

const howto: JsonLdHowto = {
  title: "Connect to the VPN",
  summary: "Two steps.",
  estimatedMinutes: 5,
  tags: ["vpn", "windows-11"],
  difficulty: "easy",
  appliesTo: null,
  createdAt: "2026-01-02T03:04:05.000Z",
  updatedAt: new Date("2026-01-03T00:00:00Z"),
  authorName: "Ada",
  stepsHtml: ["<p>Open <strong>Settings</strong> &amp; choose <code>VPN</code>.</p>", "<p>Sign in.</p><p>Done.</p>"],
};

test("a how-to's structured data lists its steps as plain text, numbered, with links to each step", () => {
  const json = JSON.parse(howtoJsonLd(howto, "https://forum.example/howtos/7"));
  expect(json).toMatchObject({
    "@type": "HowTo",
    name: "Connect to the VPN",
    totalTime: "PT5M",
    keywords: "vpn, windows-11",
  });
  expect(json.about).toBeUndefined();
  expect(json.step).toEqual([
    {
      "@type": "HowToStep",
      position: 1,
      name: "Step 1",
      text: "Open Settings & choose VPN.",
      url: "https://forum.example/howtos/7#step-1",
    },
    {
      "@type": "HowToStep",
      position: 2,
      name: "Step 2",
      text: "Sign in. Done.",
      url: "https://forum.example/howtos/7#step-2",
    },
  ]);
});

test("nothing a writer types can close the script element the structured data sits in", () => {
  const hostile = {
    ...howto,
    title: "</script><script>alert(1)</script>",
    stepsHtml: ["<p>&lt;/script&gt; \u2028</p>"],
  };
  const text = howtoJsonLd(hostile, "https://forum.example/howtos/7");
  expect(text).not.toMatch(/<|>|&|\u2028/);
  expect(JSON.parse(text).name).toBe("</script><script>alert(1)</script>");
  expect(JSON.parse(text).step[0].text).toBe("</script> \u2028".trim());
});

test("long steps are cut to 1,000 characters with an ellipsis", () => {
  const long = { ...howto, stepsHtml: [`<p>${"word ".repeat(400)}</p>`] };
  const text: string = JSON.parse(howtoJsonLd(long, "https://forum.example/howtos/7")).step[0].text;
  expect(text).toHaveLength(1000);
  expect(text.endsWith("…")).toBe(true);
});
