import { readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { RARE_CHARACTERS, syntheticRegister } from '../register/synthetic-register.js';
import {
  BUNDLED_CJK_FONT,
  CJK_FONT_PROBE,
  checkCjkFont,
  cjkFontReadiness,
  configuredCjkFont,
  parseCjkFontSetting,
} from './cjk-font.js';
import { MissingGlyphError, createOfficialPdf } from './official-pdf.js';

const ROOT = new URL('../../', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|js|cjs|mjs)$/.test(name) ? [path] : [];
  });
}

/** Every ideograph GB 18030-2005 requires: the unified block U+4E00–9FA5 and Extension A U+3400–4DB5. */
function gb18030Ideographs(): string {
  let text = '';
  for (let cp = 0x4e00; cp <= 0x9fa5; cp++) text += String.fromCodePoint(cp);
  for (let cp = 0x3400; cp <= 0x4db5; cp++) text += String.fromCodePoint(cp);
  return text;
}

async function bundledPdf() {
  return createOfficialPdf({ title: '测试', author: 'Huji', issuedAt: '2026-12-07T00:00:00Z' });
}

describe("the documents' CJK font comes with npm install", () => {
  it('is the OpenType file of the npm package, not a system font', () => {
    expect(BUNDLED_CJK_FONT.path).toMatch(
      /node_modules\/node-source-han-sans-sc\/SourceHanSansSC-Regular\.otf$/,
    );
    expect(configuredCjkFont({})).toEqual(BUNDLED_CJK_FONT);
    // OpenType with CFF outlines ('OTTO'), a single face: pdfkit subsets it without a face name.
    expect(readFileSync(BUNDLED_CJK_FONT.path).subarray(0, 4).toString('latin1')).toBe('OTTO');
  });

  it('no code refers to the system font directory, so a machine without fonts-noto-cjk renders documents', () => {
    const offenders = ['src', 'bin', 'scripts']
      .flatMap((d) => sourceFiles(join(ROOT, d)))
      .filter((f) => !f.endsWith('cjk-font.test.ts'))
      .filter((f) => readFileSync(f, 'utf8').includes('/usr/share/fonts'));
    expect(offenders).toEqual([]);
  });

  it('draws every GB 18030-2005 ideograph (27,484: GBK and Extension A)', async () => {
    const pdf = await bundledPdf();
    const all = gb18030Ideographs();
    expect([...all]).toHaveLength(27_484);
    expect(() => pdf.checkGlyphs([all])).not.toThrow();
  });

  it('draws every name the synthetic register generates, and the rare Extension A, B and E name characters', async () => {
    const pdf = await bundledPdf();
    const names = new Set<string>();
    for (const city of ['quzhou', 'lanzhou'] as const) {
      for (const { members } of syntheticRegister({ city, persons: 20_000, seed: 11 })) {
        for (const { person } of members) names.add(person.name);
      }
    }
    expect(names.size).toBeGreaterThan(5_000);
    expect(() => pdf.checkGlyphs([...names, ...RARE_CHARACTERS, '𠮷'])).not.toThrow();
  });

  it('still refuses what it lacks (Extension G) instead of printing an empty box', async () => {
    const pdf = await bundledPdf();
    expect(() => pdf.checkGlyphs(['吉\u{30000}'])).toThrow(MissingGlyphError);
  });
});

describe('HUJI_CJK_FONT and the start-up check', () => {
  it('reads a path, and a face of a collection after #', () => {
    expect(parseCjkFontSetting(undefined)).toBe(BUNDLED_CJK_FONT);
    expect(parseCjkFontSetting('  ')).toBe(BUNDLED_CJK_FONT);
    expect(parseCjkFontSetting('/fonts/a.otf')).toEqual({ path: '/fonts/a.otf' });
    expect(parseCjkFontSetting('/fonts/NotoSansCJK-Regular.ttc#NotoSansCJKsc-Regular')).toEqual({
      path: '/fonts/NotoSansCJK-Regular.ttc',
      family: 'NotoSansCJKsc-Regular',
    });
    expect(configuredCjkFont({ HUJI_CJK_FONT: '/fonts/b.ttf' }).path).toBe('/fonts/b.ttf');
  });

  it('accepts the bundled font after embedding the probe text', async () => {
    const check = await checkCjkFont(BUNDLED_CJK_FONT);
    expect(check).toMatchObject({
      isUsable: true,
      postscriptName: 'SourceHanSansSC-Regular',
      glyphs: 65_535,
    });
    expect([...CJK_FONT_PROBE]).toContain('𠮷');
  });

  it('names a missing file, a file that is not a font and a collection without a face, each in one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huji-font-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const missing = await checkCjkFont({ path: join(dir, 'none.otf') });
    expect(missing).toEqual({
      isUsable: false,
      path: join(dir, 'none.otf'),
      problem: `cannot read ${join(dir, 'none.otf')} (ENOENT)`,
    });
    const junk = join(dir, 'junk.ttf');
    writeFileSync(junk, 'not a font at all');
    const notAFont = await checkCjkFont({ path: junk });
    expect(notAFont.isUsable).toBe(false);
    expect(!notAFont.isUsable && notAFont.problem).toMatch(
      /junk\.ttf is not a font pdfkit can embed: [^\n]+$/,
    );
    const collection = join(dir, 'fonts.ttc');
    writeFileSync(collection, Buffer.concat([Buffer.from('ttcf'), Buffer.alloc(64)]));
    const faceless = await checkCjkFont({ path: collection });
    expect(!faceless.isUsable && faceless.problem).toContain('is a font collection: name a face');
  });

  it('readiness notices a font removed under a running server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huji-font-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const copy = join(dir, 'font.otf');
    writeFileSync(copy, readFileSync(BUNDLED_CJK_FONT.path));
    const font = { path: copy };
    expect((await cjkFontReadiness(font)).isUsable).toBe(true);
    writeFileSync(copy, 'truncated');
    expect((await cjkFontReadiness(font)).isUsable).toBe(false);
  });
});
