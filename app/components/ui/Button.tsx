/** The one button style family: primary for the main action of a page, secondary and danger otherwise. */
import type { ButtonHTMLAttributes } from "react";

const variants = {
  primary: "bg-brand-600 text-white hover:bg-brand-700 disabled:bg-slate-400",
  secondary:
    "border border-slate-300 bg-white text-slate-900 hover:bg-slate-50 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800",
  danger: "bg-red-700 text-white hover:bg-red-800",
} as const;

const shape =
  "inline-flex min-h-11 items-center justify-center gap-2 rounded-lg px-4 py-2 text-sm font-semibold no-underline";

export type ButtonVariant = keyof typeof variants;

/**
 * A button's classes, for a link that does a button's job too ("Ask in this space", "Download my data"), so the two
 * can't drift apart. `no-underline` takes away the underline every link has.
 */
export function buttonClass(variant: ButtonVariant = "primary", className = ""): string {
  return `${shape} ${variants[variant]} ${className}`;
}

export function Button({
  variant = "primary",
  className = "",
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant }) {
  return <button {...props} className={buttonClass(variant, className)} />;
}
