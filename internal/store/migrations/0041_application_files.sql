-- Competitions (issue 13, decision 0035): what the public form adds to the core of an
-- application (0036).
--
-- key_person_id is the record whose data key sealed the applicant's fields and her files
-- once she submitted: her record then. A merge moves person_id to the record kept, never
-- this, so what was sealed still opens; anonymising her erases both.
ALTER TABLE applications ADD COLUMN key_person_id BIGINT REFERENCES people (id);
CREATE INDEX applications_key_person ON applications (key_person_id);

-- An attachment to a file field of the form (a photo, a PDF), its content sealed: with
-- the installation's key while the application is a draft (key_person_id empty), with
-- her data key once she submitted. Anonymising her deletes the row.
CREATE TABLE application_files (
    id {{id}},
    application_id BIGINT NOT NULL REFERENCES applications (id),
    field TEXT NOT NULL,
    key_person_id BIGINT REFERENCES people (id),
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    size BIGINT NOT NULL,
    content {{blob}} NOT NULL,
    created_at {{time}} NOT NULL
);
CREATE INDEX application_files_application ON application_files (application_id, id);
CREATE INDEX application_files_person ON application_files (key_person_id);
