import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { STARTING_GLOSSARY } from "#db/glossary-seed";
import { glossaryTerms } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import {
  GlossaryConflictError,
  GlossaryError,
  createGlossaryEntry,
  deleteGlossaryEntry,
  explainGlossaryTermsAcross,
  filterGlossary,
  findGlossaryTerms,
  getGlossaryIndex,
  listGlossary,
  synonymGroups,
  updateGlossaryEntry,
} from "./glossary.server";
import { listModerationLog } from "./moderation.server";
import type { Actor } from "./permissions.server";
import { makeUser } from "../../tests/fixtures/people";

let database: Database;
let moderator: Actor;
let mentor: Actor;
let member: Actor;
beforeAll(async () => {
  database = await createTestDatabase();
  moderator = { id: await makeUser(database.db, { role: "moderator" }), role: "moderator", banned: false };
  mentor = { id: await makeUser(database.db, { role: "mentor" }), role: "mentor", banned: false };
  member = { id: await makeUser(database.db, { role: "member" }), role: "member", banned: false };
});
afterAll(() => database.close());

const rejectsWith = (field: string | undefined, status: number) => (error: unknown) =>
  error instanceof GlossaryError && error.field === field && error.status === status;

describe("the starting glossary", () => {
  test("every new database starts with the 50+ entries of db/glossary-seed.ts, exactly as written there", async () => {
    expect(STARTING_GLOSSARY.length).toBeGreaterThanOrEqual(50);
    const entries = await listGlossary(database.db);
    const byTerm = new Map(entries.map((entry) => [entry.term, entry]));
    for (const seed of STARTING_GLOSSARY) {
      expect(byTerm.get(seed.term), seed.term).toMatchObject({
        expansion: seed.expansion,
        explanation: seed.explanation,
        synonyms: seed.synonyms,
      });
    }
    expect(entries).toHaveLength(STARTING_GLOSSARY.length);
  });

  test("no name belongs to two entries, so no two synonym groups overlap", async () => {
    const groups = await synonymGroups(database.db);
    const names = groups.flat();
    expect(new Set(names).size).toBe(names.length);
  });
});

describe("synonymGroups", () => {
  test("each entry's term, full name and synonyms form one lowercase group", async () => {
    const groups = await synonymGroups(database.db);
    expect(groups).toContainEqual([
      "mfa",
      "multi-factor authentication",
      "2fa",
      "two-factor authentication",
      "two-step verification",
      "multifactor authentication",
    ]);
    expect(groups).toContainEqual(["wi-fi", "wireless network", "wifi", "wireless", "wlan"]);
    expect(groups.every((group) => group.length > 1 && group.every((name) => name === name.toLowerCase().trim()))).toBe(
      true,
    );
  });

  test("follow a change at once: added, edited and removed entries", async () => {
    const before = await getGlossaryIndex(database.db);
    expect(await getGlossaryIndex(database.db)).toBe(before);
    const entry = await createGlossaryEntry(database.db, {
      actor: moderator,
      entry: {
        term: "  Kerberos ",
        expansion: "",
        explanation: "How Windows proves who you are to other servers on the network.",
        synonyms: "KRB5,\n kerberos ticket , KRB5",
      },
    });
    expect(entry.synonyms).toEqual(["KRB5", "kerberos ticket"]);
    expect(await synonymGroups(database.db)).toContainEqual(["kerberos", "krb5", "kerberos ticket"]);

    await updateGlossaryEntry(database.db, {
      actor: mentor,
      id: entry.id,
      entry: { term: "Kerberos", expansion: "", explanation: "Windows' way of proving who you are.", synonyms: "KRB" },
    });
    const groups = await synonymGroups(database.db);
    expect(groups).toContainEqual(["kerberos", "krb"]);
    expect(groups.flat()).not.toContain("krb5");

    await deleteGlossaryEntry(database.db, { actor: moderator, id: entry.id });
    expect((await synonymGroups(database.db)).flat()).not.toContain("kerberos");
  });

  test("an entry with nothing to expand is not a group", async () => {
    const entry = await createGlossaryEntry(database.db, {
      actor: moderator,
      entry: { term: "Zigbee", explanation: "A low-power radio that smart-home gadgets use to talk to each other." },
    });
    expect((await synonymGroups(database.db)).flat()).not.toContain("zigbee");
    await deleteGlossaryEntry(database.db, { actor: moderator, id: entry.id });
  });
});

