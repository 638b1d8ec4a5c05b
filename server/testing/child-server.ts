/**
 * `tsx server/main.ts` as a real child process on 127.0.0.1 and a free port, for tests that
 * kill it. Every child started here is remembered; `killAllChildren()` ends them (afterAll).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
// `node --import tsx` rather than the tsx CLI: the CLI runs the script in a grandchild, which a
// SIGKILL of the CLI would leave running. Here the pid we kill is the server itself.
const NODE_ARGS = ['--import', 'tsx'];
const children = new Set<ChildProcess>();

/** A port that was free a moment ago: a throwaway server on 127.0.0.1:0 tells which. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface ChildServer {
  readonly url: string;
  readonly process: ChildProcess;
  /** stdout + stderr so far, for failure messages. */
  output(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  readonly exited: Promise<number | string>;
}

/** Runs a script of this repository with tsx (e.g. `scripts/rebuild.ts`); resolves with its exit code and output. */
export function runScript(script: string, env: Record<string, string>, timeoutMs = 30_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...NODE_ARGS, script], { cwd: ROOT, env: { ...process.env, DATABASE_URL: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, output });
    });
  });
}

/**
 * Spawns `server/main.ts` on `dataDir`, collecting its output and tracking it for
 * `killAllChildren()`. DATABASE_URL (exported by .ci/run for the PostgreSQL suites) reaches
 * the child only when a test passes it in `env`.
 */
function spawnMain(dataDir: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [...NODE_ARGS, 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', IMS_DATA_DIR: dataDir, IMS_DEMO: '0', IMS_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let text = '';
  child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (text += d.toString()));
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve(code ?? signal ?? 'unknown');
    });
  });
  return { child, output: () => text, exited };
}

/** Starts the server on `dataDir` and waits (bounded: a loaded 2-core CI machine compiling with tsx needed over 30 s) until `/health` answers 200. */
export async function startChildServer(dataDir: string, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<ChildServer> {
  const port = await freePort();
  const { child, output, exited } = spawnMain(dataDir, { PORT: String(port), HOST: '127.0.0.1', ...env });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  let ended = false;
  void exited.then(() => (ended = true));
  for (;;) {
    if (ended) throw new Error(`server exited before answering /health:\n${output()}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not answer /health within ${timeoutMs} ms:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, process: child, output, exited };
}

/**
 * Starts `server/main.ts` on `dataDir` with roles that serve no HTTP (e.g. `IMS_ROLES=projector,outbound`)
 * and resolves once it says its roles run (bounded). Killed by `killAllChildren()` like the others.
 */
export async function startChildRoles(dataDir: string, env: Record<string, string>, timeoutMs = 60_000): Promise<Omit<ChildServer, 'url'>> {
  const { child, output, exited } = spawnMain(dataDir, env);
  const deadline = Date.now() + timeoutMs;
  while (!output().includes('roles running')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`roles did not start within ${timeoutMs} ms:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { process: child, output, exited };
}

/** SIGKILLs every child still running (call in afterAll, whatever happened). */
export async function killAllChildren(): Promise<void> {
  const waits = [...children].map((child) => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  }));
  await Promise.all(waits);
  children.clear();
}
