-- Closing and reopening a family case, and the centre's figures (issue 11, decision 0027).

-- The case as it stands: its outcome and the day it closed, empty while it is open.
ALTER TABLE cases ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN closed_on TEXT NOT NULL DEFAULT '';

-- Every closing and reopening of a case, oldest first, so that a reopened case keeps its
-- history. action is close or reopen. agreement (a mediated agreement on children and
-- property) and reason (why it was reopened) may name people: they are sealed with the
-- data key of key_person_id, the first partner when it was written, and blanked when she
-- is anonymised.
CREATE TABLE case_closings (
    id {{id}},
    case_id BIGINT NOT NULL REFERENCES cases (id),
    action TEXT NOT NULL,
    outcome TEXT NOT NULL DEFAULT '',
    closed_on TEXT NOT NULL DEFAULT '',
    satisfaction INTEGER,
    agreement TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    key_person_id BIGINT NOT NULL REFERENCES people (id),
    done_by BIGINT REFERENCES users (id),
    done_at {{time}} NOT NULL
);
CREATE INDEX case_closings_case ON case_closings (case_id, id);
CREATE INDEX case_closings_person ON case_closings (key_person_id);

-- The figures: a centre's families of a period (by day of intake) from the index alone,
-- and each family's attended sessions without reading the sessions' rows.
CREATE INDEX cases_center_intake ON cases (center_id, intake_date, risk, outcome);
CREATE INDEX case_sessions_figures ON case_sessions (case_id, attendance, starts_at, type);
-- A closing's outcome records, found again when the case is reopened.
CREATE INDEX outcomes_source ON outcomes (source, source_id);

-- What a closing becomes in her life, for the kinds that the defaults did not name yet:
-- an agreed separation, a referral elsewhere, a family that stopped coming, and a
-- divorce application withdrawn while the case was flagged (never counted as a success).
INSERT INTO outcome_kinds (org_id, code, position)
SELECT o.id, k.code, k.position FROM organizations o CROSS JOIN (
    SELECT 'separation_agreed' AS code, 8 AS position UNION ALL SELECT 'referred_elsewhere', 9
    UNION ALL SELECT 'stopped_coming', 10 UNION ALL SELECT 'divorce_withdrawn_at_risk', 11) k
WHERE NOT EXISTS (SELECT 1 FROM outcome_kinds x WHERE x.org_id = o.id AND x.code = k.code);
