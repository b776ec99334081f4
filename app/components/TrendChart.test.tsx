/** The trend chart: readable axes, gaps where there is no data, and the same numbers for screen readers and in a table. */
import { DomUtils, parseDocument } from "htmlparser2";
import type { Element } from "domhandler";
import { renderToStaticMarkup } from "react-dom/server";
import { TrendChart, niceTicks, trendSummary, type TrendPoint, type TrendUnit } from "./TrendChart";

const WEEKS = ["Nov 2", "Nov 9", "Nov 16", "Nov 23", "Nov 30"];
const weekly = (values: (number | null)[]): TrendPoint[] =>
  values.map((value, index) => ({ label: WEEKS[index] ?? `Week ${index + 1}`, value }));

function render(points: TrendPoint[], unit: TrendUnit = "hours", lowerIsBetter?: boolean) {
  const html = renderToStaticMarkup(
    <TrendChart
      id="first-response"
      title="Time to first response"
      description="Median time until a question gets its first answer, per week."
      points={points}
      unit={unit}
      lowerIsBetter={lowerIsBetter}
    />,
  );
  const document = parseDocument(html, { lowerCaseAttributeNames: false });
  const all = (tag: string) => DomUtils.findAll((el) => el.name === tag, document.children);
  const one = (tag: string): Element => {
    const found = all(tag);
    expect(found, `<${tag}> elements`).toHaveLength(1);
    return found[0] as Element;
  };
  return { html, all, one, text: (el: Element) => DomUtils.textContent(el) };
}

