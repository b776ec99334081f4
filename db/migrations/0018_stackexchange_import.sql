CREATE TABLE "import_ids" (
	"source" text NOT NULL,
	"entity" text NOT NULL,
	"external_id" text NOT NULL,
	"local_id" text NOT NULL,
	CONSTRAINT "import_ids_source_entity_external_id_pk" PRIMARY KEY("source","entity","external_id")
);
--> statement-breakpoint
CREATE TABLE "post_links" (
	"post_id" integer NOT NULL,
	"related_post_id" integer NOT NULL,
	"kind" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "post_links_post_id_related_post_id_kind_pk" PRIMARY KEY("post_id","related_post_id","kind")
);
--> statement-breakpoint
CREATE TABLE "post_sources" (
	"post_id" integer PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"author_name" text NOT NULL,
	"author_url" text,
	"license" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "post_links" ADD CONSTRAINT "post_links_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "post_links" ADD CONSTRAINT "post_links_related_post_id_posts_id_fk" FOREIGN KEY ("related_post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "post_sources" ADD CONSTRAINT "post_sources_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "post_links_related_idx" ON "post_links" USING btree ("related_post_id");--> statement-breakpoint
-- hand-written
-- The embedded search index now also holds hyphenated words joined ("Wi-Fi" as "wifi"): send every indexed post
-- through the search outbox once so the drain rewrites its document (Meilisearch documents gain their threadId too).
INSERT INTO "search_outbox" ("post_id", "op") SELECT "post_id", 'upsert' FROM "search_documents";
