package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// Trainings (issue 12, decision 0029): courses, cohorts, training sessions, enrolments.
// A training session is /training-sessions/{id}: /sessions/{id} is a family case's.

func queryID(r *http.Request, name string) (int64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{name: "field.type"}}
	}
	return id, nil
}

// ListCourses returns the catalogue of the organisation named by organization_id, or of
// every organisation where the caller sees trainings.
func (a *API) ListCourses(w http.ResponseWriter, r *http.Request) error {
	org, err := queryID(r, "organization_id")
	if err != nil {
		return err
	}
	items, err := a.store.Trainings.Courses(r.Context(), actor(r), org)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list(items, len(items), func(k birge.Course) int64 { return k.ID }))
}

// GetCourse returns one course.
func (a *API) GetCourse(w http.ResponseWriter, r *http.Request) error {
	return getByID(w, r, a.store.Trainings.Course, func(k birge.Course) time.Time { return k.UpdatedAt })
}

// CreateCourse adds a course to an organisation's catalogue.
func (a *API) CreateCourse(w http.ResponseWriter, r *http.Request) error {
	var k birge.Course
	if err := decode(w, r, &k); err != nil {
		return err
	}
	k.ID = 0
	k, err := a.store.Trainings.CreateCourse(r.Context(), actor(r), k)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, k)
}

// courseUpdate is the body of PATCH /courses/{id}; its organisation never changes.
type courseUpdate struct {
	NameKK         *string               `json:"name_kk"`
	NameRU         *string               `json:"name_ru"`
	NameKY         *string               `json:"name_ky"`
	NameEN         *string               `json:"name_en"`
	DescriptionKK  *string               `json:"description_kk"`
	DescriptionRU  *string               `json:"description_ru"`
	DescriptionKY  *string               `json:"description_ky"`
	DescriptionEN  *string               `json:"description_en"`
	Hours          *int                  `json:"hours"`
	Online         *bool                 `json:"online"`
	ProgramID      *int64                `json:"program_id"`
	CompletionRule *birge.CompletionRule `json:"completion_rule"`
	FollowupMonths *[]int                `json:"followup_months"`
	Retired        *bool                 `json:"retired"`
}

func (u *courseUpdate) apply(k *birge.Course) {
	set(&k.Names.KK, u.NameKK)
	set(&k.Names.RU, u.NameRU)
	set(&k.Names.KY, u.NameKY)
	set(&k.Names.EN, u.NameEN)
	set(&k.Descriptions.KK, u.DescriptionKK)
	set(&k.Descriptions.RU, u.DescriptionRU)
	set(&k.Descriptions.KY, u.DescriptionKY)
	set(&k.Descriptions.EN, u.DescriptionEN)
	set(&k.Hours, u.Hours)
	set(&k.Online, u.Online)
	set(&k.ProgramID, u.ProgramID)
	set(&k.CompletionRule, u.CompletionRule)
	set(&k.FollowupMonths, u.FollowupMonths)
	set(&k.Retired, u.Retired)
}

// UpdateCourse changes the fields present in the body; retired: true retires it.
func (a *API) UpdateCourse(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx, act := r.Context(), actor(r)
	return patch(w, r, &courseUpdate{}, func(k birge.Course) time.Time { return k.UpdatedAt }, readThenWrite(
		func() (birge.Course, error) { return a.store.Trainings.Course(ctx, act, id) },
		func(k birge.Course) (birge.Course, error) { return a.store.Trainings.UpdateCourse(ctx, act, k) }))
}

// ListCohorts returns the cohorts the caller sees, a page at a time; organization_id and
// course_id narrow the list.
func (a *API) ListCohorts(w http.ResponseWriter, r *http.Request) error {
	limit, after, err := page(r)
	if err != nil {
		return err
	}
	f := store.CohortFilter{After: after, Limit: limit + 1}
	if f.OrgID, err = queryID(r, "organization_id"); err != nil {
		return err
	}
	if f.CourseID, err = queryID(r, "course_id"); err != nil {
		return err
	}
	items, err := a.store.Trainings.Cohorts(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list(items, limit, func(h birge.Cohort) int64 { return h.ID }))
}

// GetCohort returns one cohort.
func (a *API) GetCohort(w http.ResponseWriter, r *http.Request) error {
	return getByID(w, r, a.store.Trainings.Cohort, func(h birge.Cohort) time.Time { return h.UpdatedAt })
}

