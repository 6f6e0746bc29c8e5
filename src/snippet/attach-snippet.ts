import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { PROVIDERS, type ProviderName } from '../providers/provider.js';

/**
 * Which checkout payload `attach(payload)` fills (snippet/checkout-payload.ts): Stripe and Polar take
 * `metadata`, Paddle.js `customData`, a Lemon Squeezy API checkout `checkout_data.custom`. One build per kind.
 */
const PAYLOAD_OF: Record<ProviderName, 'metadata' | 'paddle' | 'lemonsqueezy'> = { stripe: 'metadata', polar: 'metadata', paddle: 'paddle', lemonsqueezy: 'lemonsqueezy' };

/** The browser snippet as served at /s/<source_id>.js: one build per kind of payload, so one cache entry per URL. */
export interface AttachSnippet {
  code: Buffer;
  gzipped: Buffer;
  /** Strong validator of `code`; the gzipped bytes are another representation and get their own. */
  etag: string;
  gzippedEtag: string;
}

// snippet/attach.ts from the source tree, snippet/attach.js under dist/ (the build compiles snippet/ beside src/).
const entry = fileURLToPath(new URL('../../snippet/attach', import.meta.url));

const built = new Map<string, Promise<AttachSnippet>>();

/**
 * The snippet for a source of `provider`: snippet/ bundled and minified in-process with esbuild, once per process
 * and kind of payload: `npm start`, `npm test` and a bare `npx mocha` then all serve the current source, with no
 * build step that a fresh clone could miss.
 */
export function attachSnippet(provider: ProviderName): Promise<AttachSnippet> {
  const payload = PAYLOAD_OF[provider];
  let snippet = built.get(payload);
  if (!snippet) {
    snippet = bundle(payload).catch((error: unknown) => {
      built.delete(payload); // a failed build is reported to this caller; the next one tries again
      throw error;
    });
    built.set(payload, snippet);
  }
  return snippet;
}

/** Every provider's snippet, built before the service listens. */
export async function attachSnippets(): Promise<Record<ProviderName, AttachSnippet>> {
  const snippets = await Promise.all(PROVIDERS.map(async (provider) => [provider, await attachSnippet(provider)] as const));
  return Object.fromEntries(snippets) as Record<ProviderName, AttachSnippet>;
}

async function bundle(payload: string): Promise<AttachSnippet> {
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
    // A constant, so the minifier drops the payload code of the other providers.
    define: { SYX_PAYLOAD: JSON.stringify(payload) },
  });
  const code = Buffer.from(result.outputFiles[0].contents);
  const gzipped = gzipSync(code, { level: 9 });
  const hash = createHash('sha256').update(code).digest('base64url').slice(0, 27);
  return { code, gzipped, etag: `"${hash}"`, gzippedEtag: `"${hash}-gzip"` };
}
