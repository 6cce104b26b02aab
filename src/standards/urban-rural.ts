/**
 * NBS urban-rural classification codes (统计用城乡划分代码, per 国函〔2008〕60号), set per village-level
 * unit each year with 30 June as the reference date.
 */
export const URBAN_RURAL_CLASSES = {
  '111': { zh: '主城区', en: 'main urban area', isUrban: true },
  '112': { zh: '城乡结合区', en: 'urban-rural fringe', isUrban: true },
  '121': { zh: '镇中心区', en: 'town centre', isUrban: true },
  '122': { zh: '镇乡结合区', en: 'town-village fringe', isUrban: true },
  '123': { zh: '特殊区域', en: 'special area', isUrban: true },
  '210': { zh: '乡中心区', en: 'township centre', isUrban: false },
  '220': { zh: '村庄', en: 'village', isUrban: false },
} as const;

export type UrbanRuralCode = keyof typeof URBAN_RURAL_CLASSES;

export function isUrbanRuralCode(value: string): value is UrbanRuralCode {
  return Object.hasOwn(URBAN_RURAL_CLASSES, value);
}

/** Urban (城镇) for 1xx codes, rural (乡村) for 2xx codes. */
export function isUrban(code: UrbanRuralCode): boolean {
  return URBAN_RURAL_CLASSES[code].isUrban;
}
