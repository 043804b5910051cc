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

-- Who comes to a session: people of the case (the partners, a child). A person link:
-- merge moves the rows (by id, so undo moves exactly those back); anonymisation keeps
-- them, for the counts of sessions and services.
CREATE TABLE case_session_people (
    id {{id}},
    session_id BIGINT NOT NULL REFERENCES case_sessions (id),
    person_id BIGINT NOT NULL REFERENCES people (id)
);
CREATE INDEX case_session_people_session ON case_session_people (session_id);
CREATE INDEX case_session_people_person ON case_session_people (person_id);

-- A worker's private notes of a session, sealed with the key of the case's first
-- partner (key_person_id), read only by their author and the centre's supervisors.
-- They stay with the record whose key sealed them and are erased with her.
CREATE TABLE case_session_notes (
    id {{id}},
    session_id BIGINT NOT NULL REFERENCES case_sessions (id),
    author_id BIGINT REFERENCES users (id),
    key_person_id BIGINT NOT NULL REFERENCES people (id),
    body TEXT NOT NULL,
    created_at {{time}} NOT NULL
);
CREATE INDEX case_session_notes_session ON case_session_notes (session_id);
CREATE INDEX case_session_notes_person ON case_session_notes (key_person_id);
