/**
 * How a test acts as an officer over real HTTP: the one place that knows which headers a register
 * request needs. Today the routes read `X-Officer-Id` and `X-Officer-County`; when sign-in arrives, this
 * function signs in at `baseUrl` and returns the session headers instead, and no suite changes.
 */

export interface TestOfficer {
  readonly id: string;
  /** GB/T 2260 code of the county (or city xxxx00, province xx0000) the officer acts for. */
  readonly countyCode: string;
}

/** The headers an officer's request carries (without Idempotency-Key, which is per request). */
export async function officerHeaders(
  _baseUrl: string,
  officer: TestOfficer,
): Promise<Record<string, string>> {
  return { 'x-officer-id': officer.id, 'x-officer-county': officer.countyCode };
}
