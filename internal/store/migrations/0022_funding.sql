-- Donor funding an organisation received (issue 10, decision 0021): an award, the
-- programmes it funds, its budget lines, the spending recorded against them and the
-- reports due to the donor. Amounts are integer minor units in the award's currency.
-- Targets linked to programme indicators will be a table of their own (funding_id,
-- indicator_id, target), added with the indicators.

CREATE TABLE funding (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    donor TEXT NOT NULL,
    donor_kind TEXT NOT NULL,
    reference TEXT NOT NULL DEFAULT '',
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    starts_on TEXT NOT NULL, -- YYYY-MM-DD
    ends_on TEXT NOT NULL,   -- YYYY-MM-DD
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX funding_org ON funding (org_id, id);

CREATE TABLE funding_programs (
    funding_id BIGINT NOT NULL REFERENCES funding (id) ON DELETE CASCADE,
    program_id BIGINT NOT NULL REFERENCES programs (id),
    PRIMARY KEY (funding_id, program_id)
);
CREATE INDEX funding_programs_program ON funding_programs (program_id);

CREATE TABLE funding_lines (
    id {{id}},
    funding_id BIGINT NOT NULL REFERENCES funding (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    planned BIGINT NOT NULL -- in the award's currency
);
CREATE INDEX funding_lines_funding ON funding_lines (funding_id, id);

CREATE TABLE funding_spending (
    id {{id}},
    funding_id BIGINT NOT NULL REFERENCES funding (id),
    line_id BIGINT NOT NULL REFERENCES funding_lines (id),
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    spent_on TEXT NOT NULL, -- YYYY-MM-DD
    note TEXT NOT NULL DEFAULT '',
    recorded_by BIGINT REFERENCES users (id),
    created_at {{time}} NOT NULL
);
CREATE INDEX funding_spending_line ON funding_spending (line_id, id);
CREATE INDEX funding_spending_funding ON funding_spending (funding_id, id);

-- The deadlines page asks across an organisation for what is not yet submitted.
CREATE TABLE funding_deadlines (
    id {{id}},
    funding_id BIGINT NOT NULL REFERENCES funding (id) ON DELETE CASCADE,
    due_on TEXT NOT NULL,              -- YYYY-MM-DD
    what TEXT NOT NULL,
    submitted_on TEXT NOT NULL DEFAULT '' -- YYYY-MM-DD, or '' while due
);
CREATE INDEX funding_deadlines_due ON funding_deadlines (submitted_on, due_on);
CREATE INDEX funding_deadlines_funding ON funding_deadlines (funding_id, id);
