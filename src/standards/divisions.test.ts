import { describe, expect, it } from 'vitest';
import {
  addressCodeHistory,
  bundledDivisionsOf,
  childDivisions,
  isSamePlaceName,
  findDivision,
  hasBundledTowns,
  isTownOfCounty,
  normalizeDivisionCode,
  searchDivisions,
} from './divisions.js';

describe('findDivision', () => {
  it('tags the counties of Quzhou as district, county or county-level city', () => {
    const kinds = Object.fromEntries(
      childDivisions('330800').map((d) => [d.code, `${d.name} ${d.countyKind}`]),
    );
    expect(kinds).toEqual({
      '330802': '柯城区 district',
      '330803': '衢江区 district',
      '330822': '常山县 county',
      '330824': '开化县 county',
      '330825': '龙游县 county',
      '330881': '江山市 county-level-city',
    });
  });

  it('lists the eight Lanzhou districts and counties and marks 兰州新区 as a statistical unit', () => {
    const units = childDivisions('6201');
    expect(units.filter((d) => !d.isStatisticalUnit).map((d) => d.code)).toEqual([
      '620102',
      '620103',
      '620104',
      '620105',
      '620111',
      '620121',
      '620122',
      '620123',
    ]);
    expect(findDivision('620171')).toMatchObject({
      name: '兰州新区',
      countyKind: 'statistical-unit',
      isStatisticalUnit: true,
    });
  });

  it('finds the abolished 330821 衢县 with the years of its name', () => {
    expect(findDivision('330821')).toMatchObject({
      name: '衢县',
      isCurrent: false,
      history: [{ name: '衢县', from: 1985, to: 2000 }],
      path: [
        { code: '330000', name: '浙江省' },
        { code: '330800', name: '衢州市' },
      ],
    });
  });

  it('finds towns and villages of the bundled cities with their kinds', () => {
    expect(findDivision('330802005')).toMatchObject({
      name: '新新街道',
      level: 'town',
      townKind: 'sub-district',
    });
    expect(findDivision('330802005002')).toMatchObject({
      level: 'village',
      villageKind: 'residents-committee',
      path: [{ name: '浙江省' }, { name: '衢州市' }, { name: '柯城区' }, { name: '新新街道' }],
    });
    const villages = bundledDivisionsOf('330800').filter((d) => d.level === 'village');
    expect(villages.length).toBeGreaterThan(1000);
    expect(villages.some((d) => d.villageKind === 'villagers-committee')).toBe(true);
  });

  it('accepts 2- and 4-digit codes for provinces and prefectures', () => {
    expect(normalizeDivisionCode('33')).toBe('330000');
    expect(normalizeDivisionCode('3308')).toBe('330800');
    expect(normalizeDivisionCode('33080')).toBeUndefined();
    expect(findDivision('3308')?.name).toBe('衢州市');
  });

  it('returns undefined for codes that never existed', () => {
    expect(findDivision('990101')).toBeUndefined();
    expect(findDivision('abc')).toBeUndefined();
  });

  it('keeps every name of a reused code (419001 义马市 then 济源市)', () => {
    expect(addressCodeHistory('419001').map((p) => p.name)).toEqual(['义马市', '济源市']);
  });
});

describe('searchDivisions', () => {
  it('finds a county by its former name', () => {
    const [first] = searchDivisions('衢县');
    expect(first).toMatchObject({ matchedName: '衢县', isFormerName: true, division: { code: '330821' } });
  });

  it('does not present a reused code as the place’s former name: 332528 was 衢县, then 松阳县', () => {
    const hit = searchDivisions('衢县').find((h) => h.division.code === '332528');
    expect(hit).toMatchObject({
      matchedName: '衢县',
      isFormerName: false,
      isReusedCode: true,
      codePeriod: { from: null, to: 1980 },
      division: { name: '松阳县' },
    });
    // A rename keeps a character of the name: 义马市 → 济源市 shares none (reused), 衢县 → 衢州市 does.
    expect(isSamePlaceName('衢县', '松阳县')).toBe(false);
    expect(isSamePlaceName('义马市', '济源市')).toBe(false);
    expect(isSamePlaceName('衢县', '衢州市')).toBe(true);
    expect(isSamePlaceName('江山县', '江山市')).toBe(true);
  });

  it('puts the exact match first, then higher levels', () => {
    expect(searchDivisions('兰州市')[0]?.division.code).toBe('620100');
    expect(searchDivisions('柯城')[0]?.division.code).toBe('330802');
  });

  it('finds villages of the bundled cities', () => {
    expect(searchDivisions('书香社区').some((h) => h.division.code === '330802005002')).toBe(true);
  });

  it('returns nothing for an empty query and honours the limit', () => {
    expect(searchDivisions('  ')).toEqual([]);
    expect(searchDivisions('区', 5)).toHaveLength(5);
  });
});

describe('towns (乡镇、街道) of a county', () => {
  it('lists the towns of 柯城区 and of 城关区 with their nine-digit codes and kinds', () => {
    const kecheng = childDivisions('330802');
    expect(kecheng.every((t) => t.level === 'town' && /^330802\d{3}$/.test(t.code))).toBe(true);
    expect(kecheng.find((t) => t.name === '府山街道')).toMatchObject({
      code: '330802006',
      townKind: 'sub-district',
      path: [
        { code: '330000', name: '浙江省' },
        { code: '330800', name: '衢州市' },
        { code: '330802', name: '柯城区' },
      ],
    });
    expect(childDivisions('620102').map((t) => t.name)).toContain('酒泉路街道');
  });

  it('finds a town by part of its name, towns only, with its county on the path', () => {
    const hits = searchDivisions('府山', 10, { levels: ['town'] });
    expect(hits.map((h) => h.division.code)).toEqual(['330802006']);
    expect(hits[0]?.division.path.at(-1)?.name).toBe('柯城区');
    // Without the filter the village 府山社区 is found too.
    expect(searchDivisions('府山').some((h) => h.division.level === 'village')).toBe(true);
  });

  it('searches within one county only', () => {
    const inQujiang = searchDivisions('街道', 50, { levels: ['town'], within: '330803' });
    expect(inQujiang.map((h) => h.division.name).sort()).toEqual(['樟潭街道', '浮石街道'].sort());
    expect(searchDivisions('府山', 10, { levels: ['town'], within: '330803' })).toEqual([]);
    expect(searchDivisions('府山', 10, { within: 'x' })).toEqual([]);
    // The county itself is not its own descendant.
    expect(searchDivisions('柯城', 10, { within: '330802' })).toEqual([]);
  });

  it('knows which counties have their towns bundled and which towns belong to a county', () => {
    expect(hasBundledTowns('330802')).toBe(true);
    expect(hasBundledTowns('620102')).toBe(true);
    expect(hasBundledTowns('330102')).toBe(false);
    expect(hasBundledTowns('3308')).toBe(false);
    expect(isTownOfCounty('330802006', '330802')).toBe(true);
    expect(isTownOfCounty('330802006', '330803')).toBe(false);
    expect(isTownOfCounty('330802999', '330802')).toBe(false);
    expect(isTownOfCounty('330802006003', '330802')).toBe(false);
  });
});