describe("niceTicks", () => {
  test("hours step in minutes, hours or whole days, with 3 to 5 ticks from 0 past the largest value", () => {
    expect(niceTicks(0, "hours")).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(niceTicks(7, "hours")).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(23, "hours")).toEqual([0, 6, 12, 18, 24]);
    expect(niceTicks(72, "hours")).toEqual([0, 24, 48, 72]);
    expect(niceTicks(130, "hours")).toEqual([0, 48, 96, 144]);
    expect(niceTicks(24 * 30, "hours")).toEqual([0, 240, 480, 720]);
  });

  test("counts step in 1, 2, 5 × 10ⁿ", () => {
    expect(niceTicks(0, "count")).toEqual([0, 1, 2, 3, 4]);
    expect(niceTicks(7, "count")).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(23, "count")).toEqual([0, 10, 20, 30]);
    expect(niceTicks(130, "count")).toEqual([0, 50, 100, 150]);
    expect(niceTicks(12_345, "count")).toEqual([0, 5_000, 10_000, 15_000]);
  });

  test("every axis has 3 to 5 ticks, starts at 0 and reaches the largest value", () => {
    for (const max of [0.02, 0.3, 1, 2.5, 9.9, 10, 47, 48, 96, 97, 1000, 7777]) {
      for (const unit of ["hours", "count"] as const) {
        const ticks = niceTicks(max, unit);
        expect(ticks.length, `${unit} ${max}`).toBeGreaterThanOrEqual(3);
        expect(ticks.length, `${unit} ${max}`).toBeLessThanOrEqual(5);
        expect(ticks[0]).toBe(0);
        expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(max);
      }
    }
  });

  test("percent is always 0–100% (as shares) and rating always 0–5", () => {
    expect(niceTicks(0.3, "percent")).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(niceTicks(0, "percent")).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(niceTicks(4.2, "rating")).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe("trendSummary", () => {
  test("names the first and last values and the lowest and highest, with their periods", () => {
    expect(trendSummary(weekly([3.1, 1.9, 4, 2.4]), "hours")).toBe(
      "Down from 3.1 h (Nov 2) to 2.4 h (Nov 23); lowest 1.9 h (Nov 9), highest 4 h (Nov 16).",
    );
  });

  test("says whether the change is better or worse only when told which way is better", () => {
    expect(trendSummary(weekly([3.1, 1.9, 4, 2.4]), "hours", true)).toMatch(
      /^Down from 3\.1 h \(Nov 2\) to 2\.4 h \(Nov 23\), which is better;/,
    );
    expect(trendSummary(weekly([0.8, 0.9]), "percent", false)).toBe(
      "Up from 80% (Nov 2) to 90% (Nov 9), which is better; lowest 80% (Nov 2), highest 90% (Nov 9).",
    );
    expect(trendSummary(weekly([0.8, 0.9]), "percent", true)).toContain("which is worse");
  });

  test("skips missing periods and says how many there are", () => {
    expect(trendSummary(weekly([null, 1200, null, 1500, 900]), "count")).toBe(
      "Down from 1,200 (Nov 9) to 900 (Nov 30); lowest 900 (Nov 30), highest 1,500 (Nov 23). No data in 2 of 5 periods.",
    );
  });

  test("a single value, a flat line and no data each get their own plain sentence", () => {
    expect(trendSummary(weekly([null, 4.46, null]), "rating")).toBe(
      "Only Nov 9 has data: 4.5 / 5. No data in 2 of 3 periods.",
    );
    expect(trendSummary(weekly([2, 2.02, 1.98]), "hours")).toBe("Steady at 2 h from Nov 2 to Nov 16.");
    expect(trendSummary(weekly([2, 5, 2]), "hours")).toBe(
      "Same at the start and the end, 2 h (Nov 2 and Nov 16); lowest 2 h (Nov 2), highest 5 h (Nov 9).",
    );
    expect(trendSummary(weekly([null, null]), "hours")).toBe("No data yet.");
    expect(trendSummary([], "hours")).toBe("No data yet.");
  });
});

describe("TrendChart", () => {
  test("the svg is an image labelled by its title and a description that includes the summary", () => {
    const { one, text } = render(weekly([3.1, 1.9, 4, 2.4]), "hours", true);
    const svg = one("svg");
    expect(svg.attribs).toMatchObject({
      role: "img",
      "aria-labelledby": "first-response-title first-response-desc",
      viewBox: "0 0 320 160",
      class: "w-full h-auto",
    });
    // The svg's own <title> is its first child; the dots carry <title> tooltips of their own.
    const svgTitle = svg.children.find((child): child is Element => child.type === "tag" && child.name === "title");
    expect(svgTitle?.attribs.id).toBe("first-response-title");
    expect(svgTitle && text(svgTitle)).toBe("Time to first response");
    expect(one("desc").attribs.id).toBe("first-response-desc");
    expect(text(one("desc"))).toBe(
      "Median time until a question gets its first answer, per week. Down from 3.1 h (Nov 2) to 2.4 h (Nov 23), which is better; lowest 1.9 h (Nov 9), highest 4 h (Nov 16).",
    );
    expect(text(one("figcaption"))).toBe("Time to first response");
  });

  test("grid lines carry y-axis labels, and only the first, middle and last periods are labelled", () => {
    const { all, text } = render(weekly([3.1, 1.9, 4, 2.4, 7]));
    const labels = all("text").map(text);
    expect(labels).toEqual(["0", "2 h", "4 h", "6 h", "8 h", "Nov 2", "Nov 16", "Nov 30"]);
    for (const label of all("text"))
      expect(Number(label.attribs.fontSize ?? label.attribs["font-size"])).toBeGreaterThanOrEqual(11);
    expect(all("line")).toHaveLength(5);
  });

  test("a missing period breaks the line in two, and every value gets a dot", () => {
    const { all } = render(weekly([3.1, 1.9, null, 2.4, 2]));
    expect(all("polyline")).toHaveLength(2);
    expect(all("circle")).toHaveLength(4);
    const { all: allWithoutGaps } = render(weekly([3.1, 1.9, 2.4]));
    expect(allWithoutGaps("polyline")).toHaveLength(1);
  });

  test("higher values are drawn higher up, inside the chart", () => {
    const { all } = render(weekly([0, 4, 8]));
    const ys = all("circle").map((circle) => Number(circle.attribs.cy));
    expect(ys[0]).toBeGreaterThan(ys[1] ?? Number.NaN);
    expect(ys[1]).toBeGreaterThan(ys[2] ?? Number.NaN);
    for (const y of ys) expect(y).toBeGreaterThanOrEqual(0);
    for (const y of ys) expect(y).toBeLessThanOrEqual(160);
  });

  test("with no values at all it shows 'No data yet' and no line", () => {
    const { all, text, one } = render(weekly([null, null, null]));
    expect(all("text").map(text)).toContain("No data yet");
    expect(all("polyline")).toHaveLength(0);
    expect(all("circle")).toHaveLength(0);
    expect(text(one("desc"))).toContain("No data yet.");
    expect(all("tbody").flatMap((tbody) => DomUtils.findAll((el) => el.name === "tr", tbody.children))).toHaveLength(3);
  });

  test("the numbers table has a caption, headers and one formatted row per period", () => {
    const { one, all, text } = render(weekly([0.834, null, 0.9]), "percent");
    expect(text(one("summary"))).toBe("Show the numbers");
    expect(text(one("caption"))).toBe("Median time until a question gets its first answer, per week.");
    expect(
      all("thead")
        .flatMap((thead) => DomUtils.findAll((el) => el.name === "th", thead.children))
        .map(text),
    ).toEqual(["Period", "Time to first response"]);
    const rows = DomUtils.findAll((el) => el.name === "tr", one("tbody").children).map((row) =>
      DomUtils.findAll((el) => el.name === "th" || el.name === "td", row.children).map(text),
    );
    expect(rows).toEqual([
      ["Nov 2", "83%"],
      ["Nov 9", "—"],
      ["Nov 16", "90%"],
    ]);
  });

  test("counts use thousands separators and ratings read out of five", () => {
    const counts = render(weekly([1234, 56789]), "count");
    expect(counts.all("td").map(counts.text)).toEqual(["1,234", "56,789"]);
    const ratings = render(weekly([4.46, 4]), "rating");
    expect(ratings.all("td").map(ratings.text)).toEqual(["4.5 / 5", "4 / 5"]);
    expect(ratings.all("text").map(ratings.text).slice(0, 6)).toEqual(["0", "1", "2", "3", "4", "5"]);
  });

  test("the markup has no script and no inline event handlers", () => {
    const { html } = render(weekly([1, 2, 3]));
    expect(html).not.toMatch(/<script|\son[a-z]+=/i);
  });
});
