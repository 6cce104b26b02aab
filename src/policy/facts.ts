/**
 * The facts a policy rule may use: one typed schema for the person, their residence, education,
 * qualifications, investment, honours, months of residence / employment / insurance, records, study,
 * hukou place and family members. Every fact carries its labels (zh-CN / en), so explanations, the
 * self-check wizard and `huji policy schema` all speak from this one definition.
 *
 * Facts the documents leave to an authority (e.g. "specially needed") are not facts here: the policy
 * marks such conditions as discretionary and the engine answers `needs_approval`.
 */
import { z } from 'zod';

/** Labels and hints for one fact. `isChangeable: false` keeps a fact out of "what would change it". */
export interface FactMeta {
  readonly zh: string;
  readonly en: string;
  readonly unit?: { readonly zh: string; readonly en: string };
  readonly isChangeable?: boolean;
  /** How hard a change of this fact is, for ranking "what would change it" (1 = a lease, 3 = a degree). */
  readonly effort?: number;
  /** zh / en labels of enum values. */
  readonly values?: Readonly<Record<string, { readonly zh: string; readonly en: string }>>;
}

const labelled = <T extends z.ZodType>(schema: T, meta: FactMeta): T => schema.meta({ ...meta });

const MONTHS = { zh: '个月', en: 'months' };

const months = (zh: string, en: string) =>
  labelled(z.number().int().min(0).max(1200).default(0), { zh, en, unit: MONTHS });

const yesNo = (zh: string, en: string, isChangeable = true) =>
  labelled(z.boolean().default(false), { zh, en, isChangeable });

/** Where the residence or job is: GB/T 2260 towns as the Quzhou texts distinguish them. */
const TOWN_TYPES = {
  'county-seat': {
    zh: '县（市、区）人民政府驻地镇（街道），即城区',
    en: 'county seat town or sub-district (urban area)',
  },
  'organized-town': { zh: '其他建制镇（街道）', en: 'other organized town or sub-district' },
  township: { zh: '乡', en: 'township' },
  none: { zh: '无', en: 'none' },
} as const;
const townType = (zh: string, en: string) =>
  labelled(z.enum(['county-seat', 'organized-town', 'township', 'none']).default('none'), {
    zh,
    en,
    values: TOWN_TYPES,
  });

export const RELATIONS = {
  spouse: { zh: '配偶', en: 'spouse' },
  child: { zh: '子女', en: 'child' },
  parent: { zh: '父母', en: 'parent' },
  other: { zh: '其他亲属', en: 'other relative' },
} as const;

const MARITAL = {
  unmarried: { zh: '未婚', en: 'unmarried' },
  married: { zh: '已婚', en: 'married' },
  widowed: { zh: '丧偶', en: 'widowed' },
  divorced: { zh: '离婚', en: 'divorced' },
} as const;

const SEX = { male: { zh: '男', en: 'male' }, female: { zh: '女', en: 'female' } } as const;

export const FamilyMember = z.object({
  relation: labelled(z.enum(['spouse', 'child', 'parent', 'other']), {
    zh: '与申请人关系',
    en: 'relation to the applicant',
    values: RELATIONS,
    isChangeable: false,
  }),
  name: z.string().max(50).optional().describe('姓名（仅用于显示）'),
  age: labelled(z.number().int().min(0).max(150), {
    zh: '年龄',
    en: 'age',
    unit: { zh: '周岁', en: 'years' },
    isChangeable: false,
  }),
  sex: labelled(z.enum(['male', 'female']), { zh: '性别', en: 'sex', values: SEX, isChangeable: false }),
  maritalStatus: labelled(z.enum(['unmarried', 'married', 'widowed', 'divorced']).default('unmarried'), {
    zh: '婚姻状况',
    en: 'marital status',
    values: MARITAL,
  }),
  hasIncome: yesNo('有生活来源', 'has an income'),
  isCoResident: yesNo('与申请人共同居住生活', 'lives with the applicant'),
});
export type FamilyMember = z.infer<typeof FamilyMember>;

