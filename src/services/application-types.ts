/**
 * The kinds of online hukou application (issue 5) and, for one jurisdiction's policy, the catalogue of
 * application types: each with its time limit in working days (and where that figure comes from), the
 * materials it requires, and whether a county-level government must approve it as an extra step.
 *
 * Settlement types come from the policy: one per pathway of its `settlement` programme, with the
 * pathway's own materials and article (`relatives-joining` is such a pathway in the Quzhou policies).
 * A residence-permit application takes the materials of the policy's `residence-permit` pathway where
 * the policy has one (lz/2.11), else those of the national regulation. The other kinds are the hukou
 * office's own business; their checklists are defaults from `domain-facts.md`, configurable.
 *
 * Time limits: only the residence permit has a figure in a regulation (15 days, 《居住证暂行条例》).
 * The seed documents set none for settlement or the registrar's business; those figures are defaults
 * (`basis.kind === 'default'`), overridable per deployment (`TimeLimitOverrides`).
 */
import { policyRef, type Condition, type Pathway, type Policy, type Text } from '../policy/policy.js';
import { findForbiddenDemand, type ForbiddenDemand } from '../policy/forbidden-demands.js';
import { mediaTypesForMaterial, type AcceptedMediaType } from './material-types.js';

export const APPLICATION_KINDS = [
  'settlement',
  'relatives-joining',
  'residence-permit',
  'birth-registration',
  'move-in',
  'cross-province-move',
  'household-split',
  'booklet-replacement',
  'legacy-nature-proof',
] as const;
export type ApplicationKind = (typeof APPLICATION_KINDS)[number];

export const APPLICATION_KIND_LABELS = {
  settlement: { zh: '落户', en: 'settlement' },
  'relatives-joining': { zh: '投靠亲属落户', en: 'settlement joining a relative' },
  'residence-permit': { zh: '居住证首次申领', en: 'residence permit, first issue' },
  'birth-registration': { zh: '出生登记', en: 'birth registration' },
  'move-in': { zh: '凭准予迁入证明迁入', en: 'moving in with a permit to move in' },
  'cross-province-move': { zh: '户口迁移跨省通办', en: 'cross-province one-stop move' },
  'household-split': { zh: '分户', en: 'household split' },
  'booklet-replacement': { zh: '户口簿补领、换领', en: 'household booklet replacement' },
  'legacy-nature-proof': { zh: '户口性质证明', en: 'proof of pre-reform hukou nature' },
} as const satisfies Record<ApplicationKind, Text>;

/** Where a time-limit figure comes from: a legal text, or a default a deployment may change. */
export type TimeLimitBasis =
  | {
      readonly kind: 'law';
      /** The document and article, in words. */
      readonly source: Text;
      /** The quoted sentence. */
      readonly quote: string;
      /** Digest article ids that invoke the rule, where the seed documents do. */
      readonly articles: readonly string[];
      /** What is uncertain in applying it (e.g. days read as working days). */
      readonly note?: Text;
    }
  | { readonly kind: 'default'; readonly note: Text };

export interface TimeLimit {
  readonly workingDays: number;
  readonly basis: TimeLimitBasis;
  /** Set when a deployment overrode the figure. */
  readonly isOverridden?: boolean;
}

const SETTLEMENT_DEFAULT: TimeLimit = {
  workingDays: 20,
  basis: {
    kind: 'default',
    note: {
      zh: '两份政策文件均未规定落户审批时限；默认参照《行政许可法》第四十二条二十个工作日，可配置。',
      en: 'Neither policy document sets a time limit for settlement; the default follows the 20 working days of the Administrative Licensing Law art. 42, configurable.',
    },
  },
};

