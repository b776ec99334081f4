/**
 * npm run bench:search [-- --small] [--reuse] [--keep-index] [--in-app-only]
 * Seeds 100,000 posts (questions, answers, how-tos in 50 spaces with 300 tags and IT-support vocabulary) into a fresh
 * embedded database under bench/.data/ (or DATABASE_URL), builds the search index through each engine's rebuild(),
 * then times a few hundred realistic searches per engine: PostgreSQL full-text search always, Meilisearch when
 * MEILISEARCH_URL answers. Prints p50/p95/p99/mean per query type and writes bench/results/search-*.json.
 * --in-app-only times only the ranking the site runs (for quick before/after runs and `node --cpu-prof`);
 * --dump FILE writes what each search showed (hits, total, facets, correction) there, to compare two versions exactly.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { hashPassword } from "better-auth/crypto";
import { sql } from "drizzle-orm";
import { Meilisearch } from "meilisearch";
import { type Database, type Db, openDatabase } from "#db/client.server";
import { insertUsers } from "../scripts/seed/demo";
import { type HowtoStep, postTags, posts, spaces } from "#db/schema";
import { slugify } from "~/lib/slug";
import { ensureTags } from "~/models/tags.server";
import { allSearchDocuments } from "~/search/documents.server";
import { createIndexedSearch } from "~/search/indexed.server";
import { createMeilisearchSearch } from "~/search/meilisearch.server";
import { createPostgresSearch } from "~/search/postgres.server";
import { parseSearchInput } from "~/search/query";
import type { SearchEngine, SearchQuery, SearchSort } from "~/search/types";
import { progressBar } from "./lib";
import { seededRandom as random, type SeededRandom as Random } from "~/lib/seeded-random";

const args = process.argv.slice(2);
const small = args.includes("--small");
const reuse = args.includes("--reuse");
const keepIndex = args.includes("--keep-index");
const inAppOnly = args.includes("--in-app-only");
const dumpFile = args.includes("--dump") ? args[args.indexOf("--dump") + 1] : undefined;
const totalPosts = Number(process.env.BENCH_POSTS ?? (small ? 10_000 : 100_000));
const passes = Number(process.env.BENCH_PASSES ?? 2);
const databaseUrl = process.env.DATABASE_URL || undefined;
const meilisearchUrl = process.env.MEILISEARCH_URL || undefined;
const dataDir = path.resolve(`bench/.data/search-${totalPosts}`);
const USERS = 2000;
const BENCH_INDEX = "bench_posts";
const CHUNK = 1000;

// ---- a deterministic corpus with the vocabulary of an IT help community ----

/** Products and technologies: how people write them, and the tag they carry. */
const TOPICS = [
  "Exchange Online",
  "Outlook",
  "Intune",
  "VPN",
  "DNS",
  "Certificates",
  "Printers",
  "Passwords",
  "Teams",
  "SharePoint",
  "OneDrive",
  "Firewall",
  "Wi-Fi",
  "MFA",
  "Entra ID",
  "Active Directory",
  "Group Policy",
  "Autopilot",
  "BitLocker",
  "Windows 11",
  "Windows 10",
  "macOS",
  "iPhone",
  "Android",
  "DHCP",
  "Switches",
  "VLAN",
  "Proxy",
  "Remote Desktop",
  "Citrix",
  "Hyper-V",
  "VMware",
  "Backup",
  "Azure",
  "AWS",
  "PowerShell",
  "Defender",
  "Phishing",
  "Conditional Access",
  "Licensing",
  "Exchange Server",
  "SMTP",
  "DKIM",
  "SPF",
  "DMARC",
  "Shared Mailbox",
  "Calendar",
  "Teams Phone",
  "Zoom",
  "Scanner",
  "Print Spooler",
  "Drivers",
  "Windows Update",
  "WSUS",
  "SCCM",
  "Linux",
  "NAS",
  "File Shares",
  "Laptops",
  "Monitors",
] as const;
const ASPECTS = [
  "migration",
  "licensing",
  "powershell",
  "policy",
  "troubleshooting",
  "setup",
  "performance",
  "security",
  "errors",
  "sync",
] as const;

const TOPIC_TAGS = TOPICS.map((topic) => slugify(topic, 35));
/** 60 topic tags plus four aspects each: 300 tags. */
const ALL_TAGS = [
  ...TOPIC_TAGS,
  ...TOPIC_TAGS.flatMap((tag, i) => [0, 3, 6, 8].map((k) => `${tag}-${ASPECTS[(i + k) % ASPECTS.length]}`)),
];

