/** drizzle-kit settings: the schema in db/schema.ts generates SQL migrations into db/migrations. */
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./db/migrations",
});
