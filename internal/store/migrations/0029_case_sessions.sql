-- Sessions of family cases (issue 11, decision 0025): an appointment of a case with one
-- worker, in a room of the case's centre, from starts_at to ends_at. type is individual,
-- couple, mediation, family or child; attendance is empty until it is marked, then came,
-- no_show, cancelled_client or cancelled_center. org_id and center_id are the case's,
-- copied so that a centre's calendar and figures read one table.
CREATE TABLE case_sessions (
    id {{id}},
    case_id BIGINT NOT NULL REFERENCES cases (id),
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    center_id BIGINT NOT NULL REFERENCES centers (id),
    type TEXT NOT NULL,
    worker_id BIGINT NOT NULL REFERENCES users (id),
    room TEXT NOT NULL DEFAULT '',
    starts_at {{time}} NOT NULL,
    ends_at {{time}} NOT NULL,
    attendance TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users (id),
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
-- A worker's week (and her clashes, across all her centres), an office's week (and its
-- rooms' clashes), a case's sessions.
CREATE INDEX case_sessions_worker ON case_sessions (worker_id, starts_at);
CREATE INDEX case_sessions_center ON case_sessions (center_id, starts_at);
CREATE INDEX case_sessions_case ON case_sessions (case_id, starts_at);
