/**
 * Demo data loaded on the first start of an embedded installation, so that `npm start` shows every
 * capability populated. Each capability adds its own step here. Values are marked as demo in the data
 * itself (e.g. `source = 'demo-inferred'`) so they are never mistaken for official figures.
 */
import { eq } from 'drizzle-orm';
import { bundledDivisionsOf, VILLAGE_LEVEL_PREFECTURES, type Division } from '../standards/divisions.js';
import type { UrbanRuralCode } from '../standards/urban-rural.js';
import type { HujiDatabase } from './connection.js';
import { divisionUrbanRural, systemState } from './schema.js';

const STATE_KEY = 'demo-data';
/** The NBS reference year of the bundled division list. */
export const DEMO_URBAN_RURAL_YEAR = 2023;

/**
 * A plausible urban-rural class for a village-level unit from its kind and its town's kind. The NBS
 * publishes the real codes per unit; the bundled data lacks them, so the demo infers: residents'
 * committees of sub-districts are main urban area (111), villages of sub-districts urban-rural fringe
 * (112), residents' committees of towns town centre (121), of townships township centre (210), other
 * villages village (220).
 */
export function inferUrbanRuralClass(village: Division, townKind: Division['townKind']): UrbanRuralCode {
  const isCommittee = village.villageKind === 'residents-committee';
  switch (townKind) {
    case 'sub-district':
      return isCommittee ? '111' : '112';
    case 'town':
      return isCommittee ? '121' : '220';
    case 'special-area':
      return isCommittee ? '123' : '220';
    case 'township':
    case undefined:
      return isCommittee ? '210' : '220';
  }
}

export interface DemoDataReport {
  readonly loaded: boolean;
  readonly urbanRuralClasses: number;
}

/** Loads the demo data once; later starts find the marker and do nothing. */
export async function loadDemoData(db: HujiDatabase): Promise<DemoDataReport> {
  const [state] = await db.select().from(systemState).where(eq(systemState.key, STATE_KEY));
  if (state) return { loaded: false, urbanRuralClasses: 0 };
  const rows: (typeof divisionUrbanRural.$inferInsert)[] = [];
  for (const prefecture of VILLAGE_LEVEL_PREFECTURES) {
    const all = bundledDivisionsOf(prefecture);
    const townKinds = new Map(all.filter((d) => d.level === 'town').map((d) => [d.code, d.townKind]));
    for (const d of all) {
      if (d.level !== 'village') continue;
      rows.push({
        code: d.code,
        year: DEMO_URBAN_RURAL_YEAR,
        classCode: inferUrbanRuralClass(d, townKinds.get(d.code.slice(0, 9))),
        source: 'demo-inferred',
      });
    }
  }
  await db.transaction(async (tx) => {
    // Never overwrite a class an officer or the NBS list set.
    for (let i = 0; i < rows.length; i += 500) {
      await tx
        .insert(divisionUrbanRural)
        .values(rows.slice(i, i + 500))
        .onConflictDoNothing();
    }
    await tx.insert(systemState).values({ key: STATE_KEY, value: { loadedAt: new Date().toISOString() } });
  });
  return { loaded: true, urbanRuralClasses: rows.length };
}
