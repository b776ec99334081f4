/**
 * The service pulse data set for `bench:pages --pulse`: questions spread over the last 180 days with answers, comments,
 * accepted answers, ratings, thanks and how-to feedback, written with set-based SQL (insert … select from
 * generate_series) so 100,000 questions take minutes, not hours. Every "random" choice is a hash of a row's id, so the
 * same sizes give the same data set on every machine.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { type NewUser, insertUsers } from "#db/seed";
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
  "VPN", "DNS", "Outlook", "Exchange Online", "Intune", "Teams", "SharePoint", "OneDrive", "Printers", "Wi-Fi",
  "MFA", "Certificates", "BitLocker", "Windows 11", "macOS", "Active Directory", "Group Policy", "Firewall", "Backup", "PowerShell",
  "Passwords", "Phishing", "Licensing", "Remote Desktop", "Autopilot", "Azure", "Laptops", "Shared Mailbox", "DHCP", "Defender",
] as const;
const ASPECTS = ["setup", "errors", "performance", "migration", "security", "policy", "sync", "licensing", "troubleshooting"] as const;
/** 30 topic tags plus nine aspects each: 300 tags; a question's first tag is its topic. */
const TOPIC_TAGS = TOPICS.map((topic) => slugify(topic, 35));
const ALL_TAGS = [...TOPIC_TAGS, ...TOPIC_TAGS.flatMap((tag) => ASPECTS.map((aspect) => `${tag}-${aspect}`))];

const SYMPTOMS = ["keeps asking for the password", "stopped syncing", "is very slow", "shows a certificate error", "fails with access denied", "drops every hour", "will not connect", "shows offline", "times out", "loops on sign-in"] as const;
const TRIGGERS = ["the latest update", "the MFA rollout", "a password change", "the tenant migration", "renewing the certificate", "moving office", "the firewall change", "replacing the laptop"] as const;
const ACTIONS = ["reset a password", "renew a certificate", "add a shared mailbox", "deploy a printer", "enrol a laptop", "restore a deleted file", "map a network drive", "assign a licence"] as const;
const FIXES = ["restarting the service", "clearing the credential manager", "re-enrolling the device", "flushing the DNS cache", "reinstalling the driver", "recreating the Outlook profile", "renewing the certificate", "running gpupdate /force"] as const;
const CAUSES = ["an expired intermediate certificate", "a stale DNS record", "the conditional access policy", "a wrong MTU on the VPN adapter", "the print spooler service", "an old cached credential", "a missing licence assignment", "a time skew on the client"] as const;
const PLAIN_TITLES = [
  "My laptop says my password has expired, what do I do?", "I can't print from home", "How do I get my work email on my phone?",
  "The Wi-Fi in the meeting room keeps dropping", "I clicked a strange link in an email", "Teams says I'm offline but I'm not",
  "My files disappeared from my desktop", "Why do I have to type a number when I sign in?", "How do I share a big file with a customer?",
] as const;
const RATING_COMMENTS = [
  "Clear steps, fixed it in five minutes.", "Thanks, this saved my morning.", "Worked, but I had to reboot twice.", "Took a while to get an answer.",
  "Great explanation of why it happened.", "Not quite my problem, but it pointed me the right way.", "Exactly what I needed, thank you!",
] as const;
const HOWTO_COMMENTS = ["Step 3 needs a screenshot.", "Worked first time.", "Out of date for the new admin centre.", "Saved me an hour, thanks.", "Please add the PowerShell version."] as const;

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

const raw = (text: string): SQL => sql.raw(text);

async function inChunks(label: string, total: number, step: (from: number, to: number) => Promise<void>): Promise<number> {
  const bar = progressBar(label, total);
  for (let from = 1; from <= total; from += CHUNK) {
    const to = Math.min(total, from + CHUNK - 1);
    await step(from, to);
    bar.update(to);
  }
  return bar.finish();
}

export type PulseSeedReport = { posts: number; answers: number; howtos: number; comments: number; accepted: number; ratings: number; thanks: number; howtoFeedback: number };

/**
 * Seeds the data set into an empty database. Questions get the ids 1…n (so later steps find them by id), and the
 * bench_* helper tables map "person number k" to an id while seeding; they are dropped at the end.
 */
