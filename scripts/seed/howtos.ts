/** Demo how-tos for a first start: one or two per space (plain-language ones in "Ask IT"), with readers' feedback, an edit and suggested edits. */
import { inArray, sql } from "drizzle-orm";
import { createHowto, editHowto } from "~/models/howto-writing.server";
import { decideSuggestion, suggestHowtoEdit } from "~/models/howto-suggestions.server";
import { rateHowto } from "~/models/howto-feedback.server";
import type { HowtoInput } from "~/models/howto-validation.server";
import type { SignedInActor } from "~/models/post-errors.server";
import type { Db } from "#db/client.server";
import { posts, users } from "#db/schema";

type DemoHowto = HowtoInput & {
  space: number;
  author: number;
  daysAgo: number;
  /** Readers' answers: person index, helped?, optional comment. */
  feedback?: [number, boolean, string?][];
  /** The author's later edit (becomes revision 2). */
  edit?: { change: Partial<HowtoInput>; note: string };
  /** Another member's suggested edit; accepted ones become a revision credited to them. */
  suggestion?: { by: number; change: (current: HowtoInput) => Partial<HowtoInput>; note: string; accept?: boolean };
};

// People: 0 Ada (admin), 1 Priya (mentor), 2 Marcus (moderator), 3 Sofia (mentor), 4 Tom, 5 Grace (business), 6 Dev.
// Spaces: 0 Networking, 1 Microsoft 365, 2 Security, 3 Ask IT (plain language), 4 Endpoints & devices.
const DEMO_HOWTOS: DemoHowto[] = [
  {
    space: 0,
    author: 1,
    daysAgo: 12,
    difficulty: "intermediate",
    estimatedMinutes: 15,
    tags: "dns, vpn, windows-11",
    title: "Check which DNS server a Windows laptop really uses on the VPN",
    summary:
      "When internal names resolve slowly or not at all over the VPN, the laptop is often asking the wrong DNS server first. These checks show which server answers, in which order, and whether a name resolution policy is in play.",
    appliesTo: "Windows 10 and 11, any VPN client",
    prerequisites: "- A PowerShell window (no admin rights needed)\n- The VPN connected",
    steps: [
      "List the DNS servers per adapter and note the **interface metric** of the VPN adapter:\n\n```powershell\nGet-DnsClientServerAddress -AddressFamily IPv4 | Sort-Object InterfaceIndex\nGet-NetIPInterface -AddressFamily IPv4 | Sort-Object InterfaceMetric\n```\n\nThe adapter with the lowest metric is asked first.",
      "Check for Name Resolution Policy Table rules, which override the order for matching names:\n\n```powershell\nGet-DnsClientNrptPolicy\n```",
      "Resolve an internal name and see which server answered:\n\n```powershell\nResolve-DnsName intranet.corp.example -DnsOnly | Format-List\n```\n\nIf it times out first and then answers, the home router was asked before the VPN's server.",
      "Fix it with an NRPT rule for the internal suffix (pushed by your VPN profile or Intune), or lower the VPN adapter's interface metric.",
    ],
    feedback: [
      [6, true, "The NRPT check found it straight away: a stale rule from the old VPN."],
      [2, true],
      [4, false, "Too technical for me, but I passed it on to our IT partner."],
    ],
    edit: {
      change: { appliesTo: "Windows 10 and 11, any VPN client (Always On VPN included)" },
      note: "Mentioned Always On VPN",
    },
  },
  {
    space: 0,
    author: 6,
    daysAgo: 6,
    difficulty: "beginner",
    estimatedMinutes: 10,
    tags: "printers, dhcp",
    title: "Give an office printer a fixed address with a DHCP reservation",
    summary:
      "A printer that changes its IP address breaks everyone's printing. A DHCP reservation keeps the address fixed without touching the printer's own settings.",
    appliesTo: "Any router or DHCP server with reservations (shown: Windows Server DHCP)",
    steps: [
      "Print the printer's configuration page (usually a menu item called *Reports* or *Network configuration*) and note its **MAC address**.",
      "Open the DHCP console, expand the scope, right-click **Reservations** and choose **New Reservation**.",
      "Enter a name, an address *inside* the scope but outside anything already handed out, and the MAC address without dashes. Save.",
      "Turn the printer off and on again so it picks up the reserved address, then update the printer queue's port if the address changed.",
    ],
    feedback: [
      [1, true, "Clear and short. I'd add that the queue port can use the printer's DNS name instead."],
      [4, true],
    ],
    suggestion: {
      by: 1,
      note: "Added the tip about using a DNS name for the port",
      change: ({ steps }) => ({
        steps: [
          ...steps,
          "Tip: point the printer queue's port at the printer's DNS name instead of its address, so a changed address never breaks printing.",
        ],
      }),
    },
  },
  {
    space: 1,
    author: 2,
    daysAgo: 9,
    difficulty: "intermediate",
    estimatedMinutes: 10,
    tags: "exchange-online, shared-mailbox, powershell",
    title: "Give a colleague access to a shared mailbox in Exchange Online",
    summary:
      "Grant Full Access and Send As on a shared mailbox so the person sees it in Outlook automatically and can send from it, with the PowerShell to check the result.",
    appliesTo: "Exchange Online (Microsoft 365), Exchange Online PowerShell module 3.x",
    prerequisites:
      "- Exchange administrator (or Recipient Management) role\n- `Connect-ExchangeOnline` works on your machine",
    steps: [
      "Connect: `Connect-ExchangeOnline -UserPrincipalName admin@contoso.com`.",
      "Grant Full Access with automapping, so the mailbox appears in Outlook by itself:\n\n```powershell\nAdd-MailboxPermission -Identity info@contoso.com -User grace@contoso.com -AccessRights FullAccess -AutoMapping $true\n```",
      "Grant Send As:\n\n```powershell\nAdd-RecipientPermission -Identity info@contoso.com -Trustee grace@contoso.com -AccessRights SendAs -Confirm:$false\n```",
      "Check both permissions, then tell the person to restart Outlook (automapping can take up to an hour):\n\n```powershell\nGet-MailboxPermission info@contoso.com | Where-Object User -like 'grace*'\nGet-RecipientPermission info@contoso.com\n```",
    ],
    feedback: [
      [6, true, "Worked. The one-hour automapping delay caught me out, good that it's mentioned."],
      [1, true],
      [3, true],
    ],
    suggestion: {
      by: 6,
      note: "Added a step to also copy sent items into the shared mailbox",
      change: ({ steps }) => ({
        steps: [
          ...steps,
          "Optional: keep a copy of mail sent *as* the shared mailbox in its own Sent Items:\n\n```powershell\nSet-Mailbox info@contoso.com -MessageCopyForSentAsEnabled $true\n```",
        ],
      }),
    },
  },
  {
    space: 2,
    author: 3,
    daysAgo: 14,
    difficulty: "intermediate",
    estimatedMinutes: 20,
    tags: "mfa, entra-id, security",
    title: "Roll out number matching for Microsoft Authenticator without surprises",
    summary:
      "Number matching stops people approving sign-ins they didn't start. Turning it on is one switch; rolling it out calmly takes a pilot group, a short message to users and a look at the sign-in logs.",
    appliesTo: "Microsoft Entra ID (any licence with Authenticator push)",
    prerequisites: "Authentication Policy Administrator role in Entra ID.",
    steps: [
      "Create a pilot group of 10 to 20 people from different teams, including someone from the service desk.",
      "In **Entra admin center › Protection › Authentication methods › Microsoft Authenticator**, target the pilot group and set *Require number matching for push notifications* to **Enabled**. Also show the application name and location.",
      "Send the pilot a two-line message with a screenshot: *You'll be asked to type the number shown on screen into the app.*",
      "After a week, check **Sign-in logs** filtered on MFA failures for the pilot; then widen the target to all users.",
    ],
    feedback: [
      [2, true, "We used your message template word for word. Zero tickets."],
      [1, true],
      [6, true],
      [5, false, "I didn't understand most of it (I'm in finance), but the user message was clear."],
    ],
  },
  {
    space: 3,
    author: 2,
    daysAgo: 4,
    difficulty: "beginner",
    estimatedMinutes: 5,
    tags: "outlook, out-of-office",
    isPlainLanguage: true,
    title: "Set up an out-of-office reply in Outlook before you go on holiday",
    summary:
      "Let people who email you know you're away and who to contact instead. It takes five minutes and turns itself off when you're back.",
    appliesTo: "Outlook for Windows and Outlook on the web (Microsoft 365)",
    steps: [
      "In Outlook, click **File** (top left), then **Automatic Replies**. In Outlook on the web: the gear icon, then **Mail › Automatic replies**.",
      "Choose **Send automatic replies**, tick **Only send during this time range**, and pick the day you leave and the day you're back.",
      "Write a short message: when you're back, and who can help while you're away. For example: *I'm away until 12 May. For invoices, please contact Sam at sam@example.com.*",
      "Click **OK** (or **Save**). That's it: the replies stop by themselves on the end date.",
    ],
    feedback: [
      [5, true, "So easy. I never knew it could switch itself off!"],
      [4, true],
      [6, true],
    ],
    suggestion: {
      by: 4,
      note: "Mentioned the separate message for outside contacts",
      accept: true,
      change: () => ({
        summary:
          "Let people who email you know you're away and who to contact instead. It takes five minutes, turns itself off when you're back, and you can set a different message for people outside the company.",
      }),
    },
  },
  {
    space: 3,
    author: 3,
    daysAgo: 2,
    difficulty: "beginner",
    estimatedMinutes: 5,
    tags: "phishing, email",
    isPlainLanguage: true,
    title: "Check whether an email is a scam before you click anything",
    summary:
      "Five quick checks that catch most scam (phishing) emails, and what to do if you've already clicked. No technical knowledge needed.",
    appliesTo: "Any email program (Outlook, Gmail, phone mail apps)",
    steps: [
      "Look at the **sender's address**, not just the name. Click or tap the name to see the full address: `service@yourbank-secure-login.com` is not your bank.",
      "Be suspicious of **urgency**: *your account will be closed today*, *pay this invoice now*. Real companies rarely rush you.",
      "Hover over a link (or press and hold on a phone) to see where it really goes **before** you open it.",
      "Never enter your password after clicking a link in an email. Open the website yourself instead.",
      "Not sure? Use the **Report** button in Outlook, or forward the email to IT. If you already clicked or typed a password, tell IT straight away: that's brave, not silly.",
    ],
    feedback: [
      [4, true, "Printed it and stuck it next to the office printer."],
      [5, true],
      [2, true],
      [6, true, "Sharing this with my parents too."],
    ],
  },
  {
    space: 4,
    author: 6,
    daysAgo: 8,
    difficulty: "advanced",
    estimatedMinutes: 30,
    tags: "intune, printers, windows-11",
    title: "Pre-stage a printer driver with Intune so people never need admin rights",
    summary:
      "With Point and Print restrictions on, adding a shared printer asks for admin rights. Installing the driver into the driver store as a Win32 app (running as System) lets users add the printer themselves, with the restrictions still on.",
    appliesTo: "Microsoft Intune, Windows 10 22H2 and Windows 11",
    prerequisites:
      "- The printer's **INF-based** driver package (not an installer .exe)\n- The Win32 Content Prep Tool (`IntuneWinAppUtil.exe`)",
    steps: [
      'Put the driver files in a folder with an `install.cmd`:\n\n```bat\npnputil /add-driver "%~dp0*.inf" /install\n```',
      "Package the folder with `IntuneWinAppUtil.exe -c .\\driver -s install.cmd -o .\\out`.",
      "Create a **Windows app (Win32)** in Intune: install command `install.cmd`, install behaviour **System**, detection rule: the driver's `.inf` file in `C:\\Windows\\System32\\DriverStore\\FileRepository`.",
      "Assign it to the device group, wait for it to install, then add the shared printer as a normal user: no admin prompt.",
    ],
    feedback: [
      [2, true, "Exactly what we did for 300 laptops. Detection rule tip saved me an hour."],
      [1, false, "Would be good to cover Universal Print as the alternative."],
    ],
  },
];

