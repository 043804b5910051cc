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

-- The figures count a programme's cohorts' enrolments by status, and their marks: these
-- let both databases read each from an index alone.
CREATE INDEX enrollments_figures ON enrollments (cohort_id, status, person_id);
CREATE INDEX courses_program ON courses (program_id, id);
