-- Foundation: organisations, centres, users and their roles, sessions, API tokens,
-- sign-in throttling, the one-time setup token and the hash-chained audit log.

CREATE TABLE organizations (
    id {{id}},
    name_kk TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_ky TEXT NOT NULL,
    name_en TEXT NOT NULL,
    country TEXT NOT NULL,
    website TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);

CREATE TABLE centers (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    name_kk TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_ky TEXT NOT NULL,
    name_en TEXT NOT NULL,
    type TEXT NOT NULL,
    country TEXT NOT NULL,
    region TEXT NOT NULL,
    district TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    time_zone TEXT NOT NULL,
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX centers_org ON centers (org_id);

CREATE TABLE users (
    id {{id}},
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    lang TEXT NOT NULL,
    org_id BIGINT REFERENCES organizations (id),
    password_hash TEXT NOT NULL DEFAULT '',
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX users_org ON users (org_id);

-- A grant with no organisation is a role on the whole installation; with an organisation
-- and no centre, on the whole organisation.
CREATE TABLE grants (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    org_id BIGINT REFERENCES organizations (id),
    center_id BIGINT REFERENCES centers (id),
    created_at {{time}} NOT NULL
);
CREATE UNIQUE INDEX grants_unique ON grants (user_id, role, COALESCE(org_id, 0), COALESCE(center_id, 0));
CREATE INDEX grants_org ON grants (org_id);
CREATE INDEX grants_center ON grants (center_id);

-- Sessions live in the database so that several instances can serve behind a load
-- balancer. Only a hash of the cookie's token is stored.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at {{time}} NOT NULL,
    expires_at {{time}} NOT NULL,
    ip TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE tokens (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at {{time}} NOT NULL,
    last_used_at {{time}}
);
CREATE INDEX tokens_user ON tokens (user_id);

-- Failed sign-ins per account and per address, for throttling.
CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failure {{time}} NOT NULL
);

CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    created_at {{time}} NOT NULL
);

-- audit_head holds the newest entry's sequence number and hash. Each append first
-- updates this one row, which serialises appends in both databases.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at {{time}} NOT NULL,
    actor_id BIGINT,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT,
    org_id BIGINT,
    center_id BIGINT,
    ip TEXT NOT NULL DEFAULT '',
    changes TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_org ON audit_log (org_id, seq);
CREATE INDEX audit_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_actor ON audit_log (actor_id, seq);

-- The log is append-only: the database itself refuses to change or remove an entry.
-- dialect: sqlite
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
-- dialect: postgres
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit log is append-only'; END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
