/**
 * A wide table in its own horizontal scroll region that shows it scrolls: a labelled, focusable region (so keyboard
 * users can scroll it), a fade on the side with more columns, and a visible "Scroll sideways" hint on narrow screens.
 * The fade is pure CSS (scroll-driven shadows), so it works without JavaScript.
 */
import type { ReactNode } from "react";

export function ScrollTable({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="space-y-1">
      <p className="text-xs text-slate-600 sm:hidden dark:text-slate-400" aria-hidden="true">
        Scroll sideways for more columns →
      </p>
      <section
        aria-label={label}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scroll region must be focusable to be scrolled by keyboard
        tabIndex={0}
        className="scroll-fade overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800"
      >
        {children}
      </section>
    </div>
  );
}
