/**
 * The officer's application page in the console (1440 × 900, zh-CN), on a settlement application with
 * family members submitted over the resident API: the page shows who moves (name, masked id,
 * relationship), 迁出地 by name and the 迁入地 address; the materials viewer opens a PDF (Chromium's viewer)
 * and an image (antd preview with zoom); accepting asks for confirmation and then the 受理回执 is
 * downloadable; approving shows the preview with the persons, and after confirming the register holds
 * them (read through the API); a refused application yields a notice whose text holds 行政复议 and the
 * article. Screenshots under e2e/screenshots/officer-application-*.
 */
import { pdfText as readPdfText } from '../src/documents/testing/inspect-pdf.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeCitizenId } from '../src/standards/citizen-id.js';
import { field, select } from './support/antd.js';
import { cspViolations, launchBrowser, screenshot, seriousAxeViolations } from './support/browser.js';
import { buttonLabel, officerDesk, type OfficerDesk } from './support/officer-desk.js';
import { codeFor } from './support/resident.js';
import { startE2eServer, type E2eServer } from './support/server.js';

let server: E2eServer;
let browser: Browser;
let desk: OfficerDesk;
const dir = mkdtempSync(join(tmpdir(), 'huji-e2e-officer-'));

beforeAll(async () => {
  [server, browser] = await Promise.all([startE2eServer({ LOG_LEVEL: 'info' }), launchBrowser()]);
  desk = officerDesk(browser, server);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const COUNTY = '330802';

/** A one-page PDF with a line of text. */
function pdf(title: string): Buffer {
  const stream = `BT /F1 24 Tf 40 120 Td (${title}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 297] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** A 320 × 200 RGB PNG: a blue field with a white band, like a scanned card. */
function png(): Buffer {
  const width = 320;
  const height = 200;
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const band = y > 80 && y < 120;
      row.set(band ? [255, 255, 255] : [22, 119, 255], 1 + x * 3);
    }
    rows.push(row);
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

let keys = 0;
/** A resident over HTTP: submits an application and uploads its materials (the portal is not under test). */
async function submitAsResident(
  phone: string,
  body: unknown,
  materials: readonly { key: string; name: string; bytes: Buffer }[],
): Promise<string> {
  const since = server.process.output().length;
  const json = { 'content-type': 'application/json' };
  const start = (await (
    await fetch(`${server.url}/api/v1/resident-auth/start`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ phone }),
    })
  ).json()) as { challenge: string };
  const verify = await fetch(`${server.url}/api/v1/resident-auth/verify`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ challenge: start.challenge, code: await codeFor(server, phone, since) }),
  });
  const session = {
    cookie: String(verify.headers.get('set-cookie')).split(';')[0] ?? '',
    'x-csrf-token': ((await verify.json()) as { csrfToken: string }).csrfToken,
  };
  const submitted = await fetch(`${server.url}/api/v1/my/applications`, {
    method: 'POST',
    headers: { ...json, ...session, 'idempotency-key': `e2e-officer-${++keys}` },
    body: JSON.stringify(body),
  });
  expect(submitted.status, await submitted.clone().text()).toBe(201);
  const id = ((await submitted.json()) as { id: string }).id;
  for (const m of materials) {
    const up = await fetch(
      `${server.url}/api/v1/my/applications/${id}/materials?key=${encodeURIComponent(m.key)}&fileName=${encodeURIComponent(m.name)}`,
      {
        method: 'POST',
        headers: {
          ...session,
          'content-type': 'application/octet-stream',
          'idempotency-key': `e2e-officer-${++keys}`,
        },
        body: m.bytes,
      },
    );
    expect(up.status, await up.clone().text()).toBe(201);
  }
  return id;
}

function settlementBody(
  applicant: { name: string; citizenId: string; birthDate: string },
  followers: readonly {
    name: string;
    citizenId: string;
    birthDate: string;
    sex: '1' | '2';
    relationship: string;
  }[],
  address: string,
) {
  return {
    typeId: 'settlement/legal-residence',
    form: {
      kind: 'settlement',
      applicant: { name: applicant.name, citizenId: applicant.citizenId },
      movers: [
        {
          name: applicant.name,
          citizenId: applicant.citizenId,
          sex: '1',
          birthDate: applicant.birthDate,
          relationship: '02',
          birthplace: '330881',
          ethnicity: '01',
          education: '21',
        },
        ...followers.map((f) => ({ ...f, birthplace: null, ethnicity: '01' })),
      ],
      fromDivision: '330881',
      destination: { newHousehold: { type: 'family', address: { text: address, countyCode: COUNTY } } },
    },
    facts: {
      place: { countyCode: COUNTY },
      hukou: { scope: 'same-city' },
      residence: { type: 'owned', townType: 'county-seat' },
      family: followers.map((f) => ({
        relation: f.relationship.startsWith('1') ? 'spouse' : 'child',
        name: f.name,
        age: 2026 - Number(f.birthDate.slice(0, 4)),
        sex: f.sex === '1' ? 'male' : 'female',
        isCoResident: true,
        hasIncome: false,
      })),
    },
  };
}

async function pdfText(bytes: Buffer): Promise<string> {
  return (await readPdfText(bytes)).replace(/\s+/g, '');
}

describe('the officer’s application page', () => {
  it('shows the plan, views the materials, accepts with a receipt, approves over the preview, refuses with a notice', async () => {
    const applicant = {
      name: '郑远山',
      citizenId: composeCitizenId('330881', '1985-03-04', 17),
      birthDate: '1985-03-04',
    };
    const followers = [
      {
        name: '王芳',
        citizenId: composeCitizenId('330881', '1987-08-09', 26),
        birthDate: '1987-08-09',
        sex: '2' as const,
        relationship: '10',
      },
      {
        name: '郑小雨',
        citizenId: composeCitizenId('330881', '2015-02-03', 38),
        birthDate: '2015-02-03',
        sex: '2' as const,
        relationship: '30',
      },
    ];
    const id = await submitAsResident(
      '13900000777',
      settlementBody(applicant, followers, '府山街道坊门街 18 号 2 单元 301 室'),
      [
        { key: 'legal-residence#0', name: '身份证和户口簿.pdf', bytes: pdf('ID card and booklet') },
        { key: 'legal-residence#1', name: '不动产权证书.png', bytes: png() },
        {
          key: 'legal-residence#2',
          name: '结婚证和出生医学证明.pdf',
          bytes: pdf('Marriage and birth certificates'),
        },
      ],
    );

    // The window clerk: the household plan comes first.
    const clerk = await desk.page('kc-clerk');
    await desk.open(clerk, id);
    const movers = clerk.getByTestId('movers');
    await movers.waitFor();
    const moverRows = movers.locator('tbody tr.ant-table-row');
    await expect.poll(() => moverRows.count()).toBe(3);
    const rowTexts = await moverRows.allTextContents();
    for (const [i, [name, relation]] of [
      ['郑远山', '户主'],
      ['王芳', '配偶'],
      ['郑小雨', '女'],
    ].entries()) {
      expect(rowTexts[i]).toContain(name);
      expect(rowTexts[i]).toContain(relation);
      expect(rowTexts[i]).toMatch(/330881\*{12}/);
    }
    expect(await movers.textContent()).not.toContain(applicant.citizenId);
    expect(await clerk.getByTestId('plan-from').textContent()).toBe('浙江省衢州市江山市');
    expect(await clerk.getByTestId('plan-to').textContent()).toContain('府山街道坊门街 18 号 2 单元 301 室');
    expect(await clerk.getByTestId('plan-to').textContent()).toContain('柯城区');
    // The engine's assessment for the officer: the movers as followers, no resident wording.
    const explanation = clerk.getByTestId('officer-explanation');
    expect(await explanation.getByTestId('followers').textContent()).toMatch(
      /王芳.*可以随迁.*郑小雨.*可以随迁/,
    );
    expect(await explanation.textContent()).not.toMatch(/您的情况|在浏览器中计算/);
    await screenshot(clerk, 'officer-application-plan');
    const serious = await seriousAxeViolations(clerk);
    expect(serious, JSON.stringify(serious, null, 2)).toEqual([]);

    // The viewer: the first material, a PDF, in Chromium's own viewer; then the image with its zoom.
    const pdfFrame = clerk.getByTestId('viewer-pdf');
    await pdfFrame.waitFor();
    expect(await pdfFrame.getAttribute('src')).toMatch(/\/materials\/[0-9a-f-]{36}#view=FitH$/);
    await expect
      .poll(() => clerk.frames().some((f) => f.url().startsWith('chrome-extension://')), { timeout: 15_000 })
      .toBe(true);
    await screenshot(clerk, 'officer-application-viewer-pdf');
    await clerk
      .getByTestId('materials')
      .getByRole('button', { name: /房屋所有权证/ })
      .click();
    const image = clerk.getByTestId('viewer').locator('img');
    await image.waitFor();
    await expect
      .poll(() => image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBe(320);
    await image.click();
    const preview = clerk.locator('.ant-image-preview-wrap, .ant-image-preview').first();
    await preview.waitFor();
    const zoomIn = clerk
      .locator('.ant-image-preview-actions-action, .ant-image-preview-operations-operation')
      .nth(3);
    await zoomIn.waitFor();
    await screenshot(clerk, 'officer-application-viewer-image');
    await clerk.keyboard.press('Escape');

    // Accepting asks first; then the receipt is there to download and print.
    await clerk
      .getByTestId('actions')
      .getByRole('button', { name: buttonLabel('受理') })
      .click();
    const confirm = clerk.locator('.ant-modal-confirm:visible');
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('受理回执');
    await screenshot(clerk, 'officer-application-accept-confirm');
    await confirm.getByRole('button', { name: buttonLabel('确定') }).click();
    await desk.done(clerk, '受理');
    const receipt = clerk.getByTestId('officer-certificates').locator('li[data-kind="acceptance-receipt"]');
    await receipt.waitFor();
    const download = clerk.waitForEvent('download');
    await receipt.getByTestId('certificate-download').click();
    const file = await (await download).path();
    const receiptText = await pdfText(
      Buffer.from(await import('node:fs').then((fs) => fs.readFileSync(file))),
    );
    expect(receiptText).toContain('受理回执');
    expect(receiptText).toContain('郑远山');
    expect(receiptText).toContain('20个工作日');
    expect(await receipt.getByTestId('certificate-print').getAttribute('href')).toMatch(
      /\/certificates\/[0-9a-f-]{36}\.pdf$/,
    );

    // The reviewer recommends approval.
    const reviewer = await desk.page('kc-reviewer');
    await desk.open(reviewer, id);
    await desk.review(reviewer, '建议批准');

    // The approver: the preview lists the persons and the new household, then the register holds them.
    const approver = await desk.page('kc-approver');
    // Every answer of the approval preview, to check none comes after the approval (a stray 409).
    const previewStatuses: number[] = [];
    approver.on('response', (r) => {
      if (r.url().includes(`/applications/${id}/approval-preview`)) previewStatuses.push(r.status());
    });
    await desk.open(approver, id);
    await approver.getByTestId('actions').getByRole('button', { name: '审批通过' }).click();
    const persons = approver.getByTestId('preview-persons');
    await persons.waitFor();
    await expect.poll(() => persons.locator('tbody tr.ant-table-row').count()).toBe(3);
    const previewText = (await approver.getByTestId('approval-preview').textContent()) ?? '';
    for (const name of ['郑远山', '王芳', '郑小雨', '新立户', '迁入登记'])
      expect(previewText).toContain(name);
    expect(previewText).not.toContain(applicant.citizenId);
    const householdNumber = /3308020\d{8}/.exec(previewText)?.[0];
    expect(householdNumber).toBeDefined();
    await screenshot(approver, 'officer-application-approval-preview');
    await approver.locator('.ant-modal:visible').getByRole('button', { name: '确认批准' }).click();
    await desk.done(approver, '审批通过');
    await expect.poll(() => approver.getByTestId('state').textContent()).toBe('已批准');
    // The preview was asked while the application could be approved, and not again once it was.
    await approver.waitForLoadState('networkidle');
    expect(previewStatuses).toEqual([200]);
    const household = await approver.request.get(
      `${server.url}/api/v1/register/households/by-number/${householdNumber}`,
    );
    expect(household.status()).toBe(200);
    const held = await household.text();
    for (const name of ['郑远山', '王芳', '郑小雨']) expect(held).toContain(name);
    await screenshot(approver, 'officer-application-approved');

    // A refused application: the notice names the article and the rights of appeal.
    const solo = {
      name: '郑独行',
      citizenId: composeCitizenId('330881', '1990-06-07', 15),
      birthDate: '1990-06-07',
    };
    const refusedId = await submitAsResident(
      '13900000778',
      settlementBody(solo, [], '府山街道坊门街 20 号'),
      [
        { key: 'legal-residence#0', name: 'id.pdf', bytes: pdf('ID') },
        { key: 'legal-residence#1', name: 'deed.pdf', bytes: pdf('Deed') },
      ],
    );
    await desk.open(clerk, refusedId);
    await desk.accept(clerk);
    await desk.open(reviewer, refusedId);
    await desk.review(reviewer, '建议不予批准');
    await desk.open(approver, refusedId);
    await approver.getByTestId('actions').getByRole('button', { name: '不予批准' }).click();
    const modal = approver.locator('.ant-modal:visible');
    await modal.waitFor();
    await select(approver, modal, '条款编号', 'qz-final/1');
    await field(modal, '引用的条款原文').locator('textarea').fill('有合法稳定住所（含租赁）的人员');
    await field(modal, '说明（中文）').locator('textarea').fill('所申报住所不在建制镇');
    await modal.getByRole('button', { name: buttonLabel('确定') }).click();
    const refuseConfirm = approver.locator('.ant-modal-confirm:visible');
    await refuseConfirm.waitFor();
    expect(await refuseConfirm.textContent()).toContain('行政复议');
    await refuseConfirm.getByRole('button', { name: buttonLabel('确定') }).click();
    await desk.done(approver, '不予批准');
    const notice = approver.getByTestId('officer-certificates').locator('li[data-kind="refusal-notice"]');
    await notice.waitFor();
    const href = await notice.getByTestId('certificate-download').getAttribute('href');
    const noticePdf = await approver.request.get(`${server.url}${href}`);
    expect(noticePdf.headers()['content-type']).toBe('application/pdf');
    const noticeText = await pdfText(Buffer.from(await noticePdf.body()));
    for (const expected of [
      '不予批准决定书',
      '行政复议',
      '行政诉讼',
      '《衢州市人民政府关于进一步推进户籍制度改革的实施意见》第一条“有合法稳定住所（含租赁）的人员”',
      '所申报住所不在建制镇',
    ])
      expect(noticeText, expected).toContain(expected);
    await screenshot(approver, 'officer-application-refused');
  }, 480_000);
});

it('met no Content-Security-Policy refusal on the way (issue 14)', () => {
  expect(cspViolations()).toEqual([]);
});