export async function seedPulse(db: Db, sizes: PulseSizes, passwordHash: string, now = new Date()): Promise<PulseSeedReport> {
  const Q = sizes.questions;
  const U = sizes.users;
  const nowSql = sql`${now.toISOString()}::timestamptz`;

  // Every tenth space is a plain-language one, where people from the business ask in their own words.
  const spaceRows = await db
    .insert(spaces)
    .values(
      Array.from({ length: sizes.spaces }, (_, i) => {
        const isPlainLanguage = i % 10 === 4;
        const name = isPlainLanguage ? `Ask IT ${i + 1} (plain language)` : `Space ${i + 1}`;
        return { slug: slugify(name), name, description: `Benchmark space ${i + 1}`, position: i + 1, isPlainLanguage, createdAt: now, updatedAt: now };
      }),
    )
    .returning({ id: spaces.id, isPlainLanguage: spaces.isPlainLanguage });
  await db.execute(sql`drop table if exists bench_spaces, bench_people, bench_tags`);
  await db.execute(sql`create table bench_spaces (n int primary key, id int not null, is_plain boolean not null)`);
  await db.execute(sql`create table bench_people (n int primary key, id text not null)`);
  await db.execute(sql`create table bench_tags (n int primary key, id int not null)`);
  await db.execute(sql`insert into bench_spaces select n - 1, id, is_plain from unnest(${`{${spaceRows.map((s) => s.id).join(",")}}`}::int[], ${`{${spaceRows.map((s) => s.isPlainLanguage).join(",")}}`}::boolean[]) with ordinality as t(id, is_plain, n)`);
  const tagRows = await ensureTags(db, ALL_TAGS);
  await db.execute(sql`insert into bench_tags select n - 1, id from unnest(${`{${tagRows.map((t) => t.id).join(",")}}`}::int[]) with ordinality as t(id, n)`);

  // People: every fifth is from the business side (they ask the plain-language questions).
  const peopleBar = progressBar("people", U);
  for (let i = 0; i < U; i += 500) {
    const batch: NewUser[] = Array.from({ length: Math.min(500, U - i) }, (_, j) => {
      const n = i + j + 1;
      return { name: `Member ${n}`, email: `member${n}@bench.test`, handle: `member-${n}`, audience: n % 5 === 0 ? "business" : "it" };
    });
    const ids = await insertUsers(db, batch, passwordHash);
    await db.execute(sql`insert into bench_people select n - 1 + ${i}, id from unnest(${`{${ids.join(",")}}`}::text[]) with ordinality as t(id, n)`);
    peopleBar.update(i + batch.length);
  }
  peopleBar.finish();

  const S = spaceRows.length;
  const topic = (key: string) => `floor(${TOPICS.length} * power(${rnd(key, 6)}, 1.8))::int`;

  // Questions: uniform over 180 days; some spaces are much busier than others (the busiest gets about 10 %).
  await inChunks("questions", Q, async (from, to) => {
    await db.execute(sql`
      insert into posts (id, kind, space_id, author_id, title, body_md, body_html, is_plain_language, score, created_at, updated_at, last_activity_at)
      select g.i, 'question', s.id, u.id, g.title, g.body, '<p>' || g.body || '</p>', g.plain, g.score, g.at, g.at, g.at
      from (
        select i, at, plain, score,
          case when plain then ${raw(pick(PLAIN_TITLES, rnd("i", 7)))}
            when ${raw(rnd("i", 8))} < 0.5 then t.name || ' ' || ${raw(pick(SYMPTOMS, rnd("i", 9)))} || ' after ' || ${raw(pick(TRIGGERS, rnd("i", 10)))}
            else 'How do I ' || ${raw(pick(ACTIONS, rnd("i", 9)))} || ' in ' || t.name || '?' end as title,
          case when plain then 'Since ' || ${raw(pick(TRIGGERS, rnd("i", 10)))} || ' my laptop ' || ${raw(pick(SYMPTOMS, rnd("i", 9)))} || '. I am not technical, so please explain simply.'
            else 'We have ' || (20 + floor(${raw(rnd("i", 11))} * 900))::int || ' users and ' || t.name || ' ' || ${raw(pick(SYMPTOMS, rnd("i", 9)))}
              || ' since ' || ${raw(pick(TRIGGERS, rnd("i", 10)))} || '. I already tried ' || ${raw(pick(FIXES, rnd("i", 12)))} || ', no change. Any ideas?' end as body,
          case when plain then 5 * floor((${U} / 5) * ${raw(rnd("i", 13))})::int + 4 else floor(${U} * ${raw(rnd("i", 13))})::int end as asker,
          space_n
        from (
          select i, ${nowSql} - ${raw(rnd("i", 2))} * ${PERIOD_DAYS * DAY_SECONDS} * interval '1 second' as at,
            floor(${S} * power(${raw(rnd("i", 1))}, 1.6))::int as space_n,
            floor(power(${raw(rnd("i", 14))}, 3) * 30)::int - 2 as score,
            ${raw(topic("i"))} as topic_n,
            ${raw(rnd("i", 4))} < 0.8 and (select is_plain from bench_spaces where n = floor(${S} * power(${raw(rnd("i", 1))}, 1.6))::int) as plain
          from generate_series(${from}::int, ${to}::int) as i
        ) g0
        join (select n - 1 as n, name from unnest(${raw(`array[${TOPICS.map((t) => `'${t}'`).join(",")}]::text[]`)}) with ordinality as x(name, n)) t on t.n = g0.topic_n
      ) g
      join bench_spaces s on s.n = g.space_n
      join bench_people u on u.n = least(g.asker, ${U - 1})`);
    // Tags: the topic, often one of its aspects, sometimes a second topic.
    await db.execute(sql`
      insert into post_tags (post_id, tag_id)
      select q.id, t.id from posts q
      cross join lateral (values
        (${raw(topic("q.id"))}),
        (case when ${raw(rnd("q.id", 15))} < 0.6 then ${TOPICS.length} + ${raw(topic("q.id"))} * ${ASPECTS.length} + floor(${raw(rnd("q.id", 16))} * ${ASPECTS.length})::int end),
        (case when ${raw(rnd("q.id", 17))} < 0.25 then floor(${TOPICS.length} * power(${raw(rnd("q.id", 18))}, 1.8))::int end)
      ) k(tag_n)
      join bench_tags t on t.n = k.tag_n
      where q.id between ${from} and ${to}
      on conflict do nothing`);
  });
  await db.execute(sql`select setval(pg_get_serial_sequence('posts', 'id'), (select max(id) from posts))`);

  // Answers: about 1.2 per question (28 % none, a few popular ones with a dozen or more), from two minutes to five
  // days after the question, never after now. Helpers are skewed: a few people write a large share of the answers;
  // 3 % are the asker answering their own question.
  const answerCount = `case when ${rnd("q.id", 20)} < 0.28 then 0 when ${rnd("q.id", 20)} < 0.70 then 1 when ${rnd("q.id", 20)} < 0.88 then 2
    when ${rnd("q.id", 20)} < 0.96 then 3 when ${rnd("q.id", 20)} < 0.99 then 4 when ${rnd("q.id", 20)} < 0.998 then 5 else 12 + floor(${rnd("q.id", 21)} * 20)::int end`;
  await inChunks("question chunks: answers", Q, async (from, to) => {
    await db.execute(sql`
      insert into posts (kind, space_id, parent_id, author_id, body_md, body_html, score, created_at, updated_at, last_activity_at)
      select 'answer', g.space_id, g.question_id, case when g.is_self then g.asker_id else u.id end, g.body, '<p>' || g.body || '</p>', g.score, g.at, g.at, g.at
      from (
        select q.id as question_id, q.space_id, q.author_id as asker_id,
          q.created_at + ${raw(delay(120, 5 * DAY_SECONDS, rnd("q.id * 64 + k", 22)))} as at,
          ${raw(rnd("q.id * 64 + k", 23))} < 0.03 as is_self,
          floor(${U} * power(${raw(rnd("q.id * 64 + k", 24))}, 3))::int as helper_n,
          floor(power(${raw(rnd("q.id * 64 + k", 25))}, 3) * 25)::int - 1 as score,
          'This is usually caused by ' || ${raw(pick(CAUSES, rnd("q.id * 64 + k", 26)))} || '. Try ' || ${raw(pick(FIXES, rnd("q.id * 64 + k", 27)))}
            || ' first; if that does not help, check ' || ${raw(pick(CAUSES, rnd("q.id * 64 + k", 28)))} || '.' as body
        from posts q cross join lateral generate_series(1, ${raw(answerCount)}) as k
        where q.kind = 'question' and q.id between ${from} and ${to}
      ) g
      join bench_people u on u.n = g.helper_n
      where g.at <= ${nowSql}
      order by g.question_id, g.at`);
    await db.execute(sql`
      update posts q set answer_count = a.n, last_activity_at = greatest(q.last_activity_at, a.latest)
      from (select parent_id, count(*)::int as n, max(created_at) as latest from posts where kind = 'answer' and parent_id between ${from} and ${to} group by parent_id) a
      where q.id = a.parent_id`);
  });

  // Comments on about 30 % of the questions: half of them the asker clarifying, half others asking back.
  await inChunks("question chunks: comments", Q, async (from, to) => {
    await db.execute(sql`
      insert into comments (post_id, author_id, body_md, body_html, created_at, updated_at)
      select g.question_id, case when g.by_asker then g.asker_id else u.id end, g.body, '<p>' || g.body || '</p>', g.at, g.at
      from (
        select q.id as question_id, q.author_id as asker_id,
          q.created_at + ${raw(delay(60, 2 * DAY_SECONDS, rnd("q.id * 4 + k", 41)))} as at,
          ${raw(rnd("q.id * 4 + k", 42))} < 0.5 as by_asker,
          floor(${U} * ${raw(rnd("q.id * 4 + k", 43))})::int as person_n,
          'Did you check ' || ${raw(pick(CAUSES, rnd("q.id * 4 + k", 44)))} || '?' as body
        from posts q cross join lateral generate_series(1, case when ${raw(rnd("q.id", 40))} < 0.22 then 1 when ${raw(rnd("q.id", 40))} < 0.30 then 2 else 0 end) as k
        where q.kind = 'question' and q.id between ${from} and ${to}
      ) g
      join bench_people u on u.n = g.person_n
      where g.at <= ${nowSql}`);
    await db.execute(sql`
      update posts q set comment_count = c.n, last_activity_at = greatest(q.last_activity_at, c.latest)
      from (select post_id, count(*)::int as n, max(created_at) as latest from comments where post_id between ${from} and ${to} group by post_id) c
      where q.id = c.post_id`);
  });

  // Accepted answers on about 55 % of the questions: usually the first answer, sometimes the last; accepted from five
  // minutes to three days after it was written (not yet, when that is still to come).
  await inChunks("question chunks: accepted answers", Q, async (from, to) => {
    await db.execute(sql`
      update posts q set accepted_answer_id = c.answer_id, accepted_at = c.at
      from (
        select distinct on (a.parent_id) a.parent_id, a.id as answer_id, a.created_at + ${raw(delay(300, 3 * DAY_SECONDS, rnd("a.id", 31)))} as at
        from posts a
        where a.kind = 'answer' and a.parent_id between ${from} and ${to}
        order by a.parent_id, case when ${raw(rnd("a.parent_id", 32))} < 0.7 then extract(epoch from a.created_at) else -extract(epoch from a.created_at) end
      ) c
      where q.id = c.parent_id and ${raw(rnd("q.id", 30))} < 0.78 and c.at <= ${nowSql}`);
  });

  // Ratings by the asker: about 30 % of the accepted questions (skewed high), and a few week-old questions that got
  // answers but none accepted (lower). Plain-language questions mostly say whether the answer was easy to understand.
  await inChunks("question chunks: ratings", Q, async (from, to) => {
    await db.execute(sql`
      insert into help_ratings (question_id, rater_id, rating, easy_to_understand, comment, created_at, updated_at)
      select g.id, g.author_id, g.rating, g.easy, g.comment, g.at, g.at
      from (
        select q.id, q.author_id,
          case when q.accepted_at is not null then q.accepted_at + ${raw(delay(120, 2 * DAY_SECONDS, rnd("q.id", 52)))}
            else q.created_at + interval '7 days' + ${raw(delay(600, 3 * DAY_SECONDS, rnd("q.id", 52)))} end as at,
          case when q.accepted_at is not null then
              case when ${raw(rnd("q.id", 51))} < 0.04 then 1 when ${raw(rnd("q.id", 51))} < 0.09 then 2 when ${raw(rnd("q.id", 51))} < 0.20 then 3 when ${raw(rnd("q.id", 51))} < 0.48 then 4 else 5 end
            else case when ${raw(rnd("q.id", 51))} < 0.15 then 1 when ${raw(rnd("q.id", 51))} < 0.30 then 2 when ${raw(rnd("q.id", 51))} < 0.55 then 3 when ${raw(rnd("q.id", 51))} < 0.80 then 4 else 5 end
          end as rating,
          case when not q.is_plain_language or ${raw(rnd("q.id", 53))} < 0.08 then null else ${raw(rnd("q.id", 53))} >= 0.22 end as easy,
          case when ${raw(rnd("q.id", 54))} < 0.3 then ${raw(pick(RATING_COMMENTS, rnd("q.id", 55)))} else '' end as comment
        from posts q
        where q.kind = 'question' and q.id between ${from} and ${to}
          and ((q.accepted_at is not null and ${raw(rnd("q.id", 50))} < 0.30)
            or (q.accepted_answer_id is null and q.answer_count > 0 and ${raw(rnd("q.id", 50))} < 0.08))
      ) g
      where g.at <= ${nowSql}`);
  });

  // Thanks on about 20 % of the answers, from one to three people (often the asker), never the answer's author.
  await inChunks("question chunks: thanks", Q, async (from, to) => {
    await db.execute(sql`
      insert into answer_thanks (answer_id, user_id, created_at)
      select g.answer_id, case when g.by_asker then g.asker_id else u.id end, g.at
      from (
        select a.id as answer_id, a.author_id, q.author_id as asker_id,
          a.created_at + ${raw(delay(600, 4 * DAY_SECONDS, rnd("a.id * 4 + k", 63)))} as at,
          k = 1 and ${raw(rnd("a.id", 62))} < 0.5 as by_asker,
          (floor(${U} * ${raw(rnd("a.id", 61))})::int + k * 7) % ${U} as person_n
        from posts a join posts q on q.id = a.parent_id
        cross join lateral generate_series(1, case when ${raw(rnd("a.id", 60))} < 0.13 then 1 when ${raw(rnd("a.id", 60))} < 0.18 then 2 when ${raw(rnd("a.id", 60))} < 0.20 then 3 else 0 end) as k
        where a.kind = 'answer' and a.parent_id between ${from} and ${to}
      ) g
      join bench_people u on u.n = g.person_n
      where g.at <= ${nowSql} and (case when g.by_asker then g.asker_id else u.id end) <> g.author_id
      on conflict do nothing`);
  });

  // How-tos (one per 50 questions, by the same skewed helpers) with "Did this help?" answers from up to 15 readers.
  const H = Math.max(1, Math.round(Q / 50));
  const howtoBar = progressBar("how-tos and their feedback", H);
  await db.execute(sql`
    insert into posts (kind, space_id, author_id, title, body_md, body_html, summary, applies_to, difficulty, estimated_minutes,
      prerequisites_md, prerequisites_html, steps, created_at, updated_at, last_activity_at)
    select 'howto', s.id, u.id, g.title, g.intro, '<p>' || g.intro || '</p>', 'Step by step: ' || g.title || '.', g.topic || ', Windows 11 23H2',
      (array['beginner','intermediate','advanced'])[1 + floor(${raw(rnd("h", 73))} * 3)::int], 5 + floor(${raw(rnd("h", 74))} * 55)::int,
      '- ' || g.topic || ' administrator role', '<ul><li>' || g.topic || ' administrator role</li></ul>',
      (select jsonb_agg(jsonb_build_object('bodyMd', step, 'bodyHtml', '<p>' || step || '</p>'))
        from (select 'Open the ' || g.topic || ' settings and try ' || ${raw(pick(FIXES, rnd("h * 8 + st", 75)))} || '.' as step from generate_series(1, 4) st) steps),
      g.at, g.at, g.at
    from (
      select h, ${nowSql} - ${raw(rnd("h", 70))} * ${PERIOD_DAYS * DAY_SECONDS} * interval '1 second' as at,
        floor(${S} * power(${raw(rnd("h", 71))}, 1.6))::int as space_n,
        floor(${U} * power(${raw(rnd("h", 72))}, 3))::int as author_n,
        ${raw(pick(TOPICS, rnd("h", 76)))} as topic,
        'How to ' || ${raw(pick(ACTIONS, rnd("h", 77)))} || ' in ' || ${raw(pick(TOPICS, rnd("h", 76)))} as title,
        'This guide shows how to ' || ${raw(pick(ACTIONS, rnd("h", 77)))} || ' without downtime.' as intro
      from generate_series(1, ${H}::int) as h
    ) g
    join bench_spaces s on s.n = g.space_n
    join bench_people u on u.n = g.author_n`);
  await db.execute(sql`
    insert into howto_feedback (user_id, post_id, is_helpful, comment, created_at, updated_at)
    select u.id, g.howto_id, g.is_helpful, g.comment, g.at, g.at
    from (
      select h.id as howto_id, h.author_id,
        h.created_at + (${nowSql} - h.created_at) * ${raw(rnd("h.id * 32 + k", 81))} as at,
        (floor(${U} * ${raw(rnd("h.id", 82))})::int + k * 13) % ${U} as person_n,
        ${raw(rnd("h.id * 32 + k", 83))} < 0.8 as is_helpful,
        case when ${raw(rnd("h.id * 32 + k", 84))} < 0.15 then ${raw(pick(HOWTO_COMMENTS, rnd("h.id * 32 + k", 85)))} else '' end as comment
      from posts h cross join lateral generate_series(1, floor(16 * ${raw(rnd("h.id", 80))})::int) as k
      where h.kind = 'howto'
    ) g
    join bench_people u on u.n = g.person_n
    where u.id <> g.author_id
    on conflict do nothing`);
  await db.execute(sql`
    update posts h set helpful_yes = f.yes, helpful_no = f.no, score = f.yes - f.no
    from (select post_id, count(*) filter (where is_helpful)::int as yes, count(*) filter (where not is_helpful)::int as no from howto_feedback group by post_id) f
    where h.id = f.post_id`);
  howtoBar.finish();

  await db.execute(sql`drop table bench_spaces, bench_people, bench_tags`);
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
  return report ?? { posts: 0, answers: 0, howtos: 0, comments: 0, accepted: 0, ratings: 0, thanks: 0, howtoFeedback: 0 };
}

