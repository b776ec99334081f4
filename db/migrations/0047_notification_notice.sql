ALTER TABLE "notifications" ADD COLUMN "notice_id" integer;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_notice_id_moderation_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."moderation_notices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Older moderation notifications: sendNotice wrote one notice and one notification each time, in the same order, so a
-- person's n-th newest of each belong together.
UPDATE "notifications" n SET "notice_id" = paired.notice_id
FROM (
  SELECT nn.id AS notification_id, m.id AS notice_id
  FROM (SELECT id, user_id, row_number() OVER (PARTITION BY user_id ORDER BY id DESC) AS k
        FROM "notifications" WHERE kind = 'moderation') nn
  JOIN (SELECT id, user_id, row_number() OVER (PARTITION BY user_id ORDER BY id DESC) AS k
        FROM "moderation_notices") m ON m.user_id = nn.user_id AND m.k = nn.k
) paired
WHERE n.id = paired.notification_id;
