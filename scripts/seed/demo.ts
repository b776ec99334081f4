/** Demo content for a first start: spaces, tags, people, questions with answers. Also the fast bulk helpers the benchmarks use. */
import { randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { eq, sql } from "drizzle-orm";
import { renderMarkdown } from "~/lib/markdown.server";
import { slugify } from "~/lib/slug";
import { renderCommentMarkdown } from "~/models/comments.server";
import { rebuildQuestionFacts } from "~/models/pulse.server";
import { DEMO_PASSWORD } from "~/models/demo-admin.server";
import { ensureTags } from "~/models/tags.server";
import type { Db } from "#db/client.server";
import { seedDemoHowtos } from "./howtos";
import { seedPulseHistory, seedRecentFeedback } from "./pulse";
import {
  type Audience,
  type PostKind,
  type RevisionContent,
  type Role,
  accounts,
  comments,
  postTags,
  posts,
  officeHours,
  revisions,
  officeHoursQuestionVotes,
  officeHoursQuestions,
  spaces,
  userExpertise,
  users,
} from "#db/schema";

export type NewUser = {
  name: string;
  email: string;
  role?: Role;
  audience?: Audience;
  bio?: string;
  openToMentoring?: boolean;
  mentorPitch?: string;
  languages?: string;
  /** Omitted: derived from the name. null: none yet (assignHandleAndFirstAdmin picks a free one). */
  handle?: string | null;
  /** When they signed up (default now); earlier for people who are not new accounts. */
  createdAt?: Date;
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
    mentorPitch: p.mentorPitch ?? "",
    languages: p.languages ?? "",
    handle: p.handle === undefined ? slugify(p.name, 30) : p.handle,
    createdAt: p.createdAt ?? now,
    updatedAt: now,
  }));
  if (rows.length === 0) return [];
  await db.insert(users).values(rows);
  await db.insert(accounts).values(
    rows.map((r) => ({
      id: randomUUID().replace(/-/g, ""),
      accountId: r.id,
      providerId: "credential",
      userId: r.id,
      password: passwordHash,
    })),
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
  {
    name: "Networking",
    description: "Switching, Wi-Fi, VPNs, DNS and everything between the wall socket and the cloud.",
  },
  { name: "Microsoft 365", description: "Exchange Online, Teams, SharePoint, OneDrive, Intune and licensing." },
  { name: "Security", description: "Identity, phishing, patching, endpoint protection and incident response." },
  {
    name: "Ask IT (plain language)",
    description: "For everyone: ask in your own words and get answers without jargon.",
    isPlainLanguage: true,
  },
  { name: "Endpoints & devices", description: "Laptops, phones, printers and the fleet tools that keep them healthy." },
];

const DEMO_PEOPLE: (NewUser & { expertise: string[] })[] = [
  {
    name: "Ada Admin",
    email: "admin@peerdesk.test",
    role: "admin",
    bio: "Runs this community. Ask me about the site itself.",
    expertise: ["community"],
  },
  {
    name: "Priya Raman",
    email: "priya@peerdesk.test",
    role: "mentor",
    openToMentoring: true,
    bio: "Network engineer, 12 years in campus and branch networks.",
    mentorPitch: "Stuck on a VPN, Wi-Fi or DNS problem? I'll help you find where it breaks, step by step.",
    languages: "English, Tamil",
    expertise: ["networking", "vpn", "wi-fi"],
  },
  {
    name: "Marcus Lee",
    email: "marcus@peerdesk.test",
    role: "moderator",
    bio: "M365 admin for a 900-seat firm.",
    expertise: ["exchange-online", "intune", "teams"],
  },
  {
    name: "Sofia Alvarez",
    email: "sofia@peerdesk.test",
    role: "mentor",
    openToMentoring: true,
    bio: "Security lead. Phishing drills are my cardio.",
    mentorPitch: "Happy to explain MFA, phishing and safe sharing in plain words, to anyone in the business.",
    languages: "English, Spanish",
    expertise: ["security", "mfa", "phishing"],
  },
  {
    name: "Tom Becker",
    email: "tom@peerdesk.test",
    audience: "business",
    bio: "Office manager. I keep the lights on and the printers fed.",
    expertise: [],
  },
  { name: "Grace Kim", email: "grace@peerdesk.test", audience: "business", bio: "Finance team lead.", expertise: [] },
  {
    name: "Dev Patel",
    email: "dev@peerdesk.test",
    bio: "Helpdesk tier 2, learning networking.",
    expertise: ["windows-11", "printers"],
  },
];

