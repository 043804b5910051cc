package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// Cohorts of a course, their sessions and who is enrolled (issue 12, decision 0029).

// cohortRow is a cohort as the list and its page show it.
type cohortRow struct {
	birge.Cohort
	Course, Center string
	Trainers       []string
}

func (s *Server) cohortRows(r *http.Request, list []birge.Cohort) ([]cohortRow, error) {
	info := request.From(r.Context())
	courses, err := s.store.Trainings.Courses(r.Context(), info.Actor, 0)
	if err != nil {
		return nil, err
	}
	centers, err := s.visibleCenters(r, store.CenterFilter{})
	if err != nil {
		return nil, err
	}
	var trainers []int64
	for _, h := range list {
		trainers = append(trainers, h.TrainerIDs...)
	}
	names, err := s.store.Trainings.UserNames(r.Context(), trainers)
	if err != nil {
		return nil, err
	}
	rows := make([]cohortRow, len(list))
	for i, h := range list {
		row := cohortRow{Cohort: h, Center: h.Venue}
		for _, k := range courses {
			if k.ID == h.CourseID {
				row.Course = k.Names.In(info.Lang)
			}
		}
		for _, c := range centers {
			if c.ID == h.CenterID {
				row.Center = strings.TrimSuffix(c.Names.In(info.Lang)+", "+h.Venue, ", ")
			}
		}
		for _, id := range h.TrainerIDs {
			row.Trainers = append(row.Trainers, names[id])
		}
		rows[i] = row
	}
	return rows, nil
}

// cohortList shows the cohorts the user sees: a trainer hers, a coordinator all of her
// centre's.
func (s *Server) cohortList(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	list, err := s.store.Trainings.Cohorts(r.Context(), info.Actor, store.CohortFilter{})
	if err != nil {
		return err
	}
	rows, err := s.cohortRows(r, list)
	if err != nil {
		return err
	}
	pending, err := s.store.Trainings.PendingSignups(r.Context(), info.Actor)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "training/cohorts", newForm(), map[string]any{"Cohorts": rows,
		"CanCreate": !info.Actor.ScopeOf(birge.PermTrainingManage).Empty(), "Pending": pending})
}

func (s *Server) cohortNew(w http.ResponseWriter, r *http.Request) error {
	f := newForm()
	f.Values["language"], f.Values["capacity"] = request.From(r.Context()).Lang, "20"
	f.Values["course_id"] = r.URL.Query().Get("course_id")
	return s.renderCohortForm(w, r, http.StatusOK, f)
}

// renderCohortForm draws the form of a new cohort: its course, where it is held, its
// trainers, language, places, days, and the optional rules of who may enrol.
func (s *Server) renderCohortForm(w http.ResponseWriter, r *http.Request, status int, f *form) error {
	info := request.From(r.Context())
	if info.Actor.ScopeOf(birge.PermTrainingManage).Empty() {
		return birge.ErrForbidden
	}
	courses, err := s.store.Trainings.Courses(r.Context(), info.Actor, 0)
	if err != nil {
		return err
	}
	var courseOpts []option
	orgs := map[int64]bool{}
	for _, k := range courses {
		if !k.Retired && s.store.Trainings.MayCreateCohorts(info.Actor, k.OrgID) {
			courseOpts = append(courseOpts, option{strconv.FormatInt(k.ID, 10), k.Names.In(info.Lang)})
			orgs[k.OrgID] = true
		}
	}
	centers, err := s.visibleCenters(r, store.CenterFilter{})
	if err != nil {
		return err
	}
	centerOpts := []option{{"0", info.P.T("cohort.no_center")}}
	for _, c := range centers {
		if info.Actor.Can(birge.PermTrainingManage, c.OrgID, c.ID) {
			centerOpts = append(centerOpts, option{strconv.FormatInt(c.ID, 10), c.Names.In(info.Lang)})
		}
	}
	var trainers []option
	for org := range orgs {
		list, err := s.store.Trainings.Trainers(r.Context(), info.Actor, org)
		if err != nil {
			return err
		}
		for _, t := range list {
			trainers = append(trainers, option{strconv.FormatInt(t.ID, 10), t.Name})
		}
	}
	slices.SortFunc(trainers, func(a, b option) int { return strings.Compare(a.Label, b.Label) })
	langs := make([]option, len(birge.Langs))
	for i, l := range birge.Langs {
		langs[i] = option{l, langNames[l]}
	}
	return s.render(w, r, status, "training/cohort_form", f, map[string]any{"Courses": courseOpts,
		"Centers": centerOpts, "Trainers": trainers, "Langs": langs})
}

