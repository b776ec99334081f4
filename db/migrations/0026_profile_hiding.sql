CREATE TABLE "hidden_profiles" (
	"user_id" text PRIMARY KEY NOT NULL,
	"hidden_by" text,
	"reason" text NOT NULL,
	"bio" text DEFAULT '' NOT NULL,
	"image" text,
	"mentor_pitch" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "hidden_profiles" ADD CONSTRAINT "hidden_profiles_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hidden_profiles" ADD CONSTRAINT "hidden_profiles_hidden_by_users_id_fk" FOREIGN KEY ("hidden_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- hand-written
-- A hidden profile stays hidden whoever writes to users meanwhile (the person's profile form, a new picture): their
-- values go to hidden_profiles and users keeps the blanks every page reads. Blank values never overwrite kept ones.
CREATE OR REPLACE FUNCTION peerdesk_keep_profile_hidden() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM hidden_profiles WHERE user_id = NEW.id) THEN
    UPDATE hidden_profiles SET
      bio = CASE WHEN NEW.bio <> '' THEN NEW.bio ELSE bio END,
      image = coalesce(NEW.image, image),
      mentor_pitch = CASE WHEN NEW.mentor_pitch <> '' THEN NEW.mentor_pitch ELSE mentor_pitch END
    WHERE user_id = NEW.id;
    NEW.bio := '';
    NEW.image := NULL;
    NEW.mentor_pitch := '';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER users_keep_profile_hidden BEFORE UPDATE ON users
  FOR EACH ROW EXECUTE FUNCTION peerdesk_keep_profile_hidden();
--> statement-breakpoint
-- Trust levels count flags upheld (the flagger's) and posts taken down on flags (the author's): deciding a flag drops
-- both people's stored level (user_trust), recomputed on the next read.
CREATE OR REPLACE FUNCTION peerdesk_trust_forget_flag() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM user_trust WHERE user_id IN (NEW.flagger_id, NEW.target_author_id);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER flags_trust_forget AFTER UPDATE OF status ON flags
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION peerdesk_trust_forget_flag();
--> statement-breakpoint
-- The trust settings show on /help/trust-levels (how long an account is new) and shape what every page holds.
CREATE TRIGGER trust_settings_page_cache AFTER INSERT OR UPDATE OR DELETE ON trust_settings
  FOR EACH ROW EXECUTE FUNCTION peerdesk_page_cache_fixed('*');
--> statement-breakpoint
-- Hiding or showing a profile changes the profile page and every byline with its picture.
CREATE TRIGGER hidden_profiles_page_cache AFTER INSERT OR DELETE ON hidden_profiles
  FOR EACH ROW EXECUTE FUNCTION peerdesk_page_cache_fixed('*');
