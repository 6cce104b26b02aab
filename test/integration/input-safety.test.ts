/**
 * Issue 14, over real HTTP (the app listening on a port, requests by fetch) on the real databases:
 *
 * - dates outside the register's range (0000-01-01, 1799-12-31, 2200-01-01, 9999-12-31) answer 400
 *   naming the field on the counts, household, person, search, command, extract, audit and dashboard
 *   routes (they answered 500: the database or the day arithmetic overflowed);
 * - names holding control, bidirectional or zero-width characters are refused on the register commands,
 *   corrections, resident applications and the household import, with the field's message;
 * - a document whose PDF cannot be rendered is not issued (it was, and then answered 500 forever);
 * - a resident's submissions are capped per hour (429, Retry-After, atomic under a burst), the files and
 *   bytes of one checklist item too (422 / 413), by settings;
 * - upload names lose CR/LF and bidi controls; a JPEG header followed by HTML, a PNG with a bad CRC and
 *   PDFs with JavaScript (plain or inside a compressed object stream) are refused.
 */
import { crc32, deflateSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type DatabaseHandle } from '../../src/db/connection.js';
import { householdFromRows } from '../../src/register/import-csv.js';
import { importHousehold } from '../../src/register/import-households.js';
import { buildApp } from '../../src/server/app.js';
import { composeCitizenId } from '../../src/standards/citizen-id.js';
import { testDatabases } from '../support/databases.js';
import { officerHeaders, type TestOfficer } from '../support/officer.js';
import { testResidents } from '../support/resident.js';

const KC = '330802';
const HOUSEHOLD_NUMBER = '330802000930001';
const registrar: TestOfficer = { id: 'in-registrar', countyCode: KC, roles: ['registrar'] };
const auditor: TestOfficer = { id: 'in-auditor', countyCode: '330800', roles: ['audit-admin'] };
const T0 = new Date('2026-09-01T02:00:00Z');
const LIMITS = { submissionsPerHour: 3, submissionsPerDay: 5, filesPerMaterial: 2, bytesPerMaterial: 6000 };

const PLAIN_PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n%%EOF\n');
/** A whole 1 × 1 PNG (IHDR, IDAT, IEND with their CRCs). */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082',
  'hex',
);
const OUT_OF_RANGE = ['0000-01-01', '1799-12-31', '2200-01-01', '9999-12-31'];

function residencePermit(name: string, seq: number) {
  return {
    typeId: 'residence-permit',
    form: {
      kind: 'residence-permit',
      applicant: {
        name,
        citizenId: composeCitizenId('620102', '1996-03-08', seq),
        sex: seq % 2 === 1 ? '1' : '2',
        birthDate: '1996-03-08',
        ethnicity: '01',
      },
      residenceAddress: { text: '衢州市柯城区白云街道花园路 18 号', countyCode: KC },
      livingSince: '2026-01-10',
    },
  };
}

interface Answer {
  status: number;
  headers: Headers;
  body: { code?: string; errors?: { path: string; code: string; message: string }[] } & Record<
    string,
    unknown
  >;
}

