package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// sessionRow is a session as the pages show it: its day and hours in the user's zone,
// its worker and those who come by name.
type sessionRow struct {
	birge.Session
	Day, From, To, Worker string
	People                []string
	Case                  string // "Case 12", on a calendar
}

// sessionRows names the workers and people of sessions for the user.
func (s *Server) sessionRows(r *http.Request, list []birge.Session) ([]sessionRow, error) {
	info := request.From(r.Context())
	var people, workers []int64
	for _, x := range list {
		people, workers = append(people, x.PersonIDs...), append(workers, x.WorkerID)
	}
	names, err := s.store.People.Names(r.Context(), info.Actor, people)
	if err != nil {
		return nil, err
	}
	staff, err := s.store.Cases.WorkerNames(r.Context(), workers)
	if err != nil {
		return nil, err
	}
	loc := info.Actor.Location()
	rows := make([]sessionRow, len(list))
	for i, x := range list {
		from := x.StartsAt.In(loc)
		row := sessionRow{Session: x, Day: info.P.Date(from), From: from.Format("15:04"),
			To: x.EndsAt.In(loc).Format("15:04"), Worker: staff[x.WorkerID],
			Case: info.P.T("case.number", "id", x.CaseID)}
		for _, id := range x.PersonIDs {
			name := names[id]
			if name == "" {
				name = info.P.T("case.person_hidden")
			}
			row.People = append(row.People, name)
		}
		rows[i] = row
	}
	return rows, nil
}

// sessionType is one choice of the schedule form's type: refused, with the reason in a
// few words, where the gate (birge.SessionRefused) refuses it.
type sessionType struct {
	Value, Label, Refused string
}

// gateShort are the few words beside a refused choice, for each reason of the gate.
var gateShort = map[string]string{"session.flagged": "session.refused", "session.unscreened": "session.unscreened_short"}

// sessionForm is what the case page needs to list and book its sessions.
func (s *Server) sessionForm(r *http.Request, f *form, k birge.Case, row caseRow) (map[string]any, error) {
	info := request.From(r.Context())
	list, err := s.store.Sessions.List(r.Context(), info.Actor, k.ID)
	if err != nil {
		return nil, err
	}
	rows, err := s.sessionRows(r, list)
	if err != nil {
		return nil, err
	}
	var types []sessionType
	var gate string // why joint sessions are refused, in full, once above the choices
	for _, typ := range birge.SessionTypes {
		t := sessionType{Value: typ, Label: info.P.T("session.type." + typ)}
		if err := birge.SessionRefused(k, typ, nil); err != nil {
			key := birge.AsError(err).Key
			gate, t.Refused = info.P.T(key), info.P.T(gateShort[key])
		}
		types = append(types, t)
	}
	// The worker: one of the case's, or the supervisor herself.
	workers := []option{}
	names, err := s.store.Cases.WorkerNames(r.Context(), append(k.Assigned(), info.Actor.UserID))
	if err != nil {
		return nil, err
	}
	for _, id := range k.Assigned() {
		workers = append(workers, option{strconv.FormatInt(id, 10), names[id]})
	}
	if s.store.Cases.MayManage(info.Actor, k.OrgID, k.CenterID) && !slices.Contains(k.Assigned(), info.Actor.UserID) {
		workers = append(workers, option{strconv.FormatInt(info.Actor.UserID, 10), names[info.Actor.UserID]})
	}
	if f.get("type") == "" {
		f.Values["type"] = birge.SessionIndividual
		f.Values["worker_id"] = strconv.FormatInt(info.Actor.UserID, 10)
		if len(row.Partners) > 0 { // an individual session: the first partner
			f.Values["person_"+row.Partners[0].Value] = "on"
		}
	}
	people := append(append([]option{}, row.Partners...), row.Children...)
	return map[string]any{"Sessions": rows, "Types": types, "Gate": gate, "Workers": workers, "People": people}, nil
}

// sessionFromForm reads the schedule form: the day and hours are the user's.
func sessionFromForm(f *form, loc *time.Location, people []int64) birge.Session {
	x := birge.Session{Type: f.get("type"), WorkerID: f.int64("worker_id"), Room: f.get("room"), PersonIDs: []int64{}}
	day, err := time.ParseInLocation(time.DateOnly, f.get("date"), loc)
	if err != nil {
		f.Errors["date"] = "field.date"
	}
	for field, dst := range map[string]*time.Time{"from": &x.StartsAt, "to": &x.EndsAt} {
		clock, err := time.Parse("15:04", f.get(field))
		if err != nil {
			f.Errors[field] = "field.time"
			continue
		}
		if !day.IsZero() {
			*dst = time.Date(day.Year(), day.Month(), day.Day(), clock.Hour(), clock.Minute(), 0, 0, loc)
		}
	}
	for _, id := range people {
		if f.get("person_"+strconv.FormatInt(id, 10)) != "" {
			x.PersonIDs = append(x.PersonIDs, id)
		}
	}
	return x
}

