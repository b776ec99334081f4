/**
 * Your devices: every signed-in session listed in plain words, and signing one (or all others) out acts on that
 * device's very next request, although its cookie still carries a signed copy of the session for five minutes.
 */
import type { Database } from "#db/client.server";
import { getViewer } from "~/auth/viewer.server";
import { action as devicesAction, loader as devicesLoader } from "~/routes/settings.devices";
import { createTestDatabase } from "../../tests/fixtures/db";
import { Browser, type TestServices, payload, signUp, testServices } from "../../tests/fixtures/routes";

let database: Database;
let services: TestServices;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
});
afterAll(() => database.close());

const PHONE_UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
const LAPTOP_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";

type Devices = { devices: { id: string; device: string; place: string; isCurrent: boolean }[] };

async function signInOn(browser: Browser, email: string, password: string) {
  const response = await services.auth.handler(
    browser.request("/api/auth/sign-in/email", {
      method: "POST",
      body: JSON.stringify({ email, password }),
      headers: { "content-type": "application/json" },
    }),
  );
  expect(response.status).toBe(200);
  browser.take(response);
}

async function who(browser: Browser) {
  return (await getViewer(browser.request("/questions"), browser.context())).user;
}

test("each device is listed in plain words with its address; this one is marked and first", async () => {
  const laptop = new Browser(services, "192.168.1.20", LAPTOP_UA);
  await signUp(laptop, { name: "Vera Wolf", email: "vera@example.com", password: "vera rotates the backups" });
  const phone = new Browser(services, "203.0.113.7", PHONE_UA);
  await signInOn(phone, "vera@example.com", "vera rotates the backups");
  const { data } = payload<Devices>(await phone.load(devicesLoader, "/settings/devices"));
  expect(data.devices.map((d) => [d.device, d.place, d.isCurrent])).toEqual([
    ["Safari on iPhone", "203.0.113.7", true],
    ["Firefox on Windows", "A private network (192.168.1.20)", false],
  ]);
});

test("signing out another device takes effect on its next request; signing out everywhere else keeps this one", async () => {
  const laptop = new Browser(services, "10.0.0.5", LAPTOP_UA);
  await signUp(laptop, { name: "Walt Xu", email: "walt@example.com", password: "walt inventories laptops" });
  const phone = new Browser(services, "10.0.0.6", PHONE_UA);
  await signInOn(phone, "walt@example.com", "walt inventories laptops");
  const tablet = new Browser(services, "10.0.0.7", PHONE_UA);
  await signInOn(tablet, "walt@example.com", "walt inventories laptops");
  expect((await who(phone))?.email).toBe("walt@example.com");
  // The phone's cookie holds the signed session copy (cookie cache): still it is out at once.
  expect(phone.cookieHeader).toContain("session_data");

  const { data } = payload<Devices>(await laptop.load(devicesLoader, "/settings/devices"));
  const phoneSession = data.devices.find((d) => !d.isCurrent);
  const result = payload<{ ok: boolean }>(
    await laptop.submit(devicesAction, "/settings/devices", { intent: "sign-out", sessionId: phoneSession?.id ?? "" }),
  );
  expect(result.data.ok).toBe(true);
  const signedOut = (await who(phone)) === null ? phone : tablet;
  expect(await who(signedOut)).toBeNull();

  // Someone else's session id signs nothing out.
  const stranger = new Browser(services, "10.0.0.8", LAPTOP_UA);
  await signUp(stranger, { name: "Xena Young", email: "xena@example.com", password: "xena guards the firewall" });
  const laptopSession = data.devices.find((d) => d.isCurrent)?.id ?? "";
  const refused = payload<{ ok: boolean }>(
    await stranger.submit(devicesAction, "/settings/devices", { intent: "sign-out", sessionId: laptopSession }),
  );
  expect(refused.status).toBe(404);
  expect((await who(laptop))?.email).toBe("walt@example.com");

  const everywhere = payload<{ ok: boolean; message: string }>(
    await laptop.submit(devicesAction, "/settings/devices", { intent: "sign-out-others" }),
  );
  expect(everywhere.data.message).toBe("Signed out of 1 other device.");
  expect(await who(phone)).toBeNull();
  expect(await who(tablet)).toBeNull();
  expect((await who(laptop))?.email).toBe("walt@example.com");
});
