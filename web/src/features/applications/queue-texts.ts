/** Texts of the officers' queue page, Chinese and English. */
import { makeTexts, type TextPath } from '../../app/texts';

const T = {
  search: ['查找', 'Search'],
  searchPlaceholder: ['受理编号或申请人姓名', 'Reference or applicant name'],
  searchPlaceholderFullId: [
    '受理编号、申请人姓名或公民身份号码',
    'Reference, applicant name or citizen ID number',
  ],
  type: ['申请事项', 'Application type'],
  state: ['办理状态', 'State'],
  band: ['时限情况', 'Time limit'],
  county: ['县（市、区）', 'County'],
  allTypes: ['全部事项', 'All types'],
  allStates: ['全部状态', 'All states'],
  allBands: ['全部时限', 'All time limits'],
  allCounties: ['全部县（市、区）', 'All counties'],
  onlyMine: ['只看待我办理的', 'Only what I can act on'],
  exportCsv: ['导出 CSV', 'Export CSV'],
  exportXlsx: ['导出 Excel', 'Export Excel'],
  exportHint: [
    '按当前筛选导出全部结果（不限当前页）；导出记入审计。',
    'Exports every result of the current filters (all pages); each export is audited.',
  ],
  total: ['共 {n} 件', '{n} in all'],
  reference: ['受理编号', 'Reference'],
  applicant: ['申请人', 'Applicant'],
  submittedAt: ['提交时间', 'Submitted'],
  deadline: ['办理时限', 'Deadline'],
  daysLeft: ['剩 {n} 个工作日', '{n} working days left'],
  dueToday: ['今日到期', 'Due today'],
  pausedNote: ['退回补正，暂停计时', 'Returned: clock paused'],
  legendOverdue: ['红色：已超期', 'Red: overdue'],
  legendDueSoon: ['黄色：{n} 个工作日内到期', 'Amber: due within {n} working days'],
  reset: ['清除筛选', 'Clear filters'],
} as const;

export type TextKey = TextPath<typeof T>;

export const useQueueT = makeTexts(T);