// CreateCohort opens a cohort of a course.
func (a *API) CreateCohort(w http.ResponseWriter, r *http.Request) error {
	var h birge.Cohort
	if err := decode(w, r, &h); err != nil {
		return err
	}
	h.ID = 0
	h, err := a.store.Trainings.CreateCohort(r.Context(), actor(r), h)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, h)
}

// cohortUpdate is the body of PATCH /cohorts/{id}; its course never changes.
type cohortUpdate struct {
	CenterID   *int64    `json:"center_id"`
	Venue      *string   `json:"venue"`
	TrainerIDs *[]int64  `json:"trainer_ids"`
	Language   *string   `json:"language"`
	Capacity   *int      `json:"capacity"`
	StartsOn   *string   `json:"starts_on"`
	EndsOn     *string   `json:"ends_on"`
	Categories *[]string `json:"eligible_categories"`
	Regions    *[]string `json:"eligible_regions"`
	MinAge     *int      `json:"min_age"`
	MaxAge     *int      `json:"max_age"`
	RuralOnly  *bool     `json:"rural_only"`
	// The public sign-up (decision 0034).
	PublicSignup *bool   `json:"public_signup"`
	SignupUntil  *string `json:"signup_until"`
}

func (u *cohortUpdate) apply(h *birge.Cohort) {
	set(&h.CenterID, u.CenterID)
	set(&h.Venue, u.Venue)
	set(&h.TrainerIDs, u.TrainerIDs)
	set(&h.Language, u.Language)
	set(&h.Capacity, u.Capacity)
	set(&h.StartsOn, u.StartsOn)
	set(&h.EndsOn, u.EndsOn)
	set(&h.Categories, u.Categories)
	set(&h.Regions, u.Regions)
	set(&h.MinAge, u.MinAge)
	set(&h.MaxAge, u.MaxAge)
	set(&h.RuralOnly, u.RuralOnly)
	set(&h.PublicSignup, u.PublicSignup)
	set(&h.SignupUntil, u.SignupUntil)
}

// UpdateCohort changes the fields present in the body; more places move the waiting
// list up.
func (a *API) UpdateCohort(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx, act := r.Context(), actor(r)
	return patch(w, r, &cohortUpdate{}, func(h birge.Cohort) time.Time { return h.UpdatedAt }, readThenWrite(
		func() (birge.Cohort, error) { return a.store.Trainings.Cohort(ctx, act, id) },
		func(h birge.Cohort) (birge.Cohort, error) { return a.store.Trainings.UpdateCohort(ctx, act, h) }))
}

// ListEnrollments returns a cohort's women: with a place, waiting, dropped out.
func (a *API) ListEnrollments(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	items, err := a.store.Trainings.Enrollments(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list(items, len(items), func(e birge.Enrollment) int64 { return e.ID }))
}

// enrollmentBody is what a woman is enrolled with; her status is the cohort's to say.
type enrollmentBody struct {
	PersonID      int64  `json:"person_id"`
	Childcare     bool   `json:"childcare"`
	SpecialNeeds  bool   `json:"special_needs"`
	Accommodation string `json:"accommodation"`
}

// CreateEnrollment enrols a woman: 201 with status enrolled, or waiting when the cohort
// is full; 409 when she is enrolled already.
func (a *API) CreateEnrollment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var b enrollmentBody
	if err := decode(w, r, &b); err != nil {
		return err
	}
	e, err := a.store.Trainings.Enroll(r.Context(), actor(r), id, birge.Enrollment{PersonID: b.PersonID,
		Childcare: b.Childcare, SpecialNeeds: b.SpecialNeeds, Accommodation: b.Accommodation})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, e)
}

// GetEnrollment returns one enrolment.
func (a *API) GetEnrollment(w http.ResponseWriter, r *http.Request) error {
	return getByID(w, r, a.store.Trainings.Enrollment, func(e birge.Enrollment) time.Time { return e.UpdatedAt })
}

// enrollmentUpdate is the body of PATCH /enrollments/{id}.
type enrollmentUpdate struct {
	Status        *string `json:"status"`
	Reason        *string `json:"reason"`
	Childcare     *bool   `json:"childcare"`
	SpecialNeeds  *bool   `json:"special_needs"`
	Accommodation *string `json:"accommodation"`
	ProjectPassed *bool   `json:"project_passed"`
}

