/**
 * Account facts shared by the server and the pages that mention them (plain module: pages that show these values must
 * not import them from a .server module, which is empty in the browser bundle).
 */

/** A password reset link works once, for this long. */
export const RESET_LINK_MINUTES = 30;
/** A link confirming a new email address works for this long. */
export const EMAIL_CHANGE_LINK_MINUTES = 60;

/** The name shown on the posts of a deleted account. */
export const FORMER_MEMBER_NAME = "Former member";
/** Bounds on an invitation link an admin creates (the form's limits and the server's checks). */
export const INVITATION_LIMITS = { maxUses: 500, maxDays: 90, noteMax: 200, domainsMax: 50 } as const;
