// What someone who can write the database file (but has not the audit key) does to rewrite the
// trail: drop the append-only triggers, edit an entry, recompute every later hash with plain
// SHA-256 exactly as the server does, and move the head.
import { createHash } from 'node:crypto';
import { onPostgres, sql } from './server.mjs';

// The append-only triggers of the trail, by table (PostgreSQL needs the table to drop one).
const TRIGGERS = [
  ['audit_log_no_update', 'audit_log'], ['audit_log_no_delete', 'audit_log'],
  ['audit_log_append_at_head', 'audit_log'], ['audit_head_no_delete', 'audit_head'],
  ['audit_head_follows_log', 'audit_head'],
];
export function dropTriggers(db) {
  return TRIGGERS.map(([t, table]) => `DROP TRIGGER IF EXISTS ${t}${onPostgres(db) ? ` ON ${table}` : ''};`).join('\n');
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
  const select = `SELECT * FROM audit_log WHERE seq >= ${seq - 1} ORDER BY seq`;
  const rows = onPostgres(db)
    ? JSON.parse(sql(db, `SELECT COALESCE(json_agg(t), '[]') FROM (${select}) t`))
    : JSON.parse(sql(db, `.mode json\n${select};`) || '[]');
  if (!rows.some((r) => r.seq === seq)) throw new Error(`no audit entry ${seq} in ${db}`);
  let prev = seq === 1 ? '0'.repeat(64) : rows.shift().hash;
  const statements = ['BEGIN;', dropTriggers(db)];
  for (const r of rows) {
    if (r.seq === seq) r.actor = actor;
    const hash = chainHash(r, prev);
    statements.push(`UPDATE audit_log SET actor = '${r.actor.replaceAll("'", "''")}', prev_hash = '${prev}', hash = '${hash}' WHERE seq = ${r.seq};`);
    prev = hash;
  }
  statements.push(`UPDATE audit_head SET hash = '${prev}' WHERE id = 1;`, 'COMMIT;');
  sql(db, statements.join('\n'));
}
