/**
 * HTTP routes over the pure standards module: citizen ID checks and upgrades, divisions, code tables.
 * Public reference lookups: they read no personal data.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatMessage, type Locale } from '../errors/codes.js';
import { HujiError } from '../errors/huji-error.js';
import { checkCitizenId, upgradeCitizenId, type ParsedCitizenId } from '../standards/citizen-id.js';
import { CODE_TABLE_IDS, CODE_TABLES, isCodeTableId } from '../standards/code-tables.js';
import {
  childDivisions,
  findDivision,
  hasBundledTowns,
  normalizeDivisionCode,
  provinceDivisions,
  searchDivisions,
} from '../standards/divisions.js';
import { negotiateLocale } from '../errors/locale.js';
import { ruledString } from './validation.js';

/** Responses hand out the core's readonly arrays as they are. */
const list = <T extends z.ZodType>(item: T) => z.array(item).readonly();

const CitizenIdInput = z.string().min(1).max(40).describe('公民身份号码（18 位，或 15 位旧号码）');

const AddressCodePeriod = z.object({
  name: z.string(),
  from: z.number().nullable(),
  to: z.number().nullable(),
});

const ParsedId = z.object({
  citizenId: z.string().describe('18 位号码（15 位输入时为升位后的号码）'),
  format: z.union([z.literal(18), z.literal(15)]),
  kind: z.enum(['resident', 'hmt-residence-permit']),
  address: z.object({
    code: z.string(),
    name: z.string().describe('发证时的名称'),
    currentName: z.string().optional(),
    isCurrent: z.boolean(),
    province: z.string().optional(),
    prefecture: z.string().optional(),
    history: list(AddressCodePeriod),
  }),
  birthDate: z.string(),
  sequence: z.number().int(),
  sex: z.enum(['male', 'female']),
  sexLabel: z.string(),
  checkCharacter: z.string(),
});

const IdProblemOut = z.object({ code: z.string(), message: z.string() });

const IdCheckResponse = z.object({
  isValid: z.boolean(),
  input: z.string(),
  parsed: ParsedId.optional(),
  problems: z.array(IdProblemOut).optional(),
});

const Division = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(['province', 'prefecture', 'county', 'town', 'village']),
  path: list(z.object({ code: z.string(), name: z.string() })),
  countyKind: z.enum(['district', 'county', 'county-level-city', 'statistical-unit']).optional(),
  townKind: z.enum(['sub-district', 'town', 'township', 'special-area']).optional(),
  villageKind: z.enum(['residents-committee', 'villagers-committee']).optional(),
  isStatisticalUnit: z.boolean(),
  history: list(AddressCodePeriod),
  isCurrent: z.boolean(),
  vintage: z.string(),
});

const DivisionCode = ruledString((value) =>
  normalizeDivisionCode(value) ? undefined : { code: 'HUJI_DIVISION_CODE_FORMAT', params: { code: value } },
).describe('区划代码：2、4、6 位（GB/T 2260）或 9、12 位（统计用区划代码）');

const CodeEntry = z.object({
  code: z.string(),
  zh: z.string(),
  en: z.string(),
  parent: z.string().optional(),
  formerNames: list(z.string()).optional(),
  letters: z.string().optional(),
  isExtension: z.boolean().optional(),
});
const CodeTableSummary = z.object({
  id: z.enum(CODE_TABLE_IDS),
  standard: z.string(),
  zh: z.string(),
  en: z.string(),
});

function localizeParsed(parsed: ParsedCitizenId, locale: Locale) {
  const sexLabel =
    parsed.sex === 'male' ? (locale === 'en' ? 'male' : '男') : locale === 'en' ? 'female' : '女';
  return { ...parsed, sexLabel };
}

