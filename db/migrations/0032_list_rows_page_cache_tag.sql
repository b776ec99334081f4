-- Custom SQL migration file, put your code below! --
-- hand-written
-- Page cache: a narrower tag, "list-rows", for what question and how-to lists show (app/lib/page-cache-policy.server.ts).
-- "lists" is still announced by every write, as before (profiles, the pulse and other activity numbers depend on it);
-- "list-rows" only by writes that change a list's rows: a post added or removed, a change to a question or how-to row
-- (title, score, answer count, accepted answer, last activity, deletion, space), an answer deleted, restored or moved,
-- a post's tags, how-to feedback, a tag. An answer's own score or body, a comment (the question's comment count is no
-- list's business), a thanks or a rating change no list row (what a list shows of answers is kept on the question's row,
-- which its own update announces), so the home page, /questions, spaces, /howtos and search stay cached through them.
-- "space:<id>" is announced with "list-rows" for the spaces of the threads concerned (both spaces when a question
-- moves): a space's page shows only its own questions and how-tos, so an answer in one space leaves the others stored.
CREATE OR REPLACE FUNCTION peerdesk_page_cache_posts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  threads text[];
  spaces text[];
  list_rows boolean := true;
  unlisted text[] := ARRAY['comment_count', 'revision_count', 'render_version', 'body_html', 'prerequisites_html',
    'updated_at', 'accepted_at', 'deleted_by'];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT 'post:' || coalesce(parent_id, id)), array_agg(DISTINCT 'space:' || space_id)
      INTO threads, spaces FROM new_rows;
  ELSIF TG_OP = 'UPDATE' THEN
    SELECT array_agg(DISTINCT t), array_agg(DISTINCT s) INTO threads, spaces FROM (
      SELECT 'post:' || coalesce(parent_id, id) AS t, 'space:' || space_id AS s FROM new_rows
      UNION SELECT 'post:' || coalesce(parent_id, id), 'space:' || space_id FROM old_rows
    ) changed;
    -- An answer's row changes a list only by moving, going or coming back; a question's or how-to's by anything but
    -- the bookkeeping no list shows (its comment count, revision count, re-rendered HTML, timestamps of edits).
    SELECT EXISTS (
      SELECT 1 FROM new_rows n FULL JOIN old_rows o ON o.id = n.id
      WHERE n.id IS NULL OR o.id IS NULL
        OR n.parent_id IS DISTINCT FROM o.parent_id OR n.deleted_at IS DISTINCT FROM o.deleted_at
        OR n.kind IS DISTINCT FROM o.kind
        OR (n.parent_id IS NULL AND (to_jsonb(n) - unlisted) IS DISTINCT FROM (to_jsonb(o) - unlisted))
    ) INTO list_rows;
  ELSE
    SELECT array_agg(DISTINCT 'post:' || coalesce(parent_id, id)), array_agg(DISTINCT 'space:' || space_id)
      INTO threads, spaces FROM old_rows;
  END IF;
  PERFORM peerdesk_page_cache_announce(
    coalesce(threads, '{}'::text[]) || ARRAY['lists']
      || CASE WHEN list_rows THEN ARRAY['list-rows'] || array_remove(coalesce(spaces, '{}'::text[]), NULL) ELSE '{}'::text[] END
  );
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Rows about a post (TG_ARGV[0] names the column holding the post's id): the post's thread and "lists", and any further
-- tags given after the column (TG_ARGV[1..]); with "list-rows" among them, the threads' spaces too.
CREATE OR REPLACE FUNCTION peerdesk_page_cache_post_rows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids integer[];
  threads text[];
  spaces text[] := '{}'::text[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE format('SELECT array_agg(DISTINCT %I) FROM new_rows', TG_ARGV[0]) INTO ids;
  ELSIF TG_OP = 'UPDATE' THEN
    EXECUTE format('SELECT array_agg(DISTINCT id) FROM (SELECT %1$I AS id FROM new_rows UNION SELECT %1$I FROM old_rows) changed', TG_ARGV[0]) INTO ids;
  ELSE
    EXECUTE format('SELECT array_agg(DISTINCT %I) FROM old_rows', TG_ARGV[0]) INTO ids;
  END IF;
  -- A bulk write (an import, a seed) drops everything rather than looking up thousands of threads.
  IF cardinality(ids) > 100 THEN
    PERFORM peerdesk_page_cache_announce(ARRAY['*']);
    RETURN NULL;
  END IF;
  SELECT array_agg(DISTINCT 'post:' || coalesce(p.parent_id, p.id)) INTO threads FROM posts p WHERE p.id = ANY(ids);
  IF 'list-rows' = ANY(TG_ARGV[1:]) THEN
    SELECT coalesce(array_agg(DISTINCT 'space:' || q.space_id), '{}'::text[]) INTO spaces
      FROM posts p JOIN posts q ON q.id = coalesce(p.parent_id, p.id) WHERE p.id = ANY(ids);
  END IF;
  PERFORM peerdesk_page_cache_announce(coalesce(threads, '{}'::text[]) || ARRAY['lists'] || TG_ARGV[1:]::text[] || spaces);
  RETURN NULL;
END
$$;
--> statement-breakpoint
DROP TRIGGER post_tags_page_cache_insert ON post_tags;
--> statement-breakpoint
DROP TRIGGER post_tags_page_cache_update ON post_tags;
--> statement-breakpoint
DROP TRIGGER post_tags_page_cache_delete ON post_tags;
--> statement-breakpoint
CREATE TRIGGER post_tags_page_cache_insert AFTER INSERT ON post_tags REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('post_id', 'list-rows');
--> statement-breakpoint
CREATE TRIGGER post_tags_page_cache_update AFTER UPDATE ON post_tags REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('post_id', 'list-rows');
--> statement-breakpoint
CREATE TRIGGER post_tags_page_cache_delete AFTER DELETE ON post_tags REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('post_id', 'list-rows');
--> statement-breakpoint
DROP TRIGGER howto_feedback_page_cache_insert ON howto_feedback;
--> statement-breakpoint
DROP TRIGGER howto_feedback_page_cache_update ON howto_feedback;
--> statement-breakpoint
DROP TRIGGER howto_feedback_page_cache_delete ON howto_feedback;
--> statement-breakpoint
CREATE TRIGGER howto_feedback_page_cache_insert AFTER INSERT ON howto_feedback REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('post_id', 'list-rows');
--> statement-breakpoint
CREATE TRIGGER howto_feedback_page_cache_update AFTER UPDATE ON howto_feedback REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('post_id', 'list-rows');
--> statement-breakpoint
CREATE TRIGGER howto_feedback_page_cache_delete AFTER DELETE ON howto_feedback REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('post_id', 'list-rows');
--> statement-breakpoint
DROP TRIGGER tags_page_cache ON tags;
--> statement-breakpoint
CREATE TRIGGER tags_page_cache AFTER INSERT OR UPDATE OR DELETE ON tags FOR EACH ROW EXECUTE FUNCTION peerdesk_page_cache_fixed('lists', 'list-rows');
