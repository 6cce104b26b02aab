/**
 * Duplicate-pair review through the HTTP API on the real database: the demo pairs of 柯城区 listed, a
 * pair reviewed as two different persons leaves the list, a confirmed pair stays until the duplicate
 * registration is cancelled through the ledger (the chain still verifies, the pair is resolved), retries
 * with the same Idempotency-Key write once, and officers of another county find nothing.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type DatabaseHandle } from '../../src/db/connection.js';
import { loadDemoDuplicates } from '../../src/register/demo-duplicates.js';
import { buildApp } from '../../src/server/app.js';
import { testDatabases } from '../support/databases.js';
import { officerHeaders, type TestOfficer } from '../support/officer.js';

const KECHENG: TestOfficer = { id: 'dup-kc-1', countyCode: '330802' };
const QUJIANG: TestOfficer = { id: 'dup-qj-1', countyCode: '330803' };

interface Side {
  personId: string;
  name?: string;
  citizenId?: string;
  status?: string;
  householdNumber?: string | null;
}
interface Pair {
  a: Side;
  b: Side;
  kind: string | null;
  score: number | null;
  evidence: { zh: string; en: string }[];
  review: { verdict: string; note: string | null; resolvedEventId: string | null } | null;
}

describe.each(testDatabases())('duplicate-pair review on $name', ({ open }) => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  let keySeq = 0;
  beforeAll(async () => {
    database = await open();
    app = await buildApp({ database, logger: false });
    expect(await loadDemoDuplicates(database.db)).toBe(6);
    // A second load finds the households there and imports nothing.
    expect(await loadDemoDuplicates(database.db)).toBe(0);
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  /** A GET, or with a body a POST carrying an Idempotency-Key (fresh unless a retry names its own). */
  const request = async (url: string, body?: object, officer = KECHENG, key?: string) => {
    const headers = await officerHeaders(app, officer);
    return body
      ? app.inject({
          method: 'POST',
          url,
          payload: body,
          headers: { ...headers, 'idempotency-key': key ?? `dup-${++keySeq}` },
        })
      : app.inject({ method: 'GET', url, headers });
  };
  const list = async (review = 'open', officer = KECHENG) => {
    const res = await request(`/api/v1/register/duplicates?review=${review}`, undefined, officer);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ candidates?: number; total: number; pairs: Pair[] }>();
  };
  const names = (p: Pair) => [p.a.name, p.b.name].sort().join('/');
  const pairNamed = (pairs: Pair[], a: string, b: string) =>
    pairs.find((p) => names(p) === [a, b].sort().join('/'));

  const ids: Record<string, string> = {};

  it('lists the three demo pairs of 柯城区 with both sides, masked ids, households and evidence', async () => {
    const open = await list();
    expect(open.candidates).toBe(9);
    expect(open.pairs.map(names).sort()).toEqual(['徐丽平/徐丽萍', '王建国/王建国', '陈志刚/陈志强']);
    const xu = pairNamed(open.pairs, '徐丽萍', '徐丽平')!;
    expect(xu.kind).toBe('likely-same-person');
    expect(xu.score).toBe(0.9);
    expect(xu.review).toBeNull();
    expect(xu.evidence.map((e) => e.zh).join(' ')).toContain('姓名拼音相同');
    for (const side of [xu.a, xu.b]) {
      expect(side.citizenId).toMatch(/^330802\*{12}$/);
      expect(side.householdNumber).toMatch(/^33080200080000[34]$/);
      expect(side.status).toBe('active');
    }
    for (const p of open.pairs)
      for (const s of [p.a, p.b])
        ids[s.name === '王建国' ? `王建国${s.householdNumber}` : s.name!] = s.personId;
    expect(Object.keys(ids)).toHaveLength(6);
  });

  it('takes a pair reviewed as two different persons off the list, and lists it under its verdict', async () => {
    const wang1 = ids['王建国330802000800001']!;
    const wang2 = ids['王建国330802000800002']!;
    const res = await request('/api/v1/register/duplicates/review', {
      a: wang2,
      b: wang1,
      verdict: 'not-duplicate',
      note: '核对照片与指纹，为同名同日出生的两个人',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      personA: wang1 < wang2 ? wang1 : wang2,
      verdict: 'not-duplicate',
      kind: 'likely-same-person',
      resolvedEventId: null,
    });
    const open = await list();
    expect(open.pairs.map(names)).not.toContain('王建国/王建国');
    expect(open.total).toBe(2);
    const reviewed = await list('not-duplicate');
    expect(reviewed.candidates).toBeUndefined();
    expect(reviewed.pairs).toHaveLength(1);
    expect(reviewed.pairs[0]!.review).toMatchObject({
      verdict: 'not-duplicate',
      note: '核对照片与指纹，为同名同日出生的两个人',
    });
    expect(reviewed.pairs[0]!.evidence.length).toBeGreaterThan(0);

    // Cancelling one of them as the other's duplicate contradicts the verdict.
    const cancel = await request('/api/v1/register/duplicate-cancellation', {
      personId: wang2,
      keptPersonId: wang1,
      reason: '同一人',
    });
    expect(cancel.statusCode).toBe(409);
    expect(cancel.json().code).toBe('HUJI_DUPLICATE_REVIEWED_DISTINCT');
  });

  it('writes a review once when retried with the same Idempotency-Key', async () => {
    const body = {
      a: ids['徐丽萍'],
      b: ids['徐丽平'],
      verdict: 'duplicate',
      note: '身份证照片为同一人，婚后在夫家重复登记',
    };
    const first = await request('/api/v1/register/duplicates/review', body, KECHENG, 'dup-review-xu');
    expect(first.statusCode, first.body).toBe(200);
    const again = await request('/api/v1/register/duplicates/review', body, KECHENG, 'dup-review-xu');
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    const other = await request(
      '/api/v1/register/duplicates/review',
      { ...body, note: '另一结论' },
      KECHENG,
      'dup-review-xu',
    );
    expect(other.statusCode).toBe(422);
    const rows = rowsOf<{ n: string | number }>(
      await database.db.execute(sql`select count(*) as n from duplicate_review where verdict = 'duplicate'`),
    );
    expect(Number(rows[0]!.n)).toBe(1);
    // Confirmed, not yet resolved: listed first, with the verdict.
    const open = await list();
    expect(names(open.pairs[0]!)).toBe('徐丽平/徐丽萍');
    expect(open.pairs[0]!.review).toMatchObject({ verdict: 'duplicate', resolvedEventId: null });
  });

  it('cancels the duplicate through the ledger once, resolving the pair; the chain verifies', async () => {
    const body = {
      personId: ids['徐丽平'],
      keptPersonId: ids['徐丽萍'],
      reason: '与户号 330802000800003 的徐丽萍为同一人',
    };
    const res = await request('/api/v1/register/duplicate-cancellation', body, KECHENG, 'dup-cancel-xu');
    expect(res.statusCode, res.body).toBe(201);
    const event = res.json<{ eventId: string; personIds: string[]; type: string }>();
    expect(event.type).toBe('duplicate-cancellation');
    expect(event.personIds.slice(0, 2)).toEqual([ids['徐丽平'], ids['徐丽萍']]);
    const replay = await request('/api/v1/register/duplicate-cancellation', body, KECHENG, 'dup-cancel-xu');
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json().eventId).toBe(event.eventId);
    const events = rowsOf<{ n: string | number }>(
      await database.db.execute(
        sql`select count(*) as n from register_event where type = 'duplicate-cancellation'`,
      ),
    );
    expect(Number(events[0]!.n)).toBe(1);

    const person = (await request(`/api/v1/register/persons/${ids['徐丽平']}`)).json();
    expect(person.person.status).toBe('cancelled');
    expect(person.history.at(-1)).toMatchObject({
      id: event.eventId,
      type: 'duplicate-cancellation',
      label: { zh: '注销重复户口', en: 'cancellation of a duplicate registration' },
    });
    const household = (await request('/api/v1/register/households/by-number/330802000800004')).json();
    expect(household.members.map((m: { person: { name: string } }) => m.person.name)).toEqual(['周明']);
    const kept = (await request(`/api/v1/register/persons/${ids['徐丽萍']}`)).json();
    expect(kept.person.status).toBe('active');

    const verify = (await request('/api/v1/register/ledger/330802/verify')).json();
    expect(verify).toMatchObject({ isIntact: true });

    const open = await list();
    expect(open.pairs.map(names)).toEqual(['陈志刚/陈志强']);
    const confirmed = await list('duplicate');
    expect(confirmed.pairs).toHaveLength(1);
    expect(confirmed.pairs[0]!.review).toMatchObject({
      verdict: 'duplicate',
      resolvedEventId: event.eventId,
    });
    expect(confirmed.pairs.flatMap((p) => [p.a, p.b]).find((s) => s.name === '徐丽平')?.status).toBe(
      'cancelled',
    );

    const again = await request('/api/v1/register/duplicates/review', {
      a: ids['徐丽萍'],
      b: ids['徐丽平'],
      verdict: 'not-duplicate',
      note: '改变结论',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('HUJI_DUPLICATE_REVIEW_RESOLVED');
    const twice = await request('/api/v1/register/duplicate-cancellation', body);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('HUJI_REGISTER_NOT_ACTIVE');
  });

  it('records the cancellation as the verdict when no review came first, closing a one-person household', async () => {
    const res = await request('/api/v1/register/duplicate-cancellation', {
      personId: ids['陈志刚'],
      keptPersonId: ids['陈志强'],
      reason: '姓名登记错字，同一人',
    });
    expect(res.statusCode, res.body).toBe(201);
    const household = (await request('/api/v1/register/households/by-number/330802000800006')).json();
    expect(household.household.status).toBe('closed');
    const confirmed = await list('duplicate');
    const chen = pairNamed(confirmed.pairs, '陈志强', '陈志刚')!;
    expect(chen.kind).toBe('likely-same-person');
    expect(chen.review).toMatchObject({ verdict: 'duplicate', note: '姓名登记错字，同一人' });
    expect(chen.review!.resolvedEventId).toBe(res.json().eventId);
    expect((await list()).pairs).toEqual([]);
  });

  it('refuses a pair of one record and two records that are no pair', async () => {
    const same = await request('/api/v1/register/duplicates/review', {
      a: ids['徐丽萍'],
      b: ids['徐丽萍'],
      verdict: 'duplicate',
      note: '同一条',
    });
    expect(same.statusCode).toBe(422);
    expect(same.json().code).toBe('HUJI_DUPLICATE_SAME_RECORD');
    const noPair = await request('/api/v1/register/duplicates/review', {
      a: ids['徐丽萍'],
      b: ids['王建国330802000800001'],
      verdict: 'duplicate',
      note: '不是一对',
    });
    expect(noPair.statusCode).toBe(422);
    expect(noPair.json().code).toBe('HUJI_DUPLICATE_NOT_A_PAIR');
  });

  it('answers 404 to an officer of another county, and lists nothing for them', async () => {
    const review = await request(
      '/api/v1/register/duplicates/review',
      {
        a: ids['王建国330802000800001'],
        b: ids['王建国330802000800002'],
        verdict: 'duplicate',
        note: '越权',
      },
      QUJIANG,
    );
    expect(review.statusCode).toBe(404);
    expect(review.json().code).toBe('HUJI_REGISTER_PERSON_UNKNOWN');
    const cancel = await request(
      '/api/v1/register/duplicate-cancellation',
      { personId: ids['王建国330802000800002'], keptPersonId: ids['王建国330802000800001'], reason: '越权' },
      QUJIANG,
    );
    expect(cancel.statusCode).toBe(404);
    for (const filter of ['open', 'not-duplicate', 'duplicate'])
      expect((await list(filter, QUJIANG)).pairs).toEqual([]);
    // Nothing changed: the not-duplicate verdict stands.
    expect((await list('not-duplicate')).pairs[0]!.review?.verdict).toBe('not-duplicate');
  });
});
