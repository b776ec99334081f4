CREATE TABLE "imported_pictures" (
	"source_url" text PRIMARY KEY NOT NULL,
	"hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "imported_pictures" ADD CONSTRAINT "imported_pictures_hash_post_images_hash_fk" FOREIGN KEY ("hash") REFERENCES "public"."post_images"("hash") ON DELETE cascade ON UPDATE no action;