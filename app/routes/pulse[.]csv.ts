/** /pulse.csv?days=30: the service levels per space (and site-wide) as CSV, for moderators and admins. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUserWith } from "~/auth/session.server";
import { getServiceLevels, getServiceLevelsBySpace, parsePeriod } from "~/models/pulse.server";
import type { ServiceLevels } from "~/models/pulse.types";

const COLUMNS: [string, (levels: ServiceLevels) => number | null][] = [
  ["questions_asked", (l) => l.asked],
  ["questions_with_response", (l) => l.responded],
  ["first_response_median_hours", (l) => l.firstResponseMedianHours],
  ["first_response_p90_hours", (l) => l.firstResponseP90Hours],
  ["accepted_median_hours", (l) => l.acceptedMedianHours],
  ["answered_within_24h_share", (l) => l.answeredWithin24hShare],
  ["solved", (l) => l.solved],
  ["solved_share", (l) => l.solvedShare],
  ["unanswered_backlog", (l) => l.unansweredBacklog],
  ["ratings", (l) => l.ratings],
  ["rating_average", (l) => l.ratingAverage],
  ["plain_language_rated", (l) => l.plainLanguageRated],
  ["plain_language_easy_share", (l) => l.plainLanguageShare],
  ["howto_votes", (l) => l.howtoVotes],
  ["howto_helpful_share", (l) => l.howtoHelpfulShare],
];

/** RFC 4180 quoting; a leading =, +, - or @ is prefixed so spreadsheets never run a space name as a formula. */
function csvCell(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toFixed(4);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUserWith(request, context, "pulse.export");
  const { db } = context.services;
  const days = parsePeriod(new URL(request.url).searchParams.get("days"));
  const now = new Date();
  const [site, spaces] = await Promise.all([
    getServiceLevels(db, { kind: "site" }, { days, now }),
    getServiceLevelsBySpace(db, { days, now }),
  ]);
  const header = ["scope", "space_slug", "space_name", "days", ...COLUMNS.map(([name]) => name)].join(",");
  const line = (scope: string, slug: string, name: string, levels: ServiceLevels) =>
    [scope, slug, name, days, ...COLUMNS.map(([, pick]) => pick(levels))].map(csvCell).join(",");
  const body = [
    header,
    line("site", "", "All spaces", site),
    ...spaces.map((space) => line("space", space.slug, space.name, space)),
  ].join("\r\n");
  const stamp = now.toISOString().slice(0, 10);
  // The byte-order mark tells Excel the file is UTF-8; without it a space named in Arabic or Japanese reads as garble.
  return new Response(`\uFEFF${body}\r\n`, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="peerdesk-pulse-${days}d-${stamp}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