// formFields maps the store's field names to the form's.
var sessionFormFields = map[string]string{"starts_at": "from", "ends_at": "to", "person_ids": "people"}

// failSession puts a refusal on the form: per field, or a conflict (the gate, a clash)
// as the form's message. It reports whether it did.
func failSession(f *form, err error) bool {
	var e *birge.Error
	if !errors.As(err, &e) {
		return false
	}
	if e.Kind == birge.KindConflict {
		f.Error, f.ErrorArgs = e.Key, e.Args
		return true
	}
	if e.Kind != birge.KindInvalid || len(e.Fields) == 0 {
		return false
	}
	for k, v := range e.Fields {
		if name, ok := sessionFormFields[k]; ok {
			k = name
		}
		f.Errors[k] = v
	}
	f.Error, f.ErrorArgs = e.Key, e.Args
	return true
}

// sessionCreate books a session from the case page.
func (s *Server) sessionCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	info := request.From(r.Context())
	k, err := s.store.Cases.Get(r.Context(), info.Actor, pathInt(r, "id"))
	if err != nil {
		return err
	}
	x := sessionFromForm(f, info.Actor.Location(), append(append([]int64{}, k.PartnerIDs...), k.ChildIDs...))
	if len(f.Errors) > 0 {
		f.Error = "error.invalid"
		return s.renderCase(w, r, http.StatusUnprocessableEntity, f, k.ID)
	}
	if _, err := s.store.Sessions.Schedule(r.Context(), info.Actor, k.ID, x); err != nil {
		if failSession(f, err) {
			return s.renderCase(w, r, statusOf(err), f, k.ID)
		}
		return err
	}
	return redirect(w, r, "/cases/"+strconv.FormatInt(k.ID, 10)+"#sessions", "flash.saved")
}

// statusOf is a refusal's status: 409 for a conflict, else 422.
func statusOf(err error) int {
	if birge.KindOf(err) == birge.KindConflict {
		return http.StatusConflict
	}
	return http.StatusUnprocessableEntity
}

// sessionShow is a session's page: when, who, its attendance and the notes the user may
// read.
func (s *Server) sessionShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderSession(w, r, http.StatusOK, newForm(), pathInt(r, "id"))
}

func (s *Server) renderSession(w http.ResponseWriter, r *http.Request, status int, f *form, id int64) error {
	info := request.From(r.Context())
	x, err := s.store.Sessions.Get(r.Context(), info.Actor, id)
	if err != nil {
		return err
	}
	notes, err := s.store.Sessions.Notes(r.Context(), info.Actor, id)
	if err != nil {
		return err
	}
	rows, err := s.sessionRows(r, []birge.Session{x})
	if err != nil {
		return err
	}
	var authors []int64
	for _, n := range notes {
		authors = append(authors, n.AuthorID)
	}
	names, err := s.store.Cases.WorkerNames(r.Context(), authors)
	if err != nil {
		return err
	}
	type noteRow struct {
		birge.SessionNote
		Author, At string
	}
	var noteRows []noteRow
	for _, n := range notes {
		noteRows = append(noteRows, noteRow{n, names[n.AuthorID], info.P.DateTime(n.CreatedAt, info.Actor.Location())})
	}
	if _, ok := f.Values["attendance"]; !ok {
		f.Values["attendance"] = x.Attendance
	}
	f.Values["version"] = x.UpdatedAt.Format(time.RFC3339Nano)
	attendance := append([]option{{"", info.P.T("session.not_marked")}}, choices(info, "session.attendance.", birge.SessionAttendances)...)
	return s.render(w, r, status, "case/session", f, map[string]any{"Session": rows[0], "Notes": noteRows,
		"Attendance": attendance})
}

// sessionUpdate marks a session's attendance from its page.
func (s *Server) sessionUpdate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	info := request.From(r.Context())
	id := pathInt(r, "id")
	x, err := s.store.Sessions.Get(r.Context(), info.Actor, id)
	if err != nil {
		return err
	}
	x.Attendance = f.get("attendance")
	x.UpdatedAt, _ = time.Parse(time.RFC3339Nano, f.get("version"))
	if _, err := s.store.Sessions.Update(r.Context(), info.Actor, x); err != nil {
		if failSession(f, err) {
			return s.renderSession(w, r, statusOf(err), f, id)
		}
		return err
	}
	return redirect(w, r, "/sessions/"+strconv.FormatInt(id, 10), "flash.saved")
}

// sessionNote adds a private note from the session's page.
func (s *Server) sessionNote(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	id := pathInt(r, "id")
	if _, err := s.store.Sessions.AddNote(r.Context(), request.From(r.Context()).Actor, id, f.get("body")); err != nil {
		if f.fail(err) {
			return s.renderSession(w, r, http.StatusUnprocessableEntity, f, id)
		}
		return err
	}
	return redirect(w, r, "/sessions/"+strconv.FormatInt(id, 10), "flash.saved")
}

