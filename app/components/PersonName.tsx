/**
 * A person's display name as they wrote it, linked to their profile when they have one. It takes its own direction
 * (`dir="auto"`), so an Arabic or Hebrew name reads right, and isolated, inside the site's English sentence around it.
 */
import { Link } from "@remix-run/react";

export function PersonName({ name, handle }: { name: string; handle: string | null }) {
  return handle ? (
    <Link to={`/u/${handle}`} dir="auto">
      {name}
    </Link>
  ) : (
    <span dir="auto">{name}</span>
  );
}