// cohortFromForm reads the cohort form; trainers are ticked boxes trainer_<id>, and
// regions and categories codes separated by commas.
func cohortFromForm(f *form) birge.Cohort {
	h := birge.Cohort{CourseID: f.int64("course_id"), CenterID: f.int64("center_id"), Venue: f.get("venue"),
		Language: f.get("language"), StartsOn: strings.TrimSpace(f.get("starts_on")),
		EndsOn: strings.TrimSpace(f.get("ends_on")), RuralOnly: f.get("rural_only") != "", TrainerIDs: []int64{},
		PublicSignup: f.get("public_signup") != "", SignupUntil: strings.TrimSpace(f.get("signup_until"))}
	h.Capacity = formInt(f, "capacity")
	h.MinAge, h.MaxAge = formInt(f, "min_age"), formInt(f, "max_age")
	for name, v := range f.Values {
		if id, ok := strings.CutPrefix(name, "trainer_"); ok && v != "" {
			n, _ := strconv.ParseInt(id, 10, 64)
			h.TrainerIDs = append(h.TrainerIDs, n)
		}
	}
	slices.Sort(h.TrainerIDs)
	h.Regions = codeList(f.get("eligible_regions"))
	h.Categories = codeList(f.get("eligible_categories"))
	return h
}

// formInt reads a whole number; empty is 0, and what is not a number -1, which the
// checks refuse as out of range.
func formInt(f *form, name string) int {
	s := strings.TrimSpace(f.get(name))
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

func codeList(s string) []string {
	out := []string{}
	for _, c := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		out = append(out, strings.ToUpper(c))
	}
	return out
}

