package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/geo"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// appCall opens fx's business-grant call to applicants of the Aktobe region.
func (fx *callFixture) appCall(t *testing.T) birge.Call {
	t.Helper()
	c := fx.aCall()
	c.Regions = []string{"KZ15"}
	call, err := fx.st.Calls.Create(context.Background(), fx.grants, c)
	if err != nil {
		t.Fatalf("call: %v", birge.AsError(err).Fields)
	}
	return call
}

// anApplicant is a woman of a village of the Aktobe region whom the call's rules let in.
func anApplicant() birge.Applicant {
	return birge.Applicant{FamilyName: "Серікбаева", GivenName: "Айгүл", BirthDate: "1990-04-12",
		Phones: []string{"8 701 555 12 34"}, Region: "KZ15", Settlement: "Қарғалы", Rural: true,
		HouseholdIncome: &birge.Money{Amount: 1_000_000, Currency: "USD"}, HouseholdMembers: 4}
}

// fullAnswers answers every required question of the default business-grant form.
func fullAnswers() map[string]json.RawMessage {
	return map[string]json.RawMessage{
		"idea":             json.RawMessage(`"Нан пісіретін шағын наубайхана"`),
		"problem":          json.RawMessage(`"Ауылда нан дүкені жоқ"`),
		"market":           json.RawMessage(`"Көршілер мен мектеп"`),
		"costs":            json.RawMessage(`"Пеш — 2000 доллар\nҰн — 500 доллар"`),
		"own_contribution": json.RawMessage(`{"amount": 50000, "currency": "USD"}`),
		"monthly_income":   json.RawMessage(`{"amount": 80000, "currency": "USD"}`),
		"jobs":             json.RawMessage(`3`),
	}
}

func fields(err error) birge.Problems {
	if e := birge.AsError(err); e != nil {
		return e.Fields
	}
	return nil
}

