/** /login, the address people guess first: the sign-in page, with any return path kept (signin.tsx checks it). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";

export function loader({ request }: LoaderFunctionArgs) {
  return redirect(`/signin${new URL(request.url).search}`, 301);
}
