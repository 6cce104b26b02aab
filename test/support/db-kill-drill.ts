/**
 * The database-kill drill (issue 14), shared by `test/integration/db-death.test.ts` and
 * `bench/db-kill-drill.ts`: residents submit settlement applications through the real HTTP API of a
 * `huji serve` child process, each with its own Idempotency-Key, many at once; the database dies under
 * them (PostgreSQL: `pg_ctl stop -m immediate`; the embedded database: the server process is killed);
 * then everything is retried with the same keys and the database is counted: every submission the client
 * saw acknowledged (2xx) must be present exactly once, and none twice.
 *
 * No vitest here: the bench runs it as a plain script.
 */
import { DEFAULT_ACCOUNTS_CONFIG } from '../../src/accounts/config.js';
import { openResidentSession } from '../../src/accounts/resident-identity.js';
import { RESIDENT_COOKIE } from '../../src/accounts/resident-routes.js';
import { csrfTokenOf } from '../../src/accounts/secrets.js';
import { rowsOf, type DatabaseHandle } from '../../src/db/connection.js';
import { migrateDatabase } from '../../src/db/migrate.js';
import { loadReferenceData } from '../../src/db/reference-data.js';
import { householdFromRows } from '../../src/register/import-csv.js';
import { importHousehold } from '../../src/register/import-households.js';
import { composeCitizenId } from '../../src/standards/citizen-id.js';
import { sql } from 'drizzle-orm';

export const DRILL_COUNTY = '330802';
export const DRILL_HOUSEHOLD = '330802000914001';
/** Each submission's mover has a citizen id of their own: sequences 100–999. */
export const MAX_SUBMISSIONS = 900;

/** One resident's cookie and CSRF token. */
export type ResidentHeaders = Readonly<Record<string, string>>;

/**
 * Migrates the database, loads the reference data, imports the household the movers settle into and
 * opens `residents` resident sessions (what a sign-in leaves: a session row, its cookie and CSRF token).
 */
export async function seedDrillDatabase(
  handle: DatabaseHandle,
  residents: number,
): Promise<ResidentHeaders[]> {
  await migrateDatabase(handle.db);
  await loadReferenceData(handle.db);
  const { household } = householdFromRows([
    {
      line: 2,
      values: {
        household_number: DRILL_HOUSEHOLD,
        household_type: '家庭户',
        address: '衢州市柯城区断电演练路 14 号',
        county_code: DRILL_COUNTY,
        relationship: '户主',
        citizen_id: composeCitizenId(DRILL_COUNTY, '1961-03-04', 21),
        name: '演练户主',
        sex: '男',
        birth_date: '1961-03-04',
      },
    },
  ]);
  const imported = await importHousehold(
    handle.db,
    household,
    { id: 'import', countyCode: DRILL_COUNTY },
    'db-kill-drill',
  );
  if (imported.status === 'rejected') throw new Error(`drill household refused: ${JSON.stringify(imported)}`);
  const silent = { info: () => undefined, warn: () => undefined };
  const ctx = { config: DEFAULT_ACCOUNTS_CONFIG, clock: () => new Date(), log: silent };
  const sessions: ResidentHeaders[] = [];
  for (let r = 0; r < residents; r++) {
    const phone = `1390014${String(r).padStart(4, '0')}`;
    const { token } = await openResidentSession(handle.db, { provider: 'demo-phone', subject: phone }, ctx);
    sessions.push({ cookie: `${RESIDENT_COOKIE}=${token}`, 'x-csrf-token': csrfTokenOf(token) });
  }
  return sessions;
}

export interface Submission {
  readonly index: number;
  readonly key: string;
  readonly citizenId: string;
  readonly headers: ResidentHeaders;
  readonly body: Record<string, unknown>;
}

/** The i-th settlement application: a mover of their own (a fresh citizen id) into the drill household. */
export function settlementSubmission(
  index: number,
  sessions: readonly ResidentHeaders[],
  run: string,
): Submission {
  if (index < 0 || index >= MAX_SUBMISSIONS)
    throw new RangeError(`submission index 0–${MAX_SUBMISSIONS - 1}: ${index}`);
  const birthDate = `19${70 + (index % 25)}-0${(index % 9) + 1}-1${index % 10}`;
  const sequence = 100 + index;
  const citizenId = composeCitizenId('330881', birthDate, sequence);
  const name = `演练${index}号`;
  const sex = sequence % 2 === 1 ? '1' : '2';
  return {
    index,
    key: `db-kill-${run}-${index}`,
    citizenId,
    headers: sessions[index % sessions.length]!,
    body: {
      typeId: 'settlement/legal-residence',
      form: {
        kind: 'settlement',
        applicant: { name, citizenId },
        movers: [
          { name, sex, birthDate, citizenId, relationship: '99', birthplace: '330881', ethnicity: '01' },
        ],
        fromDivision: '330881',
        destination: { householdNumber: DRILL_HOUSEHOLD },
      },
      facts: {
        place: { countyCode: DRILL_COUNTY },
        person: { age: 40, sex: sex === '1' ? 'male' : 'female' },
        hukou: { scope: 'same-city' },
        residence: { type: 'private-rental', townType: 'county-seat', leaseMonths: 12 },
      },
    },
  };
}

export interface Answer {
  readonly status: number;
  readonly isReplayed: boolean;
  readonly contentType: string;
  readonly retryAfter: string | null;
  readonly body: Record<string, unknown>;
}

