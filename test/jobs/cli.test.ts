import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;

describe('npm run jobs -- once', function () {
  this.timeout(60_000);

  // A database of its own (embedded, fresh), so running every job cannot touch other suites' sources.
  const jobs = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/jobs/cli.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH!, SYX_DATA_DIR: mkdtempSync(join(tmpdir(), 'syx-jobs-')), SYX_LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    });

  it('runs every job once and prints what each did', () => {
    const result = jobs('once');
    expect(result.status, result.stderr).to.equal(0);
    expect(JSON.parse(result.stdout)).to.deep.equal({
      retention: { deleted_logs: 0, deleted_sessions: 0 },
      'token-refresh': { refreshed: 0, failed: 0 },
      reconcile: { sources: 0, recovered: 0, failed: 0 },
      'source-health': { checked: 0, changed: 0 },
    });
  });

  it('explains its usage', () => {
    const result = jobs('twice');
    expect(result.status).to.equal(1);
    expect(result.stderr).to.contain('Usage: npm run --silent jobs -- once');
  });
});
