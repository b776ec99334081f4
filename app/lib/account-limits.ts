/** The longest email address and password an account takes (zod-free, so forms in the browser can cap their fields). */
export const ACCOUNT_LIMITS = { emailMax: 254, passwordMax: 128 } as const;
