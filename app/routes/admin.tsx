/** The admin area's frame: admins only (403 for everyone else), with tabs for spaces, people, mail, joining, sign-in rules, backups and the moderation log. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import { requireUserWith } from "~/auth/session.server";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { cx } from "~/lib/cx";

export const meta: MetaFunction = ({ error }) =>
  error ? errorMeta(error) : [{ title: "Admin · PeerDesk" }, { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUserWith(request, context, "admin.view");
  return null;
}

const tabClass = ({ isActive }: { isActive: boolean }) =>
  cx(
    "rounded-md px-3 py-2 text-sm font-medium no-underline",
    isActive
      ? "bg-brand-600 text-white hover:no-underline"
      : "text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800",
  );

export default function AdminLayout() {
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">Admin</h1>
        <nav aria-label="Admin" className="mt-3 flex flex-wrap gap-2">
          <NavLink to="/admin/spaces" className={tabClass}>
            Spaces
          </NavLink>
          <NavLink to="/admin/users" className={tabClass}>
            People
          </NavLink>
          <NavLink to="/admin/mail" className={tabClass}>
            Mail
          </NavLink>
          <NavLink to="/admin/signup" className={tabClass}>
            Joining
          </NavLink>
          <NavLink to="/admin/security" className={tabClass}>
            Sign-in rules
          </NavLink>
          <NavLink to="/admin/backups" className={tabClass}>
            Backups
          </NavLink>
          <NavLink to="/moderation" className={tabClass}>
            Moderation log
          </NavLink>
        </nav>
      </div>
      <Outlet />
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