const SPACE_NAMES = [
  "Networking",
  "Microsoft 365",
  "Exchange & Outlook",
  "Intune & Autopilot",
  "Security",
  "Identity & Entra ID",
  "Printers & scanners",
  "Windows clients",
  "macOS",
  "Mobile devices",
  "Servers & virtualisation",
  "Backup & recovery",
  "Azure",
  "AWS",
  "PowerShell & scripting",
  "Linux",
  "Helpdesk practice",
  "Ask IT (plain language)",
  "Teams & telephony",
  "SharePoint & OneDrive",
  "Licensing",
  "Wi-Fi",
  "Firewalls",
  "VPN & remote access",
  "DNS & DHCP",
  "Certificates & PKI",
  "Email security",
  "Endpoint protection",
  "Patching",
  "Monitoring",
  "Databases",
  "Active Directory",
  "Group Policy",
  "Hardware",
  "Meeting rooms",
  "Onboarding & offboarding",
  "Compliance",
  "Small office IT",
  "Education IT",
  "Healthcare IT",
  "Career & learning",
  "Automation",
  "Storage & NAS",
  "Virtual desktops",
  "Citrix",
  "Google Workspace",
  "Password managers",
  "Phishing & awareness",
  "Incident response",
  "Office apps",
] as const;
const PLAIN_SPACES = new Set(["Ask IT (plain language)", "Small office IT", "Office apps"]);

const SYMPTOMS = [
  "keeps asking for the password",
  "stopped syncing",
  "is very slow",
  "shows a certificate error",
  "fails with access denied",
  "drops every hour",
  "won't connect",
  "shows offline",
  "crashes on start",
  "rejects the login",
  "times out",
  "loops on sign-in",
  "sends duplicate emails",
  "cannot find the server",
  "reports a licence error",
  "freezes during updates",
] as const;
const TRIGGERS = [
  "the latest update",
  "the MFA rollout",
  "a password change",
  "the tenant migration",
  "renewing the certificate",
  "moving office",
  "the firewall change",
  "enabling conditional access",
  "replacing the laptop",
  "the DNS change",
  "the switch upgrade",
  "a reboot",
] as const;
const ACTIONS = [
  "reset a user's password",
  "renew an expired certificate",
  "add a shared mailbox",
  "deploy a printer",
  "block a phishing domain",
  "enrol a laptop",
  "split tunnel VPN traffic",
  "restore a deleted file",
  "set up a VPN profile",
  "export a mailbox",
  "create a DNS record",
  "rotate a service account password",
  "wipe a lost phone",
  "assign a licence",
  "audit sign-ins",
  "configure DKIM",
  "map a network drive",
] as const;
const WHO = [
  "remote users",
  "one user",
  "the whole office",
  "new starters",
  "guests",
  "the finance team",
  "Mac users",
  "shared devices",
] as const;
const CODES = [
  "0x80070005",
  "809",
  "AADSTS50076",
  "0x8007232B",
  "550 5.7.1",
  "event 4625",
  "0x800f0922",
  "ERR_CERT_DATE_INVALID",
  "1058",
  "0xc004f074",
  "AADSTS700016",
  "0x80190001",
] as const;
const CONTEXTS = [
  "connecting over VPN",
  "opening Outlook",
  "printing from Teams",
  "syncing OneDrive",
  "joining the domain",
  "signing in",
  "sending mail",
  "mapping a drive",
] as const;
const PLATFORMS = [
  "Windows 11 23H2",
  "Windows 10 22H2",
  "macOS Sonoma",
  "iOS 17",
  "Android 14",
  "Windows Server 2022",
  "Ubuntu 22.04",
  "Windows Server 2019",
] as const;
const FIXES = [
  "restarting the service",
  "clearing the credential manager",
  "re-enrolling the device",
  "flushing the DNS cache",
  "reinstalling the driver",
  "recreating the Outlook profile",
  "renewing the certificate",
  "resetting the password",
  "removing the cached token",
  "running gpupdate /force",
] as const;
const CAUSES = [
  "an expired intermediate certificate",
  "a stale DNS record",
  "the conditional access policy",
  "a wrong MTU on the VPN adapter",
  "the print spooler service",
  "a duplicate proxy address",
  "the token lifetime policy",
  "split DNS on the VPN",
  "an old cached credential",
  "a missing licence assignment",
  "the firewall blocking port 443",
  "a time skew on the client",
  "a corrupt user profile",
] as const;
const COMMANDS = [
  "Test-NetConnection mail.contoso.com -Port 443",
  "Resolve-DnsName intranet.corp.example",
  "ipconfig /flushdns",
  "certutil -verify -urlfetch cert.cer",
  "gpupdate /force",
  "Get-PrinterDriver | Select Name",
  "Get-Mailbox -ResultSize Unlimited",
  "dsregcmd /status",
  "Restart-Service Spooler",
  "Get-VpnConnection -AllUserConnection",
  "klist purge",
  "manage-bde -status C:",
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
  "The printer says it's out of paper but it isn't",
  "How do I share a big file with a customer?",
  "My computer wants to restart for updates",
  "I forgot my password and I'm locked out",
] as const;

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}

