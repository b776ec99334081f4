/** drizzle-kit settings: the schema in db/schema/ (one file per area, read through its index) generates SQL migrations into db/migrations. */
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
});
