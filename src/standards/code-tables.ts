/**
 * National code tables with Simplified Chinese and English labels. Codes are strings exactly as the
 * standard writes them (leading zeros kept). Parent codes group finer codes (GB/T 4761 20 → 22 长子).
 */
export interface CodeEntry {
  readonly code: string;
  readonly zh: string;
  readonly en: string;
  /** The group code this entry refines (e.g. 12 妻 refines 10 配偶). */
  readonly parent?: string;
  /** Former names met in legacy data (崩龙族 for 德昂族). */
  readonly formerNames?: readonly string[];
  /** Two-letter romanised code (GB 3304 only). */
  readonly letters?: string;
  /** True for codes that are not in the standard but are widely used (GB 3304 97 / 98). */
  readonly isExtension?: boolean;
}

export interface CodeTable {
  readonly id: CodeTableId;
  readonly standard: string;
  readonly zh: string;
  readonly en: string;
  readonly entries: readonly CodeEntry[];
}

type Row = readonly [code: string, zh: string, en: string];

const rows = (list: readonly Row[], parentOf?: (code: string) => string | undefined): CodeEntry[] =>
  list.map(([code, zh, en]) => {
    const parent = parentOf?.(code);
    return parent && parent !== code ? { code, zh, en, parent } : { code, zh, en };
  });

/** Group by the first digit followed by 0 (GB/T 4761, GB/T 4658, GB/T 2261.2). */
const decadeParent = (code: string) => (code.endsWith('0') ? undefined : `${code[0]}0`);

const SEX: Row[] = [
  ['0', '未知的性别', 'unknown'],
  ['1', '男', 'male'],
  ['2', '女', 'female'],
  ['9', '未说明的性别', 'unstated'],
];

const MARITAL_STATUS: Row[] = [
  ['10', '未婚', 'unmarried'],
  ['20', '已婚', 'married'],
  ['21', '初婚', 'first marriage'],
  ['22', '再婚', 'remarried'],
  ['23', '复婚', 'remarried to former spouse'],
  ['30', '丧偶', 'widowed'],
  ['40', '离婚', 'divorced'],
  ['90', '未说明的婚姻状况', 'unstated'],
];

