/** A reminder on every page for staff whose role must use two-step sign-in and who have not turned it on yet. */
import { Link, useLocation, useRouteLoaderData } from "@remix-run/react";

type RootData = { needsTwoFactor?: boolean };

export function TwoFactorReminder() {
  const data = useRouteLoaderData<RootData>("root");
  const { pathname } = useLocation();
  if (!data?.needsTwoFactor || pathname === "/settings/security") return null;
  return (
    <p className="mb-4 rounded-lg border border-amber-400 bg-amber-50 px-3 py-2 text-amber-950 dark:bg-amber-950 dark:text-amber-50">
      Your role needs two-step sign-in before you can use its tools.{" "}
      <Link to="/settings/security?required=1">Turn it on now</Link>
    </p>
  );
}
