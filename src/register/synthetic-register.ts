/**
 * A seeded, realistic synthetic population register of Quzhou or Lanzhou: households in real towns and
 * villages with members whose ages, sexes, relationships, names, citizen ID numbers, education,
 * marital status, ethnicity, occupation and pre-reform hukou nature fit together. Optionally some
 * persons are registered a second time elsewhere (一人多户), with the truth recorded, to measure
 * duplicate detection. For tests, benchmarks and demos; pure (no I/O) and deterministic per seed.
 *
 * Sources of the shapes (rounded): age pyramid and household sizes of the 2020 census, sex ratio at
 * birth ~105, surname frequencies of the 2020 household-register ranking, ethnic make-up of Zhejiang
 * and Lanzhou, education by birth cohort from the 2020 census. Stated guesses: migration shares, move-in
 * dates, occupations, how duplicates arise.
 */
import { fakerZH_CN } from '@faker-js/faker';
import { CITY_COUNTIES, seededRandom, type City } from '../policy/synthetic-population.js';
import { composeCitizenId } from '../standards/citizen-id.js';
import { bundledDivisionsOf, currentCounties, type Division } from '../standards/divisions.js';
import type { Household, Membership, Person } from './model.js';
import { characterPinyin, isOneCharacterApart, nameFeatures } from './name-similarity.js';

export interface SyntheticRegisterOptions {
  readonly city: City;
  /** Persons to generate (duplicate registrations come on top); the last household may be cut short. */
  readonly persons: number;
  readonly seed?: number;
  /** Share of persons registered a second time in another household (一人多户); default 0. */
  readonly duplicateRate?: number;
  /** The day the register is a snapshot of: ages are counted to it, nothing happens after it. */
  readonly referenceDate?: string;
}

/** How a duplicate registration differs from the original record. */
export type DuplicateKind = 'same-citizen-id' | 'same-name' | 'homophone' | 'one-character-different';

export interface SyntheticMember {
  readonly person: Person;
  readonly membership: Membership;
  /** On a duplicate registration: the person id of the original record (the ground truth). */
  readonly duplicateOf?: string;
  readonly duplicateKind?: DuplicateKind;
}

export interface SyntheticHousehold {
  readonly household: Household;
  readonly members: SyntheticMember[];
}

export interface DuplicateTruth {
  readonly original: string;
  readonly duplicate: string;
  readonly kind: DuplicateKind;
}

/** China 2020 census (七普): shares of the population by broad age group. */
export const AGE_GROUP_TARGETS = { '0-14': 0.1795, '15-59': 0.6335, '60+': 0.187 } as const;

/** China 2020 census: family households by number of members. */
export const HOUSEHOLD_SIZE_TARGETS = { '1': 0.25, '2': 0.3, '3': 0.21, '4': 0.13, '5+': 0.11 } as const;

/** Share of households that are collective households (集体户: schools, employers). */
export const COLLECTIVE_HOUSEHOLD_SHARE = 0.01;

/** The day the agricultural / non-agricultural distinction ended in each city. */
export const HUKOU_REFORM_DATES: Readonly<Record<City, string>> = {
  quzhou: '2017-06-30',
  lanzhou: '2017-11-21',
};

const DEFAULT_REFERENCE_DATE = '2025-06-30';
const CITY_PREFECTURES = { quzhou: '330800', lanzhou: '620100' } as const;

// ---------------------------------------------------------------------------------------------------
// Distributions

type Random = () => number;
type Sex = '1' | '2';
type Weighted<T> = readonly (readonly [T, number])[];

/** A weighted choice with cumulative weights, picked by binary search. */
interface Picker<T> {
  readonly values: readonly T[];
  readonly cumulative: Float64Array;
}

function picker<T>(entries: Weighted<T>): Picker<T> {
  const cumulative = new Float64Array(entries.length);
  let sum = 0;
  entries.forEach(([, weight], i) => {
    sum += weight;
    cumulative[i] = sum;
  });
  return { values: entries.map(([value]) => value), cumulative };
}

function pick<T>(random: Random, { values, cumulative }: Picker<T>): T {
  const r = random() * (cumulative[cumulative.length - 1] ?? 0);
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] ?? 0) > r) hi = mid;
    else lo = mid + 1;
  }
  return values[lo] as T;
}

const between = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const oneOf = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

/** Zipf-like weights for a list ordered from most to least common. */
const zipf = (items: readonly string[]): Weighted<string> => items.map((item, i) => [item, 1 / (i + 3)]);

/** 2020 census, millions of people by 5-year age band (the last band is 100+). */
const AGE_BANDS: readonly (readonly [from: number, to: number, millions: number])[] = [
  [0, 4, 77.88],
  [5, 9, 90.24],
  [10, 14, 85.26],
  [15, 19, 72.68],
  [20, 24, 74.94],
  [25, 29, 91.85],
  [30, 34, 124.14],
  [35, 39, 99.01],
  [40, 44, 93.17],
  [45, 49, 114.22],
  [50, 54, 121.16],
  [55, 59, 101.4],
  [60, 64, 73.39],
  [65, 69, 74.01],
  [70, 74, 49.59],
  [75, 79, 30.85],
  [80, 84, 20.38],
  [85, 89, 10.71],
  [90, 94, 4.16],
  [95, 99, 0.96],
  [100, 104, 0.04],
];
const GROUP_TARGETS = [AGE_GROUP_TARGETS['0-14'], AGE_GROUP_TARGETS['15-59'], AGE_GROUP_TARGETS['60+']];
const ageGroupOf = (age: number) => (age < 15 ? 0 : age < 60 ? 1 : 2);

const FAMILY_SIZES = picker<number>([
  [1, 25],
  [2, 30],
  [3, 21],
  [4, 13],
  [5, 6.2],
  [6, 2.9],
  [7, 1.1],
  [8, 0.5],
  [9, 0.2],
  [10, 0.1],
]);

/** Mother's age at a birth. */
const MOTHER_AGE_AT_BIRTH = picker<number>([
  [20, 3],
  [21, 4],
  [22, 6],
  [23, 7],
  [24, 8],
  [25, 9],
  [26, 9],
  [27, 9],
  [28, 8],
  [29, 7],
  [30, 6],
  [31, 5],
  [32, 4],
  [33, 3],
  [34, 3],
  [35, 2],
  [36, 2],
  [37, 1],
  [38, 1],
  [39, 0.5],
  [40, 0.5],
]);

/** Husband's age minus wife's. */
const SPOUSE_AGE_DIFFERENCE = picker<number>([
  [-2, 3],
  [-1, 6],
  [0, 14],
  [1, 18],
  [2, 18],
  [3, 14],
  [4, 10],
  [5, 7],
  [6, 5],
  [7, 3],
  [8, 2],
]);

/** Years between siblings; 0 makes twins (~1.5 % of births). */
const SIBLING_SPACING = picker<number>([
  [0, 1.5],
  [1, 10],
  [2, 30],
  [3, 25],
  [4, 15],
  [5, 9],
  [6, 6],
  [8, 3.5],
]);

const MALE_AT_BIRTH = 105 / 205;

/** Top 100 surnames, per 10,000 people (2020 household-register ranking, rounded). */
const TOP_SURNAMES: Weighted<string> = [
  ['王', 725],
  ['李', 719],
  ['张', 683],
  ['刘', 538],
  ['陈', 453],
  ['杨', 308],
  ['黄', 223],
  ['赵', 219],
  ['吴', 205],
  ['周', 187],
  ['徐', 146],
  ['孙', 138],
  ['马', 129],
  ['朱', 126],
  ['胡', 113],
  ['郭', 113],
  ['何', 105],
  ['高', 100],
  ['林', 99],
  ['罗', 87],
  ['郑', 80],
  ['梁', 79],
  ['谢', 68],
  ['宋', 61],
  ['唐', 61],
  ['许', 59],
  ['韩', 55],
  ['邓', 55],
  ['冯', 54],
  ['曹', 52],
  ['彭', 50],
  ['曾', 49],
  ['肖', 49],
  ['田', 48],
  ['董', 47],
  ['潘', 45],
  ['袁', 45],
  ['蔡', 43],
  ['蒋', 43],
  ['余', 42],
  ['于', 42],
  ['杜', 41],
  ['叶', 41],
  ['程', 40],
  ['魏', 38],
  ['苏', 38],
  ['吕', 37],
  ['丁', 37],
  ['任', 36],
  ['卢', 35],
  ['姚', 34],
  ['沈', 33],
  ['钟', 33],
  ['姜', 33],
  ['崔', 32],
  ['谭', 32],
  ['陆', 32],
  ['范', 30],
  ['汪', 30],
  ['廖', 30],
  ['石', 29],
  ['金', 29],
  ['韦', 27],
  ['贾', 27],
  ['夏', 27],
  ['付', 26],
  ['方', 26],
  ['邹', 25],
  ['熊', 25],
  ['白', 25],
  ['孟', 24],
  ['秦', 24],
  ['邱', 24],
  ['侯', 23],
  ['江', 23],
  ['尹', 22],
  ['薛', 22],
  ['闫', 21],
  ['段', 21],
  ['雷', 21],
  ['龙', 20],
  ['黎', 20],
  ['史', 20],
  ['陶', 20],
  ['贺', 19],
  ['毛', 18],
  ['郝', 18],
  ['顾', 18],
  ['龚', 18],
  ['邵', 17],
  ['万', 17],
  ['覃', 16],
  ['武', 16],
  ['钱', 16],
  ['戴', 16],
  ['严', 15],
  ['莫', 15],
  ['孔', 15],
  ['向', 15],
  ['常', 15],
];

