/**
 * The service pulse data set for `bench:pages --pulse`: questions spread over the last 180 days with answers, comments,
 * accepted answers, ratings, thanks and how-to feedback, written with set-based SQL (insert … select from
 * generate_series) so 100,000 questions take minutes, not hours. Every "random" choice is a hash of a row's id, so the
 * same sizes give the same data set on every machine.
 */
import { sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { type NewUser, insertUsers } from "../scripts/seed/demo";
import { spaces } from "#db/schema";
import { slugify } from "~/lib/slug";
import { ensureTags } from "~/models/tags.server";
import { progressBar } from "./lib";

export type PulseSizes = { spaces: number; users: number; questions: number };

/** Everyone seeded here signs in with this password (the benchmark signs in as the busiest helper). */
export const BENCH_PASSWORD = "benchmark-password";

const DAY_SECONDS = 86_400;
const PERIOD_DAYS = 180;
/** Questions per statement: big enough to be fast, small enough for a progress bar that moves. */
const CHUNK = 10_000;

const TOPICS = [
  "VPN",
  "DNS",
  "Outlook",
  "Exchange Online",
  "Intune",
  "Teams",
  "SharePoint",
  "OneDrive",
  "Printers",
  "Wi-Fi",
  "MFA",
  "Certificates",
  "BitLocker",
  "Windows 11",
  "macOS",
  "Active Directory",
  "Group Policy",
  "Firewall",
  "Backup",
  "PowerShell",
  "Passwords",
  "Phishing",
  "Licensing",
  "Remote Desktop",
  "Autopilot",
  "Azure",
  "Laptops",
  "Shared Mailbox",
  "DHCP",
  "Defender",
] as const;
const ASPECTS = [
  "setup",
  "errors",
  "performance",
  "migration",
  "security",
  "policy",
  "sync",
  "licensing",
  "troubleshooting",
] as const;
/** 30 topic tags plus nine aspects each: 300 tags; a question's first tag is its topic. */
const TOPIC_TAGS = TOPICS.map((topic) => slugify(topic, 35));
const ALL_TAGS = [...TOPIC_TAGS, ...TOPIC_TAGS.flatMap((tag) => ASPECTS.map((aspect) => `${tag}-${aspect}`))];

const SYMPTOMS = [
  "keeps asking for the password",
  "stopped syncing",
  "is very slow",
  "shows a certificate error",
  "fails with access denied",
  "drops every hour",
  "will not connect",
  "shows offline",
  "times out",
  "loops on sign-in",
] as const;
const TRIGGERS = [
  "the latest update",
  "the MFA rollout",
  "a password change",
  "the tenant migration",
  "renewing the certificate",
  "moving office",
  "the firewall change",
  "replacing the laptop",
] as const;
const ACTIONS = [
  "reset a password",
  "renew a certificate",
  "add a shared mailbox",
  "deploy a printer",
  "enrol a laptop",
  "restore a deleted file",
  "map a network drive",
  "assign a licence",
] as const;
const FIXES = [
  "restarting the service",
  "clearing the credential manager",
  "re-enrolling the device",
  "flushing the DNS cache",
  "reinstalling the driver",
  "recreating the Outlook profile",
  "renewing the certificate",
  "running gpupdate /force",
] as const;
const CAUSES = [
  "an expired intermediate certificate",
  "a stale DNS record",
  "the conditional access policy",
  "a wrong MTU on the VPN adapter",
  "the print spooler service",
  "an old cached credential",
  "a missing licence assignment",
  "a time skew on the client",
] as const;
const PLAIN_TITLES = [
  "My laptop says my password has expired, what do I do?",
  "I can't print from home",
  "How do I get my work email on my phone?",
  "The Wi-Fi in the meeting room keeps dropping",
  "I clicked a strange link in an email",
  "Teams says I'm offline but I'm not",
  "My files disappeared from my desktop",
  "Why do I have to type a number when I sign in?",
  "How do I share a big file with a customer?",
] as const;
const RATING_COMMENTS = [
  "Clear steps, fixed it in five minutes.",
  "Thanks, this saved my morning.",
  "Worked, but I had to reboot twice.",
  "Took a while to get an answer.",
  "Great explanation of why it happened.",
  "Not quite my problem, but it pointed me the right way.",
  "Exactly what I needed, thank you!",
] as const;
const HOWTO_COMMENTS = [
  "Step 3 needs a screenshot.",
  "Worked first time.",
  "Out of date for the new admin centre.",
  "Saved me an hour, thanks.",
  "Please add the PowerShell version.",
] as const;

// ---- SQL building blocks (constants only: nothing typed by a person reaches sql.raw) ----

/** A repeatable number in [0, 1) for the row `key` (an SQL expression) and the stream `salt`. */
function rnd(key: string, salt: number): string {
  return `((hashint8extended((${key})::bigint, ${salt}) & 2147483647)::float8 / 2147483648.0)`;
}

/** One of `items`, chosen by the number in [0, 1) that `r` computes. */
function pick(items: readonly string[], r: string): string {
  const literal = items.map((item) => `'${item.replace(/'/g, "''")}'`).join(",");
  return `(array[${literal}]::text[])[1 + floor(${r} * ${items.length})::int]`;
}

/** Seconds between `from` and `to`, log-uniform (as many "within minutes" as "within days"), as an interval. */
function delay(fromSeconds: number, toSeconds: number, r: string): string {
  return `(exp(ln(${fromSeconds}) + ${r} * ${Math.log(toSeconds) - Math.log(fromSeconds)}) * interval '1 second')`;
}

async function inChunks(
  label: string,
  total: number,
  step: (from: number, to: number) => Promise<void>,
): Promise<number> {
  const bar = progressBar(label, total);
  for (let from = 1; from <= total; from += CHUNK) {
    const to = Math.min(total, from + CHUNK - 1);
    await step(from, to);
    bar.update(to);
  }
  return bar.finish();
}

export type PulseSeedReport = {
  posts: number;
  answers: number;
  howtos: number;
  comments: number;
  accepted: number;
  ratings: number;
  thanks: number;
  howtoFeedback: number;
};

/** Runs SQL text built here from numbers, the word lists above and an ISO date (nothing typed by a person). */
async function run(db: Db, text: string): Promise<void> {
  await db.execute(sql.raw(text));
}

/**
 * Seeds the data set into an empty database. Questions get the ids 1…n (so later steps find them by id), and the
 * bench_* helper tables map "space/person/tag number k" to an id while seeding; they are dropped at the end.
 */
export async function seedPulse(
  db: Db,
  sizes: PulseSizes,
  passwordHash: string,
  now = new Date(),
): Promise<PulseSeedReport> {
  const Q = sizes.questions;
  const U = sizes.users;
  const NOW = `'${now.toISOString()}'::timestamptz`;

  // Every tenth space is a plain-language one, where people from the business ask in their own words.
  const spaceRows = await db
    .insert(spaces)
    .values(
      Array.from({ length: sizes.spaces }, (_, i) => {
        const isPlainLanguage = i % 10 === 4;
        const name = isPlainLanguage ? `Ask IT ${i + 1} (plain language)` : `Space ${i + 1}`;
        return {
          slug: slugify(name),
          name,
          description: `Benchmark space ${i + 1}`,
          position: i + 1,
          isPlainLanguage,
          createdAt: now,
          updatedAt: now,
        };
      }),
    )
    .returning({ id: spaces.id, isPlainLanguage: spaces.isPlainLanguage });
  const S = spaceRows.length;
  await run(db, "drop table if exists bench_spaces, bench_people, bench_tags");
  await run(db, "create table bench_spaces (n int primary key, id int not null, is_plain boolean not null)");
  await run(db, "create table bench_people (n int primary key, id text not null)");
  await run(db, "create table bench_tags (n int primary key, id int not null)");
  await run(
    db,
    `insert into bench_spaces values ${spaceRows.map((space, n) => `(${n}, ${space.id}, ${space.isPlainLanguage})`).join(", ")}`,
  );
  const tagRows = await ensureTags(db, ALL_TAGS);
  await run(db, `insert into bench_tags values ${tagRows.map((tag, n) => `(${n}, ${tag.id})`).join(", ")}`);

  // People: every fifth is from the business side (they ask the plain-language questions).
  const peopleBar = progressBar("people", U);
  for (let i = 0; i < U; i += 500) {
    const batch: NewUser[] = Array.from({ length: Math.min(500, U - i) }, (_, j) => {
      const n = i + j + 1;
      return {
        name: `Member ${n}`,
        email: `member${n}@bench.test`,
        handle: `member-${n}`,
        audience: n % 5 === 0 ? "business" : "it",
      };
    });
    const ids = await insertUsers(db, batch, passwordHash);
    // insertUsers makes ids of hex digits only, so they are safe to write into the statement.
    await run(
      db,
      `insert into bench_people values ${ids.map((id, j) => `(${i + j}, '${id.replace(/[^0-9a-z]/gi, "")}')`).join(", ")}`,
    );
    peopleBar.update(i + batch.length);
  }
  peopleBar.finish();

  const topicOf = (key: string) => `floor(${TOPICS.length} * power(${rnd(key, 6)}, 1.8))::int`;
  const topicNames = `(select n - 1 as n, name from unnest(array[${TOPICS.map((t) => `'${t}'`).join(",")}]::text[]) with ordinality as x(name, n))`;

  // Questions: uniform over 180 days; some spaces are much busier than others (the busiest gets about a tenth).
  await inChunks("questions", Q, async (from, to) => {
    await run(
      db,
      `
      insert into posts (id, kind, space_id, author_id, title, body_md, body_html, is_plain_language, score, created_at, updated_at, last_activity_at)
      select g.i, 'question', g.space_id, u.id, g.title, g.body, '<p>' || g.body || '</p>', g.plain, g.score, g.at, g.at, g.at
      from (
        select b.*,
          case when b.plain then ${pick(PLAIN_TITLES, rnd("b.i", 7))}
            when ${rnd("b.i", 8)} < 0.5 then b.topic || ' ' || ${pick(SYMPTOMS, rnd("b.i", 9))} || ' after ' || ${pick(TRIGGERS, rnd("b.i", 10))}
            else 'How do I ' || ${pick(ACTIONS, rnd("b.i", 9))} || ' in ' || b.topic || '?' end as title,
          case when b.plain then 'Since ' || ${pick(TRIGGERS, rnd("b.i", 10))} || ' my laptop ' || ${pick(SYMPTOMS, rnd("b.i", 9))} || '. I am not technical, so please explain simply.'
            else 'We have ' || (20 + floor(${rnd("b.i", 11)} * 900))::int || ' users and ' || b.topic || ' ' || ${pick(SYMPTOMS, rnd("b.i", 9))}
              || ' since ' || ${pick(TRIGGERS, rnd("b.i", 10))} || '. I already tried ' || ${pick(FIXES, rnd("b.i", 12))} || ', no change. Any ideas?' end as body,
          case when b.plain then least(5 * floor(${Math.floor(U / 5)} * ${rnd("b.i", 13)})::int + 4, ${U - 1}) else floor(${U} * ${rnd("b.i", 13)})::int end as asker_n
        from (
          select i, s.id as space_id, s.is_plain and ${rnd("i", 4)} < 0.8 as plain, t.name as topic,
            ${NOW} - ${rnd("i", 2)} * ${PERIOD_DAYS * DAY_SECONDS} * interval '1 second' as at,
            floor(power(${rnd("i", 14)}, 3) * 30)::int - 2 as score
          from generate_series(${from}, ${to}) as i
          join bench_spaces s on s.n = floor(${S} * power(${rnd("i", 1)}, 1.6))::int
          join ${topicNames} t on t.n = ${topicOf("i")}
        ) b
      ) g
      join bench_people u on u.n = g.asker_n`,
    );
    // Tags: the topic, often one of its aspects, sometimes a second topic.
    await run(
      db,
      `
      insert into post_tags (post_id, tag_id)
      select q.id, t.id from posts q
      cross join lateral (values
        (${topicOf("q.id")}),
        (case when ${rnd("q.id", 15)} < 0.6 then ${TOPICS.length} + ${topicOf("q.id")} * ${ASPECTS.length} + floor(${rnd("q.id", 16)} * ${ASPECTS.length})::int end),
        (case when ${rnd("q.id", 17)} < 0.25 then floor(${TOPICS.length} * power(${rnd("q.id", 18)}, 1.8))::int end)
      ) k(tag_n)
      join bench_tags t on t.n = k.tag_n
      where q.id between ${from} and ${to}
      on conflict do nothing`,
    );
  });
  await run(db, "select setval(pg_get_serial_sequence('posts', 'id'), (select max(id) from posts))");

  // Answers: about 1.2 per question (28 % none, a few popular ones with a dozen or more), from two minutes to five
  // days after the question, never after now. Helpers are skewed: a few people write a large share of the answers;
  // 3 % are the asker answering their own question.
  const r20 = rnd("q.id", 20);
  const answerCount = `case when ${r20} < 0.28 then 0 when ${r20} < 0.70 then 1 when ${r20} < 0.88 then 2 when ${r20} < 0.96 then 3
    when ${r20} < 0.99 then 4 when ${r20} < 0.998 then 5 else 12 + floor(${rnd("q.id", 21)} * 20)::int end`;
  const perAnswer = (salt: number) => rnd("q.id * 64 + k", salt);
  await inChunks("questions' answers", Q, async (from, to) => {
    await run(
      db,
      `
      insert into posts (kind, space_id, parent_id, author_id, body_md, body_html, score, created_at, updated_at, last_activity_at)
      select 'answer', g.space_id, g.question_id, case when g.is_self then g.asker_id else u.id end, g.body, '<p>' || g.body || '</p>', g.score, g.at, g.at, g.at
      from (
        select q.id as question_id, q.space_id, q.author_id as asker_id,
          q.created_at + ${delay(120, 5 * DAY_SECONDS, perAnswer(22))} as at,
          ${perAnswer(23)} < 0.03 as is_self,
          floor(${U} * power(${perAnswer(24)}, 3))::int as helper_n,
          floor(power(${perAnswer(25)}, 3) * 25)::int - 1 as score,
          'This is usually caused by ' || ${pick(CAUSES, perAnswer(26))} || '. Try ' || ${pick(FIXES, perAnswer(27))}
            || ' first; if that does not help, check ' || ${pick(CAUSES, perAnswer(28))} || '.' as body
        from posts q cross join lateral generate_series(1, ${answerCount}) as k
        where q.kind = 'question' and q.id between ${from} and ${to}
      ) g
      join bench_people u on u.n = g.helper_n
      where g.at <= ${NOW}
      order by g.question_id, g.at`,
    );
    await run(
      db,
      `
      update posts q set answer_count = a.n, last_activity_at = greatest(q.last_activity_at, a.latest)
      from (select parent_id, count(*)::int as n, max(created_at) as latest from posts where kind = 'answer' and parent_id between ${from} and ${to} group by parent_id) a
      where q.id = a.parent_id`,
    );
  });

  // Comments on about 30 % of the questions: half of them the asker clarifying, half others asking back.
  const perComment = (salt: number) => rnd("q.id * 4 + k", salt);
  await inChunks("questions' comments", Q, async (from, to) => {
    await run(
      db,
      `
      insert into comments (post_id, author_id, body_md, body_html, created_at, updated_at)
      select g.question_id, case when g.by_asker then g.asker_id else u.id end, g.body, '<p>' || g.body || '</p>', g.at, g.at
      from (
        select q.id as question_id, q.author_id as asker_id,
          q.created_at + ${delay(60, 2 * DAY_SECONDS, perComment(41))} as at,
          ${perComment(42)} < 0.5 as by_asker,
          floor(${U} * ${perComment(43)})::int as person_n,
          'Did you check ' || ${pick(CAUSES, perComment(44))} || '?' as body
        from posts q cross join lateral generate_series(1, case when ${rnd("q.id", 40)} < 0.22 then 1 when ${rnd("q.id", 40)} < 0.30 then 2 else 0 end) as k
        where q.kind = 'question' and q.id between ${from} and ${to}
      ) g
      join bench_people u on u.n = g.person_n
      where g.at <= ${NOW}`,
    );
    await run(
      db,
      `
      update posts q set comment_count = c.n, last_activity_at = greatest(q.last_activity_at, c.latest)
      from (select post_id, count(*)::int as n, max(created_at) as latest from comments where post_id between ${from} and ${to} group by post_id) c
      where q.id = c.post_id`,
    );
  });

  // Accepted answers on about 55 % of the questions: usually the first answer, sometimes the last; accepted from five
  // minutes to three days after it was written (not yet, when that is still to come).
  await inChunks("accepted answers", Q, async (from, to) => {
    await run(
      db,
      `
      update posts q set accepted_answer_id = c.answer_id, accepted_at = c.at
      from (
        select distinct on (a.parent_id) a.parent_id, a.id as answer_id, a.created_at + ${delay(300, 3 * DAY_SECONDS, rnd("a.id", 31))} as at
        from posts a
        where a.kind = 'answer' and a.parent_id between ${from} and ${to}
        order by a.parent_id, case when ${rnd("a.parent_id", 32)} < 0.7 then extract(epoch from a.created_at) else -extract(epoch from a.created_at) end
      ) c
      where q.id = c.parent_id and ${rnd("q.id", 30)} < 0.78 and c.at <= ${NOW}`,
    );
  });

  // Ratings by the asker: about 30 % of the accepted questions (skewed high), and a few week-old questions that got
  // answers but none accepted (lower). Plain-language questions mostly say whether the answer was easy to understand.
  const r51 = rnd("q.id", 51);
  await inChunks("ratings", Q, async (from, to) => {
    await run(
      db,
      `
      insert into help_ratings (question_id, rater_id, rating, easy_to_understand, comment, created_at, updated_at)
      select g.id, g.author_id, g.rating, g.easy, g.comment, g.at, g.at
      from (
        select q.id, q.author_id,
          case when q.accepted_at is not null then q.accepted_at + ${delay(120, 2 * DAY_SECONDS, rnd("q.id", 52))}
            else q.created_at + interval '7 days' + ${delay(600, 3 * DAY_SECONDS, rnd("q.id", 52))} end as at,
          case when q.accepted_at is not null
            then case when ${r51} < 0.04 then 1 when ${r51} < 0.09 then 2 when ${r51} < 0.20 then 3 when ${r51} < 0.48 then 4 else 5 end
            else case when ${r51} < 0.15 then 1 when ${r51} < 0.30 then 2 when ${r51} < 0.55 then 3 when ${r51} < 0.80 then 4 else 5 end
          end as rating,
          case when not q.is_plain_language or ${rnd("q.id", 53)} < 0.08 then null else ${rnd("q.id", 53)} >= 0.22 end as easy,
          case when ${rnd("q.id", 54)} < 0.3 then ${pick(RATING_COMMENTS, rnd("q.id", 55))} else '' end as comment
        from posts q
        where q.kind = 'question' and q.id between ${from} and ${to}
          and ((q.accepted_at is not null and ${rnd("q.id", 50)} < 0.30)
            or (q.accepted_answer_id is null and q.answer_count > 0 and ${rnd("q.id", 50)} < 0.08))
      ) g
      where g.at <= ${NOW}`,
    );
  });

  // Thanks on about 20 % of the answers, from one to three people (often the asker), never the answer's author.
  const r60 = rnd("a.id", 60);
  await inChunks("thanks", Q, async (from, to) => {
    await run(
      db,
      `
      insert into answer_thanks (answer_id, user_id, created_at)
      select g.answer_id, g.thanker_id, g.at
      from (
        select a.id as answer_id, a.author_id,
          case when k = 1 and ${rnd("a.id", 62)} < 0.5 then q.author_id else u.id end as thanker_id,
          a.created_at + ${delay(600, 4 * DAY_SECONDS, rnd("a.id * 4 + k", 63))} as at
        from posts a join posts q on q.id = a.parent_id
        cross join lateral generate_series(1, case when ${r60} < 0.13 then 1 when ${r60} < 0.18 then 2 when ${r60} < 0.20 then 3 else 0 end) as k
        join bench_people u on u.n = (floor(${U} * ${rnd("a.id", 61)})::int + k * 7) % ${U}
        where a.kind = 'answer' and a.parent_id between ${from} and ${to}
      ) g
      where g.at <= ${NOW} and g.thanker_id <> g.author_id
      on conflict do nothing`,
    );
  });

  // How-tos (one per 50 questions, by the same skewed helpers) with "Did this help?" answers from up to 15 readers.
  const H = Math.max(1, Math.round(Q / 50));
  const howtoBar = progressBar("how-tos and their feedback", 3);
  await run(
    db,
    `
    insert into posts (kind, space_id, author_id, title, body_md, body_html, summary, applies_to, difficulty, estimated_minutes,
      prerequisites_md, prerequisites_html, steps, created_at, updated_at, last_activity_at)
    select 'howto', s.id, u.id, g.title, g.intro, '<p>' || g.intro || '</p>', 'Step by step: ' || g.title || '.', g.topic || ', Windows 11 23H2',
      (array['beginner','intermediate','advanced'])[1 + floor(${rnd("g.h", 73)} * 3)::int], 5 + floor(${rnd("g.h", 74)} * 55)::int,
      '- ' || g.topic || ' administrator role', '<ul><li>' || g.topic || ' administrator role</li></ul>',
      (select jsonb_agg(jsonb_build_object('bodyMd', step, 'bodyHtml', '<p>' || step || '</p>') order by st)
        from (select st, 'Open the ' || g.topic || ' settings and try ' || ${pick(FIXES, rnd("g.h * 8 + st", 75))} || '.' as step from generate_series(1, 4) st) steps),
      g.at, g.at, g.at
    from (
      select h, ${NOW} - ${rnd("h", 70)} * ${PERIOD_DAYS * DAY_SECONDS} * interval '1 second' as at,
        floor(${S} * power(${rnd("h", 71)}, 1.6))::int as space_n,
        floor(${U} * power(${rnd("h", 72)}, 3))::int as author_n,
        ${pick(TOPICS, rnd("h", 76))} as topic,
        'How to ' || ${pick(ACTIONS, rnd("h", 77))} || ' in ' || ${pick(TOPICS, rnd("h", 76))} as title,
        'This guide shows how to ' || ${pick(ACTIONS, rnd("h", 77))} || ' without downtime.' as intro
      from generate_series(1, ${H}) as h
    ) g
    join bench_spaces s on s.n = g.space_n
    join bench_people u on u.n = g.author_n`,
  );
  howtoBar.update(1);
  await run(
    db,
    `
    insert into howto_feedback (user_id, post_id, is_helpful, comment, created_at, updated_at)
    select u.id, g.howto_id, g.is_helpful, g.comment, g.at, g.at
    from (
      select h.id as howto_id, h.author_id,
        h.created_at + (${NOW} - h.created_at) * ${rnd("h.id * 32 + k", 81)} as at,
        (floor(${U} * ${rnd("h.id", 82)})::int + k * 13) % ${U} as person_n,
        ${rnd("h.id * 32 + k", 83)} < 0.8 as is_helpful,
        case when ${rnd("h.id * 32 + k", 84)} < 0.15 then ${pick(HOWTO_COMMENTS, rnd("h.id * 32 + k", 85))} else '' end as comment
      from posts h cross join lateral generate_series(1, floor(16 * ${rnd("h.id", 80)})::int) as k
      where h.kind = 'howto'
    ) g
    join bench_people u on u.n = g.person_n
    where u.id <> g.author_id
    on conflict do nothing`,
  );
  howtoBar.update(2);
  await run(
    db,
    `
    update posts h set helpful_yes = f.yes, helpful_no = f.no, score = f.yes - f.no
    from (select post_id, count(*) filter (where is_helpful)::int as yes, count(*) filter (where not is_helpful)::int as no from howto_feedback group by post_id) f
    where h.id = f.post_id`,
  );
  howtoBar.finish();

  await run(db, "drop table bench_spaces, bench_people, bench_tags");
  const [report] = (
    (await db.execute(sql`select
      (select count(*) from posts)::int as posts,
      (select count(*) from posts where kind = 'answer')::int as answers,
      (select count(*) from posts where kind = 'howto')::int as howtos,
      (select count(*) from comments)::int as comments,
      (select count(*) from posts where accepted_answer_id is not null)::int as accepted,
      (select count(*) from help_ratings)::int as ratings,
      (select count(*) from answer_thanks)::int as thanks,
      (select count(*) from howto_feedback)::int as "howtoFeedback"`)) as unknown as { rows: PulseSeedReport[] }
  ).rows;
  return (
    report ?? { posts: 0, answers: 0, howtos: 0, comments: 0, accepted: 0, ratings: 0, thanks: 0, howtoFeedback: 0 }
  );
}

/**
 * A reused data set keeps "the last 180 days" meaning now: every moment in it moves forward by the time since it was
 * seeded (the spaces' creation time marks that moment). Returns the days moved (0 when less than an hour old).
 */
export async function moveDatesToNow(db: Db, now = new Date()): Promise<number> {
  const [row] = (
    (await db.execute(
      sql`select extract(epoch from ${now.toISOString()}::timestamptz - max(created_at))::float8 as seconds from spaces`,
    )) as unknown as { rows: { seconds: number | null }[] }
  ).rows;
  const seconds = row?.seconds ?? 0;
  if (seconds < 3600) return 0;
  const shift = sql`${seconds}::float8 * interval '1 second'`;
  await db.transaction(async (tx) => {
    await tx.execute(sql`update spaces set created_at = created_at + ${shift}, updated_at = updated_at + ${shift}`);
    await tx.execute(
      sql`update posts set created_at = created_at + ${shift}, updated_at = updated_at + ${shift}, last_activity_at = last_activity_at + ${shift}, accepted_at = accepted_at + ${shift}`,
    );
    await tx.execute(sql`update comments set created_at = created_at + ${shift}, updated_at = updated_at + ${shift}`);
    await tx.execute(
      sql`update help_ratings set created_at = created_at + ${shift}, updated_at = updated_at + ${shift}`,
    );
    await tx.execute(sql`update answer_thanks set created_at = created_at + ${shift}`);
    await tx.execute(
      sql`update howto_feedback set created_at = created_at + ${shift}, updated_at = updated_at + ${shift}`,
    );
    await tx.execute(
      sql`update question_facts set asked_at = asked_at + ${shift}, first_response_at = first_response_at + ${shift}, first_answer_at = first_answer_at + ${shift}, accepted_at = accepted_at + ${shift}`,
    );
    await tx.execute(sql`update notifications set created_at = created_at + ${shift}`);
    await tx.execute(sql`update search_documents set created_at = created_at + ${shift}`);
  });
  return seconds / DAY_SECONDS;
}
