-- Categories per organisation (decision 0011). Every organisation holds the nine defaults
-- as rows, so that retiring one, and the order of the list, work as for its own. Defaults
-- keep empty names: the catalog names them in every language. A person's categories
-- still refer to them by code (person_categories, people.sensitive_sealed).

CREATE TABLE categories (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    code TEXT NOT NULL,
    sensitive BOOLEAN NOT NULL DEFAULT FALSE,
    name_kk TEXT NOT NULL DEFAULT '',
    name_ru TEXT NOT NULL DEFAULT '',
    name_ky TEXT NOT NULL DEFAULT '',
    name_en TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    retired_at {{time}},
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL,
    UNIQUE (org_id, code)
);

-- The defaults of the organisations there already; store.CreateOrg adds them to new ones.
INSERT INTO categories (org_id, code, sensitive, position, created_at, updated_at)
SELECT o.id, d.code, d.sensitive, d.position, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
FROM organizations o CROSS JOIN (
    SELECT 'special_needs_mother' AS code, FALSE AS sensitive, 1 AS position
    UNION ALL SELECT 'dv_survivor', TRUE, 2
    UNION ALL SELECT 'rural', FALSE, 3
    UNION ALL SELECT 'unemployed', FALSE, 4
    UNION ALL SELECT 'self_employed', FALSE, 5
    UNION ALL SELECT 'stay_at_home_mother', FALSE, 6
    UNION ALL SELECT 'low_income', FALSE, 7
    UNION ALL SELECT 'large_family', FALSE, 8
    UNION ALL SELECT 'disability', FALSE, 9
) d;
