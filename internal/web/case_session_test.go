package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/store"
)

// sessionFixtures are a Kargaly case of the case worker's with a past session, for the
// session's page, its attendance and its notes.
func sessionFixtures(t *testing.T, s *site, fx *fixture) {
	// A case of their own, so that the case edits of the matrix (which may unassign its
	// worker) do not change who may take its sessions.
	k, err := s.st.Cases.Create(context.Background(), birge.System("test"), birge.Case{CenterID: fx.ids["center:kargaly"],
		PartnerIDs: []int64{fx.ids["person:kargaly-wife"], fx.ids["person:kargaly-husband"]}, PsychologistID: fx.ids["user:caseworker"],
		IntakeDate: "2026-11-02", Reasons: []string{"communication"}, CameFrom: "self"})
	if err != nil {
		t.Fatal(err)
	}
	fx.ids["case:kargaly-sessions"] = k.ID
	x, err := s.st.Sessions.Schedule(context.Background(), birge.System("test"), k.ID, birge.Session{
		Type: "individual", WorkerID: fx.ids["user:caseworker"], Room: "Кабинет 1",
		StartsAt: time.Date(2026, 12, 20, 5, 0, 0, 0, time.UTC), EndsAt: time.Date(2026, 12, 20, 6, 0, 0, 0, time.UTC),
		PersonIDs: []int64{fx.ids["person:kargaly-wife"]}})
	if err != nil {
		t.Fatal(err)
	}
	fx.ids["session:kargaly"] = x.ID
}

// screenNone screens every partner of a case alone, every answer no: joint sessions are
// refused until then.
func screenNone(t *testing.T, s *site, k birge.Case) {
	t.Helper()
	answers := map[string]bool{}
	for _, q := range birge.DefaultQuestions {
		answers[q.Code] = false
	}
	for _, id := range k.PartnerIDs {
		if _, err := s.st.Screenings.Create(context.Background(), birge.System("test"), k.ID,
			birge.Screening{PersonID: id, Alone: true, Answers: answers}); err != nil {
			t.Fatal(err)
		}
	}
}

// sessionForm books an individual session of the Kargaly wife with the case worker on
// the case page, on a day of January.
func sessionForm(day string) func(fx *fixture) any {
	return func(fx *fixture) any {
		return url.Values{"type": {"individual"}, "worker_id": {fx.id(fx.site.t, "user:caseworker")}, "room": {"Кабинет 2"},
			"date": {day}, "from": {"10:00"}, "to": {"11:00"}, "person_" + fx.id(fx.site.t, "person:kargaly-wife"): {"on"}}
	}
}