/** The remaining ~13 % share out over other surnames (faker's list and these), compound ones rarer. */
const OTHER_SURNAMES_SHARE = 1300;
const MORE_SURNAMES = '汤祝柴傅申左尚季殷牛温葛庞詹包池连翁鲍单舒甘管卜柏聂苗蓝章俞祁邢毕涂裴赖齐童柯宁关';

/** Surnames more common locally: 江山 and 常山 毛 / 徐 / 姜 / 汪; 马 and 魏 in Lanzhou. */
const LOCAL_SURNAME_FACTORS: Readonly<Record<City, Readonly<Record<string, number>>>> = {
  quzhou: { 毛: 4, 徐: 2.5, 姜: 3, 汪: 3, 余: 2.5, 方: 2.5, 郑: 2, 叶: 2, 周: 1.5, 祝: 3, 傅: 2 },
  lanzhou: { 马: 2, 魏: 2, 杨: 1.3, 张: 1.3, 王: 1.2, 李: 1.2, 赵: 1.2 },
};

/** Surnames of the Hui, Dongxiang, Salar and Bonan in Gansu, where 马 leads. */
const HUI_SURNAMES: Weighted<string> = [
  ['马', 300],
  ['杨', 50],
  ['王', 50],
  ['白', 40],
  ['李', 40],
  ['丁', 30],
  ['穆', 30],
  ['韩', 30],
  ['张', 30],
  ['冶', 25],
  ['沙', 20],
  ['海', 20],
  ['何', 20],
  ['金', 20],
  ['妥', 15],
  ['汪', 15],
  ['哈', 10],
  ['喇', 10],
];
const SHE_SURNAMES: Weighted<string> = [
  ['雷', 35],
  ['蓝', 35],
  ['钟', 25],
  ['李', 5],
];

/**
 * Characters of given names by sex and birth cohort (before 1960, 1960–79, 1980–99, 2000 on), first
 * and second position, most common first. Single-character names draw from the second position.
 */
const GIVEN_NAME_CHARACTERS: Readonly<Record<Sex, readonly (readonly [first: string, second: string])[]>> = {
  '1': [
    [
      '德福富金玉国建志文永长万有春树学明荣宝庆兴全光昌家成仁兆汉维正守世广秋水连桂',
      '福贵财宝根生发明山海林华昌祥忠义庆清成顺和兴民平才喜水元堂仁章寿年田泉友勤良云甫奎昆银炳',
    ],
    [
      '建国卫志立振红晓小海永文新宏俊德春军学向胜东爱利伟忠洪庆金',
      '国军华平伟明强勇斌辉林刚东峰新文波杰涛宏兵忠亮鹏飞龙健云民荣兴虎雄彪标晖坚武春宁洪',
    ],
    [
      '志家子天文永俊晓鹏宇浩明振建海嘉佳国立凯思鸿泽一伟少亚金良',
      '伟磊涛杰斌超鹏浩勇强军俊鑫宇帅凯亮健峰龙阳帆波明晨旭锋辉飞博毅雷剑宁炜翔铭彬骏哲豪诚晟昊威琦航林程',
    ],
    [
      '子梓浩宇俊博一嘉天睿沐景奕思皓家明若书铭泽逸文宸煜锦承昊瑞乐伟志安',
      '轩涵睿泽铭辰宸晨航杰豪然皓诺熙逸宇阳瑞煜昊鑫锦恒霖哲翔晟乐宏佑言安博霆朗楷烨凡川远骁驰泓澄钧策晖卓',
    ],
  ],
  '2': [
    ['秀桂玉淑凤金翠素美月春彩银兰丽英菊雪爱惠巧', '英兰珍芳华花梅莲香菊珠娥云荣琴仙凤贞娣妹秀霞琼玲'],
    ['丽红秀晓春雪玉桂海建小美爱卫彩艳冬秋亚金', '丽红艳敏芳英华霞萍燕静玲娟梅琴云芬平莉琼丹虹娥珍洁香凤'],
    [
      '晓丽佳文雅思梦诗雪婷慧欣美小静春海晶紫嘉心若',
      '静敏燕娟艳婷霞芳雪琳颖倩洁慧晶娜莉丹萍欣悦瑶蕾璐媛月雯婧蓉薇娇妮茜琪楠玥莎怡',
    ],
    [
      '梓雨诗子可欣佳语一思若嘉沐依心安书梦奕紫芷雅悦伊佩婉舒',
      '涵萱怡彤琪悦馨妍婷瑶宁雅菲薇钰乐晴汐然希琳诺萌晗桐菡歆淇婕柔璇',
    ],
  ],
};
/** Share of one-character given names by cohort (they peaked in the 1960s–90s). */
const SINGLE_CHARACTER_SHARE = [0.2, 0.3, 0.25, 0.08];
const GIVEN_FALLBACK = [picker([['明', 1]]), picker([['华', 1]])] as const;
const cohortOf = (birthYear: number) =>
  birthYear < 1960 ? 0 : birthYear < 1980 ? 1 : birthYear < 2000 ? 2 : 3;

/** More characters used in names, so that homophones (同音字) of name characters can be found. */
const HOMOPHONE_CHARACTERS =
  '玮炜薇巍维威卫蔚婧靖敬菁京璟莉力立利俐理礼珊姗杉山善叁三纳雁彦颜言岩炎延方舫民珉闵蕾垒雷韬滔桃陶婕捷节彬宾滨朝潮朋蓬昊颢灏雨语羽钰煜昱毓育裕萱宣暄璇晗寒含函翰瀚汉瑞锐蕊则择鸣名茗陈臣琛洋扬心馨新昕芯宜仪依伊逸亦艺毅益翼亭庭廷霆琦祺淇棋其奇骐麒嘉家加珈越玥跃岳桐童潼同桦骅苹屏宏洪鸿弘泓虹君钧峻骏永咏泳钢纲冬栋锋丰枫风柏伯良靓菲非霏斐隆珑健剑雯闻惠晖卉汇侠瑛莹盈樱岚蓝澜玫媚勤芹秦芸昀韵恺锴楷煦序凝柠曦溪西夕遥尧谣露路鹿禄源元园圆远缘亚娅丝斯孟蒙萌情清青卿冉霖麟临铃灵凌羚紫姿茜鹃隽分纷真甄甫芙桂彩采保葆升声胜笙常畅翔湘香相中仲众城诚承橙呈澄舜禾荷河合兴星杏幸熙唐棠人任彰璋得果智芝之致至友右春纯淳舒书殊学雪蓉容融嵘震镇孝筱笑田甜恬添杭瑾谨槿衡喆盛圣木牧穆慕师施珂';

/** Rare characters met in names (CJK extensions A, B, E), which older systems cannot store or type. */
export const RARE_CHARACTERS = ['䶮', '𠮷', '㛃', '𬘭', '𬀪', '𬊈', '𬌗'];
const RARE_NAME_SHARE = 0.0001;

/** Tibetan names (Amdo usage in Gansu): one or two elements, no family name. */
const TIBETAN_ELEMENTS = {
  common: ['才让', '扎西', '尼玛', '达瓦', '索南', '格桑', '次仁', '旦增'],
  '1': ['多吉', '道吉', '贡保', '桑杰', '更登', '完么', '才旦', '加措'],
  '2': ['卓玛', '拉姆', '央金', '措姆', '德吉', '曲珍', '卓嘎', '拉毛', '吉毛', '才措'],
} as const;

/** GB 3304 codes with their shares (per 10,000) of the registered population. */
const ETHNICITIES: Readonly<Record<City, Weighted<string>>> = {
  quzhou: [
    ['01', 9930],
    ['22', 45],
    ['15', 6],
    ['06', 6],
    ['09', 4],
    ['03', 3],
    ['08', 3],
    ['11', 3],
  ],
  lanzhou: [
    ['01', 9500],
    ['03', 300],
    ['26', 60],
    ['04', 50],
    ['11', 30],
    ['30', 15],
    ['02', 15],
    ['35', 10],
    ['47', 5],
    ['48', 5],
    ['10', 5],
    ['05', 5],
  ],
};
const HUI_NAMED = new Set(['03', '26', '35', '47']);