/** A comment under the question (`on` omitted) or under the answer at that index. */
type DemoComment = { author: number; body: string; on?: number };
/** The post was first written like this (revision 1), then edited into its current text (revision 2). */
type DemoEdit = { title?: string; body: string; note: string; editor?: number };

type DemoThread = {
  space: number;
  author: number;
  title: string;
  body: string;
  tags: string[];
  plain?: boolean;
  daysAgo: number;
  score?: number;
  answers: { author: number; body: string; score?: number; accepted?: boolean; original?: DemoEdit }[];
  comments?: DemoComment[];
  original?: DemoEdit;
};

const DEMO_THREADS: DemoThread[] = [
  {
    space: 0,
    author: 6,
    daysAgo: 3,
    tags: ["vpn", "windows-11"],
    title: "Always On VPN drops every 60 minutes on Windows 11 23H2",
    body: "Since the 23H2 update our Always On VPN device tunnel disconnects almost exactly every hour.\n\nEvent log shows error **809**. The user tunnel stays up.\n\n```powershell\nGet-VpnConnection -AllUserConnection | Select Name, ConnectionStatus\n```\n\nAnyone seen this?",
    original: {
      body: "Since the 23H2 update our Always On VPN device tunnel disconnects every hour. The user tunnel stays up.\n\n```powershell\nGet-VpnConnection -AllUserConnection | Select Name, ConnectionStatus\n```\n\nAnyone seen this?",
      note: "Added the error code from the event log",
    },
    comments: [
      {
        author: 1,
        body: "Which authentication method does the device tunnel use: machine certificate or something else?",
      },
      { author: 6, body: "Machine certificate from our internal CA, IKEv2 only." },
      { author: 6, on: 0, body: "That was it. Rekeys cleanly now, **thank you**!" },
    ],
    answers: [
      {
        author: 1,
        score: 7,
        accepted: true,
        body: "That interval matches the IKEv2 SA lifetime. 23H2 changed the default rekey behaviour; set it explicitly:\n\n```powershell\nSet-VpnConnectionIPsecConfiguration -ConnectionName 'Device Tunnel' -AuthenticationTransformConstants SHA256128 -CipherTransformConstants AES256 -EncryptionMethod AES256 -IntegrityCheckMethod SHA256 -DHGroup Group14 -PfsGroup PFS2048 -Force\n```\n\nMatch the same values on the RRAS server, then the tunnel rekeys instead of dropping.",
      },
      { author: 2, score: 1, body: "Also check that the NPS policy does not have a session timeout of 60 minutes." },
    ],
  },
  {
    space: 0,
    author: 4,
    daysAgo: 1,
    plain: true,
    tags: ["wi-fi"],
    title: "Why is the office Wi-Fi slow in the meeting room only?",
    body: "Everywhere else in the office the Wi-Fi is fine, but in the big meeting room video calls freeze. Is there something we can do without buying new equipment?",
    answers: [
      {
        author: 1,
        score: 4,
        body: "Most likely the meeting room is far from the nearest access point or behind a thick wall. A quick fix is to move the access point, or ask IT to check which channel it uses so it doesn't clash with neighbours. If the room is used for calls often, a small extra access point there is usually the real answer.",
      },
    ],
  },
  {
    space: 1,
    author: 2,
    daysAgo: 5,
    tags: ["exchange-online", "certificates"],
    title: "Exchange certificate expired: hybrid mail flow stopped",
    body: "Our hybrid connector certificate expired over the weekend and mail from on-prem to Exchange Online is queuing. What is the fastest safe way to renew and re-run the Hybrid Configuration Wizard?",
    answers: [
      {
        author: 2,
        score: 5,
        accepted: true,
        body: "1. Import the renewed certificate on every Exchange server and assign it to SMTP.\n2. Re-run the HCW and pick the new certificate on the *Transport Certificate* page.\n3. Check the connectors:\n\n```powershell\nGet-OutboundConnector | fl Name,TlsSettings,TlsDomain\n```\n\nQueues drain within minutes once TLS succeeds.",
      },
    ],
  },
  {
    space: 1,
    author: 5,
    daysAgo: 2,
    plain: true,
    tags: ["teams"],
    title: "How do I share my screen in Teams without showing my emails?",
    body: "When I share my screen in a Teams meeting, people can see my email notifications pop up. How do I show only one document?",
    comments: [{ author: 5, on: 0, body: "Worked perfectly in this morning's board meeting." }],
    answers: [
      {
        author: 2,
        score: 6,
        accepted: true,
        body: 'In the meeting, choose **Share**, then pick the **window** of your document instead of "Screen". Only that window is shown, so pop-ups and other programs stay private. You can also turn on *Do not disturb* in Teams while presenting.',
        original: {
          body: 'In the meeting, choose **Share**, then pick the **window** of your document instead of "Screen". Only that window is shown, so pop-ups and other programs stay private.',
          note: "Added the Do not disturb tip",
        },
      },
      {
        author: 6,
        score: 2,
        body: 'Tip: in PowerPoint, share the presentation itself under "PowerPoint Live" and people can\'t see anything else at all.',
      },
    ],
  },
  {
    space: 2,
    author: 4,
    daysAgo: 4,
    plain: true,
    tags: ["phishing"],
    title: "I clicked a link in a suspicious email. What should I do now?",
    body: "I got an email that looked like it came from our bank and I clicked the link before I noticed the address was strange. I didn't type anything. Is my computer at risk?",
    answers: [
      {
        author: 3,
        score: 9,
        accepted: true,
        body: "Thank you for asking right away, that is exactly the right move.\n\n1. Don't type any passwords into that page if it's still open; close it.\n2. Tell your IT team now so they can check the link and block it for everyone.\n3. If you did enter a password anywhere, change it and tell IT.\n\nJust clicking rarely infects a computer on its own, but IT will want to scan it to be sure.",
      },
    ],
  },
  {
    space: 2,
    author: 2,
    daysAgo: 6,
    tags: ["mfa", "security"],
    title: "Number matching for MFA: any user pushback?",
    body: "We're rolling out number matching for Authenticator push. Did your users struggle? Any comms templates that worked?",
    answers: [],
  },
  {
    space: 3,
    author: 5,
    daysAgo: 0,
    plain: true,
    tags: ["passwords"],
    title: "Do I really need a different password for every website?",
    body: "Remembering them all is impossible. Is it OK to use the same strong password everywhere?",
    answers: [
      {
        author: 3,
        score: 3,
        body: "Sadly no: when one website is hacked, criminals try that password everywhere else. A password manager remembers them for you, so you only need one strong password. Ask IT which one the company supports.",
      },
    ],
  },
  {
    space: 4,
    author: 6,
    daysAgo: 8,
    tags: ["printers", "intune"],
    title: "Deploying printer drivers with Intune without admin rights",
    body: "Users get a UAC prompt when adding the shared printer. Point and Print restrictions are on. What's the clean Intune way to pre-stage drivers?",
    answers: [
      {
        author: 2,
        score: 2,
        body: "Package the driver with `pnputil /add-driver` as a Win32 app running as System, then add the printer in user context. No UAC, Point and Print restrictions stay on.",
      },
    ],
  },
  {
    space: 0,
    author: 6,
    daysAgo: 9,
    tags: ["dns", "vpn"],
    score: 4,
    title: "Internal names resolve slowly over VPN, public sites are fine",
    body: "On the VPN, `intranet.corp.example` takes 5 to 10 seconds to load the first time; public sites are instant.\n\n```text\nnslookup intranet.corp.example\nDNS request timed out.\n    timeout was 2 seconds.\nServer:  UnKnown\n```\n\nWhere should I look first?",
    comments: [
      {
        author: 1,
        body: "Is split tunnelling on? And which DNS servers does `Get-DnsClientServerAddress` show for the VPN adapter?",
      },
    ],
    answers: [
      {
        author: 1,
        score: 6,
        accepted: true,
        body: "The first query goes to your home router, times out, then falls back to the VPN's DNS server. Add a Name Resolution Policy Table rule so the corporate suffix always uses the internal servers:\n\n```powershell\nAdd-DnsClientNrptRule -Namespace '.corp.example' -NameServers '10.0.0.10','10.0.0.11'\n```\n\nWith Always On VPN you can put the same rule in the profile XML under `<DomainNameInformation>`.",
      },
    ],
  },
  {
    space: 0,
    author: 4,
    daysAgo: 2,
    plain: true,
    tags: ["wi-fi", "home-office"],
    title: "Can I add a second router at home to get better Wi-Fi upstairs?",
    body: "I work from home two days a week and the Wi-Fi in my upstairs office is very weak. A friend said I could just plug in an old router. Is that safe for work?",
    comments: [{ author: 1, body: "Do you know if your internet provider's box supports mesh? Many newer ones do." }],
    answers: [
      {
        author: 1,
        score: 3,
        body: 'It can work, but an old router often makes things worse and may be missing security updates. A better option is a **mesh Wi-Fi kit** or a "Wi-Fi extender" from your internet provider: they are made to work together and update themselves. Either way it is safe for work, because your laptop\'s VPN protects the company traffic.',
      },
    ],
  },
  {
    space: 0,
    author: 6,
    daysAgo: 0,
    tags: ["switching", "networking"],
    title: "LACP bond between two core switches flaps after a firmware update",
    body: "After updating both core switches to the latest firmware, the two-link LACP bond between them goes down and up every few minutes. Logs show `LACP PDU timeout` on one member at a time. Rolling back one switch stops it. Has anyone seen the fast/slow LACP rate default change?",
    answers: [],
  },
  {
    space: 1,
    author: 5,
    daysAgo: 7,
    plain: true,
    tags: ["onedrive"],
    score: 3,
    title: "Where did my OneDrive files go after I moved to a new laptop?",
    body: 'IT gave me a new laptop yesterday. My Desktop and Documents folders are empty, but my colleague says everything should be "in OneDrive". Where do I look?',
    original: {
      title: "My files are gone from my new laptop!!",
      body: "IT gave me a new laptop yesterday. My Desktop and Documents folders are empty. Where do I look?",
      note: "Clearer title; mentioned OneDrive",
    },
    answers: [
      {
        author: 2,
        score: 5,
        accepted: true,
        body: "Your files are safe. Click the **cloud icon** near the clock, sign in with your work account, and choose **Settings → Backup → Manage backup**. Turn on Desktop, Documents and Pictures. Within a few minutes your files appear again (with a small cloud icon until you open them).",
      },
    ],
  },
  {
    space: 1,
    author: 6,
    daysAgo: 4,
    tags: ["intune", "bitlocker"],
    score: 2,
    title: "Intune says devices are non-compliant for BitLocker although it is on",
    body: 'Our compliance policy requires BitLocker. `manage-bde -status` shows *Protection On*, yet Intune marks about a third of the laptops non-compliant with "BitLocker: not compliant".',
    answers: [
      {
        author: 2,
        score: 3,
        body: 'That setting reads the Device Health Attestation report, which only updates after a **reboot**. Devices that encrypted silently and have not restarted since still report "off". Restart one and sync: it should flip within the hour.',
      },
      {
        author: 3,
        score: 1,
        body: "Also check Secure Boot: health attestation reports BitLocker only when Secure Boot is on, so legacy-BIOS machines stay non-compliant forever.",
      },
    ],
  },
  {
    space: 1,
    author: 2,
    daysAgo: 1,
    tags: ["sharepoint"],
    title: "How do you handle SharePoint site storage quota alerts at scale?",
    body: 'We have about 400 team sites and get several "site is nearly full" alerts a week. Do you raise quotas automatically, archive, or push owners to clean up? Looking for what worked in practice.',
    answers: [],
  },
  {
    space: 2,
    author: 5,
    daysAgo: 3,
    plain: true,
    tags: ["mfa"],
    score: 2,
    title: "Why do I have to approve sign-ins on my phone now?",
    body: "Since last week, every time I log in on a new computer my phone asks me to type a number. It's a bit annoying. Why did IT add this?",
    answers: [
      {
        author: 3,
        score: 4,
        accepted: true,
        body: "It's called multi-factor authentication. Even if someone steals or guesses your password, they can't get in without your phone. Typing the number proves that **you** are the one signing in right now, not someone sending you a random request hoping you tap \"Approve\". If you ever get a request you didn't start, deny it and tell IT.",
      },
    ],
  },
  {
    space: 2,
    author: 6,
    daysAgo: 10,
    tags: ["incident-response", "security"],
    score: 5,
    title: "Where do I start with an incident response plan for a 50-person company?",
    body: "We have no written plan. If ransomware hit tomorrow we'd improvise. What is the minimum useful plan for a small company, and what should I do first?",
    comments: [{ author: 3, on: 0, body: "Templates: the CISA and NCSC small-business guides are a good free start." }],
    answers: [
      {
        author: 3,
        score: 7,
        accepted: true,
        body: "Start small and make it real:\n\n1. **Contacts**: who decides, who calls the insurer, lawyer, and an outside IR firm (agree on one *before* you need it).\n2. **First hour checklist**: isolate affected machines, don't wipe anything, preserve logs.\n3. **Backups**: prove you can restore, and keep one copy offline.\n4. **Practice**: a one-hour tabletop exercise twice a year.\n\nOne page you can find at 3 a.m. beats forty pages nobody has read.",
      },
      { author: 1, score: 2, body: "Print it. If the network is down, the plan on SharePoint doesn't help." },
    ],
  },
  {
    space: 3,
    author: 4,
    daysAgo: 2,
    plain: true,
    tags: ["windows-updates"],
    score: 1,
    title: "My laptop says updates are pending every day. Can I ignore it?",
    body: 'Every morning a message says my laptop needs to restart to finish updates. I usually click "later" because I\'m busy. Is that a problem?',
    answers: [
      {
        author: 6,
        score: 3,
        accepted: true,
        body: "Please don't put it off for long: many of those updates fix security holes that criminals already use. Pick a time that suits you, like lunch or the end of the day, and choose **Restart now** then. It usually takes under ten minutes.",
      },
    ],
  },
  {
    space: 3,
    author: 5,
    daysAgo: 5,
    plain: true,
    tags: ["file-sharing", "onedrive"],
    title: "What's the safest way to send a file that is too big for email?",
    body: "I need to send a 200 MB video to a supplier. Email refuses it. Is it OK to use a free file-sending website?",
    answers: [
      {
        author: 2,
        score: 4,
        body: "Use OneDrive instead: right-click the file, choose **Share**, type the supplier's email address and set the link to expire in a week. You stay in control and can stop sharing at any time.",
      },
      {
        author: 3,
        score: 2,
        body: "Please avoid free transfer sites for work files: you can't take the file back, and some of them are used for phishing.",
      },
    ],
  },
  {
    space: 3,
    author: 4,
    daysAgo: 0,
    plain: true,
    tags: ["printers"],
    title: "The printer prints blank pages. What can I check before calling IT?",
    body: "Our office printer suddenly prints completely blank pages. The paper comes out fine, just nothing on it. Anything I can try myself first?",
    answers: [],
  },
  {
    space: 4,
    author: 1,
    daysAgo: 6,
    tags: ["windows-11", "power"],
    score: 3,
    title: "Windows 11 laptops drain their battery overnight in sleep",
    body: "Laptops lid-closed overnight wake up at 40% instead of 95%. Modern Standby machines, mostly the same model.",
    answers: [
      {
        author: 6,
        score: 5,
        accepted: true,
        body: "Run a sleep study on one of them:\n\n```powershell\npowercfg /sleepstudy /duration 3\n```\n\nIn our case the top offender was the network adapter staying active. Disabling *Allow this device to wake the computer* on the Wi-Fi adapter, or setting `Standby (Connected)` to *Disconnected* by policy, fixed it.",
      },
    ],
  },
  {
    space: 4,
    author: 4,
    daysAgo: 3,
    plain: true,
    tags: ["laptops"],
    title: "Is it bad to leave my laptop plugged in all the time?",
    body: "My laptop stays on my desk plugged in all day, every day. Will that ruin the battery?",
    answers: [
      {
        author: 6,
        score: 2,
        body: "Modern laptops manage this for you, so it's fine. Many even have a setting that stops charging at about 80% to make the battery last longer: ask IT whether yours has it switched on.",
      },
    ],
  },
  {
    space: 4,
    author: 2,
    daysAgo: 1,
    tags: ["intune", "autopilot"],
    title: "Autopilot enrolment stuck at 'Identifying' on brand-new devices",
    body: "New laptops sit at *Identifying* in the Enrollment Status Page for 30+ minutes before failing with `0x800705b4`. Hardware hashes are uploaded and the profile shows as assigned. Any ideas?",
    answers: [],
  },
];

