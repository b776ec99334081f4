/**
 * Rows of a query that runs on nearly every page, planned once per database session instead of on every request.
 *
 * In the embedded database (PGlite, PostgreSQL compiled to WebAssembly) planning a query costs more than running it:
 * the signed-in question page's viewer query takes 2.1 ms planned each time and 0.6 ms as a prepared statement
 * (bench/prepared.ts). PGlite's `query()` always parses an unnamed statement and its extended protocol offers no
 * named ones, so the statement is made with SQL's `PREPARE` and run with `EXECUTE`, whose arguments are literals
 * (quoted by node-postgres's `escapeLiteral`; every value goes in as a quoted string or NULL and PostgreSQL casts it to
 * the parameter's type, as it does with a bound parameter). On a PostgreSQL server, and inside a transaction, the
 * query runs as an ordinary one: planning there is native code and cheap, and a prepared statement made inside a
 * transaction would outlive its rollback.
 */
import { createHash } from "node:crypto";
import { PGlite, types } from "@electric-sql/pglite";
import { type SQL, sql } from "drizzle-orm";
import { PgDialect, PgTransaction } from "drizzle-orm/pg-core";
import pg from "pg";
import { type Db, queryRows } from "./client.server";
import { PGliteWorkerClient } from "./pglite-worker-client.server";

const dialect = new PgDialect();

// Timestamps come back as the text PostgreSQL sends, as drizzle's `execute` gives them (see queryRows).
const asText = (value: string) => value;
const RAW_CONFIG = {
  rowMode: "object" as const,
  parsers: {
    [types.TIMESTAMP]: asText,
    [types.TIMESTAMPTZ]: asText,
    [types.INTERVAL]: asText,
    [types.DATE]: asText,
    1231: asText,
    1115: asText,
    1185: asText,
    1187: asText,
    1182: asText,
  },
};

/** Per PGlite instance: statement name → its PREPARE, shared by concurrent first callers. */
const prepared = new WeakMap<PGlite | PGliteWorkerClient, Map<string, Promise<void>>>();

/** A value as a SQL literal, or null when it is not a plain scalar (then the query runs unprepared). */
function literal(value: unknown): string | null {
  if (value === null || value === undefined) return "NULL";
  // A NUL byte would end the statement's text early: such a value takes the ordinary path (which refuses it as before).
  if (typeof value === "string") return value.includes("\0") ? null : pg.escapeLiteral(value);
  if (typeof value === "boolean") return value ? "'true'" : "'false'";
  if (typeof value === "number") return Number.isFinite(value) ? `'${value}'` : null;
  if (typeof value === "bigint") return `'${value}'`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : `'${value.toISOString()}'`;
  return null;
}

function isMissingStatement(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "26000";
}

/** Same rows as `queryRows(db, query)`. */
export async function preparedRows<Row>(db: Db, query: SQL): Promise<Row[]> {
  const client = (db as unknown as { $client?: unknown }).$client;
  if (!(client instanceof PGlite || client instanceof PGliteWorkerClient) || db instanceof PgTransaction) {
    return queryRows<Row>(db, query);
  }
  const { sql: text, params } = dialect.sqlToQuery(query);
  const literals: string[] = [];
  for (const param of params) {
    const quoted = literal(param);
    if (quoted === null) return queryRows<Row>(db, query);
    literals.push(quoted);
  }
  const name = `pd_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`;
  const execute = `execute ${name}${literals.length > 0 ? `(${literals.join(", ")})` : ""}`;
  let statements = prepared.get(client);
  if (!statements) {
    statements = new Map();
    prepared.set(client, statements);
  }
  for (let attempt = 0; ; attempt++) {
    let ready = statements.get(name);
    if (!ready) {
      ready = client.exec(`prepare ${name} as ${text}`).then(() => undefined);
      statements.set(name, ready);
      ready.catch(() => statements.delete(name));
    }
    try {
      await ready;
      const result = await client.query<Row>(execute, [], RAW_CONFIG);
      return result.rows;
    } catch (error) {
      // Dropped by someone's DEALLOCATE or DISCARD: prepare it again, once.
      if (attempt === 0 && isMissingStatement(error)) {
        statements.delete(name);
        continue;
      }
      throw error;
    }
  }
}

/** For tests: how many statements this database has prepared through `preparedRows`. */
export async function preparedStatementCount(db: Db): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from pg_prepared_statements where name like 'pd\_%'`,
  );
  return row?.n ?? 0;
}
