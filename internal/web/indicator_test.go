package web

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// indicatorItem is an indicator as the API answers it.
type indicatorItem struct {
	ID        int64           `json:"id"`
	NameEN    string          `json:"name_en"`
	Measure   string          `json:"measure"`
	Target    json.RawMessage `json:"target"`
	Actual    json.RawMessage `json:"actual"`
	Numerator *int64          `json:"numerator"`
	Whole     *int64          `json:"whole"`
	Met       bool            `json:"met"`
}

func namesOf(en string) map[string]any {
	return map[string]any{"name_kk": "Көрсеткіш: " + en, "name_ru": "Показатель: " + en, "name_ky": "Көрсөткүч: " + en, "name_en": en}
}

func with(m map[string]any, more map[string]any) map[string]any {
	for k, v := range more {
		m[k] = v
	}
	return m
}

// The API adds indicators and answers each with its target and its actual counted from
// the records: people as integers, money as {amount, currency}, a share as a percentage
// with its numerator and whole. Mistakes are named by field; the analyst reads the
// figures and gets 403 on the names behind them; names take the BLNS.
func TestIndicatorAPI(t *testing.T) {
	t.Parallel()
	lines := naughtyStrings(t)
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s := newSite(t, st, Config{})
		ctx, sys := context.Background(), birge.System("t")
		_, tok := s.token("coordinator@birge.example", "indicators")
		aktobe := s.center("Aktobe family centre")
		prog, err := st.Programs.Create(ctx, sys, birge.Program{OrgID: aktobe.OrgID, Names: birge.Names{KK: "Кеңес", RU: "Консультации",
			KY: "Кеңеш", EN: "Counselling"}, Kind: "counselling", Status: "active", StartsOn: "2026-01-01", CenterIDs: []int64{aktobe.ID}})
		if err != nil {
			t.Fatal(err)
		}
		path := "/api/v1/programs/" + strconv.FormatInt(prog.ID, 10) + "/indicators"
		post := func(body map[string]any, status int) indicatorItem {
			t.Helper()
			res := s.api(tok, http.MethodPost, path, body)
			if res.StatusCode != status {
				t.Fatalf("POST %v: %d, want %d\n%s", body, res.StatusCode, status, res.Body)
			}
			var got indicatorItem
			decodeJSON(t, res, &got)
			return got
		}
		reached := post(with(namesOf("reached"), map[string]any{"measure": "people_reached", "target": 10}), http.StatusCreated)
		paid := post(with(namesOf("paid"), map[string]any{"measure": "quantity_sum", "unit": "money",
			"target": map[string]any{"amount": 20000000, "currency": "KZT"}}), http.StatusCreated)
		if string(paid.Target) != `{"amount":20000000,"currency":"KZT"}` {
			t.Errorf("a money target reads back as %s", paid.Target)
		}
		post(with(namesOf("working"), map[string]any{"measure": "share", "of": reached.ID, "outcome_kinds": []string{"employed"}, "target": 50}), http.StatusCreated)
		for _, c := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"measure": "people_reached", "target": "many"}, "target"},
			{map[string]any{"measure": "happiness", "target": 5}, "measure"},
			{map[string]any{"measure": "quantity_sum", "unit": "money", "currency": "USD", "target": map[string]any{"amount": 5, "currency": "KZT"}}, "target.currency"},
			{map[string]any{"measure": "people_reached", "target": map[string]any{"amount": 5, "currency": "KZT"}}, "target"},
			{map[string]any{"measure": "share", "of": paid.ID, "outcome_kinds": []string{"employed"}, "target": 50}, "of"},
			{map[string]any{"measure": "people_reached", "target": 5, "from": "2026-07-01", "to": "2026-06-01"}, "to"},
		} {
			res := s.api(tok, http.MethodPost, path, with(namesOf("bad"), c.body))
			var p problem
			if decodeJSON(t, res, &p); res.StatusCode != http.StatusUnprocessableEntity || p.Errors[c.field] == "" {
				t.Errorf("%v: %d %v, want a problem on %s", c.body, res.StatusCode, p.Errors, c.field)
			}
		}

		// Two women served, one of them paid twice and then employed.
		var women []int64
		for _, name := range []string{"Айгерім", "Жанар"} {
			p, err := st.People.Create(ctx, sys, birge.Person{CenterID: aktobe.ID, GivenName: name})
			if err != nil {
				t.Fatal(err)
			}
			women = append(women, p.ID)
		}
		items := []any{}
		for i, date := range []string{"2026-05-01", "2026-05-08"} {
			items = append(items, map[string]any{"person_id": women[0], "program_id": prog.ID, "date": date, "kind": "grant_payment",
				"unit": "money", "money": map[string]any{"amount": 7500000, "currency": "KZT"}},
				map[string]any{"person_id": women[1], "program_id": prog.ID, "date": date, "kind": "consultation", "quantity": i + 1, "unit": "sessions"})
		}
		if res := s.api(tok, http.MethodPost, "/api/v1/deliveries", map[string]any{"items": items}); res.StatusCode != http.StatusCreated {
			t.Fatalf("deliveries: %d %s", res.StatusCode, res.Body)
		}
		if _, err := st.Outcomes.Record(ctx, sys, birge.Outcome{PersonID: women[0], ProgramID: &prog.ID, Kind: "employed", Date: "2026-06-01"}); err != nil {
			t.Fatal(err)
		}
		_, analyst := s.token("analyst@birge.example", "figures")
		for who, token := range map[string]string{"coordinator": tok, "analyst": analyst} {
			res := s.api(token, http.MethodGet, path, nil)
			var l struct{ Items []indicatorItem }
			if decodeJSON(t, res, &l); res.StatusCode != http.StatusOK || len(l.Items) != 3 {
				t.Fatalf("%s lists: %d %s", who, res.StatusCode, res.Body)
			}
			got := map[string]indicatorItem{}
			for _, it := range l.Items {
				got[it.NameEN] = it
			}
			if string(got["reached"].Actual) != "2" || string(got["paid"].Actual) != `{"amount":15000000,"currency":"KZT"}` || got["paid"].Met {
				t.Errorf("%s reads reached %s, paid %s (met %v)", who, got["reached"].Actual, got["paid"].Actual, got["paid"].Met)
			}
			if w := got["working"]; string(w.Actual) != "50" || w.Numerator == nil || *w.Numerator != 1 || *w.Whole != 2 || !w.Met {
				t.Errorf("%s reads the share as %s (%v of %v)", who, w.Actual, w.Numerator, w.Whole)
			}
		}
		pid := strconv.FormatInt(prog.ID, 10)
		for _, names := range []string{"/api/v1/programs/" + pid + "/participants", "/api/v1/deliveries?program_id=" + pid,
			"/api/v1/outcomes?program_id=" + pid} {
			if res := s.api(analyst, http.MethodGet, names, nil); res.StatusCode != http.StatusForbidden {
				t.Errorf("the analyst lists names at %s: %d, want 403", names, res.StatusCode)
			}
		}
		if res := s.api(analyst, http.MethodPost, path, with(namesOf("mine"), map[string]any{"measure": "deliveries", "target": 5})); res.StatusCode != http.StatusForbidden {
			t.Errorf("the analyst adds an indicator: %d, want 403", res.StatusCode)
		}

		allowed := textRefusals("ru")
		tally := map[string]int{}
		for _, v := range lines {
			tryValue(t, v, []string{"name_kk", "name_ru", "name_ky", "name_en"}, http.StatusCreated, func(fields []string) (int, map[string]string, string) {
				res := s.api(tok, http.MethodPost, path, map[string]any{"name_kk": v, "name_ru": v, "name_ky": v, "name_en": v,
					"measure": "deliveries", "target": 5})
				var p problem
				if res.StatusCode == http.StatusUnprocessableEntity {
					decodeJSON(t, res, &p)
				}
				return res.StatusCode, p.Errors, res.Body
			}, func([]string) {}, allowed, tally)
		}
		if tally["stored"] < 400 {
			t.Errorf("only %d of %d naughty names stored", tally["stored"], len(lines))
		}
	})
}

