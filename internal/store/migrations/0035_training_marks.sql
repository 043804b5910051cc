-- Trainings (issue 12), attendance and completion: one mark per woman and training
-- session, and what applying the course's completion rule found for each enrolment.

-- The newest marked_at wins, whatever order the phones sync in: a mark older than the
-- one kept is not written (the trainer is shown the disagreement instead). A mark is
-- keyed by the enrolment, not the person, so a merge that moves enrolments moves their
-- marks with them. delivery_id is the service delivery a present or late mark wrote in
-- the same transaction (NULL for absent).
CREATE TABLE training_marks (
    session_id BIGINT NOT NULL REFERENCES training_sessions (id),
    enrollment_id BIGINT NOT NULL REFERENCES enrollments (id),
    mark TEXT NOT NULL,                 -- present | late | absent
    reason TEXT NOT NULL DEFAULT '',    -- why she was absent, in the trainer's words
    marked_at {{time}} NOT NULL,        -- on the marker's phone
    marked_by BIGINT REFERENCES users (id),
    delivery_id BIGINT REFERENCES deliveries (id),
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL,
    PRIMARY KEY (session_id, enrollment_id)
);
CREATE INDEX training_marks_enrollment ON training_marks (enrollment_id, mark);

-- Completion: the final project passed (the trainer's mark), the day the rule last found
-- her completed, and when it did not, why (a catalog key and its figures, JSON).
ALTER TABLE enrollments ADD COLUMN project_passed BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE enrollments ADD COLUMN completed_on TEXT;
ALTER TABLE enrollments ADD COLUMN completion_note TEXT NOT NULL DEFAULT '';
