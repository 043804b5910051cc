-- One IIN, one woman (issue 8). The form and the API let a second live record of an
-- organisation carry an IIN another already held; the store now refuses it in the
-- writing transaction, and this index refuses the second of two writes at once on
-- PostgreSQL, which both found the IIN free. Records merged away or anonymised do not
-- hold their IIN any more (anonymising clears it), so the index leaves them out.
--
-- An installation may hold such pairs already. Refusing to migrate would stop it; changing
-- or merging records here would decide for a coordinator. So every later record of a
-- pair is marked iin_shared and left out of the index: both stay as they are, waiting in
-- the duplicate queue (the form queued them when it saved the second), until someone
-- merges them. New records never get the mark, so no new pair can form.
ALTER TABLE people ADD COLUMN iin_shared BOOLEAN NOT NULL DEFAULT FALSE;
--
-- A record merged away before this migration may share its IIN with the record it was
-- merged into; undoing that merge brings it back alive, so it is marked too.
UPDATE people SET iin_shared = TRUE
WHERE id_kind = 'iin' AND anonymized_at IS NULL AND (
    (merged_into IS NULL AND EXISTS (
        SELECT 1 FROM people o
        WHERE o.org_id = people.org_id AND o.id_lookup = people.id_lookup AND o.id_kind = 'iin'
          AND o.merged_into IS NULL AND o.anonymized_at IS NULL AND o.id < people.id))
    OR (merged_into IS NOT NULL AND EXISTS (
        SELECT 1 FROM people o
        WHERE o.org_id = people.org_id AND o.id_lookup = people.id_lookup AND o.id_kind = 'iin'
          AND o.anonymized_at IS NULL AND o.id <> people.id)));
CREATE UNIQUE INDEX people_iin ON people (org_id, id_lookup)
    WHERE id_kind = 'iin' AND merged_into IS NULL AND anonymized_at IS NULL AND NOT iin_shared;
