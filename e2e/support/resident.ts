/**
 * The resident's side of browser journeys: signing in with the demo provider's one-time code (read from
 * the server's log, as the demo provider prints it), the resident's API over HTTP for assertions, a tiny
 * PDF to upload, and the portal's pickers (division by name, code tables by name).
 */
import type { Locator, Page } from 'playwright-core';
import { field, settled } from './antd.js';
import type { E2eServer } from './server.js';

/** antd puts a space between the two characters of a two-character button label. */
export const label = (text: string) => new RegExp(`^${[...text].join('\\s?')}$`);

/** The code the demo identity provider logged for this phone after `since` characters of output. */
export async function codeFor(server: E2eServer, phone: string, since: number): Promise<string> {
  const masked = `${phone.slice(0, 3)}****${phone.slice(-4)}`;
  // Polls the log (a stream, not a page): until the line is there, or 30 s on a loaded machine.
  for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
    for (const line of server.process.output().slice(since).split('\n').reverse()) {
      if (!line.includes('demo-one-time-code')) continue;
      try {
        const entry = JSON.parse(line) as { phone?: string; code?: string };
        if (entry.phone === masked && entry.code) return entry.code;
      } catch {
        // a line still being written
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no one-time code for ${phone} in the server log`);
}

/** A resident session over HTTP: GET answers JSON, POST takes JSON with the CSRF token and a key. */
export async function residentApi(server: E2eServer, phone: string) {
  const send = (path: string, body: unknown) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const since = server.process.output().length;
  const start = (await (await send('/api/v1/resident-auth/start', { phone })).json()) as {
    challenge: string;
  };
  const verify = await send('/api/v1/resident-auth/verify', {
    challenge: start.challenge,
    code: await codeFor(server, phone, since),
  });
  const session = (await verify.json()) as { csrfToken: string };
  const cookie = String(verify.headers.get('set-cookie')).split(';')[0] ?? '';
  return {
    get: (path: string) => fetch(`${server.url}${path}`, { headers: { cookie } }).then((r) => r.json()),
    post: (path: string, body: unknown) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: {
          cookie,
          'content-type': 'application/json',
          'x-csrf-token': session.csrfToken,
          'idempotency-key': crypto.randomUUID(),
        },
        body: JSON.stringify(body),
      }),
    /** A file's bytes as the body (a material upload). */
    upload: (path: string, bytes: Buffer) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: {
          cookie,
          'content-type': 'application/octet-stream',
          'x-csrf-token': session.csrfToken,
          'idempotency-key': crypto.randomUUID(),
        },
        body: new Uint8Array(bytes),
      }),
  };
}

/** A tiny valid one-page PDF. */
export function pdf(title: string): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    (() => {
      const s = `BT /F1 14 Tf 20 100 Td (${title}) Tj ET`;
      return `<< /Length ${s.length} >>\nstream\n${s}\nendstream`;
    })(),
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

/** A tiny valid PNG (a 2 × 2 grey square): what a photo slot takes. */
export function png(): Buffer {
  return Buffer.from(
    '89504e470d0a1a0a0000000d4948445200000002000000020802000000fdd49a73' +
      '0000000e49444154789c63680003060805002a0e0601159e42d70000000049454e44ae426082',
    'hex',
  );
}

/** Signs in on the portal with the one-time code; ends on 我的申请. */
export async function residentSignIn(page: Page, server: E2eServer, phone: string) {
  await page.goto(`${server.url}/applications`);
  await page.getByRole('heading', { name: '群众登录' }).waitFor();
  await field(page, '手机号码').locator('input').fill(phone);
  const since = server.process.output().length;
  await page.getByRole('button', { name: '获取验证码' }).click();
  await field(page, '验证码').locator('input').waitFor();
  await field(page, '验证码')
    .locator('input')
    .fill(await codeFor(server, phone, since));
  await page.getByRole('button', { name: label('登录') }).click();
  await page.getByRole('heading', { name: '我的申请', level: 1 }).waitFor();
}

/** Chooses a county in a DivisionPicker by typing part of its name, as a person does. */
export async function pickDivision(
  page: Page,
  scope: Page | Locator,
  fieldLabel: string,
  search: string,
  option: string,
) {
  const control = field(scope, fieldLabel);
  const select = control.locator('.division-picker > .ant-select').first();
  // The picker's shown value, once it is the option.
  const shown = select.filter({ hasText: option });
  for (let attempt = 1; ; attempt++) {
    try {
      await select.click({ timeout: 10_000 });
      await select.locator('input').fill(search, { timeout: 10_000 });
      // Bounded, as in antd.ts `select`: the dropdown may close before the option is clicked.
      await page
        .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option })
        .first()
        .click({ timeout: 10_000 });
      await shown.waitFor({ timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw new Error(`${fieldLabel}: ${option} was not chosen`, { cause: error });
    }
    await page.keyboard.press('Escape');
    await settled(page);
  }
}

/** Chooses a town (乡镇、街道) from a county's list in a town picker by typing part of its name. */
export async function pickTown(
  page: Page,
  scope: Page | Locator,
  fieldLabel: string,
  search: string,
  option: string,
) {
  const select = field(scope, fieldLabel).locator('.town-picker > .ant-select');
  for (let attempt = 1; ; attempt++) {
    await select.click();
    await select.locator('input').fill(search);
    const item = page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option })
      .first();
    await item.waitFor();
    await item.click();
    for (let i = 0; i < 20; i++) {
      if (((await select.textContent()) ?? '').includes(option)) return;
      await page.waitForTimeout(100);
    }
    if (attempt === 3) throw new Error(`${fieldLabel}: ${option} was not chosen`);
  }
}