/** A request that got no answer at all (the connection died), or its answer. */
export type Outcome = { readonly answer: Answer } | { readonly error: string };

export const isAcknowledged = (o: Outcome | undefined): o is { answer: Answer } =>
  o !== undefined && 'answer' in o && o.answer.status >= 200 && o.answer.status < 300;

export async function request(
  baseUrl: string,
  path: string,
  init: { method?: string; headers?: ResidentHeaders; body?: unknown; key?: string } = {},
): Promise<Answer> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...init.headers,
      'accept-language': 'en',
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.key ? { 'idempotency-key': init.key } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { text };
  }
  return {
    status: res.status,
    isReplayed: res.headers.get('idempotent-replayed') === 'true',
    contentType: res.headers.get('content-type') ?? '',
    retryAfter: res.headers.get('retry-after'),
    body,
  };
}

export const submit = (baseUrl: string, s: Submission): Promise<Answer> =>
  request(baseUrl, '/api/v1/my/applications', {
    method: 'POST',
    headers: s.headers,
    body: s.body,
    key: s.key,
  });

export interface BurstResult {
  readonly submissions: Submission[];
  readonly first: Map<number, Outcome>;
  /** Requests in flight when the kill started. */
  readonly inFlightAtKill: number;
}

/**
 * Keeps `concurrency` submissions in flight; after `killAfterAcks` acknowledgements calls `kill` once (the
 * requests go on meanwhile) and stops starting new ones when it has resolved. Resolves when every request
 * started has its outcome.
 */
export async function burstAndKill(options: {
  readonly baseUrl: () => string;
  readonly sessions: readonly ResidentHeaders[];
  readonly run: string;
  readonly concurrency: number;
  readonly killAfterAcks: number;
  readonly kill: () => Promise<void>;
  /** Upper bound of submissions started, whatever happens. */
  readonly maxSubmissions?: number;
}): Promise<BurstResult> {
  const submissions: Submission[] = [];
  const first = new Map<number, Outcome>();
  let acks = 0;
  let inFlight = 0;
  let inFlightAtKill = -1;
  let killing: Promise<void> | undefined;
  let isKilled = false;
  const max = Math.min(options.maxSubmissions ?? MAX_SUBMISSIONS - 1, MAX_SUBMISSIONS - 1);
  const startKill = () => {
    inFlightAtKill = inFlight;
    killing = options.kill().then(() => {
      isKilled = true;
    });
  };
  const worker = async () => {
    while (!isKilled && submissions.length < max) {
      const s = settlementSubmission(submissions.length, options.sessions, options.run);
      submissions.push(s);
      inFlight++;
      let outcome: Outcome;
      try {
        outcome = { answer: await submit(options.baseUrl(), s) };
      } catch (error) {
        outcome = { error: String(error) };
      }
      inFlight--;
      first.set(s.index, outcome);
      if (isAcknowledged(outcome) && ++acks === options.killAfterAcks) startKill();
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  if (!killing) startKill();
  await killing;
  return { submissions, first, inFlightAtKill };
}

/**
 * Retries a submission with its key until it is answered 201 (a 503 while the database comes back, a
 * 409 while a claim of a request that died is released), or the deadline passes.
 */
export async function retryUntilDone(
  baseUrl: string,
  s: Submission,
  deadline: number,
): Promise<Answer | string> {
  for (;;) {
    let last: Answer | string;
    try {
      last = await submit(baseUrl, s);
      const isTransient =
        last.status === 503 || (last.status === 409 && last.body.code === 'HUJI_IDEMPOTENCY_IN_PROGRESS');
      if (!isTransient) return last;
    } catch (error) {
      last = String(error);
    }
    if (Date.now() > deadline) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface Tally {
  readonly submitted: number;
  readonly acknowledged: number;
  /** Acknowledged submissions found in the database (exactly once or more). */
  readonly present: number;
  /** Submissions of any kind whose mover is in more than one application. */
  readonly duplicated: number;
  /** Acknowledged submissions missing from the database. */
  readonly missing: number;
  /** Acknowledged submissions whose stored application is not the one the client was told. */
  readonly wrongId: number;
}

/** Counts the drill's applications in the database against what the client was told. */
export async function tallyDrill(
  handle: DatabaseHandle,
  submissions: readonly Submission[],
  first: ReadonlyMap<number, Outcome>,
): Promise<Tally> {
  const rows = rowsOf<{ id: string; applicant_citizen_id: string }>(
    await handle.db.execute(sql`select id, applicant_citizen_id from application`),
  );
  const byCitizen = new Map<string, string[]>();
  for (const r of rows)
    byCitizen.set(r.applicant_citizen_id, [...(byCitizen.get(r.applicant_citizen_id) ?? []), r.id]);
  let acknowledged = 0;
  let present = 0;
  let missing = 0;
  let wrongId = 0;
  for (const s of submissions) {
    const o = first.get(s.index);
    if (!isAcknowledged(o)) continue;
    acknowledged++;
    const ids = byCitizen.get(s.citizenId) ?? [];
    if (ids.length === 0) missing++;
    else present++;
    if (ids.length > 0 && !ids.includes(o.answer.body.id as string)) wrongId++;
  }
  const duplicated = submissions.filter((s) => (byCitizen.get(s.citizenId)?.length ?? 0) > 1).length;
  return { submitted: submissions.length, acknowledged, present, duplicated, missing, wrongId };
}
