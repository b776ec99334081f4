/** The error page's answer when what someone wrote can't land (its page went, or they were signed out): their text to copy. */
import { data } from "@remix-run/node";

/**
 * The error page's answer (404) when what someone wrote cannot land because its post was deleted meanwhile: `message`
 * says what happened, and `kept` is what they typed, shown read-only to copy (see ErrorPage). `back` is a page still
 * there to return to (the question, when only an answer went), offered beside the home page.
 */
export function goneWhileWriting(message: string, kept: string, back?: { path: string; label: string }) {
  return data(
    { message: `${message} What you typed is below, to copy.`, kept, ...(back ? { back } : {}) },
    { status: 404 },
  );
}
