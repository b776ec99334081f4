-- Custom SQL migration file, put your code below! --
-- hand-written
-- Page cache: closing a question (and reopening it) changes what lists and search results show: a question closed as a
-- duplicate leaves search at once (documents.server.ts NOT_CLOSED_DUPLICATE), and lists show a question as closed. Its
-- triggers (migration 0021) announced only the thread and "lists", so stored search pages kept the closed duplicate
-- until they expired. They now announce "list-rows" too (with the question's space, peerdesk_page_cache_post_rows,
-- migration 0032). Closing is rare: dropping the list pages each time costs nothing noticeable.
DROP TRIGGER question_closures_page_cache_insert ON question_closures;
--> statement-breakpoint
DROP TRIGGER question_closures_page_cache_update ON question_closures;
--> statement-breakpoint
DROP TRIGGER question_closures_page_cache_delete ON question_closures;
--> statement-breakpoint
CREATE TRIGGER question_closures_page_cache_insert AFTER INSERT ON question_closures REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('question_id', 'list-rows');
--> statement-breakpoint
CREATE TRIGGER question_closures_page_cache_update AFTER UPDATE ON question_closures REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('question_id', 'list-rows');
--> statement-breakpoint
CREATE TRIGGER question_closures_page_cache_delete AFTER DELETE ON question_closures REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('question_id', 'list-rows');
