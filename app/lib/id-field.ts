/** The zod field for an id in a form; kept apart from ids.ts so pages that only read an id from their address ship no zod. */
import { z } from "zod";
import { MAX_ID } from "./ids";

/** A form field holding an id (a hidden postId, a chosen space): the range of ids.ts, with `message` for anything else. */
export function idField(message = "That item doesn't exist.") {
  return z.coerce.number({ invalid_type_error: message }).int(message).positive(message).max(MAX_ID, message);
}
