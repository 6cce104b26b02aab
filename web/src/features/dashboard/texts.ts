/** Texts of the dashboard, Chinese and English (the language switch picks one). */
import { makeTexts, type TextPath } from '../../app/texts';

const T = {
  title: ['统计看板', 'Dashboard'],
  lead: [
    '{area}的申请、办理时限和落户情况，只含数量，不含个人信息。申请按提交日期统计，迁入人数按登记日期统计；未办结申请的时限按 {asOf} 计算。',
    'Applications, time limits and settlements of {area}: counts only, no personal data. Applications are counted by the day they were submitted, persons moved in by the day the register recorded the move; open applications are read against {asOf}.',
  ],
  from: ['起始日期', 'From'],
  to: ['截止日期', 'To'],
  area: ['地区', 'Area'],
  allDates: ['全部日期', 'All dates'],
  // The same words as the server's HUJI_STATS_RANGE.
  rangeBackwards: [
    '起始日期 {from} 晚于截止日期 {to}。',
    'The start date {from} is after the end date {to}.',
  ],
  applications: ['申请总数', 'Applications'],
  open: ['办理中', 'Open'],
  finished: ['已办结', 'Finished'],
  overdue: ['已超期', 'Overdue'],
  settlementsApproved: ['批准落户', 'Settlements approved'],
  personsMovedIn: ['迁入人数', 'Persons moved in'],
  byType: ['按申请事项和状态', 'Applications by type and status'],
  compliance: ['办理时限', 'Time limits'],
  byCounty: ['各县（市、区）落户情况', 'Settlements by county'],
  finishedGroup: ['已办结', 'Finished'],
  openGroup: ['办理中', 'Open'],
  withinLimit: ['时限内办结', 'Decided within the limit'],
  afterLimit: ['超时限办结', 'Decided after the limit'],
  onTime: ['时限充裕', 'On time'],
  dueSoon: ['{n} 个工作日内到期', 'Due within {n} working days'],
  paused: ['退回补正（暂停计时）', 'Returned (clock paused)'],
  count: ['件数', 'Applications'],
  persons: ['人数', 'Persons'],
  empty: ['所选范围内没有申请。', 'No applications in the chosen range.'],
  noCounties: ['所选范围内没有落户或迁入。', 'No settlements or moves in the chosen range.'],
  table: ['数据表', 'As a table'],
  type: ['申请事项', 'Application'],
  total: ['合计', 'Total'],
  county: ['县（市、区）', 'County'],
} as const;

export type TextKey = TextPath<typeof T>;

export const useT = makeTexts(T);
