/** The zod field for an id in a form; kept apart from ids.ts so pages that only read an id from their address ship no zod. */
import { z } from "zod";
import { MAX_ID } from "./ids";

/**
 * A form field holding an id (a hidden postId, a chosen space): digits only (not "0x10", "1e1" or "1.0", which a
 * plain number conversion would take), in the range of ids.ts, with `message` for anything else. A number (from
 * JSON) is taken as it is.
 */
export function idField(message = "That item doesn't exist.") {
  return z.preprocess(
    (value) => (typeof value === "string" && /^\s*\d{1,12}\s*$/.test(value) ? Number(value) : value),
    z
      .number({ invalid_type_error: message, required_error: message })
      .int(message)
      .positive(message)
      .max(MAX_ID, message),
  );
}
