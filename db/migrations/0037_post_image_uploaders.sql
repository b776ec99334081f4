CREATE TABLE "post_image_uploaders" (
	"hash" text NOT NULL,
	"user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "post_image_uploaders_hash_user_id_pk" PRIMARY KEY("hash","user_id")
);
--> statement-breakpoint
ALTER TABLE "post_images" DROP CONSTRAINT "post_images_uploader_id_users_id_fk";
--> statement-breakpoint
DROP INDEX "post_images_uploader_idx";--> statement-breakpoint
ALTER TABLE "post_image_uploaders" ADD CONSTRAINT "post_image_uploaders_hash_post_images_hash_fk" FOREIGN KEY ("hash") REFERENCES "public"."post_images"("hash") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "post_image_uploaders" ADD CONSTRAINT "post_image_uploaders_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "post_image_uploaders_user_idx" ON "post_image_uploaders" USING btree ("user_id","created_at");--> statement-breakpoint
-- hand-written
-- Every picture's uploader so far (only the first was kept) becomes its first row here, as uploaded when it was stored.
INSERT INTO "post_image_uploaders" ("hash", "user_id", "created_at")
SELECT "hash", "uploader_id", "created_at" FROM "post_images" WHERE "uploader_id" IS NOT NULL;
--> statement-breakpoint
ALTER TABLE "post_images" DROP COLUMN "uploader_id";