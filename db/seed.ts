/** Demo content for a first start: spaces, tags, people, questions with answers. Also the fast bulk helpers the benchmarks use. */
import { randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { eq, sql } from "drizzle-orm";
import { renderMarkdown } from "~/lib/markdown.server";
import { slugify } from "~/lib/slug";
import { ensureTags } from "~/models/tags.server";
import type { Db } from "./client.server";
import { type Audience, type PostKind, type Role, accounts, postTags, posts, spaces, userExpertise, users } from "./schema";

export const DEMO_PASSWORD = "peerdesk-demo-password";

export type NewUser = {
  name: string;
  email: string;
  role?: Role;
  audience?: Audience;
  bio?: string;
  openToMentoring?: boolean;
  /** Omitted: derived from the name. null: none yet (assignHandleAndFirstAdmin picks a free one). */
  handle?: string | null;
};

/** Inserts accounts with an already-hashed password (hashing is deliberately slow, so bulk seeding hashes once). */
export async function insertUsers(db: Db, people: NewUser[], passwordHash: string): Promise<string[]> {
  const now = new Date();
  const rows = people.map((p) => ({
    id: randomUUID().replace(/-/g, ""),
    name: p.name,
    email: p.email.toLowerCase(),
    emailVerified: true,
    role: p.role ?? "member",
    audience: p.audience ?? "it",
    bio: p.bio ?? "",
    openToMentoring: p.openToMentoring ?? false,
    handle: p.handle === undefined ? slugify(p.name, 30) : p.handle,
    createdAt: now,
    updatedAt: now,
  }));
  if (rows.length === 0) return [];
  await db.insert(users).values(rows);
  await db.insert(accounts).values(
    rows.map((r) => ({ id: randomUUID().replace(/-/g, ""), accountId: r.id, providerId: "credential", userId: r.id, password: passwordHash })),
  );
  return rows.map((r) => r.id);
}

export type NewPost = {
  kind: PostKind;
  spaceId: number;
  authorId: string;
  title?: string;
  body: string;
  parentId?: number;
  tags?: string[];
  isPlainLanguage?: boolean;
  score?: number;
  createdAt?: Date;
};

/** Inserts posts with their rendered HTML and tags, and keeps each question's answer count and activity time. */
export async function insertPosts(db: Db, items: NewPost[]): Promise<number[]> {
  if (items.length === 0) return [];
  const inserted = await db
    .insert(posts)
    .values(
      items.map((p) => ({
        kind: p.kind,
        spaceId: p.spaceId,
        authorId: p.authorId,
        parentId: p.parentId ?? null,
        title: p.title ?? null,
        bodyMd: p.body,
        bodyHtml: renderMarkdown(p.body),
        isPlainLanguage: p.isPlainLanguage ?? false,
        score: p.score ?? 0,
        createdAt: p.createdAt ?? new Date(),
        updatedAt: p.createdAt ?? new Date(),
        lastActivityAt: p.createdAt ?? new Date(),
      })),
    )
    .returning({ id: posts.id });
  const ids = inserted.map((r) => r.id);
  const allTags = [...new Set(items.flatMap((p) => p.tags ?? []))];
  const tagIds = new Map((await ensureTags(db, allTags)).map((t) => [t.slug, t.id]));
  const links = items.flatMap((p, i) =>
    (p.tags ?? []).flatMap((t) => {
      const tagId = tagIds.get(t);
      const postId = ids[i];
      return tagId !== undefined && postId !== undefined ? [{ postId, tagId }] : [];
    }),
  );
  if (links.length > 0) await db.insert(postTags).values(links).onConflictDoNothing();
  const parents = [...new Set(items.flatMap((p) => (p.parentId ? [p.parentId] : [])))];
  for (const parentId of parents) {
    await db.execute(sql`
      update posts set
        answer_count = (select count(*) from posts a where a.parent_id = ${parentId} and a.deleted_at is null),
        last_activity_at = greatest(last_activity_at, (select max(a.created_at) from posts a where a.parent_id = ${parentId}))
      where id = ${parentId}`);
  }
  return ids;
}

const DEMO_SPACES = [
  { name: "Networking", description: "Switching, Wi-Fi, VPNs, DNS and everything between the wall socket and the cloud." },
  { name: "Microsoft 365", description: "Exchange Online, Teams, SharePoint, OneDrive, Intune and licensing." },
  { name: "Security", description: "Identity, phishing, patching, endpoint protection and incident response." },
  { name: "Ask IT (plain language)", description: "For everyone: ask in your own words and get answers without jargon.", isPlainLanguage: true },
  { name: "Endpoints & devices", description: "Laptops, phones, printers and the fleet tools that keep them healthy." },
];

const DEMO_PEOPLE: (NewUser & { expertise: string[] })[] = [
  { name: "Ada Admin", email: "admin@peerdesk.test", role: "admin", bio: "Runs this community. Ask me about the site itself.", expertise: ["community"] },
  { name: "Priya Raman", email: "priya@peerdesk.test", role: "mentor", openToMentoring: true, bio: "Network engineer, 12 years in campus and branch networks.", expertise: ["networking", "vpn", "wi-fi"] },
  { name: "Marcus Lee", email: "marcus@peerdesk.test", role: "moderator", bio: "M365 admin for a 900-seat firm.", expertise: ["exchange-online", "intune", "teams"] },
  { name: "Sofia Alvarez", email: "sofia@peerdesk.test", role: "mentor", openToMentoring: true, bio: "Security lead. Phishing drills are my cardio.", expertise: ["security", "mfa", "phishing"] },
  { name: "Tom Becker", email: "tom@peerdesk.test", audience: "business", bio: "Office manager. I keep the lights on and the printers fed.", expertise: [] },
  { name: "Grace Kim", email: "grace@peerdesk.test", audience: "business", bio: "Finance team lead.", expertise: [] },
  { name: "Dev Patel", email: "dev@peerdesk.test", bio: "Helpdesk tier 2, learning networking.", expertise: ["windows-11", "printers"] },
];

type DemoThread = {
  space: number;
  author: number;
  title: string;
  body: string;
  tags: string[];
  plain?: boolean;
  daysAgo: number;
  answers: { author: number; body: string; score?: number; accepted?: boolean }[];
};

const DEMO_THREADS: DemoThread[] = [
  {
    space: 0, author: 6, daysAgo: 3, tags: ["vpn", "windows-11"],
    title: "Always On VPN drops every 60 minutes on Windows 11 23H2",
    body: "Since the 23H2 update our Always On VPN device tunnel disconnects almost exactly every hour.\n\nEvent log shows error **809**. The user tunnel stays up.\n\n```powershell\nGet-VpnConnection -AllUserConnection | Select Name, ConnectionStatus\n```\n\nAnyone seen this?",
    answers: [
      { author: 1, score: 7, accepted: true, body: "That interval matches the IKEv2 SA lifetime. 23H2 changed the default rekey behaviour; set it explicitly:\n\n```powershell\nSet-VpnConnectionIPsecConfiguration -ConnectionName 'Device Tunnel' -AuthenticationTransformConstants SHA256128 -CipherTransformConstants AES256 -EncryptionMethod AES256 -IntegrityCheckMethod SHA256 -DHGroup Group14 -PfsGroup PFS2048 -Force\n```\n\nMatch the same values on the RRAS server, then the tunnel rekeys instead of dropping." },
      { author: 2, score: 1, body: "Also check that the NPS policy does not have a session timeout of 60 minutes." },
    ],
  },
  {
    space: 0, author: 4, daysAgo: 1, plain: true, tags: ["wi-fi"],
    title: "Why is the office Wi-Fi slow in the meeting room only?",
    body: "Everywhere else in the office the Wi-Fi is fine, but in the big meeting room video calls freeze. Is there something we can do without buying new equipment?",
    answers: [
      { author: 1, score: 4, body: "Most likely the meeting room is far from the nearest access point or behind a thick wall. A quick fix is to move the access point, or ask IT to check which channel it uses so it doesn't clash with neighbours. If the room is used for calls often, a small extra access point there is usually the real answer." },
    ],
  },
  {
    space: 1, author: 2, daysAgo: 5, tags: ["exchange-online", "certificates"],
    title: "Exchange certificate expired: hybrid mail flow stopped",
    body: "Our hybrid connector certificate expired over the weekend and mail from on-prem to Exchange Online is queuing. What is the fastest safe way to renew and re-run the Hybrid Configuration Wizard?",
    answers: [
      { author: 2, score: 5, accepted: true, body: "1. Import the renewed certificate on every Exchange server and assign it to SMTP.\n2. Re-run the HCW and pick the new certificate on the *Transport Certificate* page.\n3. Check the connectors:\n\n```powershell\nGet-OutboundConnector | fl Name,TlsSettings,TlsDomain\n```\n\nQueues drain within minutes once TLS succeeds." },
    ],
  },
  {
    space: 1, author: 5, daysAgo: 2, plain: true, tags: ["teams"],
    title: "How do I share my screen in Teams without showing my emails?",
    body: "When I share my screen in a Teams meeting, people can see my email notifications pop up. How do I show only one document?",
    answers: [
      { author: 2, score: 6, accepted: true, body: "In the meeting, choose **Share**, then pick the **window** of your document instead of \"Screen\". Only that window is shown, so pop-ups and other programs stay private. You can also turn on *Do not disturb* in Teams while presenting." },
      { author: 6, score: 2, body: "Tip: in PowerPoint, share the presentation itself under \"PowerPoint Live\" and people can't see anything else at all." },
    ],
  },
  {
    space: 2, author: 4, daysAgo: 4, plain: true, tags: ["phishing"],
    title: "I clicked a link in a suspicious email. What should I do now?",
    body: "I got an email that looked like it came from our bank and I clicked the link before I noticed the address was strange. I didn't type anything. Is my computer at risk?",
    answers: [
      { author: 3, score: 9, accepted: true, body: "Thank you for asking right away, that is exactly the right move.\n\n1. Don't type any passwords into that page if it's still open; close it.\n2. Tell your IT team now so they can check the link and block it for everyone.\n3. If you did enter a password anywhere, change it and tell IT.\n\nJust clicking rarely infects a computer on its own, but IT will want to scan it to be sure." },
    ],
  },
  {
    space: 2, author: 2, daysAgo: 6, tags: ["mfa", "security"],
    title: "Number matching for MFA: any user pushback?",
    body: "We're rolling out number matching for Authenticator push. Did your users struggle? Any comms templates that worked?",
    answers: [],
  },
  {
    space: 3, author: 5, daysAgo: 0, plain: true, tags: ["passwords"],
    title: "Do I really need a different password for every website?",
    body: "Remembering them all is impossible. Is it OK to use the same strong password everywhere?",
    answers: [
      { author: 3, score: 3, body: "Sadly no: when one website is hacked, criminals try that password everywhere else. A password manager remembers them for you, so you only need one strong password. Ask IT which one the company supports." },
    ],
  },
  {
    space: 4, author: 6, daysAgo: 8, tags: ["printers", "intune"],
    title: "Deploying printer drivers with Intune without admin rights",
    body: "Users get a UAC prompt when adding the shared printer. Point and Print restrictions are on. What's the clean Intune way to pre-stage drivers?",
    answers: [
      { author: 2, score: 2, body: "Package the driver with `pnputil /add-driver` as a Win32 app running as System, then add the printer in user context. No UAC, Point and Print restrictions stay on." },
    ],
  },
];

/** Seeds the demo community; idempotent callers check for existing spaces first. */
export async function seedDemoContent(db: Db, { onProgress }: { onProgress?: (done: number, total: number, label: string) => void } = {}) {
  const total = 4;
  onProgress?.(0, total, "spaces");
  const spaceRows = await db
    .insert(spaces)
    .values(DEMO_SPACES.map((s, i) => ({ slug: slugify(s.name), name: s.name, description: s.description, position: i + 1, isPlainLanguage: s.isPlainLanguage ?? false })))
    .returning({ id: spaces.id });
  onProgress?.(1, total, "people");
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const userIds = await insertUsers(db, DEMO_PEOPLE, passwordHash);
  for (const [i, person] of DEMO_PEOPLE.entries()) {
    const userId = userIds[i];
    const tagRows = await ensureTags(db, person.expertise);
    if (userId && tagRows.length > 0) await db.insert(userExpertise).values(tagRows.map((t) => ({ userId, tagId: t.id })));
  }
  onProgress?.(2, total, "questions and answers");
  const at = (daysAgo: number, hours = 0) => new Date(Date.now() - daysAgo * 86_400_000 + hours * 3_600_000);
  for (const thread of DEMO_THREADS) {
    const spaceId = spaceRows[thread.space]?.id;
    const authorId = userIds[thread.author];
    if (spaceId === undefined || authorId === undefined) continue;
    const [questionId] = await insertPosts(db, [
      { kind: "question", spaceId, authorId, title: thread.title, body: thread.body, tags: thread.tags, isPlainLanguage: thread.plain, createdAt: at(thread.daysAgo), score: thread.answers.length + 1 },
    ]);
    if (questionId === undefined) continue;
    const answerIds = await insertPosts(
      db,
      thread.answers.flatMap((a, i) => {
        const answerAuthor = userIds[a.author];
        return answerAuthor ? [{ kind: "answer" as const, spaceId, authorId: answerAuthor, parentId: questionId, body: a.body, score: a.score, createdAt: at(thread.daysAgo, 2 + i * 3) }] : [];
      }),
    );
    const acceptedIndex = thread.answers.findIndex((a) => a.accepted);
    const acceptedId = answerIds[acceptedIndex];
    if (acceptedId !== undefined) await db.update(posts).set({ acceptedAnswerId: acceptedId }).where(eq(posts.id, questionId));
  }
  onProgress?.(3, total, "tags");
  await ensureTags(db, ["networking", "dns", "sharepoint", "onedrive", "backup"]);
  onProgress?.(4, total, "done");
}
