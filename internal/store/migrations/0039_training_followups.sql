-- Trainings (issue 12, decision 0033): follow-ups of the women who completed a course, the
-- one-time links through which a woman answers herself, and what the figures read fast.

-- The months after completion a course's follow-ups fall due, comma separated; '' none.
ALTER TABLE courses ADD COLUMN followup_months TEXT NOT NULL DEFAULT '3,6,12';

-- A follow-up recorded: one per enrolment and month. A follow-up not yet recorded has no
-- row: it is computed from the completed enrolments and their course's months. It is
-- keyed by the enrolment, so a merge that moves enrolments moves its follow-ups too.
-- business_kind and comment are her words: anonymising her blanks them.
CREATE TABLE training_followups (
    id {{id}},
    enrollment_id BIGINT NOT NULL REFERENCES enrollments (id),
    months INTEGER NOT NULL,
    due_on TEXT NOT NULL,               -- YYYY-MM-DD
    employment TEXT NOT NULL,
    business BOOLEAN NOT NULL DEFAULT FALSE,
    business_kind TEXT NOT NULL DEFAULT '',
    business_registered BOOLEAN NOT NULL DEFAULT FALSE,
    business_employees INTEGER NOT NULL DEFAULT 0,
    income_band TEXT NOT NULL DEFAULT '',
    helped TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    via TEXT NOT NULL,                  -- call | link
    recorded_on TEXT NOT NULL,
    recorded_by BIGINT REFERENCES users (id),
    created_at {{time}} NOT NULL,
    UNIQUE (enrollment_id, months)
);
CREATE INDEX training_followups_months ON training_followups (months, enrollment_id);

-- A one-time link sent to her: only a hash of its secret, used once, expiring.
CREATE TABLE training_followup_links (
    token_hash TEXT PRIMARY KEY,
    enrollment_id BIGINT NOT NULL REFERENCES enrollments (id),
    months INTEGER NOT NULL,
    lang TEXT NOT NULL,
    expires_at {{time}} NOT NULL,
    used_at {{time}},
    created_by BIGINT REFERENCES users (id),
    created_at {{time}} NOT NULL
);
CREATE INDEX training_followup_links_enrollment ON training_followup_links (enrollment_id);

-- The figures count a programme's cohorts' enrolments by status, and their attendance.
-- Reading two million marks for a programme takes seconds, so each enrolment keeps the
-- count of its marks and of those present or late, kept by the database itself whichever
-- module writes marks (a mark written, changed, moved to another enrolment or deleted),
-- and the figures read 100,000 enrolments instead. Marks already written are counted here.
ALTER TABLE enrollments ADD COLUMN marks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE enrollments ADD COLUMN attended INTEGER NOT NULL DEFAULT 0;
UPDATE enrollments SET marks = (SELECT COUNT(*) FROM training_marks m WHERE m.enrollment_id = enrollments.id),
    attended = (SELECT COUNT(*) FROM training_marks m WHERE m.enrollment_id = enrollments.id AND m.mark IN ('present', 'late'));
-- dialect: sqlite
CREATE TRIGGER training_marks_counted AFTER INSERT ON training_marks
BEGIN UPDATE enrollments SET marks = marks + 1,
    attended = attended + CASE WHEN NEW.mark IN ('present', 'late') THEN 1 ELSE 0 END WHERE id = NEW.enrollment_id; END;
CREATE TRIGGER training_marks_uncounted AFTER DELETE ON training_marks
BEGIN UPDATE enrollments SET marks = marks - 1,
    attended = attended - CASE WHEN OLD.mark IN ('present', 'late') THEN 1 ELSE 0 END WHERE id = OLD.enrollment_id; END;
CREATE TRIGGER training_marks_recounted AFTER UPDATE OF mark, enrollment_id ON training_marks
BEGIN UPDATE enrollments SET marks = marks - 1,
    attended = attended - CASE WHEN OLD.mark IN ('present', 'late') THEN 1 ELSE 0 END WHERE id = OLD.enrollment_id;
UPDATE enrollments SET marks = marks + 1,
    attended = attended + CASE WHEN NEW.mark IN ('present', 'late') THEN 1 ELSE 0 END WHERE id = NEW.enrollment_id; END;
-- dialect: postgres
CREATE FUNCTION training_marks_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE enrollments SET marks = marks - 1,
            attended = attended - CASE WHEN OLD.mark IN ('present', 'late') THEN 1 ELSE 0 END WHERE id = OLD.enrollment_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        UPDATE enrollments SET marks = marks + 1,
            attended = attended + CASE WHEN NEW.mark IN ('present', 'late') THEN 1 ELSE 0 END WHERE id = NEW.enrollment_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER training_marks_counted AFTER INSERT OR DELETE OR UPDATE OF mark, enrollment_id ON training_marks