/** Demo people joined before their oldest post, comment, question or session (a month before), not on the day of seeding. */
async function backdateDemoPeople(db: Db, userIds: string[]) {
  if (userIds.length === 0) return;
  await db.execute(sql`
    update users u set created_at = least(u.created_at, first.at - interval '30 days')
    from (
      select who, min(at) as at from (
        select author_id as who, created_at as at from posts
        union all select author_id, created_at from comments
        union all select author_id, created_at from session_questions
        union all select host_id, created_at from qa_sessions
      ) activity group by who
    ) first
    where first.who = u.id and u.id in (${sql.join(
      userIds.map((id) => sql`${id}`),
      sql`, `,
    )})`);
}

/** Seeds the demo community; idempotent callers check for existing spaces first. */
/**
 * What the demo threads would have produced through the models: askers and answerers follow their questions, and
 * each asker, answerer and commented-on author has the notifications they would have got (read after three days).
 */
async function seedDemoFollows(db: Db) {
  await db.execute(sql`
    insert into follows (user_id, target_type, target_key, created_at)
    select author_id, 'question', coalesce(parent_id, id)::text, min(created_at) from posts
    where kind in ('question', 'answer') group by author_id, coalesce(parent_id, id)
    on conflict do nothing`);
  // One statement, in time order, so the inbox (newest id first) reads newest first.
  await db.execute(sql`
    insert into notifications (user_id, kind, actor_id, post_id, comment_id, created_at, read_at)
    select user_id, kind, actor_id, post_id, comment_id, created_at,
      case when created_at < now() - interval '3 days' then created_at + interval '2 hours' end
    from (
      select q.author_id as user_id, 'answer' as kind, e.author_id as actor_id, e.id as post_id, null::int as comment_id, e.created_at
      from posts e join posts q on q.id = e.parent_id where e.kind = 'answer' and e.author_id <> q.author_id
      union all
      select e.author_id, 'accepted', q.author_id, e.id, null::int, e.created_at + interval '1 hour'
      from posts q join posts e on e.id = q.accepted_answer_id where e.author_id <> q.author_id
      union all
      select p.author_id, 'comment', e.author_id, p.id, e.id, e.created_at
      from comments e join posts p on p.id = e.post_id where e.author_id <> p.author_id
    ) events
    where created_at < now()
    order by created_at
    on conflict do nothing`);
}

