/**
 * The county's officers at their desks (1440 × 900, zh-CN), each in their own browser context, signed in
 * once per test file: open an application, and take the three steps of a settlement decision as a person
 * does — 受理 with its confirmation, 审核 with a recommendation, 审批 over the approval preview.
 */
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { check } from './antd.js';
import { screenshot } from './browser.js';
import { firstOfficerSignIn } from './officer.js';
import type { E2eServer } from './server.js';

/** antd puts a space between the two characters of a button's label. */
export const buttonLabel = (text: string) => new RegExp(`^${[...text].join('\\s?')}$`);

export interface OfficerDesk {
  /** The signed-in console page of a demo officer (signed in on first use). */
  page(username: string): Promise<Page>;
  /** Opens an application's page and waits for its actions. */
  open(page: Page, applicationId: string): Promise<void>;
  /** Waits for the page's "已完成：<action>" message. */
  done(page: Page, action: string): Promise<void>;
  /** 受理: clicks, confirms, waits. */
  accept(page: Page): Promise<void>;
  /** 审核 with a recommendation. */
  review(page: Page, recommendation: '建议批准' | '建议不予批准'): Promise<void>;
  /** 审批通过: opens the preview, hands its text to `inspect`, confirms, waits for 已批准. */
  approve(page: Page, inspect?: (preview: string) => void | Promise<void>): Promise<void>;
}

export function officerDesk(browser: Browser, server: E2eServer): OfficerDesk {
  const pages = new Map<string, Page>();
  const desk: OfficerDesk = {
    async page(username) {
      const open = pages.get(username);
      if (open) return open;
      const context = await browser.newContext({
        viewport: { width: 1440, height: 900 },
        locale: 'zh-CN',
        acceptDownloads: true,
      });
      const page = await context.newPage();
      await firstOfficerSignIn(page, server, username, `Officer-e2e-${pages.size}-户籍-9qz`);
      pages.set(username, page);
      return page;
    },
    async open(page, id) {
      await page.goto(`${server.url}/console/applications/${id}`);
      await page.getByTestId('actions').waitFor();
    },
    async done(page, action) {
      await expect
        .poll(() => page.getByRole('status').allTextContents(), { timeout: 30_000 })
        .toContain(`已完成：${action}`)
        .catch(async (error: unknown) => {
          await screenshot(page, `debug-officer-${action}`);
          throw error;
        });
    },
    async accept(page) {
      await page
        .getByTestId('actions')
        .getByRole('button', { name: buttonLabel('受理') })
        .click();
      const confirm = page.locator('.ant-modal-confirm:visible');
      await confirm.waitFor();
      await confirm.getByRole('button', { name: buttonLabel('确定') }).click();
      await desk.done(page, '受理');
    },
    async review(page, recommendation) {
      await page
        .getByTestId('actions')
        .getByRole('button', { name: buttonLabel('审核') })
        .click();
      await check(page.locator('.ant-modal:visible').getByRole('radio', { name: recommendation }));
      await page
        .locator('.ant-modal:visible')
        .getByRole('button', { name: buttonLabel('确定') })
        .click();
      await desk.done(page, '审核');
    },
    async approve(page, inspect) {
      await page.getByTestId('actions').getByRole('button', { name: '审批通过' }).click();
      const preview = page.getByTestId('approval-preview');
      await preview.getByTestId('preview-persons').waitFor();
      await inspect?.((await preview.textContent()) ?? '');
      await page.locator('.ant-modal:visible').getByRole('button', { name: '确认批准' }).click();
      await desk.done(page, '审批通过');
      await expect.poll(() => page.getByTestId('state').textContent()).toBe('已批准');
    },
  };
  return desk;
}
