/**
 * Loads the reference data every installation needs (not demo data): the administrative divisions from
 * the bundled standards data. Re-runs only when the bundled vintage changes.
 */
import { eq, sql } from 'drizzle-orm';
import {
  addressCodeHistory,
  bundledDivisionsOf,
  currentCounties,
  DIVISION_VINTAGE,
  findDivision,
  historicalCountyCodes,
  VILLAGE_LEVEL_PREFECTURES,
  type Division,
} from '../standards/divisions.js';
import type { HujiDatabase } from './connection.js';
import { division, systemState } from './schema.js';

const STATE_KEY = 'reference-data.divisions';
const BATCH = 500;

function toRow(d: Division): typeof division.$inferInsert {
  return {
    code: d.code,
    name: d.name,
    level: d.level,
    parentCode: d.path.at(-1)?.code ?? null,
    countyKind: d.countyKind ?? null,
    townKind: d.townKind ?? null,
    villageKind: d.villageKind ?? null,
    isStatisticalUnit: d.isStatisticalUnit,
    isCurrent: d.isCurrent,
    vintage: d.vintage,
  };
}

/** Every division row to load: provinces, prefectures and counties of the country (current and
 * abolished), and the towns and villages of the bundled cities. */
export function referenceDivisions(): Division[] {
  const codes = new Set<string>();
  const out: Division[] = [];
  const add = (d: Division | undefined) => {
    if (d && !codes.has(d.code)) {
      codes.add(d.code);
      out.push(d);
    }
  };
  for (const county of currentCounties()) {
    for (const ancestor of county.path) add(findDivision(ancestor.code));
    add(county);
  }
  for (const code of historicalCountyCodes()) {
    if (addressCodeHistory(code).length > 0) add(findDivision(code));
  }
  for (const prefecture of VILLAGE_LEVEL_PREFECTURES) for (const d of bundledDivisionsOf(prefecture)) add(d);
  return out;
}

export interface ReferenceDataReport {
  readonly loaded: boolean;
  readonly divisions: number;
  readonly vintage: string;
}

export async function loadReferenceData(db: HujiDatabase): Promise<ReferenceDataReport> {
  const [state] = await db.select().from(systemState).where(eq(systemState.key, STATE_KEY));
  const count = async () => Number((await db.select({ n: sql<number>`count(*)` }).from(division))[0]?.n ?? 0);
  if ((state?.value as { vintage?: string } | undefined)?.vintage === DIVISION_VINTAGE) {
    return { loaded: false, divisions: await count(), vintage: DIVISION_VINTAGE };
  }
  const rows = referenceDivisions().map(toRow);
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += BATCH) {
      await tx
        .insert(division)
        .values(rows.slice(i, i + BATCH))
        .onConflictDoUpdate({
          target: division.code,
          set: {
            name: sql`excluded.name`,
            level: sql`excluded.level`,
            parentCode: sql`excluded.parent_code`,
            countyKind: sql`excluded.county_kind`,
            townKind: sql`excluded.town_kind`,
            villageKind: sql`excluded.village_kind`,
            isStatisticalUnit: sql`excluded.is_statistical_unit`,
            isCurrent: sql`excluded.is_current`,
            vintage: sql`excluded.vintage`,
          },
        });
    }
    await tx
      .insert(systemState)
      .values({ key: STATE_KEY, value: { vintage: DIVISION_VINTAGE, rows: rows.length } })
      .onConflictDoUpdate({
        target: systemState.key,
        set: { value: { vintage: DIVISION_VINTAGE, rows: rows.length }, updatedAt: new Date() },
      });
  });
  return { loaded: true, divisions: rows.length, vintage: DIVISION_VINTAGE };
}
