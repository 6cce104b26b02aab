import { describe, expect, it } from 'vitest';
import { negotiateLocale } from './locale.js';

describe('negotiateLocale', () => {
  it('defaults to Chinese', () => {
    expect(negotiateLocale(undefined)).toBe('zh-CN');
    expect(negotiateLocale('fr-FR')).toBe('zh-CN');
  });

  it('follows q-values', () => {
    expect(negotiateLocale('en-US,en;q=0.9,zh-CN;q=0.8')).toBe('en');
    expect(negotiateLocale('en;q=0.5, zh-TW')).toBe('zh-CN');
    expect(negotiateLocale('de, en;q=0.7')).toBe('en');
  });
});
