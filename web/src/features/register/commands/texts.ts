/** Texts of the register command forms, Chinese and English (the language switch picks one). */
import { useCallback } from 'react';
import { useLang } from '../../../app/lang';

const T = {
  actions: ['登记业务', 'Register events'],
  personActions: ['办理此人的登记业务', 'Register events for this person'],
  householdActions: ['办理本户的登记业务', 'Register events for this household'],
  noHukou: ['无户口人员登记', 'Register a person without hukou'],
  submit: ['提交登记', 'Record'],
  cancel: ['取消', 'Cancel'],
  close: ['关闭', 'Close'],
  required: ['必填', 'Required'],
  choose: ['请选择', 'Choose'],
  formErrors: ['请更正标出的内容。', 'Correct the marked fields.'],
  refused: ['未能办理', 'Not recorded'],
  failed: ['提交失败，请重试。', 'The submission failed; try again.'],
  loadFailed: ['无法加载选项', 'The options cannot be loaded'],
  retry: ['重试', 'Retry'],
  done: ['{action}已登记', '{action} recorded'],
  doneLead: ['以下记录已更新：', 'These records changed:'],
  effectiveOn: ['生效日期', 'Effective date'],
  allocatedId: ['分配的公民身份号码', 'Allocated citizen ID'],
  newHouseholdNumber: ['新户号', 'New household number'],
  changedPersons: ['人员', 'Persons'],
  changedHouseholds: ['户', 'Households'],
  openPerson: ['人员信息', 'person'],
  openHousehold: ['户 {number}', 'household {number}'],
  householdPage: ['户页', 'household page'],
  // Fields
  effectiveDate: ['生效日期（不填为今天）', 'Effective date (today if empty)'],
  name: ['姓名', 'Name'],
  sex: ['性别', 'Sex'],
  birthDate: ['出生日期', 'Date of birth'],
  ethnicity: ['民族', 'Ethnicity'],
  birthplace: ['出生地（不填为登记地）', 'Place of birth (the registering county if empty)'],
  education: ['学历', 'Education'],
  maritalStatus: ['婚姻状况', 'Marital status'],
  occupation: ['职业', 'Occupation'],
  servicePlace: ['服务处所', 'Place of work'],
  citizenId: ['公民身份号码', 'Citizen ID number'],
  relationship: ['与户主关系', 'Relationship to the head'],
  relationshipToNewHead: ['与新户主关系：{name}', 'Relationship to the new head: {name}'],
  birthCertificateNumber: ['出生医学证明编号', 'Birth certificate number'],
  dateOfDeath: ['死亡日期', 'Date of death'],
  deathCertificateNumber: ['死亡证明编号', 'Death certificate number'],
  newHead: ['新户主', 'New head'],
  newHeadHint: [
    '此人是户主，户内还有其他成员：请指定新户主。',
    'This person heads the household and others remain: name the new head.',
  ],
  toDivision: ['迁往地', 'Moving to'],
  fromDivision: ['迁出地', 'Moving from'],
  permitNumber: ['准予迁入证明编号', 'Permit to move in number'],
  permitNumberOptional: ['准迁证编号（可不填）', 'Permit number (optional)'],
  toHousehold: ['迁入户（户号）', 'Into household (number)'],
  householdNumberHint: ['输入 15 位户号', 'Enter the 15-digit household number'],
  householdFound: ['{address}（{members} 人）', '{address} ({members} persons)'],
  householdNotFound: ['没有找到此户号。', 'No household with this number.'],
  householdType: ['户别', 'Household type'],
  family: ['家庭户', 'family household'],
  collective: ['集体户', 'collective household'],
  address: ['住址', 'Address'],
  county: ['所在县（市、区）', 'County (district, city)'],
  searchDivision: ['输入地名查找', 'Type a place name'],
  headPerson: ['新户户主', 'Head of the new household'],
  splitMembers: ['随迁成员', 'Members moving along'],
  addMember: ['添加成员', 'Add a member'],
  remove: ['移除', 'Remove'],
  member: ['成员', 'Member'],
  person: ['人员', 'Person'],
  field: ['更正项目', 'Field to correct'],
  value: ['更正后的值', 'Correct value'],
  reason: ['更正原因', 'Reason'],
  evidence: ['证明材料', 'Evidence'],
  bookletReason: ['签发原因', 'Reason for issue'],
  destination: ['落户到', 'Register into'],
  existingHousehold: ['现有户', 'an existing household'],
  newHousehold: ['新立户', 'a new household'],
  basis: ['登记依据', 'Basis of registration'],
  basisHint: [
    '按《国务院办公厅关于解决无户口人员登记户口问题的意见》（国办发〔2015〕96号）所属情形填写。',
    'The category under the State Council General Office opinion on registering persons without hukou (2015 No. 96).',
  ],
  newPerson: ['人员信息', 'The person'],
  newHouseholdTitle: ['新户', 'The new household'],
  bookletReasons: {
    first: ['首次签发', 'first issue'],
    replacement: ['补发、换发', 'replacement'],
    'on-request': ['依申请签发', 'on request'],
  },
  correctable: {
    name: ['姓名', 'name'],
    sex: ['性别', 'sex'],
    birthDate: ['出生日期', 'date of birth'],
    ethnicity: ['民族', 'ethnicity'],
    birthplace: ['出生地', 'place of birth'],
    education: ['学历', 'education'],
    maritalStatus: ['婚姻状况', 'marital status'],
    occupation: ['职业', 'occupation'],
    servicePlace: ['服务处所', 'place of work'],
    citizenId: ['公民身份号码', 'citizen ID number'],
  },
  commands: {
    'birth-registration': ['出生登记', 'Birth registration'],
    'death-cancellation': ['死亡注销', 'Death cancellation'],
    'move-in': ['迁入', 'Move in'],
    'move-out': ['迁出', 'Move out'],
    'move-within-city': ['市内迁移', 'Move within the city'],
    'household-establishment': ['立户', 'Establish a household'],
    'household-split': ['分户', 'Household split'],
    'head-change': ['户主变更', 'Head change'],
    'relationship-change': ['与户主关系变更', 'Relationship change'],
    correction: ['变更更正', 'Correction'],
    'booklet-issue': ['户口簿签发', 'Booklet issue'],
    'no-hukou-registration': ['无户口人员登记', 'Registration of a person without hukou'],
  },
} as const;

type Leaf = readonly [string, string];
type Tree = { readonly [k: string]: Leaf | Tree };
type Path<N> = {
  [K in keyof N & string]: N[K] extends Leaf ? K : `${K}.${Path<N[K]>}`;
}[keyof N & string];
export type TextKey = Path<typeof T>;

/** `t(key, params)`: the text in the chosen language, `{name}` replaced by params. */
export function useT() {
  const [lang] = useLang();
  return useCallback(
    (key: TextKey, params: Record<string, string | number> = {}) => {
      let node: Leaf | Tree | undefined = T;
      for (const part of key.split('.'))
        node = node && !Array.isArray(node) ? (node as Tree)[part] : undefined;
      const pair = Array.isArray(node) ? (node as Leaf) : undefined;
      const raw = pair ? (lang === 'en' ? pair[1] : pair[0]) : '';
      return raw.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
    },
    [lang],
  );
}
