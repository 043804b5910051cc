-- Competitions (issue 13, decision 0037): awards made from awarded applications, paid in
-- tranches against approved evidence, and followed up at 6 and 12 months.
--
-- An award points at no person itself: it is the award of an application, whose
-- person_id a merge moves and anonymisation keeps (store/modules.go). Only the evidence
-- files, sealed with her key, name her, and they are erased with her.
CREATE TABLE awards (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    call_id BIGINT NOT NULL REFERENCES calls (id),
    application_id BIGINT NOT NULL REFERENCES applications (id),
    amount BIGINT NOT NULL,          -- minor units of the call's currency
    currency TEXT NOT NULL,
    agreed_on TEXT NOT NULL,         -- YYYY-MM-DD: the agreement, from which follow-ups fall due
    period TEXT NOT NULL DEFAULT '', -- a scholarship's academic period ("2026/27"); '' for a grant
    renewed_from BIGINT REFERENCES awards (id),
    created_by BIGINT REFERENCES users (id),
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
-- One award per application and period: a grant once, a scholarship once a period.
CREATE UNIQUE INDEX awards_application ON awards (application_id, period);
CREATE INDEX awards_call ON awards (call_id, id);

-- A tranche is a part of the award, paid when its evidence (if it needs any) is approved.
CREATE TABLE award_tranches (
    id {{id}},
    award_id BIGINT NOT NULL REFERENCES awards (id),
    position INTEGER NOT NULL,       -- 1, 2, … in the order they are paid
    amount BIGINT NOT NULL,          -- minor units of the award's currency
    needs_evidence BOOLEAN NOT NULL,
    approved_at {{time}},            -- its evidence approved by an officer
    approved_by BIGINT REFERENCES users (id)
);
CREATE UNIQUE INDEX award_tranches_position ON award_tranches (award_id, position);

-- Receipts and photos of what was bought, sealed with the data key of the record they
-- were uploaded for, like outcome_files.
CREATE TABLE award_evidence (
    id {{id}},
    tranche_id BIGINT NOT NULL REFERENCES award_tranches (id),
    key_person_id BIGINT NOT NULL REFERENCES people (id),
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    size BIGINT NOT NULL,
    content {{blob}} NOT NULL,
    uploaded_by BIGINT REFERENCES users (id),
    created_at {{time}} NOT NULL
);
CREATE INDEX award_evidence_tranche ON award_evidence (tranche_id, id);

-- A payment of a tranche: what was paid, in the currency it was paid in, and what that
-- is in the award's currency (equal without a rate). rate_micros is how many units of
-- the paid currency one unit of the award's bought, times a million (470.25 tenge to the
-- dollar is 470250000). delivery_id is her service delivery, written with it.
CREATE TABLE award_payments (
    id {{id}},
    award_id BIGINT NOT NULL REFERENCES awards (id),
    tranche_id BIGINT NOT NULL REFERENCES award_tranches (id),
    paid_on TEXT NOT NULL,
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    rate_micros BIGINT,
    award_amount BIGINT NOT NULL,
    delivery_id BIGINT NOT NULL REFERENCES deliveries (id),
    recorded_by BIGINT REFERENCES users (id),
    created_at {{time}} NOT NULL
);
CREATE INDEX award_payments_award ON award_payments (award_id, tranche_id);

-- A follow-up report, 6 or 12 months after the agreement; its facts are her outcomes too.
CREATE TABLE award_followups (
    id {{id}},
    award_id BIGINT NOT NULL REFERENCES awards (id),
    months INTEGER NOT NULL,
    reported_on TEXT NOT NULL,
    operating BOOLEAN NOT NULL,
    income BIGINT,                   -- monthly income, minor units of the award's currency
    jobs INTEGER NOT NULL,
    note TEXT NOT NULL,
    recorded_by BIGINT REFERENCES users (id),
    created_at {{time}} NOT NULL
);
CREATE UNIQUE INDEX award_followups_months ON award_followups (award_id, months);

-- A call's figures count its submitted applications by status and by region: from the
-- index alone, without reading the applications' answers.
CREATE INDEX applications_call_figures ON applications (call_id, submitted_at, status, region);

-- What a follow-up records as outcomes, for every organisation.
INSERT INTO outcome_kinds (org_id, code, position)
SELECT o.id, k.code, k.position FROM organizations o CROSS JOIN (
    SELECT 'business_operating' AS code, 12 AS position UNION ALL SELECT 'business_income', 13
    UNION ALL SELECT 'jobs_created', 14) k
WHERE NOT EXISTS (SELECT 1 FROM outcome_kinds x WHERE x.org_id = o.id AND x.code = k.code);