FOR EACH ROW EXECUTE FUNCTION training_marks_count();
-- dialect: all
-- Each cohort keeps the same counts for its women, and the enrolments that took a place
-- (enrolled, completed, dropped out) and completed, so that a programme's figures read
-- its cohorts — 4,000 rows, not 100,000 — kept by the database whatever changes an
-- enrolment (a status, a move, a mark).
ALTER TABLE cohorts ADD COLUMN took INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cohorts ADD COLUMN completed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cohorts ADD COLUMN marks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cohorts ADD COLUMN attended INTEGER NOT NULL DEFAULT 0;
UPDATE cohorts SET
    took = (SELECT COUNT(*) FROM enrollments e WHERE e.cohort_id = cohorts.id AND e.status IN ('enrolled', 'completed', 'dropped')),
    completed = (SELECT COUNT(*) FROM enrollments e WHERE e.cohort_id = cohorts.id AND e.status = 'completed'),
    marks = (SELECT COALESCE(SUM(e.marks), 0) FROM enrollments e WHERE e.cohort_id = cohorts.id),
    attended = (SELECT COALESCE(SUM(e.attended), 0) FROM enrollments e WHERE e.cohort_id = cohorts.id);
-- dialect: sqlite
CREATE TRIGGER enrollments_counted AFTER INSERT ON enrollments
BEGIN UPDATE cohorts SET took = took + CASE WHEN NEW.status IN ('enrolled', 'completed', 'dropped') THEN 1 ELSE 0 END,
    completed = completed + CASE WHEN NEW.status = 'completed' THEN 1 ELSE 0 END,
    marks = marks + NEW.marks, attended = attended + NEW.attended WHERE id = NEW.cohort_id; END;
CREATE TRIGGER enrollments_uncounted AFTER DELETE ON enrollments
BEGIN UPDATE cohorts SET took = took - CASE WHEN OLD.status IN ('enrolled', 'completed', 'dropped') THEN 1 ELSE 0 END,
    completed = completed - CASE WHEN OLD.status = 'completed' THEN 1 ELSE 0 END,
    marks = marks - OLD.marks, attended = attended - OLD.attended WHERE id = OLD.cohort_id; END;
CREATE TRIGGER enrollments_recounted AFTER UPDATE OF status, cohort_id, marks, attended ON enrollments
BEGIN UPDATE cohorts SET took = took - CASE WHEN OLD.status IN ('enrolled', 'completed', 'dropped') THEN 1 ELSE 0 END,
    completed = completed - CASE WHEN OLD.status = 'completed' THEN 1 ELSE 0 END,
    marks = marks - OLD.marks, attended = attended - OLD.attended WHERE id = OLD.cohort_id;
UPDATE cohorts SET took = took + CASE WHEN NEW.status IN ('enrolled', 'completed', 'dropped') THEN 1 ELSE 0 END,
    completed = completed + CASE WHEN NEW.status = 'completed' THEN 1 ELSE 0 END,
    marks = marks + NEW.marks, attended = attended + NEW.attended WHERE id = NEW.cohort_id; END;
-- dialect: postgres
CREATE FUNCTION enrollments_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE cohorts SET took = took - CASE WHEN OLD.status IN ('enrolled', 'completed', 'dropped') THEN 1 ELSE 0 END,
            completed = completed - CASE WHEN OLD.status = 'completed' THEN 1 ELSE 0 END,
            marks = marks - OLD.marks, attended = attended - OLD.attended WHERE id = OLD.cohort_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        UPDATE cohorts SET took = took + CASE WHEN NEW.status IN ('enrolled', 'completed', 'dropped') THEN 1 ELSE 0 END,
            completed = completed + CASE WHEN NEW.status = 'completed' THEN 1 ELSE 0 END,
            marks = marks + NEW.marks, attended = attended + NEW.attended WHERE id = NEW.cohort_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER enrollments_counted AFTER INSERT OR DELETE OR UPDATE OF status, cohort_id, marks, attended ON enrollments
FOR EACH ROW EXECUTE FUNCTION enrollments_count();
-- dialect: all
-- The enrolments of cohorts, read with what the figures count by her region; a
-- programme's courses.
CREATE INDEX enrollments_figures ON enrollments (cohort_id, status, person_id, marks, attended);
CREATE INDEX courses_program ON courses (program_id, id);
