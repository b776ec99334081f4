/**
 * A PostgreSQL host that takes the connection and never answers (a hung server, a half-open firewall) is given up on
 * after the connect timeout with one line naming the host, instead of holding the server's start or an operator
 * command for the system's own timeout (minutes).
 */
import net from "node:net";
import { sql } from "drizzle-orm";
import { parseEnv } from "~/lib/env.server";
import { databaseStartProblem, openDatabase } from "./client.server";

/** A port on 127.0.0.1 that accepts connections and never says a word. */
async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

test("a PostgreSQL host that never answers is given up on with one line naming it, never the password", async () => {
  const silent = await silentServer();
  const databaseUrl = `postgres://peer:s3cret-pw@127.0.0.1:${silent.port}/peerdesk`;
  const database = await openDatabase({ databaseUrl, poolSize: 1, connectTimeoutMs: 300 });
  try {
    // What the server's start and every operator command do first: a query, then listening for other processes.
    const queryError = await database.db.execute(sql`select 1`).then(
      () => null,
      (error: unknown) => error,
    );
    const listenError = await database
      .listen("peerdesk_test", () => {})
      .then(
        () => null,
        (error: unknown) => error,
      );
    const expected = `Couldn't connect to PostgreSQL at 127.0.0.1:${silent.port} (no answer within 0.3 s). Check DATABASE_URL, that the server is running and that no firewall is in the way.`;
    expect(databaseStartProblem(queryError, { databaseUrl })).toBe(expected);
    expect(databaseStartProblem(listenError, { databaseUrl })).toBe(expected);
    // The error itself, as a request's log line would show it.
    expect(String(listenError)).toContain(`PostgreSQL at 127.0.0.1:${silent.port} didn't answer within 0.3 s`);
    expect(`${String(queryError)} ${String(listenError)}`).not.toContain("s3cret-pw");
  } finally {
    await database.close();
    await silent.close();
  }
});

test("the connect timeout is DATABASE_CONNECT_TIMEOUT_SECONDS: 10 by default, whole seconds from 1 to 600", () => {
  expect(parseEnv({}).DATABASE_CONNECT_TIMEOUT_SECONDS).toBe(10);
  expect(parseEnv({ DATABASE_CONNECT_TIMEOUT_SECONDS: "3" }).DATABASE_CONNECT_TIMEOUT_SECONDS).toBe(3);
  for (const wrong of ["0", "1.5", "soon", "601"])
    expect(() => parseEnv({ DATABASE_CONNECT_TIMEOUT_SECONDS: wrong })).toThrow(/DATABASE_CONNECT_TIMEOUT_SECONDS/);
});
