// Builds the dashboard into web/dist (or the directory given as the first
// argument): the sources under src/ as they are (ES modules, no bundler) and
// the browser files of the npm packages they use under vendor/. Run after
// `npm ci`; deploy/dev.sh does both.
import { cp, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] ?? join(here, 'dist'));
const modules = join(here, 'node_modules');

// Files the pages load, from node_modules, and where they go under vendor/.
const vendor = [
  ['chart.js/dist/chart.umd.min.js', 'chart.umd.min.js'],
  ['@microsoft/fetch-event-source/lib/esm/index.js', 'fetch-event-source/index.js'],
  ['@microsoft/fetch-event-source/lib/esm/fetch.js', 'fetch-event-source/fetch.js'],
  ['@microsoft/fetch-event-source/lib/esm/parse.js', 'fetch-event-source/parse.js'],
];

async function main() {
  await rm(out, { recursive: true, force: true });
  await cp(join(here, 'src'), out, { recursive: true });
  for (const [from, to] of vendor) {
    const source = join(modules, from);
    try {
      await stat(source);
    } catch {
      throw new Error(`${source} is missing: run "npm ci" in web/ first`);
    }
    await mkdir(dirname(join(out, 'vendor', to)), { recursive: true });
    await cp(source, join(out, 'vendor', to));
  }
  await writeFile(join(out, 'build.json'),
                  JSON.stringify({ builtAt: new Date().toISOString() }) + '\n');
  console.log(`dashboard built in ${out}`);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
