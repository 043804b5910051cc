package web

import (
	_ "embed"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/birge-org/birge/internal/api"
	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/request"
)

// Attendance of trainings (issue 12, decision 0031): today's sessions of a trainer, a
// session's register made for a 360-px phone, which works as a plain form and, with
// JavaScript, offline (static/attendance.js, the service worker attendance-sw.js), and
// the completion rule on the cohort's page.

// attendanceWorker is the service worker's script. It is served from the site's root so
// that its scope covers the register pages (a worker's scope is its folder at most).
//
//go:embed worker/attendance-sw.js
var attendanceWorker []byte

func (s *Server) attendanceWorkerJS(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	_, err := w.Write(attendanceWorker)
	return err
}

// todaySessionRow is a session of today's page.
type todaySessionRow struct {
	ID               int64
	From, To         string
	Course, Place    string
	Marked, Enrolled int
}

// trainingToday lists the actor's training sessions of her day, each a link to its
// register: opened while online, it keeps them for a village with no signal.
func (s *Server) trainingToday(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	a := info.Actor
	if a.ScopeOf(birge.PermTrainingAttend).Empty() {
		return birge.ErrForbidden
	}
	today := a.Today(s.store.Now()).Format(time.DateOnly)
	list, err := s.store.Trainings.SessionsOn(r.Context(), a, today)
	if err != nil {
		return err
	}
	cohorts := make([]birge.Cohort, len(list))
	for i, x := range list {
		cohorts[i] = x.Cohort
	}
	described, err := s.cohortRows(r, cohorts)
	if err != nil {
		return err
	}
	zone := a.Location()
	rows := make([]todaySessionRow, len(list))
	for i, x := range list {
		place := described[i].Center
		if x.Venue != "" {
			place = x.Venue
		}
		rows[i] = todaySessionRow{ID: x.ID, From: x.StartsAt.In(zone).Format("15:04"), To: x.EndsAt.In(zone).Format("15:04"),
			Course: described[i].Course, Place: place, Marked: x.Marked, Enrolled: x.Cohort.Enrolled}
	}
	return s.render(w, r, http.StatusOK, "training/today", newForm(), map[string]any{"Sessions": rows, "Day": today})
}

// registerRow is a woman of the register page: her mark as the page shows it.
type registerRow struct {
	birge.RegisterLine
	When string // when it was marked, in the reader's zone
	Err  string // a message key about her mark, after a refused save
}

// attendanceShow is a session's register.
func (s *Server) attendanceShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderRegister(w, r, http.StatusOK, newForm(), pathInt(r, "id"))
}

func (s *Server) renderRegister(w http.ResponseWriter, r *http.Request, status int, f *form, id int64) error {
	info := request.From(r.Context())
	a := info.Actor
	reg, err := s.store.Trainings.Register(r.Context(), a, id)
	if err != nil {
		return err
	}
	h, err := s.store.Trainings.Cohort(r.Context(), a, reg.CohortID)
	if err != nil {
		return err
	}
	described, err := s.cohortRows(r, []birge.Cohort{h})
	if err != nil {
		return err
	}
	zone := a.Location()
	held := !birge.Day(reg.StartsAt, zone).After(a.Today(s.store.Now()))
	rows := make([]registerRow, len(reg.Lines))
	counts := map[string]int{}
	for i, l := range reg.Lines {
		pid := strconv.FormatInt(l.PersonID, 10)
		rows[i] = registerRow{RegisterLine: l, Err: f.Errors["mark-"+pid]}
		if rows[i].Err == "" {
			rows[i].Err = f.Errors["reason-"+pid]
		}
		if l.MarkedAt != nil {
			rows[i].When = info.P.DateTime(*l.MarkedAt, zone)
		}
		// After a refused save the page shows what she chose, not what is stored.
		if v, ok := f.Values["mark-"+pid]; ok {
			rows[i].Mark, rows[i].Reason = v, f.Values["reason-"+pid]
		}
		counts[l.Mark]++
	}
	return s.render(w, r, status, "training/register", f, map[string]any{"Session": reg, "Cohort": described[0],
		"Day": info.P.Day(reg.StartsAt.In(zone).Format(time.DateOnly)), "From": reg.StartsAt.In(zone).Format("15:04"),
		"To": reg.EndsAt.In(zone).Format("15:04"), "Lines": rows, "Counts": counts, "Held": held,
		"CanMark": s.store.Trainings.MayAttend(a, h) && held, "Marks": birge.Marks})
}

