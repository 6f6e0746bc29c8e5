import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { addSchemaFormats, FORMAT_MESSAGES } from './schema-formats.js';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | null;
  dataDir: string;
  publicUrl: string;
  /** Hosts besides the public URL's that an OAuth return_url may name (host, or host:port). */
  allowedReturnHosts: string[];
  adminToken: string;
  secret: string;
  /** First key encrypts; every key decrypts. Ids are stable so ciphertexts name their key. */
  encryptionKeys: { id: string; key: Buffer }[];
  stripe: {
    secretKey: string | null;
    clientId: string | null;
    connectWebhookSecret: string | null;
    apiBase: string;
    connectBase: string;
  };
  polar: {
    clientId: string | null;
    clientSecret: string | null;
    apiBase: string;
    authorizeBase: string;
  };
  lemonsqueezy: { apiBase: string };
  /** Null: Paddle's own hosts, the sandbox for a sandbox key (`pdl_sdbx_...`) and the live API for any other. */
  paddle: { apiBase: string | null };
  logLevel: string;
  /** How often pending clicks are written (milliseconds). */
  clickFlushMs: number;
  /** Clicks kept in memory while the database is slow or away; past it new clicks are dropped and counted. */
  clickQueueMax: number;
  /** How long a link's redirect target is used before it is read again (a change made anywhere reaches every instance at once regardless). */
  linkCacheTtlMs: number;
  /** How long a request body may take to arrive before the request is answered 408 (milliseconds). */
  bodyTimeoutMs: number;
  /** Bad-signature webhook deliveries per minute, per source and per sender, before they are answered 429. */
  badDeliveriesPerMinute: number;
  /** Behind a proxy or load balancer: take the client IP from X-Forwarded-For. */
  trustProxy: boolean;
  /** Background jobs: how often each runs, and how long before expiry an OAuth token is refreshed (milliseconds). */
  jobs: {
    retentionIntervalMs: number;
    tokenRefreshIntervalMs: number;
    reconcileIntervalMs: number;
    healthIntervalMs: number;
    refreshBeforeMs: number;
  };
  /** True when the admin token was generated into the data dir and should be shown at start. */
  generatedAdminToken: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const httpUrl = { type: 'string', format: 'http-url' };
const nonEmpty = { type: 'string', minLength: 1 };
/** Minutes, 0.01 (0.6 s, for tests) to 99999: a whole number, or with up to two decimals. */
const minutes = { type: 'string', pattern: '^([1-9][0-9]{0,4}(\\.[0-9]{1,2})?|0?\\.(0[1-9]|[1-9][0-9]?))$' };
const MINUTE = 60_000;

const envSchema = {
  type: 'object',
  properties: {
    PORT: { type: 'string', pattern: '^[0-9]{1,5}$' },
    HOST: nonEmpty,
    DATABASE_URL: { type: 'string', pattern: '^postgres(ql)?://' },
    SYX_DATA_DIR: nonEmpty,
    SYX_PUBLIC_URL: httpUrl,
    SYX_ADMIN_TOKEN: { type: 'string', minLength: 16 },
    SYX_SECRET: { type: 'string', minLength: 32 },
    SYX_ENCRYPTION_KEY: { type: 'string', pattern: '^[A-Za-z0-9+/=]+(,[A-Za-z0-9+/=]+)*$' },
    STRIPE_SECRET_KEY: nonEmpty,
    STRIPE_CLIENT_ID: nonEmpty,
    STRIPE_CONNECT_WEBHOOK_SECRET: nonEmpty,
    POLAR_CLIENT_ID: nonEmpty,
    POLAR_CLIENT_SECRET: nonEmpty,
    STRIPE_API_BASE: httpUrl,
    STRIPE_CONNECT_BASE: httpUrl,
    POLAR_API_BASE: httpUrl,
    POLAR_AUTHORIZE_BASE: httpUrl,
    LEMONSQUEEZY_API_BASE: httpUrl,
    PADDLE_API_BASE: httpUrl,
    SYX_CLICK_FLUSH_MS: { type: 'string', pattern: '^[1-9][0-9]{0,6}$' },
    SYX_CLICK_QUEUE_MAX: { type: 'string', pattern: '^[1-9][0-9]{0,7}$' },
    SYX_LINK_CACHE_TTL_SECONDS: { type: 'string', pattern: '^[1-9][0-9]{0,3}$' },
    SYX_BODY_TIMEOUT_MS: { type: 'string', pattern: '^[1-9][0-9]{1,6}$' },
    SYX_BAD_DELIVERIES_PER_MINUTE: { type: 'string', pattern: '^[1-9][0-9]{0,5}$' },
    SYX_ALLOWED_RETURN_HOSTS: { type: 'string', pattern: '^[A-Za-z0-9.-]+(:[0-9]{1,5})?(,[A-Za-z0-9.-]+(:[0-9]{1,5})?)*$' },
    SYX_TRUST_PROXY: { enum: ['true', 'false', '1', '0'] },
    SYX_LOG_LEVEL: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
    SYX_RETENTION_INTERVAL_MINUTES: minutes,
    SYX_TOKEN_REFRESH_INTERVAL_MINUTES: minutes,
    SYX_RECONCILE_INTERVAL_MINUTES: minutes,
    SYX_HEALTH_INTERVAL_MINUTES: minutes,
    SYX_TOKEN_REFRESH_BEFORE_HOURS: { type: 'string', pattern: '^[1-9][0-9]{0,3}$' },
  },
} as const;

