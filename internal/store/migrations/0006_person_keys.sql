-- A data key per person, sealed with the master key. The values the audit log keeps about
-- a person are sealed with her key; anonymising her deletes it, which erases them while
-- the entries and their hash chain stay as they were (decision 0008).

CREATE TABLE person_keys (
    person_id BIGINT PRIMARY KEY REFERENCES people (id),
    key_sealed TEXT NOT NULL,
    created_at {{time}} NOT NULL
);
