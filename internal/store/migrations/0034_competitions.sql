-- Competitions, first slice (issue 13, decision 0030): calls for business grants and
-- scholarships. Money is integer minor units in the call's one currency. A call's
-- criteria, eligibility rules and application form are JSON documents of the call: they
-- are read and written whole with it, and stand unchanged once it has opened, so the
-- applications of the next slice are answered and scored against exactly what was
-- announced.

CREATE TABLE calls (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    program_id BIGINT NOT NULL REFERENCES programs (id),
    kind TEXT NOT NULL,
    title_kk TEXT NOT NULL,
    title_ru TEXT NOT NULL,
    title_ky TEXT NOT NULL,
    title_en TEXT NOT NULL,
    text_kk TEXT NOT NULL,
    text_ru TEXT NOT NULL,
    text_ky TEXT NOT NULL,
    text_en TEXT NOT NULL,
    opens_at {{time}} NOT NULL,
    closes_at {{time}} NOT NULL,
    regions TEXT NOT NULL,       -- region codes of internal/geo, comma-separated; '': anywhere
    currency TEXT NOT NULL,
    budget BIGINT NOT NULL,
    award_amount BIGINT NOT NULL, -- each award, or the most one may give with award_min
    award_min BIGINT,             -- NULL: every award is award_amount
    awards INTEGER NOT NULL,
    criteria TEXT NOT NULL,       -- JSON: [{code, name_kk…name_en, weight, max}]
    eligibility TEXT NOT NULL,    -- JSON: birge.CallEligibility
    form TEXT NOT NULL,           -- JSON: [{code, section, type, required, options, label_kk…label_en}]
    published BOOLEAN NOT NULL,   -- opened by an officer; the clock says scheduled, open or closed
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX calls_org ON calls (org_id, id);
-- The public list: published calls not yet closed.
CREATE INDEX calls_public ON calls (published, closes_at);
