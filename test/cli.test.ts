import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDatabase } from './support/hooks.js';

const ROOT = new URL('..', import.meta.url).pathname;

describe('the command line', function () {
  this.timeout(60_000);
  let env: Record<string, string>;
  before(() => {
    const url = testDatabase().url;
    const secrets = { SYX_ADMIN_TOKEN: 'cli-admin-token-0123456789', SYX_SECRET: 'cli-secret-0123456789abcdef0123456789', SYX_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64') };
    env = { PATH: process.env.PATH!, ...secrets, ...(url ? { DATABASE_URL: url } : { SYX_DATA_DIR: mkdtempSync(join(tmpdir(), 'syx-cli-')) }) };
  });

  const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, env, encoding: 'utf8' });

  it('creates a workspace, adds a key and revokes it by prefix', () => {
    const created = cli('workspace', 'create', '--name', 'Acme');
    expect(created.status, created.stderr).to.equal(0);
    const { workspace, api_key: apiKey } = JSON.parse(created.stdout);
    expect(workspace).to.include({ name: 'Acme' });
    expect(apiKey).to.match(/^syx_/);

    const added = cli('key', 'create', '--workspace', workspace.id);
    expect(added.status, added.stderr).to.equal(0);
    const { prefix } = JSON.parse(added.stdout);
    expect(prefix).to.have.length(12);

    const revoked = cli('key', 'revoke', prefix);
    expect(revoked.status, revoked.stderr).to.equal(0);
    expect(JSON.parse(revoked.stdout)).to.include({ prefix, workspace_id: workspace.id });
    expect(cli('key', 'revoke', prefix).status).to.equal(1);
  });

  it('creates a user in a workspace and prints a one-time link that sets their password', () => {
    const { workspace } = JSON.parse(cli('workspace', 'create', '--name', 'People').stdout);
    const email = `cli-${Date.now()}@example.com`;
    const created = cli('user', 'create', '--email', email, '--workspace', workspace.id);
    expect(created.status, created.stderr).to.equal(0);
    const user = JSON.parse(created.stdout);
    expect(user).to.include({ email, workspace_id: workspace.id, role: 'owner' });
    expect(user.password_link).to.match(/\/password\/set\?token=[A-Za-z0-9_-]{43}$/);
    const again = cli('user', 'create', '--email', email.toUpperCase(), '--workspace', workspace.id);
    expect(again.status).to.equal(1);
    expect(again.stderr).to.contain('exists already');
  });

  it('explains its usage and fails on unknown commands or a missing workspace', () => {
    const unknown = cli('launch', 'rockets');
    expect(unknown.status).to.equal(1);
    expect(unknown.stderr).to.contain('Usage:');
    const missing = cli('key', 'create', '--workspace', 'ws_01M00000000000000000000000');
    expect(missing.status).to.equal(1);
    expect(missing.stderr).to.contain('not_found');
  });

  it('refuses an embedded database another process holds, and takes over one whose process is gone', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'syx-cli-held-'));
    const { DATABASE_URL: _postgres, ...rest } = env;
    const embedded = { ...rest, SYX_DATA_DIR: dataDir };
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, env: embedded, encoding: 'utf8' });
    // A running service: another live process whose pid is in the lock file.
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      writeFileSync(join(dataDir, 'synaptyx.pid'), String(holder.pid));
      const refused = run('workspace', 'create', '--name', 'Beside npm start');
      expect(refused.status).to.equal(1);
      expect(refused.stderr).to.contain(`in use by process ${holder.pid}`).and.contain('POST /api/workspaces');
      // The same pid with another start time: a crashed holder's pid, reused by an unrelated process.
      writeFileSync(join(dataDir, 'synaptyx.pid'), `${holder.pid} 1`);
      const reused = run('workspace', 'create', '--name', 'After a crash');
      expect(reused.status, reused.stderr).to.equal(0);
    } finally {
      holder.kill('SIGKILL');
      await once(holder, 'exit');
    }
    writeFileSync(join(dataDir, 'synaptyx.pid'), String(holder.pid));
    const created = run('workspace', 'create', '--name', 'After it stopped');
    expect(created.status, created.stderr).to.equal(0);
    expect(existsSync(join(dataDir, 'synaptyx.pid')), 'released at exit').to.equal(false);
  });
});