describe("keeping the glossary", () => {
  test("moderators, admins and mentors may change it; members and visitors may not", async () => {
    const entry = {
      term: "NAS",
      expansion: "network-attached storage",
      explanation: "A small file server that sits on the office network.",
    };
    await expect(createGlossaryEntry(database.db, { actor: member, entry })).rejects.toSatisfy(
      rejectsWith(undefined, 403),
    );
    await expect(createGlossaryEntry(database.db, { actor: null, entry })).rejects.toSatisfy(
      rejectsWith(undefined, 401),
    );
    const created = await createGlossaryEntry(database.db, { actor: mentor, entry });
    expect(created).toMatchObject({ term: "NAS", slug: "nas", updatedByName: expect.any(String) });
    await expect(deleteGlossaryEntry(database.db, { actor: member, id: created.id })).rejects.toSatisfy(
      rejectsWith(undefined, 403),
    );
  });

  test("a term or synonym can name only one entry, however it is typed", async () => {
    const explanation = "Something explained in plain words.";
    await expect(
      createGlossaryEntry(database.db, { actor: moderator, entry: { term: "vpn", explanation } }),
    ).rejects.toSatisfy(rejectsWith("term", 409));
    await expect(
      createGlossaryEntry(database.db, { actor: moderator, entry: { term: "2fa", explanation } }),
    ).rejects.toSatisfy(rejectsWith("term", 409));
    await expect(
      createGlossaryEntry(database.db, { actor: moderator, entry: { term: "Passkey", explanation, synonyms: "WiFi" } }),
    ).rejects.toSatisfy(rejectsWith("synonyms", 409));
  });

  test("bad input is refused field by field", async () => {
    await expect(
      createGlossaryEntry(database.db, {
        actor: moderator,
        entry: { term: " ", explanation: "Long enough explanation." },
      }),
    ).rejects.toSatisfy(rejectsWith("term", 400));
    await expect(
      createGlossaryEntry(database.db, {
        actor: moderator,
        entry: { term: "<b>", explanation: "Long enough explanation." },
      }),
    ).rejects.toSatisfy(rejectsWith("term", 400));
    await expect(
      createGlossaryEntry(database.db, { actor: moderator, entry: { term: "NTP", explanation: "Clock" } }),
    ).rejects.toSatisfy(rejectsWith("explanation", 400));
    await expect(
      createGlossaryEntry(database.db, {
        actor: moderator,
        entry: { term: "NTP", explanation: "Keeps clocks right.", synonyms: "x".repeat(61) },
      }),
    ).rejects.toSatisfy(rejectsWith("synonyms", 400));
  });

  test("editing keeps the anchor; missing entries are a 404; every change is in the public moderation log", async () => {
    const [vpn] = await database.db.select().from(glossaryTerms).where(eq(glossaryTerms.term, "VPN"));
    if (!vpn) throw new Error("VPN missing");
    const updated = await updateGlossaryEntry(database.db, {
      actor: moderator,
      id: vpn.id,
      entry: {
        term: "VPN",
        expansion: "virtual private network",
        explanation: vpn.explanation,
        synonyms: "remote access VPN, tunnel",
      },
    });
    expect(updated.slug).toBe("vpn");
    await expect(
      updateGlossaryEntry(database.db, {
        actor: moderator,
        id: 999_999,
        entry: { term: "Gone", explanation: "Not here any more." },
      }),
    ).rejects.toSatisfy(rejectsWith(undefined, 404));
    await expect(deleteGlossaryEntry(database.db, { actor: moderator, id: 999_999 })).rejects.toSatisfy(
      rejectsWith(undefined, 404),
    );
    const log = await listModerationLog(database.db, { limit: 20 });
    expect(log.map((row) => row.action)).toEqual(
      expect.arrayContaining(["glossary.create", "glossary.edit", "glossary.delete"]),
    );
  });
});

