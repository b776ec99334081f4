/**
 * One submission at a time for a Remix form: a second click or Enter while the first submission is still on its way
 * is dropped in the browser (the button's `disabled` comes one render too late for a double click). The server's
 * idempotency key still guards forms sent twice without JavaScript or by a retrying network.
 */
import { useNavigation } from "@remix-run/react";
import { type FormEvent, useCallback, useEffect, useRef } from "react";

export function useSingleSubmit(): { isSubmitting: boolean; onSubmit: (event: FormEvent<HTMLFormElement>) => void } {
  const navigation = useNavigation();
  const inFlight = useRef(false);
  const isSubmitting = navigation.state !== "idle" && navigation.formMethod === "POST";
  // Free the form again once the submission has ended (a refused form comes back to be corrected and sent again).
  useEffect(() => {
    if (navigation.state === "idle") inFlight.current = false;
  }, [navigation.state]);
  const onSubmit = useCallback((event: FormEvent<HTMLFormElement>) => {
    if (inFlight.current) event.preventDefault();
    else inFlight.current = true;
  }, []);
  return { isSubmitting, onSubmit };
}
