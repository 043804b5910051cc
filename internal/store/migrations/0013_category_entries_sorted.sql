-- A list filtered by one category reads the category's entries in name order from the
-- index alone, like a search for one common word (0012): each entry carries the
-- person's sort key and where she is registered. indexPerson keeps them current.
ALTER TABLE person_categories ADD COLUMN org_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE person_categories ADD COLUMN center_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE person_categories ADD COLUMN sort_key {{blob}};
UPDATE person_categories SET
    org_id = (SELECT p.org_id FROM people p WHERE p.id = person_categories.person_id),
    center_id = (SELECT p.center_id FROM people p WHERE p.id = person_categories.person_id),
    sort_key = (SELECT p.sort_key FROM people p WHERE p.id = person_categories.person_id);
CREATE INDEX person_categories_sorted ON person_categories (code, sort_key, person_id, org_id, center_id);
-- The new index serves every look-up by code that the old one did.
DROP INDEX person_categories_code;
