-- Name pinyin search (domain.md §2): the pinyin is generated from the shipped character table or
-- typed at registration; its key (no spaces) and initials are searched by prefix. Rows written
-- before this migration are filled in at start-up (exam::store::FillMissingPinyin).
ALTER TABLE patients ADD COLUMN pinyin_key TEXT NOT NULL DEFAULT '';
ALTER TABLE patients ADD COLUMN pinyin_initials TEXT NOT NULL DEFAULT '';
DROP INDEX patients_pinyin;
CREATE INDEX patients_pinyin_key ON patients (pinyin_key);
CREATE INDEX patients_pinyin_initials ON patients (pinyin_initials);
