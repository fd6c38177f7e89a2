-- Patient search in index order (issue 13 D.31): most users search the patients of their own
-- site, so each searched column also has an index led by the site. A one-site search then walks
-- only its own site's matches, in (column, id) order, without sorting; an all-sites search
-- walks the single-column indexes as before.
CREATE INDEX patients_site_name ON patients (site_id, name);
CREATE INDEX patients_site_pinyin_key ON patients (site_id, pinyin_key);
CREATE INDEX patients_site_pinyin_initials ON patients (site_id, pinyin_initials);
