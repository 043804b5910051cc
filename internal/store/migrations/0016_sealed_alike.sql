-- What a stolen database file reveals (decision 0014). The masked identity number kept
-- eight of the twelve digits of an IIN beside the birth date and sex, which gave most
-- numbers back whole; has_sensitive, and an empty sealed value for everyone else, marked
-- the survivors. Both columns go: the number is masked when read, from the sealed one.
-- Then every record's sensitive categories are sealed again, an empty list too, padded
-- to one length: a step in Go (migrate.go, resealSensitive), since SQL cannot seal.
ALTER TABLE people DROP COLUMN id_masked;
ALTER TABLE people DROP COLUMN has_sensitive;

-- Views of records with a sensitive category were logged as view_sensitive, and views
-- of other records not at all; every view is logged as "view" from now on.
UPDATE access_log SET action = 'view' WHERE action = 'view_sensitive';
