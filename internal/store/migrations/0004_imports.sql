-- Imports of people from CSV or XLSX files: the file waits here, sealed, between the
-- check and the apply, and is emptied once applied. The report lists bad rows by line
-- and field, never their values.
CREATE TABLE imports (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    center_id BIGINT NOT NULL REFERENCES centers (id), -- for rows that name no centre
    user_id BIGINT REFERENCES users (id),
    file_name TEXT NOT NULL,
    content TEXT NOT NULL DEFAULT '',                  -- the file, sealed
    columns TEXT NOT NULL DEFAULT '',                  -- JSON list: each column's heading and first value
    mapping TEXT NOT NULL DEFAULT '',                  -- JSON list: the field of each column
    state TEXT NOT NULL,                               -- checking, checked, applying, applied, failed
    report TEXT NOT NULL DEFAULT '',                   -- JSON ImportReport
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX imports_user ON imports (user_id, id);

-- The whole registry in name order, for those who see every organisation (installation
-- administrators): without it, their list sorted a million rows for each page.
CREATE INDEX people_sort ON people (sort_key, id);

-- The list walks a centre's (or an organisation's) people in name order and tests each
-- against the filters; with the columns the filters read in the index, only the fifty
-- people shown are read from the table. (On a million people, a page filtered by sex and
-- age went from 540 to 1,700 requests a second, and a district with nobody in the
-- centre from 4.6 s to 0.35 s.)
DROP INDEX people_center_sort;
CREATE INDEX people_center_sort ON people (center_id, sort_key, id, merged_into, anonymized_at, sex, birth_date,
    birth_year, region, district);
DROP INDEX people_org_sort;
CREATE INDEX people_org_sort ON people (org_id, sort_key, id, merged_into, anonymized_at, sex, birth_date,
    birth_year, region, district);