/** Markdown and its HTML built side by side: the generated Markdown is simple, so no renderer is needed while seeding. */
type Text = { md: string; html: string };
function paragraphs(parts: string[], code?: string): Text {
  const md = parts.join("\n\n") + (code ? `\n\n\`\`\`powershell\n${code}\n\`\`\`` : "");
  const html =
    parts.map((p) => `<p>${escapeHtml(p)}</p>`).join("\n") +
    (code ? `\n<pre tabindex="0"><code class="hljs">${escapeHtml(code)}</code></pre>` : "");
  return { md, html };
}

function questionTitle(r: Random, topic: string): string {
  switch (r.int(5)) {
    case 0:
      return `${topic} ${r.pick(SYMPTOMS)} after ${r.pick(TRIGGERS)}`;
    case 1:
      return `How do I ${r.pick(ACTIONS)} in ${topic}?`;
    case 2:
      return `${topic}: ${r.pick(SYMPTOMS)} for ${r.pick(WHO)}`;
    case 3:
      return `Why does ${topic} show ${r.pick(CODES)} when ${r.pick(CONTEXTS)}?`;
    default:
      return `${topic} and ${r.skewed(TOPICS)}: ${r.pick(SYMPTOMS)}`;
  }
}

function questionBody(r: Random, topic: string): Text {
  const parts = [
    `We have ${20 + r.int(900)} users on ${r.pick(PLATFORMS)} and ${topic} ${r.pick(SYMPTOMS)} since ${r.pick(TRIGGERS)}.`,
    `The logs show ${r.pick(CODES)} when ${r.pick(CONTEXTS)}. I already tried ${r.pick(FIXES)} and ${r.pick(FIXES)}, no change.`,
  ];
  if (r.chance(0.5))
    parts.push(`It works fine for ${r.pick(WHO)} but not for ${r.pick(WHO)}, and only ${r.pick(CONTEXTS)}.`);
  if (r.chance(0.4))
    parts.push(`Could this be ${r.pick(CAUSES)} or ${r.pick(CAUSES)}? ${r.skewed(TOPICS)} is also involved.`);
  parts.push(r.pick(["Any ideas?", "Thanks in advance.", "What am I missing?", "Has anyone seen this?"]));
  return paragraphs(parts, r.chance(0.3) ? r.pick(COMMANDS) : undefined);
}

function answerBody(r: Random, topic: string): Text {
  const parts = [
    `This is usually caused by ${r.pick(CAUSES)}. Check ${topic} first, then ${r.skewed(TOPICS)}.`,
    `Try ${r.pick(FIXES)}; if ${r.pick(CODES)} still appears, look at ${r.pick(CAUSES)}.`,
  ];
  if (r.chance(0.5))
    parts.push(
      `We had the same on ${r.pick(PLATFORMS)} after ${r.pick(TRIGGERS)} and ${r.pick(FIXES)} solved it for ${r.pick(WHO)}.`,
    );
  return paragraphs(parts, r.chance(0.4) ? r.pick(COMMANDS) : undefined);
}

function plainBody(r: Random): Text {
  return paragraphs([
    `Since ${r.pick(TRIGGERS)} my laptop ${r.pick(SYMPTOMS)}. I'm not technical, so please explain simply.`,
    `I already tried turning it off and on again. Is my password the problem, or the Wi-Fi, or the printer?`,
  ]);
}

type NewPostRow = typeof posts.$inferInsert;
type Seeded = {
  spaces: { id: number; slug: string; name: string; isPlainLanguage: boolean }[];
  counts: Record<"question" | "answer" | "howto", number>;
};