describe("finding known terms", () => {
  test("in a draft, each once, in order of first use, with the case rules", async () => {
    const found = await findGlossaryTerms(
      database.db,
      "Our teams can't reach the vpn; the Wi-Fi works, but VPNs and 2FA don't. Restart Teams?",
    );
    expect(found.map((entry) => entry.term)).toEqual(["VPN", "Wi-Fi", "MFA", "reboot", "Teams"]);
  });

  test("the glossary page's search box finds entries by name first, then by explanation", async () => {
    const entries = await listGlossary(database.db);
    const hits = filterGlossary(entries, "two-step");
    expect(hits[0]?.term).toBe("MFA");
    expect(filterGlossary(entries, "tunnel").map((entry) => entry.term)).toContain("VPN");
    expect(filterGlossary(entries, "")).toHaveLength(entries.length);
  });

  test("a post written in parts (a how-to's prerequisites and steps) explains each term at its first use across them", async () => {
    const index = await getGlossaryIndex(database.db);
    const { parts, notesHtml } = explainGlossaryTermsAcross(index, [
      "<ul><li>The VPN connected</li></ul>",
      "<p>Check the DNS resolver of the VPN adapter.</p>",
      "<p>Ask the DNS resolver again; <code>VPN</code> stays code.</p>",
    ]);
    expect(parts[0]).toContain('<button type="button" class="glossary-term" popovertarget="g-vpn">VPN</button>');
    expect(parts[1]).toBe(
      '<p>Check the <button type="button" class="glossary-term" popovertarget="g-dns">DNS</button> resolver of the VPN adapter.</p>',
    );
    expect(parts[2]).toBe("<p>Ask the DNS resolver again; <code>VPN</code> stays code.</p>");
    // One explanation per term for the whole page, in order of first use.
    expect([...notesHtml.matchAll(/id="(g-[a-z-]+)"/g)].map((match) => match[1])).toEqual(["g-vpn", "g-dns"]);
  });

  test("a save begun before someone else changed the entry is refused with the entry as it is now; saving again from there replaces it", async () => {
    const created = await createGlossaryEntry(database.db, {
      actor: moderator,
      entry: { term: "Zettabyte pool", explanation: "A shared drive on the network." },
    });
    const opened = created.updatedAt;
    const mentorsWords = "A box of disks on the office network that everyone's files can be kept on.";
    await updateGlossaryEntry(database.db, {
      actor: mentor,
      id: created.id,
      entry: { term: "Zettabyte pool", explanation: mentorsWords },
      baseUpdatedAt: opened,
    });
    const refused = await updateGlossaryEntry(database.db, {
      actor: moderator,
      id: created.id,
      entry: { term: "Zettabyte pool", explanation: "The moderator's wording, from the first version." },
      baseUpdatedAt: opened,
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GlossaryConflictError);
    const conflict = refused as GlossaryConflictError;
    expect(conflict.status).toBe(409);
    expect(conflict.message).toMatch(
      /^Person \d+ changed this entry after you opened this form, so your changes are not saved yet/,
    );
    expect(conflict.current.explanation).toBe(mentorsWords);
    const [stored] = await database.db.select().from(glossaryTerms).where(eq(glossaryTerms.id, created.id));
    expect(stored?.explanation).toBe(mentorsWords);

    // The same person in a second tab is told it was their own change; from the version shown, the save goes through.
    const again = await updateGlossaryEntry(database.db, {
      actor: mentor,
      id: created.id,
      entry: { term: "Zettabyte pool", explanation: "Second tab." },
      baseUpdatedAt: opened,
    }).catch((error: unknown) => error);
    expect(String(again)).toMatch(/You changed this entry in another tab or window/);
    const saved = await updateGlossaryEntry(database.db, {
      actor: moderator,
      id: created.id,
      entry: { term: "Zettabyte pool", explanation: "The moderator's wording, having read the mentor's." },
      baseUpdatedAt: conflict.current.updatedAt,
    });
    expect(saved.explanation).toBe("The moderator's wording, having read the mentor's.");
  });
});
