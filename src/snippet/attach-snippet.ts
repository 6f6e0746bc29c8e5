import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** The browser snippet as served at /s/<source_id>.js: one build for every source, so one cache entry per URL. */
export interface AttachSnippet {
  code: Buffer;
  gzipped: Buffer;
  /** Strong validator of `code`; the gzipped bytes are another representation and get their own. */
  etag: string;
  gzippedEtag: string;
}

// snippet/attach.ts from the source tree, snippet/attach.js under dist/ (the build compiles snippet/ beside src/).
const entry = fileURLToPath(new URL('../../snippet/attach', import.meta.url));

let built: Promise<AttachSnippet> | null = null;

/**
 * Bundles and minifies snippet/ in-process with esbuild, once per process: `npm start`, `npm test` and a bare
 * `npx mocha` then all serve the current source, with no build step that a fresh clone could miss.
 */
export function attachSnippet(): Promise<AttachSnippet> {
  built ??= bundle().catch((error: unknown) => {
    built = null; // a failed build is reported to this caller; the next one tries again
    throw error;
  });
  return built;
}

async function bundle(): Promise<AttachSnippet> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const code = Buffer.from(result.outputFiles[0].contents);
  const gzipped = gzipSync(code, { level: 9 });
  const hash = createHash('sha256').update(code).digest('base64url').slice(0, 27);
  return { code, gzipped, etag: `"${hash}"`, gzippedEtag: `"${hash}-gzip"` };
}
