/**
 * Hosted Q&A sessions on phones: a host and an attendee see each other's question and answer appear without reloading;
 * a refused question without JavaScript; calendar and archive.
 */
import { utcToZonedLocal } from "~/lib/time-zones";
import { accessibilityViolations, hasChromium, phoneSuite, sidewaysOverflow } from "./harness";

describe.skipIf(!hasChromium)("hosted Q&A sessions", () => {
  const suite = phoneSuite();
  const personPage = (email: string) => suite.signedInPage(email);

  test("a mentor goes live; an attendee's question reaches the host's screen, and the host's answer the attendee's, without reloading", async () => {
    const host = await personPage("priya@peerdesk.test");
    await host.goto("/sessions");
    await host.getByRole("link", { name: "Schedule a session" }).click();
    await host.waitForURL("**/sessions/new");
    const [start, end] = await host.evaluate(() => {
      const local = (date: Date) =>
        new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
      const now = new Date();
      return [local(now), local(new Date(now.getTime() + 60 * 60_000))];
    });
    await host.getByLabel("Title", { exact: true }).fill("Live office hours: printers and scanners");
    await host
      .getByLabel("What people can ask about")
      .fill("Scan-to-email, drivers, print queues: ask anything about office printers.");
    await host.locator("select[name=spaceId]").selectOption({ label: "Networking" });
    // A mistake first: the end before the start. The message appears and nothing typed is lost.
    await host.getByLabel("Starts", { exact: true }).fill(end);
    await host.getByLabel("Ends", { exact: true }).fill(start);
    await host.getByRole("button", { name: "Schedule session" }).click();
    await host.getByText("The end must be after the start.").waitFor();
    expect(await host.getByLabel("Title", { exact: true }).inputValue()).toBe(
      "Live office hours: printers and scanners",
    );
    await host.getByLabel("Starts", { exact: true }).fill(start);
    await host.getByLabel("Ends", { exact: true }).fill(end);
    await host.getByRole("button", { name: "Schedule session" }).click();
    await host.waitForURL(/\/sessions\/\d+$/);
    await host.getByLabel("Your question for the host").waitFor();
    expect(await host.locator("header span", { hasText: /live now/i }).count()).toBe(1);
    const sessionPath = new URL(host.url()).pathname;

    const attendee = await personPage("tom@peerdesk.test");
    await attendee.goto(sessionPath);
    await attendee
      .getByLabel("Your question for the host")
      .fill("Why does scan-to-email stop working after a password change?");
    await attendee.getByRole("button", { name: "Send question" }).click();
    // The question's words (its asker also has them in the folded edit form's field).
    await attendee.getByRole("paragraph").filter({ hasText: "Why does scan-to-email stop working" }).waitFor();
    expect(await attendee.getByLabel("Your question for the host").inputValue()).toBe("");

    // The host's page, never reloaded, shows the new question.
    await host.getByText("Why does scan-to-email stop working after a password change?").waitFor({ timeout: 10_000 });
    await host
      .getByLabel("Your answer")
      .fill("The scanner still signs in with the **old** password. Update it in the scanner's address book settings.");
    await host.getByRole("button", { name: "Post answer" }).click();

    // The attendee's page, never reloaded, shows the answer.
    const answer = attendee.getByText("The scanner still signs in with the");
    await answer.waitFor({ timeout: 10_000 });
    expect(await attendee.locator("strong", { hasText: "old" }).count()).toBe(1);
    expect(await accessibilityViolations(attendee)).toEqual([]);
    expect(await attendee.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // The attendee is told, so they'd know even with the page closed.
    await attendee.goto("/notifications");
    await attendee.getByText("answered your question in the Q&A session", { exact: false }).waitFor();

    // The session ends while the attendee types another question and the host an answer to a third: the pages turn
    // into the archive, and what each typed stays, not sent, to copy.
    await attendee.goto(sessionPath);
    await attendee.getByLabel("Your question for the host").fill("Does the scanner need an account of its own?");
    await attendee.getByRole("button", { name: "Send question" }).click();
    const hostAnswer = host.getByLabel("Your answer");
    await hostAnswer.waitFor({ timeout: 10_000 });
    await hostAnswer.fill("Yes: give it a service account whose password never expires.");
    await attendee.getByLabel("Your question for the host").fill("And the copier on the second floor, is it the same?");
    // Ending asks first, in place (what the host typed stays on the page), with focus on the answer to give.
    await host.getByRole("button", { name: "End the session now" }).click();
    const confirmEnd = host.getByRole("button", { name: "Yes, end the session" });
    await confirmEnd.waitFor();
    expect(await confirmEnd.evaluate((button) => document.activeElement === button)).toBe(true);
    await confirmEnd.click();
    await host.getByText("The session ended before your answer was posted.").waitFor({ timeout: 10_000 });
    expect(await host.getByLabel("Your answer (not posted)").inputValue()).toBe(
      "Yes: give it a service account whose password never expires.",
    );
    await attendee.getByText("The session ended before your question was sent.").waitFor({ timeout: 10_000 });
    expect(await attendee.getByLabel("Your question (not sent)").inputValue()).toBe(
      "And the copier on the second floor, is it the same?",
    );
    expect(await attendee.getByLabel("Your question for the host").count()).toBe(0);
    expect(await accessibilityViolations(attendee)).toEqual([]);
  });

  test("without JavaScript, a too-short question comes back with its message beside the field and the text typed", async () => {
    const page = await suite.signedInPage("tom@peerdesk.test", { javaScriptEnabled: false });
    await page.goto("/sessions/2");
    const field = page.getByLabel("Your question for the host");
    await field.fill("hm");
    const answered = page.waitForResponse(
      (res) => new URL(res.url()).pathname === "/sessions/2" && res.request().method() === "POST",
    );
    await page.getByRole("button", { name: "Send question" }).tap();
    expect((await answered).status()).toBe(400);
    const message = "Questions need at least 10 characters (yours has 2).";
    await page.getByRole("alert").filter({ hasText: message }).waitFor();
    expect(await field.inputValue()).toBe("hm");
    expect(await field.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await field.getAttribute("aria-describedby")) ?? "";
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toBe(message);

    // Put right, it is queued, and the box is empty again.
    await field.fill("hm, does the VPN need to be on for printing at the office?");
    await page.getByRole("button", { name: "Send question" }).tap();
    await page.waitForURL(/\/sessions\/2#q-\d+$/);
    await page
      .getByRole("paragraph")
      .filter({ hasText: "hm, does the VPN need to be on for printing at the office?" })
      .waitFor();
    expect(await field.inputValue()).toBe("");
    expect(await page.getByRole("alert").count()).toBe(0);
  });

  test("an upcoming session can be added to a calendar and takes upvotes; a past one is a read-only archive, answers first", async () => {
    const dev = await personPage("dev@peerdesk.test");
    await dev.goto("/sessions");
    await dev.getByRole("link", { name: "Ask me anything: VPNs for people working from home" }).click();
    await dev.getByRole("link", { name: "Add to my calendar" }).waitFor();
    const ics = await dev.request.get(`${new URL(dev.url()).pathname}/calendar.ics`);
    expect(ics.headers()["content-type"]).toContain("text/calendar");
    expect(await ics.text()).toContain("SUMMARY:Ask me anything: VPNs for people working from home (PeerDesk Q&A)");
    await dev.getByRole("button", { name: "Follow this session to hear when it starts" }).click();
    await dev.getByRole("button", { name: "Follow this session to hear when it starts", pressed: true }).waitFor();
    const upvote = dev.getByRole("button", { name: "Upvote this question, 1 vote", exact: true });
    await upvote.click();
    await dev
      .getByRole("button", { name: "Upvote this question, 2 votes", exact: true, pressed: true })
      .first()
      .waitFor();

    await dev.goto("/sessions");
    await dev.getByRole("link", { name: "Office hours: Wi-Fi in small offices" }).click();
    await dev.getByText("This session has ended: 2 of 3 questions were answered.", { exact: false }).waitFor();
    expect(await dev.getByLabel("Your question for the host").count()).toBe(0);
    const items = await dev.locator("ol > li p.whitespace-pre-line").allTextContents();
    expect(items[items.length - 1]).toContain("Can guests print");
    expect(await accessibilityViolations(dev)).toEqual([]);

    // The host's profile lists their sessions, upcoming first (a session an earlier test ended comes between them).
    await dev.goto("/u/priya-raman");
    const hosted = await dev.getByRole("region", { name: "Q&A sessions" }).getByRole("link").allTextContents();
    const upcoming = hosted.indexOf("Ask me anything: VPNs for people working from home");
    expect(upcoming).toBeGreaterThanOrEqual(0);
    expect(hosted.indexOf("Office hours: Wi-Fi in small offices")).toBeGreaterThan(upcoming);
    expect(hosted.at(-1)).toBe("Office hours: Wi-Fi in small offices");

    // The archive's answers are searchable, and a hit leads to its place in the archive.
    await dev.goto("/search?q=mesh+kit+electronics&kind=session");
    await dev.getByText("Session answer", { exact: true }).first().waitFor();
    await dev.getByRole("link", { name: /mesh kit from the electronics store/ }).click();
    await dev.waitForURL(/\/sessions\/\d+#q-\d+$/);
    await dev.getByText("small business range with a controller", { exact: false }).waitFor();
  });

  test("a host in New York gets 09:00 New York time, with and without JavaScript; edits, ends early and cancels; a live session shows as live on the profile", async () => {
    const host = await suite.signedInPage("marcus@peerdesk.test", { timezoneId: "America/New_York" });
    await host.goto("/sessions/new");
    await host.getByTestId("session-time-zone").getByText("America/New_York").waitFor();
    expect(await accessibilityViolations(host)).toEqual([]);
    // 09:00 tomorrow on the host's own clock, and the instant the browser itself would take it for.
    const [start, end, expected] = await host.evaluate(() => {
      const tomorrow = new Date(Date.now() + 86_400_000);
      const day = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, "0")}-${String(tomorrow.getDate()).padStart(2, "0")}`;
      return [`${day}T09:00`, `${day}T10:00`, new Date(`${day}T09:00`).toISOString()];
    });
    await host.getByLabel("Title", { exact: true }).fill("Morning office hours: Teams meeting rooms");
    await host
      .getByLabel("What people can ask about")
      .fill("Room displays, Teams Rooms licences and the cables nobody can find.");
    await host.locator("select[name=spaceId]").selectOption({ label: "Microsoft 365" });
    await host.getByLabel("Starts", { exact: true }).fill(start);
    await host.getByLabel("Ends", { exact: true }).fill(end);
    await host.getByRole("button", { name: "Schedule session" }).click();
    await host.waitForURL(/\/sessions\/\d+$/);
    const upcomingPath = new URL(host.url()).pathname;
    const ics = await (await host.request.get(`${upcomingPath}/calendar.ics`)).text();
    expect(ics).toContain(`DTSTART:${expected.replace(/[-:]/g, "").replace(/\.\d{3}/, "")}`);

    // Without JavaScript (and in a browser set to UTC) the form still reads times in the profile's zone, and says so.
    const noScript = await (
      await suite.context({
        javaScriptEnabled: false,
        timezoneId: "UTC",
        storageState: await host.context().storageState(),
      })
    ).newPage();
    await noScript.goto("/sessions/new");
    await noScript.getByTestId("session-time-zone").getByText("America/New_York").waitFor();
    await noScript.getByLabel("Title", { exact: true }).fill("Right now: Outlook profiles clinic");
    await noScript
      .getByLabel("What people can ask about")
      .fill("Broken Outlook profiles, OST files and the send/receive button.");
    await noScript.locator("select[name=spaceId]").selectOption({ label: "Microsoft 365" });
    await noScript.getByLabel("Start now").check();
    await noScript
      .getByLabel("Ends", { exact: true })
      .fill(utcToZonedLocal(new Date(Date.now() + 90 * 60_000), "America/New_York"));
    await noScript.getByRole("button", { name: "Schedule session" }).click();
    await noScript.waitForURL(/\/sessions\/\d+$/);
    const livePath = new URL(noScript.url()).pathname;
    expect(await noScript.locator("header span", { hasText: /live now/i }).count()).toBe(1);

    // The host's profile shows it as live, first.
    await host.goto(livePath);
    await host.getByRole("link", { name: "Marcus Lee" }).click();
    const hosted = host.getByRole("region", { name: "Q&A sessions" });
    await hosted.getByText("Live now").waitFor();
    expect((await hosted.getByRole("link").allTextContents())[0]).toBe("Right now: Outlook profiles clinic");

    // Edit a live session: the end moves; then end it early.
    await host.goto(livePath);
    await host.getByRole("link", { name: "Edit, end or cancel" }).click();
    await host.getByLabel("Title", { exact: true }).fill("Right now: Outlook profiles and OST clinic");
    await host.getByRole("button", { name: "Save changes" }).click();
    await host.waitForURL((url) => url.pathname === livePath);
    await host.getByRole("heading", { level: 1, name: "Right now: Outlook profiles and OST clinic" }).waitFor();
    // A stray tap ends nothing: "No, keep it going" takes the question back; then it is ended for real.
    await host.getByRole("button", { name: "End the session now" }).click();
    await host.getByRole("link", { name: "No, keep it going" }).click();
    await host.getByRole("button", { name: "End the session now" }).click();
    await host.getByRole("button", { name: "Yes, end the session" }).click();
    await host.getByText("This session has ended", { exact: false }).waitFor();

    // Two tabs on the upcoming one: the later save is refused, keeping what was typed, with the saved version beside it.
    const otherTab = await host.context().newPage();
    await otherTab.goto(`${upcomingPath}/edit`);
    await otherTab.getByLabel("Title", { exact: true }).fill("Teams calling: bring your headsets");
    await host.goto(`${upcomingPath}/edit`);
    await host.getByLabel("Title", { exact: true }).fill("Teams calling and meeting rooms");
    await host.getByRole("button", { name: "Save changes" }).click();
    await host.waitForURL((url) => url.pathname === upcomingPath);
    await otherTab.getByRole("button", { name: "Save changes" }).click();
    await otherTab.getByText("You changed this session in another tab or window after you opened this form").waitFor();
    expect(await otherTab.getByLabel("Title", { exact: true }).inputValue()).toBe("Teams calling: bring your headsets");
    await otherTab
      .getByRole("region", { name: "The session as it is now" })
      .getByText("Teams calling and meeting rooms")
      .waitFor();
    expect(await sidewaysOverflow(otherTab)).toBe(0);
    expect(await accessibilityViolations(otherTab)).toEqual([]);
    await otherTab.getByRole("button", { name: "Save changes" }).click();
    await otherTab.waitForURL((url) => url.pathname === upcomingPath);
    await otherTab.getByRole("heading", { level: 1, name: "Teams calling: bring your headsets" }).waitFor();
    await otherTab.close();

    // Cancel the upcoming one, asked first (it can't be undone): it says so and takes no questions.
    await host.goto(`${upcomingPath}/edit`);
    expect(await accessibilityViolations(host)).toEqual([]);
    await host.getByRole("button", { name: "Cancel this session" }).click();
    await host.getByRole("button", { name: "Yes, cancel the session" }).click();
    await host.getByText("This session was cancelled.", { exact: false }).waitFor();
    expect(await host.getByLabel("Your question for the host").count()).toBe(0);
  });

  test("an asker fixes a typo in a waiting question and withdraws another, with and without JavaScript; others see both without reloading", async () => {
    const asker = await personPage("grace@peerdesk.test");
    const watcher = await personPage("dev@peerdesk.test");
    await asker.goto("/sessions/2");
    await watcher.goto("/sessions/2");
    const field = asker.getByLabel("Your question for the host");
    await field.fill("Can I use the VPN from a hotle's Wi-Fi?");
    await asker.getByRole("button", { name: "Send question" }).click();
    await watcher.getByText("Can I use the VPN from a hotle's Wi-Fi?").waitFor({ timeout: 10_000 });
    const item = asker.locator("li", { hasText: "Can I use the VPN from a hotle's Wi-Fi?" });

    // Reworded: the same question, marked as edited, on the watcher's page too.
    await item.getByText("Change or withdraw my question").click();
    const wording = item.getByLabel("Your question", { exact: true });
    expect(await wording.inputValue()).toBe("Can I use the VPN from a hotle's Wi-Fi?");
    expect(await accessibilityViolations(asker)).toEqual([]);
    await wording.fill("short");
    await item.getByRole("button", { name: "Save changes" }).click();
    await item.getByRole("alert").filter({ hasText: "Questions need at least 10 characters (yours has 5)." }).waitFor();
    expect(await wording.inputValue()).toBe("short");
    await wording.fill("Can I use the VPN from a hotel's Wi-Fi?");
    await item.getByRole("button", { name: "Save changes" }).click();
    const fixed = asker.locator("li", { hasText: "Can I use the VPN from a hotel's Wi-Fi?" });
    await fixed.locator("p", { hasText: "Grace" }).filter({ hasText: "Edited" }).waitFor();
    expect(await asker.evaluate(() => document.activeElement?.textContent ?? "")).toContain("hotel's Wi-Fi");
    await watcher.getByText("Can I use the VPN from a hotel's Wi-Fi?").waitFor({ timeout: 10_000 });
    expect(await watcher.getByText("hotle's").count()).toBe(0);
    // Only its asker gets the forms.
    expect(await watcher.getByText("Change or withdraw my question").count()).toBe(0);

    // Withdrawn: gone for everyone; the asker is told where it was asked, and can ask again.
    await fixed.getByText("Change or withdraw my question").click();
    await fixed.getByRole("button", { name: "Withdraw my question" }).click();
    const said = asker.getByRole("status").filter({ hasText: "Your question was withdrawn" });
    await said.waitFor();
    expect(await asker.evaluate(() => document.activeElement?.id)).toBe("withdrawn");
    expect(await asker.getByText("hotel's Wi-Fi").count()).toBe(0);
    await watcher.getByText("hotel's Wi-Fi").waitFor({ state: "detached", timeout: 10_000 });
    expect(await accessibilityViolations(asker)).toEqual([]);
    expect(await sidewaysOverflow(asker)).toBe(0);

    // Without JavaScript: a refused edit comes back at the question with the text typed; withdrawing lands on the note.
    const noScript = await suite.signedInPage("tom@peerdesk.test", { javaScriptEnabled: false });
    await noScript.goto("/sessions/2");
    await noScript.getByLabel("Your question for the host").fill("Does the VPN slow down video calls at home?");
    await noScript.getByRole("button", { name: "Send question" }).tap();
    await noScript.waitForURL(/\/sessions\/2#q-\d+$/);
    const mine = noScript.locator("li", { hasText: "Does the VPN slow down video calls at home?" });
    await mine.getByText("Change or withdraw my question").tap();
    await mine.getByLabel("Your question", { exact: true }).fill("Too short");
    await mine.getByRole("button", { name: "Save changes" }).tap();
    const refusedItem = noScript.locator("li", { hasText: "Does the VPN slow down video calls at home?" });
    await refusedItem.getByRole("alert").filter({ hasText: "at least 10 characters" }).waitFor();
    expect(await refusedItem.getByLabel("Your question", { exact: true }).inputValue()).toBe("Too short");
    await refusedItem.getByRole("button", { name: "Withdraw my question" }).tap();
    await noScript.waitForURL(/\/sessions\/2\?withdrawn=1#withdrawn$/);
    await noScript.getByRole("status").filter({ hasText: "Your question was withdrawn" }).waitFor();
    expect(await noScript.getByText("Does the VPN slow down video calls at home?").count()).toBe(0);
  });

  test("a moderator without a profile time zone, in a browser in Tokyo, saves the edit form unchanged: nothing moves", async () => {
    const page = await suite.signedInPage("admin@peerdesk.test", { timezoneId: "Asia/Tokyo" });
    await page.goto("/sessions/2/edit");
    const starts = page.getByLabel("Starts", { exact: true });
    const before = await starts.inputValue();
    // Once the page runs, the times, their zone's name and the zone the form sends still agree.
    await page.waitForLoadState("networkidle");
    expect(await page.getByTestId("session-time-zone").textContent()).toContain("UTC");
    expect(await page.locator("input[name=timeZone]").inputValue()).toBe("UTC");
    expect(await starts.inputValue()).toBe(before);
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL((url) => url.pathname === "/sessions/2");
    await page.goto("/sessions/2/edit");
    expect(await page.getByLabel("Starts", { exact: true }).inputValue()).toBe(before);
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  test("a dropped connection as the page updates itself keeps what was being typed; the new question appears once it is back", async () => {
    const watcher = await personPage("sofia@peerdesk.test");
    const asker = await personPage("marcus@peerdesk.test");
    await watcher.goto("/sessions/2");
    await asker.goto("/sessions/2");
    const field = watcher.getByLabel("Your question for the host");
    const typed = "Half typed, not sent yet: does the VPN need";
    await field.fill(typed);
    // The next data request the watcher's page makes (its reload when someone asks) never reaches the server.
    await watcher.route("**/*.data*", (route) => route.abort("internetdisconnected"), { times: 1 });
    const dropped = watcher.waitForEvent("requestfailed", (request) => request.url().includes(".data"));
    await asker.getByLabel("Your question for the host").fill("Is the office Wi-Fi password changing this month?");
    await asker.getByRole("button", { name: "Send question" }).click();
    await dropped;
    await watcher.getByRole("status").filter({ hasText: "Your connection dropped" }).waitFor();
    expect(await field.inputValue()).toBe(typed);
    expect(await watcher.getByRole("heading", { name: "We couldn't reach PeerDesk" }).count()).toBe(0);
    // Connected again: it tries again by itself, and the question arrives with the typed text still there.
    await watcher.getByText("Is the office Wi-Fi password changing this month?").waitFor({ timeout: 30_000 });
    expect(await field.inputValue()).toBe(typed);
    expect(await watcher.getByRole("status").filter({ hasText: "Your connection dropped" }).count()).toBe(0);
    expect(await accessibilityViolations(watcher)).toEqual([]);
  });

  test("a co-host answers while the host writes: the host's text stays to copy, with focus on it", async () => {
    const host = await personPage("priya@peerdesk.test");
    await host.goto("/sessions/new");
    await host.getByLabel("Title", { exact: true }).fill("Live office hours: two hosts at once");
    await host.getByLabel("What people can ask about").fill("Anything about shared mailboxes, asked live.");
    await host.locator("select[name=spaceId]").selectOption({ label: "Networking" });
    await host.getByLabel("Start now").check();
    const end = await host.evaluate(() => {
      const later = new Date(Date.now() + 60 * 60_000);
      return new Date(later.getTime() - later.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    });
    await host.getByLabel("Ends", { exact: true }).fill(end);
    await host.getByRole("button", { name: "Schedule session" }).click();
    await host.waitForURL(/\/sessions\/\d+$/);
    const sessionPath = new URL(host.url()).pathname;
    const asker = await personPage("tom@peerdesk.test");
    await asker.goto(sessionPath);
    await asker.getByLabel("Your question for the host").fill("Who can see a shared mailbox's sent items?");
    await asker.getByRole("button", { name: "Send question" }).click();

    const typed = "Only people with Send As rights, unless you turn on the copy setting.";
    const hostAnswer = host.getByLabel("Your answer");
    await hostAnswer.waitFor({ timeout: 10_000 });
    await hostAnswer.fill(typed);
    const coHost = await personPage("marcus@peerdesk.test");
    await coHost.goto(sessionPath);
    await coHost.getByLabel("Your answer").fill("Everyone with Full Access to it.");
    await coHost.getByRole("button", { name: "Post answer" }).click();

    await host.getByText("This question was answered while you were writing").waitFor({ timeout: 10_000 });
    const kept = host.getByLabel("Your answer (not posted)");
    expect(await kept.inputValue()).toBe(typed);
    expect(await kept.evaluate((field) => document.activeElement === field)).toBe(true);
    expect(await host.getByText("Everyone with Full Access to it.").count()).toBe(1);
    expect(await accessibilityViolations(host)).toEqual([]);
  });
});