/**
 * A reused data set keeps "the last 180 days" meaning now: every moment in it moves forward by the time since it was
 * seeded (the spaces' creation time marks that moment). Returns the days moved (0 when less than an hour old).
 */
export async function moveDatesToNow(db: Db, now = new Date()): Promise<number> {
  const [row] = ((await db.execute(sql`select extract(epoch from ${now.toISOString()}::timestamptz - max(created_at))::float8 as seconds from spaces`)) as unknown as { rows: { seconds: number | null }[] }).rows;
  const seconds = row?.seconds ?? 0;
  if (seconds < 3600) return 0;
  const shift = sql`${seconds} * interval '1 second'`;
  await db.transaction(async (tx) => {
    await tx.execute(sql`update spaces set created_at = created_at + ${shift}, updated_at = updated_at + ${shift}`);
    await tx.execute(sql`update posts set created_at = created_at + ${shift}, updated_at = updated_at + ${shift}, last_activity_at = last_activity_at + ${shift}, accepted_at = accepted_at + ${shift}`);
    await tx.execute(sql`update comments set created_at = created_at + ${shift}, updated_at = updated_at + ${shift}`);
    await tx.execute(sql`update help_ratings set created_at = created_at + ${shift}, updated_at = updated_at + ${shift}`);
    await tx.execute(sql`update answer_thanks set created_at = created_at + ${shift}`);
    await tx.execute(sql`update howto_feedback set created_at = created_at + ${shift}, updated_at = updated_at + ${shift}`);
    await tx.execute(sql`update question_facts set asked_at = asked_at + ${shift}, first_response_at = first_response_at + ${shift}, first_answer_at = first_answer_at + ${shift}, accepted_at = accepted_at + ${shift}`);
    await tx.execute(sql`update notifications set created_at = created_at + ${shift}`);
    await tx.execute(sql`update search_documents set created_at = created_at + ${shift}`);
  });
  return seconds / DAY_SECONDS;
}
