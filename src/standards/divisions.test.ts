import { describe, expect, it } from 'vitest';
import {
  addressCodeHistory,
  bundledDivisionsOf,
  childDivisions,
  isSamePlaceName,
  findDivision,
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
