-- Custom SQL migration file, put your code below! --
-- hand-written
-- Page cache: what an importer writes beside a post also shows on the post's page: its source (the original, its
-- author and licence, under every imported question and answer) and the questions it duplicates (under the question).
-- Both were written only by the Stack Exchange importer and announced nothing, so a page stored between the post's
-- write and theirs lacked them for up to a page's lifetime (60 s). Now they announce the post's thread like any row
-- about a post (peerdesk_page_cache_post_rows, migrations 0013 and 0032); an import's batches become "*".
CREATE TRIGGER post_sources_page_cache_insert AFTER INSERT ON post_sources REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('post_id');
--> statement-breakpoint
CREATE TRIGGER post_sources_page_cache_update AFTER UPDATE ON post_sources REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('post_id');
--> statement-breakpoint
CREATE TRIGGER post_sources_page_cache_delete AFTER DELETE ON post_sources REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('post_id');
--> statement-breakpoint
CREATE TRIGGER post_links_page_cache_insert AFTER INSERT ON post_links REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('post_id');
--> statement-breakpoint
CREATE TRIGGER post_links_page_cache_update AFTER UPDATE ON post_links REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('post_id');
--> statement-breakpoint
CREATE TRIGGER post_links_page_cache_delete AFTER DELETE ON post_links REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('post_id');
