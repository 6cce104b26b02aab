/**
 * HTTP routes of the population register for officers. Every route takes the acting officer from the
 * session (`requireOfficer` with the route's action, src/accounts/roles.ts); records of another county
 * answer 404. Commands need an Idempotency-Key. ID numbers are masked in answers; the
 * full number is a separate read.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HujiDatabase } from '../db/connection.js';
import { requestHash, runIdempotent, throwStoredRefusal } from '../db/idempotency.js';
import { requireOfficer } from '../accounts/require-officer.js';
import { jurisdictionPrefix } from '../accounts/roles.js';
import { HujiError } from '../errors/huji-error.js';
import { todayInChina } from '../standards/calendar.js';
import { isoDateField } from '../standards/date-field.js';
import { maskDatesInText, maskIfBirthDate, maskPersonalFields } from '../standards/masking.js';
import { COMMAND_LABELS, EVENT_LABELS, RegisterCommand } from './commands.js';
import { coversJurisdiction, executeRegisterCommand } from './execute-register-command.js';
import type { Person } from './model.js';
import {
  countyCountsAt,
  countyEvents,
  duplicateCandidates,
  eventHash,
  eventsOf,
  GENESIS_HASH,
  searchPersons,
  type Officer,
} from './repository.js';
import { householdAt, personAt } from './time-travel.js';
import { findDuplicates, type Evidence } from './find-duplicates.js';
import { eventDetailsOf, shownEffectiveDate } from './event-details.js';
import {
  DUPLICATE_VERDICTS,
  listDuplicateReviews,
  pairKeyOf,
  pairSides,
  reviewDuplicatePair,
  type DuplicateReview,
  type PairSide,
} from './duplicate-reviews.js';

const OfficerHeaders = z.object({
  'idempotency-key': z.string().min(1).max(200).optional(),
  'x-csrf-token': z.string().max(100).optional(),
});

/** A person as answered: id and birth date masked by the one rule (the answer hook masks again). */
const maskedPerson = (p: Person) => maskPersonalFields(p);
const AtQuery = z.object({
  at: isoDateField().optional().describe('show the record as it was on this date'),
});

/** Verifies a county's chain: every hash recomputes and links to the previous one. */
export async function verifyCountyLedger(db: HujiDatabase, countyCode: string) {
  const events = await countyEvents(db, countyCode);
  let prev = GENESIS_HASH;
  for (const e of events) {
    const { hash, ...record } = e;
    if (record.prevHash !== prev)
      return { isIntact: false, events: events.length, brokenAt: e.seq, reason: 'prev-hash' as const };
    if (eventHash(record) !== hash)
      return { isIntact: false, events: events.length, brokenAt: e.seq, reason: 'hash' as const };
    prev = hash;
  }
  return { isIntact: true, events: events.length };
}

