-- Family counselling and mediation cases (issue 11, decision 0023), first slice: the
-- case, its partners and children, and the organisation's list of reasons.

-- Reasons are kinds like delivery_kinds: a default one's names are the catalog's
-- (case.reason.<code>), so its columns of names stay empty.
CREATE TABLE case_reasons (
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

INSERT INTO case_reasons (org_id, code, position)
SELECT o.id, k.code, k.position FROM organizations o CROSS JOIN (
    SELECT 'communication' AS code, 1 AS position UNION ALL SELECT 'finances', 2
    UNION ALL SELECT 'in_laws', 3 UNION ALL SELECT 'infidelity', 4 UNION ALL SELECT 'alcohol_drugs', 5
    UNION ALL SELECT 'violence', 6 UNION ALL SELECT 'children', 7 UNION ALL SELECT 'housing', 8
    UNION ALL SELECT 'other', 9) k;

-- reasons are the codes, comma separated, in the order given.
CREATE TABLE cases (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    center_id BIGINT NOT NULL REFERENCES centers (id),
    intake_date TEXT NOT NULL,          -- YYYY-MM-DD
    reasons TEXT NOT NULL DEFAULT '',
    came_from TEXT NOT NULL,
    divorce_filed BOOLEAN NOT NULL DEFAULT FALSE,
    divorce_filed_on TEXT NOT NULL DEFAULT '',
    divorce_court TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    psychologist_id BIGINT REFERENCES users (id),
    mediator_id BIGINT REFERENCES users (id),
    created_by BIGINT REFERENCES users (id),
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX cases_center ON cases (center_id, status, id);
CREATE INDEX cases_psychologist ON cases (psychologist_id, id);
CREATE INDEX cases_mediator ON cases (mediator_id, id);

-- The family: each partner and child of a case, in the order given. Merge moves a row to
-- the kept record (by its id), undo moves it back.
CREATE TABLE case_people (
    id {{id}},
    case_id BIGINT NOT NULL REFERENCES cases (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    role TEXT NOT NULL,                 -- partner or child
    position INTEGER NOT NULL
);
CREATE INDEX case_people_case ON case_people (case_id, position);
CREATE INDEX case_people_person ON case_people (person_id, id);