async function seed(db: Db): Promise<Seeded> {
  const r = random(42);
  const spaceRows = await db
    .insert(spaces)
    .values(
      SPACE_NAMES.map((name, i) => ({
        slug: slugify(name),
        name,
        description: `Questions and how-tos about ${name}.`,
        position: i + 1,
        isPlainLanguage: PLAIN_SPACES.has(name),
      })),
    )
    .returning({ id: spaces.id, slug: spaces.slug, name: spaces.name, isPlainLanguage: spaces.isPlainLanguage });
  const tagIds = new Map((await ensureTags(db, ALL_TAGS)).map((t) => [t.slug, t.id]));
  const hash = await hashPassword("benchmark-password");
  const userIds: string[] = [];
  for (let i = 0; i < USERS; i += 500) {
    const batch = Array.from({ length: Math.min(500, USERS - i) }, (_, j) => ({
      name: `Member ${i + j + 1}`,
      email: `member${i + j + 1}@bench.test`,
      handle: `member-${i + j + 1}`,
    }));
    userIds.push(...(await insertUsers(db, batch, hash)));
  }

  const counts = { question: Math.round(totalPosts * 0.42), howto: Math.round(totalPosts * 0.08), answer: 0 };
  counts.answer = totalPosts - counts.question - counts.howto;
  const bar = progressBar("posts", totalPosts);
  const now = Date.now();
  const threeYears = 3 * 365 * 86_400_000;
  let done = 0;
  // Each space leans towards five topics, so space filters and facets look like a real community.
  const spaceTopic = (spaceIndex: number) =>
    r.chance(0.7) ? (TOPICS[(spaceIndex * 7 + r.int(5)) % TOPICS.length] ?? "VPN") : r.skewed(TOPICS);
  const topicTags = (topic: string): string[] => {
    const base = slugify(topic, 35);
    const tags = [base];
    const aspects = ALL_TAGS.filter((t) => t.startsWith(`${base}-`));
    if (r.chance(0.6)) tags.push(r.pick(aspects));
    if (r.chance(0.3)) tags.push(slugify(r.skewed(TOPICS), 35));
    return [...new Set(tags)];
  };

  /** Inserts rows in multi-row statements inside one transaction per chunk; returns ids in order. */
  const insertChunk = async (rows: NewPostRow[], tagLists: string[][]): Promise<number[]> =>
    db.transaction(async (tx) => {
      const ids = (await tx.insert(posts).values(rows).returning({ id: posts.id })).map((row) => row.id);
      const links = ids.flatMap((postId, i) =>
        (tagLists[i] ?? []).flatMap((tag) => {
          const tagId = tagIds.get(tag);
          return tagId === undefined ? [] : [{ postId, tagId }];
        }),
      );
      if (links.length > 0) await tx.insert(postTags).values(links).onConflictDoNothing();
      done += rows.length;
      bar.update(done);
      return ids;
    });

  const questions: { id: number; spaceId: number; topic: string; createdAt: number }[] = [];
  for (let i = 0; i < counts.question; i += CHUNK) {
    const rows: NewPostRow[] = [];
    const tagLists: string[][] = [];
    const meta: { spaceId: number; topic: string; createdAt: number }[] = [];
    for (let j = 0; j < Math.min(CHUNK, counts.question - i); j++) {
      const spaceIndex = r.int(spaceRows.length);
      const space = spaceRows[spaceIndex];
      if (!space) continue;
      const topic = spaceTopic(spaceIndex);
      const isPlain = space.isPlainLanguage && r.chance(0.8);
      const body = isPlain ? plainBody(r) : questionBody(r, topic);
      const createdAt = now - Math.floor(r.next() * threeYears);
      rows.push({
        kind: "question",
        spaceId: space.id,
        authorId: userIds[r.int(userIds.length)] ?? "",
        title: isPlain ? r.pick(PLAIN_TITLES) : questionTitle(r, topic),
        bodyMd: body.md,
        bodyHtml: body.html,
        isPlainLanguage: isPlain,
        score: Math.floor(r.next() ** 3 * 40) - 2,
        createdAt: new Date(createdAt),
        updatedAt: new Date(createdAt),
        lastActivityAt: new Date(createdAt),
      });
      tagLists.push(topicTags(topic));
      meta.push({ spaceId: space.id, topic, createdAt });
    }
    const ids = await insertChunk(rows, tagLists);
    ids.forEach((id, k) => {
      const m = meta[k];
      if (m) questions.push({ id, ...m });
    });
  }

  // Answers land on popular questions more often; about a third of the questions stay unanswered.
  for (let i = 0; i < counts.answer; i += CHUNK) {
    const rows: NewPostRow[] = [];
    for (let j = 0; j < Math.min(CHUNK, counts.answer - i); j++) {
      const question = questions[Math.floor(r.next() ** 1.3 * questions.length * 0.85)];
      if (!question) continue;
      const body = answerBody(r, question.topic);
      const createdAt = question.createdAt + r.int(30 * 86_400_000);
      rows.push({
        kind: "answer",
        spaceId: question.spaceId,
        parentId: question.id,
        authorId: userIds[r.int(userIds.length)] ?? "",
        bodyMd: body.md,
        bodyHtml: body.html,
        score: Math.floor(r.next() ** 3 * 25) - 1,
        createdAt: new Date(createdAt),
        updatedAt: new Date(createdAt),
        lastActivityAt: new Date(createdAt),
      });
    }
    await insertChunk(rows, []);
  }

  for (let i = 0; i < counts.howto; i += CHUNK) {
    const rows: NewPostRow[] = [];
    const tagLists: string[][] = [];
    for (let j = 0; j < Math.min(CHUNK, counts.howto - i); j++) {
      const spaceIndex = r.int(spaceRows.length);
      const space = spaceRows[spaceIndex];
      if (!space) continue;
      const topic = spaceTopic(spaceIndex);
      const action = r.pick(ACTIONS);
      const steps: HowtoStep[] = Array.from({ length: 3 + r.int(5) }, (_, k) => {
        const step = `${k === 0 ? "Open" : r.pick(["Check", "Run", "Select", "Confirm", "Restart"])} ${topic} settings and ${r.pick(FIXES)}; watch for ${r.pick(CODES)}.`;
        return { bodyMd: step, bodyHtml: `<p>${escapeHtml(step)}</p>` };
      });
      const intro = paragraphs([`This guide shows how to ${action} in ${topic} without downtime for ${r.pick(WHO)}.`]);
      const prerequisites = `- ${topic} administrator role\n- ${r.pick(PLATFORMS)}`;
      const createdAt = now - Math.floor(r.next() * threeYears);
      const yes = r.int(60);
      const no = r.int(10);
      rows.push({
        kind: "howto",
        spaceId: space.id,
        authorId: userIds[r.int(userIds.length)] ?? "",
        title: `How to ${action} in ${topic}`,
        bodyMd: intro.md,
        bodyHtml: intro.html,
        isPlainLanguage: space.isPlainLanguage,
        summary: `Step by step: ${action} in ${topic}, including the usual ${r.pick(CODES)} error and ${r.pick(CAUSES)}.`,
        appliesTo: `${topic}, ${r.pick(PLATFORMS)}`,
        difficulty: r.pick(["beginner", "intermediate", "advanced"] as const),
        estimatedMinutes: 5 + r.int(55),
        prerequisitesMd: prerequisites,
        prerequisitesHtml: `<ul>${prerequisites
          .split("\n")
          .map((line) => `<li>${escapeHtml(line.slice(2))}</li>`)
          .join("")}</ul>`,
        steps,
        helpfulYes: yes,
        helpfulNo: no,
        score: yes - no,
        createdAt: new Date(createdAt),
        updatedAt: new Date(createdAt),
        lastActivityAt: new Date(createdAt),
      });
      tagLists.push(topicTags(topic));
    }
    await insertChunk(rows, tagLists);
  }
  bar.finish();

  // Answer counts, last activity and accepted answers in three set-based statements instead of one update per question.
  await db.execute(sql`
    update posts q set answer_count = a.n, last_activity_at = greatest(q.last_activity_at, a.latest)
    from (select parent_id, count(*)::int as n, max(created_at) as latest from posts where kind = 'answer' group by parent_id) a
    where q.id = a.parent_id`);
  await db.execute(sql`
    update posts q set accepted_answer_id = a.first
    from (select parent_id, min(id) as first from posts where kind = 'answer' group by parent_id) a
    where q.id = a.parent_id and q.id % 20 < 9`);
  return { spaces: spaceRows, counts };
}

