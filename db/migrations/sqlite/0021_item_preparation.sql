-- Issue 14 item 4: each exam item's preparation instructions (检查前准备), printed on the
-- appointment slip. Existing items start without; the department writes its own in 检查项目.
ALTER TABLE exam_items ADD COLUMN preparation TEXT NOT NULL DEFAULT '';
