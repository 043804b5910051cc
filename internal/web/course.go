package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// Trainings (issue 12, decision 0029): the course catalogue. Cohorts are cohort.go.

// trainingOrgs are the organisations where the user sees trainings, and those whose
// catalogue she edits.
func (s *Server) trainingOrgs(r *http.Request) (seen, managed []option, err error) {
	info := request.From(r.Context())
	orgs, err := s.store.ListOrgs(r.Context(), birge.System("training"))
	if err != nil {
		return nil, nil, err
	}
	for _, o := range orgs {
		id := strconv.FormatInt(o.ID, 10)
		if info.Actor.CanIn(birge.PermTrainingView, o.ID) {
			seen = append(seen, option{id, o.Names.In(info.Lang)})
		}
		if s.store.Trainings.MayManageCourses(info.Actor, o.ID) {
			managed = append(managed, option{id, o.Names.In(info.Lang)})
		}
	}
	return seen, managed, nil
}

// courseList is the catalogue of every organisation where the user sees trainings.
func (s *Server) courseList(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	list, err := s.store.Trainings.Courses(r.Context(), info.Actor, 0)
	if err != nil {
		return err
	}
	_, managed, err := s.trainingOrgs(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "training/courses", newForm(), map[string]any{"Courses": list,
		"CanCreate": len(managed) > 0, "CanCohorts": len(managed) > 0 || !info.Actor.ScopeOf(birge.PermTrainingManage).Empty()})
}

func (s *Server) courseNew(w http.ResponseWriter, r *http.Request) error {
	f := newForm()
	f.Values["hours"], f.Values["min_attendance"] = "24", "80"
	f.Values["followup_months"] = monthsText(birge.DefaultFollowupMonths)
	return s.renderCourseForm(w, r, http.StatusOK, f, birge.Course{})
}

func (s *Server) courseEdit(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	k, err := s.store.Trainings.Course(r.Context(), info.Actor, pathInt(r, "id"))
	if err != nil {
		return err
	}
	if !s.store.Trainings.MayManageCourses(info.Actor, k.OrgID) {
		return birge.ErrForbidden
	}
	return s.renderCourseForm(w, r, http.StatusOK, courseToForm(k), k)
}

// renderCourseForm draws a new course's form (k.ID 0: its organisation to choose) or
// the edit form of k, with the programmes of its organisation.
func (s *Server) renderCourseForm(w http.ResponseWriter, r *http.Request, status int, f *form, k birge.Course) error {
	info := request.From(r.Context())
	_, managed, err := s.trainingOrgs(r)
	if err != nil {
		return err
	}
	if len(managed) == 0 {
		return birge.ErrForbidden
	}
	programs := []option{{"0", info.P.T("course.no_program")}}
	list, err := s.store.Programs.List(r.Context(), info.Actor, store.ProgramFilter{})
	if err != nil {
		return err
	}
	for _, p := range list {
		if k.ID == 0 || p.OrgID == k.OrgID {
			programs = append(programs, option{strconv.FormatInt(p.ID, 10), p.Names.In(info.Lang)})
		}
	}
	return s.render(w, r, status, "training/course_form", f, map[string]any{"ID": k.ID, "Orgs": managed,
		"Programs": programs})
}

// courseFromForm reads the course form over the course as it is. The share of
// attendance is typed as a percentage.
func courseFromForm(f *form, k birge.Course) birge.Course {
	k.Names = birge.Names{KK: f.get("name_kk"), RU: f.get("name_ru"), KY: f.get("name_ky"), EN: f.get("name_en")}
	k.Descriptions = birge.Descriptions{KK: f.get("description_kk"), RU: f.get("description_ru"),
		KY: f.get("description_ky"), EN: f.get("description_en")}
	k.Hours, _ = strconv.Atoi(strings.TrimSpace(f.get("hours")))
	if k.Hours == 0 && strings.TrimSpace(f.get("hours")) != "0" {
		k.Hours = -1 // not a number: refused as out of range
	}
	k.Online, k.ProgramID = f.get("online") != "", f.int64("program_id")
	pct, err := strconv.ParseFloat(strings.TrimSpace(f.get("min_attendance")), 64)
	if err != nil {
		pct = -1
	}
	k.CompletionRule = birge.CompletionRule{MinAttendance: pct / 100, Project: f.get("project") != ""}
	k.Retired = f.get("retired") != ""
	// Typed as "3, 6, 12"; a form without the field keeps the course's months.
	if text, ok := f.Values["followup_months"]; ok {
		months, ok := birge.ParseMonths(text)
		if !ok {
			months = []int{-1} // not numbers: refused as out of range
		}
		k.FollowupMonths = months
	}
	if k.ID != 0 {
		k.UpdatedAt, _ = time.Parse(time.RFC3339Nano, f.get("version"))
	}
	return k
}

func courseToForm(k birge.Course) *form {
	f := newForm()
	for key, v := range map[string]string{"name_kk": k.Names.KK, "name_ru": k.Names.RU, "name_ky": k.Names.KY,
		"name_en": k.Names.EN, "description_kk": k.Descriptions.KK, "description_ru": k.Descriptions.RU,
		"description_ky": k.Descriptions.KY, "description_en": k.Descriptions.EN, "hours": strconv.Itoa(k.Hours),
		"program_id": strconv.FormatInt(k.ProgramID, 10), "version": k.UpdatedAt.Format(time.RFC3339Nano),
		"min_attendance":  strconv.FormatFloat(k.CompletionRule.MinAttendance*100, 'f', -1, 64),
		"followup_months": monthsText(k.FollowupMonths)} {
		f.Values[key] = v
	}
	for key, on := range map[string]bool{"online": k.Online, "project": k.CompletionRule.Project, "retired": k.Retired} {
		if on {
			f.Values[key] = "on"
		}
	}
	return f
}

func (s *Server) courseCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	if _, managed, err := s.trainingOrgs(r); err != nil || len(managed) == 0 {
		if err != nil {
			return err
		}
		return birge.ErrForbidden
	}
	k := courseFromForm(f, birge.Course{OrgID: f.int64("organization_id")})
	if _, err := s.store.Trainings.CreateCourse(r.Context(), request.From(r.Context()).Actor, k); err != nil {
		if f.fail(err) {
			moveError(f, "completion_rule", "min_attendance")
			return s.renderCourseForm(w, r, http.StatusUnprocessableEntity, f, birge.Course{})
		}
		return err
	}
	return redirect(w, r, "/courses", "flash.saved")
}

func (s *Server) courseUpdate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	info := request.From(r.Context())
	k, err := s.store.Trainings.Course(r.Context(), info.Actor, pathInt(r, "id"))
	if err != nil {
		return err
	}
	if _, err := s.store.Trainings.UpdateCourse(r.Context(), info.Actor, courseFromForm(f, k)); err != nil {
		if f.fail(err) {
			moveError(f, "completion_rule", "min_attendance")
			return s.renderCourseForm(w, r, http.StatusUnprocessableEntity, f, k)
		}
		return err
	}
	return redirect(w, r, "/courses", "flash.saved")
}

// monthsText writes a course's follow-up months as the form shows them: "3, 6, 12".
func monthsText(months []int) string {
	return strings.ReplaceAll(birge.FormatMonths(months), ",", ", ")
}