export const Facts = z.object({
  place: z
    .object({
      countyCode: labelled(z.string().regex(/^\d{6}$/, '6 位县级区划代码'), {
        zh: '申请落户 / 办理地（县级区划代码）',
        en: 'county of application (division code)',
        isChangeable: false,
      }),
    })
    .describe('where the person applies'),
  person: z.object({
    age: labelled(z.number().int().min(0).max(150), {
      zh: '年龄',
      en: 'age',
      unit: { zh: '周岁', en: 'years' },
      isChangeable: false,
    }),
    sex: labelled(z.enum(['male', 'female']), { zh: '性别', en: 'sex', values: SEX, isChangeable: false }),
    maritalStatus: labelled(z.enum(['unmarried', 'married', 'widowed', 'divorced']).default('unmarried'), {
      zh: '婚姻状况',
      en: 'marital status',
      values: MARITAL,
    }),
    hasIncome: yesNo('有生活来源', 'has an income'),
  }),
  hukou: z
    .object({
      scope: labelled(
        z.enum(['same-county', 'same-city', 'same-province', 'other-province']).default('other-province'),
        {
          zh: '现户口所在地',
          en: 'current hukou place',
          isChangeable: false,
          values: {
            'same-county': { zh: '本县（市、区）', en: 'this county' },
            'same-city': { zh: '本市其他县（市、区）', en: 'another county of this city' },
            'same-province': { zh: '本省其他市', en: 'another city of this province' },
            'other-province': { zh: '外省', en: 'another province' },
          },
        },
      ),
    })
    .prefault({}),
  residence: z
    .object({
      type: labelled(
        z
          .enum(['owned', 'public-rental', 'private-rental', 'employer-provided', 'relative', 'none'])
          .default('none'),
        {
          zh: '住所类型',
          en: 'type of residence',
          values: {
            owned: { zh: '自有住房', en: 'owned home' },
            'public-rental': { zh: '公共租赁住房', en: 'public rental housing' },
            'private-rental': { zh: '私人租赁住房', en: 'private rental' },
            'employer-provided': { zh: '单位宿舍', en: 'employer dormitory' },
            relative: { zh: '借住亲友家', en: "living at a relative's" },
            none: { zh: '无', en: 'none' },
          },
        },
      ),
      townType: townType('住所所在地', 'where the residence is'),
      leaseMonths: months('租赁合同期限', 'lease term'),
      floorAreaM2: labelled(z.number().min(0).max(100_000).default(0), {
        zh: '住房建筑面积',
        en: 'floor area',
        unit: { zh: '平方米', en: 'm²' },
      }),
      hasResidenceProof: yesNo('有居住情况证明', 'has proof of residence'),
    })
    .prefault({}),
  education: z
    .object({
      level: labelled(
        z
          .enum([
            'none',
            'primary',
            'junior-high',
            'senior-high',
            'secondary-vocational',
            'college',
            'bachelor',
            'master',
            'doctorate',
          ])
          .default('none'),
        {
          zh: '学历',
          effort: 3,
          en: 'education',
          values: {
            none: { zh: '无', en: 'none' },
            primary: { zh: '小学', en: 'primary school' },
            'junior-high': { zh: '初中', en: 'junior high school' },
            'senior-high': { zh: '高中', en: 'senior high school' },
            'secondary-vocational': { zh: '中专 / 职高 / 技校', en: 'secondary vocational' },
            college: { zh: '大专', en: 'college diploma (大专)' },
            bachelor: { zh: '本科', en: "bachelor's" },
            master: { zh: '硕士研究生', en: "master's" },
            doctorate: { zh: '博士研究生', en: 'doctorate' },
          },
        },
      ),
      isFullTime: yesNo('全日制', 'full-time'),
      isKeyUniversity: yesNo('重点院校', 'key university'),
    })
    .prefault({}),
  qualifications: z
    .object({
      professionalTitle: labelled(
        z.enum(['none', 'junior', 'intermediate', 'associate-senior', 'senior']).default('none'),
        {
          zh: '专业技术职务',
          effort: 3,
          en: 'professional title',
          values: {
            none: { zh: '无', en: 'none' },
            junior: { zh: '初级', en: 'junior' },
            intermediate: { zh: '中级', en: 'intermediate' },
            'associate-senior': { zh: '副高级', en: 'associate senior' },
            senior: { zh: '正高级', en: 'senior' },
          },
        },
      ),
      vocationalLevel: labelled(
        z
          .enum([
            'none',
            'junior-worker',
            'intermediate-worker',
            'senior-worker',
            'technician',
            'senior-technician',
          ])
          .default('none'),
        {
          zh: '职业资格',
          effort: 3,
          en: 'vocational qualification',
          values: {
            none: { zh: '无', en: 'none' },
            'junior-worker': { zh: '初级工', en: 'junior worker' },
            'intermediate-worker': { zh: '中级工', en: 'intermediate worker' },
            'senior-worker': { zh: '高级工', en: 'senior worker' },
            technician: { zh: '技师', en: 'technician' },
            'senior-technician': { zh: '高级技师', en: 'senior technician' },
          },
        },
      ),
      expertLevel: labelled(z.enum(['none', 'county', 'city', 'provincial', 'national']).default('none'), {
        zh: '专家及相应层次人才级别',
        effort: 3,
        en: 'expert level',
        values: {
          none: { zh: '无', en: 'none' },
          county: { zh: '县级', en: 'county' },
          city: { zh: '市级', en: 'city' },
          provincial: { zh: '省级', en: 'provincial' },
          national: { zh: '国家级', en: 'national' },
        },
      }),
      specialTalent: labelled(
        z.enum(['none', 'graduate', 'scarce-trade-worker', 'returned-overseas']).default('none'),
        {
          zh: '特殊人才类别',
          effort: 3,
          en: 'special talent category',
          values: {
            none: { zh: '无', en: 'none' },
            graduate: { zh: '高校和职业院校毕业生', en: 'university or vocational graduate' },
            'scarce-trade-worker': { zh: '紧缺工种技术工人', en: 'skilled worker of a scarce trade' },
            'returned-overseas': { zh: '留学回国人员', en: 'returned overseas student' },
          },
        },
      ),
    })
    .prefault({}),
  investment: z
    .object({
      amountYuan: labelled(z.number().min(0).max(1e13).default(0), {
        zh: '投资兴办企业金额',
        effort: 3,
        en: 'amount invested in an enterprise',
        unit: { zh: '元', en: 'yuan' },
      }),
      role: labelled(
        z
          .enum(['none', 'legal-representative', 'middle-manager', 'technical-staff', 'other'])
          .default('none'),
        {
          zh: '在所投资企业中的身份',
          effort: 3,
          en: 'role in the enterprise',
          values: {
            none: { zh: '无', en: 'none' },
            'legal-representative': { zh: '法定代表人', en: 'legal representative' },
            'middle-manager': { zh: '中层以上管理人员', en: 'middle or higher manager' },
            'technical-staff': { zh: '技术人员', en: 'technical staff' },
            other: { zh: '其他', en: 'other' },
          },
        },
      ),
      townType: townType('企业所在地', 'where the enterprise is'),
    })
    .prefault({}),
  honour: z
    .object({
      level: labelled(z.enum(['none', 'county', 'city', 'provincial', 'national']).default('none'), {
        zh: '荣誉称号级别',
        effort: 3,
        en: 'level of honour',
        values: {
          none: { zh: '无', en: 'none' },
          county: { zh: '县级', en: 'county' },
          city: { zh: '市级', en: 'city' },
          provincial: { zh: '省级', en: 'provincial' },
          national: { zh: '国家级', en: 'national' },
        },
      }),
      kind: labelled(
        z
          .enum(['none', 'model-worker', 'excellent-migrant-worker', 'heroic-deed', 'other-contribution'])
          .default('none'),
        {
          zh: '荣誉称号',
          effort: 3,
          en: 'honour',
          values: {
            none: { zh: '无', en: 'none' },
            'model-worker': { zh: '劳动模范', en: 'model worker' },
            'excellent-migrant-worker': { zh: '优秀农民工', en: 'excellent migrant worker' },
            'heroic-deed': { zh: '见义勇为先进个人', en: 'heroic-deed advanced individual' },
            'other-contribution': { zh: '其他突出贡献荣誉', en: 'other honour for outstanding contribution' },
          },
        },
      ),
    })
    .prefault({}),
  employment: z
    .object({
      status: labelled(z.enum(['none', 'stable', 'self-employed', 'flexible']).default('none'), {
        zh: '就业状况',
        en: 'employment',
        values: {
          none: { zh: '未就业', en: 'not employed' },
          stable: { zh: '稳定就业（签订劳动合同）', en: 'stable employment (labour contract)' },
          'self-employed': { zh: '个体经营 / 自主创业', en: 'self-employed' },
          flexible: { zh: '灵活就业', en: 'flexible employment' },
        },
      }),
      townType: townType('就业地', 'where the person works'),
      isInsuredAsFlexibleWorker: yesNo(
        '以灵活就业人员身份参加职工基本养老保险',
        'insured for employee pension as a flexible worker',
      ),
    })
    .prefault({}),
  months: z
    .object({
      residence: months('在当地连续居住', 'continuous residence here'),
      employment: months('在当地就业', 'employment here'),
      socialInsurance: months('在当地参加社会保险', 'social insurance here'),
    })
    .prefault({}),
  records: z
    .object({
      hasCriminalRecord: yesNo('有违法犯罪记录', 'has a criminal record', false),
      hasFamilyPlanningViolation: yesNo('有违反计划生育政策记录', 'has a family-planning violation', false),
    })
    .prefault({}),
  study: z
    .object({
      status: labelled(z.enum(['none', 'studying', 'admitted-to-college', 'graduated']).default('none'), {
        zh: '就学状况',
        en: 'study status',
        values: {
          none: { zh: '不在学', en: 'not a student' },
          studying: { zh: '连续就读', en: 'in continuous study' },
          'admitted-to-college': { zh: '考入大中专院校', en: 'admitted to a college' },
          graduated: { zh: '大中专院校毕业', en: 'graduated from a college' },
        },
      }),
      // The graduate clauses (qz-final/6, qz-draft/2.1.8) say where a city student's hukou goes after
      // college; they open no door to anyone else, so who the student was is part of the fact.
      hadCityHukouBeforeStudy: yesNo(
        '考入院校前为本市户籍',
        'had a hukou of this city when admitted to the college',
        false,
      ),
      isCollegeInProvince: yesNo('就读的大中专院校在本省', 'the college is in this province', false),
    })
    .prefault({}),
  sponsor: z
    .object({
      relation: labelled(z.enum(['none', 'spouse', 'child', 'parent']).default('none'), {
        zh: '与被投靠人的关系',
        en: 'relation to the relative joined',
        isChangeable: false,
        values: {
          none: { zh: '不投靠亲属', en: 'not joining a relative' },
          spouse: { zh: '配偶', en: 'spouse' },
          child: { zh: '子女', en: 'child' },
          parent: { zh: '父母', en: 'parent' },
        },
      }),
      hasLegalStableResidence: yesNo('被投靠人有合法稳定住所', 'the relative has a legal stable residence'),
      townType: townType('被投靠人住所所在地', "where the relative's residence is"),
      floorAreaM2: labelled(z.number().min(0).max(100_000).default(0), {
        zh: '被投靠人住房建筑面积',
        en: "floor area of the relative's home",
        unit: { zh: '平方米', en: 'm²' },
      }),
      personsAlreadyJoined: labelled(z.number().int().min(0).max(100).default(0), {
        zh: '已投靠该住所落户人数',
        en: 'persons who already joined at that home',
        unit: { zh: '人', en: 'persons' },
        isChangeable: false,
      }),
      isCoResident: yesNo('与被投靠人共同生活', 'lives with the relative'),
    })
    .prefault({}),
  urbanStatus: z
    .object({
      isReclassified: yesNo(
        '因县改区、乡改镇、村改居等区划调整被划为城镇',
        'made urban by reclassification (county→district, township→town, village→residents’ committee)',
        false,
      ),
      livesWorksOrStudiesInTown: yesNo(
        '实际在城镇居住、工作或学习',
        'actually lives, works or studies in the town',
      ),
      isEmployedInTown: yesNo('在城镇就业', 'employed in the town'),
      hasUrbanServices: yesNo(
        '与原城镇居民同等享受城镇基础设施和公共服务',
        'enjoys urban infrastructure and public services like existing urban residents',
      ),
    })
    .prefault({}),
  settlement: z
    .object({
      isSettledFarmer: yesNo(
        '已进城落户的农业转移人口',
        'agricultural-transfer person settled in town',
        false,
      ),
    })
    .prefault({}),
  ruralRights: z
    .object({
      hasLandContract: yesNo('有土地承包经营权', 'holds land contract rights', false),
      hasHomestead: yesNo('有宅基地使用权', 'holds homestead rights', false),
      hasCollectiveIncome: yesNo('有集体收益分配权', 'holds collective income rights', false),
    })
    .prefault({}),
  family: z.array(FamilyMember).max(30).default([]),
});

