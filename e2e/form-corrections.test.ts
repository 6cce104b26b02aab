/**
 * Corrections of the form, in Chromium (issue 13): the window clerk returns the applicant's birthplace
 * (declared as the destination county by a slip) with a reason; the resident, on a phone (390 × 844),
 * sees exactly which entry was returned and why, sees that the page holds the resubmission until it is
 * corrected, picks the right county and resubmits. The clerk's page shows the change before → after and
 * the 办理记录 records it; the application is accepted, reviewed and approved, and the register, read
 * through the API, holds the corrected birthplace, not the declared one.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeCitizenId } from '../src/standards/citizen-id.js';
import { field } from './support/antd.js';
import { launchBrowser, screenshot } from './support/browser.js';
import { buttonLabel, officerDesk } from './support/officer-desk.js';
import { pdf, pickDivision, residentApi, residentSignIn } from './support/resident.js';
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

const PHONE = '13900000733';
const COUNTY = '330802';
const citizenId = composeCitizenId('330881', '1991-03-04', 17);
const FIELD_LABEL = '申请人（严明）：出生地';

describe('a returned entry of the form, corrected on a phone', () => {
  it('the resident corrects the returned birthplace; the officer sees before → after; the register holds it', async () => {
    // The application as submitted (the form's own journey is family-apply's): born in 江山市, declared
    // as born in 柯城区 by a slip.
    const api = await residentApi(server, PHONE);
    const submitted = await api.post('/api/v1/my/applications', {
      typeId: 'settlement/legal-residence',
      form: {
        kind: 'settlement',
        applicant: { name: '严明', citizenId },
        movers: [
          {
            name: '严明',
            sex: '1',
            birthDate: '1991-03-04',
            citizenId,
            relationship: '02',
            birthplace: COUNTY,
            ethnicity: '01',
          },
        ],
        fromDivision: '330881',
        destination: {
          newHousehold: {
            type: 'family',
            address: { text: '衢州市柯城区荷花街道 21 号', countyCode: COUNTY },
          },
        },
      },
      facts: {
        hukou: { scope: 'same-city' },
        residence: { type: 'owned', townType: 'county-seat' },
      },
    });
    expect(submitted.status).toBe(201);
    const { id } = (await submitted.json()) as { id: string };
    const types = (await api.get(`/api/v1/application-types?county=${COUNTY}`)) as {
      items: { id: string; materials: { key: string }[] }[];
    };
    const type = types.items.find((t) => t.id === 'settlement/legal-residence');
    for (const m of type?.materials ?? []) {
      const up = await api.upload(
        `/api/v1/my/applications/${id}/materials?key=${encodeURIComponent(m.key)}&fileName=m.pdf`,
        pdf(m.key),
      );
      expect(up.status).toBe(201);
    }

    // The clerk returns the birthplace, naming it from the list of the form's entries, with a reason.
    const desk = officerDesk(browser, server);
    const clerk = await desk.page('kc-clerk');
    await desk.open(clerk, id);
    await clerk
      .getByTestId('actions')
      .getByRole('button', { name: buttonLabel('退回补正') })
      .click();
    const dialog = clerk.locator('.ant-modal:visible');
    await dialog.getByRole('button', { name: '添加：所填内容需更正' }).click();
    const row = dialog.getByTestId('return-field');
    await row.locator('.ant-select').click();
    await row.locator('.ant-select input').fill('出生地');
    await clerk
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: FIELD_LABEL })
      .click();
    await field(row, '原因').locator('input').fill('出生地与身份证不符，应为江山市');
    await screenshot(clerk, 'corrections-officer-return');
    await dialog.getByRole('button', { name: buttonLabel('确定') }).click();
    await desk.done(clerk, '退回补正');

    // The resident, on a phone, sees which entry and why; the resubmission waits for it.
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const phone = await context.newPage();
    await residentSignIn(phone, server, PHONE);
    await phone.goto(`${server.url}/applications/${id}`);
    await phone.getByTestId('required-changes').waitFor();
    expect(await phone.getByTestId('required-changes').textContent()).toContain(
      `需更正所填内容：${FIELD_LABEL}（出生地与身份证不符，应为江山市）`,
    );
    const missing = phone.getByTestId('still-missing');
    expect(await missing.textContent()).toContain(FIELD_LABEL);
    const resubmit = phone.getByRole('button', { name: '补正后重新提交' });
    expect(await resubmit.first().isDisabled()).toBe(true);
    // Only the returned entry can be edited: the page has no other field of the form.
    const editable = phone.getByTestId('correction-fields').locator('[data-field]');
    const fields: string[] = [];
    for (const el of await editable.all()) fields.push((await el.getAttribute('data-field')) ?? '');
    expect(fields).toEqual(['movers.0.birthplace']);
    await screenshot(phone, 'corrections-resident-returned');
    await pickDivision(
      phone,
      phone.getByTestId('correction-fields'),
      FIELD_LABEL,
      '江山',
      '浙江省 衢州市 江山市',
    );
    await expect.poll(() => missing.count()).toBe(0);
    await expect.poll(() => resubmit.first().isDisabled()).toBe(false);
    await screenshot(phone, 'corrections-resident-corrected');
    await resubmit.last().click();
    await expect.poll(() => phone.getByTestId('state').textContent(), { timeout: 30_000 }).toBe('已提交');

    // The officer sees what changed, and the record says so.
    await desk.open(clerk, id);
    const corrections = clerk.getByTestId('corrections');
    await corrections.waitFor();
    expect(await corrections.getByTestId('before').textContent()).toBe('浙江省衢州市柯城区');
    expect(await corrections.getByTestId('after').textContent()).toBe('浙江省衢州市江山市');
    expect(await clerk.getByTestId('history-correction').textContent()).toBe(
      `更正${FIELD_LABEL}：浙江省衢州市柯城区 → 浙江省衢州市江山市`,
    );
    await screenshot(clerk, 'corrections-officer-before-after');
    await desk.accept(clerk);
    const reviewer = await desk.page('kc-reviewer');
    await desk.open(reviewer, id);
    await desk.review(reviewer, '建议批准');
    const approver = await desk.page('kc-approver');
    await desk.open(approver, id);
    await desk.approve(approver);

    // The register holds the corrected birthplace.
    const found = await approver.request.get(`${server.url}/api/v1/register/persons?citizenId=${citizenId}`);
    const [hit] = ((await found.json()) as { items: { id: string }[] }).items;
    const person = await approver.request.get(`${server.url}/api/v1/register/persons/${hit?.id}`);
    expect(((await person.json()) as { person: { birthplace: string } }).person.birthplace).toBe('330881');
    await context.close();
  });
});