/** Education (GB/T 4658) of adults by birth cohort: ≥ 1990, 1975–89, 1960–74, 1945–59, before. '' = none. */
const EDUCATION_BY_COHORT: readonly Weighted<string>[] = [
  [
    ['14', 3],
    ['11', 0.3],
    ['21', 22],
    ['31', 20],
    ['41', 4],
    ['44', 3],
    ['47', 3],
    ['61', 15],
    ['71', 27],
    ['81', 2.5],
    ['', 0.2],
  ],
  [
    ['14', 1.5],
    ['11', 0.2],
    ['21', 12],
    ['31', 13],
    ['41', 4],
    ['44', 2],
    ['47', 2],
    ['61', 15],
    ['71', 40],
    ['81', 10],
    ['', 0.5],
  ],
  [
    ['14', 0.3],
    ['21', 4],
    ['31', 6],
    ['41', 4],
    ['44', 1],
    ['61', 16],
    ['71', 42],
    ['81', 24],
    ['83', 2],
    ['', 2],
  ],
  [
    ['21', 2],
    ['31', 3],
    ['41', 2],
    ['61', 12],
    ['71', 28],
    ['81', 35],
    ['83', 6],
    ['', 12],
  ],
  [
    ['21', 1],
    ['31', 1],
    ['61', 5],
    ['71', 12],
    ['81', 30],
    ['83', 10],
    ['', 41],
  ],
];
const TERTIARY = new Set(['11', '14', '21', '31']);

const URBAN_OCCUPATIONS = picker<string>([
  ['企业职员', 25],
  ['工人', 18],
  ['个体工商户', 12],
  ['商业服务业人员', 12],
  ['专业技术人员', 10],
  ['无业', 10],
  ['自由职业', 5],
  ['公务员', 3],
  ['教师', 3],
  ['医务人员', 2],
]);
const RURAL_OCCUPATIONS = picker<string>([
  ['农民', 45],
  ['外出务工人员', 25],
  ['无业', 10],
  ['工人', 8],
  ['个体工商户', 7],
  ['商业服务业人员', 5],
]);

const DUPLICATE_KINDS = picker<DuplicateKind>([
  ['same-citizen-id', 40],
  ['same-name', 25],
  ['homophone', 20],
  ['one-character-different', 15],
]);

// ---------------------------------------------------------------------------------------------------
// Dates (as days since 1970-01-01, UTC)

const DAY_MS = 86_400_000;
const YEAR_DAYS = 365.2425;

function epochDay(iso: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) throw new RangeError(`date must be YYYY-MM-DD: ${iso}`);
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
}

// ---------------------------------------------------------------------------------------------------
// Places

interface Place {
  readonly countyCode: string;
  readonly townCode: string;
  readonly villageCode: string;
  readonly text: string;
  readonly urbanRuralClass: NonNullable<Household['address']['urbanRuralClass']>;
  readonly isUrban: boolean;
  /** The GB/T 2260 county people born here are born in (兰州新区 is a statistical unit, not a county). */
  readonly birthCounty: string;
}

/**
 * The NBS urban-rural class a village-level unit most likely has, from its kind and its township's: a
 * residents' committee of a sub-district lies in the main urban area (of a county: the county seat), a
 * villagers' committee of a sub-district on the urban fringe, one of a town or township in the country.
 */
function urbanRuralClassOf(village: Division, town: Division, countyKind: Division['countyKind']) {
  if (village.villageKind === 'villagers-committee') return town.townKind === 'sub-district' ? '112' : '220';
  switch (town.townKind) {
    case 'sub-district':
      return countyKind === 'county' ? '121' : '111';
    case 'town':
      return '121';
    case 'township':
      return '210';
    case 'special-area':
    case undefined:
      return '123';
  }
}

/** 兰州新区 towns were taken from 永登县 (中川, 秦川, 上川) and 皋兰县 (西岔). */
function birthCountyOf(countyCode: string, townCode: string): string {
  if (countyCode !== '620171') return countyCode;
  return townCode === '620171103' ? '620122' : '620121';
}

function shortVillageName(village: Division): string {
  const base = village.name.replace(/(村民委员会|村委会|居民委员会|社区居委会|居委会|委会)$/, '');
  if (village.villageKind === 'villagers-committee') return base.endsWith('村') ? base : `${base}村`;
  return /(社区|生活区)$/.test(base) ? base : `${base}社区`;
}

// ---------------------------------------------------------------------------------------------------
// The generator's state

interface Pools {
  readonly surnames: Picker<string>;
  readonly huiSurnames: Picker<string>;
  readonly sheSurnames: Picker<string>;
  /** [sex][cohort] → first and second position characters. */
  readonly given: Readonly<Record<Sex, readonly (readonly [Picker<string>, Picker<string>])[]>>;
  /** Two-character given names from faker's zh_CN locale, by sex. */
  readonly fakerGiven: Readonly<Record<Sex, readonly string[]>>;
  readonly givenCharacters: readonly string[];
  readonly givenHomophones: ReadonlyMap<string, readonly string[]>;
  readonly surnameHomophones: ReadonlyMap<string, readonly string[]>;
  readonly streets: readonly string[];
}

interface Context {
  readonly random: Random;
  readonly city: City;
  readonly referenceDay: number;
  readonly reformDay: number;
  readonly reformDate: string;
  readonly pools: Pools;
  readonly ethnicities: Picker<string>;
  readonly counties: Picker<string>;
  readonly places: ReadonlyMap<string, { all: Picker<Place>; collective: Picker<Place> }>;
  readonly cityCounties: readonly string[];
  readonly provinceCounties: readonly string[];
  readonly countryCounties: readonly string[];
  readonly prefectureCounties: ReadonlyMap<string, readonly string[]>;
  readonly householdSerials: Map<string, number>;
  /** Per (address code, birth day, sex): sequences used × 1024 + the next sequence. */
  readonly sequences: Map<number, number>;
  readonly isoDates: (string | undefined)[];
  /** Persons generated per broad age group, to steer the free ages toward the census pyramid. */
  readonly groupCounts: [number, number, number];
  readonly boost: [number, number, number];
  readonly bandWeights: Float64Array;
}

function buildPools(city: City): Pools {
  const person = fakerZH_CN.rawDefinitions.person;
  const fakerSurnames = person?.last_name?.generic ?? [];
  const factors = LOCAL_SURNAME_FACTORS[city];
  const top = new Set(TOP_SURNAMES.map(([s]) => s));
  const others = [...new Set([...fakerSurnames, ...MORE_SURNAMES])].filter((s) => !top.has(s));
  const otherWeight = OTHER_SURNAMES_SHARE / others.length;
  const surnames: [string, number][] = [
    ...TOP_SURNAMES.map(([s, w]): [string, number] => [s, w]),
    ...others.map((s): [string, number] => [s, [...s].length > 1 ? otherWeight / 5 : otherWeight]),
  ].map(([s, w]) => [s, w * (factors[s] ?? 1)]);

  const given = {} as Record<Sex, (readonly [Picker<string>, Picker<string>])[]>;
  const givenCharacters = new Set<string>();
  for (const sex of ['1', '2'] as const) {
    given[sex] = GIVEN_NAME_CHARACTERS[sex].map(([first, second]) => {
      for (const c of first + second) givenCharacters.add(c);
      return [picker(zipf([...new Set(first)])), picker(zipf([...new Set(second)]))] as const;
    });
  }
  const firstNames = person?.first_name;
  const twoCharacters = (names: readonly string[] | undefined) =>
    (names ?? []).filter((n) => [...n].length === 2);
  const fakerGiven = {
    '1': twoCharacters(firstNames?.male),
    '2': twoCharacters(firstNames?.female),
  };
  for (const list of Object.values(fakerGiven))
    for (const n of list) for (const c of n) givenCharacters.add(c);

  const groupBy = (characters: Iterable<string>, isSurname: boolean) => {
    const map = new Map<string, string[]>();
    for (const c of characters) {
      const reading = characterPinyin(c, isSurname);
      const list = map.get(reading);
      if (list) list.push(c);
      else map.set(reading, [c]);
    }
    return map;
  };
  const allGiven = [...givenCharacters];
  return {
    surnames: picker(surnames),
    huiSurnames: picker(HUI_SURNAMES),
    sheSurnames: picker(SHE_SURNAMES),
    given,
    fakerGiven,
    givenCharacters: allGiven,
    givenHomophones: groupBy(new Set([...allGiven, ...HOMOPHONE_CHARACTERS]), false),
    surnameHomophones: groupBy(
      surnames.map(([s]) => s).filter((s) => [...s].length === 1),
      true,
    ),
    streets: fakerZH_CN.rawDefinitions.location?.street_name ?? ['人民路'],
  };
}

function buildPlaces(city: City): Context['places'] {
  const divisions = bundledDivisionsOf(CITY_PREFECTURES[city]);
  const towns = new Map(divisions.filter((d) => d.level === 'town').map((d) => [d.code, d]));
  const countyKinds = new Map(currentCounties().map((d) => [d.code, d.countyKind]));
  const byCounty = new Map<string, { all: [Place, number][]; collective: [Place, number][] }>();
  for (const village of divisions) {
    if (village.level !== 'village' || village.name.includes('虚拟')) continue;
    const town = towns.get(village.code.slice(0, 9));
    if (!town || town.name.includes('监狱')) continue;
    const countyCode = village.code.slice(0, 6);
    const county = village.path[2];
    const urbanRuralClass = urbanRuralClassOf(village, town, countyKinds.get(countyCode));
    const isUrban = urbanRuralClass.startsWith('1');
    const place: Place = {
      countyCode,
      townCode: town.code,
      villageCode: village.code,
      text: `${village.path[1]?.name ?? ''}${county?.name ?? ''}${town.name}${shortVillageName(village)}`,
      urbanRuralClass,
      isUrban,
      birthCounty: birthCountyOf(countyCode, town.code),
    };
    const entry = byCounty.get(countyCode) ?? { all: [], collective: [] };
    // Urban communities hold several times the people of a village.
    entry.all.push([place, village.villageKind === 'residents-committee' ? 4 : 1]);
    if (isUrban) entry.collective.push([place, 1]);
    byCounty.set(countyCode, entry);
  }
  return new Map(
    [...byCounty].map(([code, { all, collective }]) => [
      code,
      { all: picker(all), collective: picker(collective.length > 0 ? collective : all) },
    ]),
  );
}

