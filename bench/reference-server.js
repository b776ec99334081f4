/**
 * The benchmarks' yardstick: a plain node:http server, in its own process, answering each path with bytes the app
 * served earlier (body and headers as captured), so "ratio to plain" compares the app with the cheapest possible
 * server for the same response on the same machine at the same concurrency.
 *
 * Usage: node bench/reference-server.js <manifest.json>
 * The manifest maps a path to { file, headers }; the query string is ignored. Prints {"port":…} on stdout once listening.
 */
import { readFileSync } from "node:fs";
import http from "node:http";

const manifestPath = process.argv[2];
if (!manifestPath) {
  console.error("usage: node bench/reference-server.js <manifest.json>");
  process.exit(2);
}
/** @type {Record<string, { file: string; headers: Record<string, string> }>} */
const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
const responses = new Map(
  Object.entries(manifest).map(([path, entry]) => {
    const body = readFileSync(entry.file);
    // Headers as a flat [name, value, …] list built once, as the app's page cache sends a hit: the cheapest form.
    const headers = Object.entries({ ...entry.headers, "content-length": String(body.length) }).flat();
    return [path, { body, headers }];
  }),
);

const server = http.createServer((req, res) => {
  const path = (req.url ?? "/").split("?")[0] ?? "/";
  const response = responses.get(path);
  if (!response) {
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not in the manifest");
    return;
  }
  res.writeHead(200, response.headers);
  res.end(response.body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  console.log(JSON.stringify({ port: typeof address === "object" && address ? address.port : 0 }));
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
