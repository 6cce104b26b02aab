/**
 * The officer console: a demo registrar of 柯城区 signs in with the password printed on the first start
 * and the authenticator code, must choose a new password, finds a person by name and by pinyin, opens
 * their page and household, and sees the household as it was on an earlier date (one member fewer); then
 * compares two policy versions and runs a simulation in the workbench, over the register's population
 * and over a synthetic one. axe-core finds no serious or critical violation on any of these pages.
 */
import { pinyin } from 'pinyin-pro';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticRegister } from '../src/register/synthetic-register.js';
import { findDivision } from '../src/standards/divisions.js';
import { launchBrowser, screenshot, seriousAxeViolations } from './support/browser.js';
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

/**
 * A household of the demo register (src/server/start.ts seeds Quzhou with seed 1) in 柯城区 whose last
 * member joined later than the others: the head, and a date between the two joinings.
 */
function householdWithALaterMember() {
  for (const h of syntheticRegister({ city: 'quzhou', persons: 600, seed: 1, duplicateRate: 0.01 })) {
    if (h.household.address.countyCode !== '330802' || h.members.length < 3) continue;
    const dates = h.members.map((m) => m.membership.validFrom).sort();
    const last = dates.at(-1)!;
    const before = dates.at(-2)!;
    const head = h.members.find((m) => m.membership.relationship === '02');
    if (!head || last === before || head.membership.validFrom === last) continue;
    const day = new Date(`${last}T00:00:00Z`);
    day.setUTCDate(day.getUTCDate() - 1);
    const latest = h.members.find((m) => m.membership.validFrom === last)!;
    return {
      number: h.household.householdNumber,
      head: head.person.name,
      headBirthplace: head.person.birthplace,
      members: h.members.length,
      latest: latest.person.name,
      earlier: day.toISOString().slice(0, 10),
      membersEarlier: dates.filter((d) => d <= day.toISOString().slice(0, 10)).length,
    };
  }
  throw new Error('no suitable household in the demo register');
}

/** No serious or critical axe-core violation on the console page as it is. */
async function expectAccessible(page: Page) {
  const serious = await seriousAxeViolations(page);
  expect(serious, `${page.url()}: ${JSON.stringify(serious, null, 2)}`).toEqual([]);
}

describe('console: sign-in, person search, household as of a date', () => {
  it('signs in with both factors, finds a person and shows their household on an earlier date', async () => {
    const officer = server.officers.get('kc-registrar');
    expect(officer, 'the first start prints the demo officers').toBeDefined();
    const target = householdWithALaterMember();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });

    // First sign-in: both factors, then a new password before anything else.
    await firstOfficerSignIn(page, server, officer!.username, 'E2e-registrar-户籍-7qz');

    await page.getByRole('heading', { name: '人员查询' }).waitFor();
    expect(await page.getByTestId('officer').textContent()).toContain('柯城区户籍民警');

    // By name in characters, then by pinyin.
    const search = page.getByLabel('身份号码、姓名或拼音');
    await search.fill(target.head);
    await search.press('Enter');
    const row = page.locator('tr', { hasText: target.number });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/\d{6}\*{12}/); // the id masked as the API gives it
    await search.fill(pinyin(target.head, { toneType: 'none', separator: '' }));
    await search.press('Enter');
    await expect.poll(() => page.url()).toContain('q=');
    await page.locator('tr', { hasText: target.number }).waitFor();
    await screenshot(page, 'console-person-search');
    await expectAccessible(page);

    await row.getByRole('link', { name: target.head }).click();
    await page.getByRole('heading', { name: target.head, level: 1 }).waitFor();
    await page.getByRole('heading', { name: '登记历史' }).waitFor();
    // The birthplace as its full division path (province, city, county), not the county name alone.
    const birthplace = target.headBirthplace ? findDivision(target.headBirthplace) : undefined;
    if (birthplace) {
      const full = [...new Set([...birthplace.path.map((d) => d.name), birthplace.name])].join(' ');
      expect(full.split(' ').length).toBeGreaterThanOrEqual(2);
      await expect.poll(() => page.getByTestId('person-birthplace').textContent()).toBe(full);
    }
    await expectAccessible(page);
    await page.getByRole('link', { name: target.number }).click();

    await page.getByRole('heading', { name: `户 ${target.number}` }).waitFor();
    const members = page.getByTestId('members').locator('tbody tr.ant-table-row');
    // Today: everyone of the seeded household (demo data may have added someone since).
    await expect.poll(() => members.count()).toBeGreaterThanOrEqual(target.members);
    expect(await page.getByTestId('members').textContent()).toContain(target.latest);

    const asOf = page.locator('#as-of');
    await asOf.click();
    await asOf.fill(target.earlier);
    await asOf.press('Enter');
    await expect.poll(() => page.getByTestId('as-of').textContent()).toBe(target.earlier);
    await expect.poll(() => members.count()).toBe(target.membersEarlier);
    expect(await page.getByTestId('members').textContent()).not.toContain(target.latest);
    expect(page.url()).toContain(`at=${target.earlier}`);
    await screenshot(page, 'console-household-as-of');
    await expectAccessible(page);

    // Duplicate-pair review: the demo register seeds a few registrations of one person in two households.
    await page.getByRole('link', { name: '疑似一人多户' }).click();
    await page.getByRole('heading', { name: '疑似一人多户', level: 1 }).waitFor();
    await expect.poll(() => page.locator('main').textContent()).toMatch(/参与比对 \d+ 人，疑似 \d+ 对/);
    await screenshot(page, 'console-duplicates');
    await expectAccessible(page);

    // The policy workbench: the final version loosened the draft, pathway by pathway.
    await page.getByRole('link', { name: '版本比较' }).click();
    await page.getByRole('heading', { name: '政策版本比较' }).waitFor();
    await expect.poll(() => page.getByTestId('diff-summary').textContent()).toContain('放宽');
    expect(await page.locator('main table').textContent()).toContain('合法稳定住所落户');
    await screenshot(page, 'console-policy-diff');
    await expectAccessible(page);

    // A simulation over the register's own population of 柯城区 (the registrar's jurisdiction): every
    // registered person counted once, with the facts the register could not supply named.
    const counts = await page.request.get(`${server.url}/api/v1/register/counties/330802/counts`);
    expect(counts.status()).toBe(200);
    const registered = ((await counts.json()) as { persons: number }).persons;
    expect(registered).toBeGreaterThan(50);
    await page.getByRole('link', { name: '模拟测算' }).click();
    await page.getByTestId('simulate').click();
    await page.getByTestId('simulation').waitFor({ timeout: 90_000 });
    expect(await page.getByTestId('register-facts').textContent()).toContain('学历');
    expect(await page.getByTestId('simulation').textContent()).toContain(
      `${registered.toLocaleString('en')} 人`,
    );
    expect(await page.getByTestId('simulation').locator('canvas').count()).toBeGreaterThanOrEqual(2);
    await screenshot(page, 'console-policy-simulation-register');
    await expectAccessible(page);

    // The same over a synthetic population of the city, computed in the browser.
    await page.locator('#sim-size').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '50,000' }).click();
    await page.getByTestId('simulate').click();
    await page
      .getByTestId('simulation')
      .getByText(/^50,000 人，用时/)
      .waitFor({ timeout: 90_000 });
    expect(await page.getByTestId('register-facts').count()).toBe(0);
    expect(await page.getByTestId('simulation').locator('canvas').count()).toBeGreaterThanOrEqual(2);
    await screenshot(page, 'console-policy-simulation');
    await page.close();
  });
});
