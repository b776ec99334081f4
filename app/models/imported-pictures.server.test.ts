/**
 * Pictures in imported posts: a Stack Exchange import copies the pictures its posts show from the picture hosts into
 * PeerDesk, and the posts show the copies. A real HTTP server in this process plays the picture host (with a missing
 * picture, a page that is no picture, redirects within and out of the allowed hosts); the dump is written for it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Database, queryRows } from "#db/client.server";
import { TAKEN_DOWN_PICTURE_NOTE, UNDESCRIBED_IMAGE } from "~/lib/markdown.server";
import { loader as imageLoader } from "~/routes/images.$file";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson } from "../../tests/fixtures/people";
import { Browser, testServices } from "../../tests/fixtures/routes";
import { copyImportedPictures, downloadAddressOf, pictureAddressesIn } from "./imported-pictures.server";
import { removePostImage } from "./post-images.server";
import { importStackExchange } from "./stackexchange-import.server";

const escapeXml = (html: string) =>
  html.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

describe("pictures in imported posts", () => {
  let database: Database;
  let server: Server;
  let host = "";
  let dir = "";
  const asked = new Map<string, number>();
  const timesAsked = (file: string) => asked.get(file) ?? 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    const png = (colour: string, width: number) =>
      sharp({ create: { width, height: 120, channels: 3, background: colour } })
        .png()
        .toBuffer();
    const files: Record<string, Buffer> = {
      "thumb.png": await png("#c00", 100),
      "full.png": await png("#0c0", 400),
      "shot.png": await png("#00c", 300),
      "spinner.gif": await sharp({ create: { width: 32, height: 32, channels: 3, background: "#fa0" } })
        .gif()
        .toBuffer(),
    };
    server = createServer((request, response) => {
      const file = (request.url ?? "").slice(1);
      asked.set(file, timesAsked(file) + 1);
      if (file === "moved.png") return response.writeHead(302, { Location: `http://${host}/shot.png` }).end();
      if (file === "away.png")
        return response.writeHead(302, { Location: `http://localhost:${host.split(":")[1]}/shot.png` }).end();
      if (file === "page.png") return response.writeHead(200, { "Content-Type": "text/html" }).end("<h1>Hello</h1>");
      const bytes = files[file];
      if (!bytes) return response.writeHead(404).end("Not found");
      response.writeHead(200, { "Content-Type": file.endsWith(".gif") ? "image/gif" : "image/png" }).end(bytes);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;

    dir = path.join(mkdtempSync(path.join(tmpdir(), "peerdesk-pictures-")), "pictures.stackexchange.com");
    const question = escapeXml(
      `<p>The printer shows this:</p><p><a href="http://${host}/full.png" rel="nofollow noreferrer"><img src="http://${host}/thumb.png" alt="The error dialog"></a></p>` +
        `<p>And earlier: <img src="http://${host}/gone.png" alt="The first dialog"></p>`,
    );
    const answer = escapeXml(
      `<p>Mine too: <img src="http://${host}/shot.png" alt="Same dialog"> and again <img src="http://${host}/moved.png" alt="Again"></p>` +
        `<p><img src="http://${host}/spinner.gif" alt="Spinner"> <img src="http://${host}/page.png" alt="Page"> ` +
        `<img src="http://${host}/away.png" alt="Away"> <img src="https://elsewhere.example/x.png" alt="Elsewhere"></p>` +
        `<p><a href="http://${host}/shot.png"><img src="http://${host}/shot.png" alt="enter image description here"></a></p>`,
    );
    mkdirSync(dir);
    writeFileSync(
      path.join(dir, "Posts.xml"),
      `<?xml version="1.0" encoding="utf-8"?>\n<posts>\n` +
        `  <row Id="1" PostTypeId="1" CreationDate="2019-05-01T10:00:00.000" Score="3" Body="${question}" OwnerUserId="10" Title="The printer shows an error dialog" Tags="|printers|" />\n` +
        `  <row Id="2" PostTypeId="2" ParentId="1" CreationDate="2019-05-01T11:00:00.000" Score="2" Body="${answer}" OwnerUserId="11" />\n` +
        `</posts>\n`,
    );
    writeFileSync(
      path.join(dir, "Users.xml"),
      `<?xml version="1.0" encoding="utf-8"?>\n<users>\n  <row Id="10" DisplayName="Asker" />\n  <row Id="11" DisplayName="Helper" />\n</users>\n`,
    );
  });
  afterAll(async () => {
    await database?.close();
    server?.close();
    if (dir) rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  const postsOf = () =>
    queryRows<{ id: number; kind: string; body_md: string; body_html: string; author_id: string }>(
      database.db,
      sql`select id, kind, body_md, body_html, author_id from posts where space_id = (select id from spaces where slug = 'printers') order by id`,
    );
  const localAddress = (markdown: string, alt: string) =>
    markdown.match(new RegExp(`!\\[${alt}\\]\\((/images/[0-9a-f]{20}\\.webp)\\)`))?.[1] ?? null;

  test("the addresses of the pictures a post shows and links to are found, decoded as the HTML's reader does", () => {
    expect(
      pictureAddressesIn(
        `<a href="https://i.stack.imgur.com/abc.png" rel="nofollow"><img alt="x" src="https://i.stack.imgur.com/abcm.png?s=1&amp;t=2"></a>` +
          `<a href="https://example.com/page">a page</a><img src='single-quoted.png'>`,
      ),
    ).toEqual(["https://i.stack.imgur.com/abc.png", "https://i.stack.imgur.com/abcm.png?s=1&t=2"]);
  });

  test("Stack Exchange's hosts are asked over https even where a post wrote http; other hosts as written", () => {
    expect(downloadAddressOf("http://i.stack.imgur.com/AbC12.png")).toBe("https://i.stack.imgur.com/AbC12.png");
    expect(downloadAddressOf("http://I.SSTATIC.NET/x.jpg?s=1")).toBe("https://i.sstatic.net/x.jpg?s=1");
    expect(downloadAddressOf("https://i.imgur.com/x.gif")).toBe("https://i.imgur.com/x.gif");
    // A host named for the run, or one of theirs on another port, is fetched as the post names it.
    expect(downloadAddressOf("http://pictures.example.test/x.png")).toBe("http://pictures.example.test/x.png");
    expect(downloadAddressOf("http://127.0.0.1:8080/x.png")).toBe("http://127.0.0.1:8080/x.png");
    expect(downloadAddressOf("http://i.stack.imgur.com:8080/x.png")).toBe("http://i.stack.imgur.com:8080/x.png");
  });

  test("without being asked, an import fetches no picture and the posts show the originals as before", async () => {
    const report = await importStackExchange(database.db, { dir, spaceSlug: "printers" });
    expect(report.pictures).toEqual({ copied: 0, known: 0, failed: [] });
    expect(asked.size).toBe(0);
    const [question] = await postsOf();
    expect(question?.body_md).toContain(`](http://${host}/thumb.png)`);
  });

  test("asked to, it copies the pictures on the allowed host in, and the posts show and link to the copies", async () => {
    const report = await importStackExchange(database.db, {
      dir,
      spaceSlug: "printers",
      pictures: { hosts: [host] },
    });
    // thumb, full (linked to), shot, moved (redirected to shot within the host) and the GIF.
    expect(report.pictures.copied).toBe(5);
    expect(report.pictures.known).toBe(0);
    expect(Object.fromEntries(report.pictures.failed.map(({ url, reason }) => [url, reason]))).toEqual({
      [`http://${host}/gone.png`]: "the host answered 404",
      [`http://${host}/page.png`]: "not a picture that can be read (PNG, JPEG, GIF or WebP)",
      [`http://${host}/away.png`]: `redirected to localhost:${host.split(":")[1]}, not a picture host`,
    });
    // A host not named is never asked (it isn't this server, and nothing was fetched from anywhere else either).
    expect(timesAsked("x.png")).toBe(0);

    const [question, answer] = await postsOf();
    const thumb = localAddress(question?.body_md ?? "", "The error dialog");
    expect(thumb).not.toBeNull();
    const full = question?.body_md.match(/\]\((\/images\/[0-9a-f]{20}\.webp)\)$/m)?.[1];
    expect(question?.body_md).toContain(`[![The error dialog](${thumb})](${full})`);
    // Stored with its size (the thumbnail is 100 × 120), as an uploaded picture is.
    expect(question?.body_html).toContain(`<img src="${thumb}" width="100" height="120" alt="The error dialog"`);
    expect(question?.body_html).toContain(`href="${full}"`);
    expect(question?.body_html).not.toContain(`${host}/thumb.png`);
    // What could not be copied stays as it was: a link to the original.
    expect(question?.body_md).toContain(`![The first dialog](http://${host}/gone.png)`);
    expect(answer?.body_md).toContain(`![Page](http://${host}/page.png)`);
    expect(answer?.body_md).toContain("![Elsewhere](https://elsewhere.example/x.png)");
    // Stack Exchange's placeholder is no description: the picture, all of its link, is named as undescribed.
    expect(answer?.body_md).not.toContain("enter image description here");
    expect(answer?.body_html).toContain(`alt="${UNDESCRIBED_IMAGE}"`);
    // The same picture under two addresses is one copy.
    expect(localAddress(answer?.body_md ?? "", "Again")).toBe(localAddress(answer?.body_md ?? "", "Same dialog"));

    // Stored as post pictures, uploaded by the author of the post showing them, and everyone may see them.
    const hashOf = (address: string | null | undefined) => address?.slice("/images/".length, -".webp".length) ?? "";
    const [picture] = await queryRows<{ width: number; uploader: string }>(
      database.db,
      sql`select i.width, u.user_id as uploader from post_images i join post_image_uploaders u on u.hash = i.hash where i.hash = ${hashOf(thumb)}`,
    );
    expect(picture).toEqual({ width: 100, uploader: question?.author_id });
    // A visitor's browser gets the copy from here, like any picture a visible post shows.
    const spinner = localAddress(answer?.body_md ?? "", "Spinner") ?? "";
    const visitor = new Browser(testServices(database), "10.7.0.1");
    const served = (await visitor.load(imageLoader, spinner, { file: spinner.slice("/images/".length) })) as Response;
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/webp");
    expect(served.headers.get("cache-control")).toMatch(/^public/);
    expect((await sharp(Buffer.from(await served.arrayBuffer())).metadata()).format).toBe("webp");
  });

  test("a second run downloads nothing it copied before and writes the same posts", async () => {
    const before = await postsOf();
    const fetched = ["thumb.png", "full.png", "shot.png", "moved.png", "spinner.gif"].map(timesAsked);
    const report = await importStackExchange(database.db, { dir, spaceSlug: "printers", pictures: { hosts: [host] } });
    expect(report.pictures.known).toBe(5);
    expect(report.pictures.copied).toBe(0);
    // The ones that failed are tried again (the host may have been down).
    expect(report.pictures.failed).toHaveLength(3);
    expect(["thumb.png", "full.png", "shot.png", "moved.png", "spinner.gif"].map(timesAsked)).toEqual(fetched);
    expect(await postsOf()).toEqual(before);
  });

  test("a copy a moderator took down stays down: the next run writes the note in its place", async () => {
    const [, answer] = await postsOf();
    const shot = localAddress(answer?.body_md ?? "", "Same dialog") ?? "";
    const moderator = await makePerson(database.db, { role: "moderator" });
    await removePostImage(database.db, {
      actor: moderator,
      hash: shot.slice("/images/".length, -".webp".length),
      reason: "Shows a customer's name",
    });
    const report = await importStackExchange(database.db, { dir, spaceSlug: "printers", pictures: { hosts: [host] } });
    expect(report.pictures.known).toBe(5);
    const [, after] = await postsOf();
    expect(after?.body_html).not.toContain(shot);
    expect(after?.body_html).toContain(`<em>${TAKEN_DOWN_PICTURE_NOTE}</em>`);
    expect(after?.body_html).toContain('alt="Spinner"');
  });

  test("a host that can't be reached is given up after a few tries, not waited for once per picture", async () => {
    // A port nothing listens on: every connection is refused, as without a network.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const nowhere = `127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const wanted = new Map(Array.from({ length: 20 }, (_, i) => [`http://${nowhere}/${i}.png`, "nobody"]));
    const { pictures, report } = await copyImportedPictures(database.db, wanted, { hosts: [nowhere] });
    expect(pictures.size).toBe(0);
    expect(report.failed).toHaveLength(20);
    const tried = report.failed.filter(({ reason }) => reason.startsWith("could not be fetched"));
    expect(tried.length).toBeGreaterThanOrEqual(5);
    expect(tried.length).toBeLessThanOrEqual(8);
    expect(report.failed.filter(({ reason }) => reason === `not tried: ${nowhere} could not be reached`)).toHaveLength(
      20 - tried.length,
    );
  });
});
