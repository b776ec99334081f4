/**
 * Following a tag from its own list, /questions?tag=…, against the real built server: a member gets a Follow button
 * showing whether they follow it, and the page signed-out readers get stays in the page cache with nothing of anyone's.
 */
import { realServer } from "./fixtures/real-server";

const suite = realServer();
const { get } = suite;
const path = "/questions?tag=vpn";

/** The Follow control for the tag vpn: the button's aria-pressed (signed in), or "sign in" for the signed-out link. */
function followControl(html: string): string | null {
  const button =
    /<button[^>]*aria-pressed="(true|false)"[^>]*>(?:(?!<\/button>).)*Follow<span class="sr-only"> the tag vpn<\/span><\/button>/s.exec(
      html,
    );
  if (button) return `pressed=${button[1]}`;
  if (html.includes(`href="/signin?redirectTo=${encodeURIComponent(path)}"`) && html.includes(" the tag vpn (sign in)"))
    return "sign in";
  return null;
}

test("a member sees whether they follow the tag on its list, and can follow it there", async () => {
  const before = await get(path, "priya@peerdesk.test");
  expect(before.status).toBe(200);
  expect(before.headers.get("x-cache")).toBe("bypass");
  const beforeHtml = await before.text();
  expect(followControl(beforeHtml)).toBe("pressed=false");
  // What following it brings, said beside the button (the list without a tag says nothing of following).
  const says =
    "Follow this tag to hear of new questions, how-tos and live Q&amp;A sessions tagged with it, in any space.";
  expect(beforeHtml).toContain(says);
  expect(await (await get("/questions", "priya@peerdesk.test")).text()).not.toContain(says);

  const followed = await suite.post("/follow", "priya@peerdesk.test", {
    type: "tag",
    key: "vpn",
    intent: "follow",
    redirectTo: path,
  });
  expect(followed.status).toBe(303);
  expect(followed.headers.get("location")).toBe(path);
  expect(followControl(await (await get(path, "priya@peerdesk.test")).text())).toBe("pressed=true");
  // The list without a tag filter has nothing to follow.
  expect(await (await get("/questions", "priya@peerdesk.test")).text()).not.toContain("aria-pressed");
});

test("signed out, the tag's list is cached and the same for everyone: a sign-in link, no one's follow state", async () => {
  const first = await get(path);
  const second = await get(path);
  expect([first.status, second.status]).toEqual([200, 200]);
  expect(second.headers.get("x-cache")).toBe("hit");
  const html = await second.text();
  expect(followControl(html)).toBe("sign in");
  expect(html).not.toContain("aria-pressed");
  // Its data for client-side navigation says only that the reader is signed out.
  const loaderData = await (
    await get(`/questions.data?tag=vpn&_routes=${encodeURIComponent("routes/questions")}`)
  ).text();
  expect(loaderData).toContain("isFollowingTag");
  expect(loaderData).not.toMatch(/priya/i);
});
