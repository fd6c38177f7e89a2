-- Orders hardening (issue C.24, C.25, C.27).

-- C.24: the green-channel limits were swapped here (stroke 25 / chest pain 30) and measured from
-- arrival to start. They are settings now, tat.green_channel.<pathway>_minutes (stroke 30, chest
-- pain 25, start stamp to acquired — indicators.md tat.green_channel), versioned like every other
-- limit, so the column goes rather than stay as a second, wrong source.
ALTER TABLE pathways DROP COLUMN time_limit_minutes;

-- C.25: ordering departments (申请科室) are data of a site, with the emergency-department flag
-- that nat.er_report_2h counts by; his_code maps the HIS's department code onto the department.
CREATE TABLE ordering_departments (
  id INTEGER PRIMARY KEY,
  site_id INTEGER NOT NULL REFERENCES sites(id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  emergency INTEGER NOT NULL DEFAULT 0,
  his_code TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (site_id, code)
);
CREATE UNIQUE INDEX ordering_departments_his ON ordering_departments (site_id, his_code)
  WHERE his_code <> '';

-- Free-text departments of existing orders become departments of their site (codes D001, ... in
-- name order); a name with 急诊 in it is taken for the emergency department.
INSERT INTO ordering_departments (site_id, code, name, emergency, created_at, updated_at)
SELECT o.site_id, printf('D%03d', ROW_NUMBER() OVER (PARTITION BY o.site_id ORDER BY o.name)),
       o.name, o.name LIKE '%急诊%', CAST(strftime('%s', 'now') AS INTEGER) * 1000000,
       CAST(strftime('%s', 'now') AS INTEGER) * 1000000
FROM (SELECT DISTINCT site_id, ordering_department AS name FROM orders) o;

-- orders.ordering_department stays as the department's name when the order was written.
ALTER TABLE orders ADD COLUMN ordering_department_id INTEGER REFERENCES ordering_departments(id);
UPDATE orders SET ordering_department_id = (
  SELECT d.id FROM ordering_departments d
  WHERE d.site_id = orders.site_id AND d.name = orders.ordering_department);
CREATE INDEX orders_department ON orders (ordering_department_id);

-- The flag lives on the department now.
ALTER TABLE sites DROP COLUMN emergency_department;

-- C.27: which sites offer a catalogue item. Existing items stay offered wherever the
-- independent-centre rule (a) allows them (domain.md §1).
CREATE TABLE catalogue_item_sites (
  item_id INTEGER NOT NULL REFERENCES exam_items(id),
  site_id INTEGER NOT NULL REFERENCES sites(id),
  PRIMARY KEY (item_id, site_id)
) WITHOUT ROWID;
CREATE INDEX catalogue_item_sites_site ON catalogue_item_sites (site_id);
INSERT INTO catalogue_item_sites (item_id, site_id)
SELECT i.id, s.id FROM exam_items i, sites s
WHERE s.kind <> 'independent_center' OR i.category = 'diagnostic';
