/**
 * Demo history for the service pulse: three months of older questions with answers at realistic delays, accepted
 * answers, askers' ratings (with a few comments) and thanks, so /pulse and "My impact" have something to show.
 * Then every question's facts are computed once (the seed writes rows directly, not through the models).
 */
import { sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { answerThanks, helpRatings, posts } from "#db/schema";
import { insertPosts } from "./demo";

type HistoryQuestion = {
  title: string;
  body: string;
  space: number;
  asker: number;
  tags: string[];
  plain?: boolean;
  /** Answers: who, hours after the question, and whether it was accepted (hours after the answer). */
  answers: { by: number; after: number; body: string; acceptedAfter?: number }[];
  rating?: { stars: number; easy?: boolean; comment?: string };
  thanks?: number[];
};

// People: 0 Ada (admin), 1 Priya (mentor), 2 Marcus (moderator), 3 Sofia (mentor), 4 Tom, 5 Grace, 6 Dev.
// Spaces: 0 Networking, 1 Microsoft 365, 2 Security, 3 Ask IT (plain language), 4 Endpoints & devices.
const HISTORY: HistoryQuestion[] = [
  {
    title: "Guest Wi-Fi portal page does not load on iPhones",
    body: "Android phones get the captive portal, iPhones just show 'no internet'. UniFi controller 8.",
    space: 0,
    asker: 6,
    tags: ["wi-fi", "networking"],
    answers: [
      {
        by: 1,
        after: 1.5,
        body: "iOS probes `captive.apple.com` over HTTP; allow it in the pre-authorisation list of the guest network and the portal appears.",
        acceptedAfter: 2,
      },
    ],
    rating: { stars: 5, comment: "Exactly it, thank you!" },
    thanks: [5],
  },
  {
    title: "How do I share a big file with a customer without email?",
    body: "The file is 300 MB and email refuses it. What is the safe way to send it?",
    space: 3,
    asker: 5,
    tags: ["onedrive", "sharing"],
    plain: true,
    answers: [
      {
        by: 2,
        after: 3,
        body: "Put it in OneDrive, right-click it, choose **Share**, type the customer's email address and send. They get a link that only works for them.",
        acceptedAfter: 1,
      },
    ],
    rating: { stars: 5, easy: true, comment: "Clear steps, I did it in two minutes." },
    thanks: [4],
  },
  {
    title: "DNS resolution slow only for internal names after DC migration",
    body: "Lookups for *.corp.example take 4–5 s; external names are instant. New DCs on Server 2022.",
    space: 0,
    asker: 6,
    tags: ["dns", "active-directory"],
    answers: [
      {
        by: 3,
        after: 20,
        body: "Check the clients' DNS suffix search list and that the old DC's IP is gone from DHCP option 6: clients time out on the dead server first.",
        acceptedAfter: 5,
      },
    ],
    rating: { stars: 4 },
  },
  {
    title: "Teams calls drop exactly after 60 minutes",
    body: "Every long call drops at the hour. Only people on the VPN.",
    space: 1,
    asker: 6,
    tags: ["teams", "vpn"],
    answers: [
      {
        by: 1,
        after: 0.5,
        body: "That is usually the VPN's re-key or idle timer; send Teams media outside the tunnel (split tunnel for the Microsoft 365 'Optimize' addresses).",
        acceptedAfter: 24,
      },
    ],
    rating: { stars: 5 },
  },
  {
    title: "My laptop says the disk is almost full, what can I delete?",
    body: "I get a warning every morning. I don't want to delete anything important.",
    space: 3,
    asker: 4,
    tags: ["windows-11", "storage"],
    plain: true,
    answers: [
      {
        by: 6,
        after: 5,
        body: "Open **Settings → System → Storage** and turn on *Storage Sense*; it clears temporary files safely. Your documents are not touched.",
        acceptedAfter: 2,
      },
    ],
    rating: { stars: 4, easy: true },
  },
  {
    title: "Intune compliance policy marks new laptops non-compliant for hours",
    body: "Freshly enrolled Autopilot devices show non-compliant until the next day. BitLocker is on.",
    space: 1,
    asker: 6,
    tags: ["intune", "autopilot"],
    answers: [
      {
        by: 2,
        after: 6,
        body: "The BitLocker and Secure Boot checks need a device health attestation report, which only arrives after a reboot. Add a grace period to the policy.",
      },
    ],
    rating: { stars: 3, comment: "Helpful background, but we still wait a day." },
  },
  {
    title: "Phishing email got through with our CEO's name",
    body: "A message with our CEO's display name but a Gmail address reached finance. How do we flag these?",
    space: 2,
    asker: 5,
    tags: ["phishing", "exchange-online"],
    answers: [
      {
        by: 3,
        after: 2,
        body: "Turn on impersonation protection for your executives in Defender for Office 365 and add an external sender tag so these stand out.",
        acceptedAfter: 3,
      },
    ],
    rating: { stars: 5, comment: "Our finance team now sees the warning." },
    thanks: [4],
  },
  {
    title: "Printer on floor 3 prints every job twice",
    body: "Only from Windows laptops, Macs are fine.",
    space: 4,
    asker: 4,
    tags: ["printers"],
    plain: true,
    answers: [
      {
        by: 6,
        after: 30,
        body: "Two printer entries point at the same device (one WSD, one TCP/IP). Remove the WSD one in **Printers & scanners**.",
        acceptedAfter: 4,
      },
    ],
    rating: { stars: 4, easy: false, comment: "Worked, but I needed Dev to show me which one was WSD." },
  },
  {
    title: "Conditional Access blocks sign-in from the new office",
    body: "Users in the new building get 'You can't get there from here'.",
    space: 2,
    asker: 6,
    tags: ["conditional-access", "entra-id"],
    answers: [
      {
        by: 2,
        after: 1,
        body: "The new office's public IP isn't in your trusted named location. Add it and the policy stops blocking.",
        acceptedAfter: 1,
      },
    ],
    rating: { stars: 5 },
  },
  {
    title: "Switch port flaps every few minutes",
    body: "Port 24 on an Aruba 2930 goes down/up; the PC behind it is fine.",
    space: 0,
    asker: 6,
    tags: ["switching", "networking"],
    answers: [
      {
        by: 1,
        after: 40,
        body: "Look at the port counters for CRC errors and swap the patch cable first; then disable EEE on that port.",
      },
    ],
  },
  {
    title: "Can I use my own phone for work email safely?",
    body: "IT said I can, but I worry they can see my photos.",
    space: 3,
    asker: 5,
    tags: ["mobile", "privacy"],
    plain: true,
    answers: [
      {
        by: 3,
        after: 4,
        body: "With the Outlook app and app protection, IT controls only the work data inside Outlook. They cannot see your photos, messages or browsing.",
        acceptedAfter: 6,
      },
    ],
    rating: { stars: 5, easy: true, comment: "That put my mind at rest." },
    thanks: [4],
  },
  {
    title: "SharePoint site storage jumped 200 GB overnight",
    body: "Nobody uploaded that much. Versioning?",
    space: 1,
    asker: 2,
    tags: ["sharepoint", "storage"],
    answers: [
      {
        by: 1,
        after: 8,
        body: "Check the version history settings and the recycle bins; a sync client re-uploading a folder creates hundreds of versions.",
      },
    ],
  },
  {
    title: "BitLocker asks for the recovery key after BIOS update",
    body: "Three laptops after the vendor update. Is that expected?",
    space: 2,
    asker: 6,
    tags: ["bitlocker", "windows-11"],
    answers: [
      {
        by: 3,
        after: 2.5,
        body: "Yes, if the update ran without suspending BitLocker. Suspend it for one reboot (`manage-bde -protectors -disable C: -RebootCount 1`) before firmware updates.",
        acceptedAfter: 2,
      },
    ],
    rating: { stars: 4 },
  },
  {
    title: "What does 'your password expires in 5 days' really mean?",
    body: "Do I have to change it now? Will I lose my files?",
    space: 3,
    asker: 4,
    tags: ["passwords"],
    plain: true,
    answers: [
      {
        by: 0,
        after: 1,
        body: "Nothing is lost. Within 5 days, change it with **Ctrl+Alt+Del → Change a password**. After that date the old one stops working.",
        acceptedAfter: 1,
      },
    ],
    rating: { stars: 5, easy: true },
  },
  {
    title: "VPN client won't install: error 1603",
    body: "GlobalProtect 6.2 MSI fails on a few Windows 11 machines.",
    space: 0,
    asker: 6,
    tags: ["vpn", "windows-11"],
    answers: [],
  },
  {
    title: "Outlook search finds nothing older than 6 months",
    body: "Cached mode is on. Users want to search everything.",
    space: 1,
    asker: 5,
    tags: ["outlook", "exchange-online"],
    answers: [
      {
        by: 2,
        after: 12,
        body: "The cached mode slider is set to 6 months; older mail is searched on the server only when you pick 'All mailboxes' or scroll to 'more results'.",
        acceptedAfter: 30,
      },
    ],
    rating: { stars: 3 },
  },
  {
    title: "Laptop fans run loud on battery after the update",
    body: "Since last Tuesday's update, fans spin even when idle.",
    space: 4,
    asker: 4,
    tags: ["windows-11", "laptops"],
    answers: [
      {
        by: 6,
        after: 50,
        body: "Check Task Manager for 'Antimalware Service Executable'; a full scan after the update runs for a few hours.",
      },
    ],
  },
  {
    title: "MFA prompts every hour in the Teams app",
    body: "Some users get asked again and again.",
    space: 2,
    asker: 2,
    tags: ["mfa", "teams"],
    answers: [
      {
        by: 3,
        after: 3,
        body: "Look at sign-in frequency in your Conditional Access policies: one policy likely sets 1 hour for 'all cloud apps'.",
        acceptedAfter: 2,
      },
    ],
    rating: { stars: 5, comment: "Found a test policy someone forgot." },
  },
  {
    title: "How do I get the new starter's laptop ready before Monday?",
    body: "Someone starts on Monday. What do I need to ask IT for?",
    space: 3,
    asker: 5,
    tags: ["onboarding"],
    plain: true,
    answers: [],
  },
  {
    title: "Wi-Fi roaming fails between two buildings",
    body: "Clients hold on to the far AP until the call drops.",
    space: 0,
    asker: 6,
    tags: ["wi-fi"],
    answers: [
      {
        by: 1,
        after: 2,
        body: "Enable 802.11k/v on both SSIDs and raise the minimum RSSI so clients are nudged to roam.",
        acceptedAfter: 3,
      },
    ],
    rating: { stars: 4 },
  },
  {
    title: "Monitor flickers when docked",
    body: "Only with the USB-C dock; direct HDMI is fine.",
    space: 4,
    asker: 4,
    tags: ["docking", "laptops"],
    answers: [
      {
        by: 6,
        after: 6,
        body: "Update the dock firmware and the laptop's graphics driver, and use the cable that came with the dock (not a charging-only cable).",
        acceptedAfter: 20,
      },
    ],
    rating: { stars: 4, easy: true },
  },
  {
    title: "Defender flags our own line-of-business app",
    body: "Our in-house tool is quarantined since today.",
    space: 2,
    asker: 6,
    tags: ["defender"],
    answers: [
      {
        by: 3,
        after: 0.8,
        body: "Submit the file to Microsoft as a false positive and add a temporary indicator (allow) by its certificate, not by path.",
      },
    ],
  },
];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export async function seedPulseHistory(
  db: Db,
  { spaceIds, userIds }: { spaceIds: number[]; userIds: string[] },
): Promise<void> {
  const now = Date.now();
  const ratings: (typeof helpRatings.$inferInsert)[] = [];
  const thanks: (typeof answerThanks.$inferInsert)[] = [];
  for (const [i, item] of HISTORY.entries()) {
    const spaceId = spaceIds[item.space];
    const askerId = userIds[item.asker];
    if (spaceId === undefined || askerId === undefined) continue;
    // From 12 to about 88 days ago, roughly one every three days, at varied hours.
    const askedAt = new Date(now - (12 + i * 3.4) * DAY - ((i * 7) % 10) * HOUR);
    const [questionId] = await insertPosts(db, [
      {
        kind: "question",
        spaceId,
        authorId: askerId,
        title: item.title,
        body: item.body,
        tags: item.tags,
        isPlainLanguage: item.plain ?? false,
        createdAt: askedAt,
        score: 1 + (i % 4),
      },
    ]);
    if (questionId === undefined) continue;
    const answerIds = await insertPosts(
      db,
      item.answers.flatMap((answer) => {
        const authorId = userIds[answer.by];
        return authorId
          ? [
              {
                kind: "answer" as const,
                spaceId,
                authorId,
                parentId: questionId,
                body: answer.body,
                score: 1,
                createdAt: new Date(askedAt.getTime() + answer.after * HOUR),
              },
            ]
          : [];
      }),
    );
    for (const [j, answer] of item.answers.entries()) {
      const answerId = answerIds[j];
      if (answerId === undefined || answer.acceptedAfter === undefined) continue;
      const acceptedAt = new Date(askedAt.getTime() + (answer.after + answer.acceptedAfter) * HOUR);
      await db.update(posts).set({ acceptedAnswerId: answerId, acceptedAt }).where(sql`${posts.id} = ${questionId}`);
      if (item.rating) {
        const ratedAt = new Date(acceptedAt.getTime() + 2 * HOUR);
        ratings.push({
          questionId,
          raterId: askerId,
          rating: item.rating.stars,
          easyToUnderstand: item.plain ? (item.rating.easy ?? null) : null,
          comment: item.rating.comment ?? "",
          createdAt: ratedAt,
          updatedAt: ratedAt,
        });
      }
    }
    // Unsolved but answered, a week later: the asker may still rate.
    if (item.rating && !item.answers.some((answer) => answer.acceptedAfter !== undefined)) {
      const ratedAt = new Date(askedAt.getTime() + 8 * DAY);
      ratings.push({
        questionId,
        raterId: askerId,
        rating: item.rating.stars,
        easyToUnderstand: null,
        comment: item.rating.comment ?? "",
        createdAt: ratedAt,
        updatedAt: ratedAt,
      });
    }
    const firstAnswer = answerIds[0];
    for (const person of item.thanks ?? []) {
      const userId = userIds[person];
      if (firstAnswer !== undefined && userId)
        thanks.push({ answerId: firstAnswer, userId, createdAt: new Date(askedAt.getTime() + 2 * DAY) });
    }
    if (firstAnswer !== undefined && item.asker !== item.answers[0]?.by)
      thanks.push({ answerId: firstAnswer, userId: askerId, createdAt: new Date(askedAt.getTime() + DAY) });
  }
  if (ratings.length > 0) await db.insert(helpRatings).values(ratings).onConflictDoNothing();
  if (thanks.length > 0) await db.insert(answerThanks).values(thanks).onConflictDoNothing();
}

/** Ratings and thanks on the recent demo threads: accepted ones rated by their askers (mostly well), some thanks. */
export async function seedRecentFeedback(db: Db): Promise<void> {
  await db.execute(sql`
    insert into help_ratings (question_id, rater_id, rating, easy_to_understand, comment, created_at, updated_at)
    select q.id, q.author_id, case when q.id % 3 = 0 then 4 else 5 end,
      case when q.is_plain_language then true end, case when q.id % 2 = 0 then 'Solved it, thank you.' else '' end,
      least(now() - interval '1 minute', q.accepted_at + interval '1 hour'), least(now() - interval '1 minute', q.accepted_at + interval '1 hour')
    from posts q where q.kind = 'question' and q.accepted_at is not null and q.deleted_at is null
    on conflict do nothing`);
  await db.execute(sql`
    insert into answer_thanks (answer_id, user_id, created_at)
    select a.id, q.author_id, least(now() - interval '1 minute', a.created_at + interval '3 hours')
    from posts a join posts q on q.id = a.parent_id
    where a.kind = 'answer' and a.author_id <> q.author_id and a.score >= 2
    on conflict do nothing`);
}
