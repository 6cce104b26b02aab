/**
 * Administrative divisions: GB/T 2260 county-level codes for the whole country, NBS statistical codes
 * (towns and villages) for the bundled cities, and the Ministry of Civil Affairs timeline of county codes
 * so that numbers issued under abolished codes (330821 衢县, 1985–2000) still resolve.
 *
 * Pure: the data is imported, never read from disk, so this runs in the browser too.
 */
import timeline from './data/mca-address-code-timeline.json' with { type: 'json' };
import nbsData from './data/nbs-counties.json' with { type: 'json' };
import lanzhouData from './data/nbs-villages-6201.json' with { type: 'json' };
import quzhouData from './data/nbs-villages-3308.json' with { type: 'json' };

export type DivisionLevel = 'province' | 'prefecture' | 'county' | 'town' | 'village';

/** GB/T 2260 county-level kinds, plus NBS statistical units (开发区, 新区) that are not divisions. */
export type CountyKind = 'district' | 'county' | 'county-level-city' | 'statistical-unit';

/** NBS township-level kinds by the 3-digit township code (and the name where it is clearer). */
export type TownKind = 'sub-district' | 'town' | 'township' | 'special-area';

/** NBS village-level kinds: residents' committee (居委会 / 社区) or villagers' committee (村委会). */
export type VillageKind = 'residents-committee' | 'villagers-committee';

/** A span of years in which an address code carried a name; null = open-ended in the source. */
export interface AddressCodePeriod {
  readonly name: string;
  readonly from: number | null;
  readonly to: number | null;
}

export interface DivisionRef {
  readonly code: string;
  readonly name: string;
}

export interface Division {
  /** 6 digits for province / prefecture / county (GB/T 2260), 9 for towns, 12 for villages (NBS). */
  readonly code: string;
  readonly name: string;
  readonly level: DivisionLevel;
  /** Ancestors from the province down, excluding this division. */
  readonly path: readonly DivisionRef[];
  readonly countyKind?: CountyKind;
  readonly townKind?: TownKind;
  readonly villageKind?: VillageKind;
  /** True for NBS statistical units such as 620171 兰州新区: counted in statistics, not a GB/T 2260 division. */
  readonly isStatisticalUnit: boolean;
  /** For county-level codes, every name the code has carried (MCA lists), oldest first. */
  readonly history: readonly AddressCodePeriod[];
  /** False when the code is only historical (abolished). */
  readonly isCurrent: boolean;
  readonly vintage: string;
}

type CodeName = readonly [code: string, name: string];
interface NbsCounties {
  readonly vintage: string;
  readonly provinces: readonly CodeName[];
  readonly prefectures: readonly CodeName[];
  readonly counties: readonly CodeName[];
}
interface NbsVillages {
  readonly towns: readonly CodeName[];
  readonly villages: readonly CodeName[];
}
// JSON imports type tuples as string[][]; the build script writes [code, name] pairs.
const nbs = nbsData as unknown as NbsCounties;
const quzhou = quzhouData as unknown as NbsVillages;
const lanzhou = lanzhouData as unknown as NbsVillages;

export const DIVISION_VINTAGE: string = nbs.vintage;
/** Prefectures whose towns and villages are bundled. */
export const VILLAGE_LEVEL_PREFECTURES = ['330800', '620100'] as const;

const currentNames = new Map<string, string>();
for (const [code, name] of nbs.provinces) currentNames.set(`${code}0000`, name);
for (const [code, name] of nbs.prefectures) currentNames.set(`${code}00`, name);
for (const [code, name] of nbs.counties) currentNames.set(code, name);
for (const city of [quzhou, lanzhou]) {
  for (const [code, name] of city.towns) currentNames.set(code, name);
  for (const [code, name] of city.villages) currentNames.set(code, name);
}

const timelineCodes = timeline.codes as Record<string, AddressCodePeriod[]>;
const histories = new Map<string, readonly AddressCodePeriod[]>();
for (const [code, periods] of Object.entries(timelineCodes)) {
  histories.set(
    code,
    [...periods].sort((a, b) => (a.from ?? -Infinity) - (b.from ?? -Infinity)),
  );
}

/** NBS functional zones use 71–79 in the county position (130171, 620171); GB/T 2260 never does. */
function isNbsStatisticalCode(code: string): boolean {
  return code.length === 6 && code[4] === '7' && !code.endsWith('00');
}

/**
 * Every name an address code has carried. The MCA timeline ends around 2020; codes created later
 * (350405 沙县区, 2021) come from the NBS 2023 list with an unknown start year.
 */