// weekStart is the Monday of the week of day (in loc), at midnight there.
func weekStart(day time.Time, loc *time.Location) time.Time {
	d := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

// calendarDay is one day of a week calendar with its sessions.
type calendarDay struct {
	Label    string
	Today    bool
	Sessions []sessionRow
}

// calendarWeek is a week calendar: the user's own (worker=her) by default, or an
// office's (center=…) to those who manage its cases, by day, Monday first; week=YYYY-MM-DD
// names a day of the week.
func (s *Server) calendarWeek(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	a := info.Actor
	seen, managed, err := s.caseCenters(r)
	if err != nil {
		return err
	}
	if len(seen) == 0 {
		return birge.ErrForbidden
	}
	loc := a.Location()
	today := a.Today(s.store.Now())
	day := today
	q := r.URL.Query()
	if d, err := time.Parse(time.DateOnly, q.Get("week")); err == nil {
		day = d
	}
	from := weekStart(day, loc)
	f := store.WeekFilter{From: from, To: from.AddDate(0, 0, 7), WorkerID: a.UserID}
	if c, err := strconv.ParseInt(q.Get("center"), 10, 64); err == nil {
		f.CenterID, f.WorkerID = c, 0
	} else if q.Get("center") == "" && q.Get("mine") == "" && len(managed) > 0 {
		f.CenterID, f.WorkerID = managed[0].ID, 0
	}
	list, err := s.store.Sessions.Week(r.Context(), a, f)
	if err != nil {
		return err
	}
	rows, err := s.sessionRows(r, list)
	if err != nil {
		return err
	}
	days := make([]calendarDay, 7)
	for i := range days {
		d := from.AddDate(0, 0, i)
		days[i] = calendarDay{Label: info.P.T("weekday."+strconv.Itoa(int(d.Weekday()))) + ", " + info.P.Date(d),
			Today: d.Year() == today.Year() && d.YearDay() == today.YearDay()}
	}
	for _, row := range rows {
		i := int(row.StartsAt.In(loc).Sub(from).Hours() / 24)
		if i >= 0 && i < 7 {
			days[i].Sessions = append(days[i].Sessions, row)
		}
	}
	var offices []option
	title := info.P.T("calendar.mine")
	for _, c := range managed {
		offices = append(offices, option{strconv.FormatInt(c.ID, 10), c.Names.In(info.Lang)})
		if c.ID == f.CenterID {
			title = c.Names.In(info.Lang)
		}
	}
	which := "mine=1"
	if f.CenterID != 0 {
		which = "center=" + strconv.FormatInt(f.CenterID, 10)
	}
	return s.render(w, r, http.StatusOK, "case/calendar", newForm(), map[string]any{"Days": days, "Title": title,
		"Offices": offices, "Center": f.CenterID, "Week": info.P.Date(from),
		"Prev": "/calendar?" + which + "&week=" + from.AddDate(0, 0, -7).Format(time.DateOnly),
		"Next": "/calendar?" + which + "&week=" + from.AddDate(0, 0, 7).Format(time.DateOnly)})
}

// calendarTomorrow is the coordinator's list for calling tomorrow's appointments (her
// day): each who comes with her phone and whether, when and how she may be called; a
// woman who must not be called shows as such, with no link to call her.
func (s *Server) calendarTomorrow(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	_, managed, err := s.caseCenters(r)
	if err != nil {
		return err
	}
	if len(managed) == 0 {
		return birge.ErrForbidden
	}
	center := managed[0]
	if c, err := strconv.ParseInt(r.URL.Query().Get("center"), 10, 64); err == nil {
		center.ID = c
	}
	list, err := s.store.Sessions.Tomorrow(r.Context(), info.Actor, center.ID)
	if err != nil {
		return err
	}
	sessions := make([]birge.Session, len(list))
	for i, ap := range list {
		sessions[i] = ap.Session
	}
	rows, err := s.sessionRows(r, sessions)
	if err != nil {
		return err
	}
	type phone struct{ Text, Tel string }
	type contact struct {
		store.Contact
		Phones []phone
	}
	type appointment struct {
		sessionRow
		People []contact
	}
	out := make([]appointment, len(list))
	for i, ap := range list {
		out[i].sessionRow = rows[i]
		for _, p := range ap.People {
			c := contact{Contact: p}
			for _, ph := range p.Phones {
				c.Phones = append(c.Phones, phone{ph, telOf(ph)})
			}
			out[i].People = append(out[i].People, c)
		}
	}
	var offices []option
	for _, c := range managed {
		offices = append(offices, option{strconv.FormatInt(c.ID, 10), c.Names.In(info.Lang)})
	}
	day := info.Actor.Today(s.store.Now()).AddDate(0, 0, 1)
	return s.render(w, r, http.StatusOK, "case/tomorrow", newForm(), map[string]any{"Appointments": out,
		"Day": info.P.Date(day), "Offices": offices, "Center": center.ID})
}

// telOf is a phone number as a tel: link dials it: its digits, and a leading plus.
func telOf(phone string) string {
	var b strings.Builder
	for i, r := range phone {
		if (r >= '0' && r <= '9') || (r == '+' && i == 0) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
