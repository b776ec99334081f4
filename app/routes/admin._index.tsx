/** /admin opens on the spaces tab; anyone else gets the admin frame's "Not allowed" page. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireUserWith } from "~/auth/session.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUserWith(request, context, "admin.view");
  return redirect("/admin/spaces");
}

/**
 * Never shown (the loader always redirects or throws), but it makes this a page route: without a component Remix sends
 * a refusal thrown here as bare text instead of the admin frame's error page.
 */
export default function AdminIndex() {
  return null;
}
