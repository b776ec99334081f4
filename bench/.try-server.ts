import { startProductionServer } from "./lib";
const dir = process.argv[2] ?? "";
const server = await startProductionServer({ PGLITE_DIR: dir, DATABASE_URL: "" }, { startupSeconds: 300 });
let out = "";
server.child.stdout?.on("data", (c: Buffer) => (out += c.toString()));
server.child.stderr?.on("data", (c: Buffer) => (out += c.toString()));
for (const p of ["/pulse", "/pulse?days=7", "/me/impact"]) {
  try {
    const r = await fetch(server.url + p, { redirect: "manual" });
    console.log(p, r.status, r.headers.get("location"), (await r.text()).length);
  } catch (e) { console.log(p, "ERR", String(e)); }
}
console.log("exit", server.child.exitCode, out.slice(-3000));
await server.stop();
