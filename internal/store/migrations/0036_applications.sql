-- Competitions (issue 13): an application to a call. This is its core, which the public
-- form writes and review, decisions, awards and figures read; each of those keeps its own
-- tables beside it.
--
-- reference is what she is told and what the API names an application by outside Birge
-- (never the internal id). person_id links her record in the registry once she submits
-- (duplicate-aware); a draft links no one. applicant holds the registry's person fields
-- she typed, sealed with the store's key until she is linked; answers are the form's
-- answers keyed by field code (JSON) and hold nothing a reviewer may not read once the
-- fields the form marks identifying are left out. region, district and rural are copied
-- from her answers when she submits, for eligibility, reviewer assignment away from her
-- district and the fairness page. eligibility_reasons is birge.CheckEligibility's answer
-- (JSON); an officer's override keeps them and says why.
CREATE TABLE applications (
    id {{id}},
    call_id BIGINT NOT NULL REFERENCES calls (id),
    reference TEXT NOT NULL UNIQUE,
    token_hash TEXT NOT NULL,
    person_id BIGINT REFERENCES people (id),
    status TEXT NOT NULL,               -- draft|submitted|ineligible|eligible|shortlisted|awarded|rejected
    language TEXT NOT NULL,
    applicant TEXT NOT NULL DEFAULT '',
    answers TEXT NOT NULL DEFAULT '{}',
    region TEXT NOT NULL DEFAULT '',
    district TEXT NOT NULL DEFAULT '',
    rural BOOLEAN NOT NULL DEFAULT FALSE,
    eligibility_reasons TEXT NOT NULL DEFAULT '[]',
    override_reason TEXT NOT NULL DEFAULT '',
    overridden_by BIGINT REFERENCES users (id),
    submitted_at {{time}},
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX applications_call ON applications (call_id, status, id);
CREATE INDEX applications_person ON applications (person_id, id);