/** Default time limits per kind (working days). */
export const DEFAULT_TIME_LIMITS = {
  settlement: SETTLEMENT_DEFAULT,
  'relatives-joining': SETTLEMENT_DEFAULT,
  'residence-permit': {
    workingDays: 15,
    basis: {
      kind: 'law',
      source: {
        zh: '《居住证暂行条例》（国务院令第663号）关于制作发放时限的条款（第十一条，条号待核）',
        en: 'Interim Regulations on Residence Permits (State Council Decree 663), the issuing time-limit clause (art. 11, number to be verified)',
      },
      quote:
        '符合居住证办理条件的，公安机关应当自受理之日起15日内制作发放居住证；在偏远地区、交通不便的地区或者因特殊情况，不能按期制作发放居住证的，设区的市级以上地方人民政府在实施办法中可以对制作发放时限作出延长规定，但延长后最长不得超过30日。',
      articles: ['lz/2.11', 'qz-draft/2.3'],
      note: {
        zh: '条例写“15日”，未言明工作日；此处按工作日计（与本平台的时限时钟一致），偏远地区可配置至最长30日。兰州文件本身未写时限。',
        en: 'The regulation says "15 days" without saying working days; counted here as working days (like every clock of the platform); remote areas may be configured up to 30. The Lanzhou text itself gives no figure.',
      },
    },
  },
  'birth-registration': {
    workingDays: 1,
    basis: {
      kind: 'default',
      note: {
        zh: '《户口登记条例》第七条规定的是出生后一个月内申报的义务，不是办理时限；出生登记多为当场办结，默认1个工作日，可配置。',
        en: 'Hukou Registration Regulations (1958) art. 7 sets the one-month duty to declare a birth, not the office time limit; births are usually registered on the spot; default 1 working day, configurable.',
      },
    },
  },
  'move-in': {
    workingDays: 1,
    basis: {
      kind: 'default',
      note: {
        zh: '《户口登记条例》第十三条规定迁入申报期限（城市三日、农村十日），不是办理时限；凭证迁入多为当场办结，默认1个工作日，可配置。',
        en: 'Art. 13 of the 1958 regulations sets when the mover must declare (3 days in cities, 10 in the countryside), not the office time limit; usually done on the spot; default 1 working day, configurable.',
      },
    },
  },
  'cross-province-move': {
    workingDays: 1,
    basis: {
      kind: 'default',
      note: {
        zh: '跨省通办：迁入地签发电子准迁证，迁出地1个工作日内办结迁出并告知申请人（domain-facts.md，公安部规定，原文未核），可配置。',
        en: 'Cross-province one-stop: the destination issues an electronic permit to move in, the origin cancels within 1 working day and tells the applicant (domain-facts.md, Ministry of Public Security rule, text not verified); configurable.',
      },
    },
  },
  'household-split': {
    workingDays: 5,
    basis: {
      kind: 'default',
      note: {
        zh: '分户需核查，常见1至5个工作日（domain-facts.md），默认5个工作日，可配置。',
        en: 'A split needs checks, commonly 1–5 working days (domain-facts.md); default 5, configurable.',
      },
    },
  },
  'booklet-replacement': {
    workingDays: 5,
    basis: {
      kind: 'default',
      note: {
        zh: '无全国统一时限，默认5个工作日，可配置。',
        en: 'No national figure; default 5 working days, configurable.',
      },
    },
  },
  'legacy-nature-proof': {
    workingDays: 1,
    basis: {
      kind: 'default',
      note: {
        zh: '证明由登记历史生成，当场出具，默认1个工作日，可配置。',
        en: 'The proof is generated from the register history on the spot; default 1 working day, configurable.',
      },
    },
  },
} as const satisfies Record<ApplicationKind, TimeLimit>;

/** Extra working days a county-government approval adds (a default: the documents give no figure). */
export const DEFAULT_COUNTY_APPROVAL_WORKING_DAYS = 10;

export type TimeLimitOverrides = Partial<Record<ApplicationKind, number>> & {
  /** Per application type id (`settlement/talent`), before the kind's figure. */
  readonly byType?: Readonly<Record<string, number>>;
  readonly countyApproval?: number;
};

