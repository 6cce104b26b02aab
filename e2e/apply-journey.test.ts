/**
 * Online application, end to end in the browser (issue 6): a resident signs in with a one-time code
 * (read from the server's log, as the demo provider prints it), applies for settlement through a legal
 * residence in 柯城区 into an existing demo household, uploads the three materials (small PDFs), sees the
 * completeness check before submitting, and submits. The window clerk accepts from the queue, the
 * reviewer recommends approval, the approver approves; the household page shows the new member; the
 * certificate's QR verification page says 真实有效. A second application is refused with a cited article,
 * and the resident sees the reason. A third is returned by the window for one material: the resident sees
 * what to redo, uploads it again and resubmits, reads the messages about it (unread, then read), and the
 * application pages of the portal and the console read in English and pass axe-core.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeCitizenId } from '../src/standards/citizen-id.js';
import { check, field, select } from './support/antd.js';
import { launchBrowser, screenshot, seriousAxeViolations } from './support/browser.js';
import { codeFor, pdf, pickDivision, residentApi } from './support/resident.js';
import { firstOfficerSignIn } from './support/officer.js';
import { startE2eServer, type E2eServer } from './support/server.js';

let server: E2eServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startE2eServer({ LOG_LEVEL: 'info' }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const COUNTY = '330802';
const TYPE_ID = 'settlement/legal-residence';

/** antd puts a space between the two characters of a two-character button label. */
const label = (text: string) => new RegExp(`^${[...text].join('\\s?')}$`);
const button = (page: Page, text: string) => page.getByRole('button', { name: label(text) });

async function residentSignIn(page: Page, phone: string) {
  await page.goto(`${server.url}/applications`);
  await page.getByRole('heading', { name: '群众登录' }).waitFor();
  await field(page, '手机号码').locator('input').fill(phone);
  const since = server.process.output().length;
  await page.getByRole('button', { name: '获取验证码' }).click();
  await field(page, '验证码').locator('input').waitFor();
  await field(page, '验证码')
    .locator('input')
    .fill(await codeFor(server, phone, since));
  await button(page, '登录').click();
  await page.getByRole('heading', { name: '我的申请', level: 1 }).waitFor();
}

interface Applicant {
  readonly name: string;
  readonly citizenId: string;
}

/**
 * Fills the settlement form (the applicant's declaration, 迁出地 by name), leaves the pathway's questions
 * at their defaults, picks the three files, checks completeness, ticks the declaration, submits.
 */
async function apply(page: Page, who: Applicant, householdNumber: string, typeLabel: string) {
  await page.getByRole('link', { name: '在线申请' }).click();
  await page.getByRole('heading', { name: '在线申请', level: 1 }).waitFor();
  await select(page, page, '办理地（县、市、区）', '柯城区');
  await select(page, page, '申请事项', typeLabel);
  const card = page.getByTestId('mover-0');
  await field(card, '姓名').locator('input').fill(who.name);
  await field(card, '公民身份号码').locator('input').fill(who.citizenId);
  await select(page, card, '与户主关系', /^非亲属$/, { search: '非亲属' });
  await pickDivision(page, card, '出生地', '江山', '浙江省 衢州市 江山市');
  await select(page, card, '民族', '汉族', { search: '汉' });
  await pickDivision(page, page, '迁出地（现户口所在县、市、区）', '江山', '浙江省 衢州市 江山市');
  await field(page, '户号（15 位）').locator('input').fill(householdNumber);
  await page.getByTestId('next-form').click();
  await page.getByTestId('questions').waitFor();
  await page.getByTestId('next-questions').click();

  const checklist = page.getByTestId('checklist');
  await checklist.waitFor();
  const rows = checklist.locator('tbody tr.ant-table-row');
  await expect.poll(() => rows.count()).toBe(3);
  // Two of three first: the check names the one that is missing.
  for (const i of [0, 1])
    await rows
      .nth(i)
      .locator('input[type=file]')
      .setInputFiles({
        name: `material-${i}.pdf`,
        mimeType: 'application/pdf',
        buffer: pdf(`material ${i}`),
      });
  await expect.poll(() => checklist.textContent()).toContain('material-1.pdf');
  await page.getByRole('button', { name: '下一步：核对并提交' }).click();
  await expect.poll(() => page.getByTestId('completeness').textContent()).toContain('缺少：');
  await button(page, '返回').click();
  await rows
    .nth(2)
    .locator('input[type=file]')
    .setInputFiles({ name: 'material-2.pdf', mimeType: 'application/pdf', buffer: pdf('material 2') });
  await expect.poll(() => checklist.textContent()).toContain('material-2.pdf');
  await page.getByRole('button', { name: '下一步：核对并提交' }).click();
  await expect.poll(() => page.getByTestId('completeness').textContent()).toContain('材料齐全');
  await page.getByTestId('declaration').click();
  await page.getByTestId('submit').click();
  await page.waitForURL(/\/applications\/[0-9a-f-]{36}$/);
  await page.getByTestId('state').waitFor();
  return page.url().split('/').at(-1)!;
}

