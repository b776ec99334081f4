/** Signs out (POST only, so a link or image elsewhere cannot sign anyone out). */
import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { authCookies, callAuthEndpoint } from "~/auth/session.server";

export async function action({ request, context }: ActionFunctionArgs) {
  const response = await callAuthEndpoint(request, context, "/sign-out", {});
  return redirect("/", { headers: authCookies(response) });
}

export async function loader() {
  return redirect("/");
}
