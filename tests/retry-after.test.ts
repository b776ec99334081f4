/**
 * "Too many" answers say when to try again: the 429 a browser without JavaScript gets carries Retry-After and the
 * page says why, on each kind of route (a public page's form, a settings form, a private page that sends its own
 * headers). Remix drops an action's headers unless the route's `headers` export passes them on.
 */
import { randomBytes } from "node:crypto";
import { realServer } from "./fixtures/real-server";

const { get, post } = realServer();

/** Posts until the server answers 429 (at most `tries`), checking every earlier answer was not an error. */
async function untilRefused(send: (i: number) => Promise<Response>, tries: number): Promise<Response> {
  for (let i = 0; i < tries; i++) {
    const res = await send(i);
    if (res.status === 429) return res;
    expect(res.status).toBeLessThan(500);
  }
  throw new Error(`no 429 after ${tries} tries`);
}

async function expectRefusal(res: Response) {
  expect(res.status).toBe(429);
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  const html = await res.text();
  expect(html).toContain('role="alert"');
  expect(html).toContain("Please wait");
}

test("comments on a question page (a cached public page's form)", async () => {
  const refused = await untilRefused(
    (i) =>
      post("/q/1", "dev@peerdesk.test", {
        intent: "comment",
        postId: "1",
        body: `Comment ${i}: did you try ${randomBytes(6).toString("hex")} on the second printer as well?`,
      }),
    40,
  );
  await expectRefusal(refused);
});

test("removing a passkey (a settings form)", async () => {
  await expectRefusal(
    await untilRefused(() => post("/settings/passkeys", "tom@peerdesk.test", { intent: "remove", passkeyId: "1" }), 15),
  );
});

test("deleting the account with wrong passwords (a private page with its own headers)", async () => {
  await expectRefusal(
    await untilRefused(
      () =>
        post("/settings/data", "grace@peerdesk.test", { intent: "delete", confirm: "grace-kim", password: "not hers" }),
      15,
    ),
  );
});

test("editing an answer (a post's edit form): the refusal says so and keeps what was typed", async () => {
  const thread = await (await get("/q/1", "marcus@peerdesk.test")).text();
  const answerId = thread.match(/\/a\/(\d+)\/edit/)?.[1];
  expect(answerId).toBeDefined();
  let typed = "";
  const refused = await untilRefused((i) => {
    typed = `Restart the print spooler, then clear the queue (${i}, ${randomBytes(6).toString("hex")}).`;
    return post(`/a/${answerId}/edit`, "marcus@peerdesk.test", { body: typed, note: "" });
  }, 70);
  const html = await refused.clone().text();
  expect(html).toContain("What you typed is still here.");
  expect(html).toContain(typed);
  await expectRefusal(refused);
});
