-- Trainings (issue 12, decision 0032): a certificate for a woman who completed a cohort,
-- and the code anyone may check it by.

-- A certificate belongs to her enrolment, not to her record: merging her record moves the
-- enrolment, and the certificate with it; her name is read from her record when it is
-- shown, so it is never copied here. code is the verification code, ten letters of
-- Crockford's base 32 (no I, L, O, U), kept without the dash it is printed with.
-- An enrolment has at most one certificate not revoked; a revoked one stays, so that its
-- code still answers "revoked".
CREATE TABLE certificates (
    id {{id}},
    enrollment_id BIGINT NOT NULL REFERENCES enrollments (id),
    code TEXT NOT NULL,
    issued_on TEXT NOT NULL,            -- YYYY-MM-DD, in the organisation's day
    issued_by BIGINT REFERENCES users (id),
    revoked_at {{time}},
    revoked_by BIGINT REFERENCES users (id),
    revoke_reason TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE UNIQUE INDEX certificates_code ON certificates (code);
CREATE UNIQUE INDEX certificates_valid ON certificates (enrollment_id) WHERE revoked_at IS NULL;
CREATE INDEX certificates_enrollment ON certificates (enrollment_id, id);
