/**
 * Duplicate-pair review in the console: the demo registrar of 柯城区 opens the likely duplicates (the
 * demo pairs of src/register/demo-duplicates.ts), reviews 王建国 / 王建国 as two different persons (the
 * pair leaves the list and shows under its verdict), confirms 徐丽萍 / 徐丽平 as one person and cancels
 * the duplicate registration; the cancelled person's page shows 已注销 and the event in the history.
 * The page passes axe-core without serious or critical violations.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeCitizenId } from '../src/standards/citizen-id.js';
import { axeViolations, launchBrowser, screenshot } from './support/browser.js';
import { field } from './support/antd.js';
import { firstOfficerSignIn } from './support/officer.js';
import { startE2eServer, type E2eServer } from './support/server.js';

let server: E2eServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startE2eServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The card of the pair whose title names these two persons (in either order). */
const pairCard = (page: Page, a: string, b: string): Locator =>
  page.getByTestId('duplicate-pair').filter({
    has: page.getByRole('heading', { name: new RegExp(`^(${a} 与 ${b}|${b} 与 ${a})$`) }),
  });

async function expectNoSeriousViolation(page: Page) {
  const serious = (await axeViolations(page)).filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
  expect(serious, JSON.stringify(serious, null, 2)).toEqual([]);
}

describe('console: duplicate-pair review', () => {
  it('reviews one pair as two persons and cancels the duplicate registration of another', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await firstOfficerSignIn(page, server, 'kc-registrar', 'E2e-duplicates-户籍-8mx');
    await page.getByRole('link', { name: '疑似一人多户' }).click();
    await page.getByRole('heading', { name: '疑似一人多户', level: 1 }).waitFor();

    const wang = pairCard(page, '王建国', '王建国');
    const xu = pairCard(page, '徐丽萍', '徐丽平');
    await wang.waitFor();
    await xu.waitFor();
    // Both registrations side by side: masked ids, birth dates, households, the evidence and the score.
    const xuText = (await xu.textContent()) ?? '';
    expect(xuText).toMatch(/330802\*{12}/);
    for (const sequence of [882, 884])
      expect(xuText).not.toContain(composeCitizenId('330802', '1985-09-23', sequence));
    // Beside a masked id the birth date shows its year and month only (ADR 0021).
    expect(xuText).toContain('1985-09');
    expect(xuText).not.toContain('1985-09-23');
    expect(xuText).toContain('330802000800003');
    expect(xuText).toContain('330802000800004');
    expect(xuText).toContain('姓名拼音相同');
    expect(xuText).toContain('相似度 90%');
    expect(xuText).toContain('待核查');
    await expectNoSeriousViolation(page);

    // 王建国 and 王建国: two different men.
    await wang.getByRole('button', { name: '不是同一人' }).click();
    await field(wang, '核查说明').locator('textarea').fill('核对身份证照片和指纹，为同名同日出生的两个人');
    await wang.getByRole('button', { name: '确认不是同一人' }).click();
    await expect
      .poll(() => page.getByTestId('review-notice').textContent())
      .toContain('已记录：王建国 与 王建国 不是同一人。');
    await expect.poll(() => wang.count()).toBe(0);
    expect(await xu.count()).toBe(1);

    // 徐丽萍 and 徐丽平: one woman, registered again in her husband's household.
    await xu.getByRole('button', { name: '是同一人，注销重复户口' }).click();
    // An empty reason is refused inline before anything is sent.
    await xu.getByRole('radio', { name: /徐丽萍/ }).check();
    await xu.getByRole('button', { name: '注销重复户口', exact: true }).click();
    await expect.poll(() => field(xu, '注销原因').textContent()).toContain('必填');
    await field(xu, '注销原因')
      .locator('textarea')
      .fill('与户号 330802000800003 的徐丽萍为同一人，婚后重复登记');
    // The inline message fades out once the field is filled (axe would read it mid-animation).
    await expect.poll(() => xu.locator('.ant-form-item-explain-error').count()).toBe(0);
    await expectNoSeriousViolation(page);
    await screenshot(page, 'console-duplicates-review');
    await xu.getByRole('button', { name: '注销重复户口', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('review-notice').textContent())
      .toContain('已注销 徐丽平 的重复户口，保留 徐丽萍 的登记。');
    await expect.poll(() => xu.count()).toBe(0);
    expect(await pairCard(page, '陈志强', '陈志刚').count()).toBe(1);

    // The reviewed pairs, by verdict.
    await page.getByText('已核定为不同的人', { exact: true }).click();
    await expect.poll(() => wang.count()).toBe(1);
    expect(await wang.getByTestId('review-record').textContent()).toContain(
      '核对身份证照片和指纹，为同名同日出生的两个人',
    );
    await page.getByText('已确认为同一人', { exact: true }).click();
    await expect.poll(() => xu.count()).toBe(1);
    expect(await xu.textContent()).toContain('已注销重复户口');
    expect(await xu.textContent()).toContain('已注销');
    await expectNoSeriousViolation(page);
    await screenshot(page, 'console-duplicates-confirmed');

    // The cancelled person's page: status 已注销, and the cancellation in the register history.
    await xu.getByRole('link', { name: '徐丽平' }).click();
    await page.getByRole('heading', { name: '徐丽平', level: 1 }).waitFor();
    await page.getByRole('heading', { name: '登记历史' }).waitFor();
    await expect.poll(() => page.locator('main').textContent()).toContain('已注销');
    await expect.poll(() => page.locator('main table').last().textContent()).toContain('注销重复户口');
    await screenshot(page, 'console-duplicate-cancelled-person');
    await page.close();
  });
});
