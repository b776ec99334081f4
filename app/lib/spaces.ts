/** Limits of spaces, shared by the server's rules and the admin form (which runs in the browser too). */
export const SPACE_LIMITS = { nameMin: 2, nameMax: 60, descriptionMax: 280 } as const;
