/** /admin opens on the spaces tab. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireUserWith } from "~/auth/session.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUserWith(request, context, "admin.view");
  return redirect("/admin/spaces");
}