export function addressCodeHistory(code: string): readonly AddressCodePeriod[] {
  const known = histories.get(code);
  if (known) {
    const current = currentNames.get(code);
    const last = known.at(-1);
    // The MCA lists and NBS 2023 disagree only where a code changed after the lists end.
    if (current && last && last.to !== null && !known.some((p) => p.to === null && p.name === current)) {
      return [...known, { name: current, from: null, to: null }];
    }
    return known;
  }
  const current = currentNames.get(code);
  if (current && code.length === 6 && !isNbsStatisticalCode(code))
    return [{ name: current, from: null, to: null }];
  return [];
}

/** The county-level kind from the name's suffix, which the 01–18 / 21–80 / 81–99 digit rule misses (469001 五指山市). */
function countyKindOf(code: string, name: string): CountyKind {
  if (isNbsStatisticalCode(code)) return 'statistical-unit';
  if (name.endsWith('市')) return 'county-level-city';
  if (/(县|旗|林区|特区)$/.test(name)) return 'county';
  if (name.endsWith('区')) return 'district';
  const tail = Number(code.slice(4));
  if (tail <= 20) return 'district';
  if (tail <= 80) return 'county';
  return 'county-level-city';
}

function townKindOf(code: string, name: string): TownKind {
  if (name.endsWith('街道') || name.endsWith('街道办事处')) return 'sub-district';
  if (name.endsWith('镇')) return 'town';
  if (name.endsWith('乡') || name.endsWith('苏木')) return 'township';
  const n = Number(code.slice(6, 9));
  if (n < 100) return 'sub-district';
  if (n < 200) return 'town';
  if (n < 400) return 'township';
  return 'special-area';
}

function villageKindOf(name: string): VillageKind {
  return /村委会$|村民委员会$/.test(name) ? 'villagers-committee' : 'residents-committee';
}

/**
 * Turns a user's code into the canonical form: 2 → 6 digits (33 → 330000), 4 → 6 (3308 → 330800);
 * 6, 9 and 12 digits stay. Undefined when the input has another shape.
 */
export function normalizeDivisionCode(input: string): string | undefined {
  const code = input.trim();
  if (!/^\d+$/.test(code)) return undefined;
  switch (code.length) {
    case 2:
      return `${code}0000`;
    case 4:
      return `${code}00`;
    case 6:
    case 9:
    case 12:
      return code;
    default:
      return undefined;
  }
}

function levelOf(code: string): DivisionLevel {
  if (code.length === 12) return 'village';
  if (code.length === 9) return 'town';
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'prefecture';
  return 'county';
}

function ancestorCodes(code: string): string[] {
  const province = `${code.slice(0, 2)}0000`;
  const prefecture = `${code.slice(0, 4)}00`;
  const county = code.slice(0, 6);
  switch (levelOf(code)) {
    case 'province':
      return [];
    case 'prefecture':
      return [province];
    case 'county':
      return [province, prefecture];
    case 'town':
      return [province, prefecture, county];
    case 'village':
      return [province, prefecture, county, code.slice(0, 9)];
  }
}

function nameAt(code: string): string | undefined {
  return currentNames.get(code) ?? addressCodeHistory(code).at(-1)?.name;
}

/**
 * Looks a division up by its code (2, 4, 6, 9 or 12 digits). Abolished county-level codes are found
 * too, with `isCurrent: false` and their names over time.
 *
 * @example findDivision('330821')?.history // [{ name: '衢县', from: 1985, to: 2000 }]
 */
export function findDivision(input: string): Division | undefined {
  const cached = divisionCache.get(input);
  if (cached !== undefined || divisionCache.has(input)) return cached;
  const found = lookUpDivision(input);
  // The bundled data never changes while the process runs; bulk imports look the same codes up millions of times.
  if (divisionCache.size < 200_000)
    divisionCache.set(input, found === undefined ? undefined : deepFreeze(found));
  return found === undefined ? undefined : (divisionCache.get(input) ?? found);
}

