-- Competitions: review, ranking and decisions (issue 13, decision 0036).
--
-- review_pools: the reviewers an officer names for a call, with the district each comes
-- from as the officer states it for this call (a reviewer is often from outside the
-- organisation, and Birge keeps no address of its users), how many review each
-- application and whether none may review an applicant of her own district. Replacing a
-- reviewer who declares a conflict of interest draws from this pool under these rules.
CREATE TABLE review_pools (
    call_id BIGINT NOT NULL REFERENCES calls (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    district TEXT NOT NULL DEFAULT '',
    per_application INTEGER NOT NULL,
    exclude_district BOOLEAN NOT NULL,
    created_at {{time}} NOT NULL,
    PRIMARY KEY (call_id, user_id)
);

-- application_reviews: one reviewer on one application, from her assignment to her
-- scores. status is assigned, reviewed or conflict (she declared a conflict of interest
-- and was replaced: the row stays, so she is never assigned it again). scores are the
-- criteria's scores by code (JSON), score their weighted sum on 0-100 in millionths of a
-- point and lead the score on the call's first criterion, kept beside them so that the
-- ranking of a large call reads two integers a review.
CREATE TABLE application_reviews (
    id {{id}},
    call_id BIGINT NOT NULL REFERENCES calls (id),
    application_id BIGINT NOT NULL REFERENCES applications (id),
    reviewer_id BIGINT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL,
    scores TEXT NOT NULL DEFAULT '{}',
    score BIGINT NOT NULL DEFAULT 0,
    lead INTEGER NOT NULL DEFAULT 0,
    comment TEXT NOT NULL DEFAULT '',
    reviewed_at {{time}},
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE UNIQUE INDEX application_reviews_one ON application_reviews (application_id, reviewer_id);
-- The ranking sums a call's scores by application from this index alone.
CREATE INDEX application_reviews_call ON application_reviews (call_id, status, application_id, score, lead);
CREATE INDEX application_reviews_reviewer ON application_reviews (reviewer_id, call_id);

-- call_decisions: a call's confirmed decision, made once. From then on its reviews stand.
CREATE TABLE call_decisions (
    call_id BIGINT NOT NULL PRIMARY KEY REFERENCES calls (id),
    shortlist INTEGER NOT NULL,
    decided_by BIGINT REFERENCES users (id), -- NULL: decided by the system (a command, the demo)
    decided_at {{time}} NOT NULL
);