const RELATIONSHIP: Row[] = [
  ['01', '本人', 'self'],
  ['02', '户主', 'household head'],
  ['10', '配偶', 'spouse'],
  ['11', '夫', 'husband'],
  ['12', '妻', 'wife'],
  ['20', '子', 'son'],
  ['21', '独生子', 'only son'],
  ['22', '长子', 'eldest son'],
  ['23', '次子', 'second son'],
  ['24', '三子', 'third son'],
  ['25', '四子', 'fourth son'],
  ['26', '五子', 'fifth son'],
  ['27', '养子或继子', 'adopted son or stepson'],
  ['28', '女婿', 'son-in-law'],
  ['29', '其他儿子', 'other son'],
  ['30', '女', 'daughter'],
  ['31', '独生女', 'only daughter'],
  ['32', '长女', 'eldest daughter'],
  ['33', '次女', 'second daughter'],
  ['34', '三女', 'third daughter'],
  ['35', '四女', 'fourth daughter'],
  ['36', '五女', 'fifth daughter'],
  ['37', '养女或继女', 'adopted daughter or stepdaughter'],
  ['38', '儿媳', 'daughter-in-law'],
  ['39', '其他女儿', 'other daughter'],
  ['40', '孙子、孙女或外孙子、外孙女', 'grandchild'],
  ['41', '孙子', "son's son"],
  ['42', '孙女', "son's daughter"],
  ['43', '外孙子', "daughter's son"],
  ['44', '外孙女', "daughter's daughter"],
  ['45', '孙媳妇或外孙媳妇', "grandson's wife"],
  ['46', '孙女婿或外孙女婿', "granddaughter's husband"],
  ['47', '曾孙子或外曾孙子', 'great-grandson'],
  ['48', '曾孙女或外曾孙女', 'great-granddaughter'],
  ['49', '其他孙子、孙女或外孙子、外孙女', 'other grandchild'],
  ['50', '父母', 'parent'],
  ['51', '父亲', 'father'],
  ['52', '母亲', 'mother'],
  ['53', '公公', "husband's father"],
  ['54', '婆婆', "husband's mother"],
  ['55', '岳父', "wife's father"],
  ['56', '岳母', "wife's mother"],
  ['57', '继父或养父', 'stepfather or adoptive father'],
  ['58', '继母或养母', 'stepmother or adoptive mother'],
  ['59', '其他父母关系', 'other parent'],
  ['60', '祖父母或外祖父母', 'grandparent'],
  ['61', '祖父', "father's father"],
  ['62', '祖母', "father's mother"],
  ['63', '外祖父', "mother's father"],
  ['64', '外祖母', "mother's mother"],
  ['65', '配偶的祖父母或外祖父母', "spouse's grandparent"],
  ['66', '曾祖父', 'great-grandfather'],
  ['67', '曾祖母', 'great-grandmother'],
  ['68', '配偶的曾祖父母或外曾祖父母', "spouse's great-grandparent"],
  ['69', '其他祖父母或外祖父母关系', 'other grandparent'],
  ['70', '兄弟姐妹', 'sibling'],
  ['71', '兄', 'elder brother'],
  ['72', '嫂', "elder brother's wife"],
  ['73', '弟', 'younger brother'],
  ['74', '弟媳', "younger brother's wife"],
  ['75', '姐姐', 'elder sister'],
  ['76', '姐夫', "elder sister's husband"],
  ['77', '妹妹', 'younger sister'],
  ['78', '妹夫', "younger sister's husband"],
  ['79', '其他兄弟姐妹', 'other sibling'],
  ['80', '其他', 'other'],
  ['81', '伯父', "father's elder brother"],
  ['82', '伯母', "father's elder brother's wife"],
  ['83', '叔父', "father's younger brother"],
  ['84', '婶母', "father's younger brother's wife"],
  ['85', '舅父', "mother's brother"],
  ['86', '舅母', "mother's brother's wife"],
  ['87', '姨父', "mother's sister's husband"],
  ['88', '姨母', "mother's sister"],
  ['89', '姑父', "father's sister's husband"],
  ['90', '姑母', "father's sister"],
  ['91', '堂兄弟、堂姐妹', 'paternal cousin'],
  ['92', '表兄弟、表姐妹', 'cousin'],
  ['93', '侄子', "brother's son"],
  ['94', '侄女', "brother's daughter"],
  ['95', '外甥', "sister's son"],
  ['96', '外甥女', "sister's daughter"],
  ['97', '其他亲属', 'other relative'],
  ['99', '非亲属', 'non-relative'],
];

/** 01 本人 and 02 户主 stand alone; 80 其他 groups 81–96; 97 and 99 stand alone. */
const relationshipParent = (code: string): string | undefined => {
  const n = Number(code);
  if (n < 10 || n === 97 || n === 99) return undefined;
  return decadeParent(code);
};

