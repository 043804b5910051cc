-- A search for one common word of a name ("Айжан", shared by one woman in forty) reads
-- the word's index entries in name order without opening each person's row: each entry
-- carries her sort key and where she is registered. indexPerson keeps them current.
ALTER TABLE person_names ADD COLUMN org_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE person_names ADD COLUMN center_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE person_names ADD COLUMN sort_key {{blob}};
UPDATE person_names SET
    org_id = (SELECT p.org_id FROM people p WHERE p.id = person_names.person_id),
    center_id = (SELECT p.center_id FROM people p WHERE p.id = person_names.person_id),
    sort_key = (SELECT p.sort_key FROM people p WHERE p.id = person_names.person_id);
CREATE INDEX person_names_sorted ON person_names (token, sort_key, person_id, org_id, center_id);