// sessionJSON books the same by the API.
func sessionJSON(from string) func(fx *fixture) any {
	return func(fx *fixture) any {
		start := at(from)
		return fmt.Sprintf(`{"type": "individual", "worker_id": %d, "room": "Кабинет 3", "starts_at": %q, "ends_at": %q,
			"person_ids": [%d]}`, fx.ids["user:caseworker"], start.Format(time.RFC3339), start.Add(time.Hour).Format(time.RFC3339),
			fx.ids["person:kargaly-wife"])
	}
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// flaggedCouple takes in a Kargaly couple of the case worker's and flags the case by the
// wife's screening (strangling).
func flaggedCouple(t *testing.T, s *site) (birge.Case, int64, int64) {
	t.Helper()
	ctx, sys := context.Background(), birge.System("test")
	kargaly := s.center("Kargaly district office")
	var ids []int64
	for _, name := range []string{"Сәуле", "Бауыржан"} {
		p, err := s.st.People.Create(ctx, sys, birge.Person{CenterID: kargaly.ID, GivenName: name, FamilyName: "Нұрланова"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	k, err := s.st.Cases.Create(ctx, sys, birge.Case{CenterID: kargaly.ID, PartnerIDs: ids, IntakeDate: "2026-12-01",
		Reasons: []string{"violence"}, CameFrom: "police", PsychologistID: s.userID("caseworker@birge.example")})
	if err != nil {
		t.Fatal(err)
	}
	answers := map[string]bool{}
	for _, q := range birge.DefaultQuestions {
		answers[q.Code] = q.Code == "strangling"
	}
	if _, err := s.st.Screenings.Create(ctx, sys, k.ID, birge.Screening{PersonID: ids[0], Alone: true, Answers: answers}); err != nil {
		t.Fatal(err)
	}
	return k, ids[0], ids[1]
}

// TestSessionGateAPIAndPage: on a flagged case the API refuses couple, mediation and
// family sessions with a 409 whose detail says why, in the user's language; the case
// page shows those choices refused with the reason, and a forged POST is refused with it
// too; an individual session goes through.
func TestSessionGateAPIAndPage(t *testing.T) {
	eachSite(t, Config{}, func(t *testing.T, s *site) {
		kk := i18n.For("kk")
		k, her, him := flaggedCouple(t, s)
		worker := s.userID("caseworker@birge.example")
		_, tok := s.token("caseworker@birge.example", "sessions")
		path := "/api/v1/cases/" + strconv.FormatInt(k.ID, 10) + "/sessions"
		for i, typ := range []string{"couple", "mediation", "family"} {
			start := time.Date(2027, 1, 11, 4+i, 0, 0, 0, time.UTC)
			res := s.api(tok, http.MethodPost, path, map[string]any{"type": typ, "worker_id": worker, "starts_at": start,
				"ends_at": start.Add(time.Hour), "person_ids": []int64{her, him}})
			if p := problemOf(t, res); res.StatusCode != 409 || p.Detail != kk.T("session.flagged") {
				t.Errorf("%s on a flagged case: %d %q", typ, res.StatusCode, p.Detail)
			}
		}
		// A time without its zone, or a number, is named by its field.
		for field, bad := range map[string]any{"ends_at": "2027-01-11T11:00", "starts_at": 123} {
			body := map[string]any{"type": "individual", "worker_id": worker, "starts_at": "2027-01-11T10:00:00Z",
				"ends_at": "2027-01-11T11:00:00Z", "person_ids": []int64{her}}
			body[field] = bad
			res := s.api(tok, http.MethodPost, path, body)
			if p := problemOf(t, res); res.StatusCode != 422 || p.Errors[field] == "" {
				t.Errorf("%s %v: %d %+v", field, bad, res.StatusCode, p)
			}
		}
		start := time.Date(2027, 1, 11, 9, 0, 0, 0, time.UTC)
		res := s.api(tok, http.MethodPost, path, map[string]any{"type": "individual", "worker_id": worker, "room": "Кабинет 1",
			"starts_at": start, "ends_at": start.Add(time.Hour), "person_ids": []int64{her}})
		var x birge.Session
		if decodeJSON(t, res, &x); res.StatusCode != 201 || x.CaseID != k.ID || x.Type != "individual" || len(x.PersonIDs) != 1 {
			t.Fatalf("individual session: %d %s", res.StatusCode, res.Body)
		}
		// A clash names the time of the session in the way (14:00 in Almaty).
		res = s.api(tok, http.MethodPost, path, map[string]any{"type": "individual", "worker_id": worker,
			"starts_at": start.Add(30 * time.Minute), "ends_at": start.Add(90 * time.Minute), "person_ids": []int64{him}})
		if p := problemOf(t, res); res.StatusCode != 409 || p.Detail != kk.T("session.clash_worker", "time", "11.01.2027 14:00–15:00") {
			t.Errorf("clash: %d %q", res.StatusCode, p.Detail)
		}

		// The page, in Kazakh: the joint choices are there, disabled, with the reason.
		c := s.login("caseworker@birge.example")
		page := "/cases/" + strconv.FormatInt(k.ID, 10)
		res = s.get(c, page)
		doc := parseHTML(t, res.Body)
		if res.StatusCode != 200 || first(doc, byID("gate-reason")) == nil || text(first(doc, byID("gate-reason"))) != kk.T("session.flagged") {
			t.Fatalf("case page: %d, no reason for the gate", res.StatusCode)
		}
		for _, in := range findAll(doc, byTag("input")) {
			if attr(in, "name") != "type" {
				continue
			}
			disabled := hasAttr(in, "disabled")
			if birge.JointSession(attr(in, "value")) != disabled {
				t.Errorf("type %s: disabled %v", attr(in, "value"), disabled)
			}
		}
		if !strings.Contains(res.Body, kk.T("session.refused")) {
			t.Error("the refused choices do not say why")
		}
		form := url.Values{"type": {"mediation"}, "worker_id": {strconv.FormatInt(worker, 10)}, "date": {"2027-01-12"},
			"from": {"10:00"}, "to": {"11:00"}, "person_" + strconv.FormatInt(her, 10): {"on"}, "person_" + strconv.FormatInt(him, 10): {"on"}}
		res = s.postForm(c, page+"/sessions", form, nil)
		if res.StatusCode != 409 || !strings.Contains(res.Body, `role="alert"`) || !strings.Contains(res.Body, kk.T("session.flagged")) {
			t.Errorf("a forged mediation on the page: %d", res.StatusCode)
		}
		form.Set("type", "individual")
		form.Del("person_" + strconv.FormatInt(him, 10))
		if res = s.postForm(c, page+"/sessions", form, nil); res.StatusCode != 303 {
			t.Fatalf("an individual session on the page: %d", res.StatusCode)
		}
		list, _ := s.st.Sessions.List(context.Background(), birge.System("t"), k.ID)
		if len(list) != 2 || list[1].Type != "individual" || list[1].StartsAt != time.Date(2027, 1, 12, 5, 0, 0, 0, time.UTC) {
			t.Errorf("sessions: %+v", list)
		}
	})
}

func storeNewUser(email string, center birge.Center) store.NewUser {
	return store.NewUser{User: birge.User{Email: email, Name: "Екінші Психолог", Lang: "kk", Grants: []birge.Grant{
		{Role: birge.RoleCaseWorker, OrgID: center.OrgID, CenterID: center.ID}}}, Password: "correct horse battery"}
}

func deliveryFilterOf(person int64) store.DeliveryFilter {
	return store.DeliveryFilter{PersonID: person}
}

// TestSessionAttendanceAPI: marking attended by PATCH writes her service delivery;
// If-Match guards it; a session still to come cannot be marked attended.
func TestSessionAttendanceAPI(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	ctx := context.Background()
	k, her, _ := flaggedCouple(t, s)
	x, err := s.st.Sessions.Schedule(ctx, birge.System("t"), k.ID, birge.Session{Type: "individual",
		WorkerID: s.userID("caseworker@birge.example"), StartsAt: at("2026-12-30T05:00:00Z"), EndsAt: at("2026-12-30T06:00:00Z"),
		PersonIDs: []int64{her}})
	if err != nil {
		t.Fatal(err)
	}
	_, tok := s.token("caseworker@birge.example", "attendance")
	path := "/api/v1/sessions/" + strconv.FormatInt(x.ID, 10)
	res := s.api(tok, http.MethodGet, path, nil)
	etag := res.Header.Get("ETag")
	if res.StatusCode != 200 || etag == "" {
		t.Fatalf("GET: %d", res.StatusCode)
	}
	res = s.api(tok, http.MethodPatch, path, map[string]any{"attendance": "came", "center_id": 5})
	if p := problemOf(t, res); res.StatusCode != 422 || p.Errors["center_id"] == "" {
		t.Errorf("read-only centre: %d %v", res.StatusCode, p.Errors)
	}
	res = s.do(nil, http.MethodPatch, path, `{"attendance": "came"}`, http.Header{"Authorization": {"Bearer " + tok},
		"If-Match": {etag}})
	var got birge.Session
	if decodeJSON(t, res, &got); res.StatusCode != 200 || got.Attendance != "came" {
		t.Fatalf("attended: %d %s", res.StatusCode, res.Body)
	}
	n := 0
	ds, _ := s.st.Deliveries.List(ctx, birge.System("t"), deliveryFilterOf(her))
	for _, d := range ds {
		if d.Source == "case_session" && d.SourceID == x.ID {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d deliveries for the attended session", n)
	}
	res = s.do(nil, http.MethodPatch, path, `{"attendance": "no_show"}`, http.Header{"Authorization": {"Bearer " + tok},
		"If-Match": {etag}})
	if res.StatusCode != 409 {
		t.Errorf("stale If-Match: %d", res.StatusCode)
	}
}

// TestSessionNotesPrivate: the author writes a note on the session's page and reads it;
// the centre's supervisor reads it; another case worker of the same centre gets 404 for
// the session and its notes; the note is in no export of her data.
func TestSessionNotesPrivate(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	ctx := context.Background()
	k, her, _ := flaggedCouple(t, s)
	kargaly := s.center("Kargaly district office")
	if _, err := s.st.CreateUser(ctx, birge.System("t"), storeNewUser("second@birge.example", kargaly)); err != nil {
		t.Fatal(err)
	}
	x, err := s.st.Sessions.Schedule(ctx, birge.System("t"), k.ID, birge.Session{Type: "individual",
		WorkerID: s.userID("caseworker@birge.example"), StartsAt: at("2026-12-30T05:00:00Z"), EndsAt: at("2026-12-30T06:00:00Z"),
		PersonIDs: []int64{her}})
	if err != nil {
		t.Fatal(err)
	}
	page := "/sessions/" + strconv.FormatInt(x.ID, 10)
	author := s.login("caseworker@birge.example")
	const secret = "Ол түнде қорқып оянады"
	if res := s.postForm(author, page+"/notes", url.Values{"body": {secret}}, nil); res.StatusCode != 303 {
		t.Fatalf("note: %d %s", res.StatusCode, res.Body)
	}
	if res := s.get(author, page); res.StatusCode != 200 || !strings.Contains(res.Body, secret) {
		t.Errorf("the author's page: %d, has the note %v", res.StatusCode, strings.Contains(res.Body, secret))
	}
	if res := s.get(s.login("fpc.admin@birge.example"), page); !strings.Contains(res.Body, secret) {
		t.Error("the supervisor does not read the note")
	}
	s.passwords["second@birge.example"] = "correct horse battery"
	if res := s.get(s.login("second@birge.example"), page); res.StatusCode != 404 || strings.Contains(res.Body, secret) {
		t.Errorf("another worker of the centre, the session's page: %d", res.StatusCode)
	}
	_, tok := s.token("second@birge.example", "second")
	if res := s.api(tok, http.MethodGet, "/api/v1/sessions/"+strconv.FormatInt(x.ID, 10), nil); res.StatusCode != 404 {
		t.Errorf("another worker of the centre, the session by the API: %d", res.StatusCode)
	}
	for _, p := range []string{"/people/" + strconv.FormatInt(her, 10) + "/dossier", "/people/" + strconv.FormatInt(her, 10) + "/dossier.json"} {
		res := s.get(s.login("fpc.admin@birge.example"), p)
		if strings.Contains(res.Body, secret) || strings.Contains(res.Body, "қорқып") {
			t.Errorf("%s (%d) holds the note", p, res.StatusCode)
		}
	}
}

// TestSessionTomorrowPage: tomorrow's list (the coordinator's day) shows a woman who
// must not be called as such, with no link to call her, and the other's hours and
// whether a message may be left.
func TestSessionTomorrowPage(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	ctx, sys := context.Background(), birge.System("t")
	aktobe := s.center("Aktobe family centre")
	her, err := s.st.People.Create(ctx, sys, birge.Person{CenterID: aktobe.ID, GivenName: "Динара", Phones: []string{"8 701 111 22 33"}})
	if err != nil {
		t.Fatal(err)
	}
	him, err := s.st.People.Create(ctx, sys, birge.Person{CenterID: aktobe.ID, GivenName: "Ержан", Phones: []string{"8 702 444 55 66"},
		MayCall: true, CallTimes: "после 18:00", MayLeaveMessage: true})
	if err != nil {
		t.Fatal(err)
	}
	coord := s.userID("coordinator@birge.example")
	k, err := s.st.Cases.Create(ctx, sys, birge.Case{CenterID: aktobe.ID, PartnerIDs: []int64{her.ID, him.ID},
		IntakeDate: "2026-12-01", Reasons: []string{"communication"}, CameFrom: "self"})
	if err != nil {
		t.Fatal(err)
	}
	screenNone(t, s, k)
	if _, err := s.st.Sessions.Schedule(ctx, sys, k.ID, birge.Session{Type: "couple", WorkerID: coord, Room: "Кабинет 1",
		StartsAt: at("2027-01-02T05:00:00Z"), EndsAt: at("2027-01-02T06:00:00Z"), PersonIDs: []int64{her.ID, him.ID}}); err != nil {
		t.Fatal(err)
	}
	ru := i18n.For("ru")
	c := s.login("coordinator@birge.example")
	res := s.get(c, "/calendar/tomorrow")
	if res.StatusCode != 200 {
		t.Fatalf("tomorrow: %d", res.StatusCode)
	}
	for _, want := range []string{ru.T("calendar.do_not_call"), `href="tel:&#43;77024445566"`, ru.T("calendar.call_times", "times", "после 18:00"),
		ru.T("calendar.may_leave_message"), "10:00–11:00"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("tomorrow's list lacks %q", want)
		}
	}
	if strings.Contains(res.Body, "7011112233") {
		t.Error("tomorrow's list shows the phone of a woman who must not be called")
	}
	// Her week: the coordinator's office.
	res = s.get(c, "/calendar?week=2027-01-02")
	if res.StatusCode != 200 || !strings.Contains(res.Body, "10:00–11:00") || !strings.Contains(res.Body, ru.T("calendar.next")) {
		t.Errorf("the office's week: %d", res.StatusCode)
	}
	if res := s.get(s.login("caseworker@birge.example"), "/calendar/tomorrow"); res.StatusCode != 403 {
		t.Errorf("a case worker's call list: %d", res.StatusCode)
	}
}

// TestSessionBLNS: every naughty string as a room (by the API) and as a private note (on
// the page) is stored exactly or refused beside its field, never a 500.
func TestSessionBLNS(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	ctx := context.Background()
	k, her, _ := flaggedCouple(t, s)
	x, err := s.st.Sessions.Schedule(ctx, birge.System("t"), k.ID, birge.Session{Type: "individual",
		WorkerID: s.userID("caseworker@birge.example"), StartsAt: at("2026-12-30T05:00:00Z"), EndsAt: at("2026-12-30T06:00:00Z"),
		PersonIDs: []int64{her}})
	if err != nil {
		t.Fatal(err)
	}
	_, tok := s.token("caseworker@birge.example", "blns")
	c := s.login("caseworker@birge.example")
	path := "/sessions/" + strconv.FormatInt(x.ID, 10)
	refusals := textRefusals("kk")
	stored := map[string]int{}
	for _, v := range naughtyStrings(t) {
		body, _ := json.Marshal(map[string]string{"room": v})
		res := s.api(tok, http.MethodPatch, "/api/v1"+path, string(body))
		switch res.StatusCode {
		case 200:
			var got birge.Session
			if decodeJSON(t, res, &got); got.Room != v {
				t.Errorf("%q as a room: stored as %q", v, got.Room)
			}
			stored["room"]++
		case 422:
			if p := problemOf(t, res); !refusals[p.Errors["room"]] {
				t.Errorf("%q as a room: refused with %v", v, p.Errors)
			}
		default:
			t.Errorf("%q as a room: %d", v, res.StatusCode)
		}
		res = s.postForm(c, path+"/notes", url.Values{"body": {v}}, nil)
		switch res.StatusCode {
		case 303:
			stored["note"]++
		case 422:
			doc := parseHTML(t, res.Body)
			if e := first(doc, byID("e-body")); e == nil || !refusals[text(e)] {
				t.Errorf("%q as a note: refused without its message", v)
			}
		default:
			t.Errorf("%q as a note: %d", v, res.StatusCode)
		}
	}
	notes, err := s.st.Sessions.Notes(ctx, birge.System("t"), x.ID)
	if err != nil || len(notes) != stored["note"] {
		t.Fatalf("%d notes read back, %d stored: %v", len(notes), stored["note"], err)
	}
	res := s.get(c, path)
	checkScripts(t, parseHTML(t, res.Body), "session page with every naughty note")
	if stored["room"] < 400 || stored["note"] < 400 {
		t.Errorf("stored: %v", stored)
	}
}