function createContext(options: SyntheticRegisterOptions): Context {
  const random = seededRandom(options.seed ?? 1);
  const prefecture = CITY_PREFECTURES[options.city];
  const counties = currentCounties().filter(
    (d) =>
      !d.isStatisticalUnit &&
      d.name !== '市辖区' &&
      !d.code.endsWith('00') &&
      !['71', '81', '82'].includes(d.code.slice(0, 2)),
  );
  const prefectureCounties = new Map<string, string[]>();
  for (const d of counties) {
    const key = d.code.slice(0, 4);
    const list = prefectureCounties.get(key);
    if (list) list.push(d.code);
    else prefectureCounties.set(key, [d.code]);
  }
  const cityCounties = prefectureCounties.get(prefecture.slice(0, 4)) ?? [];
  const reformDate = HUKOU_REFORM_DATES[options.city];
  return {
    random,
    city: options.city,
    referenceDay: epochDay(options.referenceDate ?? DEFAULT_REFERENCE_DATE),
    reformDay: epochDay(reformDate),
    reformDate,
    pools: buildPools(options.city),
    ethnicities: picker(ETHNICITIES[options.city]),
    counties: picker(CITY_COUNTIES[options.city]),
    places: buildPlaces(options.city),
    cityCounties,
    provinceCounties: counties
      .filter((d) => d.code.startsWith(prefecture.slice(0, 2)) && !d.code.startsWith(prefecture.slice(0, 4)))
      .map((d) => d.code),
    countryCounties: counties.filter((d) => !d.code.startsWith(prefecture.slice(0, 2))).map((d) => d.code),
    prefectureCounties,
    householdSerials: new Map(),
    sequences: new Map(),
    isoDates: [],
    groupCounts: [0, 0, 0],
    boost: [1, 1, 1],
    bandWeights: new Float64Array(AGE_BANDS.length),
  };
}

// ---------------------------------------------------------------------------------------------------
// Small generators

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A version 4 UUID from the seeded stream, so that ids are reproducible too. */
function uuid(random: Random): string {
  const word = () => Math.floor(random() * 0x100000000);
  const hex = (value: number) => HEX[value & 0xff] as string;
  const a = word();
  const b = word();
  const c = word();
  const d = word();
  // Version 4 in the high nibble of byte 6, variant 10xx in byte 8.
  return (
    hex(a >>> 24) +
    hex(a >>> 16) +
    hex(a >>> 8) +
    hex(a) +
    '-' +
    hex(b >>> 24) +
    hex(b >>> 16) +
    '-' +
    hex(((b >>> 8) & 0x0f) | 0x40) +
    hex(b) +
    '-' +
    hex(((c >>> 24) & 0x3f) | 0x80) +
    hex(c >>> 16) +
    '-' +
    hex(c >>> 8) +
    hex(c) +
    hex(d >>> 24) +
    hex(d >>> 16) +
    hex(d >>> 8) +
    hex(d)
  );
}

/** Days before 1970 are negative; the cache is an array indexed from 1800-01-01. */
const ISO_CACHE_OFFSET = 62_000;

function iso(ctx: Context, day: number): string {
  let value = ctx.isoDates[day + ISO_CACHE_OFFSET];
  if (value === undefined) {
    value = new Date(day * DAY_MS).toISOString().slice(0, 10);
    ctx.isoDates[day + ISO_CACHE_OFFSET] = value;
  }
  return value;
}

/** Recomputes how much each broad age group is favoured, from how far it lags its census share. */
function updateBoost(ctx: Context): void {
  const total = ctx.groupCounts[0] + ctx.groupCounts[1] + ctx.groupCounts[2];
  if (total < 200) return;
  for (let g = 0; g < 3; g++) {
    const ratio = ((GROUP_TARGETS[g] ?? 0) * total) / Math.max(1, ctx.groupCounts[g] ?? 0);
    ctx.boost[g] = Math.min(4, Math.max(0.25, ratio)) ** 4;
  }
}

const NO_FACTORS: readonly number[] = [];

/**
 * How likely someone of each age band still lives in the parents' household, for the age of the
 * youngest child living with them: minors all do, people in their twenties less and less.
 */
const LIVES_WITH_PARENTS = [1, 1, 1, 0.8, 0.4, 0.2, 0.1, 0.05];

/** An age in [min, max] following the census pyramid, steered toward groups that lag their share. */
function sampleAge(ctx: Context, min: number, max: number, factors: readonly number[] = NO_FACTORS): number {
  let total = 0;
  AGE_BANDS.forEach(([from, to, millions], i) => {
    const overlap = Math.min(max, to) - Math.max(min, from) + 1;
    const weight =
      overlap > 0 ? ((millions * overlap) / 5) * (ctx.boost[ageGroupOf(from)] ?? 1) * (factors[i] ?? 1) : 0;
    total += weight;
    ctx.bandWeights[i] = total;
  });
  const r = ctx.random() * total;
  const band = ctx.bandWeights.findIndex((w) => w > r);
  const [from, to] = AGE_BANDS[band === -1 ? AGE_BANDS.length - 1 : band] ?? [min, max];
  return between(ctx.random, Math.max(min, from), Math.min(max, to));
}

/** A birth day for someone of `age` full years on the reference day. */
const birthDayFor = (ctx: Context, age: number) =>
  ctx.referenceDay - Math.floor((age + ctx.random() * 0.999) * YEAR_DAYS);

const dayBetween = (ctx: Context, from: number, to: number) =>
  to <= from ? from : from + Math.floor(ctx.random() * (to - from + 1));

/** The code a citizen ID number got for a birth: 衢江区 numbers issued before 2001 carry 330821 衢县. */
function addressCodeAtBirth(birthplace: string, birthYear: number): string {
  return birthplace === '330803' && birthYear <= 2000 ? '330821' : birthplace;
}

/**
 * A new citizen ID number: the next free sequence of the sex's parity for (address code, birth date),
 * starting at a random place as real numbering (by police station) does. Moves the birth day on by one
 * in the unlikely case all 500 sequences of a day are taken.
 */
function allocateId(ctx: Context, birthplace: string, birthDay: number, sex: Sex): [string, number] {
  for (let day = birthDay; ; day++) {
    const birthDate = iso(ctx, day);
    const address = addressCodeAtBirth(birthplace, Number(birthDate.slice(0, 4)));
    // A numeric key (address, day, sex) and a packed state (used × 1024 + next) keep millions cheap.
    const key = (Number(address) * 100_000 + day + ISO_CACHE_OFFSET) * 2 + (sex === '1' ? 1 : 0);
    const state = ctx.sequences.get(key) ?? between(ctx.random, 0, 49) * 2 + (sex === '1' ? 1 : 2);
    const used = Math.floor(state / 1024);
    if (used >= (sex === '1' ? 500 : 499)) continue;
    const sequence = state % 1024;
    const next = sequence + 2 > 999 ? (sex === '1' ? 1 : 2) : sequence + 2;
    ctx.sequences.set(key, (used + 1) * 1024 + next);
    return [composeCitizenId(address, birthDate, sequence), day];
  }
}

function householdNumber(ctx: Context, countyCode: string): string {
  const serial = (ctx.householdSerials.get(countyCode) ?? 0) + 1;
  ctx.householdSerials.set(countyCode, serial);
  return `${countyCode}${String(serial).padStart(9, '0')}`;
}

function surnameFor(ctx: Context, ethnicity: string): string {
  if (ethnicity === '04') return '';
  if (HUI_NAMED.has(ethnicity)) return pick(ctx.random, ctx.pools.huiSurnames);
  if (ethnicity === '22') return pick(ctx.random, ctx.pools.sheSurnames);
  return pick(ctx.random, ctx.pools.surnames);
}

function givenNameFor(ctx: Context, sex: Sex, birthYear: number, ethnicity: string): string {
  const { random, pools } = ctx;
  if (ethnicity === '04') {
    const own = TIBETAN_ELEMENTS[sex];
    return random() < 0.4
      ? oneOf(random, own)
      : `${oneOf(random, TIBETAN_ELEMENTS.common)}${oneOf(random, own)}`;
  }
  const cohort = cohortOf(birthYear);
  let name: string;
  if (random() < (SINGLE_CHARACTER_SHARE[cohort] ?? 0.2)) {
    name = pick(random, (pools.given[sex][cohort] ?? GIVEN_FALLBACK)[1]);
  } else if (cohort >= 2 && random() < 0.2) {
    // faker's zh_CN given names are those of people born from the 1980s on.
    name = oneOf(random, pools.fakerGiven[sex]);
  } else {
    const [first, second] = pools.given[sex][cohort] ?? GIVEN_FALLBACK;
    const a = pick(random, first);
    let b = pick(random, second);
    // Repeated characters (婷婷, 丹丹) are a girls' fashion; otherwise draw again.
    if (b === a && !(sex === '2' && random() < 0.5)) b = pick(random, second);
    name = `${a}${b}`;
  }
  if (random() < RARE_NAME_SHARE) {
    const characters = [...name];
    characters[characters.length - 1] = oneOf(random, RARE_CHARACTERS);
    name = characters.join('');
  }
  return name;
}

