/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof` or `profile-ack.ts`) and prints where the
 * thread spent its samples: the top functions by self time, and self time grouped by the
 * module it lies in (our folders by name, `node_modules/<package>`, Node's internals, GC, idle).
 *   npx tsx bench/webhooks/cpu-profile-summary.ts file.cpuprofile [top]
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

export interface ProfileShare { readonly name: string; readonly ms: number; readonly share: number }

const root = pathToFileURL(`${process.cwd()}/`).href;

/** `node_modules/fastify`, `pos/processing`, `node:internal`, `(garbage collector)`, … */
export function moduleOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  if (url.startsWith('node:')) return url.startsWith('node:internal/') ? 'node:internal' : url;
  const path = url.startsWith(root) ? url.slice(root.length) : url;
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + 'node_modules/'.length).split('/');
    return `node_modules/${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  return path.split('/').slice(0, 2).join('/');
}

const ours = (url: string) => url.startsWith(root) && !url.includes('/node_modules/');

export function summarizeProfile(profile: Profile): { totalMs: number; busyMs: number; functions: ProfileShare[]; modules: ProfileShare[]; ourCallers: ProfileShare[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Each sample charged to the innermost frame of our own code on its stack: what a native
  // SQLite call, a driver or Fastify's work was done for.
  const callerOf = (id: number): string => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url, lineNumber } = byId.get(at)!.callFrame;
      if (ours(url)) return `${functionName || '(anonymous)'} ${url.slice(root.length)}:${lineNumber + 1}`;
    }
    return `(no frame of ours) ${moduleOf(byId.get(id)!.callFrame.url, byId.get(id)!.callFrame.functionName)}`;
  };
  const callers = new Map<string, number>();
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const fns = new Map<string, number>();
  const mods = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    totalUs += us;
    if (functionName === '(idle)' || functionName === '(program)') idleUs += functionName === '(idle)' ? us : 0;
    const where = url ? `${url.startsWith(root) ? url.slice(root.length) : url}:${lineNumber + 1}` : '';
    const fnKey = `${functionName || '(anonymous)'} ${where}`.trim();
    fns.set(fnKey, (fns.get(fnKey) ?? 0) + us);
    const mod = moduleOf(url, functionName);
    mods.set(mod, (mods.get(mod) ?? 0) + us);
    if (functionName !== '(idle)') {
      const caller = callerOf(id);
      callers.set(caller, (callers.get(caller) ?? 0) + us);
    }
  }
  const busyUs = totalUs - idleUs;
  const rank = (m: Map<string, number>) => [...m].filter(([name]) => name !== '(idle)')
    .map(([name, us]) => ({ name, ms: Math.round(us / 100) / 10, share: Math.round((us / busyUs) * 1000) / 10 }))
    .sort((a, b) => b.ms - a.ms);
  return { totalMs: Math.round(totalUs / 1000), busyMs: Math.round(busyUs / 1000), functions: rank(fns), modules: rank(mods), ourCallers: rank(callers) };
}

export function printProfile(profile: Profile, top = 25): void {
  const s = summarizeProfile(profile);
  console.log(`profile: ${s.totalMs} ms, busy ${s.busyMs} ms (shares below are of busy time)`);
  console.log('\nby module (self time):');
  for (const m of s.modules.slice(0, top)) console.log(`${String(m.share).padStart(6)} %  ${String(m.ms).padStart(8)} ms  ${m.name}`);
  console.log('\ncharged to the innermost frame of our code:');
  for (const c of s.ourCallers.slice(0, top)) console.log(`${String(c.share).padStart(6)} %  ${String(c.ms).padStart(8)} ms  ${c.name}`);
  console.log('\ntop functions (self time):');
  for (const f of s.functions.slice(0, top)) console.log(`${String(f.share).padStart(6)} %  ${String(f.ms).padStart(8)} ms  ${f.name}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: cpu-profile-summary.ts file.cpuprofile [top]');
  printProfile(JSON.parse(readFileSync(file, 'utf8')) as Profile, Number(process.argv[3] ?? 25));
}
