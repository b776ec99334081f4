/** Turns the errors a write raises for something a person did (a broken rule, too many writes) into the form's answer. */
import { data } from "@remix-run/node";
import { PostingError } from "~/models/post-errors.server";
import { RateLimitedError } from "~/models/rate-limits.server";
import { tooManyRequests } from "./route-headers.server";

export type WriteFailure = {
  message: string;
  /** One message per form field ("form" for the whole form); none for a rate limit (pages show its message alone). */
  fieldErrors: Record<string, string> | undefined;
  /** Routes that keep the typed text say so after a rate-limit message. */
  isRateLimited: boolean;
  /** The status (and Retry-After for a rate limit) the response carries. */
  init: ResponseInit;
};

/** The failure a person caused, or null for anything else (a bug or an outage: the caller rethrows it). */
export function toWriteFailure(error: unknown): WriteFailure | null {
  if (error instanceof PostingError)
    return {
      message: error.message,
      fieldErrors: error.fieldErrors,
      isRateLimited: false,
      init: { status: error.status },
    };
  if (error instanceof RateLimitedError)
    return {
      message: error.message,
      fieldErrors: undefined,
      isRateLimited: true,
      init: tooManyRequests(error.retryAfterSeconds),
    };
  return null;
}

/**
 * The action's answer to a failed write: the body the route builds from the failure (with what was typed, so nothing
 * is lost), and its status. Rethrows anything that is not a PostingError or RateLimitedError.
 */
export function writeFailureResponse<Body>(error: unknown, body: (failure: WriteFailure) => Body) {
  const failure = toWriteFailure(error);
  if (!failure) throw error;
  return data<Body>(body(failure), failure.init);
}
