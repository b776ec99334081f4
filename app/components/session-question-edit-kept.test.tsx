/**
 * An asker's new wording for their session question, refused because the host answered it meanwhile (posted without
 * JavaScript): the queue item says why and keeps what was typed, read-only to copy, where the edit form was.
 */
import { DomUtils, parseDocument } from "htmlparser2";
import { renderToString } from "react-dom/server";
import { StaticRouterProvider, createStaticHandler, createStaticRouter } from "react-router-dom/server";
import type { Database } from "#db/client.server";
import { OfficeHoursQueueItem } from "~/components/OfficeHoursQueueItem";
import { answerInOfficeHours, askInOfficeHours, getQueue } from "~/models/office-hours-queue.server";
import { scheduleOfficeHours } from "~/models/office-hours.server";
import type { OfficeHoursViewer, QueueItem, SessionActionResult } from "~/models/office-hours.types";
import { sessionAction } from "~/routes/__session-actions.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { payload } from "../../tests/fixtures/routes";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

/** "2026-12-07T09:30" for now + n minutes, as a datetime-local field in UTC sends it. */
const inMinutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString().slice(0, 16);

/** The queue item as the page renders it after the refused post (no JavaScript: the page's action data). */
async function renderItem(question: QueueItem, viewer: OfficeHoursViewer, pageResult: SessionActionResult) {
  const item = <OfficeHoursQueueItem question={question} phase="live" viewer={viewer} pageResult={pageResult} />;
  const handler = createStaticHandler([{ path: "/sessions/:id", element: <ol>{item}</ol> }]);
  const context = await handler.query(new Request("http://forum.test/sessions/1"));
  if (context instanceof Response) throw new Error("unexpected response");
  const router = createStaticRouter(handler.dataRoutes, context);
  return parseDocument(renderToString(<StaticRouterProvider router={router} context={context} hydrate={false} />));
}

test("an edit refused because the host answered meanwhile says so and keeps the new wording to copy", async () => {
  const { db } = database;
  const host = await makePerson(db, { role: "mentor", name: "Priya Host" });
  const sofia = await makePerson(db, { name: "Sofia Asker" });
  const { officeHoursId } = await scheduleOfficeHours(db, {
    actor: host,
    title: "Office hours: VPN at home",
    description: "Why the VPN drops, why it is slow, and what to ask your provider.",
    spaceId: await makeSpace(db),
    tags: "vpn",
    startsAtLocal: inMinutes(60),
    endsAtLocal: inMinutes(120),
    timeZone: "UTC",
    maxQuestionsPerPerson: "",
  });
  const { questionId } = await askInOfficeHours(db, {
    officeHoursId,
    actor: sofia,
    body: "Why does the VPN drop when my laptop sleeps?",
  });
  // Sofia opens the edit form; meanwhile Priya, in her live session, answers the question.
  await answerInOfficeHours(db, {
    officeHoursId,
    questionId,
    actor: host,
    answer: "Sleep closes the tunnel: turn on reconnect after sleep.",
    now: new Date(Date.now() + 70 * 60_000),
  });
  const typed = "Why does the VPN drop when my laptop sleeps, and why only on Wi-Fi?";
  const form = new FormData();
  for (const [name, value] of Object.entries({ intent: "edit", questionId: String(questionId), body: typed }))
    form.append(name, value);
  const refused = payload<SessionActionResult>(
    await sessionAction(db, { officeHoursId, actor: sofia, formData: form }),
  );
  expect(refused.status).toBe(409);

  const [question] = await getQueue(db, officeHoursId, { viewerId: sofia.id, phase: "live" });
  if (!question) throw new Error("no question in the queue");
  expect(question.state).toBe("answered");
  const viewer: OfficeHoursViewer = {
    id: sofia.id,
    isSignedIn: true,
    isFollowing: true,
    canHost: false,
    canAsk: true,
    questionsLeft: null,
  };
  const document = await renderItem(question, viewer, refused.data);
  const item = DomUtils.findOne((el) => el.attribs.id === `q-${questionId}`, document.children);
  const text = item ? DomUtils.textContent(item) : "";
  expect(text).toContain("The host has already answered this question, so it stays as it was asked.");
  expect(text).toContain("Here is what you typed, to keep:");
  expect(text).toContain("Your new wording (not saved)");
  const kept = DomUtils.findOne((el) => el.attribs.id === `unsent-edit-${questionId}`, document.children);
  expect(kept?.name).toBe("textarea");
  expect(kept?.attribs).toHaveProperty("readonly");
  expect(kept && DomUtils.textContent(kept)).toBe(typed);
  // The edit form itself has gone with the waiting question: nothing there to save into.
  expect(text).not.toContain("Change or withdraw my question");
});
