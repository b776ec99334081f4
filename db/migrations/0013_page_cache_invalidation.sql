-- Custom SQL migration file, put your code below! --
-- hand-written
-- Page cache invalidation (app/lib/page-cache-policy.server.ts names the tags). Every write that changes what a public
-- page shows announces the tags of the pages it touches on the "peerdesk_page_cache" channel, from the writing
-- transaction, so every app process drops those pages when (and only if) the write commits. Posts and the tables hanging
-- off them use statement-level triggers (one NOTIFY per statement, however many rows; PostgreSQL also folds identical
-- NOTIFYs in one transaction); more than 100 threads at once become "*" (everything).
CREATE OR REPLACE FUNCTION peerdesk_page_cache_announce(tags text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF tags IS NULL OR cardinality(tags) = 0 THEN
    RETURN;
  END IF;
  IF cardinality(tags) > 100 THEN
    tags := ARRAY['*'];
  END IF;
  PERFORM pg_notify('peerdesk_page_cache', json_build_object('tags', tags)::text);
END
$$;
--> statement-breakpoint
-- A post's page is its thread's (an answer belongs to its question); every list shows posts.
CREATE OR REPLACE FUNCTION peerdesk_page_cache_posts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  threads text[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT 'post:' || coalesce(parent_id, id)) INTO threads FROM new_rows;
  ELSIF TG_OP = 'UPDATE' THEN
    SELECT array_agg(DISTINCT t) INTO threads FROM (
      SELECT 'post:' || coalesce(parent_id, id) AS t FROM new_rows UNION SELECT 'post:' || coalesce(parent_id, id) FROM old_rows
    ) changed;
  ELSE
    SELECT array_agg(DISTINCT 'post:' || coalesce(parent_id, id)) INTO threads FROM old_rows;
  END IF;
  PERFORM peerdesk_page_cache_announce(coalesce(threads, '{}'::text[]) || ARRAY['lists']);
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Rows about a post (TG_ARGV[0] names the column holding the post's id): the post's thread, and every list.
CREATE OR REPLACE FUNCTION peerdesk_page_cache_post_rows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids integer[];
  threads text[];
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
  PERFORM peerdesk_page_cache_announce(coalesce(threads, '{}'::text[]) || ARRAY['lists']);
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Fixed tags (TG_ARGV) for row-level triggers on small tables: spaces and people ("*", shown on every page), tags, sessions.
CREATE OR REPLACE FUNCTION peerdesk_page_cache_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM peerdesk_page_cache_announce(TG_ARGV::text[]);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER posts_page_cache_insert AFTER INSERT ON posts REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_posts();
--> statement-breakpoint
CREATE TRIGGER posts_page_cache_update AFTER UPDATE ON posts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_posts();
--> statement-breakpoint
CREATE TRIGGER posts_page_cache_delete AFTER DELETE ON posts REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_posts();
--> statement-breakpoint
CREATE TRIGGER comments_page_cache_insert AFTER INSERT ON comments REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('post_id');
--> statement-breakpoint
CREATE TRIGGER comments_page_cache_update AFTER UPDATE ON comments REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('post_id');
--> statement-breakpoint
CREATE TRIGGER comments_page_cache_delete AFTER DELETE ON comments REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('post_id');
--> statement-breakpoint
CREATE TRIGGER votes_page_cache_insert AFTER INSERT ON votes REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('post_id');
--> statement-breakpoint
CREATE TRIGGER votes_page_cache_update AFTER UPDATE ON votes REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('post_id');
--> statement-breakpoint
CREATE TRIGGER votes_page_cache_delete AFTER DELETE ON votes REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('post_id');
--> statement-breakpoint
CREATE TRIGGER post_tags_page_cache_insert AFTER INSERT ON post_tags REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('post_id');
--> statement-breakpoint
CREATE TRIGGER post_tags_page_cache_update AFTER UPDATE ON post_tags REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('post_id');
--> statement-breakpoint
CREATE TRIGGER post_tags_page_cache_delete AFTER DELETE ON post_tags REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('post_id');
--> statement-breakpoint
CREATE TRIGGER revisions_page_cache_insert AFTER INSERT ON revisions REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('post_id');
--> statement-breakpoint
CREATE TRIGGER revisions_page_cache_update AFTER UPDATE ON revisions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('post_id');
--> statement-breakpoint
CREATE TRIGGER revisions_page_cache_delete AFTER DELETE ON revisions REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('post_id');
--> statement-breakpoint
CREATE TRIGGER howto_feedback_page_cache_insert AFTER INSERT ON howto_feedback REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('post_id');
--> statement-breakpoint
CREATE TRIGGER howto_feedback_page_cache_update AFTER UPDATE ON howto_feedback REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('post_id');
--> statement-breakpoint
CREATE TRIGGER howto_feedback_page_cache_delete AFTER DELETE ON howto_feedback REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('post_id');
--> statement-breakpoint
CREATE TRIGGER edit_suggestions_page_cache_insert AFTER INSERT ON edit_suggestions REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('post_id');
--> statement-breakpoint
CREATE TRIGGER edit_suggestions_page_cache_update AFTER UPDATE ON edit_suggestions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('post_id');
--> statement-breakpoint
CREATE TRIGGER edit_suggestions_page_cache_delete AFTER DELETE ON edit_suggestions REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('post_id');
--> statement-breakpoint
CREATE TRIGGER answer_thanks_page_cache_insert AFTER INSERT ON answer_thanks REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('answer_id');
--> statement-breakpoint
CREATE TRIGGER answer_thanks_page_cache_update AFTER UPDATE ON answer_thanks REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('answer_id');
--> statement-breakpoint
CREATE TRIGGER answer_thanks_page_cache_delete AFTER DELETE ON answer_thanks REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('answer_id');
--> statement-breakpoint
CREATE TRIGGER help_ratings_page_cache_insert AFTER INSERT ON help_ratings REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('question_id');
--> statement-breakpoint
CREATE TRIGGER help_ratings_page_cache_update AFTER UPDATE ON help_ratings REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('question_id');
--> statement-breakpoint
CREATE TRIGGER help_ratings_page_cache_delete AFTER DELETE ON help_ratings REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('question_id');
--> statement-breakpoint
CREATE TRIGGER mentor_invitations_page_cache_insert AFTER INSERT ON mentor_invitations REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('question_id');
--> statement-breakpoint
CREATE TRIGGER mentor_invitations_page_cache_update AFTER UPDATE ON mentor_invitations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('question_id');
--> statement-breakpoint
CREATE TRIGGER mentor_invitations_page_cache_delete AFTER DELETE ON mentor_invitations REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('question_id');
--> statement-breakpoint
-- A person's name, handle or profile shows on every page they wrote on (sign-ins and other columns don't count).
CREATE TRIGGER users_page_cache_update AFTER UPDATE ON users FOR EACH ROW
  WHEN (old.name IS DISTINCT FROM new.name OR old.handle IS DISTINCT FROM new.handle OR old.image IS DISTINCT FROM new.image
    OR old.bio IS DISTINCT FROM new.bio OR old.audience IS DISTINCT FROM new.audience OR old.role IS DISTINCT FROM new.role
    OR old.banned IS DISTINCT FROM new.banned OR old.open_to_mentoring IS DISTINCT FROM new.open_to_mentoring
    OR old.mentor_pitch IS DISTINCT FROM new.mentor_pitch OR old.languages IS DISTINCT FROM new.languages)
  EXECUTE FUNCTION peerdesk_page_cache_fixed('*');
--> statement-breakpoint
CREATE TRIGGER users_page_cache_delete AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION peerdesk_page_cache_fixed('*');
--> statement-breakpoint
CREATE TRIGGER spaces_page_cache AFTER INSERT OR UPDATE OR DELETE ON spaces FOR EACH ROW EXECUTE FUNCTION peerdesk_page_cache_fixed('*');
--> statement-breakpoint
CREATE TRIGGER tags_page_cache AFTER INSERT OR UPDATE OR DELETE ON tags FOR EACH ROW EXECUTE FUNCTION peerdesk_page_cache_fixed('lists');
--> statement-breakpoint
CREATE TRIGGER user_expertise_page_cache AFTER INSERT OR UPDATE OR DELETE ON user_expertise FOR EACH ROW EXECUTE FUNCTION peerdesk_page_cache_fixed('people');
--> statement-breakpoint
CREATE TRIGGER qa_sessions_page_cache AFTER INSERT OR UPDATE OR DELETE ON qa_sessions FOR EACH ROW EXECUTE FUNCTION peerdesk_page_cache_fixed('sessions');
--> statement-breakpoint
CREATE TRIGGER session_questions_page_cache AFTER INSERT OR UPDATE OR DELETE ON session_questions FOR EACH ROW EXECUTE FUNCTION peerdesk_page_cache_fixed('sessions');
--> statement-breakpoint
CREATE TRIGGER session_question_votes_page_cache AFTER INSERT OR UPDATE OR DELETE ON session_question_votes FOR EACH ROW EXECUTE FUNCTION peerdesk_page_cache_fixed('sessions');