function educationFor(ctx: Context, age: number, birthYear: number, isUrban: boolean): string | undefined {
  const { random } = ctx;
  if (age < 6) return undefined;
  if (age < 12) return '80';
  if (age < 15) return '70';
  if (age < 18) return random() < 0.6 ? '60' : random() < 0.6 ? '40' : '71';
  if (age < 22) return random() < 0.55 ? '61' : random() < 0.35 ? '41' : random() < 0.85 ? '71' : '31';
  const cohort =
    birthYear >= 1990 ? 0 : birthYear >= 1975 ? 1 : birthYear >= 1960 ? 2 : birthYear >= 1945 ? 3 : 4;
  const table = EDUCATION_BY_COHORT[cohort] ?? [];
  // Town and country differ most in higher education; scale it instead of keeping two tables.
  const factor = isUrban ? 1.5 : 0.45;
  let total = 0;
  for (const [code, w] of table) total += TERTIARY.has(code) ? w * factor : w;
  let r = random() * total;
  for (const [code, w] of table) {
    r -= TERTIARY.has(code) ? w * factor : w;
    if (r < 0) return code === '' ? undefined : code;
  }
  return undefined;
}

function occupationFor(ctx: Context, age: number, sex: Sex, isUrban: boolean): string | undefined {
  const { random } = ctx;
  if (age < 6) return undefined;
  if (age < 18) return '学生';
  if (age < 23 && random() < 0.55) return '学生';
  const retirementAge = isUrban ? (sex === '1' ? 60 : 55) : 65;
  if (age >= retirementAge) {
    if (isUrban) return random() < 0.85 ? '离退休人员' : '无业';
    return age < 75 && random() < 0.5 ? '农民' : '无业';
  }
  return pick(random, isUrban ? URBAN_OCCUPATIONS : RURAL_OCCUPATIONS);
}

/** Marital status (GB/T 2261.2) of someone living without a spouse in the household. */
function singleMaritalStatus(ctx: Context, age: number): string {
  const r = ctx.random();
  if (age < 22) return '10';
  if (age < 30) return r < 0.8 ? '10' : r < 0.9 ? '21' : '40';
  if (age < 45) return r < 0.45 ? '10' : r < 0.75 ? '21' : r < 0.95 ? '40' : '30';
  if (age < 60) return r < 0.15 ? '10' : r < 0.55 ? '21' : r < 0.8 ? '40' : '30';
  return r < 0.05 ? '10' : r < 0.2 ? '21' : r < 0.3 ? '40' : '30';
}

/** A parent living with children but no spouse: divorced, widowed, or the spouse registered elsewhere. */
const loneParentMaritalStatus = (ctx: Context) => {
  const r = ctx.random();
  return r < 0.5 ? '40' : r < 0.8 ? '30' : '21';
};

const marriedStatus = (ctx: Context) => (ctx.random() < 0.9 ? '21' : ctx.random() < 0.9 ? '22' : '23');

/** A place of birth: the household's county, another of the city, of the province, or of China. */
function birthplaceFor(ctx: Context, place: Place, shares: readonly [number, number, number]): string {
  const r = ctx.random();
  if (r < shares[0]) return place.birthCounty;
  if (r < shares[0] + shares[1]) return oneOf(ctx.random, ctx.cityCounties);
  if (r < shares[0] + shares[1] + shares[2]) return oneOf(ctx.random, ctx.provinceCounties);
  return oneOf(ctx.random, ctx.countryCounties);
}

const NATIVE: readonly [number, number, number] = [0.95, 0.04, 0.01];
const HEAD_ORIGIN: readonly [number, number, number] = [0.78, 0.1, 0.06];
const SPOUSE_ORIGIN: readonly [number, number, number] = [0.62, 0.18, 0.1];
const COLLECTIVE_ORIGIN: readonly [number, number, number] = [0.25, 0.15, 0.3];

// ---------------------------------------------------------------------------------------------------
// Family structures

type Role = 'head' | 'spouse' | 'child' | 'child-spouse' | 'grandchild' | 'parent' | 'sibling' | 'member';

/** One member before it becomes a Person: role, relationship, sex, birth day, surname, birthplace. */
interface Draft {
  readonly role: Role;
  relationship: string;
  readonly sex: Sex;
  readonly birthDay: number;
  surname: string;
  birthplace: string;
  ethnicity: string;
  maritalStatus: string;
}

interface Structure {
  readonly spouse: boolean;
  /** The head's children; with `childSpouse`, the eldest is married and the spouse lives here. */
  readonly children: number;
  readonly childSpouse: boolean;
  /** Children of the eldest child; with no children, grandparents raising grandchildren (隔代). */
  readonly grandchildren: number;
  /** Parents of the head or of the spouse. */
  readonly parents: number;
  readonly siblings: number;
  /** The head's age range when no child fixes it. */
  readonly headAges: readonly [number, number];
}

const structure = (s: Partial<Structure>): Structure => ({
  spouse: false,
  children: 0,
  childSpouse: false,
  grandchildren: 0,
  parents: 0,
  siblings: 0,
  headAges: [18, 100],
  ...s,
});

const STRUCTURES: Readonly<Record<1 | 2 | 3 | 4, Weighted<Structure>>> = {
  1: [[structure({ headAges: [18, 104] }), 1]],
  2: [
    [structure({ spouse: true, headAges: [22, 100] }), 57],
    [structure({ children: 1 }), 25],
    [structure({ grandchildren: 1 }), 5],
    [structure({ parents: 1, headAges: [22, 72] }), 8],
    [structure({ siblings: 1, headAges: [18, 60] }), 5],
  ],
  3: [
    [structure({ spouse: true, children: 1 }), 70],
    [structure({ spouse: true, parents: 1, headAges: [25, 72] }), 10],
    [structure({ spouse: true, grandchildren: 1 }), 7],
    [structure({ children: 2 }), 6],
    [structure({ children: 1, parents: 1 }), 4],
    [structure({ spouse: true, siblings: 1, headAges: [22, 50] }), 3],
  ],
  4: [
    [structure({ spouse: true, children: 2 }), 45],
    [structure({ spouse: true, children: 1, parents: 1 }), 25],
    [structure({ spouse: true, children: 1, childSpouse: true }), 10],
    [structure({ spouse: true, parents: 2, headAges: [25, 70] }), 8],
    [structure({ spouse: true, grandchildren: 2 }), 5],
    [structure({ spouse: true, children: 1, siblings: 1 }), 4],
    [structure({ children: 3 }), 3],
  ],
};

/**
 * A structure for a household of `size` members. Those with children are favoured as much as children
 * lag their census share: household sizes stay as drawn, the age pyramid follows.
 */
function pickStructure(ctx: Context, size: number): Structure {
  if (size >= 5) return largeStructure(ctx.random, size);
  const table = STRUCTURES[size as 1 | 2 | 3 | 4];
  const favour = ctx.boost[0];
  const weight = (s: Structure, w: number) => (s.children > 0 || s.grandchildren > 0 ? w * favour : w);
  let r = ctx.random() * table.reduce((sum, [s, w]) => sum + weight(s, w), 0);
  for (const [s, w] of table) {
    r -= weight(s, w);
    if (r < 0) return s;
  }
  return (table[0] as readonly [Structure, number])[0];
}

/** Households of five and more: three generations, the head in the middle or at the top. */
function largeStructure(random: Random, size: number): Structure {
  if (random() < 0.5) {
    const parents = size >= 6 || random() < 0.5 ? 2 : 1;
    const children = Math.min(4, size - 2 - parents);
    return structure({ spouse: true, parents, children, siblings: size - 2 - parents - children });
  }
  const grandchildren = Math.min(3, size - 4);
  return structure({
    spouse: true,
    children: 1 + size - 4 - grandchildren,
    childSpouse: true,
    grandchildren,
  });
}

/** Ages of siblings, youngest first, from the youngest's age. */
function siblingAges(ctx: Context, youngest: number, count: number): number[] {
  const ages = [youngest];
  for (let i = 1; i < count; i++) ages.push((ages[i - 1] ?? youngest) + pick(ctx.random, SIBLING_SPACING));
  return ages;
}

/** Ages of the mother and father of children aged `ages` (youngest first): 20–44 at every birth. */
function parentsOf(ctx: Context, ages: readonly number[]): { mother: number; father: number } {
  const youngest = ages[0] ?? 0;
  const oldest = ages[ages.length - 1] ?? youngest;
  const gap = Math.max(20, Math.min(pick(ctx.random, MOTHER_AGE_AT_BIRTH), 44 - (oldest - youngest)));
  const mother = oldest + gap;
  const difference = Math.max(
    20 - gap,
    Math.min(pick(ctx.random, SPOUSE_AGE_DIFFERENCE), 50 - (mother - youngest)),
  );
  return { mother, father: mother + difference };
}

