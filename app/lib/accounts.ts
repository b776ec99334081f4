/** How long account links work, shared by the emails that send them and the pages that mention them. */

/** A password reset link works once, for this long. */
export const RESET_LINK_MINUTES = 30;
/** A link confirming a new email address works for this long. */
export const EMAIL_CHANGE_LINK_MINUTES = 60;