// attendanceSave is the register's plain form: "everyone present" marks every woman not
// yet marked present; otherwise each woman whose mark or reason the trainer changed is
// sent, marked now. Marks she did not touch are not sent, so that a newer mark made on
// another phone is never overwritten by a page that merely showed the old one.
func (s *Server) attendanceSave(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	id := pathInt(r, "id")
	a := request.From(r.Context()).Actor
	reg, err := s.store.Trainings.Register(r.Context(), a, id)
	if err != nil {
		return err
	}
	now := s.store.Now()
	everyone := f.get("everyone") != ""
	var marks []birge.TrainingMark
	for _, l := range reg.Lines {
		pid := strconv.FormatInt(l.PersonID, 10)
		mark, reason := f.get("mark-"+pid), f.get("reason-"+pid)
		if everyone {
			mark, reason = birge.MarkPresent, ""
			if l.Mark != "" || (l.Status != birge.EnrollmentEnrolled && l.Status != birge.EnrollmentCompleted) {
				continue
			}
		}
		if mark == "" || (mark == l.Mark && reason == l.Reason) {
			continue
		}
		marks = append(marks, birge.TrainingMark{PersonID: l.PersonID, Mark: mark, Reason: reason, MarkedAt: now})
	}
	if _, err := s.store.Trainings.PutMarks(r.Context(), a, id, marks); err != nil {
		if e := birge.AsError(err); e.Kind == birge.KindInvalid {
			// marks[i].field → the field of the woman the i-th mark was about.
			for key, msg := range e.Fields {
				if m := markField.FindStringSubmatch(key); m != nil {
					i, _ := strconv.Atoi(m[1])
					if i < len(marks) {
						name := "mark-"
						if m[2] == "reason" {
							name = "reason-"
						}
						f.Errors[name+strconv.FormatInt(marks[i].PersonID, 10)] = msg
					}
				}
			}
			f.Error, f.ErrorArgs = e.Key, e.Args
			return s.renderRegister(w, r, http.StatusUnprocessableEntity, f, id)
		}
		return err
	}
	return redirect(w, r, fmt.Sprintf("/training-sessions/%d/attendance", id), "attendance.saved")
}

var markField = regexp.MustCompile(`^marks\[(\d+)\]\.(\w+)$`)

// attendanceSync is where the register page's script sends marks kept offline: the body
// and answer of PUT /api/v1/training-sessions/{id}/attendance, under the page's session
// cookie rather than a token. A PUT with a JSON body cannot come from another site's form,
// and the server's cross-origin protection refuses one from another site's script (decision
// 0031). Errors are problem documents, as the API's.
func (s *Server) attendanceSync(w http.ResponseWriter, r *http.Request) error {
	if err := s.api.PutAttendance(w, r); err != nil {
		api.WriteProblem(w, r, err)
	}
	return nil
}

// cohortComplete applies the completion rule from the cohort's page.
func (s *Server) cohortComplete(w http.ResponseWriter, r *http.Request) error {
	id := pathInt(r, "id")
	if _, err := s.store.Trainings.Complete(r.Context(), request.From(r.Context()).Actor, id); err != nil {
		if e := birge.AsError(err); e.Kind == birge.KindInvalid {
			f := newForm()
			f.Error, f.ErrorArgs = e.Key, map[string]any{"day": request.From(r.Context()).P.Day(fmt.Sprint(e.Args["day"]))}
			return s.renderCohort(w, r, http.StatusUnprocessableEntity, f, id)
		}
		return err
	}
	return redirect(w, r, fmt.Sprintf("/cohorts/%d#enrolled", id), "completion.applied")
}

// enrollmentProject marks whether her final project passed (the box on the cohort's page).
func (s *Server) enrollmentProject(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	a := request.From(r.Context()).Actor
	e, err := s.store.Trainings.Enrollment(r.Context(), a, pathInt(r, "id"))
	if err != nil {
		return err
	}
	e.ProjectPassed = f.get("project_passed") != ""
	if _, err := s.store.Trainings.UpdateEnrollment(r.Context(), a, e); err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/cohorts/%d#enrolled", e.CohortID), "flash.saved")
}

// completionText says in the reader's language what the completion rule found for her:
// "attendance 62 % of 80 % needed; final project not passed".
func completionText(p *i18n.Printer, c *birge.Completion) string {
	if c == nil {
		return ""
	}
	text := p.T("completion.attendance", "share", birge.Percent(c.Share()), "needed", birge.Percent(c.MinAttendance),
		"attended", c.Attended, "held", c.Held)
	for _, reason := range c.Reasons {
		if reason == birge.ProjectNotPassed {
			text += "; " + p.T("completion.project_not_passed")
		}
	}
	return text
}
