package api

import (
	"net/http"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// Training follow-ups and figures (issue 12, decision 0033).

// ListFollowups returns the follow-ups due or overdue (status) of the cohorts the caller
// sees, earliest first; center_id and trainer_id narrow the list.
func (a *API) ListFollowups(w http.ResponseWriter, r *http.Request) error {
	f := store.FollowupFilter{State: r.URL.Query().Get("status")}
	var err error
	if f.CenterID, err = queryID(r, "center_id"); err != nil {
		return err
	}
	if f.TrainerID, err = queryID(r, "trainer_id"); err != nil {
		return err
	}
	if f.CohortID, err = queryID(r, "cohort_id"); err != nil {
		return err
	}
	items, err := a.store.Trainings.Followups(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": items, "next": nil})
}

// followupBody is what POST /followups takes: which follow-up, and her answers.
type followupBody struct {
	EnrollmentID int64 `json:"enrollment_id"`
	Months       int   `json:"months"`
	birge.FollowupAnswers
}

// RecordFollowup records a follow-up after a call, with her outcomes.
func (a *API) RecordFollowup(w http.ResponseWriter, r *http.Request) error {
	var b followupBody
	if err := decode(w, r, &b); err != nil {
		return err
	}
	fu, err := a.store.Trainings.RecordFollowup(r.Context(), actor(r), b.EnrollmentID, b.Months, b.FollowupAnswers)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, fu)
}

// TrainingFigures returns the trainings' figures for the filter given.
func (a *API) TrainingFigures(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := store.TrainingFiguresFilter{Region: q.Get("region"), From: q.Get("from"), To: q.Get("to")}
	for name, into := range map[string]*int64{"program_id": &f.ProgramID, "center_id": &f.CenterID,
		"course_id": &f.CourseID, "trainer_id": &f.TrainerID} {
		id, err := queryID(r, name)
		if err != nil {
			return err
		}
		*into = id
	}
	figures, err := a.store.Trainings.TrainingFigures(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	targets := make([]indicatorJSON, len(figures.Targets))
	for i, t := range figures.Targets {
		targets[i] = newIndicatorJSON(t)
	}
	return writeJSON(w, http.StatusOK, struct {
		store.TrainingFigures
		Targets []indicatorJSON `json:"targets"`
	}{figures, targets})
}
