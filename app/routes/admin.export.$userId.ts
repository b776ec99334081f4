/** An admin downloads a person's data on their request (the same file they could download themselves); logged. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUserWith } from "~/auth/session.server";
import { accountDataResponse } from "~/models/account-data-download.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const admin = await requireUserWith(request, context, "user.export");
  return accountDataResponse(context.services, { userId: String(params.userId ?? "").slice(0, 200), by: admin.id });
}