const divisionCache = new Map<string, Division | undefined>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function lookUpDivision(input: string): Division | undefined {
  const code = normalizeDivisionCode(input);
  if (!code) return undefined;
  const history = code.length === 6 ? addressCodeHistory(code) : [];
  const current = currentNames.get(code);
  const name = current ?? history.at(-1)?.name;
  if (!name) return undefined;
  const level = levelOf(code);
  const path = ancestorCodes(code).flatMap((c) => {
    const n = nameAt(c);
    // Municipalities list their prefecture as 市辖区 (110100); skip what has no name.
    return n ? [{ code: c, name: n }] : [];
  });
  return {
    code,
    name,
    level,
    path,
    ...(level === 'county' ? { countyKind: countyKindOf(code, name) } : {}),
    ...(level === 'town' ? { townKind: townKindOf(code, name) } : {}),
    ...(level === 'village' ? { villageKind: villageKindOf(name) } : {}),
    isStatisticalUnit: isNbsStatisticalCode(code),
    history,
    isCurrent: current !== undefined,
    vintage: current !== undefined ? DIVISION_VINTAGE : 'MCA county code lists (historical)',
  };
}

/** The direct children of a division that the bundled data holds (counties of a city, villages of a town). */
export function childDivisions(input: string): Division[] {
  const code = normalizeDivisionCode(input);
  if (!code) return [];
  const level = levelOf(code);
  const prefix = descendantPrefix(code);
  const childLevel: Record<DivisionLevel, DivisionLevel | undefined> = {
    province: 'prefecture',
    prefecture: 'county',
    county: 'town',
    town: 'village',
    village: undefined,
  };
  const wanted = childLevel[level];
  const out: Division[] = [];
  for (const c of currentNames.keys()) {
    if (c !== code && c.startsWith(prefix) && levelOf(c) === wanted) {
      const d = findDivision(c);
      if (d) out.push(d);
    }
  }
  return out.sort((a, b) => a.code.localeCompare(b.code));
}

/**
 * The provinces (省级), the top of a division picker: GB/T 2260 has no code for the country to ask the
 * children of.
 */
export function provinceDivisions(): Division[] {
  return nbs.provinces
    .map(([code]) => findDivision(`${code}0000`))
    .filter((d): d is Division => d !== undefined)
    .sort((a, b) => a.code.localeCompare(b.code));
}

export interface DivisionSearchHit {
  readonly division: Division;
  /** The name that matched: the current one, a former name of the code, or an earlier place's. */
  readonly matchedName: string;
  /** The matched name is a former name of this place. */
  readonly isFormerName: boolean;
  /**
   * The matched name was another place's: the code was reused (332528 was 衢县 until 1980, then
   * 松阳县, which was never called 衢县). `codePeriod` says when the code was that place's.
   */
  readonly isReusedCode: boolean;
  readonly codePeriod?: { readonly from: number | null; readonly to: number | null };
}

interface NameEntry {
  readonly code: string;
  readonly name: string;
  readonly isFormerName: boolean;
  readonly isReusedCode: boolean;
  readonly codePeriod?: { readonly from: number | null; readonly to: number | null };
}

/** A county-level name without its generic suffix: 衢县 → 衢, 江山市 → 江山, 景宁畲族自治县 → 景宁畲族. */
function nameStem(name: string): string {
  return name.replace(/(自治县|自治旗|林区|特区|县|市|区|旗)$/, '');
}

/**
 * Whether two names of one code are the same place renamed (衢县 → 衢州市, 江山县 → 江山市 share their
 * stem) or the code reused for another place (衢县 → 松阳县 share no character). The MCA lists do not
 * say which; a shared character of the stems is the sign of a rename.
 */
export function isSamePlaceName(a: string, b: string): boolean {
  const stemB = nameStem(b);
  return [...nameStem(a)].some((ch) => stemB.includes(ch));
}

const nameIndex: NameEntry[] = [];
for (const [code, name] of currentNames)
  nameIndex.push({ code, name, isFormerName: false, isReusedCode: false });
for (const [code, periods] of histories) {
  const current = currentNames.get(code);
  // The name the code carries now, or last carried when abolished.
  const latest = current ?? periods.at(-1)?.name ?? '';
  for (const p of new Set(periods.map((x) => x.name))) {
    if (p === current || p === '市辖区' || p === '县') continue;
    const reused = p !== latest && !isSamePlaceName(p, latest);
    const times = periods.filter((x) => x.name === p);
    nameIndex.push({
      code,
      name: p,
      isFormerName: !reused,
      isReusedCode: reused,
      ...(reused ? { codePeriod: { from: times[0]?.from ?? null, to: times.at(-1)?.to ?? null } } : {}),
    });
  }
}

const LEVEL_ORDER: Record<DivisionLevel, number> = {
  province: 0,
  prefecture: 1,
  county: 2,
  town: 3,
  village: 4,
};

/** Narrows a name search: to some levels (towns only), and to the divisions under one division. */
export interface DivisionSearchFilter {
  readonly levels?: readonly DivisionLevel[];
  /** A division code (2–12 digits): only divisions below it are found. */
  readonly within?: string;
}

