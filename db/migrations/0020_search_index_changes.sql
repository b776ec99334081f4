CREATE TABLE "search_index_changes" (
	"id" serial PRIMARY KEY NOT NULL,
	"post_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "search_index_changes_created_idx" ON "search_index_changes" USING btree ("created_at");