const ETHNICITY: readonly (readonly [string, string, string, string, ...string[]])[] = [
  ['01', '汉族', 'Han', 'HA'],
  ['02', '蒙古族', 'Mongol', 'MG'],
  ['03', '回族', 'Hui', 'HU'],
  ['04', '藏族', 'Tibetan', 'ZA'],
  ['05', '维吾尔族', 'Uyghur', 'UG'],
  ['06', '苗族', 'Miao', 'MH'],
  ['07', '彝族', 'Yi', 'YI'],
  ['08', '壮族', 'Zhuang', 'ZH'],
  ['09', '布依族', 'Buyei', 'BY'],
  ['10', '朝鲜族', 'Korean', 'CS'],
  ['11', '满族', 'Manchu', 'MA'],
  ['12', '侗族', 'Dong', 'DO'],
  ['13', '瑶族', 'Yao', 'YA'],
  ['14', '白族', 'Bai', 'BA'],
  ['15', '土家族', 'Tujia', 'TJ'],
  ['16', '哈尼族', 'Hani', 'HN'],
  ['17', '哈萨克族', 'Kazakh', 'KZ'],
  ['18', '傣族', 'Dai', 'DA'],
  ['19', '黎族', 'Li', 'LI'],
  ['20', '傈僳族', 'Lisu', 'LS'],
  ['21', '佤族', 'Va', 'VA'],
  ['22', '畲族', 'She', 'SH'],
  ['23', '高山族', 'Gaoshan', 'GS'],
  ['24', '拉祜族', 'Lahu', 'LH'],
  ['25', '水族', 'Sui', 'SU'],
  ['26', '东乡族', 'Dongxiang', 'DX'],
  ['27', '纳西族', 'Naxi', 'NX'],
  ['28', '景颇族', 'Jingpo', 'JP'],
  ['29', '柯尔克孜族', 'Kirgiz', 'KG'],
  ['30', '土族', 'Tu', 'TU'],
  ['31', '达斡尔族', 'Daur', 'DU'],
  ['32', '仫佬族', 'Mulao', 'ML'],
  ['33', '羌族', 'Qiang', 'QI'],
  ['34', '布朗族', 'Blang', 'BL'],
  ['35', '撒拉族', 'Salar', 'SL'],
  ['36', '毛南族', 'Maonan', 'MN', '毛难族'],
  ['37', '仡佬族', 'Gelao', 'GL'],
  ['38', '锡伯族', 'Xibe', 'XB'],
  ['39', '阿昌族', 'Achang', 'AC'],
  ['40', '普米族', 'Pumi', 'PM'],
  ['41', '塔吉克族', 'Tajik', 'TA'],
  ['42', '怒族', 'Nu', 'NU'],
  ['43', '乌孜别克族', 'Uzbek', 'UZ'],
  ['44', '俄罗斯族', 'Russian', 'RS'],
  ['45', '鄂温克族', 'Evenki', 'EW'],
  ['46', '德昂族', "De'ang", 'DE', '崩龙族'],
  ['47', '保安族', 'Bonan', 'BN'],
  ['48', '裕固族', 'Yugur', 'YG'],
  ['49', '京族', 'Gin', 'GI'],
  ['50', '塔塔尔族', 'Tatar', 'TT'],
  ['51', '独龙族', 'Derung', 'DR'],
  ['52', '鄂伦春族', 'Oroqen', 'OR'],
  ['53', '赫哲族', 'Hezhen', 'HZ'],
  ['54', '门巴族', 'Monpa', 'MB'],
  ['55', '珞巴族', 'Lhoba', 'LB'],
  ['56', '基诺族', 'Jino', 'JN'],
];

const ETHNICITY_EXTENSIONS: Row[] = [
  ['97', '其他（未识别民族）', 'other (unrecognised group)'],
  ['98', '外国血统中国籍人士', 'naturalised citizen of foreign origin'],
];

const EDUCATION: Row[] = [
  ['10', '研究生教育', 'postgraduate'],
  ['11', '博士研究生毕业', 'doctorate, graduated'],
  ['12', '博士研究生结业', 'doctorate, completed without degree'],
  ['13', '博士研究生肄业', 'doctorate, dropped out'],
  ['14', '硕士研究生毕业', "master's, graduated"],
  ['15', '硕士研究生结业', "master's, completed without degree"],
  ['16', '硕士研究生肄业', "master's, dropped out"],
  ['17', '研究生班毕业', 'postgraduate class, graduated'],
  ['18', '研究生班结业', 'postgraduate class, completed'],
  ['19', '研究生班肄业', 'postgraduate class, dropped out'],
  ['20', '大学本科教育', 'bachelor'],
  ['21', '大学本科毕业', 'bachelor, graduated'],
  ['22', '大学本科结业', 'bachelor, completed without degree'],
  ['23', '大学本科肄业', 'bachelor, dropped out'],
  ['28', '大学普通班毕业', 'university ordinary class, graduated'],
  ['30', '大学专科教育', 'college (专科)'],
  ['31', '大学专科毕业', 'college, graduated'],
  ['32', '大学专科结业', 'college, completed'],
  ['33', '大学专科肄业', 'college, dropped out'],
  ['40', '中等职业教育', 'secondary vocational'],
  ['41', '中等专科毕业', 'secondary specialised school, graduated'],
  ['42', '中等专科结业', 'secondary specialised school, completed'],
  ['43', '中等专科肄业', 'secondary specialised school, dropped out'],
  ['44', '职业高中毕业', 'vocational high school, graduated'],
  ['45', '职业高中结业', 'vocational high school, completed'],
  ['46', '职业高中肄业', 'vocational high school, dropped out'],
  ['47', '技工学校毕业', 'technical school, graduated'],
  ['48', '技工学校结业', 'technical school, completed'],
  ['49', '技工学校肄业', 'technical school, dropped out'],
  ['60', '普通高级中学教育', 'senior high school'],
  ['61', '普通高中毕业', 'senior high school, graduated'],
  ['62', '普通高中结业', 'senior high school, completed'],
  ['63', '普通高中肄业', 'senior high school, dropped out'],
  ['70', '初级中学教育', 'junior high school'],
  ['71', '初中毕业', 'junior high school, graduated'],
  ['73', '初中肄业', 'junior high school, dropped out'],
  ['80', '小学教育', 'primary school'],
  ['81', '小学毕业', 'primary school, graduated'],
  ['83', '小学肄业', 'primary school, dropped out'],
  ['90', '其他', 'other'],
];

