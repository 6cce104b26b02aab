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
 * click can land before antd listens, and Playwright then reports that the state did not change.
 */
export async function check(radio: Locator) {
  for (let attempt = 1; ; attempt++) {
    try {
      await radio.check({ timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
      await radio.page().waitForTimeout(300);
    }
  }
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
  const shown = control.locator('.ant-select-content, .ant-select-selection-item').first();
  const isShown = (text: string) =>
    typeof option === 'string' ? text.includes(option) : option.test(text.trim());
  for (let attempt = 1; ; attempt++) {
    // Another select's dropdown may still be closing, with an option of the same text (不详 is in
    // several): wait until no dropdown shows, so the one clicked below is this select's.
    await page
      .locator('.ant-select-dropdown:visible')
      .first()
      .waitFor({ state: 'hidden', timeout: 5_000 })
      .catch(() => undefined);
    await control.locator('.ant-select').click();
    if (search !== undefined) await control.locator('.ant-select input').first().fill(search);
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option })
      .first()
      .click();
    for (let i = 0; i < 20; i++) {
      if (isShown((await shown.textContent()) ?? '')) return;
      await page.waitForTimeout(100);
    }
    if (attempt === 3)
      throw new Error(`${label}: the option ${String(option)} was not chosen after 3 attempts`);
  }
}
