-- Safety plans, the directory of outside services, and referrals (issue 11, decision 0026).

-- A survivor's safety plan on a flagged case: one per partner per case. plan is its
-- fields as one JSON value sealed with her key; org_id and center_id are the case's,
-- copied for the figures.
CREATE TABLE safety_plans (
    id {{id}},
    case_id BIGINT NOT NULL REFERENCES cases (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    center_id BIGINT NOT NULL REFERENCES centers (id),
    plan TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL,
    UNIQUE (case_id, person_id)
);
CREATE INDEX safety_plans_person ON safety_plans (person_id);

-- An organisation's directory of outside services to refer people to. kind is
-- crisis_center, shelter, legal_aid, police, health or other.
CREATE TABLE services (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    retired BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX services_org ON services (org_id, name);

-- A person referred from a centre (org_id, from_center_id: the sender's) to another
-- Birge centre (to_center_id) or to a service of the directory (service_id). name,
-- contact and note are all the receiving side reads; anonymisation blanks them and keeps
-- the row for the counts. status is sent, accepted, completed or declined.
CREATE TABLE referrals (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    from_center_id BIGINT NOT NULL REFERENCES centers (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    case_id BIGINT REFERENCES cases (id),
    to_center_id BIGINT REFERENCES centers (id),
    service_id BIGINT REFERENCES services (id),
    name TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    follow_up_on TEXT NOT NULL DEFAULT '',
    chosen_by_her BOOLEAN NOT NULL DEFAULT FALSE,
    created_by BIGINT REFERENCES users (id),
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX referrals_from ON referrals (from_center_id, id);
CREATE INDEX referrals_to ON referrals (to_center_id, id);
CREATE INDEX referrals_person ON referrals (person_id);
CREATE INDEX referrals_case ON referrals (case_id);
