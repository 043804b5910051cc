package e2e

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/birge-org/birge/internal/i18n"
)

// In Kazakh, FPC's administrator adds a target of 20 women reached to a programme of
// twelve women, then records a group consultation for all twelve with one form; the
// programme's page then counts 12 women reached against the target of 20. The pages
// pass axe on a desktop and on a 360 px phone, where nothing scrolls sideways.
func TestGroupConsultationCountsTowardsTarget(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	const email = "fpc.admin@birge.example" // speaks Kazakh
	kk := i18n.For("kk")
	token := srv.apiToken(t, email)

	// Twelve women of the Aktobe centre in a new programme, through the API.
	var centers struct {
		Items []struct {
			ID     int64  `json:"id"`
			OrgID  int64  `json:"organization_id"`
			NameEN string `json:"name_en"`
		}
	}
	srv.apiGet(t, token, "/api/v1/centers", &centers)
	var aktobe, fpc int64
	for _, c := range centers.Items {
		if c.NameEN == "Aktobe family centre" {
			aktobe, fpc = c.ID, c.OrgID
		}
	}
	var prog struct{ ID int64 }
	if st := srv.api(t, token, http.MethodPost, "/api/v1/programs", map[string]any{"organization_id": fpc,
		"name_kk": "Ата-аналарға топтық кеңес", "name_ru": "Групповые консультации для родителей",
		"name_ky": "Ата-энелерге топтук кеңеш", "name_en": "Group counselling for parents",
		"kind": "counselling", "status": "active", "starts_on": "2026-01-01", "center_ids": []int64{aktobe}}, &prog); st != http.StatusCreated {
		t.Fatalf("POST /api/v1/programs: %d", st)
	}
	for i := range 12 {
		var woman struct{ ID int64 }
		if st := srv.api(t, token, http.MethodPost, "/api/v1/people", map[string]any{"center_id": aktobe,
			"given_name":  []string{"Айгерім", "Жанар", "Гүлнар", "Мәдина", "Әйгерім", "Самал"}[i%6],
			"family_name": fmt.Sprintf("Қасымова-%d", i+1)}, &woman); st != http.StatusCreated {
			t.Fatalf("POST /api/v1/people: %d", st)
		}
		if st := srv.api(t, token, http.MethodPost, fmt.Sprintf("/api/v1/programs/%d/participants", prog.ID),
			map[string]any{"person_id": woman.ID, "joined_on": "2026-02-01"}, nil); st != http.StatusCreated {
			t.Fatalf("POST participant: %d", st)
		}
	}
	page := "/programs/" + strconv.FormatInt(prog.ID, 10)

	p := newTab(t, srv)
	p.login(email, srv.password(t, email))
	p.do("set the width", chromedp.EmulateViewport(1280, 800))
	if resp := p.open(page + "/indicators/new"); resp.Status != http.StatusOK {
		t.Fatalf("the indicator form: status %d; the page says:\n%s", resp.Status, p.body())
	}
	p.axe("the new indicator form")
	for id, text := range map[string]string{"f-name_kk": "Қамтылған ата-аналар", "f-name_ru": "Охвачено родителей",
		"f-name_ky": "Камтылган ата-энелер", "f-name_en": "Parents reached", "f-target": "20"} {
		p.typeInto(id, text)
	}
	p.choose("f-measure", "people_reached")
	if resp := p.submit(`form[action$="/indicators"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("add the indicator: status %d; the page says:\n%s", resp.Status, p.body())
	}
	if got := p.text("#indicators td.actual"); got != "0" {
		t.Errorf("before the consultation the page counts %q", got)
	}

	// One form, twelve women: every one is ticked already.
	if n := js[int](p, `document.querySelectorAll('#group input[type=checkbox]:checked').length`); n != 12 {
		t.Fatalf("the group form ticks %d women, want 12", n)
	}
	p.choose("f-service", "consultation")
	p.choose("f-unit", "sessions")
	p.typeInto("f-quantity", "1")
	p.typeInto("f-note", "Балалармен қарым-қатынас туралы топтық кеңес")
	if resp := p.submit(`#group button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("the group consultation: status %d; the page says:\n%s", resp.Status, p.body())
	}
	if got := p.text(".flash"); got != kk.T("flash.group_recorded") {
		t.Errorf("after recording the page says %q", got)
	}
	if got := p.text("#indicators td.actual"); got != "12" {
		t.Errorf("after the consultation the page counts %q women reached, want 12", got)
	}
	if got, want := p.text("#indicators td:nth-child(3)"), "20"; got != want {
		t.Errorf("the target reads %q, want %q", got, want)
	}
	p.axe("the programme's page with its figures")

	phone := newTab(t, srv)
	phone.login(email, srv.password(t, email))
	phone.do("set the width", chromedp.EmulateViewport(360, 780))
	for _, path := range []string{page, page + "/indicators/new"} {
		phone.open(path)
		if sw := js[int](phone, `document.documentElement.scrollWidth`); sw > 360 {
			t.Errorf("%s: the page is %d px wide on a 360 px screen", path, sw)
		}
		phone.axe(path + " at 360 px")
	}
}