// TestApplicationDraftComeBackSubmit: a draft is saved with what she has so far, found
// again by its reference and private token (a wrong token is as unknown as a wrong
// reference), submitted once complete, and never changed after.
func TestApplicationDraftComeBackSubmit(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newCallFixture(t, st)
		call := fx.appCall(t)
		first := map[string]json.RawMessage{"idea": json.RawMessage(`"Наубайхана"`)}
		got, err := st.Applications.Save(ctx, "10.1.0.1", call.ID, store.ApplicationInput{
			Applicant: birge.Applicant{GivenName: "Айгүл"}, Answers: first, Language: "kk"})
		if err != nil {
			t.Fatalf("draft: %v %v", err, fields(err))
		}
		if !strings.HasPrefix(got.Reference, "BG-") || len(got.Reference) != 12 || len(got.Token) < 40 || got.Status != birge.AppDraft {
			t.Fatalf("receipt %+v", got)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM applications WHERE token_hash = ?`, got.Token); n != 0 {
			t.Error("the token is stored as it is, not hashed")
		}
		app, _, err := st.Applications.Draft(ctx, "10.1.0.1", strings.ToLower(got.Reference), got.Token)
		if err != nil || app.Answers["idea"] != "Наубайхана" || app.Applicant.GivenName != "Айгүл" || app.Language != "kk" {
			t.Fatalf("come back: %+v %v", app, err)
		}
		if _, _, err := st.Applications.Draft(ctx, "10.1.0.1", got.Reference, "not-the-token"); !errors.Is(err, birge.ErrNotFound) {
			t.Errorf("a wrong token: %v", err)
		}
		// Submitting with questions left blank names each.
		in := store.ApplicationInput{Reference: got.Reference, Token: got.Token, Applicant: anApplicant(),
			Answers: first, Language: "kk", Submit: true}
		_, err = st.Applications.Save(ctx, "10.1.0.1", call.ID, in)
		if f := fields(err); f["answers.problem"] != "field.required" || f["answers.jobs"] != "field.required" {
			t.Fatalf("incomplete: %v %v", err, f)
		}
		in.Answers = fullAnswers()
		done, err := st.Applications.Save(ctx, "10.1.0.1", call.ID, in)
		if err != nil || done.Status != birge.AppEligible || done.Reference != got.Reference || done.Token != "" {
			t.Fatalf("submit: %+v %v %v", done, err, fields(err))
		}
		in.Applicant.GivenName = "Changed"
		if _, err := st.Applications.Save(ctx, "10.1.0.1", call.ID, in); birge.KindOf(err) != birge.KindConflict {
			t.Errorf("a submitted application changed: %v", err)
		}
		if _, err := st.Applications.AddFile(ctx, "10.1.0.1", got.Reference, got.Token, "photos",
			birge.EvidenceUpload{Name: "a.png", Content: pngBytes()}); birge.KindOf(err) != birge.KindConflict {
			t.Errorf("a file added to a submitted application: %v", err)
		}
		if s, err := st.Applications.Status(ctx, "10.1.0.2", got.Reference, "+7 (701) 555-12-34"); err != nil || s != birge.AppEligible {
			t.Errorf("status with her phone: %q %v", s, err)
		}
		if _, err := st.Applications.Status(ctx, "10.1.0.2", got.Reference, "+77015559999"); !errors.Is(err, birge.ErrNotFound) {
			t.Errorf("status with another phone: %v", err)
		}
		if _, err := st.Applications.Status(ctx, "10.1.0.2", "BG-2222-2222", "+77015551234"); !errors.Is(err, birge.ErrNotFound) {
			t.Errorf("status of no application: %v", err)
		}
		list, err := st.Applications.List(ctx, fx.grants, call.ID, store.ApplicationFilter{})
		if err != nil || len(list) != 1 || list[0].Reference != got.Reference || list[0].Region != "KZ15" || !list[0].Rural {
			t.Fatalf("staff list: %+v %v", list, err)
		}
		full, err := st.Applications.Get(ctx, fx.grants, list[0].ID)
		if err != nil || full.Applicant.Phones[0] != "+77015551234" || full.PersonID == 0 || full.Answers["jobs"] != float64(3) {
			t.Fatalf("staff read: %+v %v", full, err)
		}
		for _, a := range []*birge.Actor{fx.coord, fx.analyst, fx.fpcAdmin, fx.rv} {
			if _, err := st.Applications.Get(ctx, a, list[0].ID); !errors.Is(err, birge.ErrNotFound) && !errors.Is(err, birge.ErrForbidden) {
				t.Errorf("%s read it: %v", a.Name, err)
			}
		}
	})
}

// TestApplicationLateRefused: after the call closes, neither a new application nor a
// draft's submission is taken, and the refusal names the closing time.
func TestApplicationLateRefused(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newCallFixture(t, st)
		call := fx.appCall(t)
		got, err := st.Applications.Save(ctx, "10.2.0.1", call.ID, store.ApplicationInput{Applicant: anApplicant(), Language: "ky"})
		if err != nil {
			t.Fatal(err)
		}
		st.SetClock(testenv.ClockFrom(call.ClosesAt.Add(time.Minute)))
		var closed *store.ClosedError
		_, err = st.Applications.Save(ctx, "10.2.0.1", call.ID, store.ApplicationInput{Applicant: anApplicant(), Submit: true,
			Answers: fullAnswers()})
		if !errors.As(err, &closed) || !closed.ClosesAt.Equal(call.ClosesAt) {
			t.Fatalf("late new application: %v", err)
		}
		_, err = st.Applications.Save(ctx, "10.2.0.1", call.ID, store.ApplicationInput{Reference: got.Reference, Token: got.Token,
			Applicant: anApplicant(), Answers: fullAnswers(), Submit: true})
		if !errors.As(err, &closed) {
			t.Fatalf("late submission: %v", err)
		}
	})
}

// TestApplicationEligibilityAndOverride: the rules' reasons come with the application;
// an officer overrides them with a written reason, audited and sealed with her key;
// others may not.
func TestApplicationEligibilityAndOverride(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newCallFixture(t, st)
		call := fx.appCall(t)
		she := anApplicant()
		she.Rural, she.Region = false, "KZ75"
		she.HouseholdIncome.Amount = 90_000_000
		got, err := st.Applications.Save(ctx, "10.3.0.1", call.ID, store.ApplicationInput{Applicant: she, Answers: fullAnswers(), Submit: true})
		if err != nil || got.Status != birge.AppIneligible {
			t.Fatalf("submit: %+v %v %v", got, err, fields(err))
		}
		list, _ := st.Applications.List(ctx, fx.grants, call.ID, store.ApplicationFilter{Status: birge.AppIneligible})
		if len(list) != 1 {
			t.Fatalf("%d ineligible", len(list))
		}
		var keys []string
		for _, r := range list[0].EligibilityReasons {
			keys = append(keys, r.Key)
		}
		if strings.Join(keys, " ") != "call.reason.region call.reason.rural call.reason.income_above" ||
			list[0].EligibilityReasons[2].Params["currency"] != "USD" {
			t.Errorf("reasons %+v", list[0].EligibilityReasons)
		}
		id := list[0].ID
		if _, err := st.Applications.Override(ctx, fx.grants, id, true, "  "); fields(err)["reason"] != "field.required" {
			t.Errorf("no reason: %v", err)
		}
		if _, err := st.Applications.Override(ctx, fx.analyst, id, true, "Why not"); err == nil {
			t.Error("an analyst overrode it")
		}
		app, err := st.Applications.Override(ctx, fx.grants, id, true, "Lives in a village annexed to the city in 2025")
		if err != nil || app.Status != birge.AppEligible || len(app.EligibilityReasons) != 3 || app.OverriddenBy != fx.grants.UserID {
			t.Fatalf("override: %+v %v", app, err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM audit_log WHERE entity = 'application' AND entity_id = ?
			AND changes LIKE '%override_reason%' AND changes NOT LIKE '%annexed%'`, id); n != 1 {
			t.Errorf("%d audit entries of the override with the reason sealed", n)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM audit_log WHERE entity = 'application' AND changes LIKE '%Серікбаева%'`); n != 0 {
			t.Error("her name is readable in the audit log")
		}
		if list, _ := st.Applications.List(ctx, fx.grants, call.ID, store.ApplicationFilter{Region: "KZ75"}); len(list) != 1 {
			t.Errorf("by region: %d", len(list))
		}
	})
}

// TestApplicationLinksExistingPerson: an applicant whose identity number is in the
// organisation's registry is linked to that record, which her form does not change; the
// answer she gets is the same as a newcomer's.
func TestApplicationLinksExistingPerson(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newCallFixture(t, st)
		call := fx.appCall(t)
		office, err := st.ListCenters(ctx, fx.grants, store.CenterFilter{})
		if err != nil || len(office) == 0 {
			t.Fatal(err)
		}
		known, err := st.People.Create(ctx, fx.admin, birge.Person{CenterID: office[0].ID, FamilyName: "Серікбаева",
			GivenName: "Айгүл", IIN: "850315401231", Region: "KZ15"})
		if err != nil {
			t.Fatalf("register: %v %v", err, fields(err))
		}
		she := anApplicant()
		she.IIN, she.GivenName, she.BirthDate = "850315401231", "Aigul", "1985-03-15"
		mine, err := st.Applications.Save(ctx, "10.4.0.1", call.ID, store.ApplicationInput{Applicant: she, Answers: fullAnswers(), Submit: true})
		if err != nil {
			t.Fatalf("submit: %v %v", err, fields(err))
		}
		other := anApplicant()
		other.Phones, other.GivenName = []string{"+77017770000"}, "Мадина"
		theirs, err := st.Applications.Save(ctx, "10.4.0.2", call.ID, store.ApplicationInput{Applicant: other, Answers: fullAnswers(), Submit: true})
		if err != nil {
			t.Fatal(err)
		}
		if mine.Status != theirs.Status || mine.Token != "" || theirs.Token != "" || len(mine.Reference) != len(theirs.Reference) {
			t.Errorf("the answers differ: %+v and %+v", mine, theirs)
		}
		list, _ := st.Applications.List(ctx, fx.grants, call.ID, store.ApplicationFilter{})
		app, err := st.Applications.Get(ctx, fx.grants, list[0].ID)
		if err != nil || app.PersonID != known.ID {
			t.Fatalf("linked to %d, want %d: %v", app.PersonID, known.ID, err)
		}
		if p, _ := st.People.Get(ctx, fx.admin, known.ID); p.GivenName != "Айгүл" || len(p.Phones) != 0 {
			t.Errorf("her record was changed: %+v", p)
		}
	})
}

func pngBytes() []byte {
	return append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0}, 64)...)
}

// TestApplicationFiles: files are typed by their content and bounded in size, refused
// by the field file with a message; kept sealed, with her key once she submits, and
// read back whole by the call's staff; anonymising her erases them and what she typed.
func TestApplicationFiles(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newCallFixture(t, st)
		call := fx.appCall(t)
		got, err := st.Applications.Save(ctx, "10.5.0.1", call.ID, store.ApplicationInput{Applicant: anApplicant()})
		if err != nil {
			t.Fatal(err)
		}
		add := func(field, name string, content []byte) error {
			_, err := st.Applications.AddFile(ctx, "10.5.0.1", got.Reference, got.Token, field, birge.EvidenceUpload{Name: name, Content: content})
			return err
		}
		if f := fields(add("photos", "plan.pdf", []byte("MZ\x90\x00 this is a program, whatever its name says"))); f["file"] != "outcome.file_type" {
			t.Errorf("a lying file: %v", f)
		}
		if f := fields(add("photos", "big.png", append(pngBytes(), make([]byte, birge.MaxEvidenceBytes)...))); f["file"] != "outcome.file_too_large" {
			t.Errorf("a file too large: %v", f)
		}
		if f := fields(add("idea", "a.png", pngBytes())); f["field"] != "field.choose" {
			t.Errorf("a file for a text field: %v", f)
		}
		if err := add("photos", "shop.png", pngBytes()); err != nil {
			t.Fatal(err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM application_files WHERE key_person_id IS NULL`); n != 1 {
			t.Fatalf("%d files sealed with the installation's key", n)
		}
		if _, err := st.Applications.Save(ctx, "10.5.0.1", call.ID, store.ApplicationInput{Reference: got.Reference, Token: got.Token,
			Applicant: anApplicant(), Answers: fullAnswers(), Submit: true}); err != nil {
			t.Fatal(err)
		}
		list, _ := st.Applications.List(ctx, fx.grants, call.ID, store.ApplicationFilter{})
		app, _ := st.Applications.Get(ctx, fx.grants, list[0].ID)
		if len(app.Files) != 1 || app.Files[0].Type != "image/png" || app.Files[0].Name != "shop.png" {
			t.Fatalf("files %+v", app.Files)
		}
		_, content, err := st.Applications.File(ctx, fx.grants, app.ID, app.Files[0].ID)
		if err != nil || !bytes.Equal(content, pngBytes()) {
			t.Fatalf("read back: %v", err)
		}
		if _, _, err := st.Applications.File(ctx, fx.rv, app.ID, app.Files[0].ID); err == nil {
			t.Error("a reviewer downloaded her file from the staff's side")
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM application_files WHERE key_person_id = ?`, app.PersonID); n != 1 {
			t.Fatalf("%d files sealed with her key", n)
		}
		d, err := st.People.Dossier(ctx, fx.admin, app.PersonID)
		if err != nil || len(d.Applications) != 1 || d.Applications[0].Answers["idea"] == nil || len(d.Applications[0].Files) != 1 {
			t.Errorf("her dossier: %+v %v", d.Applications, err)
		}
		if err := st.People.Anonymise(ctx, fx.admin, app.PersonID); err != nil {
			t.Fatal(err)
		}
		after, err := st.Applications.Get(ctx, fx.grants, app.ID)
		if err != nil || after.Applicant.GivenName != "" || len(after.Answers) != 0 || len(after.Files) != 0 || after.Status != birge.AppEligible {
			t.Errorf("after anonymising: %+v %v", after, err)
		}
	})
}

// TestApplicationNaughtyStrings: every naughty string in her names, her settlement, her
// text answers and an officer's reason is kept exactly or refused by its field.
func TestApplicationNaughtyStrings(t *testing.T) {
	b, err := os.ReadFile("../../testdata/blns.txt")
	if err != nil {
		t.Fatal(err)
	}
	var naughty []string
	for _, line := range strings.Split(string(b), "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			naughty = append(naughty, line)
		}
	}
	texts := map[string]bool{"field.invalid_chars": true, "field.invalid_utf8": true, "field.single_line": true,
		"field.required": true, "field.too_long": true}
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newCallFixture(t, st)
		call := fx.appCall(t)
		kept := 0
		for i, v := range naughty {
			quoted, _ := json.Marshal(v)
			she := anApplicant()
			she.FamilyName, she.Patronymic, she.Settlement = v, v, v
			answers := map[string]json.RawMessage{"idea": quoted, "market": quoted}
			got, err := st.Applications.Save(ctx, fmt.Sprintf("10.6.%d.%d", i/250, i%250), call.ID,
				store.ApplicationInput{Applicant: she, Answers: answers})
			if err != nil {
				e := birge.AsError(err)
				if e == nil || e.Kind != birge.KindInvalid {
					t.Fatalf("%q: %v", v, err)
				}
				for field, key := range e.Fields {
					if !texts[key] {
						t.Errorf("%q in %s: %s", v, field, key)
					}
				}
				continue
			}
			app, _, err := st.Applications.Draft(ctx, "10.6.0.0", got.Reference, got.Token)
			if err != nil {
				t.Fatal(err)
			}
			if app.Applicant.FamilyName != v || app.Applicant.Settlement != v ||
				!birge.Invisible(v) && (app.Answers["idea"] != v || app.Answers["market"] != v) {
				t.Errorf("%q came back as %+v", v, app)
			}
			kept++
		}
		if kept < len(naughty)/2 {
			t.Errorf("only %d of %d kept", kept, len(naughty))
		}
		// An officer's reason.
		got, err := st.Applications.Save(ctx, "10.7.0.1", call.ID, store.ApplicationInput{Applicant: anApplicant(),
			Answers: fullAnswers(), Submit: true})
		if err != nil {
			t.Fatal(err)
		}
		list, _ := st.Applications.List(ctx, fx.grants, call.ID, store.ApplicationFilter{})
		var id int64
		for _, a := range list {
			if a.Reference == got.Reference {
				id = a.ID
			}
		}
		for _, v := range naughty {
			app, err := st.Applications.Override(ctx, fx.grants, id, true, v)
			if err != nil {
				if key := fields(err)["reason"]; !texts[key] {
					t.Errorf("%q as a reason: %v", v, err)
				}
				continue
			}
			if app.OverrideReason != v {
				t.Errorf("%q came back as %q", v, app.OverrideReason)
			}
		}
	})
}

// TestApplicationsAtOnce: fifty women submitting at the same moment on SQLite are all
// taken, with no error; the time it takes is logged.
func TestApplicationsAtOnce(t *testing.T) {
	dbs := testenv.Databases(t)
	st := testenv.Open(t, dbs[0])
	if dbs[0].Name != "sqlite" {
		t.Fatalf("the first database is %s", dbs[0].Name)
	}
	ctx := context.Background()
	fx := newCallFixture(t, st)
	call := fx.appCall(t)
	var wg sync.WaitGroup
	errs := make([]error, 50)
	start := time.Now()
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			she := anApplicant()
			she.GivenName = fmt.Sprintf("Айгүл %d", i)
			she.Phones = []string{fmt.Sprintf("+7701%07d", 1000000+i)}
			_, errs[i] = st.Applications.Save(ctx, fmt.Sprintf("10.8.0.%d", i), call.ID,
				store.ApplicationInput{Applicant: she, Answers: fullAnswers(), Submit: true, Language: "ky"})
		}()
	}
	wg.Wait()
	t.Logf("50 applications submitted at once in %v", time.Since(start))
	for i, err := range errs {
		if err != nil {
			t.Errorf("applicant %d: %v", i, err)
		}
	}
	if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM applications WHERE status = 'eligible'`); n != 50 {
		t.Errorf("%d applications taken", n)
	}
}