const officerPages = new Map<string, Page>();

/** A demo officer's page, signed in at first use (password, authenticator code, a new password). */
async function officerPage(username: string): Promise<Page> {
  const open = officerPages.get(username);
  if (open) return open;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await firstOfficerSignIn(page, server, username, `Apply-e2e-${server.officers.size}-户籍-7qz`);
  officerPages.set(username, page);
  return page;
}

/** The demo household the demo applications go to (the demo resident's own API shows its number). */
async function demoHouseholdNumber(): Promise<string> {
  const demo = (await residentApi(server, '13800000001')).get;
  const demoApps = (await demo('/api/v1/my/applications')) as {
    items: { form: { destination: { householdNumber: string } } }[];
  };
  return demoApps.items[0]!.form.destination.householdNumber;
}

async function typeLabelOf(typeId: string): Promise<string> {
  const types = (await (await fetch(`${server.url}/api/v1/application-types?county=${COUNTY}`)).json()) as {
    items: { id: string; label: { zh: string } }[];
  };
  return types.items.find((x) => x.id === typeId)!.label.zh;
}

/** No serious or critical axe-core violation on the page as it is. */
async function expectAccessible(page: Page) {
  const serious = await seriousAxeViolations(page);
  expect(serious, `${page.url()}: ${JSON.stringify(serious, null, 2)}`).toEqual([]);
}

/** Opens the application and takes one of the actions the page offers. */
async function takeAction(page: Page, id: string, action: string, dialog?: (page: Page) => Promise<void>) {
  await page.goto(`${server.url}/console/applications/${id}`);
  const actions = page.getByTestId('actions');
  await actions.waitFor();
  await actions.getByRole('button', { name: label(action) }).click();
  if (dialog) {
    const modal = page.locator('.ant-modal:visible');
    await modal.waitFor();
    await dialog(page);
    await modal.getByRole('button', { name: label('确定') }).click();
  }
  // Accepting and refusing are confirmed once more; approving over the preview of the register change.
  if (action === '审批通过') {
    await page.getByTestId('preview-persons').waitFor();
    await page.locator('.ant-modal:visible').getByRole('button', { name: '确认批准' }).click();
  } else if (action === '受理' || action === '不予批准') {
    await page
      .locator('.ant-modal-confirm:visible')
      .getByRole('button', { name: label('确定') })
      .click();
  }
  // An approval renders its certificates inside its transaction (nothing is issued that cannot print):
  // seconds on a loaded machine, so the done message is awaited as long as the officer desk awaits it.
  await expect
    .poll(() => page.getByRole('status').allTextContents(), { timeout: 30_000 })
    .toContain(`已完成：${action}`)
    .catch(async (error: unknown) => {
      await screenshot(page, `debug-action-${action}`);
      throw error;
    });
}

