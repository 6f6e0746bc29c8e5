import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config.js';

/**
 * The embedded database belongs to one process at a time: a second one (the CLI beside `npm start`) would not
 * see the first one's writes, and two writers can corrupt its files. The first process to open the data dir
 * writes its pid there; a later one refuses while that process lives, and takes over a lock left by one that
 * died. The same process may open it again (a restart within tests).
 */
export function lockDataDir(dataDir: string): void {
  const path = join(dataDir, 'synaptyx.pid');
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      process.once('exit', () => release(path));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(readFileSync(path, 'utf8').trim());
    if (holder === process.pid) return;
    if (holder > 0 && isRunning(holder)) {
      throw new ConfigError([
        `The embedded database in ${dataDir} is in use by process ${holder} (npm start?): it serves one process at a time. ` +
          `Stop that process first, or, while it runs, create workspaces over HTTP (POST /api/workspaces with the admin token). ` +
          `If no Synaptyx is running, delete ${path}.`,
      ]);
    }
    unlinkSync(path); // left by a process that is gone
  }
}

function release(path: string): void {
  try {
    if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
  } catch {
    // already gone
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
