package api

import (
	"net/http"

	"github.com/birge-org/birge/internal/birge"
)

// Attendance and completion of trainings (issue 12, decision 0031). A session's register
// is /training-sessions/{id}/attendance: /sessions/{id} is a family case's session.

// GetAttendance returns a session's register: every woman enrolled with her mark.
func (a *API) GetAttendance(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	reg, err := a.store.Trainings.Register(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, reg)
}

// attendanceBody is what a phone sends: the marks it holds, each with when it was tapped.
type attendanceBody struct {
	Marks []struct {
		PersonID int64   `json:"person_id"`
		Mark     string  `json:"mark"`
		Reason   string  `json:"reason"`
		MarkedAt instant `json:"marked_at"`
	} `json:"marks"`
}

// PutAttendance writes marks into a session's register, all or none, and answers with the
// register after them and, in conflicts, the marks not written because a newer one was
// kept. The same body sent twice changes nothing, so a phone that lost the answer sends
// its marks again. The register page's offline sync sends the same body to the page's
// own address (web.attendanceSync), under the session cookie.
func (a *API) PutAttendance(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var b attendanceBody
	if err := decode(w, r, &b); err != nil {
		return err
	}
	if len(b.Marks) > birge.MaxCohortCapacity {
		return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"marks": "training.too_many_marks"}}
	}
	marks := make([]birge.TrainingMark, len(b.Marks))
	for i, m := range b.Marks {
		marks[i] = birge.TrainingMark{PersonID: m.PersonID, Mark: m.Mark, Reason: m.Reason, MarkedAt: m.MarkedAt.Time}
	}
	reg, err := a.store.Trainings.PutMarks(r.Context(), actor(r), id, marks)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, reg)
}

// CompleteCohort applies the course's completion rule to a cohort whose last day has
// come and answers with its enrolments: completed, or enrolled with completion_note
// saying why. 422 before its last day.
func (a *API) CompleteCohort(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	items, err := a.store.Trainings.Complete(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list(items, len(items), func(e birge.Enrollment) int64 { return e.ID }))
}
