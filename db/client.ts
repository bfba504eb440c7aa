import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { logger } from "@/lib/log";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  /** "postgres" with DATABASE_URL, else "pglite" (embedded, in TOLLGATE_DATA_DIR). */
  kind: "postgres" | "pglite";
  close(): Promise<void>;
}

const MIGRATIONS = path.resolve(process.cwd(), "db/migrations");
/** Connections per instance (`DATABASE_POOL_MAX`); the sum over instances must fit the server's. */
const POOL_MAX = Number(process.env.DATABASE_POOL_MAX ?? 10);
/** Any fixed number: the advisory lock that serialises migrations across instances. */
const MIGRATION_LOCK = 7_265_511_823;

/**
 * Opens the database the environment names and applies pending migrations. One schema and one set
 * of migrations serve both: `DATABASE_URL` selects Postgres through postgres.js, its absence the
 * embedded PGlite whose files live in `.data/` (or `TOLLGATE_DATA_DIR`) across restarts.
 */
export async function openDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const { migrate } = await import("drizzle-orm/postgres-js/migrator");
    // The migration notices ("relation already exists, skipping") are noise in the logs.
    const client = postgres(url, { max: POOL_MAX, onnotice: () => {} });
    const db = drizzle(client, { schema });
    // Instances starting together against one database would run the same migrations at once and
    // fail on each other's half-created objects; a session advisory lock makes them take turns,
    // and the ones after the first find nothing left to apply.
    const lock = await client.reserve();
    try {
      await lock`select pg_advisory_lock(${MIGRATION_LOCK})`;
      await migrate(db, { migrationsFolder: MIGRATIONS });
    } finally {
      await lock`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
      lock.release();
    }
    logger.info({ database: "postgres" }, "database ready");
    return { db: db as unknown as Db, kind: "postgres", close: () => client.end({ timeout: 5 }) };
  }
  const dataDir = path.resolve(process.env.TOLLGATE_DATA_DIR ?? ".data", "pglite");
  mkdirSync(dataDir, { recursive: true });
  const unlock = lockDataDir(dataDir);
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  const client = new PGlite(dataDir);
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder: MIGRATIONS });
  logger.info({ database: "pglite", dataDir }, "database ready");
  return {
    db: db as unknown as Db,
    kind: "pglite",
    close: async () => {
      await client.close();
      unlock();
    },
  };
}

/**
 * The embedded database belongs to one process: a second one on the same directory would keep
 * its own copy of the data and lose writes. A lock file with the owner's pid refuses the second
 * process; a lock left by a process that no longer runs is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lockFile = path.join(dataDir, "..", "tollgate.lock");
  try {
    writeFileSync(lockFile, String(process.pid), { flag: "wx" });
  } catch {
    const owner = Number(readFileSync(lockFile, "utf8"));
    if (owner && owner !== process.pid && isRunning(owner)) {
      throw new DatabaseInUseError(
        `Another Tollgate process (pid ${owner}) is using the embedded database in ${path.dirname(lockFile)}. Run one process per data directory (TOLLGATE_DATA_DIR), or set DATABASE_URL so that several instances share Postgres.`,
      );
    }
    writeFileSync(lockFile, String(process.pid));
  }
  return () => rmSync(lockFile, { force: true });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export class DatabaseInUseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DatabaseInUseError";
  }
}
