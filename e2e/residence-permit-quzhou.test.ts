/**
 * A residence permit in 衢州市柯城区 (330802) on a phone, from the self-check to the downloaded permit
 * (issues 13 and 16). The Quzhou policy in force offers two programmes (落户 and 居住证, qz-draft/2.3, whose
 * conditions are those of 《居住证暂行条例》 art. 2); the resident picks 居住证, the self-check answers in
 * the programme's own words (可以办理居住证) and offers the permit first, the application asks the permit's
 * form and the programme's questions; 柯城区's officers accept, review and approve it in the console, and
 * the resident and the approver download the 居住证 PDF: it prints what was typed.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const PHONE = '13900000790';

describe('a residence permit in 柯城区 from the self-check', () => {
  it('answers 可以办理居住证 under the Quzhou policy, submits it, and the approval issues the permit', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await residentSignIn(page, server, PHONE);

    // The version in force is offered by default; its programmes are 落户 and 居住证.
    await page.goto(`${server.url}/self-check`);
    expect(await field(page, '城市与政策').textContent()).toContain('衢州');
    await select(page, page, '事项', '居住证');
    await select(page, page, '申请落户的县（市、区）', '柯城区');
    const nextButton = page.getByRole('button', { name: /^(下一步|查看结果)$/ });
    for (let i = 0; i < 8 && (await page.getByTestId('decision').count()) === 0; i++) {
      if (await field(page, '现户口所在地').count()) await choose(page, '现户口所在地', '外省');
      if (await field(page, '在当地连续居住').count()) await fillNumber(page, '在当地连续居住', 9);
      if (await field(page, '就业状况').count()) await choose(page, '就业状况', '稳定就业（签订劳动合同）');
      await nextButton.click();
    }
    await expect.poll(() => page.getByTestId('outcome').textContent()).toBe('可以办理居住证');
    // Cited under the final, the draft clause says why it stands, and how it is read: the conditions of
    // 《居住证暂行条例》 art. 2, which the quoted sentence only names. No family follows a permit.
    const cite = page.getByTestId('decision').locator('.cite[data-article="qz-draft/2.3"]').first();
    expect(await cite.getByTestId('standing').textContent()).toBe(
      '（送审稿条款：终稿对此未作规定，本条继续适用）',
    );
    expect(await cite.getByTestId('interpretation').textContent()).toContain(
      '到其他城市居住半年以上，符合有合法稳定就业、合法稳定住所、连续就读条件之一的',
    );
    expect(await page.getByTestId('followers').count()).toBe(0);
    const choices = page.getByTestId('apply-choices');
    await choices.waitFor();
    expect(await page.getByTestId('apply-online').textContent()).toContain('居住证');
    await screenshot(page, 'qz-permit-self-check-result');
    await page.getByTestId('apply-online').click();

    await page.getByRole('heading', { name: '在线申请', level: 1 }).waitFor();
    expect(await page.getByTestId('from-self-check').textContent()).toBe(
      '已按自测结果预填：离开户口所在地到本市居住半年以上办理居住证',
    );
    const card = page.getByTestId('mover-0');
    await card.waitFor();
    const citizenId = composeCitizenId('360102', '1992-08-14', 71);
    await field(card, '姓名').locator('input').fill('龚晓岚');
    await field(card, '公民身份号码').locator('input').fill(citizenId);
    await select(page, card, '民族', '畲族', { search: '畲' });
    expect(await field(card, '与户主关系').count()).toBe(0);
    await pickDivision(page, page, '居住地所在县（市、区）', '柯城', '浙江省 衢州市 柯城区');
    await pickTown(page, page, '居住地所在乡镇（街道）', '荷花', '荷花街道');
    await field(page, '详细地址（街道、门牌号）').locator('input').fill('荷花街道荷三路 9 号');
    await field(page, '在此居住起始日期').locator('input').fill('2025-02-01');
    await screenshot(page, 'qz-permit-apply-form');
    await page.getByTestId('next-form').click();

    await page.getByTestId('questions').waitFor();
    await page.getByTestId('show-answer').click();
    await expect.poll(() => page.getByTestId('chosen-status').textContent()).toContain('符合条件');
    await page.getByTestId('next-questions').click();

    const checklist = page.getByTestId('checklist');
    await checklist.waitFor();
    const rows = checklist.locator('tbody tr.ant-table-row');
    const count = await rows.count();
    expect(count).toBe(4);
    for (let i = 0; i < count; i++) {
      const isPhoto = ((await rows.nth(i).textContent()) ?? '').includes('本人相片');
      await rows
        .nth(i)
        .locator('input[type=file]')
        .setInputFiles(
          isPhoto
            ? { name: `qz-permit-${i}.png`, mimeType: 'image/png', buffer: png() }
            : { name: `qz-permit-${i}.pdf`, mimeType: 'application/pdf', buffer: pdf(`qz permit ${i}`) },
        );
    }
    await expect.poll(() => checklist.textContent()).toContain(`qz-permit-${count - 1}.`);
    await page.getByRole('button', { name: '下一步：核对并提交' }).click();
    const review = page.getByTestId('review');
    await review.waitFor();
    expect(await review.textContent()).toContain('浙江省 衢州市 柯城区');
    await page.getByTestId('declaration').click();
    await screenshot(page, 'qz-permit-apply-review');
    await page.getByTestId('submit').click();
    await page.waitForURL(/\/applications\/[0-9a-f-]{36}$/);
    await page.getByTestId('state').waitFor();
    const id = page.url().split('/').at(-1)!;

    const api = await residentApi(server, PHONE);
    const stored = (await api.get(`/api/v1/my/applications/${id}`)) as {
      countyCode: string;
      type: { id: string };
      form: Record<string, unknown>;
      facts: { hukou: { scope: string }; employment: { status: string } };
      decision: { policy: string; programme?: string; outcome: string; articles: { id: string }[] };
    };
    expect(stored.countyCode).toBe('330802');
    expect(stored.type.id).toBe('residence-permit');
    expect(stored.form).toMatchObject({
      kind: 'residence-permit',
      applicant: { name: '龚晓岚', sex: '1', birthDate: '1992-08', ethnicity: '22' },
      residenceAddress: { text: '荷花街道荷三路 9 号', countyCode: '330802', townCode: '330802007' },
      livingSince: '2025-02-01',
    });
    expect(stored.facts.hukou.scope).toBe('other-province');
    expect(stored.facts.employment.status).toBe('stable');
    expect(stored.decision).toMatchObject({ programme: 'residence-permit', outcome: 'eligible' });
    expect(stored.decision.policy).toMatch(/^quzhou-2017-final@/);
    expect(stored.decision.articles.map((a) => a.id)).toContain('qz-draft/2.3');
    await screenshot(page, 'qz-permit-submitted');

    // 柯城区's officers decide in the console.
    const desk = officerDesk(browser, server);
    const clerk = await desk.page('kc-clerk');
    await desk.open(clerk, id);
    await desk.accept(clerk);
    const reviewer = await desk.page('kc-reviewer');
    await desk.open(reviewer, id);
    await desk.review(reviewer, '建议批准');
    const approver = await desk.page('kc-approver');
    await desk.open(approver, id);
    await desk.approve(approver);
    await screenshot(approver, 'qz-permit-officer-approved');

    // The officer's page offers the permit too.
    await desk.open(approver, id);
    const officerPermit = approver
      .getByTestId('officer-certificates')
      .locator('li[data-kind="residence-permit"]');
    await officerPermit.waitFor();
    await screenshot(approver, 'qz-permit-officer-certificates');
    const officerHref = await officerPermit.getByTestId('certificate-download').getAttribute('href');
    const officerFile = await approver.request.get(`${server.url}${officerHref}`);
    expect(officerFile.status()).toBe(200);
    expect(officerFile.headers()['content-type']).toBe('application/pdf');

    // The resident's page offers the permit; its PDF prints what was typed.
    await page.reload();
    const permit = page.getByTestId('certificates').locator('li[data-kind="residence-permit"]');
    await permit.waitFor();
    await screenshot(page, 'qz-permit-approved');
    const href = await permit.getByRole('link', { name: /^下载/ }).getAttribute('href');
    const file = await page.request.get(`${server.url}${href}`);
    expect(file.status()).toBe(200);
    expect(file.headers()['content-type']).toBe('application/pdf');
    const text = (await pdfText(Buffer.from(await file.body()))).replace(/\s+/g, '');
    for (const expected of [
      '居住证',
      '龚晓岚',
      '男',
      '畲族',
      citizenId,
      '浙江省衢州市柯城区荷花街道荷三路9号',
      '1992年8月14日',
      '《衢州市人民政府关于进一步推进户籍制度改革的实施意见（送审稿）》第二部分第（三）项',
    ])
      expect(text, expected).toContain(expected);
  }, 600_000);
});
