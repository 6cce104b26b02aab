/**
 * The services core (everything in this folder but tests and `testing/`) is pure: it imports only its
 * own modules, the pure core (`policy/`, `standards/`) and the accounts module's role table. The
 * dependency-cruiser `pure-core` rule does not list `services/` yet, so this test holds the line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const DIR = new URL('./', import.meta.url);
const ALLOWED = [
  /^\.\/[a-z-]+\.js$/,
  // Dated data files beside the core (the holiday notices), imported as JSON: no I/O at run time.
  /^\.\/data\/[a-z-]+\.json$/,
  /^\.\.\/policy\/[a-z-]+\.js$/,
  /^\.\.\/standards\/[a-z-]+\.js$/,
  /^\.\.\/accounts\/roles\.js$/,
  /^\.\.\/register\/(commands|model)\.js$/,
  /^zod$/,
  // A JPEG decoder in plain JavaScript (material-checks.ts: uploaded photos must decode); no I/O.
  /^jpeg-js$/,
];

describe('services core purity', () => {
  // The I/O side of services (the same list as dependency-cruiser's `services-core-pure` rule).
  const IO_FILES = new Set([
    'repository.ts',
    'routes.ts',
    'certificates.ts',
    'outbox.ts',
    'demo-applications.ts',
    'preview-approval.ts',
    'queue-routes.ts',
    'queue-repository.ts',
    // Pure in fact, but writes the .xlsx zip with fflate.
    'queue-export.ts',
  ]);
  const files = readdirSync(DIR).filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !IO_FILES.has(f),
  );

  it.each(files)('%s imports nothing with I/O', (file) => {
    const source = readFileSync(new URL(file, DIR), 'utf8');
    const specifiers = [...source.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)].map(
      (m) => m[1],
    );
    for (const s of specifiers)
      expect(
        ALLOWED.some((re) => re.test(s ?? '')),
        `${file}: ${s}`,
      ).toBe(true);
    expect(source).not.toMatch(/\bimport\(/);
  });
});
