-- A programme's indicators and their targets (issue 10, decision 0022). An indicator holds
-- how to count, never a count: its actual is read from deliveries and outcomes each time.
-- Kinds are short lists read with the indicator, kept as comma-separated codes as a
-- programme's target groups are.
CREATE TABLE indicators (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    program_id BIGINT NOT NULL REFERENCES programs (id),
    name_kk TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_ky TEXT NOT NULL,
    name_en TEXT NOT NULL,
    measure TEXT NOT NULL,
    delivery_kinds TEXT NOT NULL DEFAULT '',
    outcome_kinds TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT '',
    currency TEXT NOT NULL DEFAULT '',
    of_id BIGINT REFERENCES indicators (id),
    target BIGINT NOT NULL,
    period_from TEXT NOT NULL DEFAULT '', -- YYYY-MM-DD, or '' for open
    period_to TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL
);
CREATE INDEX indicators_program ON indicators (program_id, id);

-- Counting the women a programme reached reads, for each of its deliveries, only who and
-- when and what: this index holds all three in the programme's order, so the count
-- never visits the table and meets each woman's rows together.
CREATE INDEX deliveries_reach ON deliveries (program_id, person_id, date, kind) WHERE program_id IS NOT NULL;
