/** Downloads the signed-in person's data as a zip: the JSON file (see me.data[.json]) and their images. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { asActor, requireUser } from "~/auth/session.server";
import { accountDataResponse } from "~/models/account-data-download.server";
import { requirePermission } from "~/models/permissions.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  requirePermission(asActor(user), "account.manageOwn");
  return accountDataResponse(context.services, { userId: user.id, by: user.id, format: "zip" });
}
