import { useEffect, useState } from "react";

/** False on the server and in the first client render, true once React has hydrated: for controls that only work with JavaScript. */
export function useIsHydrated(): boolean {
  const [isHydrated, setIsHydrated] = useState(false);
  useEffect(() => setIsHydrated(true), []);
  return isHydrated;
}
