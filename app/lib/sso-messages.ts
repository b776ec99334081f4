/** What the sign-in page says when single sign-on comes back with an error code (never the provider's own text). */

/**
 * The window of single sign-on's limit per network address (auth.server.ts): a refused start waits at most this long,
 * so its message can promise it.
 */
export const SSO_LIMIT_WINDOW_SECONDS = 60;

const EXPIRED =
  "We couldn't complete single sign-on because the sign-in link had expired or was already used (or sign-in was started in another browser). Please try again.";
const PROVIDER_SETUP =
  "We couldn't confirm who you are with your sign-in provider, so you weren't signed in. Please try again; if it keeps happening, ask your IT team to check PeerDesk's single sign-on settings.";
const ASK_AT_PROVIDER =
  "Your sign-in provider needs you to finish signing in there first (or to agree to share your details with PeerDesk). Please try again and complete the steps it shows.";
const OUR_SIDE =
  "Something went wrong on our side while signing you in, and nothing was changed. Please try again in a moment.";
const PROVIDER_BUSY =
  "Your sign-in provider couldn't sign you in just now. Please try again in a moment; if it keeps happening, tell your IT team.";
const ALREADY_LINKED =
  "This sign-in provider account is already connected to another PeerDesk account. Sign in to that account instead, or ask the site's administrators for help.";

/**
 * Every code better-auth's OAuth callback (and PeerDesk's own start at /sso) can send here: its own codes
 * (oauth2/errors, link-account, state), our hooks' codes (join gate, bans), and the standard ones a provider sends
 * back (RFC 6749 §4.1.2.1, OpenID Connect Core §3.1.2.6).
 */
const MESSAGES: Record<string, string> = {
  account_not_linked:
    "An account with this email address already exists, and we could not safely connect it to your single sign-on: either the provider did not confirm the address, or the account's own address isn't confirmed yet. Sign in with your password instead (or confirm your address first).",
  EMAIL_NOT_VERIFIED_BY_PROVIDER:
    "Your sign-in provider did not confirm that this email address is yours, so we can't use it here. Ask your IT team to verify the address at the provider, then try again.",
  email_not_verified:
    "Your email address isn't confirmed yet. Open the confirmation link we emailed you, then sign in again.",
  email_not_found:
    "Your sign-in provider didn't share an email address with PeerDesk, so we can't make or find your account. Ask your IT team to allow the email permission for PeerDesk at the provider, then try again.",
  SIGNUP_NOT_ALLOWED:
    "This site is for colleagues with an address at its organisation's domains. If you were invited, open the invitation link you were sent and sign in from there.",
  signup_disabled: "New accounts can't be created this way. Ask the site's administrators for access.",
  BANNED_USER: "This account has been suspended. Contact the site administrators if you think this is a mistake.",
  access_denied: "Signing in was cancelled at your sign-in provider. You can try again.",
  sso_unavailable: "Single sign-on isn't available just now. Please try again in a moment.",
  sso_rate_limited: `There were too many sign-in attempts from your network just now. Please wait ${SSO_LIMIT_WINDOW_SECONDS} seconds, then try again.`,
  // The sign-in's own link: spent, expired, tampered with, or opened in another browser.
  state_not_found: EXPIRED,
  state_mismatch: EXPIRED,
  state_invalid: EXPIRED,
  invalid_callback_request: EXPIRED,
  invalid_code: EXPIRED,
  no_code: EXPIRED,
  // The provider's answer could not be checked: usually its settings, or PeerDesk's for it.
  oauth_provider_not_found: PROVIDER_SETUP,
  issuer_missing: PROVIDER_SETUP,
  issuer_mismatch: PROVIDER_SETUP,
  nonce_binding_missing: PROVIDER_SETUP,
  unable_to_get_user_info: PROVIDER_SETUP,
  no_callback_url: PROVIDER_SETUP,
  invalid_request: PROVIDER_SETUP,
  invalid_scope: PROVIDER_SETUP,
  unauthorized_client: PROVIDER_SETUP,
  unsupported_response_type: PROVIDER_SETUP,
  invalid_request_uri: PROVIDER_SETUP,
  invalid_request_object: PROVIDER_SETUP,
  request_not_supported: PROVIDER_SETUP,
  request_uri_not_supported: PROVIDER_SETUP,
  registration_not_supported: PROVIDER_SETUP,
  // The provider wants the person to do something there first.
  login_required: ASK_AT_PROVIDER,
  interaction_required: ASK_AT_PROVIDER,
  consent_required: ASK_AT_PROVIDER,
  account_selection_required: ASK_AT_PROVIDER,
  server_error: PROVIDER_BUSY,
  temporarily_unavailable: PROVIDER_BUSY,
  // Connecting a provider account to a PeerDesk account that can't take it.
  account_already_linked_to_different_user: ALREADY_LINKED,
  email_does_not_match:
    "The email address at your sign-in provider isn't this account's address, so we didn't connect them. Sign in with the account that uses that address.",
  unable_to_link_account: OUR_SIDE,
  unable_to_update_account: OUR_SIDE,
  unable_to_create_user: OUR_SIDE,
  unable_to_create_session: OUR_SIDE,
  state_generation_error: OUR_SIDE,
  internal_server_error: OUR_SIDE,
};

/** Any other code (a provider's own, or one added to better-auth later): nothing is claimed about the cause. */
const FALLBACK =
  "We couldn't complete single sign-on. Please try again; if it keeps happening, tell your IT team what you were doing.";

/** The message for an `error` query value, or null when there is none. */
export function ssoErrorMessage(code: string | null): string | null {
  if (!code) return null;
  return Object.hasOwn(MESSAGES, code) ? (MESSAGES[code] ?? FALLBACK) : FALLBACK;
}
