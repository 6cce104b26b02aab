/**
 * Compiles the `huji` executable to JavaScript ahead of time (`npm install` runs it as `prepare`), so a
 * command starts without tsx's loader: one esbuild bundle of `src/cli/entry.ts`, split at the dynamic
 * imports of `command-index.ts` so that each command still loads only its own group. Packages stay
 * external (resolved from node_modules at run time). `import.meta.url` in each source file becomes that
 * file's own URL, so files found relative to a module (policies, migrations, package.json, the web
 * build) are found exactly as when the sources run through tsx.
 *
 * `bin/huji.js` uses the build only while it is fresh (no bundled source changed since, same checkout
 * folder); otherwise it runs the sources through tsx, so an edit never runs stale code.
 *
 *   tsx scripts/build-cli.ts
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Compiles the executable into `outdir` and returns how many source files it holds. */
export async function buildCli(outdir = `${root}.huji-build/cli`): Promise<number> {
  await rm(outdir, { recursive: true, force: true });
  // A source saved while esbuild reads it must count as newer than the build.
  const startedAt = Date.now();
  const result = await build({
    entryPoints: { entry: `${root}src/cli/entry.ts` },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    metafile: true,
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [
      {
        name: 'own-import-meta-url',
        setup(b) {
          b.onLoad({ filter: /[/\\]src[/\\].*\.ts$/ }, async (args) => {
            const source = await readFile(args.path, 'utf8');
            const url = JSON.stringify(pathToFileURL(args.path).href);
            return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' };
          });
        },
      },
    ],
  });
  // What bin/huji.js checks: the checkout it was built in and every source file it holds.
  const inputs = Object.keys(result.metafile.inputs)
    .filter((p) => !p.includes('node_modules'))
    .map((p) => fileURLToPath(new URL(p, pathToFileURL(root))));
  await writeFile(
    `${outdir}/build.json`,
    JSON.stringify({ root, builtAt: startedAt, inputs: inputs.map((p) => p.slice(root.length)) }),
  );
  return inputs.length;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  const count = await buildCli();
  console.log(`huji CLI compiled: ${count} source files → .huji-build/cli in ${Date.now() - started} ms`);
}
