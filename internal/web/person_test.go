package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
)

// The people list filters by district through the page, and refuses, beside the field, a
// filter it cannot apply rather than showing an empty list.
func TestPeopleListFilters(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	c := s.login("fpc.admin@birge.example")      // Kazakh
	res := s.get(c, "/people?district=KZ154000") // Kargaly district
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Төлегенова") || strings.Contains(res.Body, "Омарова") {
		t.Errorf("district filter: %d; want the Kargaly survivor and not the Aktobe family", res.StatusCode)
	}
	res = s.get(c, "/people?category=dv_survivor")
	doc := parseHTML(t, res.Body)
	if e := first(doc, byID("e-category")); res.StatusCode != http.StatusUnprocessableEntity || e == nil ||
		text(e) != i18n.For("kk").T("field.choose") {
		t.Errorf("filter by a sealed category: %d, want 422 with a message beside the field", res.StatusCode)
	}
}

// TestTodayAtNight: the sites' clocks start at 20:30 UTC on 31 December, already 1 January
// in Almaty. The form offers the coordinator's day, and what it offers is saved: a woman
// registered with consent given today, a consent recorded and withdrawn from her page.
func TestTodayAtNight(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	c := s.login("coordinator@birge.example")
	const today = "2027-01-01"
	if now := s.st.Now(); now.Hour() != 20 || now.Day() != 31 {
		t.Fatalf("the test store's clock reads %v; the test needs the evening of 31 December", now)
	}
	doc := parseHTML(t, s.get(c, "/people/new").Body)
	if in := first(doc, byID("f-given_on")); in == nil || attr(in, "value") != today {
		t.Fatalf("the new-person form offers consent given on %q, want the coordinator's %s", attr(in, "value"), today)
	}
	res := s.postForm(c, "/people", url.Values{"center_id": {strconv.FormatInt(s.center("Aktobe family centre").ID, 10)},
		"given_name": {"Айару"}, "family_name": {"Түнгі"}, "consent_services": {"on"}, "consent_channel": {"paper"},
		"given_on": {today}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("registering with consent given today: %d\n%s", res.StatusCode, res.Body)
	}
	page := res.Header.Get("Location")
	if res = s.postForm(c, page+"/consents", url.Values{"purpose": {"story"}, "channel": {"verbal"}, "given_on": {today}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("recording a consent given today: %d", res.StatusCode)
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(page, "/people/"), 10, 64)
	p, err := s.st.People.Get(context.Background(), birge.System("t"), id)
	if err != nil || len(p.Consents) != 2 {
		t.Fatalf("her consents: %v %v", p.Consents, err)
	}
	for _, con := range p.Consents {
		if con.GivenOn != today {
			t.Errorf("consent %s given on %s, want %s", con.Purpose, con.GivenOn, today)
		}
		if res = s.postForm(c, page+"/consents/"+strconv.FormatInt(con.ID, 10)+"/withdraw", url.Values{}, nil); res.StatusCode != http.StatusSeeOther {
			t.Errorf("withdrawing consent %s today: %d", con.Purpose, res.StatusCode)
		}
	}
	p, _ = s.st.People.Get(context.Background(), birge.System("t"), id)
	for _, con := range p.Consents {
		if con.WithdrawnOn != today {
			t.Errorf("consent %s withdrawn on %q, want %s", con.Purpose, con.WithdrawnOn, today)
		}
	}

	// The API takes the token owner's day alike.
	_, tok := s.token("coordinator@birge.example", "night")
	res = s.api(tok, http.MethodPost, "/api/v1/people", map[string]any{"center_id": s.center("Aktobe family centre").ID,
		"given_name": "Томирис", "consents": []map[string]any{{"purpose": "services", "channel": "online", "given_on": today}}})
	if res.StatusCode != http.StatusCreated {
		t.Errorf("POST /api/v1/people with consent given today: %d %s", res.StatusCode, res.Body)
	}
}
