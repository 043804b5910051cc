package store_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/demo"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// callFixture is the demo with a grants programme in Belesteri and the actors who meet
// its calls.
type callFixture struct {
	st                                          *store.Store
	grants, admin, fpcAdmin, coord, analyst, rv *birge.Actor
	org, fpc                                    int64
	program, fpcProgram                         int64
}

func newCallFixture(t testing.TB, st *store.Store) *callFixture {
	t.Helper()
	ctx := context.Background()
	logins, err := demo.Load(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	fx := &callFixture{st: st, grants: actorFor(t, st, logins, "grants@birge.example"),
		admin: actorFor(t, st, logins, "admin@birge.example"), fpcAdmin: actorFor(t, st, logins, "fpc.admin@birge.example"),
		coord: actorFor(t, st, logins, "coordinator@birge.example"), analyst: actorFor(t, st, logins, "analyst@birge.example"),
		rv: actorFor(t, st, logins, "reviewer@birge.example")}
	fx.org, fx.fpc = fx.grants.Grants[0].OrgID, fx.fpcAdmin.Grants[0].OrgID
	sys := birge.System("test")
	for _, org := range []int64{fx.org, fx.fpc} {
		p, err := st.Programs.Create(ctx, sys, birge.Program{OrgID: org, Kind: "grants", Status: "active", StartsOn: "2026-01-01",
			Names: birge.Names{KK: "Ауыл әйелдеріне грант", RU: "Гранты сельским женщинам", KY: "Айыл аялдарына грант", EN: "Rural grants"}})
		if err != nil {
			t.Fatal(err)
		}
		if org == fx.org {
			fx.program = p.ID
		} else {
			fx.fpcProgram = p.ID
		}
	}
	return fx
}

// aCall is a business-grant call open at the test clock (New Year's Eve 2026).
func (fx *callFixture) aCall() birge.Call {
	opens := time.Date(2026, 12, 1, 4, 0, 0, 0, time.UTC)
	return birge.Call{OrgID: fx.org, Kind: "business_grant", ProgramID: fx.program,
		CallTitles: birge.CallTitles{KK: "Ауыл әйелдеріне бизнес-грант", RU: "Бизнес-гранты сельским женщинам", KY: "Айыл аялдарына бизнес-грант", EN: "Business grants for rural women"},
		CallTexts:  birge.CallTexts{KK: "Ауылдың мәселесін шешетін бизнес", RU: "Бизнес, который решает проблему села", KY: "Айылдын көйгөйүн чечкен бизнес", EN: "A business that solves a problem of the village"},
		OpensAt:    opens, ClosesAt: opens.AddDate(0, 2, 0), Regions: []string{"KZ75"},
		Budget: birge.Money{Amount: 20_000_000, Currency: "USD"}, AwardAmount: birge.Money{Amount: 400_000, Currency: "USD"}, Awards: 50,
		Criteria: []birge.CallCriterion{
			{Code: "rural_problem", CallCriterionNames: birge.CallCriterionNames{KK: "Ауыл мәселесін шешеді", RU: "Решает проблему села", KY: "Айылдын көйгөйүн чечет", EN: "Solves a rural problem"}, Weight: 30, Max: 10},
			{Code: "real_income", CallCriterionNames: birge.CallCriterionNames{KK: "Нақты табыс әкеледі", RU: "Приносит реальный доход", KY: "Чыныгы киреше алып келет", EN: "Brings real income"}, Weight: 30, Max: 10},
			{Code: "feasibility", CallCriterionNames: birge.CallCriterionNames{KK: "Жүзеге асуы", RU: "Реализуемость", KY: "Ишке ашуусу", EN: "Feasibility"}, Weight: 25, Max: 10},
			{Code: "commitment", CallCriterionNames: birge.CallCriterionNames{KK: "Ниеті", RU: "Приверженность", KY: "Ниети", EN: "Commitment"}, Weight: 15, Max: 10},
		},
		Eligibility: birge.CallEligibility{RuralOnly: true, AgeMin: 18, NoEarlierAward: true,
			IncomePerMember: &birge.Money{Amount: 5_000_000, Currency: "USD"}},
		Status: birge.CallOpen}
}

func TestCallLifecycle(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newCallFixture(t, st)
		call, err := st.Calls.Create(ctx, fx.grants, fx.aCall())
		if err != nil {
			t.Fatalf("create: %v", birge.AsError(err).Fields)
		}
		if call.Status != birge.CallOpen || len(call.Form) != len(birge.DefaultCallForm("business_grant")) {
			t.Fatalf("status %s, %d fields", call.Status, len(call.Form))
		}
		got, err := st.Calls.Get(ctx, fx.admin, call.ID)
		if err != nil || got.Eligibility.IncomePerMember == nil || got.Eligibility.IncomePerMember.Amount != 5_000_000 ||
			len(got.Criteria) != 4 || got.Criteria[0].KY != "Айылдын көйгөйүн чечет" || !got.OpensAt.Equal(call.OpensAt) {
			t.Fatalf("read back: %+v, %v", got, err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM audit_log WHERE entity = 'call' AND action = 'create'`); n != 1 {
			t.Errorf("%d audit entries of its creation", n)
		}

		// Public: only what is open now.
		draft := fx.aCall()
		draft.Status = birge.CallDraft
		draft, err = st.Calls.Create(ctx, fx.grants, draft)
		if err != nil {
			t.Fatal(err)
		}
		closed := fx.aCall()
		closed.OpensAt, closed.ClosesAt = closed.OpensAt.AddDate(0, -3, 0), closed.OpensAt.AddDate(0, -1, 0)
		closed, err = st.Calls.Create(ctx, fx.grants, closed)
		if err != nil {
			t.Fatal(err)
		}
		later := fx.aCall()
		later.OpensAt, later.ClosesAt = later.OpensAt.AddDate(0, 3, 0), later.OpensAt.AddDate(0, 4, 0)
		later, err = st.Calls.Create(ctx, fx.grants, later)
		if err != nil {
			t.Fatal(err)
		}
		if draft.Status != birge.CallDraft || closed.Status != birge.CallClosed || later.Status != birge.CallScheduled {
			t.Errorf("statuses %s %s %s", draft.Status, closed.Status, later.Status)
		}
		open, err := st.Calls.ListOpen(ctx, store.CallFilter{})
		if err != nil || len(open) != 1 || open[0].ID != call.ID {
			t.Errorf("public list: %v, %v", open, err)
		}
		for _, c := range []birge.Call{draft, closed, later} {
			if _, err := st.Calls.GetOpen(ctx, c.ID); !errors.Is(err, birge.ErrNotFound) {
				t.Errorf("a %s call in public: %v", c.Status, err)
			}
		}
		if _, err := st.Calls.GetOpen(ctx, call.ID); err != nil {
			t.Errorf("the open call in public: %v", err)
		}
		for status, want := range map[string]int64{"draft": draft.ID, "closed": closed.ID, "scheduled": later.ID, "open": call.ID} {
			l, err := st.Calls.List(ctx, fx.grants, store.CallFilter{Status: status})
			if err != nil || len(l) != 1 || l[0].ID != want {
				t.Errorf("status %s: %v, %v", status, l, err)
			}
		}

		// Who may: the organisation's grant officer and the installation's administrator;
		// another organisation's administrator, a coordinator, an analyst see nothing.
		for name, a := range map[string]*birge.Actor{"fpc admin": fx.fpcAdmin, "coordinator": fx.coord} {
			if _, err := st.Calls.Get(ctx, a, call.ID); !errors.Is(err, birge.ErrNotFound) {
				t.Errorf("%s reads a Belesteri call: %v", name, err)
			}
		}
		if l, err := st.Calls.List(ctx, fx.fpcAdmin, store.CallFilter{}); err != nil || len(l) != 0 {
			t.Errorf("fpc admin lists %d calls, %v", len(l), err)
		}
		for name, a := range map[string]*birge.Actor{"analyst": fx.analyst, "reviewer": fx.rv, "coordinator": fx.coord} {
			if _, err := st.Calls.List(ctx, a, store.CallFilter{}); !errors.Is(err, birge.ErrForbidden) {
				t.Errorf("%s lists calls: %v", name, err)
			}
		}
		if _, err := st.Calls.Create(ctx, fx.rv, fx.aCall()); !errors.Is(err, birge.ErrForbidden) {
			t.Errorf("the reviewer announces a call: %v", err)
		}
		theirs := fx.aCall()
		theirs.ProgramID = fx.fpcProgram
		if _, err := st.Calls.Create(ctx, fx.grants, theirs); birge.AsError(err).Fields["program_id"] != "field.choose" {
			t.Errorf("a call of another organisation's programme: %v", err)
		}
		if _, err := st.Calls.Update(ctx, fx.fpcAdmin, call); !errors.Is(err, birge.ErrNotFound) {
			t.Errorf("another organisation's administrator edits it: %v", err)
		}

		// Once open, what she was told stands; the closing time may move.
		changed := call
		changed.Criteria = append([]birge.CallCriterion(nil), call.Criteria...)
		changed.Criteria[0].Weight, changed.Criteria[1].Weight = 40, 20
		if _, err := st.Calls.Update(ctx, fx.grants, changed); birge.AsError(err).Fields["criteria"] != "call.locked" {
			t.Errorf("criteria of an open call changed: %v", err)
		}
		extended := call
		extended.ClosesAt = call.ClosesAt.AddDate(0, 0, 14)
		extended, err = st.Calls.Update(ctx, fx.grants, extended)
		if err != nil || !extended.ClosesAt.Equal(call.ClosesAt.AddDate(0, 0, 14)) {
			t.Fatalf("extending: %v", err)
		}
		if _, err := st.Calls.Update(ctx, fx.grants, call); !errors.Is(err, birge.ErrChangedMeanwhile) {
			t.Errorf("a stale version saved: %v", err)
		}
		// Saved unchanged, it writes nothing.
		same, err := st.Calls.Update(ctx, fx.grants, extended)
		if err != nil || !same.UpdatedAt.Equal(extended.UpdatedAt) {
			t.Errorf("unchanged save: %v, %v → %v", err, extended.UpdatedAt, same.UpdatedAt)
		}

		// A draft's form is the officer's to edit: reorder, remove, add.
		draft.Form = append(draft.Form[1:2], draft.Form[0])
		draft.Form = append(draft.Form, birge.CallField{Code: "village", Section: "business", Type: "choice", Required: true,
			Options: []birge.CallOption{
				{Code: "yes", CallLabels: birge.CallLabels{KK: "Иә", RU: "Да", KY: "Ооба", EN: "Yes"}},
				{Code: "no", CallLabels: birge.CallLabels{KK: "Жоқ", RU: "Нет", KY: "Жок", EN: "No"}}},
			CallLabels: birge.CallLabels{KK: "Ауылда тұрасыз ба?", RU: "Вы живёте в селе?", KY: "Айылда жашайсызбы?", EN: "Do you live in a village?"}})
		draft, err = st.Calls.Update(ctx, fx.grants, draft)
		if err != nil {
			t.Fatalf("editing a draft's form: %v", birge.AsError(err).Fields)
		}
		if got, _ := st.Calls.Get(ctx, fx.grants, draft.ID); len(got.Form) != 3 || got.Form[0].Code != "problem" ||
			got.Form[2].Code != "village" || len(got.Form[2].Options) != 2 {
			t.Errorf("the edited form: %+v", got.Form)
		}
		// A refused change changes nothing.
		bad := draft
		bad.Criteria = append([]birge.CallCriterion(nil), draft.Criteria...)
		bad.Criteria[0].Weight = 31
		if _, err := st.Calls.Update(ctx, fx.grants, bad); birge.AsError(err).Fields["criteria"] != "call.weights_sum" {
			t.Errorf("weights of 101 %%: %v", err)
		}
		if got, _ := st.Calls.Get(ctx, fx.grants, draft.ID); got.Criteria[0].Weight != 30 || !got.UpdatedAt.Equal(draft.UpdatedAt) {
			t.Errorf("a refused change was saved")
		}
	})
}

// TestCallNaughtyStrings: every naughty string in every text of a call — titles, texts,
// criterion names, field and option labels, in the four languages — is kept exactly or
// refused by its field.
func TestCallNaughtyStrings(t *testing.T) {
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
		c := fx.aCall()
		c.Status = birge.CallDraft
		c, err := st.Calls.Create(ctx, fx.grants, c)
		if err != nil {
			t.Fatal(err)
		}
		c.Form = append(c.Form, birge.CallField{Code: "village", Section: "business", Type: "choice", Options: []birge.CallOption{
			{Code: "yes", CallLabels: birge.CallLabels{KK: "Иә", RU: "Да", KY: "Ооба", EN: "Yes"}},
			{Code: "no", CallLabels: birge.CallLabels{KK: "Жоқ", RU: "Нет", KY: "Жок", EN: "No"}}},
			CallLabels: birge.CallLabels{KK: "Ауылда ма?", RU: "В селе?", KY: "Айылдабы?", EN: "In a village?"}})
		last := len(c.Form) - 1
		stored := 0
		for _, v := range naughty {
			c.CallTitles = birge.CallTitles{KK: v, RU: v, KY: v, EN: v}
			c.CallTexts = birge.CallTexts{KK: v, RU: v, KY: v, EN: v}
			c.Criteria[1].CallCriterionNames = birge.CallCriterionNames{KK: v, RU: v, KY: v, EN: v}
			c.Form[0].CallLabels = birge.CallLabels{KK: v, RU: v, KY: v, EN: v}
			c.Form[last].Options[1].CallLabels = birge.CallLabels{KK: v, RU: v, KY: v, EN: v}
			saved, err := st.Calls.Update(ctx, fx.grants, c)
			if err != nil {
				e := birge.AsError(err)
				if e.Kind != birge.KindInvalid {
					t.Fatalf("%q: %v", v, err)
				}
				for field, key := range e.Fields {
					if !texts[key] {
						t.Errorf("%q in %s: %s", v, field, key)
					}
				}
				continue
			}
			stored++
			c = saved
			got, err := st.Calls.Get(ctx, fx.grants, c.ID)
			if err != nil || got.CallTitles != c.CallTitles || got.CallTexts != c.CallTexts ||
				got.Criteria[1].CallCriterionNames != c.Criteria[1].CallCriterionNames || got.Form[0].CallLabels != c.Form[0].CallLabels ||
				got.Form[last].Options[1].CallLabels != c.Form[last].Options[1].CallLabels {
				t.Errorf("%q not kept exactly: %v", v, err)
			}
		}
		if stored < len(naughty)/2 {
			t.Errorf("only %d of %d naughty strings stored", stored, len(naughty))
		}
	})
}

// TestCallListHostileKind: the public list of open calls, asked for a kind that is no
// kind (a NUL byte, which PostgreSQL refuses to compare), refuses it beside the field.
func TestCallListHostileKind(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newCallFixture(t, st)
		for _, kind := range []string{"\x00", "grant"} {
			_, err := st.Calls.ListOpen(ctx, store.CallFilter{Kind: kind})
			if e := birge.AsError(err); e == nil || e.Fields["kind"] == "" {
				t.Errorf("open calls of kind %q: %v, want refused beside kind", kind, err)
			}
			_, err = st.Calls.List(ctx, fx.grants, store.CallFilter{Kind: kind})
			if e := birge.AsError(err); e == nil || e.Fields["kind"] == "" {
				t.Errorf("calls of kind %q: %v, want refused beside kind", kind, err)
			}
		}
		if _, err := st.Calls.ListOpen(ctx, store.CallFilter{Kind: "scholarship"}); err != nil {
			t.Errorf("open scholarships: %v", err)
		}
	})
}
