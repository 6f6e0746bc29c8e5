import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config.js';

/**
 * The embedded database belongs to one process at a time: a second one (the CLI beside `npm start`) would not
 * see the first one's writes, and two writers can corrupt its files. The first process to open the data dir
 * leaves `synaptyx.pid` there (its pid and start time, so a pid reused after a crash is not mistaken for it);
 * a later one refuses while that process lives, and takes over a lock left by one that is gone. The same
 * process may open it again (a restart within tests).
 */
export function lockDataDir(dataDir: string): void {
  const path = join(dataDir, 'synaptyx.pid');
  const mine = `${process.pid} ${startTimeOf(process.pid)}`;
  for (;;) {
    if (create(path, mine)) {
      process.once('exit', () => release(path, mine));
      return;
    }
    const held = readFileSync(path, 'utf8').trim();
    const [pid, started = ''] = held.split(' ');
    if (Number(pid) === process.pid) return;
    if (Number(pid) > 0 && isRunning(Number(pid)) && (!started || startTimeOf(Number(pid)) === started)) {
      throw new ConfigError([
        `The embedded database in ${dataDir} is in use by process ${pid} (npm start?): it serves one process at a time. ` +
          'Stop that process before running the CLI, jobs or migrations on it (a running service runs the jobs itself, ' +
          `and creates workspaces over HTTP: POST /api/workspaces with the admin token). If no Synaptyx is running, delete ${path}.`,
      ]);
    }
    unlinkSync(path); // left by a process that is gone
  }
}

/** Creates the lock file with its content in one step (a link), so no reader ever sees it empty. */
function create(path: string, content: string): boolean {
  const draft = `${path}.${process.pid}`;
  writeFileSync(draft, content);
  try {
    linkSync(draft, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(draft);
  }
}

function release(path: string, mine: string): void {
  try {
    if (readFileSync(path, 'utf8').trim() === mine) unlinkSync(path);
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

/** The process's start time in clock ticks since boot (Linux); empty where /proc does not say. */
function startTimeOf(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}
