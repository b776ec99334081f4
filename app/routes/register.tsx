/** /register, a common guess for joining: the sign-up page, with any return path kept (signup.tsx checks it). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";

export function loader({ request }: LoaderFunctionArgs) {
  return redirect(`/signup${new URL(request.url).search}`, 301);
}
