package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/api"
	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// deliveryFixtures are services recorded by hand to the women of Aktobe and Bishkek: one
// to read and change, one for each delete route.
func deliveryFixtures(t *testing.T, s *site, fx *fixture) {
	ctx, sys := context.Background(), birge.System("test")
	for _, who := range []string{"aktobe", "kg"} {
		for _, key := range []string{who, who + "-web", who + "-api"} {
			d, err := s.st.Deliveries.Record(ctx, sys, birge.Delivery{PersonID: fx.ids["person:"+who], Date: "2026-06-01",
				Kind: "consultation", Quantity: 1, Unit: "sessions"})
			if err != nil {
				t.Fatal(err)
			}
			fx.ids["delivery:"+key] = d.ID
		}
	}
}

func deliveryForm(*fixture) any {
	return url.Values{"service": {"legal_advice"}, "date": {"2026-06-02"}, "quantity": {"1"}, "unit": {"hours"}}
}

func deliveryJSON(key string) func(fx *fixture) any {
	return func(fx *fixture) any {
		return fmt.Sprintf(`{"person_id": %d, "date": "2026-06-02", "kind": "mediation", "quantity": 2, "unit": "sessions"}`, fx.ids[key])
	}
}

// TestServicesOnHerPage: the Aktobe coordinator (Russian) sees the Services form with her
// own today as the date; a wrong quantity and a future date are refused next to their
// fields in Russian, and nothing is recorded; a right one is listed, by its Russian name,
// with its day in the language's form, and in her history.
func TestServicesOnHerPage(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	c := s.login("coordinator@birge.example")
	her, err := s.st.People.Create(context.Background(), birge.System("t"),
		birge.Person{CenterID: s.center("Aktobe family centre").ID, GivenName: "Айгүл", FamilyName: "Сейтова"})
	if err != nil {
		t.Fatal(err)
	}
	page := "/people/" + strconv.FormatInt(her.ID, 10)
	doc := parseHTML(t, s.get(c, page).Body)
	if in := first(doc, byID("f-date")); in == nil || attr(in, "value") != "2027-01-01" {
		t.Fatalf("the services form offers the day %q, want the coordinator's 2027-01-01", attr(in, "value"))
	}
	if sel := first(doc, byID("f-service")); sel == nil || !strings.Contains(text(sel), "Консультация") {
		t.Fatalf("the services form does not offer kinds in Russian")
	}
	if got := text(first(doc, byID("services"))); !strings.Contains(got, "Услуг пока не записано.") {
		t.Errorf("no services yet reads %q", got)
	}
	res := s.postForm(c, page+"/deliveries", url.Values{"service": {"legal_advice"}, "date": {"2099-01-01"},
		"quantity": {"два"}, "unit": {"hours"}, "note": {"Развод"}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a bad service: %d", res.StatusCode)
	}
	doc = parseHTML(t, res.Body)
	if e := first(doc, byID("e-quantity")); e == nil || text(e) != "Введите целое число от 1 до 1000." {
		t.Errorf("the quantity's error: %v", e)
	}
	// A payment too large to hold is refused beside its field, never wrapped round to a
	// small one and saved.
	res = s.postForm(c, page+"/deliveries", url.Values{"service": {"grant_payment"}, "date": {"2026-11-20"},
		"quantity": {"184467440737095517"}, "unit": {"money"}, "currency": {"KZT"}}, nil)
	if e := first(parseHTML(t, res.Body), byID("e-quantity")); res.StatusCode != http.StatusUnprocessableEntity || e == nil {
		t.Errorf("a payment past what a sum holds: %d, no error beside the amount", res.StatusCode)
	}
	if e := first(doc, byID("e-date")); e == nil || text(e) == "" {
		t.Errorf("no error next to a future date")
	}
	if in := first(doc, byID("f-note")); in == nil || text(in) != "Развод" {
		t.Errorf("the note typed is lost on a refused form")
	}
	res = s.postForm(c, page+"/deliveries", url.Values{"service": {"legal_advice"}, "date": {"2026-12-30"},
		"quantity": {"2"}, "unit": {"hours"}, "note": {"Развод"}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("a right service: %d\n%s", res.StatusCode, res.Body)
	}
	body := s.get(c, page).Body
	doc = parseHTML(t, body)
	services := text(first(doc, byID("services")))
	for _, want := range []string{"Юридическая консультация", "30.12.2026", "2 часа", "Развод", "Айгүл Серікова"} {
		if !strings.Contains(services, want) {
			t.Errorf("her services lack %q: %s", want, services)
		}
	}
	if history := text(first(doc, byID("timeline"))); !strings.Contains(history, "Услуга записана") {
		t.Errorf("her history does not show the service: %s", history)
	}
	checkScripts(t, doc, "her page")
	// A payment is typed in whole tenge and kept in tiyn.
	res = s.postForm(c, page+"/deliveries", url.Values{"service": {"grant_payment"}, "date": {"2026-12-31"},
		"quantity": {"50000"}, "unit": {"money"}, "currency": {"KZT"}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("a payment: %d\n%s", res.StatusCode, res.Body)
	}
	list, err := s.st.Deliveries.List(context.Background(), birge.System("t"), store.DeliveryFilter{PersonID: her.ID, Newest: true})
	if err != nil || len(list) != 2 || list[0].Money == nil || list[0].Money.Amount != 5000000 {
		t.Fatalf("her deliveries after a payment: %+v, %v", list, err)
	}
	// Her dossier, given on her request, holds her services too.
	dossier := text(first(parseHTML(t, s.get(c, page+"/dossier").Body), byID("services")))
	for _, want := range []string{"Юридическая консультация", "Выплата гранта", "KZT"} {
		if !strings.Contains(dossier, want) {
			t.Errorf("her dossier's services lack %q: %s", want, dossier)
		}
	}
}

// TestDeliveriesAPI: many at once all or none, a mistake named by its item; one recorded
// and listed by her; the Big List of Naughty Strings through the note, each stored as
// sent or refused on the field.
func TestDeliveriesAPI(t *testing.T) {
	t.Parallel()
	lines := naughtyStrings(t)
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s := newSite(t, st, Config{})
		_, tok := s.token("admin@birge.example", "deliveries")
		her, err := st.People.Create(context.Background(), birge.System("t"), birge.Person{CenterID: s.center("Bishkek office").ID, GivenName: "Айнура"})
		if err != nil {
			t.Fatal(err)
		}
		item := func(date string) map[string]any {
			return map[string]any{"person_id": her.ID, "date": date, "kind": "counselling_session", "quantity": 1, "unit": "sessions"}
		}
		res := s.api(tok, http.MethodPost, "/api/v1/deliveries", map[string]any{"items": []any{item("2026-03-01"),
			item("2026-03-02"), item("2026-03-03"), item("03.04.2026")}})
		var p problem
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("many with a bad fourth: %d %s", res.StatusCode, res.Body)
		}
		if decodeJSON(t, res, &p); p.Errors["items[3].date"] == "" || len(p.Errors) != 1 {
			t.Errorf("errors %v, want items[3].date only", p.Errors)
		}
		// One more than may be sent at once is refused whole, before any is checked.
		tooMany := make([]any, api.MaxDeliveriesAtOnce+1)
		for i := range tooMany {
			tooMany[i] = item("2026-03-01")
		}
		if res := s.api(tok, http.MethodPost, "/api/v1/deliveries", map[string]any{"items": tooMany}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%d at once: %d, want 422", len(tooMany), res.StatusCode)
		}
		listed := func() []birge.Delivery {
			var l struct{ Items []birge.Delivery }
			decodeJSON(t, s.api(tok, http.MethodGet, "/api/v1/deliveries?person_id="+strconv.FormatInt(her.ID, 10), nil), &l)
			return l.Items
		}
		if l := listed(); len(l) != 0 {
			t.Fatalf("a refused batch recorded %d", len(l))
		}
		pay := map[string]any{"person_id": her.ID, "date": "2026-03-05", "kind": "grant_payment", "unit": "money",
			"money": map[string]any{"amount": 5000000, "currency": "KGS"}}
		res = s.api(tok, http.MethodPost, "/api/v1/deliveries", pay)
		var d birge.Delivery
		if decodeJSON(t, res, &d); res.StatusCode != http.StatusCreated || d.Money == nil || d.Money.Amount != 5000000 || d.Source != "manual" {
			t.Fatalf("a payment: %d %s", res.StatusCode, res.Body)
		}
		if l := listed(); len(l) != 1 || l[0].ID != d.ID {
			t.Fatalf("her deliveries: %+v", l)
		}
		if res := s.api(tok, http.MethodPatch, "/api/v1/deliveries/"+strconv.FormatInt(d.ID, 10), map[string]any{"source": "training"}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("PATCH of its source: %d, want 422", res.StatusCode)
		}
		path := "/api/v1/deliveries/" + strconv.FormatInt(d.ID, 10)
		allowed := textRefusals("kk")
		tally := map[string]int{}
		for _, v := range lines {
			tryValue(t, v, []string{"note"}, http.StatusOK, func(fields []string) (int, map[string]string, string) {
				res := s.api(tok, http.MethodPatch, path, map[string]string{"note": v})
				var p problem
				if res.StatusCode == http.StatusUnprocessableEntity {
					decodeJSON(t, res, &p)
				}
				return res.StatusCode, p.Errors, res.Body
			}, func([]string) {
				var got birge.Delivery
				decodeJSON(t, s.api(tok, http.MethodGet, path, nil), &got)
				if got.Note != asSent(v) {
					t.Errorf("%q in the note: read back as %q", v, got.Note)
				}
			}, allowed, tally)
		}
		if tally["stored"] < 400 {
			t.Errorf("only %d of %d naughty notes stored", tally["stored"], len(lines))
		}
	})
}
