// Fails when a message the server can emit has no Chinese or no English text in the web UI
// (issue 14 item 1: "every message a user can see has a Chinese text").
//   node tools/check_message_keys.mjs [ROOT]   (plain Node, no packages)
// What the server can emit, read from src/**/*.cpp (tests excluded):
// - every ErrorCode key of src/core/error.cpp            → errors.codes in messages.*.ts;
// - every FieldError's message key, its `key` literal or else its `rule` literal, wherever one is
//   written: Reject(field, "rule", …), Error::Field(code, field, "rule", …), and brace
//   initialisers {field, "rule", message[, "key"[, params]]} (FieldError{…}, push_back({…}),
//   Reject({…}), Error::Field(code, {…}), {{…}} inside Error{…}) → errors.rules;
// - every screening gate key, Open(gates, "key", …)     → screening.gates in exam.*.ts.
// Rules named by a variable are reached through the literal that fills it, so they are covered
// by the same scan. Also checked: the placeholders {name} of a text are the same in both
// languages, and no Chinese text doubles a character by mistake (「事件已已确认」).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = process.argv[2] ?? new URL('..', import.meta.url).pathname;
const problems = [];

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.cpp') && !p.endsWith('_test.cpp')) out.push(p);
  }
  return out;
}

// C++ source without comments; string literals kept (raw strings are not used for messages).
function stripComments(src) {
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '"' || c === "'") {
      const q = c;
      out += c;
      for (i++; i < src.length && src[i] !== q; i++) {
        out += src[i];
        if (src[i] === '\\') out += src[++i];
      }
      out += q;
    } else if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && src[i + 1] === '*') {
      i = src.indexOf('*/', i + 2) + 1;
    } else {
      out += c;
    }
  }
  return out;
}

