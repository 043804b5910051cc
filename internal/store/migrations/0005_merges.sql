-- Suspected duplicates waiting for someone to decide, and merges of two records into one,
-- kept so that each can be undone.

-- A pair names the smaller id first, so that one pair of people is one row.
CREATE TABLE duplicate_pairs (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    other_id BIGINT NOT NULL REFERENCES people (id),
    reason TEXT NOT NULL,                 -- identity, phone or name_birth: the strongest found
    found_at {{time}} NOT NULL,
    resolved_at {{time}},
    resolved_by BIGINT REFERENCES users (id),
    resolution TEXT NOT NULL DEFAULT '',  -- '' while open, merged or distinct
    UNIQUE (person_id, other_id),
    CHECK (person_id < other_id)
);
CREATE INDEX duplicate_pairs_open ON duplicate_pairs (org_id, resolution, id);
CREATE INDEX duplicate_pairs_other ON duplicate_pairs (other_id);

-- kept_before is the kept record as it was, sealed (it holds her identity number and
-- sensitive categories); moved lists the rows the merge moved or dropped, by id.
CREATE TABLE person_merges (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    kept_id BIGINT NOT NULL REFERENCES people (id),
    merged_id BIGINT NOT NULL REFERENCES people (id),
    kept_before TEXT NOT NULL,
    moved TEXT NOT NULL,
    merged_by BIGINT REFERENCES users (id),
    merged_at {{time}} NOT NULL,
    undone_at {{time}},
    undone_by BIGINT REFERENCES users (id)
);
CREATE INDEX person_merges_kept ON person_merges (kept_id, id);
CREATE INDEX person_merges_merged ON person_merges (merged_id, id);
