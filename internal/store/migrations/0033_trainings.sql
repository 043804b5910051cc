-- Trainings (issue 12, decision 0029), first slice: an organisation's course catalogue,
-- cohorts with their trainers and training sessions, and enrolments with a waiting list.

CREATE TABLE courses (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    program_id BIGINT REFERENCES programs (id),
    name_kk TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_ky TEXT NOT NULL,
    name_en TEXT NOT NULL,
    description_kk TEXT NOT NULL DEFAULT '',
    description_ru TEXT NOT NULL DEFAULT '',
    description_ky TEXT NOT NULL DEFAULT '',
    description_en TEXT NOT NULL DEFAULT '',
    hours INTEGER NOT NULL,
    online BOOLEAN NOT NULL DEFAULT FALSE,
    min_attendance DOUBLE PRECISION NOT NULL DEFAULT 0,  -- a share, 0 to 1
    project BOOLEAN NOT NULL DEFAULT FALSE,
    retired_at {{time}},
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX courses_org ON courses (org_id, id);

-- center_id is NULL for a cohort held at a village venue, seen then by those who hold a
-- grant on the whole organisation. The eligibility lists are codes, comma separated.
CREATE TABLE cohorts (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    course_id BIGINT NOT NULL REFERENCES courses (id),
    center_id BIGINT REFERENCES centers (id),
    venue TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL,
    capacity INTEGER NOT NULL,
    starts_on TEXT NOT NULL,            -- YYYY-MM-DD
    ends_on TEXT NOT NULL,
    eligible_categories TEXT NOT NULL DEFAULT '',
    eligible_regions TEXT NOT NULL DEFAULT '',
    min_age INTEGER NOT NULL DEFAULT 0,
    max_age INTEGER NOT NULL DEFAULT 0,
    rural_only BOOLEAN NOT NULL DEFAULT FALSE,
    created_by BIGINT REFERENCES users (id),
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX cohorts_center ON cohorts (org_id, center_id, id);
CREATE INDEX cohorts_course ON cohorts (course_id, id);

CREATE TABLE cohort_trainers (
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (cohort_id, user_id)
);
CREATE INDEX cohort_trainers_user ON cohort_trainers (user_id, cohort_id);

CREATE TABLE training_sessions (
    id {{id}},
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id),
    starts_at {{time}} NOT NULL,
    ends_at {{time}} NOT NULL,
    venue TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX training_sessions_cohort ON training_sessions (cohort_id, starts_at);

-- A woman in a cohort. No uniqueness on (cohort, person): enrolling twice is refused
-- under the cohort's row lock, and a merge of two records both enrolled moves both rows
-- (undo moves them back). position orders the waiting list; 0 off it.
CREATE TABLE enrollments (
    id {{id}},
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    status TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    reason TEXT NOT NULL DEFAULT '',
    childcare BOOLEAN NOT NULL DEFAULT FALSE,
    special_needs BOOLEAN NOT NULL DEFAULT FALSE,
    accommodation TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users (id),
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX enrollments_cohort ON enrollments (cohort_id, status, position, id);
CREATE INDEX enrollments_person ON enrollments (person_id, id);