describe('apply online: resident, window, review, approval, register, certificate', () => {
  it('carries a settlement application from the portal to the household and a genuine certificate', async () => {
    const householdNumber = await demoHouseholdNumber();
    const typeLabel = await typeLabelOf(TYPE_ID);

    const resident = await browser.newPage({ viewport: { width: 414, height: 900 } });
    await residentSignIn(resident, '13900000123');
    await expect.poll(() => resident.locator('main').textContent()).toContain('您还没有申请。');
    const who = { name: '林远航', citizenId: composeCitizenId('330881', '1992-03-04', 17) };
    const id = await apply(resident, who, householdNumber, typeLabel);
    expect(await resident.getByTestId('state').textContent()).toBe('已提交');
    expect(await resident.locator('main').textContent()).toMatch(/申请编号\s*SQ\d{14}/);
    expect(await resident.getByTestId('completeness').textContent()).toContain('材料齐全');
    expect(await resident.getByTestId('materials').textContent()).toContain('material-2.pdf');
    await screenshot(resident, 'apply-submitted');

    // The window clerk finds it in the queue and accepts it.
    const clerk = await officerPage('kc-clerk');
    await clerk.goto(`${server.url}/console/applications`);
    const row = clerk.getByTestId('queue').locator('tr', { hasText: '林远航' });
    await row.waitFor().catch(async (error: unknown) => {
      await screenshot(clerk, 'debug-queue');
      throw error;
    });
    expect(await row.textContent()).toMatch(/330881\*{12}/);
    expect(await row.textContent()).toContain('已提交');
    await screenshot(clerk, 'console-application-queue');
    await row.getByRole('link').click();
    await clerk.getByTestId('viewer').locator('iframe').waitFor();
    await takeAction(clerk, id, '受理');

    const reviewer = await officerPage('kc-reviewer');
    await takeAction(reviewer, id, '审核', async (p) => {
      await check(p.locator('.ant-modal:visible').getByRole('radio', { name: '建议批准' }));
    });

    const approver = await officerPage('kc-approver');
    await approver.goto(`${server.url}/console/applications/${id}`);
    await approver.getByTestId('explanation').waitFor();
    expect(await approver.getByTestId('explanation').textContent()).toContain('qz-final/1');
    await screenshot(approver, 'console-application-approve');
    // The resident stated no facts, so the engine found the pathway not met: approving takes a cited
    // article, its sentence and the reason, which the certificate then rests on.
    await takeAction(approver, id, '审批通过', async (p) => {
      const modal = p.locator('.ant-modal:visible');
      expect(await modal.textContent()).toContain('政策引擎认定不符合所申请途径的条件');
      await select(p, modal, '条款编号', 'qz-final/1');
      await field(modal, '引用的条款原文').locator('textarea').fill('有合法稳定住所（含租赁）的人员');
      await field(modal, '说明（中文）').locator('textarea').fill('经核实租赁合同，申请人在县城租住满一年');
    });
    await expect.poll(() => approver.getByTestId('state').textContent()).toBe('已批准');
    // The record names every step, the review's recommendation and the article the approval rests on.
    const history = approver.getByTestId('history');
    await expect
      .poll(() => history.textContent())
      .toContain('依据 qz-final/1：“有合法稳定住所（含租赁）的人员”');
    for (const step of ['提交申请', '受理', '建议批准', '审批通过', '柯城区审批（审批）'])
      expect(await history.textContent()).toContain(step);

    // The household now holds the new member.
    const registrar = await officerPage('kc-registrar');
    await registrar.goto(`${server.url}/console/households/${householdNumber}`);
    await expect.poll(() => registrar.getByTestId('members').textContent()).toContain('林远航');
    await screenshot(registrar, 'apply-household-new-member');

    // The resident sees the approval and the certificates; the QR page says genuine.
    await resident.goto(`${server.url}/applications/${id}`);
    await expect.poll(() => resident.getByTestId('state').textContent()).toBe('已批准');
    const certificates = resident.getByTestId('certificates');
    await certificates.waitFor();
    expect(await certificates.textContent()).toContain('电子准迁证');
    await screenshot(resident, 'apply-approved-certificates');
    const verifyUrl = await certificates.getByRole('link', { name: '核验页面' }).first().getAttribute('href');
    const pdfHref = await certificates.getByRole('link', { name: '下载 PDF' }).first().getAttribute('href');
    const pdfAnswer = await resident.request.get(`${server.url}${pdfHref}`);
    expect(pdfAnswer.headers()['content-type']).toBe('application/pdf');
    await resident.goto(new URL(new URL(verifyUrl!).pathname, server.url).toString());
    await expect.poll(() => resident.locator('body').textContent()).toContain('真实有效');
    await screenshot(resident, 'apply-certificate-verified');

    // The window revokes that certificate (作废) with a reason; the same QR page then says so, and the
    // resident's page marks it. A reason too short is refused on the spot, in the API's words.
    await clerk.goto(`${server.url}/console/applications/${id}`);
    const issued = clerk.getByTestId('officer-certificates');
    await issued.waitFor();
    expect(await issued.textContent()).toContain('有效');
    const verifyPath = new URL(verifyUrl!).pathname;
    const entry = issued.locator('li', { has: clerk.locator(`a[href$="${verifyPath}"]`) });
    await entry.getByRole('button', { name: /^作\s?废$/ }).click();
    const revokeModal = clerk.locator('.ant-modal:visible');
    await field(revokeModal, '作废原因').locator('textarea').fill('错');
    await revokeModal.getByRole('button', { name: /^作\s?废$/ }).click();
    await expect
      .poll(() => field(revokeModal, '作废原因').locator('.ant-form-item-explain-error').textContent())
      .toBe('至少 2 个字');
    await field(revokeModal, '作废原因').locator('textarea').fill('准迁证信息有误，已重新签发');
    await screenshot(clerk, 'console-certificate-revoke');
    await revokeModal.getByRole('button', { name: /^作\s?废$/ }).click();
    await expect
      .poll(() => clerk.getByRole('status').allTextContents())
      .toContainEqual(expect.stringMatching(/^已作废：/));
    await expect.poll(() => entry.textContent()).toMatch(/已作废（/);
    expect(await entry.getByRole('button', { name: /^作\s?废$/ }).count()).toBe(0);
    await resident.goto(new URL(verifyPath, server.url).toString());
    await expect.poll(() => resident.locator('body').textContent()).toContain('真实，但已作废');
    await resident.goto(`${server.url}/applications/${id}`);
    await expect.poll(() => resident.getByTestId('certificates').textContent()).toMatch(/已作废（/);

    // A refused application: the approver cites the article and its sentence; the resident reads them.
    await resident.goto(`${server.url}/applications`);
    await resident.getByRole('heading', { name: '我的申请', level: 1 }).waitFor();
    const second = { name: '林远帆', citizenId: composeCitizenId('330881', '1994-08-09', 19) };
    const refusedId = await apply(resident, second, householdNumber, typeLabel);
    await takeAction(clerk, refusedId, '受理');
    await takeAction(reviewer, refusedId, '审核', async (p) => {
      await check(p.locator('.ant-modal:visible').getByRole('radio', { name: '建议不予批准' }));
    });
    await takeAction(approver, refusedId, '不予批准', async (p) => {
      const modal = p.locator('.ant-modal:visible');
      await select(p, modal, '条款编号', 'qz-final/1');
      await field(modal, '引用的条款原文').locator('textarea').fill('有合法稳定住所（含租赁）的人员');
      await field(modal, '说明（中文）').locator('textarea').fill('租赁住所不在建制镇');
    });
    await resident.goto(`${server.url}/applications/${refusedId}`);
    await expect.poll(() => resident.getByTestId('state').textContent()).toBe('不予批准');
    const refusal = await resident.getByTestId('refusal').textContent();
    expect(refusal).toContain('租赁住所不在建制镇');
    expect(refusal).toContain('qz-final/1');
    expect(refusal).toContain('有合法稳定住所（含租赁）的人员');
    await screenshot(resident, 'apply-refused-with-reason');
  }, 480_000);

  it('returns an application for a material; the resident redoes it, resubmits and reads the messages; in English too', async () => {
    const householdNumber = await demoHouseholdNumber();
    const typeLabel = await typeLabelOf(TYPE_ID);
    const resident = await browser.newPage({ viewport: { width: 414, height: 900 } });
    await residentSignIn(resident, '13900000456');
    const who = { name: '陈补正', citizenId: composeCitizenId('330881', '1990-01-02', 23) };
    const id = await apply(resident, who, householdNumber, typeLabel);
    const reference = /SQ\d{14}/.exec((await resident.locator('main').textContent()) ?? '')?.[0];
    expect(reference).toBeDefined();

    // The window returns it: one material to provide again, with the reason.
    const clerk = await officerPage('kc-clerk');
    let material = '';
    await takeAction(clerk, id, '退回补正', async (p) => {
      const modal = p.locator('.ant-modal:visible');
      await modal.getByRole('button', { name: '添加：材料需重新提交' }).click();
      await field(modal, '材料').locator('.ant-select').click();
      const option = p.locator('.ant-select-dropdown:visible .ant-select-item-option').first();
      material = ((await option.textContent()) ?? '').trim();
      await option.click();
      // Chosen again until the select shows it (a click can land on a dropdown still opening).
      await select(p, modal, '材料', material);
      await field(modal, '原因').locator('input').fill('复印件不清晰，请上传清晰的扫描件');
    });
    expect(material).not.toBe('');

    // The resident sees what to redo, and the clock paused.
    await resident.goto(`${server.url}/applications/${id}`);
    await expect.poll(() => resident.getByTestId('state').textContent()).toBe('退回补正');
    const changes = await resident.getByTestId('required-changes').textContent();
    expect(changes).toContain(material);
    expect(changes).toContain('复印件不清晰，请上传清晰的扫描件');
    expect(await resident.locator('main').textContent()).toContain('补正期间暂停计时');
    await screenshot(resident, 'apply-returned-required-changes');
    // Nothing redone yet: the item is marked open and resubmitting is not offered until it is.
    expect(await resident.getByTestId('change-open').count()).toBe(1);
    expect(await button(resident, '补正后重新提交').isDisabled()).toBe(true);

    // Uploads the material again and resubmits: back with the window, submitted.
    await resident
      .locator('.ant-upload', { has: resident.getByRole('button', { name: `上传 ${material}` }) })
      .locator('input[type=file]')
      .setInputFiles({ name: 'redo-clear-scan.pdf', mimeType: 'application/pdf', buffer: pdf('redo') });
    await expect.poll(() => resident.getByTestId('materials').textContent()).toContain('redo-clear-scan.pdf');
    await expect.poll(() => resident.getByTestId('change-done').count()).toBe(1);
    await button(resident, '补正后重新提交').click();
    await expect
      .poll(() => resident.getByTestId('state').textContent(), { timeout: 20_000 })
      .toBe('已提交')
      .catch(async (error: unknown) => {
        await screenshot(resident, 'debug-resubmit');
        throw error;
      });
    expect(await resident.getByTestId('required-changes').count()).toBe(0);

    // Messages: submitted, returned, resubmitted; unread on the first visit, read on the next.
    await resident.goto(`${server.url}/applications`);
    await resident.getByTestId('notifications-link').click();
    await resident.getByRole('heading', { name: '我的消息', level: 1 }).waitFor();
    const list = resident.getByTestId('notifications');
    await expect.poll(() => list.textContent()).toContain('退回补正');
    expect(await list.locator('.ant-tag', { hasText: '未读' }).count()).toBeGreaterThanOrEqual(3);
    await screenshot(resident, 'apply-messages');
    await expectAccessible(resident);
    await resident.reload();
    await expect.poll(() => list.textContent()).toContain('退回补正');
    expect(await list.locator('.ant-tag', { hasText: '未读' }).count()).toBe(0);

    // The same pages in English, accessible.
    await resident.getByTestId('lang-switch').click();
    await resident.getByRole('heading', { name: 'My messages', level: 1 }).waitFor();
    await resident.goto(`${server.url}/applications/${id}`);
    await expect.poll(() => resident.getByTestId('state').textContent()).toBe('submitted');
    expect(await resident.locator('main').textContent()).toContain('Reference');
    await expectAccessible(resident);
    await resident.goto(`${server.url}/applications`);
    await resident.getByRole('heading', { name: 'My applications', level: 1 }).waitFor();
    await expectAccessible(resident);
    await resident.getByRole('link', { name: 'Apply online' }).click();
    await resident.getByRole('heading', { level: 1 }).waitFor();
    await expectAccessible(resident);
    await screenshot(resident, 'apply-form-en');

    // The console's queue and application page in English, accessible; the clerk accepts it now.
    await clerk.goto(`${server.url}/console/applications`);
    await clerk.getByTestId('lang-switch').click();
    await clerk.getByTestId('queue').locator('tr', { hasText: '陈补正' }).waitFor();
    // Its messages tell the window it is their turn again.
    await expect.poll(() => clerk.getByTestId('notifications').textContent()).toContain(reference);
    await expectAccessible(clerk);
    await clerk.goto(`${server.url}/console/applications/${id}`);
    const actions = clerk.getByTestId('actions');
    await actions.getByRole('button', { name: 'accept', exact: true }).waitFor();
    expect(await clerk.locator('main').textContent()).toContain('redo-clear-scan.pdf');
    await expectAccessible(clerk);
    await screenshot(clerk, 'console-application-en');
    await actions.getByRole('button', { name: 'accept', exact: true }).click();
    await clerk.locator('.ant-modal-confirm:visible').getByRole('button', { name: 'Confirm' }).click();
    await expect
      .poll(() => clerk.getByTestId('state').textContent(), { timeout: 20_000 })
      .toBe('accepted')
      .catch(async (error: unknown) => {
        await screenshot(clerk, 'debug-accept-en');
        throw error;
      });
  }, 480_000);
});
