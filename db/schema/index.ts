/**
 * The single source of truth for PeerDesk's tables, one file per area; drizzle-kit and the database client read this
 * index. A new area's tables go in a new file here (or db/schema-<area>.ts) with one `export *` line below.
 */
export * from "./auth";
export * from "./community";
export * from "./posts";
export * from "./guards";
export * from "./search";
export * from "./office-hours";
export * from "./mentors";
export * from "./notifications";
export * from "./email";
export * from "./moderation";
export * from "./pulse";
export * from "./imports";
export * from "./glossary";
export * from "./search-index";
export * from "./closing";
export * from "./trust-safety";
export * from "./sso";
export * from "./security";
export * from "./passkeys";
export * from "./impact";
export * from "./post-images";
export * from "./saved";
