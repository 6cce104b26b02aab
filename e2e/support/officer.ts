/**
 * A demo officer's first sign-in in the console, as a person does it: password, the authenticator code
 * computed from the TOTP secret printed on the first start, then the new password the rules require.
 */
import type { Page } from 'playwright-core';
import { base32Decode, totpAt } from '../../src/accounts/totp.js';
import { field } from './antd.js';
import type { E2eServer } from './server.js';

/** Signs the demo officer in on `page`; `newPassword` must not contain the username. */
export async function firstOfficerSignIn(
  page: Page,
  server: E2eServer,
  username: string,
  newPassword: string,
) {
  const officer = server.officers.get(username);
  if (!officer) throw new Error(`the first start did not print the demo officer ${username}`);
  await page.goto(`${server.url}/console`);
  await page.getByRole('heading', { name: '工作人员登录' }).waitFor();
  await field(page, '用户名').locator('input').fill(officer.username);
  await field(page, '密码').locator('input').fill(officer.password);
  // antd puts a space between two Chinese characters of a button.
  await page.getByRole('button', { name: /^登\s?录$/ }).click();
  await page.getByRole('heading', { name: '动态验证码' }).waitFor();
  await field(page, '验证码')
    .locator('input')
    .fill(totpAt(base32Decode(officer.totpSecret), new Date()));
  await page.getByRole('button', { name: /^验\s?证$/ }).click();
  await page.getByRole('heading', { name: '首次登录请修改密码' }).waitFor();
  await field(page, '当前密码').locator('input').fill(officer.password);
  await field(page, '新密码').locator('input').fill(newPassword);
  await field(page, '再次输入新密码').locator('input').fill(newPassword);
  await page.getByRole('button', { name: '保存新密码' }).click();
  await page.getByRole('heading', { name: '首次登录请修改密码' }).waitFor({ state: 'hidden' });
}