// ---- the searches people type ----

type QueryType = "single" | "multi" | "typo" | "prefix" | "filter" | "phrase";
type BenchQuery = { type: QueryType; text: string; query: SearchQuery };

const SINGLE = [
  "vpn",
  "intune",
  "exchange",
  "printer",
  "dns",
  "certificate",
  "teams",
  "sharepoint",
  "firewall",
  "password",
  "outlook",
  "onedrive",
  "bitlocker",
  "autopilot",
  "mfa",
  "dhcp",
  "wifi",
  "citrix",
  "spooler",
  "mailbox",
  "licence",
  "proxy",
  "dkim",
  "vlan",
  "phishing",
  "0x80070005",
  "aadsts50076",
  "gpupdate",
  "macos",
  "android",
  "defender",
  "backup",
  "calendar",
  "scanner",
  "drivers",
  "linux",
  "timeout",
  "sync",
  "offline",
  "expired",
] as const;
const MULTI = [
  "outlook password prompt",
  "vpn drops every hour",
  "exchange certificate renewal",
  "printer offline windows 11",
  "teams phone licence",
  "sharepoint permissions guests",
  "intune enrol laptop",
  "dns slow over vpn",
  "onedrive stopped syncing",
  "conditional access mfa loop",
  "shared mailbox send as",
  "print spooler crashes",
  "bitlocker recovery key",
  "autopilot profile error",
  "wifi drops meeting room",
  "firewall port 443 blocked",
  "dkim spf dmarc setup",
  "reset user password",
  "remote desktop certificate error",
  "windows update freezes",
  "split tunnel vpn traffic",
  "stale dns record",
  "token lifetime policy",
  "map network drive",
  "wipe lost phone",
  "assign licence new starters",
  "restore deleted file",
  "access denied file shares",
  "credential manager cached",
  "duplicate emails outlook",
  "entra id sign-in logs",
  "hyper-v backup slow",
  "azure vpn gateway",
  "macos certificate trust",
  "android work profile",
  "switch upgrade vlan",
  "licence error office",
  "smtp relay 550",
  "domain join fails",
  "laptop replaced profile",
] as const;
const TYPOS = [
  "exchnage certifcate",
  "intnue enrolment",
  "pritner ofline",
  "sharepiont permisions",
  "pasword reset",
  "firewal rule",
  "certficate expired",
  "outlok keeps crashing",
  "onedrvie sync",
  "bitlokcer recovery",
  "autopliot profile",
  "vpn disconects",
  "teems meeting",
  "mailbx full",
  "dns resoltion slow",
  "condtional acess",
  "spooler crashs",
  "licnese error",
  "windwos update",
  "phising email",
  "sheduled backup",
  "acess denied",
  "certifcate renewal exchange",
  "printr driver",
  "micorsoft teams",
  "remtoe desktop",
  "grup policy",
  "actve directory",
  "dhpc reservation",
  "wirless drops",
] as const;
const TYPED = [
  "exchange certificate",
  "printer offline",
  "vpn drops every hour",
  "intune enrollment",
  "password expired",
  "sharepoint permissions",
] as const;
const PHRASES = [
  '"certificate error"',
  '"print spooler"',
  '"access denied"',
  '"conditional access" mfa',
  '"split tunnel"',
  '"shared mailbox"',
  '"stopped syncing"',
  '"password change" outlook',
  '"time skew"',
  '"expired intermediate certificate"',
  '"tenant migration"',
  '"drops every hour" vpn',
  '"credential manager"',
  '"whole office"',
  '"licence error"',
  '"firewall change"',
  '"cannot find the server"',
  '"new starters" laptop',
  '"DNS cache"',
  '"Outlook profile"',
] as const;

