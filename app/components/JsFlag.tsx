/** A hidden `js=1` field once React has hydrated, so an action can answer a fetcher with data and a plain form post with a redirect. */
import { useIsHydrated } from "~/lib/hydrated";

export function JsFlag() {
  return useIsHydrated() ? <input type="hidden" name="js" value="1" /> : null;
}
