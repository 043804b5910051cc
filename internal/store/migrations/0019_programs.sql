-- Programmes and who takes part in them (issue 10, decision 0018). Target groups and SDG
-- targets are short lists read with the programme and never searched, so they are kept
-- as comma-separated codes; the centres where it runs are rows, since lists filter by them.

CREATE TABLE programs (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    name_kk TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_ky TEXT NOT NULL,
    name_en TEXT NOT NULL,
    description_kk TEXT NOT NULL DEFAULT '',
    description_ru TEXT NOT NULL DEFAULT '',
    description_ky TEXT NOT NULL DEFAULT '',
    description_en TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    starts_on TEXT NOT NULL,             -- YYYY-MM-DD
    ends_on TEXT NOT NULL DEFAULT '',    -- YYYY-MM-DD, or '' while open-ended
    status TEXT NOT NULL,
    categories TEXT NOT NULL DEFAULT '', -- category codes, comma separated
    sdg_targets TEXT NOT NULL DEFAULT '',
    sensitive BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX programs_org ON programs (org_id, id);

CREATE TABLE program_centers (
    program_id BIGINT NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    center_id BIGINT NOT NULL REFERENCES centers (id),
    PRIMARY KEY (program_id, center_id)
);
CREATE INDEX program_centers_center ON program_centers (center_id, program_id);

-- A woman may join a programme again after leaving it, so a participation is a row of its
-- own (and merge moves it by id, undo moves exactly those back).
CREATE TABLE program_participants (
    id {{id}},
    program_id BIGINT NOT NULL REFERENCES programs (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    joined_on TEXT NOT NULL,          -- YYYY-MM-DD
    left_on TEXT NOT NULL DEFAULT '', -- YYYY-MM-DD, or '' while she takes part
    reason TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users (id),
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX program_participants_program ON program_participants (program_id, id);
CREATE INDEX program_participants_person ON program_participants (person_id);
