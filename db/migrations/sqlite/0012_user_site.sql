-- Access by role and site (domain.md §9): an account works on the records of its site
-- (users.site_id). Accounts linked to a staff record but given no site get the staff record's.
UPDATE users SET site_id = (SELECT s.site_id FROM staff s WHERE s.id = users.staff_id)
WHERE site_id IS NULL AND staff_id IS NOT NULL;