export function registerRegisterRoutes(app: FastifyInstance, db: HujiDatabase) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  for (const option of RegisterCommand.options) {
    const type = option.shape.type.value;
    r.post(
      `/api/v1/register/${type}`,
      {
        config: { officerAction: 'register.command' },
        schema: {
          tags: ['register'],
          summary: `${COMMAND_LABELS[type].zh} / ${COMMAND_LABELS[type].en}`,
          description:
            'A registrar signed in (session cookie and X-CSRF-Token); needs Idempotency-Key. Appends one event to the ledger.',
          headers: OfficerHeaders,
          // The type is in the path; each command's own schema documents its body.
          body: (option as unknown as z.ZodObject).omit({ type: true }),
        },
      },
      async (request, reply) => {
        const officer = await requireOfficer(request, 'register.command');
        const key = request.headers['idempotency-key'];
        if (typeof key !== 'string' || key.length === 0) throw new HujiError('HUJI_IDEMPOTENCY_KEY_REQUIRED');
        const command = RegisterCommand.parse({ ...(request.body as object), type });
        const stored = await runIdempotent(
          db,
          { scope: `officer:${officer.id}`, key, hash: requestHash('POST', request.url, request.body) },
          async (tx) => ({ status: 201, body: await executeRegisterCommand(tx, command, officer) }),
        );
        throwStoredRefusal(stored);
        if (stored.isReplay) reply.header('idempotent-replayed', 'true');
        // The audit entry names whose record changed (the command's path does not).
        const changed = stored.body as { personIds?: string[]; householdIds?: string[] };
        const person = changed.personIds?.[0];
        const household = changed.householdIds?.[0];
        if (person) request.auditObject = { type: 'person', id: person };
        else if (household) request.auditObject = { type: 'household', id: household };
        return reply.code(stored.status).send(stored.body);
      },
    );
  }

  r.get(
    '/api/v1/register/persons',
    {
      config: { officerAction: 'register.read' },
      schema: {
        tags: ['register'],
        summary: '查询人员：身份号码、姓名（汉字或拼音）、出生日期、户号 / search persons',
        headers: OfficerHeaders,
        querystring: z
          .object({
            citizenId: z
              .string()
              .regex(/^\d{17}[\dXx]$/)
              .optional(),
            name: z.string().trim().min(1).max(50).optional(),
            birthDate: isoDateField().optional(),
            householdNumber: z
              .string()
              .regex(/^\d{15}$/)
              .optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          })
          .refine((q) => q.citizenId ?? q.name ?? q.birthDate ?? q.householdNumber, {
            message: 'give citizenId, name, birthDate or householdNumber',
          }),
      },
    },
    async (request) => {
      const officer = await requireOfficer(request, 'register.read');
      const q = request.query;
      const prefix = officer.countyCode.endsWith('0000')
        ? officer.countyCode.slice(0, 2)
        : officer.countyCode.endsWith('00')
          ? officer.countyCode.slice(0, 4)
          : officer.countyCode;
      const found = await searchPersons(db, { ...q, countyPrefix: prefix, limit: q.limit });
      return { items: found.map((p) => ({ ...maskedPerson(p), householdNumber: p.householdNumber })) };
    },
  );

  const personParams = z.object({ id: z.uuid() });
  const visiblePerson = async (officer: Officer, id: string, at?: string) => {
    const p = await personAt(db, id, at ?? todayInChina());
    if (!p || !coversJurisdiction(officer.countyCode, p.countyCode))
      throw new HujiError('HUJI_REGISTER_PERSON_UNKNOWN', { ref: id });
    return p;
  };

  r.get(
    '/api/v1/register/persons/:id',
    {
      config: { officerAction: 'register.read' },
      schema: {
        tags: ['register'],
        summary: '人员（可指定日期） / a person, optionally as of a date',
        headers: OfficerHeaders,
        params: personParams,
        querystring: AtQuery,
      },
    },
    async (request) => {
      const officer = await requireOfficer(request, 'register.read');
      const p = await visiblePerson(officer, request.params.id, request.query.at);
      const history = await eventsOf(db, { personId: p.id });
      return {
        person: maskedPerson(p),
        asOf: request.query.at ?? todayInChina(),
        history: history.map((e) => ({
          id: e.id,
          type: e.type,
          label: EVENT_LABELS[e.type as keyof typeof EVENT_LABELS],
          effectiveDate: shownEffectiveDate(e, p.birthDate),
          recordedAt: e.recordedAt,
          officerId: e.officerId,
          countyCode: e.countyCode,
          seq: e.seq,
          // 迁出地, the application and the article it rests on (move-ins by approval).
          ...eventDetailsOf(e),
        })),
      };
    },
  );

  r.get(
    '/api/v1/register/persons/:id/citizen-id',
    {
      config: { officerAction: 'register.read-full-id' },
      schema: {
        tags: ['register'],
        summary: '完整公民身份号码（单独读取） / the full citizen id (a separate read)',
        headers: OfficerHeaders,
        params: personParams,
      },
    },
    async (request) => {
      const officer = await requireOfficer(request, 'register.read-full-id');
      const p = await visiblePerson(officer, request.params.id);
      request.log.info({ officer: officer.id, personId: p.id }, 'full citizen id read');
      return { personId: p.id, citizenId: p.citizenId };
    },
  );

  const householdView = async (
    officer: Officer,
    ref: { id?: string; householdNumber?: string },
    at: string | undefined,
  ) => {
    const view = await householdAt(db, ref, at ?? todayInChina());
    if (!view || !coversJurisdiction(officer.countyCode, view.household.address.countyCode)) {
      throw new HujiError('HUJI_REGISTER_HOUSEHOLD_UNKNOWN', { ref: ref.id ?? ref.householdNumber ?? '' });
    }
    return {
      household: view.household,
      asOf: view.asOf,
      members: view.members.map((m) => ({
        person: maskedPerson(m.person),
        relationship: m.membership.relationship,
        since: maskIfBirthDate(m.membership.validFrom, m.person.birthDate),
      })),
    };
  };

  r.get(
    '/api/v1/register/households/:id',
    {
      config: { officerAction: 'register.read' },
      schema: {
        tags: ['register'],
        summary: '户（可指定日期） / a household as of a date',
        headers: OfficerHeaders,
        params: z.object({ id: z.uuid() }),
        querystring: AtQuery,
      },
    },
    async (request) =>
      householdView(
        await requireOfficer(request, 'register.read'),
        { id: request.params.id },
        request.query.at,
      ),
  );

  r.get(
    '/api/v1/register/households/by-number/:number',
    {
      config: { officerAction: 'register.read' },
      schema: {
        tags: ['register'],
        summary: '按户号查户 / a household by its number',
        headers: OfficerHeaders,
        params: z.object({ number: z.string().regex(/^\d{15}$/) }),
        querystring: AtQuery,
      },
    },
    async (request) =>
      householdView(
        await requireOfficer(request, 'register.read'),
        { householdNumber: request.params.number },
        request.query.at,
      ),
  );

  r.get(
    '/api/v1/register/counties/:code/counts',
    {
      config: { officerAction: 'register.counts' },
      schema: {
        tags: ['register'],
        summary:
          '县（市、区）登记人数（可指定日期） / registered persons and households of a county on a date',
        headers: OfficerHeaders,
        params: z.object({ code: z.string().regex(/^\d{6}$/) }),
        querystring: AtQuery,
      },
    },
    async (request) => {
      const officer = await requireOfficer(request, 'register.counts');
      if (!coversJurisdiction(officer.countyCode, request.params.code))
        throw new HujiError('HUJI_REGISTER_OUT_OF_JURISDICTION', { ref: request.params.code });
      const at = request.query.at ?? todayInChina();
      return {
        countyCode: request.params.code,
        asOf: at,
        ...(await countyCountsAt(db, request.params.code, at)),
      };
    },
  );

  /** One side of a pair as officers see it: the id masked, the household it is registered in now. */
  const showSide = (sides: Map<string, PairSide>, id: string) => {
    const s = sides.get(id);
    return s
      ? {
          personId: id,
          name: s.person.name,
          ...maskPersonalFields({ citizenId: s.person.citizenId, birthDate: s.person.birthDate }),
          sex: s.person.sex,
          status: s.person.status,
          householdId: s.householdId,
          householdNumber: s.householdNumber,
        }
      : { personId: id };
  };
  const showReview = (r: DuplicateReview | undefined) =>
    r
      ? {
          verdict: r.verdict,
          officerId: r.officerId,
          reviewedAt: r.reviewedAt,
          note: r.note,
          resolvedEventId: r.resolvedEventId,
          resolvedAt: r.resolvedAt,
        }
      : null;

  r.get(
    '/api/v1/register/duplicates',
    {
      config: { officerAction: 'register.duplicates' },
      schema: {
        tags: ['register'],
        summary: '疑似一人多户 / likely duplicate registrations, each pair with a score and the evidence',
        description:
          'review=open (default): pairs not yet reviewed and pairs confirmed as duplicates but not yet resolved (confirmed first); pairs reviewed as different persons are left out. review=not-duplicate or duplicate: the reviewed pairs with that verdict, newest first, with the evidence recorded at review.',
        headers: OfficerHeaders,
        querystring: z.object({
          threshold: z.coerce.number().min(0.5).max(1).default(0.75),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          review: z.enum(['open', ...DUPLICATE_VERDICTS]).default('open'),
        }),
      },
    },
    async (request) => {
      const officer = await requireOfficer(request, 'register.duplicates');
      const prefix = jurisdictionPrefix(officer.countyCode);
      const reviews = await listDuplicateReviews(db, prefix);
      const byPair = new Map(reviews.map((x) => [pairKeyOf(x.personA, x.personB), x]));
      let candidates: number | undefined;
      let pairs: {
        a: string;
        b: string;
        kind: string | null;
        score: number | null;
        evidence: readonly Evidence[];
      }[];
      if (request.query.review === 'open') {
        const found = await duplicateCandidates(db, prefix);
        candidates = found.length;
        const detected = findDuplicates(found, { threshold: request.query.threshold }).filter(
          (p) => byPair.get(pairKeyOf(p.a, p.b))?.verdict !== 'not-duplicate',
        );
        const listed = new Set(detected.map((p) => pairKeyOf(p.a, p.b)));
        const isConfirmed = (x: DuplicateReview | undefined) =>
          x?.verdict === 'duplicate' && x.resolvedEventId === null;
        // A confirmed pair stays listed until resolved, even when the detector no longer reports it.
        const confirmedElsewhere = reviews
          .filter((x) => isConfirmed(x) && !listed.has(pairKeyOf(x.personA, x.personB)))
          .map((x) => ({ a: x.personA, b: x.personB, kind: x.kind, score: x.score, evidence: x.evidence }));
        pairs = [
          ...confirmedElsewhere,
          ...detected.filter((p) => isConfirmed(byPair.get(pairKeyOf(p.a, p.b)))),
          ...detected.filter((p) => !isConfirmed(byPair.get(pairKeyOf(p.a, p.b)))),
        ];
      } else {
        const verdict = request.query.review;
        pairs = reviews
          .filter((x) => x.verdict === verdict)
          .map((x) => ({ a: x.personA, b: x.personB, kind: x.kind, score: x.score, evidence: x.evidence }));
      }
      const shown = pairs.slice(0, request.query.limit);
      const sides = await pairSides(
        db,
        shown.flatMap((p) => [p.a, p.b]),
      );
      return {
        ...(candidates === undefined ? {} : { candidates }),
        review: request.query.review,
        pairs: shown.map((p) => ({
          ...p,
          // Evidence recorded at review before the masking rule named the full birth date.
          evidence: p.evidence.map((e) => ({ zh: maskDatesInText(e.zh), en: maskDatesInText(e.en) })),
          a: showSide(sides, p.a),
          b: showSide(sides, p.b),
          review: showReview(byPair.get(pairKeyOf(p.a, p.b))),
        })),
        total: pairs.length,
      };
    },
  );

  r.post(
    '/api/v1/register/duplicates/review',
    {
      config: { officerAction: 'register.duplicates' },
      schema: {
        tags: ['register'],
        summary: '核查疑似一人多户：是否同一人 / record the verdict on a suspected duplicate pair',
        description:
          'A registrar signed in (session cookie and X-CSRF-Token); needs Idempotency-Key. not-duplicate takes the pair off the open list; duplicate keeps it listed as confirmed until a duplicate-cancellation resolves it. A resolved pair cannot be reviewed again.',
        headers: OfficerHeaders,
        body: z.object({
          a: z.uuid(),
          b: z.uuid(),
          verdict: z.enum(DUPLICATE_VERDICTS),
          note: z.string().trim().min(2).max(500).describe('why: what the officer checked'),
        }),
      },
    },
    async (request, reply) => {
      const officer = await requireOfficer(request, 'register.duplicates');
      const key = request.headers['idempotency-key'];
      if (typeof key !== 'string' || key.length === 0) throw new HujiError('HUJI_IDEMPOTENCY_KEY_REQUIRED');
      const body = request.body;
      const stored = await runIdempotent(
        db,
        { scope: `officer:${officer.id}`, key, hash: requestHash('POST', request.url, body) },
        async (tx) => ({ status: 200, body: await reviewDuplicatePair(tx, body, officer, new Date()) }),
      );
      throwStoredRefusal(stored);
      if (stored.isReplay) reply.header('idempotent-replayed', 'true');
      const review = stored.body as DuplicateReview;
      request.auditObject = { type: 'duplicate-pair', id: `${review.personA}|${review.personB}` };
      return reply.code(stored.status).send(review);
    },
  );

  r.get(
    '/api/v1/register/ledger/:code/verify',
    {
      config: { officerAction: 'register.verify-ledger' },
      schema: {
        tags: ['register'],
        summary: '校验县（市、区）登记账本的哈希链 / verify a county ledger hash chain',
        headers: OfficerHeaders,
        params: z.object({ code: z.string().regex(/^\d{6}$/) }),
      },
    },
    async (request) => {
      const officer = await requireOfficer(request, 'register.verify-ledger');
      if (!coversJurisdiction(officer.countyCode, request.params.code))
        throw new HujiError('HUJI_REGISTER_OUT_OF_JURISDICTION', { ref: request.params.code });
      return { countyCode: request.params.code, ...(await verifyCountyLedger(db, request.params.code)) };
    },
  );
}
