// What someone who can write the database file (but has not the audit key) does to rewrite the
// trail: drop the append-only triggers, edit an entry, recompute every later hash with plain
// SHA-256 exactly as the server does, and move the head.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';

export const DROP_TRIGGERS = [
  'audit_log_no_update', 'audit_log_no_delete', 'audit_log_append_at_head',
  'audit_head_no_delete', 'audit_head_follows_log',
].map((t) => `DROP TRIGGER IF EXISTS ${t};`).join('\n');

export function sqlite(db, sql) {
  return execFileSync('sqlite3', [db], { input: sql, encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['pipe', 'pipe', 'pipe'] });
}

// The server's ChainHash: every field length-prefixed (UTF-8 bytes), then SHA-256 as hex.
export function chainHash(r, prev) {
  const fields = [
    String(r.seq), String(r.at), r.actor_user_id == null ? '' : String(r.actor_user_id),
    r.actor, r.action, r.entity, r.entity_id, r.request_id, r.ip, r.before_digest,
    r.after_digest, r.detail, prev,
  ];
  return createHash('sha256')
    .update(fields.map((v) => `${Buffer.byteLength(v)}:${v};`).join(''))
    .digest('hex');
}

export function rewriteEntry(db, seq, actor) {
  const rows = JSON.parse(execFileSync('sqlite3', ['-json', db,
    `SELECT * FROM audit_log WHERE seq >= ${seq - 1} ORDER BY seq`], { encoding: 'utf8', maxBuffer: 1 << 28 }) || '[]');
  if (!rows.some((r) => r.seq === seq)) throw new Error(`no audit entry ${seq} in ${db}`);
  let prev = seq === 1 ? '0'.repeat(64) : rows.shift().hash;
  const sql = ['BEGIN;', DROP_TRIGGERS];
  for (const r of rows) {
    if (r.seq === seq) r.actor = actor;
    const hash = chainHash(r, prev);
    sql.push(`UPDATE audit_log SET actor = '${r.actor.replaceAll("'", "''")}', prev_hash = '${prev}', hash = '${hash}' WHERE seq = ${r.seq};`);
    prev = hash;
  }
  sql.push(`UPDATE audit_head SET hash = '${prev}' WHERE id = 1;`, 'COMMIT;');
  sqlite(db, sql.join('\n'));
}