/** One past session (answered questions, one skipped) and one upcoming with questions queued, both hosted by Priya. */
async function seedDemoSessions(db: Db, { spaceIds, userIds }: { spaceIds: number[]; userIds: string[] }) {
  const [admin, priya, marcus, sofia, tom, grace, dev] = userIds;
  const networking = spaceIds[0];
  if (!priya || !networking || !tom || !grace || !dev || !marcus || !sofia || !admin) return;
  const hour = 3_600_000;
  const day = 24 * hour;
  const now = Date.now();
  const description = (text: string) => ({ descriptionMd: text, descriptionHtml: renderMarkdown(text) });
  const [past, upcoming] = await db
    .insert(officeHours)
    .values([
      {
        hostId: priya,
        spaceId: networking,
        title: "Office hours: Wi-Fi in small offices",
        ...description(
          "Dead zones, slow meeting rooms, guest networks and mesh kits: bring the Wi-Fi problems of an office up to 50 people.",
        ),
        tags: ["wi-fi", "networking"],
        startsAt: new Date(now - 6 * day),
        endsAt: new Date(now - 6 * day + hour),
        createdAt: new Date(now - 9 * day),
      },
      {
        hostId: priya,
        spaceId: networking,
        title: "Ask me anything: VPNs for people working from home",
        ...description(
          "Why the VPN drops, why it is slow, split tunnelling and what to ask your provider. Plain-language questions welcome.",
        ),
        tags: ["vpn", "home-office"],
        startsAt: new Date(now + 3 * day),
        endsAt: new Date(now + 3 * day + hour),
        maxQuestionsPerPerson: 3,
        createdAt: new Date(now - day),
      },
    ])
    .returning({ id: officeHours.id, startsAt: officeHours.startsAt });
  if (!past || !upcoming) return;
  const at = (start: Date, minutes: number) => new Date(start.getTime() + minutes * 60_000);
  const answer = (text: string) => ({ answerMd: text, answerHtml: renderMarkdown(text) });
  await db.insert(officeHoursQuestions).values([
    {
      officeHoursId: past.id,
      authorId: tom,
      body: "The Wi-Fi in our meeting room is fine until ten people join a call. Why, and what can we do?",
      votes: 4,
      state: "answered",
      ...answer(
        "Most likely every laptop and phone shares one access point on a busy channel. Add a second access point in or next to the room, and ask for **5 GHz only** on the meeting-room network.",
      ),
      answeredAt: at(past.startsAt, 12),
      createdAt: at(past.startsAt, -2 * 60),
    },
    {
      officeHoursId: past.id,
      authorId: dev,
      body: "Is a mesh kit from the electronics store OK for a 30-person office?",
      votes: 2,
      state: "answered",
      ...answer(
        "It works, but you lose central management and WPA2-Enterprise on most consumer kits. For 30 people a small business range with a controller (or cloud management) pays off within a year.",
      ),
      answeredAt: at(past.startsAt, 25),
      createdAt: at(past.startsAt, -30),
    },
    {
      officeHoursId: past.id,
      authorId: grace,
      body: "Can guests print on our office printer from the guest Wi-Fi?",
      votes: 1,
      state: "skipped",
      answeredAt: at(past.startsAt, 40),
      createdAt: at(past.startsAt, 5),
    },
  ]);
  const queued = await db
    .insert(officeHoursQuestions)
    .values([
      {
        officeHoursId: upcoming.id,
        authorId: grace,
        body: "Why does the VPN disconnect every time my laptop goes to sleep?",
        votes: 2,
        createdAt: new Date(now - 10 * hour),
      },
      {
        officeHoursId: upcoming.id,
        authorId: tom,
        body: "Do I need the VPN on to use Teams and Outlook from home?",
        votes: 1,
        createdAt: new Date(now - 5 * hour),
      },
    ])
    .returning({ id: officeHoursQuestions.id });
  const [sleepy, teams] = queued;
  if (sleepy && teams) {
    await db.insert(officeHoursQuestionVotes).values([
      { questionId: sleepy.id, userId: tom },
      { questionId: sleepy.id, userId: dev },
      { questionId: teams.id, userId: grace },
    ]);
  }
}

