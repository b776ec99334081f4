-- hand-written
-- The embedded search engine now also indexes accented words in ASCII ("café" as "cafe") and Chinese and Japanese as
-- their dictionary words (app/search/international-words.ts). Documents indexed before lack them: emptying its two
-- tables makes the next start rebuild them from the posts (needsReindex in app/search/engine.server.ts), with progress.
-- The search outbox and a Meilisearch index are left as they are.
DELETE FROM "search_documents";
--> statement-breakpoint
DELETE FROM "search_terms";
