-- Issue 14 item 7: a clinician's account names their ordering department (申请科室), so the order
-- form starts with it. The department belongs to org; auth checks it through org's header.
ALTER TABLE users ADD COLUMN ordering_department_id INTEGER REFERENCES ordering_departments(id);