interface AgePlan {
  headAge: number;
  headSex: Sex;
  spouseAge?: number;
  /** Eldest first. */
  children: { age: number; sex: Sex }[];
  childSpouseAge?: number;
  /** Children of a son (true) or a daughter. */
  grandchildrenOfSon: boolean;
  grandchildren: { age: number; sex: Sex }[];
  parents: { age: number; sex: Sex }[];
  siblings: { age: number; sex: Sex }[];
}

const sexAtBirth = (ctx: Context): Sex => (ctx.random() < MALE_AT_BIRTH ? '1' : '2');

/** Grown-up children still registered with their parents are more often sons: daughters marry out. */
const sexOfChild = (ctx: Context, age: number): Sex =>
  age < 20 ? sexAtBirth(ctx) : ctx.random() < 0.62 ? '1' : '2';

function tryPlan(ctx: Context, s: Structure): AgePlan {
  const { random } = ctx;
  const plan: AgePlan = {
    headAge: 0,
    headSex: '1',
    children: [],
    grandchildrenOfSon: random() < 0.75,
    grandchildren: [],
    parents: [],
    siblings: [],
  };
  let couple: { mother: number; father: number } | undefined;
  if (s.grandchildren > 0) {
    // From the youngest grandchild up: their parents, then the head couple.
    const grandchildAges = siblingAges(ctx, sampleAge(ctx, 0, 20), s.grandchildren);
    plan.grandchildren = [...grandchildAges].reverse().map((age) => ({ age, sex: sexAtBirth(ctx) }));
    const middle = parentsOf(ctx, grandchildAges);
    const child = plan.grandchildrenOfSon ? middle.father : middle.mother;
    let childAges = [child];
    if (s.children > 0) {
      // The married child is the eldest; unmarried brothers and sisters are younger.
      for (let i = 1; i < s.children; i++) {
        childAges.push(Math.max(0, (childAges[i - 1] ?? 0) - pick(random, SIBLING_SPACING)));
      }
      plan.children = childAges.map((age, i) => ({
        age,
        sex: i === 0 ? (plan.grandchildrenOfSon ? '1' : '2') : sexOfChild(ctx, age),
      }));
      plan.childSpouseAge = plan.grandchildrenOfSon ? middle.mother : middle.father;
      childAges = [...childAges].reverse();
    }
    couple = parentsOf(ctx, childAges);
  } else if (s.children > 0) {
    // Parents living with the family leave less room for grown-up children below 100.
    const youngest = s.childSpouse
      ? sampleAge(ctx, 22, 45)
      : sampleAge(ctx, 0, s.parents > 0 ? 20 : 40, LIVES_WITH_PARENTS);
    const ages = siblingAges(ctx, youngest, s.children);
    plan.children = [...ages].reverse().map((age) => ({ age, sex: sexOfChild(ctx, age) }));
    if (s.childSpouse) {
      const eldest = plan.children[0];
      if (eldest) {
        const difference = pick(random, SPOUSE_AGE_DIFFERENCE);
        plan.childSpouseAge = Math.max(
          20,
          eldest.sex === '1' ? eldest.age - difference : eldest.age + difference,
        );
      }
    }
    couple = parentsOf(ctx, ages);
  }

  if (couple) {
    // A couple's head is the husband four times in five; a lone parent is more often the mother.
    plan.headSex = s.spouse ? (random() < 0.82 ? '1' : '2') : random() < 0.42 ? '1' : '2';
    plan.headAge = plan.headSex === '1' ? couple.father : couple.mother;
    if (s.spouse) plan.spouseAge = plan.headSex === '1' ? couple.mother : couple.father;
  } else {
    plan.headAge = sampleAge(ctx, s.headAges[0], s.headAges[1]);
    if (s.spouse) {
      plan.headSex = random() < 0.82 ? '1' : '2';
      const difference = pick(random, SPOUSE_AGE_DIFFERENCE);
      plan.spouseAge = Math.max(
        20,
        plan.headSex === '1' ? plan.headAge - difference : plan.headAge + difference,
      );
    } else {
      // Old people living alone are mostly widows; younger ones more often single men.
      plan.headSex = random() < (plan.headAge >= 60 ? 0.42 : 0.62) ? '1' : '2';
    }
  }

  if (s.parents > 0) {
    const own = parentsOf(ctx, [plan.headAge]);
    if (s.parents === 2) {
      plan.parents = [
        { age: own.father, sex: '1' },
        { age: own.mother, sex: '2' },
      ];
    } else {
      plan.parents = [random() < 0.6 ? { age: own.mother, sex: '2' } : { age: own.father, sex: '1' }];
    }
  }
  for (let i = 0; i < s.siblings; i++) {
    const age = Math.max(16, plan.headAge + (random() < 0.5 ? -1 : 1) * between(random, 1, 8));
    plan.siblings.push({ age, sex: random() < 0.5 ? '1' : '2' });
  }
  return plan;
}

function oldestIn(plan: AgePlan): number {
  return Math.max(plan.headAge, plan.spouseAge ?? 0, ...plan.parents.map((p) => p.age));
}

/** Ages are drawn from the young up; redraw the rare plans whose eldest would pass 100. */
function planAges(ctx: Context, s: Structure): AgePlan {
  let plan = tryPlan(ctx, s);
  for (let attempt = 0; attempt < 20 && oldestIn(plan) > 100; attempt++) plan = tryPlan(ctx, s);
  const cap = (age: number) => Math.min(age, 104);
  plan.headAge = cap(plan.headAge);
  if (plan.spouseAge !== undefined) plan.spouseAge = cap(plan.spouseAge);
  for (const p of plan.parents) p.age = cap(p.age);
  return plan;
}

/** GB/T 4761 codes of children by sex and birth order: 21 / 31 for an only child, then 22–26 / 32–36. */
function childRelationships(children: readonly { sex: Sex }[]): string[] {
  let sons = 0;
  let daughters = 0;
  return children.map(({ sex }) => {
    if (children.length === 1) return sex === '1' ? '21' : '31';
    const rank = sex === '1' ? ++sons : ++daughters;
    const base = sex === '1' ? 21 : 31;
    return rank <= 5 ? String(base + rank) : sex === '1' ? '29' : '39';
  });
}

// ---------------------------------------------------------------------------------------------------
// Households

interface Built {
  readonly value: SyntheticHousehold;
  readonly originals: SyntheticMember[];
}

function newHousehold(ctx: Context, place: Place, type: Household['type']): Household {
  return {
    id: uuid(ctx.random),
    householdNumber: householdNumber(ctx, place.countyCode),
    type,
    address: {
      text: addressText(ctx, place),
      countyCode: place.countyCode,
      townCode: place.townCode,
      villageCode: place.villageCode,
      urbanRuralClass: place.urbanRuralClass,
    },
    headPersonId: null,
    status: 'active',
  };
}

function addressText(ctx: Context, place: Place): string {
  const { random } = ctx;
  if (!place.isUrban) return `${place.text}${between(random, 1, 320)}号`;
  const floor = between(random, 1, 18);
  return `${place.text}${oneOf(random, ctx.pools.streets)}${between(random, 1, 300)}号${between(random, 1, 30)}幢${between(random, 1, 4)}单元${floor}0${between(random, 1, 4)}室`;
}

function pickPlace(ctx: Context, collective: boolean): Place {
  const county = pick(ctx.random, ctx.counties);
  const places = ctx.places.get(county) ?? [...ctx.places.values()][0];
  if (!places) throw new Error(`no bundled villages for ${ctx.city}`);
  return pick(ctx.random, collective ? places.collective : places.all);
}

function legacyNature(ctx: Context, birthDay: number, urban: boolean, collectiveFrom?: number) {
  if (birthDay >= ctx.reformDay) return [];
  const family = urban ? '1' : '2';
  if (collectiveFrom === undefined || collectiveFrom >= ctx.reformDay) {
    return [{ type: family, from: iso(ctx, birthDay), to: ctx.reformDate }];
  }
  return [
    ...(collectiveFrom > birthDay
      ? [{ type: family, from: iso(ctx, birthDay), to: iso(ctx, collectiveFrom) }]
      : []),
    { type: urban ? '3' : '4', from: iso(ctx, collectiveFrom), to: ctx.reformDate },
  ];
}

