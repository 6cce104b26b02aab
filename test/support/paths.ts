/** Where test fixtures live, shared by the global setup and the suites. */
export const PGLITE_SNAPSHOT = new URL('../../.huji-test/pglite-snapshot.tar.gz', import.meta.url);

/** The same PostgreSQL URL pointing at another database. */
export function withDatabaseName(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
