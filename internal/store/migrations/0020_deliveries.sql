-- Service deliveries (issue 10, decision 0019): the one record every module writes when
-- it serves a woman, and the organisation's list of kinds of service.

-- Kinds are like categories: a default one's names are the catalog's
-- (delivery.kind.<code>), so its columns of names stay empty.
CREATE TABLE delivery_kinds (
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

INSERT INTO delivery_kinds (org_id, code, position)
SELECT o.id, k.code, k.position FROM organizations o CROSS JOIN (
    SELECT 'consultation' AS code, 1 AS position UNION ALL SELECT 'counselling_session', 2
    UNION ALL SELECT 'mediation', 3 UNION ALL SELECT 'training_session', 4
    UNION ALL SELECT 'legal_advice', 5 UNION ALL SELECT 'grant_payment', 6) k;

-- quantity holds hours or sessions, or a payment's amount in minor units of currency.
-- source is 'manual' or the module that wrote the row, whose record is source_id.
CREATE TABLE deliveries (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    center_id BIGINT NOT NULL REFERENCES centers (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    program_id BIGINT REFERENCES programs (id),
    date TEXT NOT NULL,                -- YYYY-MM-DD
    time TEXT NOT NULL DEFAULT '',     -- HH:MM, or ''
    kind TEXT NOT NULL,
    quantity BIGINT NOT NULL,
    unit TEXT NOT NULL,
    currency TEXT NOT NULL DEFAULT '',
    staff_id BIGINT REFERENCES users (id),
    note TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL,
    source_id BIGINT,
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX deliveries_person ON deliveries (person_id, id);
CREATE INDEX deliveries_org ON deliveries (org_id, center_id, date);
CREATE INDEX deliveries_program ON deliveries (program_id, date);
