/**
 * A residence permit in 兰州市城关区 (620102) on a phone, from the self-check to submission: the
 * self-check answers in the programme's own words (可以办理居住证, not 可以落户), offers every type of the
 * county with the permit first, and the application asks the permit's form (sex, birth date, ethnicity,
 * the address through the division picker and the street, since when) and the programme's questions;
 * the API then holds the form and the decision made on the declared facts. The county's officers then
 * accept, review and approve it in the console, and the resident downloads the 居住证 PDF from their
 * application page: it prints what was typed.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInChina } from '../src/standards/calendar.js';
import { composeCitizenId } from '../src/standards/citizen-id.js';
import { choose, field, fillNumber, select } from './support/antd.js';
import { launchBrowser, screenshot } from './support/browser.js';
import { officerDesk } from './support/officer-desk.js';
import { pdf, pickDivision, pickTown, png, residentApi, residentSignIn } from './support/resident.js';
import { startE2eServer, type E2eServer } from './support/server.js';
import { pdfText } from '../src/documents/testing/inspect-pdf.js';

let server: E2eServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startE2eServer({ LOG_LEVEL: 'info' }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const PHONE = '13900000789';

describe('a residence permit from the self-check', () => {
  it('answers 可以办理居住证 for Lanzhou, offers the permit, and submits it for 城关区', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await residentSignIn(page, server, PHONE);

    await page.goto(`${server.url}/self-check?policy=lanzhou-2017`);
    await select(page, page, '申请落户的县（市、区）', '城关区');
    const nextButton = page.getByRole('button', { name: /^(下一步|查看结果)$/ });
    for (let i = 0; i < 8 && (await page.getByTestId('decision').count()) === 0; i++) {
      if (await field(page, '现户口所在地').count()) await choose(page, '现户口所在地', '外省');
      if (await field(page, '在当地连续居住').count()) await fillNumber(page, '在当地连续居住', 8);
      if (await field(page, '就业状况').count()) await choose(page, '就业状况', '稳定就业（签订劳动合同）');
      await nextButton.click();
    }
    await expect.poll(() => page.getByTestId('outcome').textContent()).toBe('可以办理居住证');
    const choices = page.getByTestId('apply-choices');
    await choices.waitFor();
    expect(await page.getByTestId('apply-online').textContent()).toContain('居住证');
    await screenshot(page, 'permit-self-check-result');
    await page.getByTestId('apply-online').click();

    await page.getByRole('heading', { name: '在线申请', level: 1 }).waitFor();
    // The banner names the pathway the self-check found (issue 13).
    expect(await page.getByTestId('from-self-check').textContent()).toBe(
      '已按自测结果预填：离开户口所在地到本市居住半年以上办理居住证',
    );
    const card = page.getByTestId('mover-0');
    await card.waitFor();
    const citizenId = composeCitizenId('330881', '1995-11-23', 64);
    await field(card, '姓名').locator('input').fill('叶知秋');
    await field(card, '公民身份号码').locator('input').fill(citizenId);
    await select(page, card, '民族', '汉族', { search: '汉' });
    // A permit asks no relationship and no birthplace.
    expect(await field(card, '与户主关系').count()).toBe(0);
    await pickDivision(page, page, '居住地所在县（市、区）', '城关', '甘肃省 兰州市 城关区');
    await pickTown(page, page, '居住地所在乡镇（街道）', '张掖', '张掖路街道');
    await field(page, '详细地址（街道、门牌号）').locator('input').fill('城关区张掖路街道武都路 66 号');
    await field(page, '在此居住起始日期').locator('input').fill('2025-03-01');
    await screenshot(page, 'permit-apply-form');
    await page.getByTestId('next-form').click();

    // The self-check's answers carried over; the engine says yes on them. The months of residence are
    // not asked again: they follow from the date since when (issue 13).
    await page.getByTestId('questions').waitFor();
    expect(await field(page, '在当地连续居住').count()).toBe(0);
    expect(await page.getByTestId('questions').textContent()).not.toContain('在当地连续居住');
    await page.getByTestId('show-answer').click();
    await expect.poll(() => page.getByTestId('chosen-status').textContent()).toContain('符合条件');
    await page.getByTestId('next-questions').click();

    const checklist = page.getByTestId('checklist');
    await checklist.waitFor();
    const rows = checklist.locator('tbody tr.ant-table-row');
    const count = await rows.count();
    // The photo slot takes an image only: its chooser offers images, and a PDF is refused at once.
    const photoRow = rows.filter({ hasText: '本人相片' });
    expect(await photoRow.locator('input[type=file]').getAttribute('accept')).toBe(
      '.jpg,.jpeg,.png,image/jpeg,image/png',
    );
    await photoRow
      .locator('input[type=file]')
      .setInputFiles({ name: 'photo.pdf', mimeType: 'application/pdf', buffer: pdf('photo') });
    await expect
      .poll(() => page.getByRole('alert').allTextContents())
      .toContainEqual(expect.stringContaining('只收照片'));
    expect(await photoRow.textContent()).not.toContain('photo.pdf');
    await screenshot(page, 'permit-apply-photo-refused');
    for (let i = 0; i < count; i++) {
      const isPhoto = ((await rows.nth(i).textContent()) ?? '').includes('本人相片');
      await rows
        .nth(i)
        .locator('input[type=file]')
        .setInputFiles(
          isPhoto
            ? { name: `permit-${i}.png`, mimeType: 'image/png', buffer: png() }
            : { name: `permit-${i}.pdf`, mimeType: 'application/pdf', buffer: pdf(`permit ${i}`) },
        );
    }
    await expect.poll(() => checklist.textContent()).toContain(`permit-${count - 1}.`);
    expect(await checklist.textContent()).toMatch(/permit-\d\.png/);
    await page.getByRole('button', { name: '下一步：核对并提交' }).click();
    const review = page.getByTestId('review');
    await review.waitFor();
    expect(await review.textContent()).toContain('甘肃省 兰州市 城关区');
    await page.getByTestId('declaration').click();
    await screenshot(page, 'permit-apply-review');
    await page.getByTestId('submit').click();
    await page.waitForURL(/\/applications\/[0-9a-f-]{36}$/);
    await page.getByTestId('state').waitFor();
    const id = page.url().split('/').at(-1)!;

    const api = await residentApi(server, PHONE);
    const stored = (await api.get(`/api/v1/my/applications/${id}`)) as {
      countyCode: string;
      type: { id: string };
      form: Record<string, unknown>;
      facts: { months: { residence: number }; employment: { status: string } };
      decision: { programme?: string; outcome: string; articles: { id: string }[] };
    };
    expect(stored.countyCode).toBe('620102');
    expect(stored.type.id).toBe('residence-permit');
    expect(stored.form).toMatchObject({
      kind: 'residence-permit',
      applicant: { name: '叶知秋', sex: '2', birthDate: '1995-11', ethnicity: '01' },
      residenceAddress: {
        text: '城关区张掖路街道武都路 66 号',
        countyCode: '620102',
        townCode: '620102002',
      },
      livingSince: '2025-03-01',
    });
    // Derived from 2025-03-01, not the 8 typed in the self-check.
    const [y, m] = todayInChina(new Date()).split('-').map(Number) as [number, number];
    expect(stored.facts.months.residence).toBe((y - 2025) * 12 + (m - 3));
    expect(stored.facts.employment.status).toBe('stable');
    expect(stored.decision.outcome).toBe('eligible');
    expect(stored.decision.articles.map((a) => a.id)).toContain('lz/2.11');
    await screenshot(page, 'permit-submitted');

    // 城关区's officers decide in the console.
    const desk = officerDesk(browser, server);
    const clerk = await desk.page('lz-cg-clerk');
    await desk.open(clerk, id);
    await desk.accept(clerk);
    const reviewer = await desk.page('lz-cg-reviewer');
    await desk.open(reviewer, id);
    await desk.review(reviewer, '建议批准');
    const approver = await desk.page('lz-cg-approver');
    await desk.open(approver, id);
    await desk.approve(approver);

    // The resident's page offers the permit; its PDF prints what was typed.
    await page.reload();
    const permit = page.getByTestId('certificates').locator('li[data-kind="residence-permit"]');
    await permit.waitFor();
    await screenshot(page, 'permit-approved');
    const href = await permit.getByRole('link', { name: /^下载/ }).getAttribute('href');
    const file = await page.request.get(`${server.url}${href}`);
    expect(file.status()).toBe(200);
    expect(file.headers()['content-type']).toBe('application/pdf');
    const text = (await pdfText(Buffer.from(await file.body()))).replace(/\s+/g, '');
    for (const expected of [
      '居住证',
      '叶知秋',
      '女',
      '汉族',
      citizenId,
      '城关区张掖路街道武都路66号',
      '1995年11月23日',
    ])
      expect(text, expected).toContain(expected);
  }, 600_000);
});