/** Where a required material comes from. */
export type MaterialSource =
  | { readonly kind: 'policy'; readonly policy: string; readonly pathway: string; readonly index: number }
  | { readonly kind: 'catalogue' };

export interface RequiredMaterial {
  /** Stable within the catalogue: `talent#1` for the second material of a pathway, `birth.certificate`. */
  readonly key: string;
  readonly label: Text;
  /** The file types the slot takes, checked on the bytes at upload (a photo: JPEG or PNG only). */
  readonly accepts: readonly AcceptedMediaType[];
  /** The article that asks for it (the pathway's), when the policy gives one. */
  readonly article?: string;
  readonly source: MaterialSource;
}

export interface CountyApproval {
  readonly authority: Text;
  readonly question: Text;
  readonly article: string;
}

export interface ApplicationType {
  /** `settlement/<pathway>`, or the kind for the kinds outside the settlement programme. */
  readonly id: string;
  readonly kind: ApplicationKind;
  readonly label: Text;
  /** The founding article in the policy digest, when there is one. */
  readonly article?: string;
  readonly pathway?: string;
  readonly decidedBy?: Text;
  readonly timeLimit: TimeLimit;
  readonly materials: readonly RequiredMaterial[];
  /** A county-level (or higher) government must approve before the approval (extra workflow step). */
  readonly needsCountyApproval: boolean;
  readonly countyApproval?: CountyApproval;
}

export interface ApplicationCatalogue {
  readonly policy: string;
  readonly jurisdiction: string;
  readonly types: readonly ApplicationType[];
}

export interface CatalogueProblem {
  readonly type: string;
  readonly material: string;
  readonly demand: ForbiddenDemand;
}

export type CatalogueResult =
  | { readonly isValid: true; readonly catalogue: ApplicationCatalogue }
  | { readonly isValid: false; readonly problems: readonly CatalogueProblem[] };

const GOVERNMENT = /人民政府/u;

/** The discretionary conditions of a government (not of a department) in a condition tree. */
function governmentApprovals(condition: Condition, article: string): CountyApproval[] {
  const cited = condition.article ?? article;
  if ('discretion' in condition)
    return GOVERNMENT.test(condition.discretion.authority.zh)
      ? [{ ...condition.discretion, article: cited }]
      : [];
  if ('all' in condition) return condition.all.flatMap((c) => governmentApprovals(c, cited));
  if ('any' in condition) return condition.any.flatMap((c) => governmentApprovals(c, cited));
  if ('not' in condition) return [];
  return [];
}

function catalogueMaterial(key: string, zh: string, en: string, article?: string): RequiredMaterial {
  return {
    key,
    label: { zh, en },
    accepts: mediaTypesForMaterial({ zh }),
    source: { kind: 'catalogue' },
    ...(article ? { article } : {}),
  };
}

function pathwayMaterials(policy: Policy, pathway: Pathway): RequiredMaterial[] {
  return pathway.materials.map((label, index) => ({
    key: `${pathway.id}#${index}`,
    label,
    accepts: mediaTypesForMaterial(label),
    article: pathway.article,
    source: { kind: 'policy', policy: policyRef(policy), pathway: pathway.id, index },
  }));
}

/** The digest article if the policy carries it. */
function cite(policy: Policy, ...ids: string[]): string | undefined {
  return ids.find((id) => policy.articles.some((a) => a.id === id));
}

function timeLimitOf(
  kind: ApplicationKind,
  typeId: string,
  needsCountyApproval: boolean,
  overrides: TimeLimitOverrides,
): TimeLimit {
  const base: TimeLimit = DEFAULT_TIME_LIMITS[kind];
  const override = overrides.byType?.[typeId] ?? overrides[kind];
  const extra = needsCountyApproval ? (overrides.countyApproval ?? DEFAULT_COUNTY_APPROVAL_WORKING_DAYS) : 0;
  if (override !== undefined && (!Number.isInteger(override) || override < 1))
    throw new RangeError(`time limit ${override} is not a whole number of working days ≥ 1`);
  const workingDays = (override ?? base.workingDays) + extra;
  if (override === undefined && extra === 0) return base;
  return { workingDays, basis: base.basis, isOverridden: override !== undefined || undefined };
}