/** The code prefix all divisions below this one share (330800 → 3308, 330802 → 330802). */
function descendantPrefix(code: string): string {
  const level = levelOf(code);
  return level === 'province' ? code.slice(0, 2) : level === 'prefecture' ? code.slice(0, 4) : code;
}

/**
 * Finds divisions by name, current or former, best matches first: exact name, then names starting with
 * the query, then names containing it; higher levels before lower ones.
 *
 * @example searchDivisions('衢县')[0]?.division.code // '330821'
 * @example searchDivisions('府山', 5, { levels: ['town'] })[0]?.division.code // '330802006' 府山街道
 */
export function searchDivisions(
  query: string,
  limit = 20,
  filter: DivisionSearchFilter = {},
): DivisionSearchHit[] {
  const q = query.trim();
  if (!q) return [];
  const within = filter.within === undefined ? undefined : normalizeDivisionCode(filter.within);
  // An unknown `within` narrows to nothing rather than to everything.
  if (filter.within !== undefined && !within) return [];
  const prefix = within ? descendantPrefix(within) : '';
  const levels = filter.levels && filter.levels.length > 0 ? new Set(filter.levels) : undefined;
  const scored: { entry: NameEntry; rank: number }[] = [];
  for (const entry of nameIndex) {
    if (levels && !levels.has(levelOf(entry.code))) continue;
    if (within && (entry.code === within || !entry.code.startsWith(prefix))) continue;
    const at = entry.name.indexOf(q);
    if (at < 0) continue;
    const rank = entry.name === q ? 0 : at === 0 ? 1 : 2;
    scored.push({ entry, rank });
  }
  scored.sort(
    (a, b) =>
      a.rank - b.rank ||
      Number(a.entry.isFormerName || a.entry.isReusedCode) -
        Number(b.entry.isFormerName || b.entry.isReusedCode) ||
      Number(a.entry.isReusedCode) - Number(b.entry.isReusedCode) ||
      LEVEL_ORDER[levelOf(a.entry.code)] - LEVEL_ORDER[levelOf(b.entry.code)] ||
      a.entry.code.localeCompare(b.entry.code),
  );
  const hits: DivisionSearchHit[] = [];
  const seen = new Set<string>();
  for (const { entry } of scored) {
    if (hits.length >= limit) break;
    if (seen.has(entry.code)) continue;
    const division = findDivision(entry.code);
    if (!division) continue;
    seen.add(entry.code);
    hits.push({
      division,
      matchedName: entry.name,
      isFormerName: entry.isFormerName,
      isReusedCode: entry.isReusedCode,
      ...(entry.codePeriod ? { codePeriod: entry.codePeriod } : {}),
    });
  }
  return hits;
}

/** All bundled towns and villages of a prefecture (for loading into the database). */
export function bundledDivisionsOf(prefecture: (typeof VILLAGE_LEVEL_PREFECTURES)[number]): Division[] {
  const data = prefecture === '330800' ? quzhou : lanzhou;
  return [...data.towns, ...data.villages].flatMap(([code]) => {
    const d = findDivision(code);
    return d ? [d] : [];
  });
}

/** Every current county-level unit in the NBS list (including statistical units). */
export function currentCounties(): Division[] {
  return nbs.counties.flatMap(([code]) => {
    const d = findDivision(code);
    return d ? [d] : [];
  });
}

/** County-level codes of the MCA timeline (current and abolished), for loading into the database. */
export function historicalCountyCodes(): string[] {
  return [...histories.keys()].filter((c) => !c.endsWith('00'));
}

/**
 * Whether the bundled data holds the towns (乡镇、街道) of a county-level code: an address there can be
 * picked down to its town. False for counties elsewhere, whose towns Huji does not ship.
 */
export function hasBundledTowns(countyCode: string): boolean {
  return (
    /^\d{6}$/.test(countyCode) &&
    (VILLAGE_LEVEL_PREFECTURES as readonly string[]).includes(`${countyCode.slice(0, 4)}00`) &&
    childDivisions(countyCode).length > 0
  );
}

/**
 * Whether `townCode` is a current town (乡镇、街道, 9 digits) of the county `countyCode`: what a household
 * address may name beside its county.
 */
export function isTownOfCounty(townCode: string, countyCode: string): boolean {
  if (!/^\d{9}$/.test(townCode) || townCode.slice(0, 6) !== countyCode) return false;
  const town = findDivision(townCode);
  return town?.level === 'town' && town.isCurrent;
}
