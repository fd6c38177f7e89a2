// Fails when a locked npm package does not accept the Node.js (and npm) a fresh Debian 12 gets
// from scripts/deps.sh: Debian's nodejs 18.20.4 and npm 9.2.0 (issue 13 F.36). Developer machines
// often run a newer Node, so without this check a lock file that needs Node 20 (playwright-core
// 1.62 and later do) passes there and every browser test fails on a fresh machine.
//   node tools/check_node_engines.mjs LOCK_FILE...   (no packages needed: plain Node)
import { readFileSync } from 'node:fs';

export const FRESH = { node: '18.20.4', npm: '9.2.0' };

const parse = (v) => v.split('.').map((n) => Number(n));
function compare(a, b) {
  for (let i = 0; i < 3; ++i) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

// A partial version "18", "18.20", "18.x", "*" → its known numbers (x and * are wildcards).
function partial(text) {
  if (text === '' || text === '*' || /^[xX]$/.test(text)) return [];
  const parts = text.replace(/^v/, '').split('-')[0].split('.');
  const out = [];
  for (const p of parts) {
    if (/^[xX*]$/.test(p)) break;
    if (!/^\d+$/.test(p)) throw new Error(`cannot read version "${text}"`);
    out.push(Number(p));
  }
  return out;
}
const low = (p) => [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0];
// The first version above every version the partial stands for.
function above(p) {
  if (p.length === 0) return null;
  if (p.length === 3) return [p[0], p[1], p[2] + 1];
  return p.length === 1 ? [p[0] + 1, 0, 0] : [p[0], p[1] + 1, 0];
}

// One comparator ("^18.0.0", ">=20", "~1.2", "18.x") → [lower bound (inclusive), upper (exclusive)].
function bounds(comparator) {
  const m = /^(\^|~|>=|<=|>|<|=)?(.*)$/.exec(comparator);
  const op = m[1] ?? '=';
  const p = partial(m[2]);
  switch (op) {
    case '=':
      return [low(p), above(p)];
    case '>=':
      return [low(p), null];
    case '>':
      return [above(p) ?? [Infinity, 0, 0], null];
    case '<':
      return [[0, 0, 0], p.length ? low(p) : [0, 0, 0]];
    case '<=':
      return [[0, 0, 0], above(p)];
    case '~':
      return [low(p), above(p.length > 2 ? p.slice(0, 2) : p)];
    case '^': {
      // The first non-zero number is the one that may not change.
      const first = p.findIndex((n) => n !== 0);
      const keep = first === -1 ? p : p.slice(0, first + 1);
      return [low(p), above(keep)];
    }
  }
  throw new Error(`cannot read comparator "${comparator}"`);
}

/** Whether `version` ("18.20.4") satisfies the npm range `range`. Throws on what it cannot read. */
export function satisfies(version, range) {
  const v = parse(version);
  return range.split('||').some((set) => {
    const text = set.trim().replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1');
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(text);
    const comparators = hyphen ? [`>=${hyphen[1]}`, `<=${hyphen[2]}`] : text.split(/\s+/);
    return comparators.every((c) => {
      const [from, to] = bounds(c);
      return compare(v, from) >= 0 && (to === null || compare(v, to) < 0);
    });
  });
}

// The reader checks itself on the shapes found in real lock files before it is trusted.
const CASES = [
  ['>=20', false], ['>=18', true], ['>= 16', true], ['>=18.18', true], ['>=18.21', false],
  ['^18.0.0 || >=20.0.0', true], ['^10 || ^12 || ^13.7 || ^14 || >=15.0.1', true], ['^20', false],
  ['18.x', true], ['<18.20.4', false], ['>=18 <18.20', false], ['16 - 18', true], ['~18.19', false],
  ['*', true], ['>=0.12', true], ['^8.16.0 || ^10.6.0 || >=11.0.0', true], ['>18', false], ['>18.19', true],
  ['>18.20.4', false], ['<=18', true], ['^0.10', false],
];
for (const [range, want] of CASES) {
  if (satisfies(FRESH.node, range) !== want) {
    throw new Error(`range reader is wrong: ${FRESH.node} ${want ? 'satisfies' : 'does not satisfy'} "${range}"`);
  }
}

if (process.argv.length < 3) {
  console.error('usage: node tools/check_node_engines.mjs LOCK_FILE...');
  process.exit(2);
}
let bad = 0;
for (const file of process.argv.slice(2)) {
  const lock = JSON.parse(readFileSync(file, 'utf8'));
  for (const [where, pkg] of Object.entries(lock.packages ?? {})) {
    for (const [engine, version] of Object.entries(FRESH)) {
      const range = pkg.engines?.[engine];
      if (typeof range !== 'string') continue;
      let ok;
      try {
        ok = satisfies(version, range);
      } catch (e) {
        ok = false;
        console.error(`${file}: ${where || '(root)'}: ${e.message}`);
      }
      if (!ok) {
        ++bad;
        console.error(`${file}: ${where || '(root)'} ${pkg.version ?? ''} needs ${engine} "${range}"; ` +
          `a fresh Debian 12 has ${engine} ${version} (scripts/deps.sh)`);
      }
    }
  }
}
if (bad) process.exit(1);
console.log(`every locked package accepts node ${FRESH.node} and npm ${FRESH.npm}`);
