-- Requests for a consultation sent from the public site (issue 11, decision 0028). She
-- is not in the registry until the office takes her in: what she wrote (her name, phone,
-- how she may be contacted, what about, her words) is one JSON value sealed with the
-- installation's key, and, once she is taken in, with her own key (key_person_id). Only
-- the office, the day, her language and what became of the request stay readable.
CREATE TABLE case_requests (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    center_id BIGINT NOT NULL REFERENCES centers (id),
    lang TEXT NOT NULL,
    sealed TEXT NOT NULL,
    status TEXT NOT NULL,               -- new, accepted or declined
    case_id BIGINT REFERENCES cases (id),
    key_person_id BIGINT REFERENCES people (id),
    decided_by BIGINT REFERENCES users (id),
    decided_at {{time}},
    created_at {{time}} NOT NULL
);
CREATE INDEX case_requests_center ON case_requests (center_id, status, id);
CREATE INDEX case_requests_person ON case_requests (key_person_id);