/** Turns a draft into a Person with an ID number, name and the attributes that go with age and place. */
function materialize(
  ctx: Context,
  draft: Draft,
  place: Place,
  household: Household,
  validFrom: number,
  collectiveFrom?: number,
): SyntheticMember {
  const [citizenId, birthDay] = allocateId(ctx, draft.birthplace, draft.birthDay, draft.sex);
  const birthDate = iso(ctx, birthDay);
  const birthYear = Number(birthDate.slice(0, 4));
  const age = Math.floor((ctx.referenceDay - birthDay) / YEAR_DAYS);
  const education = educationFor(ctx, age, birthYear, place.isUrban);
  const occupation = occupationFor(ctx, age, draft.sex, place.isUrban);
  const person: Person = {
    id: uuid(ctx.random),
    citizenId,
    name: `${draft.surname}${givenNameFor(ctx, draft.sex, birthYear, draft.ethnicity)}`,
    formerNames: [],
    sex: draft.sex,
    birthDate,
    ethnicity: draft.ethnicity,
    birthplace: draft.birthplace,
    ...(education ? { education } : {}),
    maritalStatus: draft.maritalStatus,
    ...(occupation ? { occupation } : {}),
    legacyHukouNature: legacyNature(ctx, birthDay, place.isUrban, collectiveFrom),
    status: 'active',
    countyCode: place.countyCode,
  };
  ctx.groupCounts[ageGroupOf(age)]++;
  return {
    person,
    membership: {
      personId: person.id,
      householdId: household.id,
      relationship: draft.relationship,
      validFrom: iso(ctx, Math.min(ctx.referenceDay, Math.max(birthDay, validFrom))),
      validTo: null,
    },
  };
}

function familyHousehold(ctx: Context, maxPersons: number): Built {
  const { random } = ctx;
  const size = pick(random, FAMILY_SIZES);
  const chosen = pickStructure(ctx, size);
  const plan = planAges(ctx, chosen);
  const place = pickPlace(ctx, false);
  const household = newHousehold(ctx, place, 'family');
  const ethnicity = pick(random, ctx.ethnicities);
  const born = (age: number) => birthDayFor(ctx, age);
  const otherEthnicity = () => (random() < 0.92 ? ethnicity : pick(random, ctx.ethnicities));

  const headBirthplace = birthplaceFor(ctx, place, HEAD_ORIGIN);
  const head: Draft = {
    role: 'head',
    relationship: '02',
    sex: plan.headSex,
    birthDay: born(plan.headAge),
    surname: surnameFor(ctx, ethnicity),
    birthplace: headBirthplace,
    ethnicity,
    maritalStatus:
      plan.spouseAge !== undefined
        ? marriedStatus(ctx)
        : plan.children.length > 0
          ? loneParentMaritalStatus(ctx)
          : singleMaritalStatus(ctx, plan.headAge),
  };
  const drafts: Draft[] = [head];
  let spouse: Draft | undefined;
  if (plan.spouseAge !== undefined) {
    const spouseEthnicity = otherEthnicity();
    spouse = {
      role: 'spouse',
      relationship: plan.headSex === '1' ? '12' : '11',
      sex: plan.headSex === '1' ? '2' : '1',
      birthDay: born(plan.spouseAge),
      surname: surnameFor(ctx, spouseEthnicity),
      birthplace: birthplaceFor(ctx, place, SPOUSE_ORIGIN),
      ethnicity: spouseEthnicity,
      maritalStatus: head.maritalStatus,
    };
    drafts.push(spouse);
  }
  // Children take the father's surname, now and then the mother's.
  const husband = plan.headSex === '1' ? head : spouse;
  const paternal = husband && random() < 0.95 ? husband : head;

  const relationships = childRelationships(plan.children);
  let previous: Draft | undefined;
  const children = plan.children.map((c, i) => {
    // Twins (spacing 0) share the birth day.
    const birthDay = previous && c.age === plan.children[i - 1]?.age ? previous.birthDay : born(c.age);
    const married = i === 0 && plan.childSpouseAge !== undefined;
    const draft: Draft = {
      role: 'child',
      relationship: relationships[i] ?? '20',
      sex: c.sex,
      birthDay,
      surname: paternal.surname,
      birthplace: birthplaceFor(ctx, place, NATIVE),
      ethnicity: random() < 0.8 || !spouse ? head.ethnicity : spouse.ethnicity,
      maritalStatus: married ? marriedStatus(ctx) : singleMaritalStatus(ctx, c.age),
    };
    previous = draft;
    return draft;
  });
  drafts.push(...children);

  let childSpouse: Draft | undefined;
  const eldest = children[0];
  if (plan.childSpouseAge !== undefined && eldest) {
    const childSpouseEthnicity = otherEthnicity();
    childSpouse = {
      role: 'child-spouse',
      relationship: eldest.sex === '1' ? '38' : '28',
      sex: eldest.sex === '1' ? '2' : '1',
      birthDay: born(plan.childSpouseAge),
      surname: surnameFor(ctx, childSpouseEthnicity),
      birthplace: birthplaceFor(ctx, place, SPOUSE_ORIGIN),
      ethnicity: childSpouseEthnicity,
      maritalStatus: eldest.maritalStatus,
    };
    drafts.push(childSpouse);
  }

  // Grandchildren: a son's children bear his surname; a daughter's, her husband's or (上门女婿) hers.
  const grandchildSurname = plan.grandchildrenOfSon
    ? (eldest?.surname ?? paternal.surname)
    : childSpouse && random() < 0.6
      ? childSpouse.surname
      : (eldest?.surname ?? surnameFor(ctx, ethnicity));
  previous = undefined;
  plan.grandchildren.forEach((g, i) => {
    const birthDay = previous && g.age === plan.grandchildren[i - 1]?.age ? previous.birthDay : born(g.age);
    const draft: Draft = {
      role: 'grandchild',
      relationship: plan.grandchildrenOfSon ? (g.sex === '1' ? '41' : '42') : g.sex === '1' ? '43' : '44',
      sex: g.sex,
      birthDay,
      surname: grandchildSurname,
      birthplace: birthplaceFor(ctx, place, NATIVE),
      ethnicity: head.ethnicity,
      maritalStatus: '10',
    };
    previous = draft;
    drafts.push(draft);
  });

  // Parents: usually the head's own (51 / 52), sometimes the spouse's (岳父母 55 / 56, 公婆 53 / 54).
  const ofSpouse = spouse !== undefined && random() < 0.15;
  const lineage = ofSpouse && spouse ? spouse : head;
  for (const p of plan.parents) {
    const isFather = p.sex === '1';
    drafts.push({
      role: 'parent',
      relationship: !ofSpouse
        ? isFather
          ? '51'
          : '52'
        : plan.headSex === '1'
          ? isFather
            ? '55'
            : '56'
          : isFather
            ? '53'
            : '54',
      sex: p.sex,
      birthDay: born(p.age),
      surname: isFather ? lineage.surname : surnameFor(ctx, lineage.ethnicity),
      birthplace: random() < 0.85 ? lineage.birthplace : birthplaceFor(ctx, place, HEAD_ORIGIN),
      ethnicity: lineage.ethnicity,
      maritalStatus: plan.parents.length === 2 ? marriedStatus(ctx) : random() < 0.85 ? '30' : '40',
    });
  }
  for (const sib of plan.siblings) {
    const older = sib.age > plan.headAge;
    drafts.push({
      role: 'sibling',
      relationship: sib.sex === '1' ? (older ? '71' : '73') : older ? '75' : '77',
      sex: sib.sex,
      birthDay: born(sib.age),
      surname: random() < 0.9 ? head.surname : surnameFor(ctx, ethnicity),
      birthplace: head.birthplace,
      ethnicity: head.ethnicity,
      maritalStatus: singleMaritalStatus(ctx, sib.age),
    });
  }

  // Move-in dates: natives of a village have been in the household since birth; others moved in.
  const isNative = head.birthplace === place.birthCounty;
  const headFrom =
    isNative && !(place.isUrban && plan.headAge >= 25 && random() < 0.6)
      ? head.birthDay
      : dayBetween(ctx, head.birthDay + Math.round(20 * YEAR_DAYS), ctx.referenceDay);
  const firstBirth = Math.min(ctx.referenceDay, ...children.map((c) => c.birthDay));
  const marriage = (d: Draft, until: number) => {
    const from = d.birthDay + Math.round(20 * YEAR_DAYS);
    return Math.max(headFrom, dayBetween(ctx, Math.min(from, until), until));
  };
  const grandchildFirstBirth = Math.min(
    ctx.referenceDay,
    ...drafts.filter((d) => d.role === 'grandchild').map((d) => d.birthDay),
  );

  const members: SyntheticMember[] = [];
  for (const d of drafts.slice(0, Math.max(1, maxPersons))) {
    let from: number;
    switch (d.role) {
      case 'head':
        from = headFrom;
        break;
      case 'spouse':
        from = marriage(d, firstBirth);
        break;
      case 'child':
      case 'grandchild':
        from = Math.max(d.birthDay, headFrom);
        break;
      case 'child-spouse':
        from = marriage(d, grandchildFirstBirth);
        break;
      case 'parent':
      case 'sibling':
      case 'member':
        // The head's family of origin when the head has been here since birth; otherwise they moved in.
        from =
          headFrom === head.birthDay && d.birthplace === head.birthplace
            ? d.birthDay
            : dayBetween(ctx, Math.max(headFrom, d.birthDay), ctx.referenceDay);
        break;
    }
    members.push(materialize(ctx, d, place, household, from));
  }
  const headMember = members[0];
  const value = {
    household: { ...household, headPersonId: headMember?.person.id ?? null },
    members,
  };
  return { value, originals: members };
}