/** A person's facts after parsing: every default filled. */
export type Facts = z.infer<typeof Facts>;
/** A person's facts as a caller writes them: most fields optional. */
export type FactsInput = z.input<typeof Facts>;

/** One fact the rules may refer to, by its dotted path (`residence.leaseMonths`, `member.age`). */
export interface FactDefinition extends FactMeta {
  readonly path: string;
  readonly type: 'number' | 'boolean' | 'enum' | 'string';
  readonly options?: readonly string[];
  /** Facts of a family member are addressed as `member.<field>` in follower rules. */
  readonly scope: 'person' | 'member';
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    const def = s._zod.def as { type: string; innerType?: z.ZodType };
    if ((def.type === 'default' || def.type === 'optional' || def.type === 'prefault') && def.innerType)
      s = def.innerType;
    else return s;
  }
}

function collect(
  shape: Record<string, z.ZodType>,
  prefix: string,
  scope: FactDefinition['scope'],
  out: FactDefinition[],
) {
  for (const [key, field] of Object.entries(shape)) {
    const inner = unwrap(field);
    const path = prefix ? `${prefix}.${key}` : key;
    const meta = (field.meta() ?? inner.meta()) as FactMeta | undefined;
    const type = (inner._zod.def as { type: string }).type;
    if (type === 'object') {
      collect((inner as z.ZodObject).shape, path, scope, out);
      continue;
    }
    if (!meta?.zh) continue;
    const kind =
      type === 'enum' ? 'enum' : type === 'number' ? 'number' : type === 'boolean' ? 'boolean' : 'string';
    out.push({
      path,
      type: kind,
      scope,
      ...meta,
      ...(kind === 'enum' ? { options: (inner as z.ZodEnum).options as string[] } : {}),
    });
  }
}

function buildRegistry(): ReadonlyMap<string, FactDefinition> {
  const list: FactDefinition[] = [];
  collect(Facts.shape, '', 'person', list);
  collect(FamilyMember.shape, 'member', 'member', list);
  return new Map(list.map((d) => [d.path, d]));
}

/** Every fact a rule may name, by path. */
export const FACTS: ReadonlyMap<string, FactDefinition> = buildRegistry();

/** The JSON Schema of the facts (`huji policy schema --json`). */
export function factsJsonSchema(): unknown {
  return z.toJSONSchema(Facts, { io: 'input', unrepresentable: 'any' });
}

/** Reads a fact by its dotted path from a person's facts or a family member. */
export function readFact(source: unknown, path: string): unknown {
  let value: unknown = source;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