const ajv = new Ajv({ allErrors: true });
addSchemaFormats(ajv);
const validateEnv = ajv.compile(envSchema);

type Env = Record<string, string | undefined>;

/** Reads and validates the environment once; throws a ConfigError naming every bad variable. */
export function loadConfig(rawEnv: Env = process.env): Config {
  const env = withoutEmptyValues(rawEnv);
  const problems: string[] = [];
  if (!validateEnv(env)) {
    for (const error of validateEnv.errors ?? []) {
      const name = error.instancePath.slice(1);
      // The rule, never the value: a bad value may be a password, a token or a key.
      const rule = error.keyword === 'format' ? FORMAT_MESSAGES[error.params.format as string] : error.message;
      problems.push(`${name} ${rule}`);
    }
  }
  problems.push(...halfConfiguredApps(env));
  const port = Number(env.PORT ?? 3000);
  if (env.PORT && (port < 1 || port > 65535)) problems.push('PORT must be between 1 and 65535');

  const databaseUrl = env.DATABASE_URL ?? null;
  const dataDir = resolve(env.SYX_DATA_DIR ?? './data');
  const secrets = databaseUrl ? requiredSecrets(env, problems) : embeddedSecrets(env, dataDir);
  const encryptionKeys = parseEncryptionKeys(secrets.encryptionKey, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    databaseUrl,
    dataDir,
    publicUrl: (env.SYX_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    allowedReturnHosts: env.SYX_ALLOWED_RETURN_HOSTS ? env.SYX_ALLOWED_RETURN_HOSTS.toLowerCase().split(',') : [],
    adminToken: secrets.adminToken,
    secret: secrets.secret,
    encryptionKeys,
    stripe: {
      secretKey: env.STRIPE_SECRET_KEY ?? null,
      clientId: env.STRIPE_CLIENT_ID ?? null,
      connectWebhookSecret: env.STRIPE_CONNECT_WEBHOOK_SECRET ?? null,
      apiBase: env.STRIPE_API_BASE ?? 'https://api.stripe.com',
      connectBase: env.STRIPE_CONNECT_BASE ?? 'https://connect.stripe.com',
    },
    polar: {
      clientId: env.POLAR_CLIENT_ID ?? null,
      clientSecret: env.POLAR_CLIENT_SECRET ?? null,
      apiBase: env.POLAR_API_BASE ?? 'https://api.polar.sh',
      authorizeBase: env.POLAR_AUTHORIZE_BASE ?? 'https://polar.sh',
    },
    lemonsqueezy: { apiBase: (env.LEMONSQUEEZY_API_BASE ?? 'https://api.lemonsqueezy.com').replace(/\/+$/, '') },
    paddle: { apiBase: env.PADDLE_API_BASE?.replace(/\/+$/, '') ?? null },
    logLevel: env.SYX_LOG_LEVEL ?? 'info',
    clickFlushMs: Number(env.SYX_CLICK_FLUSH_MS ?? 10),
    clickQueueMax: Number(env.SYX_CLICK_QUEUE_MAX ?? 200_000),
    linkCacheTtlMs: Number(env.SYX_LINK_CACHE_TTL_SECONDS ?? 60) * 1000,
    bodyTimeoutMs: Number(env.SYX_BODY_TIMEOUT_MS ?? 10_000),
    badDeliveriesPerMinute: Number(env.SYX_BAD_DELIVERIES_PER_MINUTE ?? 60),
    trustProxy: env.SYX_TRUST_PROXY === 'true' || env.SYX_TRUST_PROXY === '1',
    jobs: {
      retentionIntervalMs: Number(env.SYX_RETENTION_INTERVAL_MINUTES ?? 60) * MINUTE,
      tokenRefreshIntervalMs: Number(env.SYX_TOKEN_REFRESH_INTERVAL_MINUTES ?? 60) * MINUTE,
      reconcileIntervalMs: Number(env.SYX_RECONCILE_INTERVAL_MINUTES ?? 15) * MINUTE,
      healthIntervalMs: Number(env.SYX_HEALTH_INTERVAL_MINUTES ?? 5) * MINUTE,
      refreshBeforeMs: Number(env.SYX_TOKEN_REFRESH_BEFORE_HOURS ?? 48) * 60 * MINUTE,
    },
    generatedAdminToken: secrets.generatedAdminToken,
  };
}

interface Secrets {
  adminToken: string;
  secret: string;
  encryptionKey: string;
  generatedAdminToken: boolean;
}

const secretVariables = ['SYX_ADMIN_TOKEN', 'SYX_SECRET', 'SYX_ENCRYPTION_KEY'] as const;

function requiredSecrets(env: Env, problems: string[]): Secrets {
  for (const name of secretVariables) {
    if (!env[name]) problems.push(`${name} is required when DATABASE_URL is set`);
  }
  return {
    adminToken: env.SYX_ADMIN_TOKEN ?? '',
    secret: env.SYX_SECRET ?? '',
    encryptionKey: env.SYX_ENCRYPTION_KEY ?? '',
    generatedAdminToken: false,
  };
}

/** Embedded mode: any secret not in the environment is generated once and kept in the data dir. */
function embeddedSecrets(env: Env, dataDir: string): Secrets {
  const file = join(dataDir, 'secrets.json');
  const stored = existsSync(file) ? storedSecrets(file) : {};
  const generated = {
    SYX_ADMIN_TOKEN: stored.SYX_ADMIN_TOKEN ?? `syxadm_${randomBytes(24).toString('base64url')}`,
    SYX_SECRET: stored.SYX_SECRET ?? randomBytes(32).toString('base64url'),
    SYX_ENCRYPTION_KEY: stored.SYX_ENCRYPTION_KEY ?? randomBytes(32).toString('base64'),
  };
  if (secretVariables.some((name) => !env[name] && !stored[name])) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(generated, null, 2) + '\n', { mode: 0o600 });
  }
  return {
    adminToken: env.SYX_ADMIN_TOKEN ?? generated.SYX_ADMIN_TOKEN,
    secret: env.SYX_SECRET ?? generated.SYX_SECRET,
    encryptionKey: env.SYX_ENCRYPTION_KEY ?? generated.SYX_ENCRYPTION_KEY,
    generatedAdminToken: !env.SYX_ADMIN_TOKEN,
  };
}

