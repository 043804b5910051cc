-- Outcomes (issue 10, decision 0020): the one record of what became of a woman, which
-- every module writes, the organisation's list of kinds of outcome, and evidence files.

-- Kinds are like delivery kinds: a default one's names are the catalog's
-- (outcome.kind.<code>), so its columns of names stay empty.
CREATE TABLE outcome_kinds (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    code TEXT NOT NULL,
    name_kk TEXT NOT NULL DEFAULT '',
    name_ru TEXT NOT NULL DEFAULT '',
    name_ky TEXT NOT NULL DEFAULT '',
    name_en TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    retired_at {{time}},
    UNIQUE (org_id, code)
);

INSERT INTO outcome_kinds (org_id, code, position)
SELECT o.id, k.code, k.position FROM organizations o CROSS JOIN (
    SELECT 'employed' AS code, 1 AS position UNION ALL SELECT 'self_employed', 2
    UNION ALL SELECT 'business_started', 3 UNION ALL SELECT 'income_increased', 4
    UNION ALL SELECT 'divorce_application_withdrawn', 5 UNION ALL SELECT 'reconciled', 6
    UNION ALL SELECT 'scholarship_renewed', 7) k;

-- value is a whole number when currency is '', else money in minor units of currency;
-- NULL when the outcome measured nothing. source is 'manual' or the module that wrote
-- the row, whose record is source_id.
CREATE TABLE outcomes (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    center_id BIGINT NOT NULL REFERENCES centers (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    program_id BIGINT REFERENCES programs (id),
    date TEXT NOT NULL,                -- YYYY-MM-DD
    kind TEXT NOT NULL,
    value BIGINT,
    currency TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL DEFAULT '',
    recorded_by BIGINT REFERENCES users (id),
    source TEXT NOT NULL,
    source_id BIGINT,
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX outcomes_person ON outcomes (person_id, id);
CREATE INDEX outcomes_org ON outcomes (org_id, center_id, date);
CREATE INDEX outcomes_program ON outcomes (program_id, date);

-- An outcome's evidence file, its content sealed with the data key of the person
-- key_person_id (her record when it was attached). Anonymising her deletes the row.
CREATE TABLE outcome_files (
    outcome_id BIGINT PRIMARY KEY REFERENCES outcomes (id),
    key_person_id BIGINT NOT NULL REFERENCES people (id),
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    size BIGINT NOT NULL,
    content {{blob}} NOT NULL
);
CREATE INDEX outcome_files_person ON outcome_files (key_person_id);