describe.each(testDatabases())('input safety over HTTP on $name', ({ open }) => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  let base = '';
  const residents = testResidents();
  const now = T0;
  let keys = 0;
  const key = () => `in-${++keys}`;
  let householdId = '';
  let personId = '';
  let phones = 0;
  const phone = () => `1360000${String(++phones).padStart(4, '0')}`;

  beforeAll(async () => {
    database = await open();
    app = await buildApp({
      database,
      logger: false,
      clock: () => now,
      residentIdentity: residents.provider,
      residentLimits: LIMITS,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const { household } = householdFromRows([
      {
        line: 2,
        values: {
          household_number: HOUSEHOLD_NUMBER,
          household_type: '家庭户',
          address: '衢州市柯城区府山街道 16 号',
          county_code: KC,
          relationship: '户主',
          citizen_id: composeCitizenId(KC, '1961-04-05', 35),
          name: '输入户主',
          sex: '男',
          birth_date: '1961-04-05',
        },
      },
    ]);
    const outcome = await importHousehold(database.db, household, { id: 'import', countyCode: KC }, 'test');
    expect(outcome.status).toBe('imported');
    householdId = household.household.id;
    personId = household.members[0]?.person.id ?? '';
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  /** One request over the socket; the body parsed as JSON when it is. */
  const call = async (
    method: string,
    path: string,
    init: { headers?: Record<string, string>; json?: unknown; bytes?: Buffer } = {},
  ): Promise<Answer> => {
    const headers: Record<string, string> = { ...init.headers };
    let body: string | Buffer | undefined;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    } else if (init.bytes) {
      headers['content-type'] ??= 'application/octet-stream';
      body = init.bytes;
    }
    const res = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await res.text();
    let parsed: Answer['body'];
    try {
      parsed = JSON.parse(text) as Answer['body'];
    } catch {
      parsed = { text };
    }
    return { status: res.status, headers: res.headers, body: parsed };
  };
  const asOfficer = async (officer: TestOfficer, extra: Record<string, string> = {}) => ({
    ...(await officerHeaders(app, officer)),
    ...extra,
  });
  /** The answer is a 400 problem naming `path` with `code`. */
  const expectField = (answer: Answer, path: string, code: string) => {
    expect(answer.status, JSON.stringify(answer.body)).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.body.errors?.map((e) => [e.path, e.code])).toContainEqual([path, code]);
  };

  it('answers 400 naming the field for dates outside 1800-01-01 … 2199-12-31 on every route', async () => {
    const officer = await asOfficer(registrar);
    const audit = await asOfficer(auditor);
    for (const day of OUT_OF_RANGE) {
      const q = encodeURIComponent(day);
      expectField(
        await call('GET', `/api/v1/register/counties/${KC}/counts?at=${q}`, { headers: officer }),
        'querystring.at',
        'HUJI_DATE_OUT_OF_RANGE',
      );
      expectField(
        await call('GET', `/api/v1/register/households/${householdId}?at=${q}`, { headers: officer }),
        'querystring.at',
        'HUJI_DATE_OUT_OF_RANGE',
      );
      expectField(
        await call('GET', `/api/v1/register/persons/${personId}?at=${q}`, { headers: officer }),
        'querystring.at',
        'HUJI_DATE_OUT_OF_RANGE',
      );
      expectField(
        await call('GET', `/api/v1/register/persons?birthDate=${q}`, { headers: officer }),
        'querystring.birthDate',
        'HUJI_DATE_OUT_OF_RANGE',
      );
      expectField(
        await call('POST', '/api/v1/register/booklet-issue', {
          headers: { ...(await asOfficer(registrar)), 'idempotency-key': key() },
          json: { householdId, reason: 'on-request', effectiveDate: day },
        }),
        'body.effectiveDate',
        'HUJI_DATE_OUT_OF_RANGE',
      );
      expectField(
        await call('POST', `/api/v1/register/households/${householdId}/documents/extract`, {
          headers: { ...(await asOfficer(registrar)), 'idempotency-key': key() },
          json: { asOf: day },
        }),
        'body.asOf',
        'HUJI_DATE_OUT_OF_RANGE',
      );
      expectField(
        await call('GET', `/api/v1/audit/entries?since=${q}`, { headers: audit }),
        'querystring.since',
        'HUJI_DATE_OUT_OF_RANGE',
      );
      expectField(
        await call('GET', `/api/v1/audit/entries?until=${encodeURIComponent(`${day}T00:00:00+08:00`)}`, {
          headers: audit,
        }),
        'querystring.until',
        'HUJI_DATE_OUT_OF_RANGE',
      );
      expectField(
        await call('GET', `/api/v1/stats/dashboard?from=${q}`, { headers: officer }),
        'querystring.from',
        'HUJI_DATE_OUT_OF_RANGE',
      );
    }
    // The bounds themselves are days like any other.
    for (const day of ['1800-01-01', '2199-12-31']) {
      const counts = await call('GET', `/api/v1/register/counties/${KC}/counts?at=${day}`, {
        headers: officer,
      });
      expect(counts.status, JSON.stringify(counts.body)).toBe(200);
      const dashboard = await call('GET', `/api/v1/stats/dashboard?to=${day}`, { headers: officer });
      expect(dashboard.status, JSON.stringify(dashboard.body)).toBe(200);
    }
  });

  it('refuses control, bidi and zero-width characters in names on commands, corrections, applications and imports', async () => {
    for (const [bad, codePoint] of [
      ['张\u202E三', 'U+202E'],
      ['张\u200B三', 'U+200B'],
      ['张\u0007三', 'U+0007'],
      ['张\u2066三', 'U+2066'],
      ['张\uFEFF三', 'U+FEFF'],
    ] as const) {
      const birth = await call('POST', '/api/v1/register/birth-registration', {
        headers: { ...(await asOfficer(registrar)), 'idempotency-key': key(), 'accept-language': 'en' },
        json: {
          householdId,
          relationship: '20',
          person: { name: bad, sex: '1', birthDate: '2026-08-01', ethnicity: '01', birthplace: KC },
          birthCertificateNumber: 'O330000001',
        },
      });
      expectField(birth, 'body.person.name', 'HUJI_NAME_CHARACTER');
      expect(birth.body.errors?.[0]?.message).toContain(codePoint);

      const correction = await call('POST', '/api/v1/register/correction', {
        headers: { ...(await asOfficer(registrar)), 'idempotency-key': key() },
        json: { personId, field: 'name', value: bad, reason: '登记错误', evidence: '出生医学证明' },
      });
      expect(correction.status, JSON.stringify(correction.body)).toBe(400);
      expect(correction.body.code).toBe('HUJI_NAME_CHARACTER');

      const resident = await residents.headers(app, phone());
      const submitted = await call('POST', '/api/v1/my/applications', {
        headers: { ...resident, 'idempotency-key': key() },
        json: residencePermit(bad, 41),
      });
      expectField(submitted, 'body.form.applicant.name', 'HUJI_NAME_CHARACTER');
    }
    // The import checks persons with the model's schema, so the same rule holds there.
    const { household } = householdFromRows([
      {
        line: 2,
        values: {
          household_number: '330802000930002',
          household_type: '家庭户',
          address: '衢州市柯城区府山街道 18 号',
          county_code: KC,
          relationship: '户主',
          citizen_id: composeCitizenId(KC, '1970-01-02', 37),
          name: '王\u202E五',
          sex: '男',
          birth_date: '1970-01-02',
        },
      },
    ]);
    const outcome = await importHousehold(database.db, household, { id: 'import', countyCode: KC }, 'test');
    expect(outcome.status).toBe('rejected');
    expect(outcome.status === 'rejected' ? outcome.problems.map((p) => p.field) : []).toContain('name');
    // The name rule's own reason (which character, where), not the generic HUJI_IMPORT_FIELD_INVALID.
    expect(outcome.status === 'rejected' ? outcome.problems : []).toContainEqual(
      expect.objectContaining({ field: 'name', code: 'HUJI_NAME_CHARACTER' }),
    );
  });

  it('never issues a document that cannot be rendered', async () => {
    // The address rule lets a zero-width space through; the font has no glyph for it.
    const moved = await call('POST', '/api/v1/register/move-in', {
      headers: { ...(await asOfficer(registrar)), 'idempotency-key': key() },
      json: {
        person: {
          name: '赵六',
          sex: '1',
          birthDate: '1985-02-03',
          citizenId: composeCitizenId('360102', '1985-02-03', 15),
          birthplace: '360102',
          ethnicity: '01',
        },
        permitNumber: 'ZQ2026001',
        fromDivision: '360102',
        newHousehold: { address: { text: '衢州市柯城区\u200B府山街道 20 号', countyCode: KC } },
        relationship: '02',
      },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(201);
    const household = (moved.body.householdIds as string[])[0] ?? '';
    const extract = await call('POST', `/api/v1/register/households/${household}/documents/extract`, {
      headers: { ...(await asOfficer(registrar)), 'idempotency-key': key() },
      json: {},
    });
    expect(extract.status, JSON.stringify(extract.body)).toBe(422);
    expect(extract.body.code).toBe('HUJI_DOCUMENT_UNRENDERABLE');
    const issued = rowsOf<{ n: string | number }>(
      await database.db.execute(
        sql`select count(*) as n from issued_document where household_id = ${household}`,
      ),
    );
    expect(Number(issued[0]?.n)).toBe(0);
    // The fixture household renders and is issued.
    const fine = await call('POST', `/api/v1/register/households/${householdId}/documents/extract`, {
      headers: { ...(await asOfficer(registrar)), 'idempotency-key': key() },
      json: {},
    });
    expect(fine.status, JSON.stringify(fine.body)).toBe(201);
  });

  it('caps a resident’s submissions per hour, atomically, with 429 and Retry-After', async () => {
    const resident = await residents.headers(app, phone());
    // A burst of 8 at once: exactly the 3 of the hour pass.
    const burst = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        call('POST', '/api/v1/my/applications', {
          headers: { ...resident, 'idempotency-key': key() },
          json: residencePermit(`限${i}`, 101 + 2 * i),
        }),
      ),
    );
    const statuses = burst.map((b) => b.status).sort();
    expect(statuses, JSON.stringify(burst.map((b) => b.body.code))).toEqual([
      201, 201, 201, 429, 429, 429, 429, 429,
    ]);
    const refused = burst.find((b) => b.status === 429);
    expect(refused?.body.code).toBe('HUJI_SUBMISSION_LIMIT');
    expect(refused?.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(String(refused?.body.detail)).toContain('3');
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another resident is not held back.
    const other = await call('POST', '/api/v1/my/applications', {
      headers: { ...(await residents.headers(app, phone())), 'idempotency-key': key() },
      json: residencePermit('别人', 201),
    });
    expect(other.status, JSON.stringify(other.body)).toBe(201);
  });

  /** A new resident's residence-permit application and the key of its first checklist item. */
  const application = async () => {
    const resident = await residents.headers(app, phone());
    const submitted = await call('POST', '/api/v1/my/applications', {
      headers: { ...resident, 'idempotency-key': key() },
      json: residencePermit('传件', 301 + 2 * phones),
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    const types = await call('GET', `/api/v1/application-types?county=${KC}`);
    const type = (types.body.items as { id: string; materials: { key: string }[] }[]).find(
      (t) => t.id === 'residence-permit',
    );
    const material = type?.materials[0]?.key ?? '';
    const upload = (bytes: Buffer, fileName = 'm.pdf') =>
      call(
        'POST',
        `/api/v1/my/applications/${String(submitted.body.id)}/materials?key=${encodeURIComponent(material)}&fileName=${encodeURIComponent(fileName)}`,
        { headers: { ...resident, 'idempotency-key': key() }, bytes },
      );
    return { upload };
  };

  it('caps the files and bytes of one checklist item', async () => {
    const byFiles = await application();
    expect((await byFiles.upload(PLAIN_PDF)).status).toBe(201);
    expect((await byFiles.upload(PLAIN_PDF)).status).toBe(201);
    const third = await byFiles.upload(PLAIN_PDF);
    expect(third.status, JSON.stringify(third.body)).toBe(422);
    expect(third.body.code).toBe('HUJI_MATERIAL_FILES_LIMIT');

    const byBytes = await application();
    const big = Buffer.concat([PLAIN_PDF, Buffer.alloc(3500, 0x20)]);
    expect((await byBytes.upload(big)).status).toBe(201);
    const over = await byBytes.upload(big);
    expect(over.status, JSON.stringify(over.body)).toBe(413);
    expect(over.body.code).toBe('HUJI_MATERIAL_BYTES_LIMIT');
    expect(String(over.body.detail)).toContain('6000');
  });

  it('keeps upload names without CR/LF or bidi', async () => {
    const { upload } = await application();
    const named = await upload(PNG, 'scan\r\nSet-Cookie: x\u202Egnp.exe');
    expect(named.status, JSON.stringify(named.body)).toBe(201);
    expect(named.body.fileName).toBe('scanSet-Cookie_ xgnp.exe');
    expect(named.body.mediaType).toBe('image/png');
  });

  it('refuses images that are whole in structure but do not decode; real ones pass', async () => {
    const { upload: more } = await application();
    // The 1 × 1 RGBA PNG with image data one byte short (4, not 5 bytes), its CRCs recomputed.
    const idat = deflateSync(Buffer.alloc(4));
    const chunk = (type: string, data: Buffer) => {
      const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
      const out = Buffer.alloc(8 + body.length);
      out.writeUInt32BE(data.length, 0);
      body.copy(out, 4);
      out.writeUInt32BE(crc32(body), 4 + body.length);
      return out;
    };
    const short = Buffer.concat([PNG.subarray(0, 33), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
    const refused = await more(short, 'short.png');
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    expect(refused.body.code).toBe('HUJI_MATERIAL_CORRUPT');
    expect(JSON.stringify(refused.body)).toContain('inflates to 4 bytes, not the 5');
    const fine = await more(PNG, 'fine.png');
    expect(fine.status, JSON.stringify(fine.body)).toBe(201);
  });

  it('refuses a JPEG header followed by HTML, a PNG failing its CRC and PDFs with JavaScript', async () => {
    const { upload: more } = await application();
    const jpegThenHtml = Buffer.concat([
      Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'),
      Buffer.from('<html><script>alert(1)</script></html>'),
    ]);
    const polyglot = await more(jpegThenHtml, 'photo.jpg');
    expect(polyglot.status, JSON.stringify(polyglot.body)).toBe(422);
    expect(polyglot.body.code).toBe('HUJI_MATERIAL_CORRUPT');

    const badCrc = Buffer.from(PNG);
    badCrc[29] = (badCrc[29] ?? 0) ^ 0xff;
    const png = await more(badCrc, 'x.png');
    expect(png.status, JSON.stringify(png.body)).toBe(422);
    expect(png.body.code).toBe('HUJI_MATERIAL_CORRUPT');

    const openAction = Buffer.from(
      '%PDF-1.4\n1 0 obj << /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF\n',
    );
    const js = await more(openAction, 'form.pdf');
    expect(js.status, JSON.stringify(js.body)).toBe(422);
    expect(js.body.code).toBe('HUJI_MATERIAL_ACTIVE_CONTENT');

    // The same action inside a compressed object stream, its name hex-escaped.
    const hidden = deflateSync(Buffer.from('<< /S /J#61vaScript /JS (app.alert(1)) >>'));
    const objStm = Buffer.concat([
      Buffer.from(
        `%PDF-1.5\n1 0 obj << /Type /Catalog /OpenAction 2 0 R >> endobj\n3 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${hidden.length} >>\nstream\n`,
      ),
      hidden,
      Buffer.from('\nendstream\nendobj\n%%EOF\n'),
    ]);
    const compressed = await more(objStm, 'form.pdf');
    expect(compressed.status, JSON.stringify(compressed.body)).toBe(422);
    expect(compressed.body.code).toBe('HUJI_MATERIAL_ACTIVE_CONTENT');
  });
});
