/** /admin/backups against the real built server: admins make and download backups of its embedded database; nobody else can. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { restoreBackup } from "~/models/backups.server";
import { realServer } from "./fixtures/real-server";

// Backups are of the embedded database's data directory: this file keeps PGlite in a PostgreSQL run too.
const suite = realServer({}, { engine: "pglite" });
const ADMIN = "admin@peerdesk.test";
const MEMBER = "dev@peerdesk.test";

test("an admin makes a backup, downloads it whole, and both are in the moderation log", async () => {
  const before = await (await suite.get("/admin/backups", ADMIN)).text();
  expect(before).toContain("No backups yet.");

  const made = await suite.post("/admin/backups", ADMIN, { intent: "make-backup" });
  expect(made.status).toBe(200);
  const name = (await made.text()).match(/Backup made: (peerdesk-\d{8}-\d{6}\.tar\.gz)/)?.[1];
  if (!name) throw new Error("no backup named in the answer");
  const listed = await (await suite.get("/admin/backups", ADMIN)).text();
  expect(listed).toContain(`href="/admin/backups/${name}"`);

  const download = await suite.get(`/admin/backups/${name}`, ADMIN);
  expect(download.status).toBe(200);
  expect(download.headers.get("content-type")).toBe("application/gzip");
  expect(download.headers.get("content-disposition")).toBe(`attachment; filename="${name}"`);
  expect(download.headers.get("cache-control")).toContain("no-store");
  expect(download.headers.get("x-cache")).not.toBe("hit");
  // What was downloaded restores into a database holding the demo forum.
  const scratch = mkdtempSync(path.join(tmpdir(), "peerdesk-downloaded-"));
  try {
    const file = path.join(scratch, name);
    writeFileSync(file, Buffer.from(await download.arrayBuffer()));
    const { counts } = await restoreBackup(file, path.join(scratch, "pglite"));
    expect(counts.people).toBeGreaterThanOrEqual(7);
    expect(counts.questions).toBeGreaterThan(10);
    expect(counts.howtos).toBeGreaterThan(0);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }

  const log = await (await suite.get("/moderation")).text();
  expect(log).toContain("made a backup of the site&#x27;s database");
  expect(log).toContain("downloaded a backup of the site&#x27;s database");
});

test("members and visitors get no backups, and no address leads outside the backup folder", async () => {
  // Right after the backup above, another is refused: the answer names the newest instead (run alone, it makes one).
  const made = await suite.post("/admin/backups", ADMIN, { intent: "make-backup" });
  const name = (await made.text()).match(
    /(?:Backup made: |A backup was made [^(]*\()(peerdesk-\d{8}-\d{6}\.tar\.gz)/,
  )?.[1];
  expect(name).toBeTruthy();

  expect((await suite.get("/admin/backups", MEMBER)).status).toBe(403);
  expect((await suite.get(`/admin/backups/${name}`, MEMBER)).status).toBe(403);
  expect((await suite.post("/admin/backups", MEMBER, { intent: "make-backup" })).status).toBe(403);
  const visitor = await suite.get(`/admin/backups/${name}`);
  expect(visitor.status).toBe(302);
  expect(visitor.headers.get("location")).toMatch(/^\/signin\?redirectTo=/);

  for (const path of [
    "/admin/backups/..%2Fauth-secret",
    "/admin/backups/..%2Fpglite%2FPG_VERSION",
    "/admin/backups/peerdesk-20991231-000000.tar.gz",
    `/admin/backups/.${name}.partial`,
    "/admin/backups/%00",
  ]) {
    const res = await suite.get(path, ADMIN);
    expect(res.status, path).toBeGreaterThanOrEqual(400);
    expect(res.status, path).toBeLessThan(500);
    expect(res.headers.get("content-type"), path).not.toBe("application/gzip");
  }
});

test("a backup asked for from another site is refused", async () => {
  const res = await fetch(`${suite.server.url}/admin/backups`, {
    method: "POST",
    headers: {
      cookie: await suite.signIn(ADMIN),
      Origin: "https://evil.example",
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: "",
    redirect: "manual",
  });
  expect(res.status).toBe(403);
});