// The programme's page: a group form refused without a woman ticked and for a day in
// the future, each beside its field, recording nothing; then one form records the
// service for each woman ticked, and the figures count them. The analyst reads the
// figures and gets no group form.
func TestProgramFiguresAndGroup(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	ctx, sys := context.Background(), birge.System("t")
	aktobe := s.center("Aktobe family centre")
	prog, err := s.st.Programs.Create(ctx, sys, birge.Program{OrgID: aktobe.OrgID, Names: birge.Names{KK: "Кеңес", RU: "Консультации",
		KY: "Кеңеш", EN: "Counselling"}, Kind: "counselling", Status: "active", StartsOn: "2026-01-01", CenterIDs: []int64{aktobe.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.Indicators.Create(ctx, sys, birge.Indicator{ProgramID: prog.ID, Measure: birge.MeasurePeopleReached, Target: 4,
		Names: birge.Names{KK: "Қамтылған әйелдер", RU: "Охвачено женщин", KY: "Камтылган аялдар", EN: "Women reached"}}); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"group": {"1"}, "service": {"consultation"}, "date": {"2026-12-01"}, "quantity": {"1"}, "unit": {"sessions"}}
	for _, name := range []string{"Айгерім", "Жанар", "Гүлжан"} {
		p, err := s.st.People.Create(ctx, sys, birge.Person{CenterID: aktobe.ID, GivenName: name})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.st.Programs.AddParticipant(ctx, sys, prog.ID, birge.Participant{PersonID: p.ID, JoinedOn: "2026-02-01"}); err != nil {
			t.Fatal(err)
		}
		if name != "Гүлжан" { // she did not come
			form.Set("who_"+strconv.FormatInt(p.ID, 10), "on")
		}
	}
	page := "/programs/" + strconv.FormatInt(prog.ID, 10)
	coord := s.login("coordinator@birge.example") // Russian
	ru := i18n.For("ru")
	actual := func(c *http.Client) string {
		res := s.get(c, page)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", page, res.StatusCode)
		}
		return text(first(parseHTML(t, res.Body), byClass("actual")))
	}
	for _, c := range []struct {
		change func(url.Values) url.Values
		field  string
	}{
		{func(f url.Values) url.Values {
			g := url.Values{}
			for k, v := range f {
				if !strings.HasPrefix(k, "who_") {
					g[k] = v
				}
			}
			return g
		}, "who"},
		{func(f url.Values) url.Values { // no one, and no service: both said at once
			return url.Values{"group": {"1"}, "date": {"2026-12-01"}, "quantity": {"1"}, "unit": {"sessions"}}
		}, "service"},
		{func(f url.Values) url.Values { g := maps.Clone(f); g.Set("date", "2027-01-15"); return g }, "date"},
		{func(f url.Values) url.Values { g := maps.Clone(f); g.Set("quantity", "много"); return g }, "quantity"},
	} {
		res := s.postForm(coord, page+"/deliveries", c.change(form), nil)
		doc := parseHTML(t, res.Body)
		if res.StatusCode != http.StatusUnprocessableEntity || first(doc, byID("e-"+c.field)) == nil {
			t.Errorf("a group form wrong on %s: %d, no message beside the field", c.field, res.StatusCode)
		}
	}
	if got := actual(coord); got != "0" {
		t.Fatalf("refused forms counted %q women", got)
	}
	if res := s.postForm(coord, page+"/deliveries", form, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the group form: %d", res.StatusCode)
	}
	if res := s.get(coord, page); !strings.Contains(res.Body, ru.T("flash.group_recorded")) {
		t.Errorf("no word that the services were recorded")
	}
	if got := actual(coord); got != "2" {
		t.Errorf("after the group form %q women reached, want 2", got)
	}
	analyst := s.login("analyst@birge.example")
	res := s.get(analyst, page)
	if doc := parseHTML(t, res.Body); text(first(doc, byClass("actual"))) != "2" || first(doc, byID("group")) != nil {
		t.Errorf("the analyst's page: figures %q, group form shown: %v", text(first(doc, byClass("actual"))), first(doc, byID("group")) != nil)
	}
}

// An award's page shows the targets it promised its donor with their actuals: the
// demo's AEIF award promises Mama Pro's three indicators.
func TestAwardShowsItsTargets(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	admin := s.login("admin@birge.example") // Kazakh
	list, err := s.st.Funding.List(context.Background(), birge.System("t"), store.FundingFilter{})
	if err != nil || len(list) != 1 {
		t.Fatalf("the demo's awards: %v, %v", list, err)
	}
	res := s.get(admin, "/funding/"+strconv.FormatInt(list[0].ID, 10))
	targets := first(parseHTML(t, res.Body), byID("targets"))
	if res.StatusCode != http.StatusOK || targets == nil {
		t.Fatalf("the award's page: %d, no targets", res.StatusCode)
	}
	rows := findAll(targets, byTag("tr"))
	if got := text(targets); len(rows) != 4 || !strings.Contains(got, "Оқытылған әйелдер") || !strings.Contains(got, i18n.For("kk").T("indicator.actual")) {
		t.Errorf("the targets: %d rows\n%s", len(rows), got)
	}
}
