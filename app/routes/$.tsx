/**
 * Every address no other page has: its 404. An address no route matches gets no loader run at all, not even the
 * root's, so the error page showed a signed-in person the signed-out header; matched here, the root loader runs as on
 * any page (no query for signed-out readers: getViewer skips them) and the root's error page shows the 404.
 */
import { data } from "@remix-run/node";

export function loader(): never {
  throw new Response(null, { status: 404 });
}

/**
 * A form sent to an address that doesn't exist is a 404 too, not "this page can't take a form". Answered, not thrown:
 * after a thrown action Remix runs no loader above the error page, and the header would lose the person again.
 */
export function action() {
  return data(null, { status: 404 });
}

/** Never rendered (the loader always throws); a page rather than a resource route, so the 404 is the site's page. */
export default function NotFound() {
  return null;
}
