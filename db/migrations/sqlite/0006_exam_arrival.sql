-- Where the exam happens (room, or bedside / ward / operating room with a mobile device, staff
-- distance and shielding) and, for a patient flagged critical, who escorted them with which
-- rescue drugs — recorded at check-in (spec: domain.md §2 "Exam").
ALTER TABLE exams ADD COLUMN location TEXT NOT NULL DEFAULT 'room';
ALTER TABLE exams ADD COLUMN arrival_record TEXT NOT NULL DEFAULT '';