function collectiveHousehold(ctx: Context, maxPersons: number): Built {
  const { random } = ctx;
  const place = pickPlace(ctx, true);
  const household = newHousehold(ctx, place, 'collective');
  // Schools (students 18–24) and employers (staff 18–55).
  const isSchool = random() < 0.5;
  const size = Math.min(maxPersons, 2 + Math.floor(random() ** 3 * 40));
  const members: SyntheticMember[] = [];
  for (let i = 0; i < size; i++) {
    const age = isSchool ? between(random, 18, 24) : sampleAge(ctx, 18, 55);
    const sex: Sex = random() < 0.55 ? '1' : '2';
    const ethnicity = pick(random, ctx.ethnicities);
    const birthDay = birthDayFor(ctx, age);
    const movedIn = dayBetween(
      ctx,
      Math.max(
        birthDay + Math.round(17 * YEAR_DAYS),
        ctx.referenceDay - Math.round((isSchool ? 6 : 12) * YEAR_DAYS),
      ),
      ctx.referenceDay,
    );
    const draft: Draft = {
      role: i === 0 ? 'head' : 'member',
      // The first registered member stands as 户主; the others are unrelated (99 非亲属).
      relationship: i === 0 ? '02' : '99',
      sex,
      birthDay,
      surname: surnameFor(ctx, ethnicity),
      birthplace: birthplaceFor(ctx, place, COLLECTIVE_ORIGIN),
      ethnicity,
      maritalStatus: singleMaritalStatus(ctx, age),
    };
    const member = materialize(ctx, draft, place, household, movedIn, movedIn);
    // University students: high school behind them (a degree for some postgraduates), studying.
    const student = isSchool
      ? { education: age >= 22 && random() < 0.3 ? '21' : '61', occupation: '学生' }
      : {};
    members.push({ ...member, person: { ...member.person, ...student } });
  }
  return {
    value: { household: { ...household, headPersonId: members[0]?.person.id ?? null }, members },
    originals: members,
  };
}

// ---------------------------------------------------------------------------------------------------
// Duplicate registrations

interface Pending {
  readonly member: SyntheticMember;
  /** Attach to the next family household as a relative; otherwise a household of its own. */
  readonly attach: boolean;
}

function neighbourCounty(ctx: Context, county: string): string {
  const list = ctx.prefectureCounties.get(county.slice(0, 4)) ?? [county];
  const i = list.indexOf(county);
  if (list.length < 2 || i < 0) return county;
  const j = i === 0 ? 1 : i === list.length - 1 ? i - 1 : i + (ctx.random() < 0.5 ? -1 : 1);
  return list[j] ?? county;
}

function homophoneOf(ctx: Context, name: string): string | undefined {
  const original = nameFeatures(name);
  const characters = [...original.characters];
  const start = Math.floor(ctx.random() * characters.length);
  for (let k = 0; k < characters.length; k++) {
    const i = (start + k) % characters.length;
    const c = characters[i] as string;
    const isSurname = i === 0;
    const group = (isSurname ? ctx.pools.surnameHomophones : ctx.pools.givenHomophones).get(
      characterPinyin(c, isSurname),
    );
    const options = (group ?? []).filter((x) => x !== c);
    if (options.length === 0) continue;
    const variant = [...characters];
    variant[i] = oneOf(ctx.random, options);
    const candidate = variant.join('');
    if (nameFeatures(candidate).pinyin === original.pinyin) return candidate;
  }
  return undefined;
}

function oneCharacterApart(ctx: Context, name: string): string {
  const { random } = ctx;
  const characters = [...name];
  const other = () => {
    let c = oneOf(random, ctx.pools.givenCharacters);
    while (characters.includes(c)) c = oneOf(random, ctx.pools.givenCharacters);
    return c;
  };
  for (;;) {
    const variant = [...characters];
    const r = random();
    if (characters.length >= 3 && r < 0.7) variant[between(random, 1, characters.length - 1)] = other();
    else if (characters.length >= 3 && r < 0.85) variant.splice(between(random, 1, characters.length - 1), 1);
    else variant.splice(between(random, 1, characters.length), 0, other());
    if (isOneCharacterApart(characters, variant)) return variant.join('');
  }
}

function makeDuplicate(ctx: Context, original: SyntheticMember): Pending {
  const { random } = ctx;
  const p = original.person;
  let kind = pick(random, DUPLICATE_KINDS);
  let name = p.name;
  if (kind === 'homophone') {
    const homophone = homophoneOf(ctx, p.name);
    if (homophone) name = homophone;
    else kind = 'one-character-different';
  }
  if (kind === 'one-character-different') name = oneCharacterApart(ctx, p.name);
  let citizenId = p.citizenId;
  let birthplace = p.birthplace;
  if (kind !== 'same-citizen-id') {
    // Generated persons always have a birthplace; the id's region stands in only for the type's null.
    const origin = p.birthplace ?? p.citizenId.slice(0, 6);
    birthplace = random() < 0.5 ? origin : neighbourCounty(ctx, origin);
    // A second number for the same birth date (all 500 sequences of a day taken is not met in practice).
    citizenId = allocateId(ctx, birthplace, epochDay(p.birthDate), p.sex)[0];
  }
  const person: Person = { ...p, id: uuid(random), name, citizenId, birthplace };
  const membership: Membership = { ...original.membership, personId: person.id };
  return {
    member: { person, membership, duplicateOf: p.id, duplicateKind: kind },
    attach: random() < 0.5,
  };
}

/** Places a duplicate in `household` (county, household id, relationship, move-in date). */
function placeDuplicate(
  ctx: Context,
  pending: Pending,
  household: Household,
  relationship: string,
): SyntheticMember {
  const { person, membership } = pending.member;
  const birthDay = epochDay(person.birthDate);
  const from = dayBetween(
    ctx,
    Math.max(birthDay, ctx.referenceDay - Math.round(15 * YEAR_DAYS)),
    ctx.referenceDay,
  );
  const placed: Person = { ...person, countyCode: household.address.countyCode };
  return {
    ...pending.member,
    person: placed,
    membership: { ...membership, householdId: household.id, relationship, validFrom: iso(ctx, from) },
  };
}

function ownHousehold(ctx: Context, pending: Pending): SyntheticHousehold {
  const place = pickPlace(ctx, false);
  const household = newHousehold(ctx, place, 'family');
  const member = placeDuplicate(ctx, pending, household, '02');
  return { household: { ...household, headPersonId: member.person.id }, members: [member] };
}

// ---------------------------------------------------------------------------------------------------

/**
 * Generates a synthetic population register household by household until `persons` persons exist,
 * the same for the same options. With `duplicateRate`, that share of persons is registered once more in
 * another household (一人多户), marked with `duplicateOf`; duplicates come on top of `persons`.
 *
 * @example
 * const households = [...syntheticRegister({ city: 'quzhou', persons: 1000, seed: 7 })];
 * households.reduce((n, h) => n + h.members.length, 0) // 1000
 * households[0]?.members[0]?.membership.relationship // '02' (户主)
 */
export function* syntheticRegister(options: SyntheticRegisterOptions): Generator<SyntheticHousehold> {
  if (!Number.isInteger(options.persons) || options.persons < 0) {
    throw new RangeError(`persons must be a whole number ≥ 0: ${options.persons}`);
  }
  const duplicateRate = options.duplicateRate ?? 0;
  if (!(duplicateRate >= 0 && duplicateRate <= 1)) {
    throw new RangeError(`duplicateRate must be between 0 and 1: ${duplicateRate}`);
  }
  const ctx = createContext(options);
  let attachable: Pending[] = [];
  let produced = 0;
  while (produced < options.persons) {
    updateBoost(ctx);
    const remaining = options.persons - produced;
    const built =
      ctx.random() < COLLECTIVE_HOUSEHOLD_SHARE
        ? collectiveHousehold(ctx, remaining)
        : familyHousehold(ctx, remaining);
    produced += built.originals.length;
    let value = built.value;
    if (value.household.type === 'family' && attachable.length > 0) {
      const extra = attachable.map((pending) =>
        placeDuplicate(ctx, pending, value.household, ctx.random() < 0.5 ? '97' : '99'),
      );
      value = { household: value.household, members: [...value.members, ...extra] };
      attachable = [];
    }
    const standalone: Pending[] = [];
    if (duplicateRate > 0) {
      for (const original of built.originals) {
        if (ctx.random() >= duplicateRate) continue;
        const pending = makeDuplicate(ctx, original);
        (pending.attach ? attachable : standalone).push(pending);
      }
    }
    yield value;
    for (const pending of standalone) yield ownHousehold(ctx, pending);
  }
  for (const pending of attachable) yield ownHousehold(ctx, pending);
}

/**
 * The ground truth of duplicate registrations in a generated register: each duplicate record with the
 * original it duplicates.
 *
 * @example duplicatePairsOf(syntheticRegister({ city: 'lanzhou', persons: 10_000, duplicateRate: 0.01 })).length // ≈ 100
 */
export function duplicatePairsOf(households: Iterable<SyntheticHousehold>): DuplicateTruth[] {
  const pairs: DuplicateTruth[] = [];
  for (const { members } of households) {
    for (const m of members) {
      if (m.duplicateOf && m.duplicateKind) {
        pairs.push({ original: m.duplicateOf, duplicate: m.person.id, kind: m.duplicateKind });
      }
    }
  }
  return pairs;
}
