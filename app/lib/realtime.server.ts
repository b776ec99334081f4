/**
 * Realtime events between app processes, through PostgreSQL LISTEN/NOTIFY on one channel ("peerdesk"). A message
 * names a topic ("user:<id>", later "session:<id>") and a type; it carries ids, never content, so a receiver reads
 * what changed from the database (and a NOTIFY stays far below its 8,000-byte limit). Sent inside the writing
 * transaction, a message is delivered only if the write commits. Works on PGlite (one process) and PostgreSQL
 * (any number of processes).
 */
import { sql } from "drizzle-orm";
import type { Database, Db } from "#db/client.server";
import { logEvent } from "./log.server";

export const REALTIME_CHANNEL = "peerdesk";

export type RealtimeMessage = { topic: string; type: string; [key: string]: unknown };
type Handler = (message: RealtimeMessage) => void;

export type RealtimeHub = {
  /** Calls `handler` for each message on `topic` from any process; returns the function that stops it. */
  subscribe(topic: string, handler: Handler): Promise<() => Promise<void>>;
  /** How many handlers are subscribed (for the benchmark and health). */
  subscriberCount(): number;
};

/** The topic of a question's page: new answers and comments on it (and on its answers). */
export function questionTopic(questionId: number): string {
  return `question:${questionId}`;
}

/** Announces a message; call with the transaction of the write it is about. */
export async function publish(db: Db, message: RealtimeMessage): Promise<void> {
  await db.execute(sql`select pg_notify(${REALTIME_CHANNEL}, ${JSON.stringify(message)})`);
}

function isMessage(value: unknown): value is RealtimeMessage {
  return Boolean(
    value &&
      typeof value === "object" &&
      typeof (value as { topic?: unknown }).topic === "string" &&
      typeof (value as { type?: unknown }).type === "string",
  );
}

export function createRealtimeHub(database: Pick<Database, "listen">): RealtimeHub {
  const topics = new Map<string, Set<Handler>>();
  let listening: Promise<unknown> | null = null;
  let count = 0;

  const dispatch = (payload: string) => {
    let message: unknown;
    try {
      message = JSON.parse(payload);
    } catch {
      return;
    }
    if (!isMessage(message)) return;
    for (const handler of topics.get(message.topic) ?? []) {
      try {
        handler(message);
      } catch (error) {
        logEvent("error", "realtime handler failed", {
          topic: message.topic,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  };

  return {
    async subscribe(topic, handler) {
      // One LISTEN per process, started by the first subscriber and kept.
      listening ??= database.listen(REALTIME_CHANNEL, dispatch).catch((error: unknown) => {
        listening = null;
        throw error;
      });
      await listening;
      const set = topics.get(topic) ?? new Set<Handler>();
      set.add(handler);
      topics.set(topic, set);
      count += 1;
      return async () => {
        if (!set.delete(handler)) return;
        count -= 1;
        if (set.size === 0) topics.delete(topic);
      };
    },
    subscriberCount: () => count,
  };
}
