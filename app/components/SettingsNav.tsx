/** The links between the settings pages (profile, email, account, picture, sign-in, passkeys, devices, data), each one tap away. */
import { NavLink } from "@remix-run/react";

const PAGES = [
  { to: "/settings/profile", label: "Profile" },
  { to: "/settings/notifications", label: "Email settings" },
  { to: "/settings/account", label: "Password & sign-in email" },
  { to: "/settings/avatar", label: "Profile picture" },
  { to: "/settings/security", label: "Two-step sign-in" },
  { to: "/settings/passkeys", label: "Passkeys" },
  { to: "/settings/devices", label: "Devices" },
  { to: "/settings/data", label: "Your data" },
] as const;

export function SettingsNav() {
  return (
    <nav aria-label="Settings" className="mb-4 flex flex-wrap gap-x-4 gap-y-1 text-sm">
      {PAGES.map((page) => (
        <NavLink
          key={page.to}
          to={page.to}
          className={({ isActive }) =>
            isActive ? "font-semibold text-slate-900 no-underline dark:text-slate-100" : ""
          }
          end
        >
          {page.label}
        </NavLink>
      ))}
    </nav>
  );
}
