/** Reading hosted Q&A sessions: one session as its page shows it, the sessions list, and a host's sessions on a profile. */
import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { officeHours, spaces, users } from "#db/schema";
import { officeHoursPhase } from "./office-hours.server";
import type { OfficeHoursPhase } from "./office-hours.types";

export type OfficeHoursView = {
  id: number;
  title: string;
  descriptionHtml: string;
  tags: string[];
  startsAt: Date;
  endsAt: Date;
  cancelledAt: Date | null;
  /** Counts its changes: the calendar file's SEQUENCE. */
  revision: number;
  maxQuestionsPerPerson: number | null;
  hostId: string;
  hostName: string;
  hostHandle: string | null;
  spaceName: string;
  spaceSlug: string;
};

const officeHoursColumns = {
  id: officeHours.id,
  title: officeHours.title,
  descriptionHtml: officeHours.descriptionHtml,
  tags: officeHours.tags,
  startsAt: officeHours.startsAt,
  endsAt: officeHours.endsAt,
  cancelledAt: officeHours.cancelledAt,
  revision: officeHours.revision,
  maxQuestionsPerPerson: officeHours.maxQuestionsPerPerson,
  hostId: officeHours.hostId,
  hostName: users.name,
  hostHandle: users.handle,
  spaceName: spaces.name,
  spaceSlug: spaces.slug,
};

export async function getOfficeHours(db: Db, officeHoursId: number): Promise<OfficeHoursView | null> {
  const [row] = await db
    .select(officeHoursColumns)
    .from(officeHours)
    .innerJoin(users, eq(users.id, officeHours.hostId))
    .innerJoin(spaces, eq(spaces.id, officeHours.spaceId))
    .where(eq(officeHours.id, officeHoursId))
    .limit(1);
  return row ?? null;
}

/** Live and upcoming sessions (soonest first), and the 20 most recent past or cancelled ones. */
export async function listOfficeHours(
  db: Db,
  now = new Date(),
): Promise<{
  current: (OfficeHoursView & { questionCount: number })[];
  past: (OfficeHoursView & { questionCount: number })[];
}> {
  const withCount = {
    ...officeHoursColumns,
    questionCount:
      sql<number>`(select count(*)::int from session_questions q where q.session_id = ${officeHours.id} and q.hidden_at is null and q.state <> 'withdrawn')`.mapWith(
        Number,
      ),
  };
  const base = () =>
    db
      .select(withCount)
      .from(officeHours)
      .innerJoin(users, eq(users.id, officeHours.hostId))
      .innerJoin(spaces, eq(spaces.id, officeHours.spaceId));
  const [current, past] = await Promise.all([
    base()
      .where(sql`${officeHours.endsAt} > ${now} and ${officeHours.cancelledAt} is null`)
      .orderBy(asc(officeHours.startsAt))
      .limit(50),
    base()
      .where(sql`(${officeHours.endsAt} <= ${now} or ${officeHours.cancelledAt} is not null)`)
      .orderBy(desc(officeHours.startsAt))
      .limit(20),
  ]);
  return { current, past };
}

/** Sessions a person hosts or hosted: live ones first, then upcoming (soonest), then past (most recent); cancelled ones left out. */
export async function listHostedOfficeHours(
  db: Db,
  hostId: string,
  now = new Date(),
  limit = 6,
): Promise<{ id: number; title: string; startsAt: Date; endsAt: Date; phase: OfficeHoursPhase }[]> {
  const rows = await db
    .select({
      id: officeHours.id,
      title: officeHours.title,
      startsAt: officeHours.startsAt,
      endsAt: officeHours.endsAt,
    })
    .from(officeHours)
    .where(and(eq(officeHours.hostId, hostId), sql`${officeHours.cancelledAt} is null`))
    .orderBy(
      sql`case when ${officeHours.startsAt} <= ${now} and ${officeHours.endsAt} > ${now} then 0 when ${officeHours.endsAt} > ${now} then 1 else 2 end`,
      sql`case when ${officeHours.endsAt} > ${now} then extract(epoch from ${officeHours.startsAt}) else -extract(epoch from ${officeHours.startsAt}) end`,
    )
    .limit(limit);
  return rows.map((row) => ({ ...row, phase: officeHoursPhase(row, now) }));
}
