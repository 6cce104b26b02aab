/** Texts of the console's accounts page and start page, Chinese and English. */
import { makeTexts, type TextPath } from '../../app/texts';

const T = {
  accountsTitle: ['工作人员账户', 'Officer accounts'],
  accountsLead: [
    '本辖区的工作人员账户及其角色和状态。新建账户、授予角色由安全管理员办理；解锁、重置、停用由系统管理员办理。',
    'The officer accounts of your jurisdiction with their roles and status. The security administrator creates accounts and grants roles; the system administrator unlocks, resets and disables them.',
  ],
  username: ['用户名', 'Username'],
  displayName: ['名称', 'Name'],
  county: ['辖区', 'Jurisdiction'],
  roles: ['角色', 'Roles'],
  status: ['状态', 'Status'],
  passwordChangedAt: ['密码修改时间', 'Password changed'],
  enabled: ['正常', 'Active'],
  disabled: ['已停用', 'Disabled'],
  locked: ['已锁定', 'Locked'],
  mustChange: ['待修改初始密码', 'Must change password'],
  noRole: ['未授予角色', 'No role yet'],
  empty: ['没有账户。', 'No accounts.'],
  roleNames: {
    'window-clerk': ['受理窗口', 'window clerk'],
    reviewer: ['审核', 'reviewer'],
    approver: ['审批', 'approver'],
    registrar: ['户籍民警', 'registrar'],
    'department-user': ['部门用户', 'department user'],
    'reform-office': ['户改办', 'reform office'],
    'system-admin': ['系统管理员', 'system administrator'],
    'security-admin': ['安全管理员', 'security administrator'],
    'audit-admin': ['审计管理员', 'audit administrator'],
  },
} as const;

export type TextKey = TextPath<typeof T>;

export const useT = makeTexts<typeof T, TextKey | `roleNames.${string}`>(T);