func (u *enrollmentUpdate) apply(e *birge.Enrollment) {
	set(&e.Status, u.Status)
	set(&e.Reason, u.Reason)
	set(&e.Childcare, u.Childcare)
	set(&e.SpecialNeeds, u.SpecialNeeds)
	set(&e.Accommodation, u.Accommodation)
	set(&e.ProjectPassed, u.ProjectPassed)
	// A status other than dropped carries no reason: one left from before is cleared.
	if u.Status != nil && *u.Status != birge.EnrollmentDropped && u.Reason == nil {
		e.Reason = ""
	}
}

// UpdateEnrollment changes an enrolment's status (dropped with a reason); the answer's
// moved_up names who left the waiting list for the place freed.
func (a *API) UpdateEnrollment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx, act := r.Context(), actor(r)
	return patch(w, r, &enrollmentUpdate{}, func(e birge.Enrollment) time.Time { return e.UpdatedAt }, readThenWrite(
		func() (birge.Enrollment, error) { return a.store.Trainings.Enrollment(ctx, act, id) },
		func(e birge.Enrollment) (birge.Enrollment, error) {
			return a.store.Trainings.UpdateEnrollment(ctx, act, e)
		}))
}

// ListTrainingSessions returns a cohort's sessions in time order.
func (a *API) ListTrainingSessions(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	items, err := a.store.Trainings.TrainingSessions(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list(items, len(items), func(x birge.TrainingSession) int64 { return x.ID }))
}

// trainingSessionsBody adds one session (starts_at, ends_at, venue) or, with weekday,
// the cohort's weekly sessions from start for minutes.
type trainingSessionsBody struct {
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at"`
	Venue    string    `json:"venue"`
	Weekday  *int      `json:"weekday"`
	Start    string    `json:"start"`
	Minutes  int       `json:"minutes"`
}

// CreateTrainingSessions adds sessions to a cohort: 201 with the list of those added.
func (a *API) CreateTrainingSessions(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var b trainingSessionsBody
	if err := decode(w, r, &b); err != nil {
		return err
	}
	var items []birge.TrainingSession
	if b.Weekday != nil {
		items, err = a.store.Trainings.GenerateTrainingSessions(r.Context(), actor(r), id,
			birge.SessionPattern{Weekday: *b.Weekday, Start: b.Start, Minutes: b.Minutes, Venue: b.Venue})
	} else {
		items, err = a.store.Trainings.AddTrainingSessions(r.Context(), actor(r), id,
			[]birge.TrainingSession{{StartsAt: b.StartsAt, EndsAt: b.EndsAt, Venue: b.Venue}})
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, list(items, len(items), func(x birge.TrainingSession) int64 { return x.ID }))
}

// GetTrainingSession returns one training session.
func (a *API) GetTrainingSession(w http.ResponseWriter, r *http.Request) error {
	return getByID(w, r, a.store.Trainings.TrainingSession, func(x birge.TrainingSession) time.Time { return x.UpdatedAt })
}

// trainingSessionUpdate is the body of PATCH /training-sessions/{id}.
type trainingSessionUpdate struct {
	StartsAt *time.Time `json:"starts_at"`
	EndsAt   *time.Time `json:"ends_at"`
	Venue    *string    `json:"venue"`
}

func (u *trainingSessionUpdate) apply(x *birge.TrainingSession) {
	set(&x.StartsAt, u.StartsAt)
	set(&x.EndsAt, u.EndsAt)
	set(&x.Venue, u.Venue)
}

// UpdateTrainingSession moves a session or changes its venue.
func (a *API) UpdateTrainingSession(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx, act := r.Context(), actor(r)
	return patch(w, r, &trainingSessionUpdate{}, func(x birge.TrainingSession) time.Time { return x.UpdatedAt }, readThenWrite(
		func() (birge.TrainingSession, error) { return a.store.Trainings.TrainingSession(ctx, act, id) },
		func(x birge.TrainingSession) (birge.TrainingSession, error) {
			return a.store.Trainings.UpdateTrainingSession(ctx, act, x)
		}))
}

// DeleteTrainingSession removes one session: 204.
func (a *API) DeleteTrainingSession(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.store.Trainings.DeleteTrainingSession(r.Context(), actor(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