/** GA 324.1 household type (户口类别) as recorded before the 2014 reform. */
const LEGACY_HUKOU_TYPE: Row[] = [
  ['1', '非农业家庭户口', 'non-agricultural family hukou'],
  ['2', '农业家庭户口', 'agricultural family hukou'],
  ['3', '非农业集体户口', 'non-agricultural collective hukou'],
  ['4', '农业集体户口', 'agricultural collective hukou'],
];

export const CODE_TABLE_IDS = [
  'sex',
  'marital-status',
  'relationship',
  'ethnicity',
  'education',
  'legacy-hukou-type',
] as const;
export type CodeTableId = (typeof CODE_TABLE_IDS)[number];

export const CODE_TABLES: Readonly<Record<CodeTableId, CodeTable>> = {
  sex: { id: 'sex', standard: 'GB/T 2261.1-2003', zh: '人的性别', en: 'Sex', entries: rows(SEX) },
  'marital-status': {
    id: 'marital-status',
    standard: 'GB/T 2261.2-2003',
    zh: '婚姻状况',
    en: 'Marital status',
    entries: rows(MARITAL_STATUS, decadeParent),
  },
  relationship: {
    id: 'relationship',
    standard: 'GB/T 4761-2008',
    zh: '家庭关系（与户主关系）',
    en: 'Relationship to household head',
    entries: rows(RELATIONSHIP, relationshipParent),
  },
  ethnicity: {
    id: 'ethnicity',
    standard: 'GB 3304-1991',
    zh: '民族',
    en: 'Ethnicity',
    entries: [
      ...ETHNICITY.map(([code, zh, en, letters, ...formerNames]) =>
        formerNames.length > 0 ? { code, zh, en, letters, formerNames } : { code, zh, en, letters },
      ),
      ...rows(ETHNICITY_EXTENSIONS).map((e) => ({ ...e, isExtension: true })),
    ],
  },
  education: {
    id: 'education',
    standard: 'GB/T 4658-2006',
    zh: '学历',
    en: 'Education',
    entries: rows(EDUCATION, decadeParent),
  },
  'legacy-hukou-type': {
    id: 'legacy-hukou-type',
    standard: 'GA 324.1-2001',
    zh: '户口类别（改革前）',
    en: 'Legacy hukou type (before the reform)',
    entries: rows(LEGACY_HUKOU_TYPE),
  },
};

export function isCodeTableId(value: string): value is CodeTableId {
  return (CODE_TABLE_IDS as readonly string[]).includes(value);
}

/** Finds an entry by code, or by a current or former Chinese name (崩龙族 finds 46 德昂族). */
export function findCode(table: CodeTableId, codeOrName: string): CodeEntry | undefined {
  const value = codeOrName.trim();
  return CODE_TABLES[table].entries.find(
    (e) => e.code === value || e.zh === value || (e.formerNames?.includes(value) ?? false),
  );
}

/** The label of a code in the given language; the code itself if unknown, so nothing is silently lost. */
/** How a declared unknown (a null code: 民族 or 出生地 不详) is shown. */
export const UNKNOWN_LABEL = { zh: '不详', en: 'unknown' } as const;

/**
 * The label of a code that may be a declared unknown (null).
 * @example optionalCodeLabel('ethnicity', null, 'zh-CN') // '不详'
 */
export function optionalCodeLabel(table: CodeTableId, code: string | null, locale: 'zh-CN' | 'en'): string {
  if (code === null) return locale === 'zh-CN' ? UNKNOWN_LABEL.zh : UNKNOWN_LABEL.en;
  return codeLabel(table, code, locale);
}

export function codeLabel(table: CodeTableId, code: string, locale: 'zh-CN' | 'en'): string {
  const entry = findCode(table, code);
  if (!entry) return code;
  return locale === 'zh-CN' ? entry.zh : entry.en;
}