func (s *Server) cohortCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	info := request.From(r.Context())
	if info.Actor.ScopeOf(birge.PermTrainingManage).Empty() {
		return birge.ErrForbidden
	}
	h, err := s.store.Trainings.CreateCohort(r.Context(), info.Actor, cohortFromForm(f))
	if err != nil {
		if f.fail(err) {
			return s.renderCohortForm(w, r, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	return redirect(w, r, "/cohorts/"+strconv.FormatInt(h.ID, 10), "flash.saved")
}

// cohortShow is a cohort's page: its sessions, who is enrolled, the waiting list, and
// for those who run it the forms to generate sessions and to find and enrol a woman
// (?q= searches the registry).
func (s *Server) cohortShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderCohort(w, r, http.StatusOK, newForm(), pathInt(r, "id"))
}

// trainingSessionRow is a training session in the cohort's page, in the user's zone.
type trainingSessionRow struct {
	ID            int64
	Day, From, To string
	Venue         string
}

func (s *Server) renderCohort(w http.ResponseWriter, r *http.Request, status int, f *form, id int64) error {
	info := request.From(r.Context())
	h, err := s.store.Trainings.Cohort(r.Context(), info.Actor, id)
	if err != nil {
		return err
	}
	rows, err := s.cohortRows(r, []birge.Cohort{h})
	if err != nil {
		return err
	}
	sessions, err := s.store.Trainings.TrainingSessions(r.Context(), info.Actor, id)
	if err != nil {
		return err
	}
	zone := info.Actor.Location()
	srows := make([]trainingSessionRow, len(sessions))
	for i, x := range sessions {
		srows[i] = trainingSessionRow{ID: x.ID, Day: info.P.Day(x.StartsAt.In(zone).Format(time.DateOnly)),
			From: x.StartsAt.In(zone).Format("15:04"), To: x.EndsAt.In(zone).Format("15:04"), Venue: x.Venue}
	}
	enrolled, err := s.store.Trainings.Enrollments(r.Context(), info.Actor, id)
	if err != nil {
		return err
	}
	var places, pending, waiting, dropped []birge.Enrollment
	var movedUp []string
	moved := idList(r.URL.Query().Get("moved_up"))
	for _, e := range enrolled {
		switch {
		case e.Status == birge.EnrollmentWaiting:
			waiting = append(waiting, e)
		case e.Status == birge.EnrollmentDropped:
			dropped = append(dropped, e)
		case e.Status == birge.EnrollmentPending:
			pending = append(pending, e)
		default:
			places = append(places, e)
		}
		if slices.Contains(moved, e.ID) {
			movedUp = append(movedUp, e.PersonName)
		}
	}
	manage := s.store.Trainings.MayManageCohort(info.Actor, h)
	var found []option
	// The search typed, from the address or, when an enrolment was refused, from its form.
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if q == "" {
		q = strings.TrimSpace(f.get("q"))
	}
	if q != "" && manage {
		f.Values["q"] = q
		list, err := s.store.People.List(r.Context(), info.Actor, store.PeopleFilter{Q: q, Limit: 10})
		if err != nil {
			return err
		}
		for _, p := range list.Items {
			name := birge.Person{FamilyName: p.FamilyName, GivenName: p.GivenName, Patronymic: p.Patronymic}.FullName()
			if p.BirthDate != "" {
				name += ", " + info.P.Day(p.BirthDate)
			}
			found = append(found, option{strconv.FormatInt(p.ID, 10), name})
		}
	}
	if f.Values["weekday"] == "" {
		f.Values["weekday"], f.Values["start"], f.Values["minutes"] = "6", "10:00", "120"
	}
	weekdays := make([]option, 7)
	for i := range weekdays {
		weekdays[i] = option{strconv.Itoa(i), info.P.T("cohort.weekday." + strconv.Itoa(i))}
	}
	// Why she may not enrol: each rule she does not meet, named, with its reason.
	var refusals []string
	for _, field := range []string{"person_id", "eligible_categories", "eligible_regions", "min_age", "max_age", "rural_only"} {
		if key := f.Errors[field]; key != "" {
			label := info.P.T("enrollment.person")
			if field != "person_id" {
				label = info.P.T("cohort." + field)
			}
			refusals = append(refusals, label+": "+info.P.T(key))
		}
	}
	// What the completion rule found for each woman, in the reader's words (decision 0031).
	notes := map[int64]string{}
	for _, e := range places {
		notes[e.ID] = completionText(info.P, e.Completion)
	}
	course, err := s.store.Trainings.Course(r.Context(), info.Actor, h.CourseID)
	if err != nil {
		return err
	}
	certs, err := s.cohortCertificateList(r, h)
	if err != nil {
		return err
	}
	return s.render(w, r, status, "training/cohort", f, map[string]any{"Cohort": rows[0], "Sessions": srows, "Refusals": refusals,
		"Places": places, "Waiting": waiting, "Dropped": dropped, "Pending": pending, "MovedUp": movedUp, "CanManage": manage,
		"Found": found, "Weekdays": weekdays, "Full": h.Enrolled >= h.Capacity, "Notes": notes,
		"CanAttend": s.store.Trainings.MayAttend(info.Actor, h), "Project": course.CompletionRule.Project,
		"Ended": info.Actor.Today(s.store.Now()).Format(time.DateOnly) >= h.EndsOn, "Certificates": certs})
}

// cohortSessions generates a cohort's weekly sessions from the form's pattern.
func (s *Server) cohortSessions(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	id := pathInt(r, "id")
	p := birge.SessionPattern{Weekday: formInt(f, "weekday"), Start: strings.TrimSpace(f.get("start")),
		Minutes: formInt(f, "minutes"), Venue: f.get("venue")}
	if _, err := s.store.Trainings.GenerateTrainingSessions(r.Context(), request.From(r.Context()).Actor, id, p); err != nil {
		if f.fail(err) {
			return s.renderCohort(w, r, http.StatusUnprocessableEntity, f, id)
		}
		return err
	}
	return redirect(w, r, "/cohorts/"+strconv.FormatInt(id, 10)+"#sessions", "flash.saved")
}

// trainingSessionDelete removes one session of a cohort.
func (s *Server) trainingSessionDelete(w http.ResponseWriter, r *http.Request) error {
	a := request.From(r.Context()).Actor
	x, err := s.store.Trainings.TrainingSession(r.Context(), a, pathInt(r, "id"))
	if err != nil {
		return err
	}
	if err := s.store.Trainings.DeleteTrainingSession(r.Context(), a, x.ID); err != nil {
		return err
	}
	return redirect(w, r, "/cohorts/"+strconv.FormatInt(x.CohortID, 10)+"#sessions", "flash.deleted")
}

// cohortEnroll enrols the woman chosen from the search, with the accommodation asked.
func (s *Server) cohortEnroll(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	id := pathInt(r, "id")
	e := birge.Enrollment{PersonID: f.int64("person_id"), Childcare: f.get("childcare") != "",
		SpecialNeeds: f.get("special_needs") != "", Accommodation: f.get("accommodation")}
	if _, err := s.store.Trainings.Enroll(r.Context(), request.From(r.Context()).Actor, id, e); err != nil {
		if be := birge.AsError(err); be != nil && be.Kind == birge.KindConflict {
			f.Error = be.Key
			return s.renderCohort(w, r, http.StatusConflict, f, id)
		}
		if f.fail(err) {
			return s.renderCohort(w, r, http.StatusUnprocessableEntity, f, id)
		}
		return err
	}
	return redirect(w, r, "/cohorts/"+strconv.FormatInt(id, 10)+"#enrolled", "flash.saved")
}

// enrollmentUpdate changes an enrolment's status (dropped, with a reason); the cohort's
// page then names who moved up from the waiting list.
func (s *Server) enrollmentUpdate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	a := request.From(r.Context()).Actor
	e, err := s.store.Trainings.Enrollment(r.Context(), a, pathInt(r, "id"))
	if err != nil {
		return err
	}
	e.Status = f.get("status")
	e.Reason = ""
	if e.Status == birge.EnrollmentDropped {
		e.Reason = f.get("reason")
	}
	saved, err := s.store.Trainings.UpdateEnrollment(r.Context(), a, e)
	if err != nil {
		if f.fail(err) {
			f.Values["enrollment_id"] = strconv.FormatInt(e.ID, 10)
			return s.renderCohort(w, r, http.StatusUnprocessableEntity, f, e.CohortID)
		}
		if be := birge.AsError(err); be != nil && be.Kind == birge.KindConflict {
			f.Error = be.Key
			return s.renderCohort(w, r, http.StatusConflict, f, e.CohortID)
		}
		return err
	}
	to := "/cohorts/" + strconv.FormatInt(e.CohortID, 10)
	if len(saved.MovedUp) > 0 {
		ids := make([]string, len(saved.MovedUp))
		for i, m := range saved.MovedUp {
			ids[i] = strconv.FormatInt(m.ID, 10)
		}
		to += "?moved_up=" + strings.Join(ids, ",")
	}
	return redirect(w, r, to+"#enrolled", "flash.saved")
}