/** The secrets generated earlier; a file that no longer parses is named, never quoted (it holds the secrets). */
function storedSecrets(file: string): Partial<Record<(typeof secretVariables)[number], string>> {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new ConfigError([`${file} is not valid JSON: restore it from a backup, or delete it to generate new secrets (click ids and stored secrets made with the old ones stop working)`]);
  }
}

function parseEncryptionKeys(list: string, problems: string[]): Config['encryptionKeys'] {
  if (!list) return [];
  const keys = list.split(',').map((encoded) => Buffer.from(encoded, 'base64'));
  if (keys.some((key) => key.length !== 32)) {
    problems.push('SYX_ENCRYPTION_KEY must be base64 of 32 bytes (a comma-separated list to rotate keys)');
  }
  return keys.map((key) => ({ id: keyId(key), key }));
}

/** A short, stable fingerprint that names a key without revealing it. */
function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 8);
}

function withoutEmptyValues(env: Env): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') result[name] = value;
  }
  return result;
}

/**
 * A platform app is all or nothing: with only part of it set, one-click connections would be off without a word,
 * or (no Connect webhook secret) merchants could connect Stripe accounts whose events are never received.
 */
function halfConfiguredApps(env: Env): string[] {
  const apps = [
    { name: 'Stripe Connect', variables: ['STRIPE_CLIENT_ID', 'STRIPE_SECRET_KEY', 'STRIPE_CONNECT_WEBHOOK_SECRET'] },
    { name: 'Polar OAuth', variables: ['POLAR_CLIENT_ID', 'POLAR_CLIENT_SECRET'] },
  ];
  return apps.flatMap(({ name, variables }) => {
    const missing = variables.filter((variable) => !env[variable]);
    if (missing.length === 0 || missing.length === variables.length) return [];
    return missing.map((variable) => `${variable} is required for the ${name} app, since ${variables.filter((v) => env[v]).join(' and ')} ${variables.length - missing.length > 1 ? 'are' : 'is'} set`);
  });
}