// TestApplicationRobotsAndGuesses: a robot that fills the hidden field is answered as a
// person would be and nothing is saved; an address starts a handful of applications
// before it must wait; wrong references, tokens and phones count against the address,
// so the status check cannot be used to try references one after another.
func TestApplicationRobotsAndGuesses(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newCallFixture(t, st)
		call := fx.appCall(t)
		got, err := st.Applications.Save(ctx, "10.9.0.1", call.ID, store.ApplicationInput{Applicant: anApplicant(), Bot: true})
		if err != nil || got.Reference == "" || got.Token == "" {
			t.Fatalf("a robot: %+v %v", got, err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM applications`); n != 0 {
			t.Errorf("a robot's application was saved")
		}
		started := 1 // the robot's
		for ; started < birge.FreeRequests; started++ {
			if _, err := st.Applications.Save(ctx, "10.9.0.1", call.ID, store.ApplicationInput{Applicant: anApplicant()}); err != nil {
				t.Fatalf("application %d: %v", started, err)
			}
		}
		if _, err := st.Applications.Save(ctx, "10.9.0.1", call.ID, store.ApplicationInput{Applicant: anApplicant()}); birge.KindOf(err) != birge.KindTooMany {
			t.Errorf("one application too many from an address: %v", err)
		}
		for i := 0; i < birge.FreeRequests; i++ {
			if _, err := st.Applications.Status(ctx, "10.9.0.2", fmt.Sprintf("BG-2222-%04d", i), "+77015551234"); !errors.Is(err, birge.ErrNotFound) {
				t.Fatalf("guess %d: %v", i, err)
			}
		}
		if _, err := st.Applications.Status(ctx, "10.9.0.2", "BG-2222-9999", "+77015551234"); birge.KindOf(err) != birge.KindTooMany {
			t.Errorf("a guess too many: %v", err)
		}
		if _, _, err := st.Applications.Draft(ctx, "10.9.0.2", "BG-2222-9999", "x"); birge.KindOf(err) != birge.KindTooMany {
			t.Errorf("a token guessed after too many: %v", err)
		}
	})
}

// TestApplicationFollowsAMerge: her application moves to the record she is merged into,
// and what she typed and her files still open with the key that sealed them.
func TestApplicationFollowsAMerge(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newCallFixture(t, st)
		call := fx.appCall(t)
		got, err := st.Applications.Save(ctx, "10.10.0.1", call.ID, store.ApplicationInput{Applicant: anApplicant()})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Applications.AddFile(ctx, "10.10.0.1", got.Reference, got.Token, "photos",
			birge.EvidenceUpload{Name: "shop.png", Content: pngBytes()}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Applications.Save(ctx, "10.10.0.1", call.ID, store.ApplicationInput{Reference: got.Reference,
			Token: got.Token, Applicant: anApplicant(), Answers: fullAnswers(), Submit: true}); err != nil {
			t.Fatal(err)
		}
		list, _ := st.Applications.List(ctx, fx.grants, call.ID, store.ApplicationFilter{})
		app, _ := st.Applications.Get(ctx, fx.grants, list[0].ID)
		office, _ := st.ListCenters(ctx, fx.grants, store.CenterFilter{})
		kept, err := st.People.Create(ctx, fx.admin, birge.Person{CenterID: office[0].ID, FamilyName: "Серікбаева", GivenName: "Айгүл"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.People.Merge(ctx, fx.admin, kept.ID, app.PersonID, nil); err != nil {
			t.Fatalf("merge: %v", err)
		}
		after, err := st.Applications.Get(ctx, fx.grants, app.ID)
		if err != nil || after.PersonID != kept.ID || after.Applicant.GivenName != "Айгүл" || len(after.Files) != 1 {
			t.Fatalf("after the merge: %+v %v", after, err)
		}
		if _, content, err := st.Applications.File(ctx, fx.grants, app.ID, after.Files[0].ID); err != nil || !bytes.Equal(content, pngBytes()) {
			t.Errorf("her file after the merge: %v", err)
		}
	})
}

// TestApplicationRegions: a call that names no region offers the regions of the
// countries its organisation has centres in, so a Kazakh organisation's form never
// offers a Kyrgyz oblast it would refuse at submitting; a call that names some offers
// those.
func TestApplicationRegions(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newCallFixture(t, st)
		all, err := st.Applications.Regions(ctx, birge.Call{OrgID: fx.org})
		if err != nil || len(all) != len(geo.Regions("KZ")) {
			t.Fatalf("regions of a call that names none: %v, %v; want Kazakhstan's %d", all, err, len(geo.Regions("KZ")))
		}
		for _, code := range all {
			if rg, _ := geo.LookupRegion(code); rg.Country != "KZ" {
				t.Errorf("a Kazakh organisation's form offers %s", code)
			}
		}
		if some, err := st.Applications.Regions(ctx, birge.Call{OrgID: fx.org, Regions: []string{"KZ15"}}); err != nil || len(some) != 1 {
			t.Errorf("regions of a call that names one: %v, %v", some, err)
		}
	})
}

// TestApplicationSensitiveCategoryHidden: a call may be for women of a sensitive category
// (decision 0030); the category she declares is shown on her application only to one who
// may see sensitive categories, as on her record — not to a grant officer.
func TestApplicationSensitiveCategoryHidden(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newCallFixture(t, st)
		c := fx.aCall()
		c.Regions = []string{"KZ15"}
		c.Eligibility.Categories = []string{"dv_survivor", "special_needs_mother"}
		call, err := st.Calls.Create(ctx, fx.grants, c)
		if err != nil {
			t.Fatalf("call: %v", birge.AsError(err).Fields)
		}
		she := anApplicant()
		she.Categories = []string{"dv_survivor"}
		if _, err := st.Applications.Save(ctx, "10.9.1.1", call.ID, store.ApplicationInput{Applicant: she,
			Answers: fullAnswers(), Submit: true}); err != nil {
			t.Fatalf("submit: %v %v", err, fields(err))
		}
		list, err := st.Applications.List(ctx, fx.grants, call.ID, store.ApplicationFilter{})
		if err != nil || len(list) != 1 {
			t.Fatalf("applications: %+v, %v", list, err)
		}
		app, err := st.Applications.Get(ctx, fx.grants, list[0].ID)
		if err != nil || slices.Contains(app.Applicant.Categories, "dv_survivor") {
			t.Errorf("a grant officer reads the sensitive category: %v, %v", app.Applicant.Categories, err)
		}
		app, err = st.Applications.Get(ctx, fx.admin, list[0].ID)
		if err != nil || !slices.Contains(app.Applicant.Categories, "dv_survivor") {
			t.Errorf("the administrator lost her category: %v, %v", app.Applicant.Categories, err)
		}
	})
}

// TestApplicationHostileReference: a reference of a NUL or of bytes that are not UTF-8
// (PostgreSQL refuses to compare either) is as unknown as any wrong one, never a failure.
func TestApplicationHostileReference(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		for i, ref := range []string{"BG-\x00", "\xff\xfe", "BG-" + strings.Repeat("Ж", 500)} {
			ip := fmt.Sprintf("10.9.2.%d", i)
			if _, err := st.Applications.Status(ctx, ip, ref, "+77011234567"); !errors.Is(err, birge.ErrNotFound) {
				t.Errorf("status of %q: %v, want not found", ref, err)
			}
			if _, _, err := st.Applications.Draft(ctx, ip, ref, "token"); !errors.Is(err, birge.ErrNotFound) {
				t.Errorf("draft %q: %v, want not found", ref, err)
			}
		}
	})
}

// TestApplicationListHostileRegion: a region filter that is no region is refused beside
// the field, never a failure (PostgreSQL refuses to compare a NUL byte).
func TestApplicationListHostileRegion(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		fx := newCallFixture(t, st)
		call := fx.appCall(t)
		_, err := st.Applications.List(context.Background(), fx.grants, call.ID, store.ApplicationFilter{Region: "KZ\x00"})
		if fields(err)["region"] == "" {
			t.Errorf("applications of region NUL: %v, want refused beside region", err)
		}
		if _, err := st.Applications.List(context.Background(), fx.grants, call.ID, store.ApplicationFilter{Region: "KZ15"}); err != nil {
			t.Errorf("applications of Aktobe: %v", err)
		}
	})
}

// TestApplicationStatusRevealsNoRecord: the rules read her record too (its categories, an
// earlier award), but what a stranger who types a woman's identity number is told — on
// submitting, and by the status check with the phone she typed — comes from the form
// alone: the same as for an identity number the registry does not know. Staff see the
// rules' answer on both.
func TestApplicationStatusRevealsNoRecord(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newCallFixture(t, st)
		c := fx.aCall()
		c.Regions = []string{"KZ15"}
		c.Eligibility.Categories = []string{"special_needs_mother"}
		call, err := st.Calls.Create(ctx, fx.grants, c)
		if err != nil {
			t.Fatalf("call: %v", birge.AsError(err).Fields)
		}
		office, err := st.ListCenters(ctx, fx.grants, store.CenterFilter{})
		if err != nil || len(office) == 0 {
			t.Fatal(err)
		}
		if _, err := st.People.Create(ctx, fx.admin, birge.Person{CenterID: office[0].ID, FamilyName: "Серікбаева",
			GivenName: "Айгүл", IIN: "850315401231", Region: "KZ15", Categories: []string{"special_needs_mother"}}); err != nil {
			t.Fatalf("register: %v %v", err, fields(err))
		}
		told := map[string]string{}
		for i, iin := range []string{"850315401231", "921108401006"} {
			she := anApplicant()
			she.IIN, she.BirthDate = iin, ""
			she.Phones = []string{fmt.Sprintf("+7701555000%d", i)}
			got, err := st.Applications.Save(ctx, fmt.Sprintf("10.9.3.%d", i), call.ID, store.ApplicationInput{Applicant: she,
				Answers: fullAnswers(), Submit: true})
			if err != nil {
				t.Fatalf("submit %s: %v %v", iin, err, fields(err))
			}
			checked, err := st.Applications.Status(ctx, fmt.Sprintf("10.9.4.%d", i), got.Reference, she.Phones[0])
			if err != nil || checked != got.Status {
				t.Errorf("status check of %s: %q, %v; told %q on submitting", iin, checked, err, got.Status)
			}
			told[iin] = got.Status
		}
		if told["850315401231"] != told["921108401006"] || told["921108401006"] != birge.AppIneligible {
			t.Errorf("a known and an unknown identity number are told %v", told)
		}
		list, err := st.Applications.List(ctx, fx.grants, call.ID, store.ApplicationFilter{Status: birge.AppEligible})
		if err != nil || len(list) != 1 {
			t.Errorf("staff see %d eligible (her record's category), want 1: %v", len(list), err)
		}
	})
}

// TestApplicationsThrottleAtOnce: drafts sent at once from one address take turns on
// its counter, so no more get through than an address may send one after another (the
// early check on the pool let every one of them read the count from before the others).
func TestApplicationsThrottleAtOnce(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newCallFixture(t, st)
		call := fx.appCall(t)
		var wg sync.WaitGroup
		errs := make([]error, 20)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = st.Applications.Save(ctx, "10.7.0.1", call.ID, store.ApplicationInput{Applicant: anApplicant()})
			}()
		}
		wg.Wait()
		taken := 0
		for _, err := range errs {
			switch {
			case err == nil:
				taken++
			case birge.KindOf(err) != birge.KindTooMany:
				t.Errorf("a draft at once: %v", err)
			}
		}
		if taken != birge.FreeRequests {
			t.Errorf("%d drafts sent at once from one address were taken, want %d", taken, birge.FreeRequests)
		}
	})
}
