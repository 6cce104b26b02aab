/**
 * The `huji` command's top-level commands, what `huji --help` says of each, and the file that defines
 * it — so that the executable loads only the command it runs and `huji --help` loads none (a command
 * group pulls in the database, the server, pdfkit or the policy engine; `huji id check` needs none of
 * them). `command-index.test.ts` checks this table against the whole program of `main.ts`: the same
 * names in the same order, the same usage terms and descriptions in both languages.
 */
import type { Command } from 'commander';
import type { Locale } from '../errors/codes.js';
import type { Io } from './output.js';

export type RegisterCommands = (program: Command, io: Io, setExit: (code: number) => void) => void;

export interface TopLevelCommand {
  readonly name: string;
  /** How the help lists it: the name and its usage ("apply [options]"). */
  readonly term: string;
  readonly description: Readonly<Record<Locale, string>>;
  /** The function that registers the command (with the others of its file). */
  readonly load: () => Promise<RegisterCommands>;
}

const server = () => import('./server-commands.js').then((m) => m.registerServerCommands);
const policy = () => import('./policy-commands.js').then((m) => m.registerPolicyCommands);
const register = () => import('./register-commands.js').then((m) => m.registerRegisterCommands);
const services = () => import('./service-commands.js').then((m) => m.registerServiceCommands);

export const TOP_LEVEL_COMMANDS: readonly TopLevelCommand[] = [
  {
    name: 'serve',
    term: 'serve [options]',
    description: { 'zh-CN': '启动平台（HTTP API）', en: 'start the platform (HTTP API)' },
    load: server,
  },
  { name: 'db', term: 'db', description: { 'zh-CN': '数据库', en: 'database' }, load: server },
  {
    name: 'id',
    term: 'id',
    description: { 'zh-CN': '公民身份号码（GB 11643-1999）', en: 'citizen ID numbers (GB 11643-1999)' },
    load: () => import('./id-commands.js').then((m) => m.registerIdCommands),
  },
  {
    name: 'divisions',
    term: 'divisions',
    description: {
      'zh-CN': '行政区划（GB/T 2260 与统计用区划代码）',
      en: 'administrative divisions (GB/T 2260, NBS codes)',
    },
    load: () => import('./division-commands.js').then((m) => m.registerDivisionCommands),
  },
  {
    name: 'policy',
    term: 'policy',
    description: {
      'zh-CN': '落户政策版本：查看、核验、比较、模拟',
      en: 'policy versions: show, check, compare, simulate',
    },
    load: policy,
  },
  {
    name: 'seed',
    term: 'seed [options]',
    description: {
      'zh-CN': '生成可复现的合成人口：写入人口库，或输出政策事实 CSV',
      en: 'generate a reproducible synthetic population: into the register, or as a facts CSV',
    },
    load: policy,
  },
  {
    name: 'register',
    term: 'register',
    description: { 'zh-CN': '人口登记', en: 'population register' },
    load: register,
  },
  { name: 'household', term: 'household', description: { 'zh-CN': '户', en: 'households' }, load: register },
  {
    name: 'duplicates',
    term: 'duplicates [options]',
    description: {
      'zh-CN': '查找疑似一人多户',
      en: 'find likely duplicate registrations (一人多户)',
    },
    load: register,
  },
  {
    name: 'import',
    term: 'import',
    description: { 'zh-CN': '导入数据', en: 'import data' },
    load: () => import('./import-commands.js').then((m) => m.registerImportCommands),
  },
  {
    name: 'apply',
    term: 'apply [options]',
    description: {
      'zh-CN': '代群众提交网上申请（脚本化提交）：申请表 JSON、政策事实 JSON 与材料文件',
      en: 'submit an online application for a resident (scripted): form JSON, facts JSON and material files',
    },
    load: services,
  },
  {
    name: 'queue',
    term: 'queue [options]',
    description: {
      'zh-CN': '工作人员的待办队列（超期在前，按时限排序）',
      en: "an officer's work queue (overdue first, by deadline)",
    },
    load: services,
  },
  {
    name: 'documents',
    term: 'documents',
    description: { 'zh-CN': '已开具的文书', en: 'issued documents' },
    load: () => import('./document-commands.js').then((m) => m.registerDocumentCommands),
  },
  {
    name: 'export',
    term: 'export [options]',
    description: {
      'zh-CN': '导出人口库（与导入相同的列；UTF-8、GB18030 或 GBK）',
      en: 'export the register as CSV (the import column set; UTF-8, GB18030 or GBK)',
    },
    load: () => import('./import-commands.js').then((m) => m.registerExportCommand),
  },
  {
    name: 'accounts',
    term: 'accounts',
    description: { 'zh-CN': '工作人员账户', en: 'officer accounts' },
    load: () => import('./account-commands.js').then((m) => m.registerAccountCommands),
  },
  {
    name: 'audit',
    term: 'audit',
    description: { 'zh-CN': '审计记录', en: 'audit trail' },
    load: () => import('./audit-commands.js').then((m) => m.registerAuditCommands),
  },
];

/** The command `argv` runs: its first word that is not an option (nor the value of `--lang`). */
export function commandNameOf(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--lang') i++;
    else if (!word.startsWith('-')) return word;
  }
  return undefined;
}
