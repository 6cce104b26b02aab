/**
 * No answer rebuilds a masked id (issue 14, docs/adr/0021-irreversible-id-masking.md), as a property over
 * random registers on the real database: households of random persons (some with the same name, birth
 * date and sex in two households, so the duplicates list shows them; some members since birth), an
 * application whose movers are further random persons, an extract with masked ids. Then every GET route
 * the OpenAPI document lists is called — as officers of every role, as the resident and anonymously —
 * except the separate, audited full-id reads (and the queue export for those allowed full ids), and everything answered (JSON, CSV, PDF text) and every log
 * line is handed to the reconstruction attacker (src/standards/testing/reconstruct-citizen-id.ts): for
 * each person at least 1,000 ids must stay possible.
 */
import { Writable } from 'node:stream';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/accounts/roles.js';
import { pdfText } from '../../src/documents/testing/inspect-pdf.js';
import { householdFromRows } from '../../src/register/import-csv.js';
import { importHousehold } from '../../src/register/import-households.js';
import { buildApp } from '../../src/server/app.js';
import { composeCitizenId } from '../../src/standards/citizen-id.js';
import { reconstructCitizenId } from '../../src/standards/testing/reconstruct-citizen-id.js';
import { testDatabases } from '../support/databases.js';
import { officerHeaders, type TestOfficer } from '../support/officer.js';
import { testResidents } from '../support/resident.js';

const COUNTY = '330802';
const AT_LEAST = 1000;
const PHONE = '13700000014';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');

const officer = (id: string, roles: Role[]): TestOfficer => ({ id: `mask-${id}`, countyCode: COUNTY, roles });
/** Every business role in one account (the full-id permission included: answers are masked for all). */
const business = officer('business', ['registrar', 'window-clerk', 'reviewer', 'approver', 'reform-office']);
/** The business roles without any full-id permission. */
const noFullId = officer('no-full-id', ['reviewer', 'approver', 'reform-office']);
const auditAdmin = officer('audit', ['audit-admin']);
const systemAdmin = officer('system', ['system-admin']);
const securityAdmin = officer('security', ['security-admin']);

interface RandomPerson {
  readonly name: string;
  readonly birthDate: string;
  readonly sequence: number;
  readonly division: string;
  readonly sinceBirth: boolean;
  readonly male: boolean;
}

