import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../src/config.js';

const ROOT = new URL('..', import.meta.url).pathname;
const freshDir = () => mkdtempSync(join(tmpdir(), 'syx-config-'));

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('has working defaults for a fresh clone', () => {
    const config = loadConfig({ SYX_DATA_DIR: freshDir() });
    expect(config).to.include({ port: 3000, host: '0.0.0.0', databaseUrl: null, publicUrl: 'http://localhost:3000', logLevel: 'info' });
    expect(config.stripe.apiBase).to.equal('https://api.stripe.com');
    expect(config.polar.authorizeBase).to.equal('https://polar.sh');
    expect(config.lemonsqueezy.apiBase).to.equal('https://api.lemonsqueezy.com');
    expect(config.paddle.apiBase, "unset: Paddle's own hosts, live or sandbox by the key").to.equal(null);
    expect(loadConfig({ SYX_DATA_DIR: freshDir(), PADDLE_API_BASE: 'https://sandbox-api.paddle.com/' }).paddle.apiBase).to.equal('https://sandbox-api.paddle.com');
  });

  it('throws one ConfigError whose message names both a bad PORT and a bad SYX_PUBLIC_URL', () => {
    const dir = freshDir();
    expect(() => loadConfig({ SYX_DATA_DIR: dir, PORT: 'abc', SYX_PUBLIC_URL: 'notaurl' }))
      .to.throw(ConfigError)
      .with.property('message')
      .that.contains('PORT')
      .and.contains('SYX_PUBLIC_URL');
    expect(problemsOf({ SYX_DATA_DIR: dir, PORT: '70000' }).join('\n')).to.contain('PORT');
  });

  it('names every bad variable at once', () => {
    const problems = problemsOf({ SYX_DATA_DIR: freshDir(), PORT: 'abc', SYX_PUBLIC_URL: 'not a url', SYX_LOG_LEVEL: 'loud', STRIPE_API_BASE: 'ftp://x', LEMONSQUEEZY_API_BASE: 'nope', PADDLE_API_BASE: 'ftp://y' });
    const text = problems.join('\n');
    for (const name of ['PORT', 'SYX_PUBLIC_URL', 'SYX_LOG_LEVEL', 'STRIPE_API_BASE', 'LEMONSQUEEZY_API_BASE', 'PADDLE_API_BASE']) expect(text).to.contain(name);
  });

  it('refuses a platform app configured in part, naming what is missing', () => {
    const dir = freshDir();
    const stripe = problemsOf({ SYX_DATA_DIR: dir, STRIPE_CLIENT_ID: 'ca_123', STRIPE_SECRET_KEY: 'sk_test_123' });
    expect(stripe).to.have.length(1);
    expect(stripe[0]).to.contain('STRIPE_CONNECT_WEBHOOK_SECRET');
    const polar = problemsOf({ SYX_DATA_DIR: dir, POLAR_CLIENT_SECRET: 'secret' });
    expect(polar).to.have.length(1);
    expect(polar[0]).to.contain('POLAR_CLIENT_ID');
    const whole = loadConfig({ SYX_DATA_DIR: dir, POLAR_CLIENT_ID: 'id', POLAR_CLIENT_SECRET: 'secret' });
    expect(whole.polar.clientId).to.equal('id');
  });

  it('reads the job intervals, and names a bad one', () => {
    const config = loadConfig({ SYX_DATA_DIR: freshDir(), SYX_RECONCILE_INTERVAL_MINUTES: '5', SYX_TOKEN_REFRESH_BEFORE_HOURS: '72' });
    expect(config.jobs).to.deep.equal({
      retentionIntervalMs: 3_600_000, tokenRefreshIntervalMs: 3_600_000, reconcileIntervalMs: 300_000, healthIntervalMs: 300_000, refreshBeforeMs: 72 * 3_600_000,
    });
    const text = problemsOf({ SYX_DATA_DIR: freshDir(), SYX_HEALTH_INTERVAL_MINUTES: '0', SYX_TOKEN_REFRESH_INTERVAL_MINUTES: 'hourly' }).join('\n');
    for (const name of ['SYX_HEALTH_INTERVAL_MINUTES', 'SYX_TOKEN_REFRESH_INTERVAL_MINUTES']) expect(text).to.contain(name);
  });

  it('requires the secrets in production (DATABASE_URL set), naming all three, and writes none', () => {
    const dir = freshDir();
    const problems = problemsOf({ DATABASE_URL: 'postgres://localhost/synaptyx', SYX_DATA_DIR: dir });
    for (const name of ['SYX_ADMIN_TOKEN', 'SYX_SECRET', 'SYX_ENCRYPTION_KEY']) expect(problems.some((p) => p.startsWith(name)), name).to.equal(true);
    expect(existsSync(join(dir, 'secrets.json'))).to.equal(false);
    const missingOne = problemsOf({ DATABASE_URL: 'postgres://localhost/synaptyx', SYX_ADMIN_TOKEN: 'admin-token-0123456789', SYX_SECRET: 's'.repeat(32) });
    expect(missingOne).to.have.length(1);
    expect(missingOne[0]).to.contain('SYX_ENCRYPTION_KEY');
  });

  it('refuses an encryption key that is not 32 bytes', () => {
    for (const key of [Buffer.alloc(16).toString('base64'), Buffer.alloc(33).toString('base64'), `${Buffer.alloc(32).toString('base64')},${Buffer.alloc(31).toString('base64')}`, 'not base64!']) {
      const text = problemsOf({ SYX_DATA_DIR: freshDir(), SYX_ENCRYPTION_KEY: key }).join('\n');
      expect(text, key).to.contain('SYX_ENCRYPTION_KEY');
    }
  });

  it('generates missing secrets once into the data dir and reuses them', () => {
    const dir = freshDir();
    const first = loadConfig({ SYX_DATA_DIR: dir });
    expect(existsSync(join(dir, 'secrets.json'))).to.equal(true);
    expect(first.generatedAdminToken).to.equal(true);
    const written = readFileSync(join(dir, 'secrets.json'), 'utf8');
    const second = loadConfig({ SYX_DATA_DIR: dir });
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).to.equal(written);
    expect(second.adminToken).to.equal(first.adminToken);
    expect(second.secret).to.equal(first.secret);
    expect(second.encryptionKeys[0].key.equals(first.encryptionKeys[0].key)).to.equal(true);
    expect(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')).SYX_ADMIN_TOKEN).to.equal(first.adminToken);
  });

  it('rotates encryption keys: a list gives every key an id, the first seals', () => {
    const keys = [Buffer.alloc(32, 1), Buffer.alloc(32, 2)].map((key) => key.toString('base64')).join(',');
    const config = loadConfig({ SYX_DATA_DIR: freshDir(), SYX_ENCRYPTION_KEY: keys });
    expect(config.encryptionKeys).to.have.length(2);
    expect(config.encryptionKeys[0].id).to.not.equal(config.encryptionKeys[1].id);
  });

  it('names the variable and the rule, never the value: passwords, tokens and keys stay out of the message', () => {
    const secrets = {
      DATABASE_URL: 'mysql://admin:hunter2-db-password@db.internal/synaptyx',
      SYX_ADMIN_TOKEN: 'short-tok',
      SYX_SECRET: 'too-short-secret-xyz',
      SYX_ENCRYPTION_KEY: 'not base64 key material!',
      SYX_PUBLIC_URL: 'https://user:public-url-password@go.example.com',
      PORT: '99999',
    };
    const problems = problemsOf({ SYX_DATA_DIR: freshDir(), ...secrets });
    const text = problems.join('\n');
    for (const [name, value] of Object.entries(secrets)) {
      expect(text, name).to.contain(name);
      expect(text, name).not.to.contain(value);
    }
    for (const fragment of ['hunter2', 'short-tok', 'too-short', 'public-url-password']) expect(text).not.to.contain(fragment);
  });

  it('a secrets file that no longer parses is named, not quoted', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'secrets.json'), '{"SYX_ADMIN_TOKEN": "syxadm_leaky-token-value", broken');
    const text = problemsOf({ SYX_DATA_DIR: dir }).join('\n');
    expect(text).to.contain('secrets.json');
    expect(text).not.to.contain('leaky-token-value');
  });

  it('the process exits 1 naming the bad variables', function () {
    this.timeout(30_000);
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, PORT: 'seventy', SYX_PUBLIC_URL: 'notaurl', DATABASE_URL: 'postgres://localhost/x' },
      encoding: 'utf8',
    });
    expect(result.status).to.equal(1);
    for (const name of ['PORT', 'SYX_PUBLIC_URL', 'SYX_ADMIN_TOKEN', 'SYX_SECRET', 'SYX_ENCRYPTION_KEY']) expect(result.stderr).to.contain(name);
    expect(result.stderr).not.to.match(/^\s+at /m);
  });
});
