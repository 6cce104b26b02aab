/**
 * The preview of an approval: runs the real approval use case (actOnApplication) in a transaction,
 * reads back what it wrote — the persons as the register now holds them, the household they joined or
 * founded, the ledger events, the certificates — and rolls the transaction back. So the preview can never
 * differ from the approval, and nothing of it stays (not even a sequence-free row: the rollback undoes
 * every insert). The same refusals as the approval apply: 403 for a role that does not approve, 404
 * outside the jurisdiction, 409 in a state without approval, 422 when the register refuses.
 */
import { sql } from 'drizzle-orm';
import { rowsOf, type HujiDatabase } from '../db/connection.js';
import { HujiError } from '../errors/huji-error.js';
import { findHousehold, membershipOfPersonAt, personsByIds } from '../register/repository.js';
import { todayInChina } from '../standards/calendar.js';
import { maskCitizenId } from '../standards/masking.js';
import { actOnApplication, loadApplication, type ActionRequest, type ServicesContext } from './repository.js';
import { canSee, type Actor } from './workflow.js';

export interface ApprovalPreview {
  readonly action: 'approve' | 'record-county-approval';
  /** The persons the register would hold after the approval, with their declared facts. */
  readonly persons: readonly {
    readonly name: string;
    /** Masked (first 6 and last 4). */
    readonly citizenId: string;
    readonly sex: string;
    readonly birthDate: string;
    readonly ethnicity: string | null;
    readonly birthplace: string | null;
    readonly education: string | null;
    readonly maritalStatus: string | null;
    readonly occupation: string | null;
    /** GB/T 4761 relationship to the head of the household, as the register records it. */
    readonly relationship: string | null;
  }[];
  /** The household the persons go to: founded by this approval, or joined. */
  readonly households: readonly {
    readonly isNew: boolean;
    readonly householdNumber: string;
    readonly address: { readonly text: string; readonly countyCode: string };
  }[];
  /** The ledger events it would write, in order. */
  readonly events: readonly {
    readonly type: string;
    readonly effectiveDate: string;
    readonly personNames: readonly string[];
  }[];
  /** The certificates it would issue (kinds only: their numbers are drawn at the real approval). */
  readonly certificates: readonly string[];
}

/** Thrown inside the transaction to undo it, carrying what was seen. */
class RollBack extends Error {
  constructor(readonly preview: ApprovalPreview) {
    super('approval preview: rolled back');
  }
}

export async function previewApproval(
  db: HujiDatabase,
  ctx: ServicesContext,
  applicationId: string,
  actor: Extract<Actor, { kind: 'officer' }>,
): Promise<ApprovalPreview> {
  const record = await loadApplication(db, applicationId);
  if (!record || !canSee(record.application, actor))
    throw new HujiError('HUJI_APPLICATION_NOT_FOUND', { id: applicationId });
  const action = record.application.state === 'county-approval' ? 'record-county-approval' : 'approve';
  // The register change does not depend on the officer's justification (it only heads the certificates'
  // articles), so an approval against the engine is previewed under the decision's own first article.
  const first = record.decision.articles[0];
  const request: ActionRequest =
    action === 'record-county-approval'
      ? { type: 'record-county-approval', document: '（预览）' }
      : record.decision.outcome === 'not_eligible' && first
        ? {
            type: 'approve',
            justification: {
              article: first.id,
              quote: first.quote,
              explanation: { zh: '预览', en: 'preview' },
            },
          }
        : { type: 'approve' };
  try {
    await db.transaction(async (tx) => {
      const result = await actOnApplication(tx, ctx, applicationId, request, actor);
      const events = result.registerEventIds.length
        ? rowsOf<{
            id: string;
            type: string;
            effective_date: string | Date;
            person_ids: string[] | string;
            household_ids: string[] | string;
          }>(
            await tx.execute(sql`
              select id, type, effective_date, person_ids, household_ids from register_event
              where id in (${sql.join(
                result.registerEventIds.map((id) => sql`${id}::uuid`),
                sql`, `,
              )})
              order by seq`),
          )
        : [];
      const uuids = (v: string[] | string) =>
        Array.isArray(v) ? v : v.replace(/[{}]/g, '').split(',').filter(Boolean);
      const personIds = [...new Set(events.flatMap((e) => uuids(e.person_ids)))];
      const householdIds = [...new Set(events.flatMap((e) => uuids(e.household_ids)))];
      const persons = await personsByIds(tx, personIds);
      const byId = new Map(persons.map((p) => [p.id, p]));
      const today = todayInChina(ctx.now?.() ?? new Date());
      const households = [];
      for (const id of householdIds) {
        const h = await findHousehold(tx, { id });
        if (!h) continue;
        // New when no event before this approval's touched it (the database outside the transaction
        // cannot be asked: PGlite has one connection, held by this transaction).
        const [earlier] = rowsOf<{ n: number | string }>(
          await tx.execute(sql`
            select count(*) as n from register_event
            where household_ids @> ${`{${id}}`}::uuid[] and id not in (${sql.join(
              result.registerEventIds.map((e) => sql`${e}::uuid`),
              sql`, `,
            )})`),
        );
        households.push({
          isNew: Number(earlier?.n ?? 0) === 0,
          householdNumber: h.householdNumber,
          address: { text: h.address.text, countyCode: h.address.countyCode },
        });
      }
      const preview: ApprovalPreview = {
        action,
        persons: await Promise.all(
          personIds
            .map((id) => byId.get(id))
            .filter((p) => p !== undefined)
            .map(async (p) => ({
              name: p.name,
              citizenId: maskCitizenId(p.citizenId),
              sex: p.sex,
              birthDate: p.birthDate,
              ethnicity: p.ethnicity,
              birthplace: p.birthplace,
              education: p.education ?? null,
              maritalStatus: p.maritalStatus ?? null,
              occupation: p.occupation ?? null,
              relationship: (await membershipOfPersonAt(tx, p.id, today))?.relationship ?? null,
            })),
        ),
        households,
        events: events.map((e) => ({
          type: e.type,
          effectiveDate:
            e.effective_date instanceof Date ? todayInChina(e.effective_date) : String(e.effective_date),
          personNames: uuids(e.person_ids)
            .map((id) => byId.get(id)?.name)
            .filter((n) => n !== undefined),
        })),
        certificates: result.certificates.map((c) => c.kind),
      };
      throw new RollBack(preview);
    });
  } catch (error) {
    if (error instanceof RollBack) return error.preview;
    throw error;
  }
  throw new Error('the approval preview transaction ended without rolling back');
}