const randomPerson: fc.Arbitrary<RandomPerson> = fc.record({
  name: fc.constantFrom('张伟', '王芳', '李娜', '刘洋', '陈静', '欧阳修远', '赵磊'),
  birthDate: fc
    .date({
      min: new Date('1930-01-01T00:00:00Z'),
      max: new Date('2024-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10)),
  sequence: fc.integer({ min: 1, max: 499 }),
  division: fc.constantFrom('330802', '330881', '110105', '440305'),
  sinceBirth: fc.boolean(),
  male: fc.boolean(),
});

const world = fc.record({
  households: fc.array(fc.array(randomPerson, { minLength: 1, maxLength: 3 }), {
    minLength: 2,
    maxLength: 3,
  }),
  movers: fc.array(randomPerson, { minLength: 2, maxLength: 3 }),
});

/** The sequence's parity is the sex (GB 11643): odd for men. */
const idOf = (p: RandomPerson) =>
  composeCitizenId(p.division, p.birthDate, p.sequence * 2 + (p.male ? 1 : 0));

describe.each(testDatabases())('masked ids cannot be rebuilt on $name', ({ open }) => {
  it('for random registers, nothing any route, file or log line shows narrows a person below 1,000 ids', async () => {
    await fc.assert(
      fc.asyncProperty(world, async (w) => {
        const logs: string[] = [];
        const database = await open();
        const residents = testResidents();
        const app = await buildApp({
          database,
          residentIdentity: residents.provider,
          logger: {
            level: 'trace',
            stream: new Writable({
              write(chunk: Buffer, _enc, done) {
                logs.push(chunk.toString());
                done();
              },
            }),
          },
        });
        try {
          await check(app, w, residents, logs, database.db);
        } finally {
          await app.close();
          await database.close();
        }
      }),
      { numRuns: 2, seed: 14, endOnFailure: true },
    );
  }, 900_000);
});

async function check(
  app: FastifyInstance,
  w: { households: RandomPerson[][]; movers: RandomPerson[] },
  residents: ReturnType<typeof testResidents>,
  logs: string[],
  db: Parameters<typeof importHousehold>[0],
) {
  // The register: each household imported; the first person of the first household registered again in
  // the second (same name, birth date and sex, another id) so the duplicates list pairs them.
  const households = w.households.map((members, h) =>
    h === 1
      ? [...members, { ...w.households[0]![0]!, sequence: w.households[0]![0]!.sequence + 1 }]
      : members,
  );
  const persons: { id: string; citizenId: string; name: string }[] = [];
  const householdIds: string[] = [];
  const numbers: string[] = [];
  for (const [h, members] of households.entries()) {
    const number = `${COUNTY}00090${String(h).padStart(4, '0')}`;
    const rows = members.map((p, i) => {
      const citizenId = idOf(p);
      return {
        line: i + 2,
        values: {
          household_number: number,
          household_type: '家庭户',
          address: `衢州市柯城区荷花街道 ${h + 1} 号`,
          county_code: COUNTY,
          relationship: i === 0 ? '户主' : '子',
          citizen_id: citizenId,
          name: p.name,
          sex: p.male ? '男' : '女',
          birth_date: p.birthDate,
          ...(p.sinceBirth ? {} : { member_since: '2024-12-31' }),
        },
      };
    });
    const { household, problems } = householdFromRows(rows);
    expect(problems).toEqual([]);
    const outcome = await importHousehold(db, household, { id: 'import', countyCode: COUNTY }, 'test');
    expect(outcome.status, JSON.stringify(outcome)).not.toBe('rejected');
    householdIds.push(household.household.id);
    numbers.push(number);
    for (const m of household.members)
      persons.push({ id: m.person.id, citizenId: m.person.citizenId, name: m.person.name });
  }

  // An application whose movers are further random persons, with a material, accepted by the clerk.
  const movers = w.movers.map((p) => ({ ...p, citizenId: idOf(p) }));
  const applicant = movers[0]!;
  const resident = await residents.headers(app, PHONE);
  const submitted = await app.inject({
    method: 'POST',
    url: '/api/v1/my/applications',
    headers: { ...resident, 'idempotency-key': 'mask-apply' },
    payload: {
      typeId: 'settlement/legal-residence',
      form: {
        kind: 'settlement',
        applicant: { name: applicant.name, citizenId: applicant.citizenId },
        movers: movers.map((m, i) => ({
          name: m.name,
          sex: m.male ? '1' : '2',
          birthDate: m.birthDate,
          citizenId: m.citizenId,
          relationship: i === 0 ? '02' : '20',
          birthplace: null,
          ethnicity: '01',
        })),
        fromDivision: '330881',
        destination: {
          newHousehold: { type: 'family', address: { text: '府山街道坊门街 14 号', countyCode: COUNTY } },
        },
      },
      facts: {
        place: { countyCode: COUNTY },
        hukou: { scope: 'same-city' },
        residence: { type: 'owned', townType: 'county-seat' },
      },
    },
  });
  expect(submitted.statusCode, submitted.body).toBe(201);
  const application = submitted.json().id as string;
  const uploaded = await app.inject({
    method: 'POST',
    url: `/api/v1/my/applications/${application}/materials?key=settlement.id-card&fileName=id.pdf`,
    headers: { ...resident, 'idempotency-key': 'mask-upload', 'content-type': 'application/pdf' },
    payload: PDF,
  });
  const material = uploaded.statusCode === 201 ? (uploaded.json().id as string) : undefined;

  // Extracts with masked ids, one per household.
  const documents: string[] = [];
  for (const [h, id] of householdIds.entries()) {
    const issued = await app.inject({
      method: 'POST',
      url: `/api/v1/register/households/${id}/documents/extract`,
      headers: { ...(await officerHeaders(app, business)), 'idempotency-key': `mask-extract-${h}` },
      payload: { maskCitizenIds: true },
    });
    expect(issued.statusCode, issued.body).toBe(201);
    documents.push(issued.json().documentId as string);
  }

  const accounts = await app.inject({
    method: 'GET',
    url: '/api/v1/accounts',
    headers: await officerHeaders(app, systemAdmin),
  });
  const account = (accounts.json().items as { id: string }[])[0]!.id;

  // Every GET route of the OpenAPI document, its parameters filled by the fixtures (one URL per value).
  const fullIdRoutes = new Set(
    app.hujiAccounts.officerRoutes.filter((r) => r.action.endsWith('.read-full-id')).map((r) => r.url),
  );
  const paths = Object.entries((app.swagger() as { paths: Record<string, Record<string, unknown>> }).paths)
    .filter(([, ops]) => 'get' in ops)
    .map(([path]) => path);
  const values: Record<string, string[]> = {
    'register/persons/{id}': persons.map((p) => p.id),
    'register/households/{id}': householdIds,
    '{number}': numbers,
    '{code}': [COUNTY],
    'applications/{id}': [application],
    '{documentId}': documents,
    '{materialId}': material ? [material] : [],
    'register/documents/{file}': documents.map((d) => `${d}.pdf`),
    'accounts/{id}': [account],
  };
  const urlsOf = (path: string): string[] => {
    let urls = [path];
    for (const [pattern, list] of Object.entries(values)) {
      const param = pattern.slice(pattern.indexOf('{'));
      if (!path.includes(pattern)) continue;
      urls = urls.flatMap((u) => list.map((v) => u.replace(param, v)));
    }
    if (path === '/api/v1/register/persons')
      urls = [...new Set(persons.map((p) => p.name))]
        .map((n) => `${path}?name=${encodeURIComponent(n)}`)
        .concat(numbers.map((n) => `${path}?householdNumber=${n}`));
    if (path === '/api/v1/applications/queue/export') urls = [`${path}?format=csv`];
    return urls.filter((u) => !u.includes('{'));
  };

  const identities: Record<string, Record<string, string>> = {
    business: await officerHeaders(app, business),
    'no-full-id': await officerHeaders(app, noFullId),
    audit: await officerHeaders(app, auditAdmin),
    system: await officerHeaders(app, systemAdmin),
    security: await officerHeaders(app, securityAdmin),
    resident,
    anonymous: {},
  };
  // The queue export gives full ids to officers allowed to read them (an audited export, by design).
  const fullIdForPermitted = new Set(['/api/v1/applications/queue/export']);
  const seen: { url: string; who: string; text: string }[] = [];
  const answered = new Set<string>();
  for (const path of paths) {
    if (fullIdRoutes.has(path.replace(/\{(\w+)\}/g, ':$1'))) continue;
    for (const url of urlsOf(path))
      for (const [who, headers] of Object.entries(identities)) {
        if (who === 'business' && fullIdForPermitted.has(path)) continue;
        const res = await app.inject({ method: 'GET', url, headers });
        if (res.statusCode !== 200) continue;
        answered.add(path);
        const type = String(res.headers['content-type'] ?? '');
        const text = type.includes('pdf')
          ? await pdfText(res.rawPayload)
          : /json|text|csv/.test(type)
            ? res.body
            : '';
        seen.push({ url, who, text });
      }
  }
  // The routes that show persons did answer (a route that silently failed would prove nothing).
  for (const path of [
    '/api/v1/register/persons',
    '/api/v1/register/persons/{id}',
    '/api/v1/register/households/{id}',
    '/api/v1/register/households/by-number/{number}',
    '/api/v1/register/duplicates',
    '/api/v1/register/documents/{file}',
    '/api/v1/applications/{id}',
    '/api/v1/applications/queue',
    '/api/v1/applications/queue/export',
    '/api/v1/my/applications',
    '/api/v1/my/applications/{id}',
    '/api/v1/audit/entries',
  ])
    expect(answered, path).toContain(path);
  expect(seen.find((s) => s.url === '/api/v1/register/duplicates')?.text).toContain('"pairs":[{');

  const everything = [...seen.map((s) => s.text), ...logs].join('\n');
  for (const p of [...persons.map((x) => x.citizenId), ...movers.map((m) => m.citizenId)]) {
    const found = reconstructCitizenId(everything, p);
    if (found.candidates < AT_LEAST) {
      const culprits = seen
        .filter((s) => reconstructCitizenId(s.text, p).candidates < AT_LEAST)
        .map((s) => `${s.who} ${s.url}`);
      expect.fail(
        `${p} narrowed to ${found.candidates} (birth ${found.birthKnown}, positions ${found.visiblePositions.join(',')}) by: ${culprits.join('; ') || 'the union of answers and logs'}`,
      );
    }
  }
}