/** Time `daysAgo` days back, plus `hours`, but always at least a minute in the past. */
function at(daysAgo: number, hours = 0): Date {
  return new Date(
    Math.min(Date.now() - daysAgo * 86_400_000 - 10 * 3_600_000 + hours * 3_600_000, Date.now() - 60_000),
  );
}

/** Seeds the demo how-tos; `spaceIds` and `userIds` in the order seed.ts created the demo spaces and people. */
export async function seedDemoHowtos(
  db: Db,
  { spaceIds, userIds }: { spaceIds: number[]; userIds: string[] },
): Promise<number[]> {
  const people = userIds.length
    ? await db
        .select({ id: users.id, role: users.role, banned: users.banned })
        .from(users)
        .where(inArray(users.id, userIds))
    : [];
  const actorOf = (index: number): SignedInActor | null => people.find((p) => p.id === userIds[index]) ?? null;
  const created: number[] = [];
  for (const demo of DEMO_HOWTOS) {
    const { space, author, daysAgo, feedback = [], edit, suggestion, ...fields } = demo;
    const actor = actorOf(author);
    const spaceId = spaceIds[space];
    if (!actor || spaceId === undefined) continue;
    const createdAt = at(daysAgo);
    const { howtoId } = await createHowto(db, { actor, spaceId, ...fields, now: createdAt });
    created.push(howtoId);
    let current: HowtoInput = fields;
    const editedAt = at(daysAgo, 20);
    if (edit) {
      current = { ...current, ...edit.change };
      await editHowto(db, { actor, howtoId, ...current, note: edit.note, now: editedAt });
    }
    for (const [i, [reader, isHelpful, comment]] of feedback.entries()) {
      const readerActor = actorOf(reader);
      if (readerActor && readerActor.id !== actor.id)
        await rateHowto(db, { howtoId, actor: readerActor, isHelpful, comment, now: at(daysAgo, 3 + i * 5) });
    }
    const suggester = suggestion ? actorOf(suggestion.by) : null;
    if (suggestion && suggester) {
      const suggestedAt = at(daysAgo, 26);
      const { suggestionId } = await suggestHowtoEdit(db, {
        actor: suggester,
        howtoId,
        ...current,
        ...suggestion.change(current),
        note: suggestion.note,
        now: suggestedAt,
      });
      if (suggestion.accept)
        await decideSuggestion(db, { suggestionId, actor, decision: "accept", now: at(daysAgo, 30) });
    }
  }
  // recordRevision stamps revisions with the time of seeding; give them the demo timeline instead.
  if (created.length > 0) {
    await db.execute(sql`
      update revisions r set created_at = case when r.number = 1 then p.created_at else p.updated_at end
      from posts p where p.id = r.post_id and p.id in ${created}`);
    await db
      .update(posts)
      .set({ lastActivityAt: sql`${posts.updatedAt}` })
      .where(inArray(posts.id, created));
  }
  return created;
}
