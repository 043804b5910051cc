-- Safety screenings of the partners of a family case (issue 11, decision 0024).

-- The versions of an organisation's questionnaire; its current one is the latest. A
-- version's questions are JSON; an empty one is Birge's default (birge.DefaultQuestions).
-- Editing a version comes later; an organisation gets its first version when it first
-- screens or asks for the questions.
CREATE TABLE screening_versions (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    questions TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL
);
CREATE INDEX screening_versions_org ON screening_versions (org_id, id);

-- One partner screened alone. answers is her answers and fear, sealed with her key;
-- result stays readable for the case's flag.
CREATE TABLE screenings (
    id {{id}},
    case_id BIGINT NOT NULL REFERENCES cases (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    version_id BIGINT NOT NULL REFERENCES screening_versions (id),
    alone BOOLEAN NOT NULL,
    answers TEXT NOT NULL,
    result TEXT NOT NULL,
    screened_by BIGINT REFERENCES users (id),
    screened_at {{time}} NOT NULL
);
CREATE INDEX screenings_case ON screenings (case_id, id);
CREATE INDEX screenings_person ON screenings (person_id);

-- The flag of a case: risk is its highest result; lifting it (override) and a
-- supervisor's review of a danger case are recorded on the case.
ALTER TABLE cases ADD COLUMN risk TEXT NOT NULL DEFAULT 'none';
ALTER TABLE cases ADD COLUMN override_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN override_by BIGINT REFERENCES users (id);
ALTER TABLE cases ADD COLUMN override_at {{time}};
ALTER TABLE cases ADD COLUMN reviewed_by BIGINT REFERENCES users (id);
ALTER TABLE cases ADD COLUMN reviewed_at {{time}};