// The top-level comma-separated arguments from `start` (just after an opening bracket) to the
// matching close; null when unbalanced.
function argsFrom(src, start) {
  const args = [];
  let depth = 0;
  let cur = '';
  for (let i = start; i < src.length; i++) {
    const c = src[i];
    if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      cur += src.slice(i, j + 1);
      i = j;
      continue;
    }
    if ('({['.includes(c)) depth++;
    if (')}]'.includes(c)) {
      if (depth === 0) {
        args.push(cur.trim());
        return args;
      }
      depth--;
    }
    if (c === ',' && depth === 0) {
      args.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  return null;
}

const literal = (a) => (a && /^"[^"\\]*"$/.test(a) ? a.slice(1, -1) : null);
const RULE = /^[a-z][a-z0-9_]*$/;
// A message argument: a sentence literal, or text built from pieces.
const messageLike = (a) =>
  !!a && ((/^"/.test(a) && /\s/.test(literal(a) ?? ' ')) || /fmt::format|\+|std::move\(|std::string\(|\*why|\.message\b/.test(a));

const emitted = new Map(); // key -> first place
function emit(key, where) {
  if (!emitted.has(key)) emitted.set(key, where);
}

// {field, rule, message[, key[, params]]}: the key when given as a literal, else the rule.
function fromInit(args, where) {
  if (!args || args.length < 3 || args.length > 5 || !messageLike(args[2])) return false;
  const rule = literal(args[1]);
  const key = args.length >= 4 ? literal(args[3]) : null;
  if (key && !RULE.test(key)) return false;
  if (!key && (rule === null || !RULE.test(rule))) return false;
  if (args.length >= 4 && key === null && args[3] !== '""' && args[3] !== '{}') {
    problems.push(`${where}: a message key that is not a literal (${args[3]}): the check cannot see it`);
  }
  emit(key || rule, where);
  return true;
}

const gates = new Map();
let codes = [];
const cppFiles = walk(join(root, 'src'));
for (const file of cppFiles) {
  const src = stripComments(readFileSync(file, 'utf8'));
  const rel = relative(root, file);
  const lineOf = (i) => `${rel}:${src.slice(0, i).split('\n').length}`;
  if (rel === join('src', 'core', 'error.cpp')) {
    codes = [...src.matchAll(/return \{"([a-z_]+)", \d{3}\}/g)].map((m) => m[1]);
  }
  for (const m of src.matchAll(/\bOpen\(gates,\s*"([a-z0-9_]+)"/g)) gates.set(m[1], lineOf(m.index));
  for (const m of src.matchAll(/\bReject\(/g)) {
    const args = argsFrom(src, m.index + m[0].length);
    if (!args) continue;
    if (args.length === 1 && args[0].startsWith('{')) continue; // Reject({...}): the brace scan
    if (args.length === 3) {
      const rule = literal(args[1]);
      if (rule !== null && RULE.test(rule)) emit(rule, lineOf(m.index));
    }
  }
  for (const m of src.matchAll(/\bError::Field\(/g)) {
    const args = argsFrom(src, m.index + m[0].length);
    if (args && args.length === 4) {
      const rule = literal(args[2]);
      if (rule !== null && RULE.test(rule)) emit(rule, lineOf(m.index));
    }
  }
  // Helpers that build an error from (rule, message): a function named …Error, or the local
  // lambda `bad`, e.g. IdError("check_digit", "…").
  for (const m of src.matchAll(/\b(\w*Error|bad)\("([a-z][a-z0-9_]*)",/g)) {
    const args = argsFrom(src, m.index + m[0].length - m[2].length - 3);
    if (args && args.length === 2 && messageLike(args[1])) emit(m[2], lineOf(m.index));
  }
  for (let i = src.indexOf('{'); i >= 0; i = src.indexOf('{', i + 1)) {
    fromInit(argsFrom(src, i + 1), lineOf(i));
  }
}

// The texts: `section: {` blocks of one-line entries `key: 'text',`.
function sections(file, indent) {
  const text = readFileSync(join(root, 'web', 'src', 'i18n', file), 'utf8');
  const out = {};
  let current = null;
  for (const line of text.split('\n')) {
    const head = line.match(new RegExp(`^ {${indent}}([a-zA-Z_]+): \\{$`));
    if (head) {
      current = out[head[1]] = {};
      continue;
    }
    if (current && new RegExp(`^ {${indent}}\\}`).test(line)) {
      current = null;
      continue;
    }
    const entry = current && line.match(new RegExp(`^ {${indent + 2}}([a-z0-9_]+): '((?:[^'\\\\]|\\\\.)*)',?$`));
    if (entry) current[entry[1]] = entry[2];
  }
  return { out, text };
}

const zh = sections('messages.zh-CN.ts', 2).out;
const en = sections('messages.en.ts', 2).out;
const zhExam = sections('exam.zh-CN.ts', 4).out;
const enExam = sections('exam.en.ts', 4).out;

const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
function need(kind, key, where, zhSection, enSection, path) {
  for (const [lang, section] of [['zh-CN', zhSection], ['en', enSection]]) {
    if (!section || !(key in section)) problems.push(`${where}: ${kind} "${key}" has no ${lang} text (${path})`);
  }
  if (zhSection?.[key] !== undefined && enSection?.[key] !== undefined &&
      placeholders(zhSection[key]) !== placeholders(enSection[key])) {
    problems.push(`${kind} "${key}": the zh-CN and en texts use different placeholders`);
  }
}

for (const c of codes) need('error code', c, 'src/core/error.cpp', zh.codes, en.codes, 'errors.codes');
for (const [k, where] of emitted) need('message key', k, where, zh.rules, en.rules, 'errors.rules');
for (const [k, where] of gates) need('gate', k, where, zhExam.gates, enExam.gates, 'screening.gates');

// 「事件已已确认」: a text that doubles a character, or a placeholder after 已 filled with a state
// label that starts with 已 again.
for (const file of readdirSync(join(root, 'web', 'src', 'i18n')).filter((f) => f.includes('zh-CN'))) {
  const text = readFileSync(join(root, 'web', 'src', 'i18n', file), 'utf8');
  for (const m of text.matchAll(/(已已|的的|了了|请请|已\{state\})/g)) {
    problems.push(`web/src/i18n/${file}: "${m[1]}" doubles a character`);
  }
}

// The scan must keep seeing what the server emits: a broken pattern would pass everything.
const expectAtLeast = { 'error codes': [codes.length, 14], 'message keys': [emitted.size, 40], gates: [gates.size, 10] };
for (const [what, [n, min]] of Object.entries(expectAtLeast)) {
  if (n < min) problems.push(`found only ${n} ${what} in src/ (expected at least ${min}): the scan is broken`);
}
for (const k of ['required', 'check_digit', 'signin_rate_limit', 'unique_document', 'weak_password_common', 'gate_open', 'written_report_missing']) {
  if (!emitted.has(k)) problems.push(`the scan no longer finds message key "${k}"`);
}

if (problems.length) {
  for (const p of problems) console.error(p);
  console.error(`${problems.length} problem(s)`);
  process.exit(1);
}
if (process.env.LIST_KEYS) console.log([...emitted.keys()].sort().join(" "));
console.log(`${codes.length} error codes, ${emitted.size} message keys and ${gates.size} gates: all have zh-CN and en texts`);