/**
 * The application types a jurisdiction offers under its policy, or the materials that break a
 * guarantee (a policy may never make giving up land rights a material of settling).
 *
 * @example applicationTypesFor(quzhouFinal).catalogue.types.map((t) => t.id) // ['settlement/intra-county', …, 'relatives-joining', 'residence-permit', …]
 */
export function applicationTypesFor(policy: Policy, overrides: TimeLimitOverrides = {}): CatalogueResult {
  // Built once per policy version and time-limit setting: every request of the portal and the queue asks.
  const key = JSON.stringify(overrides);
  let byOverrides = catalogues.get(policy);
  if (!byOverrides) catalogues.set(policy, (byOverrides = new Map<string, CatalogueResult>()));
  let result = byOverrides.get(key);
  if (!result) byOverrides.set(key, (result = buildApplicationTypes(policy, overrides)));
  return result;
}

const catalogues = new WeakMap<Policy, Map<string, CatalogueResult>>();

function buildApplicationTypes(policy: Policy, overrides: TimeLimitOverrides): CatalogueResult {
  const { countyApproval } = overrides;
  if (countyApproval !== undefined && (!Number.isInteger(countyApproval) || countyApproval < 0))
    throw new RangeError(`county approval time ${countyApproval} is not a whole number of working days ≥ 0`);
  const types: ApplicationType[] = [];
  const settlement = policy.programmes.find((p) => p.id === 'settlement');
  for (const pathway of settlement?.pathways ?? []) {
    const kind: ApplicationKind = pathway.id === 'relatives-joining' ? 'relatives-joining' : 'settlement';
    const id = kind === 'relatives-joining' ? kind : `settlement/${pathway.id}`;
    const approvals = governmentApprovals(pathway.when, pathway.article);
    const needsCountyApproval = approvals.length > 0;
    types.push({
      id,
      kind,
      label:
        kind === 'relatives-joining'
          ? pathway.title
          : { zh: `落户：${pathway.title.zh}`, en: `Settlement: ${pathway.title.en}` },
      article: pathway.article,
      pathway: pathway.id,
      decidedBy: pathway.decidedBy,
      timeLimit: timeLimitOf(kind, id, needsCountyApproval, overrides),
      materials: pathwayMaterials(policy, pathway),
      needsCountyApproval,
      ...(approvals[0] ? { countyApproval: approvals[0] } : {}),
    });
  }

  const permit = policy.programmes
    .find((p) => p.id === 'residence-permit')
    ?.pathways.find((p) => p.id === 'residence-permit');
  types.push({
    id: 'residence-permit',
    kind: 'residence-permit',
    label: APPLICATION_KIND_LABELS['residence-permit'],
    ...(permit ? { article: permit.article, pathway: permit.id, decidedBy: permit.decidedBy } : {}),
    ...(!permit && cite(policy, 'qz-draft/2.3') ? { article: 'qz-draft/2.3' } : {}),
    timeLimit: timeLimitOf('residence-permit', 'residence-permit', false, overrides),
    materials: permit
      ? pathwayMaterials(policy, permit)
      : [
          catalogueMaterial('permit.id-card', '本人居民身份证', 'resident ID card'),
          catalogueMaterial('permit.photo', '本人相片', 'photo'),
          catalogueMaterial('permit.address', '居住地住址证明', 'proof of the address of residence'),
          catalogueMaterial('permit.job-or-study', '就业或者就读证明', 'proof of employment or study'),
        ],
    needsCountyApproval: false,
  });

  const fixed = (
    kind: Exclude<ApplicationKind, 'settlement' | 'relatives-joining' | 'residence-permit'>,
    materials: RequiredMaterial[],
    article?: string,
  ): ApplicationType => ({
    id: kind,
    kind,
    label: APPLICATION_KIND_LABELS[kind],
    ...(article ? { article } : {}),
    timeLimit: timeLimitOf(kind, kind, false, overrides),
    materials,
    needsCountyApproval: false,
  });
  types.push(
    fixed(
      'birth-registration',
      [
        catalogueMaterial('birth.certificate', '出生医学证明', 'medical birth certificate'),
        catalogueMaterial('birth.parent-booklet', '父亲或者母亲的居民户口簿', "a parent's household booklet"),
        catalogueMaterial('birth.parent-ids', '父母的居民身份证', "the parents' ID cards"),
        catalogueMaterial(
          'birth.marriage',
          '父母的结婚证（非婚生育的，提交相关说明）',
          "the parents' marriage certificate (for a birth outside marriage, a declaration)",
        ),
      ],
      cite(policy, 'qz-final/8', 'qz-draft/2.4.2'),
    ),
    fixed('move-in', [
      catalogueMaterial('move-in.permit', '准予迁入证明', 'permit to move in'),
      catalogueMaterial('move-in.migration-certificate', '户口迁移证', 'migration certificate'),
      catalogueMaterial('move-in.id-card', '居民身份证', 'resident ID card'),
    ]),
    fixed('cross-province-move', [
      catalogueMaterial('cross-move.id-card', '居民身份证', 'resident ID card'),
      catalogueMaterial('cross-move.booklet', '居民户口簿', 'household booklet'),
      catalogueMaterial(
        'cross-move.eligibility',
        '符合迁入地落户条件的证明材料（房屋产权证或租赁合同、结婚证等）',
        "proof of meeting the destination's settlement conditions (deed or lease, marriage certificate, …)",
      ),
    ]),
    fixed('household-split', [
      catalogueMaterial('split.booklet', '居民户口簿', 'household booklet'),
      catalogueMaterial('split.id-cards', '申请人居民身份证', "the applicants' ID cards"),
      catalogueMaterial(
        'split.residence',
        '房屋所有权证（不动产权证书）或房屋租赁合同',
        'title deed or lease of the separate home',
      ),
      catalogueMaterial(
        'split.marriage',
        '结婚证（因婚姻分户的）',
        'marriage certificate (for a split on marriage)',
      ),
    ]),
    fixed('booklet-replacement', [
      catalogueMaterial('booklet.id-card', '户主或者本户成员的居民身份证', 'ID card of the head or a member'),
      catalogueMaterial(
        'booklet.statement',
        '补领的提交遗失说明，换领的交回原户口簿',
        'a statement of loss (replacement), or the worn booklet (exchange)',
      ),
    ]),
    fixed(
      'legacy-nature-proof',
      [
        catalogueMaterial(
          'nature-proof.id-card',
          '本人居民身份证或者居民户口簿',
          'ID card or household booklet',
        ),
      ],
      cite(policy, 'qz-final/7', 'qz-draft/2.2.1'),
    ),
  );

  const problems: CatalogueProblem[] = [];
  for (const type of types) {
    for (const material of type.materials) {
      const demand = findForbiddenDemand(material.label, policy);
      if (demand) problems.push({ type: type.id, material: material.key, demand });
    }
  }
  if (problems.length > 0) return { isValid: false, problems };
  return {
    isValid: true,
    catalogue: { policy: policyRef(policy), jurisdiction: policy.jurisdiction, types },
  };
}

/** The type with this id in the catalogue, or undefined. */
export function findApplicationType(
  catalogue: ApplicationCatalogue,
  typeId: string,
): ApplicationType | undefined {
  return catalogue.types.find((t) => t.id === typeId);
}