function buildQueries(seeded: Seeded): BenchQuery[] {
  const r = random(7);
  const page = (text: string, type: QueryType, filters: Parameters<typeof parseSearchInput>[1] = {}): BenchQuery => ({
    type,
    text,
    query: parseSearchInput(text, { perPage: 20, withFacets: true, ...filters }).query,
  });
  const out: BenchQuery[] = [];
  out.push(...SINGLE.map((text) => page(text, "single")));
  out.push(...MULTI.map((text) => page(text, "multi")));
  out.push(...TYPOS.map((text) => page(text, "typo")));
  out.push(...PHRASES.map((text) => page(text, "phrase")));
  // Search-as-you-type: every keystroke from the second character, as the header suggestions ask.
  for (const text of TYPED) {
    for (let n = 2; n <= text.length; n++) {
      const typed = text.slice(0, n);
      if (typed.endsWith(" ")) continue;
      out.push({
        type: "prefix",
        text: typed,
        query: parseSearchInput(typed, { perPage: 8, withFacets: false, isPrefix: true }).query,
      });
    }
  }
  const sorts: SearchSort[] = ["relevance", "newest", "votes"];
  const spacesWithText = seeded.spaces.filter((s) => !s.isPlainLanguage);
  for (let i = 0; i < 60; i++) {
    const space = r.pick(spacesWithText);
    const tag = r.skewed(ALL_TAGS);
    const word = r.pick(SINGLE);
    const variants = [
      `kind:howto ${word}`,
      `tag:${tag} ${r.pick(["error", "slow", "setup", ""])}`.trim(),
      `space:${space.slug} ${word}`,
      `is:solved ${r.pick(MULTI)}`,
      `is:unanswered ${word}`,
      `kind:question is:solved ${word}`,
      `tag:${tag}`,
      `space:${space.slug} is:unanswered`,
      `space:${space.slug} tag:${slugify(r.skewed(TOPICS), 35)}`,
      `kind:answer ${r.pick(MULTI)}`,
    ];
    out.push(page(variants[i % variants.length] ?? word, "filter", { sort: sorts[i % sorts.length] }));
  }
  return out;
}

// ---- measuring ----

type Sample = { type: QueryType; ms: number; cpuMs: number; hits: number; corrected: boolean };
type Row = {
  engine: string;
  type: QueryType | "all";
  n: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  /** CPU time of this process per query (PGlite runs inside it; a PostgreSQL server's own CPU is not counted). */
  cpuP50: number;
  cpuP95: number;
  noHits: number;
  corrected: number;
};

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

function summarize(engine: string, type: Row["type"], samples: Sample[]): Row {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  return {
    engine,
    type,
    n: samples.length,
    mean: sorted.reduce((sum, ms) => sum + ms, 0) / Math.max(1, sorted.length),
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    cpuP50: percentile(
      samples.map((s) => s.cpuMs).sort((a, b) => a - b),
      50,
    ),
    cpuP95: percentile(
      samples.map((s) => s.cpuMs).sort((a, b) => a - b),
      95,
    ),
    noHits: samples.filter((s) => s.hits === 0).length,
    corrected: samples.filter((s) => s.corrected).length,
  };
}

async function timeQueries(engine: SearchEngine, queries: BenchQuery[], dump?: string): Promise<Sample[]> {
  // One untimed pass so caches and JIT are in their steady state before counting.
  const shown: unknown[] = [];
  for (const q of queries) {
    const result = await engine.search(q.query);
    shown.push({ text: q.text, ...result });
  }
  if (dump) writeFileSync(dump, `${shown.map((entry) => JSON.stringify(entry)).join("\n")}\n`);
  const samples: Sample[] = [];
  const bar = progressBar(`${engine.name} searches`, queries.length * passes);
  for (let pass = 0; pass < passes; pass++) {
    for (const q of queries) {
      const started = performance.now();
      const cpu = process.cpuUsage();
      const result = await engine.search(q.query);
      const used = process.cpuUsage(cpu);
      samples.push({
        type: q.type,
        ms: performance.now() - started,
        cpuMs: (used.user + used.system) / 1000,
        hits: result.total,
        corrected: result.correctedText !== null,
      });
      bar.update(samples.length);
    }
  }
  bar.finish();
  return samples;
}

