/** Texts of the duplicate-pair review, Chinese and English (the language switch picks one). */
import { FORM_TEXTS, makeTexts, type TextPath } from '../../app/texts';

const T = {
  ...FORM_TEXTS,
  show: ['显示', 'Show'],
  filters: {
    open: ['待核查', 'To review'],
    'not-duplicate': ['已核定为不同的人', 'Reviewed: different persons'],
    duplicate: ['已确认为同一人', 'Confirmed: the same person'],
  },
  reviewedTotal: ['共 {total} 对', '{total} pairs'],
  emptyReviewed: ['没有这一类已核查的记录。', 'No reviewed pairs of this kind.'],
  pairOf: ['{a} 与 {b}', '{a} and {b}'],
  field: ['项目', 'Field'],
  sideA: ['甲', 'A'],
  sideB: ['乙', 'B'],
  citizenId: ['公民身份号码', 'Citizen ID'],
  // Shown next to a masked id: the year and month only (docs/adr/0021-irreversible-id-masking.md).
  birthDate: ['出生年月', 'Year and month of birth'],
  household: ['户号', 'Household'],
  status: ['户口状态', 'Status'],
  noHousehold: ['不在任何户内', 'In no household'],
  kinds: {
    'same-citizen-id': ['同一公民身份号码', 'Same citizen ID'],
    'likely-same-person': ['疑似同一人', 'Likely the same person'],
  },
  score: ['相似度 {score}%', 'Similarity {score}%'],
  evidence: ['比对依据', 'Evidence'],
  states: {
    open: ['待核查', 'To review'],
    confirmed: ['已确认为同一人，待注销重复户口', 'Confirmed; the duplicate is not cancelled yet'],
    distinct: ['已核定为不同的人', 'Reviewed: different persons'],
    resolved: ['已注销重复户口', 'Duplicate registration cancelled'],
  },
  reviewed: ['{time} 核查：{note}', 'Reviewed {time}: {note}'],
  resolvedAt: ['{time} 注销重复户口', 'Duplicate cancelled {time}'],
  notSame: ['不是同一人', 'Not the same person'],
  same: ['是同一人，注销重复户口', 'Same person — cancel the duplicate registration'],
  note: ['核查说明', 'What you checked'],
  noteHelp: [
    '例如：核对身份证照片和指纹，为同名同日出生的两个人。',
    'For example: compared the ID card photos and fingerprints; two persons with the same name and birthday.',
  ],
  confirmDistinct: ['确认不是同一人', 'Confirm: not the same person'],
  keep: ['保留哪一条登记', 'Which registration to keep'],
  keepOption: [
    '保留{side}（{name}，{household}），注销另一条',
    'Keep {side} ({name}, {household}) and cancel the other',
  ],
  householdNumber: ['户号 {number}', 'household {number}'],
  reason: ['注销原因', 'Reason for the cancellation'],
  reasonHelp: [
    '例如：与户号 330802000800003 的登记为同一人，婚后在夫家重复登记。',
    "For example: the same person as in household 330802000800003, registered again in her husband's household.",
  ],
  newHead: ['新户主', 'New head of the household'],
  newHeadHelp: [
    '{name} 是户号 {number} 的户主，户内还有其他成员：请指定新户主。',
    '{name} heads household {number}, which has other members: choose the new head.',
  ],
  loadingHousehold: ['正在读取户内成员…', 'Loading the household…'],
  confirmCancel: ['注销重复户口', 'Cancel the duplicate registration'],
  refused: ['未能办理', 'Not done'],
  failed: ['提交失败，请重试。', 'The submission failed; try again.'],
  doneDistinct: ['已记录：{a} 与 {b} 不是同一人。', 'Recorded: {a} and {b} are not the same person.'],
  doneCancelled: [
    '已注销 {name} 的重复户口，保留 {kept} 的登记。',
    'The duplicate registration of {name} is cancelled; {kept} is kept.',
  ],
  openPerson: ['查看 {name} 的登记', 'Open the record of {name}'],
} as const;

export type DuplicateTextKey = TextPath<typeof T>;

export const useDuplicateTexts = makeTexts(T);