export function registerStandardsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/v1/citizen-ids/check',
    {
      // Parses the number the caller sent; reads no record (src/server/mask-answers.ts).
      config: { echoesCallerInput: true },
      schema: {
        tags: ['standards'],
        summary: '校验公民身份号码（GB 11643-1999） / check a citizen ID number',
        description:
          'Answers 200 whether the number is valid or not; an invalid number lists every reason ' +
          '(length, characters, address code, date, check character). The number travels in the body so that it never appears in URLs or logs.',
        body: z.object({ citizenId: CitizenIdInput }),
        response: { 200: IdCheckResponse },
      },
    },
    async (request) => {
      const locale = negotiateLocale(request.headers['accept-language']);
      const result = checkCitizenId(request.body.citizenId);
      if (result.isValid)
        return { isValid: true, input: result.input, parsed: localizeParsed(result.parsed, locale) };
      return {
        isValid: false,
        input: result.input,
        problems: result.problems.map((p) => ({
          code: p.code,
          message: formatMessage(p.code, locale, p.params),
        })),
      };
    },
  );

  r.post(
    '/api/v1/citizen-ids/upgrade',
    {
      // Computes from the number the caller sent; reads no record (src/server/mask-answers.ts).
      config: { echoesCallerInput: true },
      schema: {
        tags: ['standards'],
        summary: '15 位号码升为 18 位 / upgrade a 15-digit number to 18 characters',
        body: z.object({
          citizenId: CitizenIdInput,
          birthDateOnRecord: z.iso
            .date()
            .optional()
            .describe('户籍登记的出生日期；1900 年以前出生者据此使用 18 世纪码'),
        }),
        response: {
          200: z.object({ citizenId: z.string(), isBornBefore1900: z.boolean(), parsed: ParsedId }),
        },
      },
    },
    async (request) => {
      const locale = negotiateLocale(request.headers['accept-language']);
      const { citizenId, birthDateOnRecord } = request.body;
      const result = upgradeCitizenId(citizenId, birthDateOnRecord ? { birthDateOnRecord } : {});
      if (!result.isUpgraded) {
        const [first, ...rest] = result.problems;
        const problems = [first, ...rest].flatMap((p) =>
          p
            ? [
                {
                  path: 'body.citizenId',
                  code: p.code,
                  message: {
                    'zh-CN': formatMessage(p.code, 'zh-CN', p.params),
                    en: formatMessage(p.code, 'en', p.params),
                  },
                },
              ]
            : [],
        );
        throw new HujiError(first?.code ?? 'HUJI_VALIDATION', first?.params ?? {}, { problems });
      }
      return {
        citizenId: result.citizenId,
        isBornBefore1900: result.isBornBefore1900,
        parsed: localizeParsed(result.parsed, locale),
      };
    },
  );

  r.get(
    '/api/v1/divisions/provinces',
    {
      schema: {
        tags: ['standards'],
        summary: '省级行政区划（区划选择的第一级） / the provinces, first level of a division picker',
        response: { 200: z.object({ items: z.array(Division) }) },
      },
    },
    async () => ({ items: provinceDivisions() }),
  );

  r.get(
    '/api/v1/divisions/:code',
    {
      schema: {
        tags: ['standards'],
        summary: '按代码查行政区划（含已撤销的县级代码） / a division by code, abolished codes included',
        params: z.object({ code: DivisionCode }),
        response: { 200: Division.extend({ children: z.array(Division) }) },
      },
    },
    async (request) => {
      const division = findDivision(request.params.code);
      if (!division) throw new HujiError('HUJI_DIVISION_UNKNOWN', { code: request.params.code });
      return { ...division, children: childDivisions(division.code) };
    },
  );

  r.get(
    '/api/v1/divisions/:code/towns',
    {
      schema: {
        tags: ['standards'],
        summary:
          '县级区划下的乡镇、街道（可按名称筛选） / the towns and sub-districts of a county, optionally by name',
        description:
          '地址选到乡镇（街道）一级：返回 9 位统计用区划代码。只有随附乡镇数据的地市（衢州 3308、兰州 6201）' +
          '有乡镇；其他县级区划 `hasTowns` 为 false、`items` 为空。 / Towns have 9-digit NBS codes; only the ' +
          'bundled cities (Quzhou 3308, Lanzhou 6201) have them, elsewhere `hasTowns` is false and `items` empty.',
        params: z.object({ code: DivisionCode }),
        querystring: z.object({
          q: z.string().trim().max(40).optional().describe('乡镇、街道名称或其中一部分（如“府山”）'),
        }),
        response: {
          200: z.object({
            county: Division,
            hasTowns: z.boolean().describe('本县级区划的乡镇数据是否随附'),
            items: z.array(Division),
          }),
        },
      },
    },
    async (request) => {
      const county = findDivision(request.params.code);
      if (!county) throw new HujiError('HUJI_DIVISION_UNKNOWN', { code: request.params.code });
      if (county.level !== 'county')
        throw new HujiError('HUJI_DIVISION_NOT_COUNTY', { code: county.code, name: county.name });
      const q = request.query.q ?? '';
      const towns = childDivisions(county.code);
      return {
        county,
        hasTowns: hasBundledTowns(county.code),
        items: q ? towns.filter((t) => t.name.includes(q)) : towns,
      };
    },
  );

  r.get(
    '/api/v1/divisions',
    {
      schema: {
        tags: ['standards'],
        summary: '按名称查行政区划（含曾用名） / search divisions by current or former name',
        description:
          '`level=town` 只查乡镇、街道（如 q=府山 → 330802006 府山街道，柯城区）；`within` 限于某区划之下。 / ' +
          '`level=town` finds towns only; `within` keeps the divisions below one division.',
        querystring: z.object({
          q: z.string().trim().min(1).max(40).describe('名称或其中一部分'),
          limit: z.coerce.number().int().min(1).max(100).default(20),
          level: z
            .enum(['province', 'prefecture', 'county', 'town', 'village'])
            .optional()
            .describe('只查这一级'),
          within: DivisionCode.optional().describe('只查这一区划之下的（如 330802 柯城区）'),
        }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                matchedName: z.string(),
                isFormerName: z.boolean(),
                isReusedCode: z.boolean(),
                division: Division,
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({
      items: searchDivisions(request.query.q, request.query.limit, {
        ...(request.query.level ? { levels: [request.query.level] } : {}),
        ...(request.query.within ? { within: request.query.within } : {}),
      }).map((h) => ({
        matchedName: h.matchedName,
        isFormerName: h.isFormerName,
        isReusedCode: h.isReusedCode,
        division: h.division,
      })),
    }),
  );

  r.get(
    '/api/v1/code-tables',
    {
      schema: {
        tags: ['standards'],
        summary: '代码表目录 / the code tables',
        response: { 200: z.object({ items: z.array(CodeTableSummary) }) },
      },
    },
    async () => ({
      items: CODE_TABLE_IDS.map((id) => {
        const { standard, zh, en } = CODE_TABLES[id];
        return { id, standard, zh, en };
      }),
    }),
  );

  r.get(
    '/api/v1/code-tables/:table',
    {
      schema: {
        tags: ['standards'],
        summary: '一张代码表的全部条目 / the entries of a code table',
        params: z.object({ table: z.string().max(40) }),
        response: { 200: CodeTableSummary.extend({ entries: list(CodeEntry) }) },
      },
    },
    async (request) => {
      const { table } = request.params;
      if (!isCodeTableId(table)) throw new HujiError('HUJI_CODE_TABLE_UNKNOWN', { table });
      const t = CODE_TABLES[table];
      return {
        id: t.id,
        standard: t.standard,
        zh: t.zh,
        en: t.en,
        entries: t.entries,
      };
    },
  );
}
