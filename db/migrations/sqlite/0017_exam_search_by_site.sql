-- Exam search by site (issue 13 D.31): a department's list is its own site's exams, and the
-- indexes of 0005 walk every site's exams in date order, reading ten rows for each one shown
-- when there are ten sites. Led by the site, a one-site search walks only its own rows, newest
-- first, without sorting; a search over several sites uses the old indexes as before.
CREATE INDEX exams_site_modality_state_ordered ON exams (site_id, modality, state, ordered_at);
CREATE INDEX exams_site_ordered ON exams (site_id, ordered_at);
