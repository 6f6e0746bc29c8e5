import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** One file the dashboard serves from /assets/, under a name that changes with its content (cached for a year). */
export interface Asset {
  path: string;
  type: string;
  body: Buffer;
  gzipped: Buffer;
}

export interface DashboardAssets {
  script: Asset;
  styles: Asset;
  icon: Asset;
  byPath: Map<string, Asset>;
}

const require = createRequire(import.meta.url);
// src/dashboard/ from the source tree; dist/src/dashboard/ after a build, whose scripts are built from the .ts beside it.
const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#4338ca"/><path d="M9 21l5-6 4 3 5-8" stroke="#fff" stroke-width="3" fill="none" stroke-linecap="round" stroke-linejoin="round"/></svg>`;

function asset(name: string, extension: string, type: string, body: Buffer): Asset {
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 10);
  return { path: `/assets/${name}-${hash}.${extension}`, type, body, gzipped: gzipSync(body, { level: 9 }) };
}

let built: Promise<DashboardAssets> | null = null;

/** Bundles the dashboard's script (with uPlot) and stylesheet once per process, in-process with esbuild, as the snippet is. */
export function dashboardAssets(): Promise<DashboardAssets> {
  built ??= bundle().catch((error: unknown) => {
    built = null;
    throw error;
  });
  return built;
}

async function bundle(): Promise<DashboardAssets> {
  const scriptEntry = await firstExisting([here('scripts/dashboard.ts'), here('../../../src/dashboard/scripts/dashboard.ts')]);
  const result = await build({ entryPoints: [scriptEntry], bundle: true, minify: true, format: 'iife', target: 'es2020', write: false, legalComments: 'none' });
  const css = await readFile(await firstExisting([here('styles/dashboard.css'), here('../../../src/dashboard/styles/dashboard.css')]), 'utf8');
  const uplotCss = await readFile(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
  const styles = await build({ stdin: { contents: `${uplotCss}\n${css}`, loader: 'css' }, minify: true, write: false });
  const assets = {
    script: asset('dashboard', 'js', 'application/javascript; charset=utf-8', Buffer.from(result.outputFiles[0].contents)),
    styles: asset('dashboard', 'css', 'text/css; charset=utf-8', Buffer.from(styles.outputFiles[0].contents)),
    icon: asset('icon', 'svg', 'image/svg+xml', Buffer.from(ICON)),
  };
  return { ...assets, byPath: new Map(Object.values(assets).map((item) => [item.path, item])) };
}

async function firstExisting(paths: string[]): Promise<string> {
  for (const path of paths) {
    try {
      await readFile(path);
      return path;
    } catch {
      // try the next place
    }
  }
  throw new Error(`dashboard asset not found: ${paths[0]}`);
}
