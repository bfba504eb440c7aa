import postgres from "postgres";

/** Drops the Postgres database the run's web server created, whatever state the tests left. */
export default async function teardown(): Promise<void> {
  const name = process.env.TOLLGATE_E2E_DB;
  if (!name || !/^[a-z0-9_]+$/.test(name)) return;
  const sql = postgres(process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test", {
    max: 1,
    onnotice: () => {},
  });
  try {
    await sql.unsafe(`drop database if exists ${name} with (force)`);
  } finally {
    await sql.end();
  }
}
