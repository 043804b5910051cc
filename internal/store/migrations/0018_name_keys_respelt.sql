-- Names fold to one key however they are spelt in Latin letters (decision 0017): the
-- 2021 Kazakh alphabet, passports and informal spellings meet their Cyrillic. Every
-- stored key and name word made by the old folding is made again, in Go (migrate.go,
-- rekeyNames), since SQL cannot fold; this file only records the migration.
SELECT 1;
