/**
 * The CJK font of every issued document. It comes with `npm install` (the npm package
 * `node-source-han-sans-sc`: Adobe's Source Han Sans SC 2.001, SIL OFL 1.1, one 17 MB OpenType/CFF
 * file), so a fresh machine renders certificates without any system font. Source Han Sans is the design
 * Noto Sans CJK is built from: all of GB 18030-2005's 27,484 ideographs (GBK and Extension A) and the
 * 2,108 Extension B characters Source Han carries, 𠮷 among them, plus the Extension E–F characters of
 * the 通用规范汉字表 (𬘭, 𬀪). `HUJI_CJK_FONT` names another file: `path`, or `path#PostScriptName`
 * to pick one face of a collection (Debian's `NotoSansCJK-Regular.ttc#NotoSansCJKsc-Regular`).
 */
import { createRequire } from 'node:module';
import { readFile, stat } from 'node:fs/promises';
import PDFDocument from 'pdfkit';

/**
 * A CJK font: a file (OTF, TTF or a TTC) and, for a collection only, the PostScript name of the face
 * inside it (fontkit reads a name given for a single-face file as a variation and fails).
 */
export interface CjkFont {
  readonly path: string;
  readonly family?: string;
}

const BUNDLED_PACKAGE_FILE = 'node-source-han-sans-sc/SourceHanSansSC-Regular.otf';

/** The font shipped by npm; resolved through node's module lookup so it follows the install, not a path. */
export const BUNDLED_CJK_FONT: CjkFont = {
  path: createRequire(import.meta.url).resolve(BUNDLED_PACKAGE_FILE),
};

/**
 * `HUJI_CJK_FONT`: a path, with `#PostScriptName` for one face of a collection; the bundled font when unset.
 *
 * @example parseCjkFontSetting('/fonts/NotoSansCJK-Regular.ttc#NotoSansCJKsc-Regular')
 *   // { path: '/fonts/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' }
 */
export function parseCjkFontSetting(value: string | undefined): CjkFont {
  const setting = value?.trim() ?? '';
  if (setting === '') return BUNDLED_CJK_FONT;
  const hash = setting.lastIndexOf('#');
  const path = hash > 0 ? setting.slice(0, hash) : setting;
  const face = hash > 0 ? setting.slice(hash + 1) : '';
  return face === '' ? { path } : { path, family: face };
}

/** The font documents are drawn in: `HUJI_CJK_FONT` when set (start-up has checked it), else the bundled one. */
export function configuredCjkFont(env: NodeJS.ProcessEnv = process.env): CjkFont {
  return parseCjkFontSetting(env.HUJI_CJK_FONT);
}

/**
 * Characters a usable font must draw: common ideographs of names and documents, an Extension A and an
 * Extension B name character. A font without them would refuse most names (MissingGlyphError).
 */
export const CJK_FONT_PROBE = '户籍证明准予登记常住户口吉䶮𠮷';

export type CjkFontCheck =
  | {
      readonly isUsable: true;
      readonly path: string;
      readonly postscriptName: string;
      readonly glyphs: number;
      readonly sizeBytes: number;
    }
  | { readonly isUsable: false; readonly path: string; readonly problem: string };

/**
 * Opens the font the way a document does (pdfkit registers it, draws the probe and subsets it into a
 * PDF), so a file pdfkit cannot embed fails here, at start-up, instead of as a 500 on the first
 * certificate. The problem is one line naming the file.
 */
export async function checkCjkFont(font: CjkFont): Promise<CjkFontCheck> {
  let data: Buffer;
  try {
    data = await readFile(font.path);
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    return { isUsable: false, path: font.path, problem: `cannot read ${font.path} (${reason})` };
  }
  // A collection (TrueType / OpenType Collection) needs the face named: pdfkit cannot guess it.
  if (data.subarray(0, 4).toString('latin1') === 'ttcf' && font.family === undefined)
    return {
      isUsable: false,
      path: font.path,
      problem: `${font.path} is a font collection: name a face, e.g. ${font.path}#NotoSansCJKsc-Regular`,
    };
  try {
    const doc = new PDFDocument({ autoFirstPage: true });
    const ended = new Promise<void>((resolve, reject) => {
      doc.on('data', () => undefined);
      doc.on('end', resolve);
      doc.on('error', reject);
    });
    doc.registerFont('probe', data, font.family);
    doc.font('probe');
    const fontkitFont: unknown = Reflect.get(Reflect.get(doc, '_font') as object, 'font');
    const has = Reflect.get(fontkitFont as object, 'hasGlyphForCodePoint') as (cp: number) => boolean;
    const missing = [...CJK_FONT_PROBE].filter((ch) => !Reflect.apply(has, fontkitFont, [ch.codePointAt(0)]));
    if (missing.length > 0)
      return {
        isUsable: false,
        path: font.path,
        problem: `${font.path} has no glyph for ${missing.join('')} (a CJK font with Extension A and B is needed)`,
      };
    doc.text(CJK_FONT_PROBE);
    doc.end();
    await ended;
    return {
      isUsable: true,
      path: font.path,
      postscriptName: String(Reflect.get(fontkitFont as object, 'postscriptName')),
      glyphs: Number(Reflect.get(fontkitFont as object, 'numGlyphs')),
      sizeBytes: (await stat(font.path)).size,
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return {
      isUsable: false,
      path: font.path,
      problem: `${font.path} is not a font pdfkit can embed: ${reason}`,
    };
  }
}

const checked = new Map<string, { readonly stamp: string; readonly check: Promise<CjkFontCheck> }>();

/**
 * The check of /healthz: the file is looked at on every call (it may be removed or replaced under a
 * running server) and embedded again only when its size or time changed.
 */
export async function cjkFontReadiness(font: CjkFont): Promise<CjkFontCheck> {
  let stamp: string;
  try {
    const s = await stat(font.path);
    stamp = `${s.size}:${s.mtimeMs}`;
  } catch (error) {
    checked.delete(font.path);
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    return { isUsable: false, path: font.path, problem: `cannot read ${font.path} (${reason})` };
  }
  const key = `${font.path}#${font.family ?? ''}`;
  const known = checked.get(key);
  if (known?.stamp === stamp) return known.check;
  const check = checkCjkFont(font);
  checked.set(key, { stamp, check });
  return check;
}
