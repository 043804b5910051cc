package store_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// caseWorker adds a psychologist with case worker grants in the given centres and
// signs her in.
func (fx *peopleFixture) caseWorker(t *testing.T, email string, centers ...birge.Center) *birge.Actor {
	t.Helper()
	ctx := context.Background()
	var grants []birge.Grant
	for _, c := range centers {
		grants = append(grants, birge.Grant{Role: birge.RoleCaseWorker, OrgID: c.OrgID, CenterID: c.ID})
	}
	if _, err := fx.st.CreateUser(ctx, birge.System("t"), store.NewUser{User: birge.User{Email: email, Name: email,
		Lang: "kk", Grants: grants}, Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	_, a, err := fx.st.Login(ctx, email, "correct horse battery", "10.0.0.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// at is an instant of the test's days (the clock reads 2026-12-31 20:30 UTC, already
// 1 January in Almaty).
func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func booking(typ string, worker int64, room, from, to string, people ...int64) birge.Session {
	return birge.Session{Type: typ, WorkerID: worker, Room: room, StartsAt: at(from), EndsAt: at(to), PersonIDs: people}
}

// kargalyCase takes in a Kargaly family whose psychologist is the demo case worker, and
// screens both partners (nothing found), as joint sessions need.
func kargalyCase(t *testing.T, fx *peopleFixture, children ...int64) (birge.Case, birge.Person, birge.Person) {
	t.Helper()
	her, him := fx.couple(t, fx.fpcAdmin, fx.kargaly.ID)
	k := familyCase(fx.kargaly.ID, her.ID, him.ID)
	k.PsychologistID, k.ChildIDs = fx.caseworker.UserID, children
	k, err := fx.st.Cases.Create(context.Background(), fx.fpcAdmin, k)
	if err != nil {
		t.Fatal(err)
	}
	return screenNone(t, fx, fx.caseworker, k), her, him
}

// screenNone screens every partner of a case alone, every answer no, and returns the
// case as it is then.
func screenNone(t *testing.T, fx *peopleFixture, a *birge.Actor, k birge.Case) birge.Case {
	t.Helper()
	answers := map[string]bool{}
	for _, q := range birge.DefaultQuestions {
		answers[q.Code] = false
	}
	for _, id := range k.PartnerIDs {
		if _, err := fx.st.Screenings.Create(context.Background(), a, k.ID,
			birge.Screening{PersonID: id, Alone: true, Answers: answers}); err != nil {
			t.Fatal(err)
		}
	}
	k, err := fx.st.Cases.Get(context.Background(), a, k.ID)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func flag(t *testing.T, fx *peopleFixture, k birge.Case, her int64) {
	t.Helper()
	answers := map[string]bool{}
	for _, q := range birge.DefaultQuestions {
		answers[q.Code] = q.Code == "strangling"
	}
	if _, err := fx.st.Screenings.Create(context.Background(), fx.caseworker, k.ID,
		birge.Screening{PersonID: her, Alone: true, Answers: answers}); err != nil {
		t.Fatal(err)
	}
}

// TestSessionGate: before each partner is screened, and on a flagged case, couple,
// mediation and family sessions are refused with the reason, individual and child
// sessions are not; lifting the flag lets them through; a joint session booked before
// the flag can then only be cancelled.
func TestSessionGate(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		child := fx.register(t, fx.fpcAdmin, birge.Person{CenterID: fx.kargaly.ID, GivenName: "Аружан"})
		cw := fx.caseworker.UserID

		// Before the screenings: only she is screened, so no joint session yet.
		her, him := fx.couple(t, fx.fpcAdmin, fx.kargaly.ID)
		u := familyCase(fx.kargaly.ID, her.ID, him.ID)
		u.PsychologistID = cw
		u, err := st.Cases.Create(ctx, fx.fpcAdmin, u)
		if err != nil {
			t.Fatal(err)
		}
		one := u
		one.PartnerIDs = []int64{her.ID}
		screenNone(t, fx, fx.caseworker, one)
		for _, typ := range []string{"couple", "mediation", "family"} {
			_, err := st.Sessions.Schedule(ctx, fx.caseworker, u.ID, booking(typ, cw, "", "2027-01-04T04:00:00Z",
				"2027-01-04T05:00:00Z", her.ID, him.ID))
			if e := birge.AsError(err); e == nil || e.Kind != birge.KindConflict || e.Key != "session.unscreened" {
				t.Errorf("%s before both partners are screened: %v, want session.unscreened", typ, err)
			}
		}
		if _, err := st.Sessions.Schedule(ctx, fx.caseworker, u.ID, booking("individual", cw, "", "2027-01-04T04:00:00Z",
			"2027-01-04T05:00:00Z", him.ID)); err != nil {
			t.Errorf("an individual session before his screening: %v", err)
		}

		k, her, him := kargalyCase(t, fx, child.ID)
		early, err := st.Sessions.Schedule(ctx, fx.caseworker, k.ID, booking("mediation", cw, "", "2027-01-05T04:00:00Z",
			"2027-01-05T05:00:00Z", her.ID, him.ID))
		if err != nil {
			t.Fatalf("mediation once both are screened, nothing found: %v", err)
		}
		flag(t, fx, k, her.ID)
		hour := 6
		next := func() (string, string) {
			hour++
			return "2027-01-05T" + itoa2(hour) + ":00:00Z", "2027-01-05T" + itoa2(hour) + ":50:00Z"
		}
		for _, typ := range []string{"couple", "mediation", "family"} {
			from, to := next()
			_, err := st.Sessions.Schedule(ctx, fx.caseworker, k.ID, booking(typ, cw, "", from, to, her.ID, him.ID))
			if e := birge.AsError(err); e == nil || e.Kind != birge.KindConflict || e.Key != "session.flagged" {
				t.Errorf("%s on a flagged case: %v, want session.flagged", typ, err)
			}
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM case_sessions WHERE case_id = ?`, k.ID); n != 1 {
			t.Errorf("%d sessions saved, want the one before the flag", n)
		}
		from, to := next()
		if _, err := st.Sessions.Schedule(ctx, fx.caseworker, k.ID, booking("individual", cw, "", from, to, her.ID)); err != nil {
			t.Errorf("individual session on a flagged case: %v", err)
		}
		from, to = next()
		if _, err := st.Sessions.Schedule(ctx, fx.caseworker, k.ID, booking("child", cw, "", from, to, child.ID)); err != nil {
			t.Errorf("child session on a flagged case: %v", err)
		}
		// Both partners in a session of another type is a joint session all the same.
		from, to = next()
		if _, err := st.Sessions.Schedule(ctx, fx.caseworker, k.ID, booking("child", cw, "", from, to, child.ID, her.ID,
			him.ID)); birge.AsError(err).Key != "session.flagged" {
			t.Errorf("a child session with both partners on a flagged case: %v, want session.flagged", err)
		}
		if _, err := st.Sessions.Schedule(ctx, fx.caseworker, k.ID, booking("individual", cw, "", from, to, her.ID,
			him.ID)); birge.AsError(err).Fields["person_ids"] != "session.individual_one" {
			t.Errorf("an individual session of both partners: %v, want session.individual_one", err)
		}
		// The mediation booked before the flag was cancelled by it, for the centre, and
		// cannot be booked again.
		if early, err = st.Sessions.Get(ctx, fx.caseworker, early.ID); err != nil || early.Attendance != "cancelled_center" {
			t.Errorf("the mediation booked before the flag: %+v, %v", early, err)
		}
		again := early
		again.Attendance = ""
		if _, err := st.Sessions.Update(ctx, fx.caseworker, again); birge.AsError(err).Key != "session.flagged" {
			t.Errorf("booking a mediation of a flagged case again: %v", err)
		}
		if _, err := st.Cases.Override(ctx, fx.fpcAdmin, k.ID, "The crisis centre agrees; she asked for it herself"); err != nil {
			t.Fatal(err)
		}
		from, to = next()
		if _, err := st.Sessions.Schedule(ctx, fx.caseworker, k.ID, booking("mediation", cw, "", from, to, her.ID, him.ID)); err != nil {
			t.Errorf("mediation after the flag was lifted: %v", err)
		}
	})
}

func itoa2(n int) string { return string(rune('0'+n/10)) + string(rune('0'+n%10)) }

// TestSessionClashes: a worker is never booked twice at once, across all her centres;
// nor is a room of a centre; a cancelled session frees both. Bad times are refused by
// field.
func TestSessionClashes(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		both := fx.caseWorker(t, "both@birge.example", fx.aktobe, fx.kargaly)
		a1, a2 := fx.couple(t, fx.coord, fx.aktobe.ID)
		ak := familyCase(fx.aktobe.ID, a1.ID, a2.ID)
		ak.PsychologistID = both.UserID
		aktobe, err := st.Cases.Create(ctx, fx.coord, ak)
		if err != nil {
			t.Fatal(err)
		}
		screenNone(t, fx, fx.coord, aktobe)
		kargaly, her, him := kargalyCase(t, fx)
		kargaly.MediatorID = both.UserID
		if kargaly, err = st.Cases.Update(ctx, fx.fpcAdmin, kargaly); err != nil {
			t.Fatal(err)
		}
		first, err := st.Sessions.Schedule(ctx, both, aktobe.ID, booking("individual", both.UserID, "Кабинет 1",
			"2027-01-05T04:00:00Z", "2027-01-05T05:00:00Z", a1.ID))
		if err != nil {
			t.Fatal(err)
		}
		// The same worker at Kargaly half an hour later: refused, naming the Aktobe time
		// (09:00 in Almaty).
		_, err = st.Sessions.Schedule(ctx, both, kargaly.ID, booking("couple", both.UserID, "", "2027-01-05T04:30:00Z",
			"2027-01-05T05:30:00Z", her.ID, him.ID))
		if e := birge.AsError(err); e == nil || e.Key != "session.clash_worker" || e.Args["time"] != "05.01.2027 09:00–10:00" {
			t.Errorf("worker booked twice across centres: %v", err)
		}
		// Another worker in the same Aktobe room at the same time: refused.
		_, err = st.Sessions.Schedule(ctx, fx.coord, aktobe.ID, booking("couple", fx.coord.UserID, "Кабинет 1",
			"2027-01-05T04:15:00Z", "2027-01-05T04:45:00Z", a1.ID, a2.ID))
		if e := birge.AsError(err); e == nil || e.Key != "session.clash_room" {
			t.Errorf("room booked twice: %v", err)
		}
		// Back to back is no clash; another room is none either.
		if _, err := st.Sessions.Schedule(ctx, fx.coord, aktobe.ID, booking("couple", fx.coord.UserID, "Кабинет 1",
			"2027-01-05T05:00:00Z", "2027-01-05T06:00:00Z", a1.ID, a2.ID)); err != nil {
			t.Errorf("back to back: %v", err)
		}
		if _, err := st.Sessions.Schedule(ctx, fx.coord, aktobe.ID, booking("individual", fx.coord.UserID, "Кабинет 2",
			"2027-01-05T03:00:00Z", "2027-01-05T04:00:00Z", a2.ID)); err != nil {
			t.Errorf("another room: %v", err)
		}
		// Cancelled, the first frees its worker.
		first.Attendance = "cancelled_client"
		if _, err := st.Sessions.Update(ctx, both, first); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Sessions.Schedule(ctx, both, kargaly.ID, booking("couple", both.UserID, "", "2027-01-05T04:30:00Z",
			"2027-01-05T05:30:00Z", her.ID, him.ID)); err != nil {
			t.Errorf("after the cancellation: %v", err)
		}
		for field, x := range map[string]birge.Session{
			"ends_at":    booking("individual", both.UserID, "", "2027-01-06T05:00:00Z", "2027-01-06T04:00:00Z", her.ID),
			"type":       booking("séance", both.UserID, "", "2027-01-06T04:00:00Z", "2027-01-06T05:00:00Z", her.ID),
			"person_ids": booking("individual", both.UserID, "", "2027-01-06T04:00:00Z", "2027-01-06T05:00:00Z", a1.ID),
			"worker_id":  booking("individual", fx.trainer.UserID, "", "2027-01-06T04:00:00Z", "2027-01-06T05:00:00Z", her.ID),
			"room":       booking("individual", both.UserID, "a\nb", "2027-01-06T04:00:00Z", "2027-01-06T05:00:00Z", her.ID),
			"starts_at":  booking("individual", both.UserID, "", "2020-01-01T04:00:00Z", "2020-01-01T05:00:00Z", her.ID), // before the intake
		} {
			if _, err := st.Sessions.Schedule(ctx, both, kargaly.ID, x); birge.AsError(err).Fields[field] == "" {
				t.Errorf("%s: %v, want a problem on it", field, err)
			}
		}
		if _, err := st.Sessions.Schedule(ctx, both, kargaly.ID, booking("individual", both.UserID, "", "9999-01-06T04:00:00Z",
			"9999-01-06T05:00:00Z", her.ID)); birge.AsError(err).Fields["starts_at"] != "session.too_far" {
			t.Errorf("a session in the year 9999: %v", err)
		}
		long := booking("individual", both.UserID, "", "2027-01-06T04:00:00Z", "2027-01-06T13:00:00Z", her.ID)
		if _, err := st.Sessions.Schedule(ctx, both, kargaly.ID, long); birge.AsError(err).Fields["ends_at"] != "session.too_long" {
			t.Errorf("nine hours: %v", err)
		}
		// The worker's week shows both her centres; the office's week is the coordinator's.
		week, err := st.Sessions.Week(ctx, both, store.WeekFilter{WorkerID: both.UserID, From: at("2027-01-04T00:00:00Z"),
			To: at("2027-01-11T00:00:00Z")})
		if err != nil || len(week) != 2 {
			t.Errorf("her week: %d sessions, %v", len(week), err)
		}
		if _, err := st.Sessions.Week(ctx, both, store.WeekFilter{CenterID: fx.aktobe.ID, From: at("2027-01-04T00:00:00Z"),
			To: at("2027-01-11T00:00:00Z")}); err != birge.ErrForbidden {
			t.Errorf("a case worker's office week: %v", err)
		}
		office, err := st.Sessions.Week(ctx, fx.coord, store.WeekFilter{CenterID: fx.aktobe.ID, From: at("2027-01-04T00:00:00Z"),
			To: at("2027-01-11T00:00:00Z")})
		if err != nil || len(office) != 3 {
			t.Errorf("the Aktobe week: %d sessions, %v", len(office), err)
		}
	})
}

// TestSessionAttendance: an attended session is one service delivery for each who came,
// written with it; unmarking removes them; a refused marking writes none.
func TestSessionAttendance(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		k, her, him := kargalyCase(t, fx)
		cw := fx.caseworker.UserID
		count := func(id int64) int {
			n, err := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM deliveries WHERE source = 'case_session' AND source_id = ?`, id)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		past, err := st.Sessions.Schedule(ctx, fx.caseworker, k.ID, booking("couple", cw, "Кабинет 3", "2026-12-30T05:00:00Z",
			"2026-12-30T06:00:00Z", her.ID, him.ID))
		if err != nil {
			t.Fatal(err)
		}
		future, err := st.Sessions.Schedule(ctx, fx.caseworker, k.ID, booking("individual", cw, "", "2027-01-03T05:00:00Z",
			"2027-01-03T06:00:00Z", her.ID))
		if err != nil {
			t.Fatal(err)
		}
		future.Attendance = "came"
		if _, err := st.Sessions.Update(ctx, fx.caseworker, future); birge.AsError(err).Fields["attendance"] != "session.not_yet" || count(future.ID) != 0 {
			t.Errorf("a session still to come marked attended: %v, %d deliveries", err, count(future.ID))
		}
		past.Attendance = "came"
		marked, err := st.Sessions.Update(ctx, fx.caseworker, past)
		if err != nil || count(past.ID) != 2 {
			t.Fatalf("attended: %v, %d deliveries", err, count(past.ID))
		}
		d, err := st.Deliveries.List(ctx, fx.caseworker, store.DeliveryFilter{PersonID: her.ID})
		if err != nil || len(d) != 1 || d[0].Kind != "counselling_session" || d[0].Date != "2026-12-30" ||
			d[0].StaffID != cw || d[0].Quantity != 1 || d[0].Unit != "sessions" || d[0].Source != "case_session" {
			t.Errorf("her delivery: %+v, %v", d, err)
		}
		if got, _ := st.Cases.Get(ctx, fx.caseworker, k.ID); got.Status != "active" {
			t.Errorf("case after the first attended session: %s, want active", got.Status)
		}
		marked.Attendance = "no_show"
		if _, err := st.Sessions.Update(ctx, fx.caseworker, marked); err != nil || count(past.ID) != 0 {
			t.Errorf("unmarked: %v, %d deliveries left", err, count(past.ID))
		}
		// A stale version is refused, and writes nothing.
		if _, err := st.Sessions.Update(ctx, fx.caseworker, past); err != birge.ErrChangedMeanwhile || count(past.ID) != 0 {
			t.Errorf("stale edit: %v", err)
		}
		// On a flagged case the couple session cannot be marked attended: refused, and no
		// delivery is written.
		flag(t, fx, k, her.ID)
		cur, _ := st.Sessions.Get(ctx, fx.caseworker, past.ID)
		cur.Attendance = "came"
		if _, err := st.Sessions.Update(ctx, fx.caseworker, cur); birge.AsError(err).Key != "session.flagged" || count(past.ID) != 0 {
			t.Errorf("joint session of a flagged case marked attended: %v, %d deliveries", err, count(past.ID))
		}
	})
}

// TestSessionNotes: a private note is sealed; its author and the centre's supervisors
// read it; another worker of the case reads none of it; a worker of the centre not on
// the case sees no session at all; it is never in her dossier.
func TestSessionNotes(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		k, her, _ := kargalyCase(t, fx)
		other := fx.caseWorker(t, "other@birge.example", fx.kargaly)
		x, err := st.Sessions.Schedule(ctx, fx.caseworker, k.ID, booking("individual", fx.caseworker.UserID, "",
			"2026-12-30T05:00:00Z", "2026-12-30T06:00:00Z", her.ID))
		if err != nil {
			t.Fatal(err)
		}
		const secret = "Ол күйеуінен қорқады"
		if _, err := st.Sessions.AddNote(ctx, fx.caseworker, x.ID, secret); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Sessions.AddNote(ctx, fx.caseworker, x.ID, " \u200b "); birge.AsError(err).Fields["body"] != "field.required" {
			t.Errorf("an empty note: %v", err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM case_session_notes WHERE body LIKE '%қорқады%'`); n != 0 {
			t.Error("the note is readable in the database")
		}
		for who, a := range map[string]*birge.Actor{"author": fx.caseworker, "supervisor": fx.fpcAdmin} {
			notes, err := st.Sessions.Notes(ctx, a, x.ID)
			if err != nil || len(notes) != 1 || notes[0].Body != secret {
				t.Errorf("%s reads %+v, %v", who, notes, err)
			}
		}
		if _, err := st.Sessions.Notes(ctx, other, x.ID); err != birge.ErrNotFound {
			t.Errorf("a worker of the centre not on the case: %v, want not found", err)
		}
		if _, err := st.Sessions.Get(ctx, other, x.ID); err != birge.ErrNotFound {
			t.Errorf("her session to a worker not on the case: %v", err)
		}
		k.MediatorID = other.UserID
		if _, err := st.Cases.Update(ctx, fx.fpcAdmin, k); err != nil {
			t.Fatal(err)
		}
		if notes, err := st.Sessions.Notes(ctx, other, x.ID); err != nil || len(notes) != 0 {
			t.Errorf("the case's mediator reads the psychologist's notes: %+v, %v", notes, err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM access_log WHERE person_id = ? AND action = 'session_note_view'`,
			her.ID); n != 2 {
			t.Errorf("%d reads of her notes logged, want the author's and the supervisor's", n)
		}
		d, err := st.People.Dossier(ctx, fx.fpcAdmin, her.ID)
		if err != nil || len(d.Sessions) != 1 {
			t.Fatalf("dossier: %d sessions, %v", len(d.Sessions), err)
		}
		b, _ := json.Marshal(d)
		if strings.Contains(string(b), "қорқады") {
			t.Error("the note is in her dossier")
		}
		// Anonymised, her notes go with her; the session stays for the counts.
		if err := st.People.Anonymise(ctx, fx.fpcAdmin, her.ID); err != nil {
			t.Fatal(err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM case_session_notes WHERE session_id = ?`, x.ID); n != 0 {
			t.Errorf("%d notes left after she was anonymised", n)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM case_session_people WHERE session_id = ?`, x.ID); n != 1 {
			t.Errorf("%d attendees kept after she was anonymised, want 1", n)
		}
	})
}

// TestSessionTomorrow: the coordinator's list of tomorrow (her day) shows each who
// comes with her phone and whether, when and how she may be called.
func TestSessionTomorrow(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		her := fx.register(t, fx.fpcAdmin, birge.Person{CenterID: fx.kargaly.ID, GivenName: "Сәуле", Phones: []string{"8 701 111 22 33"},
			MayCall: false})
		him := fx.register(t, fx.fpcAdmin, birge.Person{CenterID: fx.kargaly.ID, GivenName: "Бауыржан", Phones: []string{"8 702 444 55 66"},
			MayCall: true, CallTimes: "18:00-дан кейін", MayLeaveMessage: false})
		kk := familyCase(fx.kargaly.ID, her.ID, him.ID)
		kk.PsychologistID = fx.caseworker.UserID
		k, err := st.Cases.Create(ctx, fx.fpcAdmin, kk)
		if err != nil {
			t.Fatal(err)
		}
		k = screenNone(t, fx, fx.caseworker, k)
		cw := fx.caseworker.UserID
		// In Almaty it is 1 January: tomorrow is the 2nd, from 1 January 19:00 UTC.
		for _, b := range []birge.Session{
			booking("couple", cw, "", "2027-01-02T04:00:00Z", "2027-01-02T05:00:00Z", her.ID, him.ID),
			booking("individual", cw, "", "2027-01-01T05:00:00Z", "2027-01-01T06:00:00Z", her.ID), // today
			booking("individual", cw, "", "2027-01-03T05:00:00Z", "2027-01-03T06:00:00Z", her.ID), // after tomorrow
		} {
			if _, err := st.Sessions.Schedule(ctx, fx.caseworker, k.ID, b); err != nil {
				t.Fatal(err)
			}
		}
		list, err := st.Sessions.Tomorrow(ctx, fx.fpcAdmin, fx.kargaly.ID)
		if err != nil || len(list) != 1 || len(list[0].People) != 2 {
			t.Fatalf("tomorrow: %+v, %v", list, err)
		}
		she, he := list[0].People[0], list[0].People[1]
		if she.MayCall || len(she.Phones) != 1 || !he.MayCall || he.CallTimes != "18:00-дан кейін" || he.MayLeaveMessage {
			t.Errorf("safe contact: %+v, %+v", she, he)
		}
		if _, err := st.Sessions.Tomorrow(ctx, fx.caseworker, fx.kargaly.ID); err != birge.ErrForbidden {
			t.Errorf("a case worker's call list: %v", err)
		}
	})
}

// TestSessionFollowsMergeAndTimeline: her session moves with a merge and back with its
// undo, and is on her timeline only to those who see the case.
func TestSessionFollowsMergeAndTimeline(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		k, her, _ := kargalyCase(t, fx)
		other := fx.caseWorker(t, "other@birge.example", fx.kargaly)
		x, err := st.Sessions.Schedule(ctx, fx.caseworker, k.ID, booking("individual", fx.caseworker.UserID, "",
			"2026-12-30T05:00:00Z", "2026-12-30T06:00:00Z", her.ID))
		if err != nil {
			t.Fatal(err)
		}
		has := func(a *birge.Actor) bool {
			events, err := st.People.Timeline(ctx, a, her.ID, "", 100)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range events {
				if e.Kind == "session" {
					return true
				}
			}
			return false
		}
		if !has(fx.caseworker) || has(other) {
			t.Errorf("on her timeline: to the case's worker %v, to another worker of the centre %v", has(fx.caseworker), has(other))
		}
		dup := fx.register(t, fx.fpcAdmin, birge.Person{CenterID: fx.kargaly.ID, GivenName: "Динара", FamilyName: "Ахметова"})
		m, err := st.People.Merge(ctx, fx.fpcAdmin, dup.ID, her.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := st.Sessions.Get(ctx, fx.fpcAdmin, x.ID); len(got.PersonIDs) != 1 || got.PersonIDs[0] != dup.ID {
			t.Errorf("after the merge the session's attendee is %v, want %d", got.PersonIDs, dup.ID)
		}
		if err := st.People.UndoMerge(ctx, fx.fpcAdmin, dup.ID, m.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.Sessions.Get(ctx, fx.fpcAdmin, x.ID); len(got.PersonIDs) != 1 || got.PersonIDs[0] != her.ID {
			t.Errorf("after the undo the session's attendee is %v, want %d", got.PersonIDs, her.ID)
		}
	})
}

// TestSessionOfOneWhoLeft: a partner taken off the case stays on the sessions she was
// booked for, so that they can still be cancelled; she cannot be booked anew.
func TestSessionOfOneWhoLeft(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		k, her, him := kargalyCase(t, fx)
		cw := fx.caseworker.UserID
		x, err := st.Sessions.Schedule(ctx, fx.caseworker, k.ID, booking("individual", cw, "", "2027-01-05T04:00:00Z",
			"2027-01-05T05:00:00Z", him.ID))
		if err != nil {
			t.Fatal(err)
		}
		k.PartnerIDs = []int64{her.ID}
		if k, err = st.Cases.Update(ctx, fx.fpcAdmin, k); err != nil {
			t.Fatal(err)
		}
		x.Attendance = birge.AttendanceCancelledCenter
		if x, err = st.Sessions.Update(ctx, fx.caseworker, x); err != nil || x.Attendance != birge.AttendanceCancelledCenter {
			t.Errorf("cancelling the session of one who left: %+v, %v", x, err)
		}
		if _, err := st.Sessions.Schedule(ctx, fx.caseworker, k.ID, booking("individual", cw, "", "2027-01-06T04:00:00Z",
			"2027-01-06T05:00:00Z", him.ID)); birge.AsError(err).Fields["person_ids"] != "session.not_in_case" {
			t.Errorf("booking one who left: %v", err)
		}
	})
}
