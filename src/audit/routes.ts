/**
 * The audit administrator's API (security.md § Audit): list audit entries and verify the chains. Both
 * routes need `audit.read`, which the role table gives to the audit administrator alone; as officer
 * routes they are themselves recorded in the audit log (record-requests.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireOfficer } from '../accounts/require-officer.js';
import { isoDateOrTimeField } from '../standards/date-field.js';
import { listAuditEntries, MAX_PAGE, timeBound, verifyAuditLog } from './audit-log.js';
import { ANCHOR_PROBLEM_KINDS, verifyAuditAnchors } from './anchors.js';
import { ACTOR_KINDS, AUDIT_SUITES, OUTCOMES, PROBLEM_KINDS } from './chain.js';

const OfficerHeaders = z.object({ 'x-csrf-token': z.string().max(100).optional() });

/** The format first, then the range, so an out-of-range day is named as such (not as a failed union). */
const TimeBound = isoDateOrTimeField().describe(
  'a date (China time, whole day) or an ISO 8601 time with offset',
);

const Chain = z
  .string()
  .regex(/^[a-z0-9-]{1,32}$/)
  .describe('a county code (officers), resident, system or anonymous');

const AuditEntryOut = z.object({
  chain: z.string(),
  seq: z.number().int(),
  id: z.string(),
  at: z.string(),
  actorKind: z.enum(ACTOR_KINDS),
  actorId: z.string(),
  roles: z.array(z.string()).readonly(),
  sourceAddress: z.string().nullable(),
  action: z.string(),
  objectType: z.string().nullable(),
  objectId: z.string().nullable(),
  outcome: z.enum(OUTCOMES),
  status: z.number().int().nullable(),
  requestId: z.string().nullable(),
  details: z.unknown(),
  suite: z.enum(AUDIT_SUITES),
  prevHash: z.string(),
  hash: z.string(),
});

const ChainHeadOut = z.object({ seq: z.number().int(), hash: z.string() });

const VerificationOut = z.object({
  isIntact: z.boolean(),
  entries: z.number().int(),
  problemCount: z.number().int(),
  chains: z
    .array(
      z.object({
        chain: z.string(),
        entries: z.number().int(),
        head: ChainHeadOut.nullable(),
        isIntact: z.boolean(),
        problemCount: z.number().int(),
        problems: z
          .array(
            z.object({
              chain: z.string(),
              seq: z.number().int(),
              kind: z.enum(PROBLEM_KINDS),
              count: z.number().int().optional(),
              movedFrom: z.number().int().optional(),
            }),
          )
          .readonly(),
      }),
    )
    .readonly(),
  /** The signed anchors (ADR 0015), when the server knows their directory. */
  anchors: z
    .object({
      file: z.string(),
      anchors: z.number().int(),
      last: z.object({ n: z.number().int(), at: z.string(), kid: z.string() }).nullable(),
      chains: z.number().int(),
      isIntact: z.boolean(),
      problems: z
        .array(
          z.object({
            kind: z.enum(ANCHOR_PROBLEM_KINDS),
            anchor: z.number().int().optional(),
            line: z.number().int().optional(),
            at: z.string().optional(),
            reason: z.enum(['malformed', 'unknown-key', 'bad-signature']).optional(),
            chain: z.string().optional(),
            anchoredSeq: z.number().int().optional(),
            lastSeq: z.number().int().optional(),
            expected: z.number().int().optional(),
            found: z.number().int().optional(),
          }),
        )
        .readonly(),
    })
    .optional(),
});

export function registerAuditRoutes(app: FastifyInstance, options: { anchorDir?: string } = {}) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.hujiAccounts;

  r.get(
    '/api/v1/audit/entries',
    {
      config: { officerAction: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: '审计记录（审计管理员） / audit entries (audit administrator)',
        description: `Newest first, at most ${MAX_PAGE} a page; pass \`nextCursor\` as \`cursor\` for the next page. \`actor\` matches an actor id or an officer's (or sign-in attempt's) username.`,
        headers: OfficerHeaders,
        querystring: z.object({
          since: TimeBound.optional(),
          until: TimeBound.optional(),
          actor: z.string().trim().min(1).max(128).optional(),
          action: z.string().trim().min(1).max(200).optional(),
          objectType: z.string().trim().min(1).max(64).optional(),
          objectId: z.string().trim().min(1).max(200).optional(),
          outcome: z.enum(OUTCOMES).optional(),
          chain: Chain.optional(),
          limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(100),
          cursor: z.string().max(400).optional(),
        }),
        response: { 200: z.object({ items: z.array(AuditEntryOut), nextCursor: z.string().nullable() }) },
      },
    },
    async (request, reply) => {
      await requireOfficer(request, 'audit.read');
      const q = request.query;
      reply.header('cache-control', 'no-store');
      return listAuditEntries(db, {
        ...q,
        since: q.since === undefined ? undefined : timeBound(q.since, 'start'),
        until: q.until === undefined ? undefined : timeBound(q.until, 'end'),
      });
    },
  );

  r.post(
    '/api/v1/audit/verify',
    {
      config: { officerAction: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: '校验审计记录的哈希链（审计管理员） / verify the audit hash chains (audit administrator)',
        description:
          'Recomputes every entry of every chain (or of `chain`) and reports edited, removed and reordered entries, broken links and heads that disagree with their chain; with the signed anchors (ADR 0015), also a cut tail, an invalid anchor signature and anchors missing from their file (`anchors`).',
        headers: OfficerHeaders,
        body: z.object({ chain: Chain.optional() }).optional(),
        response: { 200: VerificationOut },
      },
    },
    async (request, reply) => {
      await requireOfficer(request, 'audit.read');
      reply.header('cache-control', 'no-store');
      const chain = request.body?.chain;
      const report = await verifyAuditLog(db, { chain });
      if (options.anchorDir === undefined) return report;
      const anchors = await verifyAuditAnchors(db, { dir: options.anchorDir, chain });
      return { ...report, isIntact: report.isIntact && anchors.isIntact, anchors };
    },
  );
}
