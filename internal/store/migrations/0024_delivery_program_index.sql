-- A programme's figures (issue 10's indicators: women reached, deliveries, by period and
-- kind of service) are counted over all its deliveries, half a million and more at a
-- network's size. With the day, kind and woman in the index, the count reads the index
-- alone instead of looking up every row: (program_id, date) becomes
-- (program_id, date, kind, person_id). Deliveries outside any programme are left out of
-- it: no figure counts them by programme. Its size is in docs/operations.md.
DROP INDEX deliveries_program;
CREATE INDEX deliveries_program ON deliveries (program_id, date, kind, person_id) WHERE program_id IS NOT NULL;