async function indexWith(engine: SearchEngine, db: Db, total: number): Promise<{ seconds: number; indexed: number }> {
  await engine.setup();
  const bar = progressBar(`documents (${engine.name})`, total);
  const started = performance.now();
  const { indexed } = await engine.rebuild(allSearchDocuments(db), (n) => bar.update(n));
  bar.finish();
  return { seconds: (performance.now() - started) / 1000, indexed };
}

/** Runs a full garbage collection (exposed at run time), so heap sizes measure what is kept, not what awaits collection. */
function collectGarbage(): void {
  v8.setFlagsFromString("--expose-gc");
  const gc: unknown = vm.runInNewContext("gc");
  if (typeof gc === "function") gc();
}

/**
 * What a new app process pays for the in-app ranking index: the time to load it from the documents table (it answers
 * with PostgreSQL's ranking until then) and the heap it keeps.
 */
async function measureIndexLoad(
  db: Db,
): Promise<{ seconds: number; heapMb: number; arrayBuffersMb: number; documents: number }> {
  collectGarbage();
  const before = process.memoryUsage();
  const started = performance.now();
  const engine = createIndexedSearch(db);
  await engine.setup();
  const seconds = (performance.now() - started) / 1000;
  collectGarbage();
  const after = process.memoryUsage();
  const heapMb = (after.heapUsed - before.heapUsed) / 1024 / 1024;
  // Typed arrays (the postings) live outside the JavaScript heap.
  const arrayBuffersMb = (after.arrayBuffers - before.arrayBuffers) / 1024 / 1024;
  // Still referenced here, so the collection above could not take it.
  const documents = await engine.count();
  return { seconds, heapMb, arrayBuffersMb, documents };
}

async function openBenchDatabase(): Promise<Database> {
  if (databaseUrl) return openDatabase({ databaseUrl });
  if (!reuse && existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true });
  return openDatabase({ pgliteDir: dataDir });
}

/** PGlite runs no autovacuum (maintain() does VACUUM ANALYZE); on a server, fresh statistics after a bulk load are one ANALYZE away. */
async function refreshStatistics(database: Database) {
  await database.maintain();
  if (database.kind === "postgres") await database.db.execute(sql`analyze`);
}

