/**
 * The policy endpoints as a resident's browser or a department's system uses them: public evaluation
 * with explanations and cited articles, clear errors for bad facts, rate limiting, diff.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { buildApp } from '../../src/server/app.js';
import { testDatabases } from '../support/databases.js';

const renter = {
  place: { countyCode: '330802' },
  person: { age: 30, sex: 'male' },
  hukou: { scope: 'same-county' },
  residence: { type: 'private-rental', townType: 'county-seat', leaseMonths: 8, hasResidenceProof: true },
  family: [{ relation: 'spouse', age: 29, sex: 'female', isCoResident: true }],
};

describe.each(testDatabases().slice(0, 1))('policy API', ({ open }) => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  beforeAll(async () => {
    database = await open();
    app = await buildApp({ database, logger: false, evaluateRateLimit: 1000 });
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  const evaluate = (id: string, body: unknown, lang = 'zh-CN') =>
    app.inject({
      method: 'POST',
      url: `/api/v1/policies/${id}/evaluate`,
      payload: body as object,
      headers: { 'accept-language': lang },
    });

  it('lists the versions with their refs', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/policies' });
    expect(res.json().items.map((i: { ref: string }) => i.ref)).toEqual([
      'lanzhou-2017@1',
      'quzhou-2017-draft@3',
      'quzhou-2017-final@3',
    ]);
  });

  it('shows a version with its quoted articles', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/policies/quzhou-2017-final' });
    expect(res.json()).toMatchObject({
      ref: 'quzhou-2017-final@3',
      articles: expect.arrayContaining([expect.objectContaining({ id: 'qz-final/1' })]),
    });
  });

  it('explains a "no" for a renter with an 8-month lease and names the nearest change', async () => {
    const res = await evaluate('quzhou-2017-final', { facts: renter, programme: 'settlement' }, 'en');
    expect(res.statusCode).toBe(200);
    const [decision] = res.json().decisions;
    expect(decision).toMatchObject({ outcome: 'not_eligible', policy: { ref: 'quzhou-2017-final@3' } });
    const change = decision.nearestChanges[0].changes[0];
    expect(change).toMatchObject({ fact: 'residence.leaseMonths', to: 12, article: 'qz-draft/2.1.6' });
    expect(change.text.en).toBe('lease term ≥ 12 months instead of 8 months');
    const intra = decision.pathways.find((p: { id: string }) => p.id === 'intra-county');
    const seen = JSON.stringify(intra.condition);
    expect(seen).toContain('"actual":8');
    expect(decision.articles.find((a: { id: string }) => a.id === 'qz-draft/2.1.6').quote).toContain(
      '一年以上租赁合同',
    );
    // The draft clause cited under the final version says why it is cited; the final's own do not.
    expect(decision.articles.find((a: { id: string }) => a.id === 'qz-draft/2.1.6').standing).toEqual({
      zh: '送审稿条款：终稿对此未作规定，本条继续适用',
      en: 'a clause of the draft: the final version is silent here, so the draft clause stands',
    });
    expect(decision.articles.find((a: { id: string }) => a.id === 'qz-final/1').standing).toBeUndefined();
  });

  it('says yes with a 12-month lease, lets the spouse follow and lists the materials', async () => {
    const facts = { ...renter, residence: { ...renter.residence, leaseMonths: 12 } };
    const [decision] = (await evaluate('quzhou-2017-final', { facts, programme: 'settlement' })).json()
      .decisions;
    expect(decision).toMatchObject({
      outcome: 'eligible',
      pathway: 'intra-county',
      followers: [{ status: 'may_follow' }],
    });
    expect(decision.materials.length).toBeGreaterThan(0);
  });

  it('evaluates every programme when none is named', async () => {
    const facts = {
      place: { countyCode: '620102' },
      person: { age: 30, sex: 'female' },
      hukou: { scope: 'other-province' },
      months: { residence: 7 },
      employment: { status: 'stable' },
    };
    const decisions = (await evaluate('lanzhou-2017', { facts })).json().decisions;
    expect(decisions.map((d: { programme: { id: string } }) => d.programme.id)).toContain('residence-permit');
    expect(
      decisions.find((d: { programme: { id: string } }) => d.programme.id === 'residence-permit').outcome,
    ).toBe('eligible');
  });

  it('names each bad field of the facts', async () => {
    const res = await evaluate(
      'quzhou-2017-final',
      { facts: { ...renter, person: { age: -1, sex: 'x' } } },
      'en',
    );
    expect(res.statusCode).toBe(400);
    const paths = res.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.facts.person.age', 'body.facts.person.sex']));
  });

  it('answers an unknown policy with 404 and the known ids', async () => {
    const res = await evaluate('beijing-2030', { facts: renter }, 'en');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'HUJI_POLICY_UNKNOWN' });
    expect(res.json().detail).toContain('quzhou-2017-final');
  });

  it('answers an unknown programme with 404', async () => {
    const res = await evaluate('quzhou-2017-final', { facts: renter, programme: 'lottery' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('HUJI_PROGRAMME_UNKNOWN');
  });

  it('diffs two versions', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/policies/quzhou-2017-draft/diff/quzhou-2017-final',
    });
    // The one tightening: the final's graduate clause names colleges in the province (qz-final/6).
    expect(res.json().summary).toMatchObject({ loosened: 8, tightened: 1 });
  });

  it('gives the quarterly report due dates of Lanzhou for a year', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/policies/lanzhou-2017/schedules?year=2018' });
    expect(res.json().items.map((d: { due: string }) => d.due)).toEqual([
      '2018-01-05',
      '2018-04-05',
      '2018-07-05',
      '2018-10-05',
    ]);
    const bad = await app.inject({ method: 'GET', url: '/api/v1/policies/lanzhou-2017/schedules?year=abc' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('querystring.year');
  });

  it('publishes the facts schema', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/policies/facts-schema' });
    expect(res.json().properties.residence.properties.leaseMonths.type).toBe('integer');
  });

  it('rate-limits public evaluation per client', async () => {
    const limited = await buildApp({ database, logger: false, evaluateRateLimit: 2 });
    const codes: number[] = [];
    for (let i = 0; i < 3; i++) {
      codes.push(
        (
          await limited.inject({
            method: 'POST',
            url: '/api/v1/policies/quzhou-2017-final/evaluate',
            payload: { facts: renter },
          })
        ).statusCode,
      );
    }
    const last = await limited.inject({
      method: 'POST',
      url: '/api/v1/policies/quzhou-2017-final/evaluate',
      payload: { facts: renter },
    });
    await limited.close();
    expect(codes).toEqual([200, 200, 429]);
    expect(last.json().code).toBe('HUJI_RATE_LIMITED');
  });
});