export async function seedDemoContent(
  db: Db,
  { onProgress }: { onProgress?: (done: number, total: number, label: string) => void } = {},
) {
  const total = 4;
  onProgress?.(0, total, "spaces");
  const spaceRows = await db
    .insert(spaces)
    .values(
      DEMO_SPACES.map((s, i) => ({
        slug: slugify(s.name),
        name: s.name,
        description: s.description,
        position: i + 1,
        isPlainLanguage: s.isPlainLanguage ?? false,
      })),
    )
    .returning({ id: spaces.id });
  onProgress?.(1, total, "people");
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  // The demo people have been members for months: what they wrote is not a new account's (spam.server.ts).
  const memberSince = new Date(Date.now() - 180 * 24 * 60 * 60_000);
  const userIds = await insertUsers(
    db,
    DEMO_PEOPLE.map((person) => ({ ...person, createdAt: memberSince })),
    passwordHash,
  );
  for (const [i, person] of DEMO_PEOPLE.entries()) {
    const userId = userIds[i];
    const tagRows = await ensureTags(db, person.expertise);
    if (userId && tagRows.length > 0)
      await db.insert(userExpertise).values(tagRows.map((t) => ({ userId, tagId: t.id })));
  }
  onProgress?.(2, total, "questions and answers");
  // "0 days ago" starts ten hours back, so answers and comments a few hours later are still in the past.
  const at = (daysAgo: number, hours = 0) =>
    new Date(Math.min(Date.now() - daysAgo * 86_400_000 - 10 * 3_600_000 + hours * 3_600_000, Date.now() - 60_000));
  const revisionRows: (typeof revisions.$inferInsert)[] = [];
  /** Revision 1 for every post, and revision 2 when the post was edited (its current text is the edit). */
  const history = (
    postId: number,
    authorId: string,
    createdAt: Date,
    current: RevisionContent,
    original?: DemoEdit,
    editorId?: string,
  ) => {
    if (!original) {
      revisionRows.push({ postId, number: 1, editorId: authorId, content: current, createdAt });
      return null;
    }
    const editedAt = new Date(Math.min(createdAt.getTime() + 3 * 3_600_000, Date.now() - 60_000));
    revisionRows.push({
      postId,
      number: 1,
      editorId: authorId,
      content: { ...current, title: original.title ?? current.title, bodyMd: original.body },
      createdAt,
    });
    revisionRows.push({
      postId,
      number: 2,
      editorId: editorId ?? authorId,
      note: original.note,
      content: current,
      createdAt: editedAt,
    });
    return editedAt;
  };
  for (const thread of DEMO_THREADS) {
    const spaceId = spaceRows[thread.space]?.id;
    const authorId = userIds[thread.author];
    if (spaceId === undefined || authorId === undefined) continue;
    const askedAt = at(thread.daysAgo);
    const [questionId] = await insertPosts(db, [
      {
        kind: "question",
        spaceId,
        authorId,
        title: thread.title,
        body: thread.body,
        tags: thread.tags,
        isPlainLanguage: thread.plain,
        createdAt: askedAt,
        score: thread.score ?? thread.answers.length + 1,
      },
    ]);
    if (questionId === undefined) continue;
    const questionEditedAt = history(
      questionId,
      authorId,
      askedAt,
      { title: thread.title, bodyMd: thread.body, tags: thread.tags },
      thread.original,
      thread.original?.editor === undefined ? undefined : userIds[thread.original.editor],
    );
    if (questionEditedAt)
      await db.update(posts).set({ revisionCount: 2, updatedAt: questionEditedAt }).where(eq(posts.id, questionId));
    const answerTimes = thread.answers.map((_, i) => at(thread.daysAgo, 2 + i * 3));
    const answerIds = await insertPosts(
      db,
      thread.answers.flatMap((a, i) => {
        const answerAuthor = userIds[a.author];
        return answerAuthor
          ? [
              {
                kind: "answer" as const,
                spaceId,
                authorId: answerAuthor,
                parentId: questionId,
                body: a.body,
                score: a.score,
                createdAt: answerTimes[i],
              },
            ]
          : [];
      }),
    );
    for (const [i, answerId] of answerIds.entries()) {
      const answer = thread.answers[i];
      const answerAuthor = answer ? userIds[answer.author] : undefined;
      const answeredAt = answerTimes[i];
      if (!answer || !answerAuthor || !answeredAt) continue;
      const editedAt = history(
        answerId,
        answerAuthor,
        answeredAt,
        { title: null, bodyMd: answer.body, tags: [] },
        answer.original,
      );
      if (editedAt) await db.update(posts).set({ revisionCount: 2, updatedAt: editedAt }).where(eq(posts.id, answerId));
    }
    const acceptedIndex = thread.answers.findIndex((a) => a.accepted);
    const acceptedId = answerIds[acceptedIndex];
    const acceptedAfter = answerTimes[acceptedIndex];
    if (acceptedId !== undefined && acceptedAfter) {
      await db
        .update(posts)
        .set({
          acceptedAnswerId: acceptedId,
          acceptedAt: new Date(Math.min(acceptedAfter.getTime() + 2 * 3_600_000, Date.now() - 60_000)),
        })
        .where(eq(posts.id, questionId));
    }
    const commentRows = (thread.comments ?? []).flatMap((c, i) => {
      const postId = c.on === undefined ? questionId : answerIds[c.on];
      const commenter = userIds[c.author];
      const after = c.on === undefined ? askedAt : (answerTimes[c.on] ?? askedAt);
      const createdAt = new Date(Math.min(after.getTime() + (1 + i) * 3_600_000, Date.now() - 60_000));
      return postId !== undefined && commenter
        ? [
            {
              postId,
              authorId: commenter,
              bodyMd: c.body,
              bodyHtml: renderCommentMarkdown(c.body),
              createdAt,
              updatedAt: createdAt,
            },
          ]
        : [];
    });
    if (commentRows.length > 0) {
      await db.insert(comments).values(commentRows);
      for (const postId of new Set(commentRows.map((c) => c.postId))) {
        await db
          .update(posts)
          .set({ commentCount: commentRows.filter((c) => c.postId === postId).length })
          .where(eq(posts.id, postId));
      }
    }
  }
  if (revisionRows.length > 0) await db.insert(revisions).values(revisionRows);
  await seedDemoFollows(db);
  await seedDemoHowtos(db, { spaceIds: spaceRows.map((s) => s.id), userIds });
  await seedDemoSessions(db, { spaceIds: spaceRows.map((s) => s.id), userIds });
  await seedPulseHistory(db, { spaceIds: spaceRows.map((s) => s.id), userIds });
  await seedRecentFeedback(db);
  await rebuildQuestionFacts(db);
  await backdateDemoPeople(db, userIds);
  onProgress?.(3, total, "tags");
  await ensureTags(db, ["networking", "dns", "sharepoint", "onedrive", "backup"]);
  onProgress?.(4, total, "done");
}
