-- Realtime: every new notification, and every one marked read, is announced on the "peerdesk" channel with the
-- recipient's topic, so each app process can push the new unread count to that person's open pages (SSE).
CREATE OR REPLACE FUNCTION peerdesk_announce_notification() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('peerdesk', json_build_object('topic', 'user:' || NEW.user_id, 'type', 'notifications')::text);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER notifications_announce AFTER INSERT OR UPDATE OF read_at ON notifications
  FOR EACH ROW EXECUTE FUNCTION peerdesk_announce_notification();
