import { describe, expect, it } from 'vitest';
import { CODE_TABLE_IDS, CODE_TABLES, codeLabel, findCode } from './code-tables.js';

describe('code tables', () => {
  it('has unique codes and both labels in every table', () => {
    for (const id of CODE_TABLE_IDS) {
      const codes = CODE_TABLES[id].entries.map((e) => e.code);
      expect(new Set(codes).size, id).toBe(codes.length);
      for (const e of CODE_TABLES[id].entries) {
        expect(e.zh, `${id} ${e.code}`).not.toBe('');
        expect(e.en, `${id} ${e.code}`).not.toBe('');
        if (e.parent) expect(codes, `${id} ${e.code} parent`).toContain(e.parent);
      }
    }
  });

  it('holds the 56 ethnic groups of GB 3304 plus the two common extensions', () => {
    const entries = CODE_TABLES.ethnicity.entries;
    expect(entries.filter((e) => !e.isExtension)).toHaveLength(56);
    expect(entries.map((e) => e.code)).toContain('97');
    expect(entries.find((e) => e.code === '56')?.zh).toBe('基诺族');
  });

  it('finds ethnic groups by their old names in legacy data', () => {
    expect(findCode('ethnicity', '崩龙族')?.code).toBe('46');
    expect(findCode('ethnicity', '毛难族')?.code).toBe('36');
  });

  it('groups GB/T 4761 relationships under their decade', () => {
    expect(findCode('relationship', '22')).toMatchObject({ zh: '长子', parent: '20' });
    expect(findCode('relationship', '12')).toMatchObject({ zh: '妻', parent: '10' });
    expect(findCode('relationship', '02')?.parent).toBeUndefined();
    expect(findCode('relationship', '99')?.zh).toBe('非亲属');
    expect(CODE_TABLES.relationship.entries.length).toBeGreaterThan(80);
  });

  it('labels codes in both languages and leaves unknown codes visible', () => {
    expect(codeLabel('education', '21', 'zh-CN')).toBe('大学本科毕业');
    expect(codeLabel('marital-status', '40', 'en')).toBe('divorced');
    expect(codeLabel('sex', '7', 'en')).toBe('7');
  });
});