async function isReachable(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url.replace(/\/+$/, "")}/health`, { signal: AbortSignal.timeout(2000) });
    return response.ok;
  } catch {
    return false;
  }
}

async function main() {
  const database = await openBenchDatabase();
  await database.migrate();
  const db = database.db;
  const [existing] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(posts);
  let seeded: Seeded;
  let seedSeconds: number | null = null;
  if ((existing?.n ?? 0) === 0) {
    console.error(
      `Seeding ${totalPosts.toLocaleString("en")} posts into ${databaseUrl ? "DATABASE_URL" : path.relative(process.cwd(), dataDir)}`,
    );
    const started = performance.now();
    seeded = await seed(db);
    seedSeconds = (performance.now() - started) / 1000;
  } else {
    console.error(`Reusing the seeded data set (${existing?.n} posts).`);
    const kinds = await db
      .select({ kind: posts.kind, n: sql<number>`count(*)`.mapWith(Number) })
      .from(posts)
      .groupBy(posts.kind);
    const count = (kind: string) => kinds.find((k) => k.kind === kind)?.n ?? 0;
    seeded = {
      spaces: await db
        .select({ id: spaces.id, slug: spaces.slug, name: spaces.name, isPlainLanguage: spaces.isPlainLanguage })
        .from(spaces),
      counts: { question: count("question"), answer: count("answer"), howto: count("howto") },
    };
  }
  await refreshStatistics(database);
  const [{ n: postCount } = { n: 0 }] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(posts);
  const queries = buildQueries(seeded);

  // What the site runs (ranked in the app), and PostgreSQL's own ranking beside it.
  const engines: SearchEngine[] = inAppOnly
    ? [createIndexedSearch(db)]
    : [createIndexedSearch(db), createPostgresSearch(db)];
  let meiliNote: string | null = null;
  if (inAppOnly) meiliNote = "PostgreSQL's ranking and Meilisearch skipped: --in-app-only.";
  else if (!meilisearchUrl) meiliNote = "Meilisearch skipped: MEILISEARCH_URL is not set.";
  else if (!(await isReachable(meilisearchUrl)))
    meiliNote = `Meilisearch skipped: ${meilisearchUrl} does not answer /health.`;
  else {
    // Its own index, so a benchmark never replaces the site's "posts" index.
    engines.push(
      createMeilisearchSearch({
        url: meilisearchUrl,
        apiKey: process.env.MEILISEARCH_KEY || undefined,
        indexUid: BENCH_INDEX,
      }),
    );
  }
  if (meiliNote) console.error(meiliNote);

  const indexing: { engine: string; seconds: number; indexed: number }[] = [];
  const rows: Row[] = [];
  for (const engine of engines) {
    // --keep-index (with --reuse): time searches against the index a previous run built.
    const label = engine === engines[0] ? "in-app" : engine.name;
    // The second embedded engine reads the documents the first one indexed: no second rebuild.
    if ((keepIndex || engine !== engines[0]) && engine.name === "postgres" && (await engine.count()) > 0) {
      console.error(`Keeping the existing ${engine.name} index (${await engine.count()} documents).`);
      await engine.setup();
    } else indexing.push({ engine: engine.name, ...(await indexWith(engine, db, postCount)) });
    if (engine.name === "postgres") await refreshStatistics(database);
    const samples = await timeQueries(engine, queries, engine === engines[0] ? dumpFile : undefined);
    for (const type of ["single", "multi", "typo", "prefix", "filter", "phrase"] as const)
      rows.push(
        summarize(
          label,
          type,
          samples.filter((s) => s.type === type),
        ),
      );
    rows.push(summarize(label, "all", samples));
  }
  const indexLoad = await measureIndexLoad(db);
  await database.close();
  if (engines.some((engine) => engine.name === "meilisearch") && meilisearchUrl) {
    await new Meilisearch({
      host: meilisearchUrl,
      apiKey: process.env.MEILISEARCH_KEY || undefined,
    }).deleteIndexIfExists(BENCH_INDEX);
  }

  const ms = (value: number) => value.toFixed(1).padStart(7);
  console.log(
    `\nPeerDesk search benchmark: ${postCount.toLocaleString("en")} posts (${seeded.counts.question.toLocaleString("en")} questions, ${seeded.counts.answer.toLocaleString("en")} answers, ${seeded.counts.howto.toLocaleString("en")} how-tos), ${seeded.spaces.length} spaces, ${ALL_TAGS.length} tags; ${database.kind === "postgres" ? "PostgreSQL" : "PGlite"}; ${os.cpus().length} CPUs, load average ${os
      .loadavg()
      .map((n) => n.toFixed(1))
      .join(" ")}, Node ${process.version}; ${queries.length} queries × ${passes} passes`,
  );
  if (seedSeconds !== null)
    console.log(
      `Seeding: ${seedSeconds.toFixed(1)} s (${Math.round(postCount / seedSeconds).toLocaleString("en")} posts/s)`,
    );
  for (const i of indexing)
    console.log(
      `Index build (${i.engine} rebuild): ${i.seconds.toFixed(1)} s for ${i.indexed.toLocaleString("en")} documents (${Math.round(i.indexed / i.seconds).toLocaleString("en")} docs/s)`,
    );
  console.log(
    `In-app ranking index: loads in ${indexLoad.seconds.toFixed(1)} s and keeps ${indexLoad.heapMb.toFixed(0)} MB of heap and ${indexLoad.arrayBuffersMb.toFixed(0)} MB of typed arrays for ${indexLoad.documents.toLocaleString("en")} documents`,
  );
  if (meiliNote) console.log(meiliNote);
  console.log(
    `${"engine".padEnd(12)} ${"type".padEnd(7)} ${"n".padStart(4)} ${"mean ms".padStart(7)} ${"p50 ms".padStart(7)} ${"p95 ms".padStart(7)} ${"p99 ms".padStart(7)} ${"cpu p50".padStart(7)} ${"cpu p95".padStart(7)} ${"no hits".padStart(7)} ${"fixed".padStart(5)}`,
  );
  for (const row of rows) {
    console.log(
      `${row.engine.padEnd(12)} ${row.type.padEnd(7)} ${String(row.n).padStart(4)} ${ms(row.mean)} ${ms(row.p50)} ${ms(row.p95)} ${ms(row.p99)} ${ms(row.cpuP50)} ${ms(row.cpuP95)} ${String(row.noHits).padStart(7)} ${String(row.corrected).padStart(5)}`,
    );
  }
  console.log(
    `"no hits": searches that found nothing; "fixed": searches where a misspelt word was also searched as its correction ("including results for …").`,
  );
  mkdirSync("bench/results", { recursive: true });
  const file = `bench/results/search-${new Date().toISOString().replace(/[:.]/g, "-")}.json`;
  writeFileSync(
    file,
    JSON.stringify(
      {
        posts: postCount,
        counts: seeded.counts,
        database: database.kind,
        cpus: os.cpus().length,
        node: process.version,
        passes,
        seedSeconds,
        indexing,
        indexLoad,
        rows,
        queries: queries.map((q) => ({ type: q.type, text: q.text })),
      },
      null,
      2,
    ),
  );
  console.log(`Results written to ${file}`);
}

await main();
