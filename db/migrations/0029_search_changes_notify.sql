-- hand-written
-- Every app process keeps its own in-memory search ranking index and replays search_index_changes
-- (app/search/indexed.server.ts). This wakes them when a transaction logs changes, so another process's write is
-- searchable as soon as it commits instead of at the next poll. One notification per statement; the log stays the
-- source of truth (a process that missed a notification still reads the log on its next search).
CREATE OR REPLACE FUNCTION peerdesk_search_changes_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('peerdesk_search_changes', '');
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER search_index_changes_notify AFTER INSERT ON search_index_changes
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_search_changes_notify();
