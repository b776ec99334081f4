CREATE TABLE "post_images" (
	"id" serial PRIMARY KEY NOT NULL,
	"hash" text NOT NULL,
	"uploader_id" text,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"bytes" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "post_images_hash_unique" UNIQUE("hash")
);
--> statement-breakpoint
ALTER TABLE "post_images" ADD CONSTRAINT "post_images_uploader_id_users_id_fk" FOREIGN KEY ("uploader_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "post_images_uploader_idx" ON "post_images" USING btree ("uploader_id","created_at");