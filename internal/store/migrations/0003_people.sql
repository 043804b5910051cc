-- People: the registry of the women, children and families served. Identity numbers and
-- sensitive categories are sealed (AES-GCM, key in the data folder) and found by keyed
-- hash; names are found through their folded, transliterated words in person_names.

CREATE TABLE people (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    center_id BIGINT NOT NULL REFERENCES centers (id),
    family_name TEXT NOT NULL DEFAULT '',
    given_name TEXT NOT NULL,
    patronymic TEXT NOT NULL DEFAULT '',
    name_key TEXT NOT NULL DEFAULT '',         -- birge.NameKey of the full name, to compare
    sort_key {{blob}} NOT NULL,                -- collation key of the full name, to sort
    sex TEXT NOT NULL DEFAULT '',
    birth_date TEXT NOT NULL DEFAULT '',       -- YYYY-MM-DD, or '' when unknown
    birth_year INTEGER,                        -- from birth_date, or approximate
    id_kind TEXT NOT NULL DEFAULT '',          -- iin, pin or ''
    id_sealed TEXT NOT NULL DEFAULT '',
    id_lookup TEXT NOT NULL DEFAULT '',
    id_masked TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    district TEXT NOT NULL DEFAULT '',
    settlement TEXT NOT NULL DEFAULT '',
    rural BOOLEAN NOT NULL DEFAULT FALSE,
    children INTEGER,                          -- number of children, when asked
    income_band TEXT NOT NULL DEFAULT '',
    special_needs BOOLEAN NOT NULL DEFAULT FALSE, -- for a child: disability or special educational needs
    may_call BOOLEAN NOT NULL DEFAULT FALSE,
    call_times TEXT NOT NULL DEFAULT '',
    may_leave_message BOOLEAN NOT NULL DEFAULT FALSE,
    sensitive_sealed TEXT NOT NULL DEFAULT '', -- sealed JSON list of sensitive category codes
    has_sensitive BOOLEAN NOT NULL DEFAULT FALSE, -- so that views of it go to the access log
    merged_into BIGINT REFERENCES people (id),
    anonymized_at {{time}},
    created_by BIGINT REFERENCES users (id),
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX people_center_sort ON people (center_id, sort_key, id);
CREATE INDEX people_org_sort ON people (org_id, sort_key, id);
CREATE INDEX people_id_lookup ON people (id_lookup);
CREATE INDEX people_org_birth ON people (org_id, birth_date);

-- Every word of every name, folded and transliterated: a search for a prefix is a range.
CREATE TABLE person_names (
    token {{key}} NOT NULL,
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    PRIMARY KEY (token, person_id)
);
CREATE INDEX person_names_person ON person_names (person_id);

CREATE TABLE person_phones (
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    phone TEXT NOT NULL, -- E.164
    position INTEGER NOT NULL,
    PRIMARY KEY (person_id, phone)
);
CREATE INDEX person_phones_phone ON person_phones (phone);

-- Categories that are not sensitive; sensitive ones live sealed in people.sensitive_sealed.
CREATE TABLE person_categories (
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    PRIMARY KEY (person_id, code)
);
CREATE INDEX person_categories_code ON person_categories (code, person_id);

CREATE TABLE consents (
    id {{id}},
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    channel TEXT NOT NULL,
    given_on TEXT NOT NULL, -- YYYY-MM-DD
    recorded_by BIGINT REFERENCES users (id),
    recorded_at {{time}} NOT NULL,
    withdrawn_on TEXT NOT NULL DEFAULT '',
    withdrawn_by BIGINT REFERENCES users (id)
);
CREATE INDEX consents_person ON consents (person_id);

-- A relation reads "person_id's <kind> is other_id": kind child means other_id is her child.
CREATE TABLE relations (
    id {{id}},
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    other_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    created_at {{time}} NOT NULL
);
CREATE INDEX relations_person ON relations (person_id);
CREATE INDEX relations_other ON relations (other_id);

-- Who looked at a record with sensitive data, or revealed an identity number. Append-only
-- like the audit log, but kept apart: views are many, and need no hash chain's lock.
CREATE TABLE access_log (
    id {{id}},
    at {{time}} NOT NULL,
    user_id BIGINT,
    actor_name TEXT NOT NULL,
    ip TEXT NOT NULL DEFAULT '',
    person_id BIGINT NOT NULL,
    org_id BIGINT NOT NULL,
    action TEXT NOT NULL -- view_sensitive, reveal_id, export
);
CREATE INDEX access_log_person ON access_log (person_id, id);
CREATE INDEX access_log_org ON access_log (org_id, id);
