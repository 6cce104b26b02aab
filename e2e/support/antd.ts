/** Finding antd form controls as a person does: by the question's visible label. */
import type { Locator, Page } from 'playwright-core';

/** The visible form item whose label is exactly `label`. */
export function field(scope: Page | Locator, label: string): Locator {
  // The inner locator of `has` is matched inside each form item, so it starts from the page.
  const page = 'page' in scope && typeof scope.page === 'function' ? scope.page() : (scope as Page);
  return scope.locator('.ant-form-item:visible').filter({
    has: page.locator('.ant-form-item-label label', { hasText: new RegExp(`^${escape(label)}$`) }),
  });
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Checks a radio, again if the click changed nothing: in a dialog still opening on a loaded machine a
 * click can land before antd listens, and Playwright then reports that the state did not change. Before
 * trying again it waits for the page's animations to end (the dialog's zoom), not for a fixed time.
 */
export async function check(radio: Locator) {
  for (let attempt = 1; ; attempt++) {
    try {
      await radio.check({ timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
      await settled(radio.page());
    }
  }
}

/** Until no CSS animation or transition runs on the page (antd's dropdowns and dialogs opening or closing). */
export async function settled(page: Page, timeout = 5_000) {
  // A string: it runs in the page, where `document` is (this project's types have no DOM).
  await page
    .waitForFunction(`document.getAnimations().every((a) => a.playState !== 'running')`, undefined, {
      timeout,
    })
    .catch(() => undefined);
}

/** Picks an option of a radio question. */
export async function choose(scope: Page | Locator, label: string, option: string) {
  await check(field(scope, label).getByRole('radio', { name: option, exact: true }));
}

export async function fillNumber(scope: Page | Locator, label: string, value: number) {
  const input = field(scope, label).locator('input');
  await input.fill(String(value));
  await input.blur();
}

/**
 * Opens an antd Select by its label and clicks the option with this text, until the select shows it: on a
 * loaded machine a click can land while a dropdown is still opening or closing, and then nothing is chosen.
 * A string option is matched as part of the text, a RegExp as it says (`/^子$/` for exactly 子); `search`
 * is typed first to narrow a searchable select.
 */
export async function select(
  page: Page,
  scope: Page | Locator,
  label: string,
  option: string | RegExp,
  { search }: { readonly search?: string } = {},
) {
  const control = field(scope, label);
  // The select's shown value, once it is the option: a string as part of the text (Playwright ignores
  // case and runs of spaces), a RegExp on the text with its ends trimmed.
  const shown = control
    .locator('.ant-select-content, .ant-select-selection-item')
    .filter({ hasText: typeof option === 'string' ? option : trimmed(option) })
    .first();
  for (let attempt = 1; ; attempt++) {
    // Another select's dropdown may still be closing, with an option of the same text (不详 is in
    // several): wait until no dropdown shows, so the one clicked below is this select's.
    await page
      .locator('.ant-select-dropdown:visible')
      .first()
      .waitFor({ state: 'hidden', timeout: 5_000 })
      .catch(() => undefined);
    try {
      await control.locator('.ant-select').click({ timeout: 10_000 });
      if (search !== undefined)
        await control.locator('.ant-select input').first().fill(search, { timeout: 10_000 });
      // Bounded: on a loaded machine the dropdown can close again before the option is clicked (a click
      // that lands while it opens); an unbounded click then waits for the whole test's time.
      await page
        .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option })
        .first()
        .click({ timeout: 10_000 });
      if (await chosen(shown)) return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
    if (attempt === 3)
      throw new Error(`${label}: the option ${String(option)} was not chosen after 3 attempts`);
    // Close whatever is open and let it finish closing before the next attempt.
    await page.keyboard.press('Escape');
    await settled(page);
  }
}

/** Whether the select shows the option within 5 s (antd renders the choice as the dropdown closes). */
async function chosen(shown: Locator): Promise<boolean> {
  return shown
    .waitFor({ timeout: 5_000 })
    .then(() => true)
    .catch(() => false);
}

/**
 * The RegExp on a text with spaces around it, as it would match the trimmed text: Playwright tests a
 * RegExp against the whole text content, spaces included.
 */
function trimmed(option: RegExp): RegExp {
  const start = option.source.startsWith('^') ? '^\\s*' : '';
  const end = /(^|[^\\])\$$/.test(option.source) ? '\\s*$' : '';
  const body = option.source.slice(start ? 1 : 0, end ? -1 : undefined);
  return new RegExp(`${start}(?:${body})${end}`, option.flags);
}
