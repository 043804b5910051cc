package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
)

// A cohort's edit form (issue 12, decision 0034): where and by whom it is held, its
// language, places, days, who may enrol and whether the public site offers it. Its course
// never changes; more places move the waiting list up.

// cohortToForm fills the cohort form with a cohort as saved.
func cohortToForm(h birge.Cohort, course string) *form {
	f := newForm()
	for key, v := range map[string]string{"id": strconv.FormatInt(h.ID, 10), "course_name": course,
		"course_id": strconv.FormatInt(h.CourseID, 10), "center_id": strconv.FormatInt(h.CenterID, 10), "venue": h.Venue,
		"language": h.Language, "capacity": strconv.Itoa(h.Capacity), "starts_on": h.StartsOn, "ends_on": h.EndsOn,
		"eligible_categories": strings.Join(h.Categories, ", "), "eligible_regions": strings.Join(h.Regions, ", "),
		"signup_until": h.SignupUntil, "version": h.UpdatedAt.Format(time.RFC3339Nano)} {
		f.Values[key] = v
	}
	for key, n := range map[string]int{"min_age": h.MinAge, "max_age": h.MaxAge} {
		if n != 0 {
			f.Values[key] = strconv.Itoa(n)
		}
	}
	for key, on := range map[string]bool{"rural_only": h.RuralOnly, "public_signup": h.PublicSignup} {
		if on {
			f.Values[key] = "on"
		}
	}
	for _, id := range h.TrainerIDs {
		f.Values["trainer_"+strconv.FormatInt(id, 10)] = "on"
	}
	return f
}

// cohortEdit shows the form of a cohort the user runs.
func (s *Server) cohortEdit(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	h, err := s.store.Trainings.Cohort(r.Context(), info.Actor, pathInt(r, "id"))
	if err != nil {
		return err
	}
	if !s.store.Trainings.MayManageCohort(info.Actor, h) {
		return birge.ErrForbidden
	}
	rows, err := s.cohortRows(r, []birge.Cohort{h})
	if err != nil {
		return err
	}
	return s.renderCohortForm(w, r, http.StatusOK, cohortToForm(h, rows[0].Course))
}

// cohortUpdate saves the form over the version it was made on; a problem is shown
// beside its field, with what was typed.
func (s *Server) cohortUpdate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	info := request.From(r.Context())
	old, err := s.store.Trainings.Cohort(r.Context(), info.Actor, pathInt(r, "id"))
	if err != nil {
		return err
	}
	if !s.store.Trainings.MayManageCohort(info.Actor, old) {
		return birge.ErrForbidden
	}
	h := cohortFromForm(f)
	h.ID, h.CourseID = old.ID, old.CourseID
	h.UpdatedAt, _ = time.Parse(time.RFC3339Nano, f.get("version"))
	if _, err := s.store.Trainings.UpdateCohort(r.Context(), info.Actor, h); err != nil {
		if f.fail(err) {
			rows, rerr := s.cohortRows(r, []birge.Cohort{old})
			if rerr != nil {
				return rerr
			}
			f.Values["id"], f.Values["course_name"] = strconv.FormatInt(old.ID, 10), rows[0].Course
			return s.renderCohortForm(w, r, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	return redirect(w, r, "/cohorts/"+strconv.FormatInt(old.ID, 10), "flash.saved")
}
