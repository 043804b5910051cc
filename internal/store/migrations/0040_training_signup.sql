-- Trainings (issue 12, decision 0034): the public sign-up and enrolment from a list.

-- A cohort is offered on the public site only when staff say so (public_signup), and
-- only until its sign-up closes: the day in signup_until (YYYY-MM-DD), or, when empty,
-- the day before it starts.
ALTER TABLE cohorts ADD COLUMN public_signup BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE cohorts ADD COLUMN signup_until TEXT NOT NULL DEFAULT '';

-- Where an enrolment came from: staff (by hand), signup (the public form, which staff
-- confirm) or import (a list). A sign-up that waits moves up to pending, never straight
-- to enrolled: staff have not yet confirmed her.
ALTER TABLE enrollments ADD COLUMN source TEXT NOT NULL DEFAULT 'staff';
