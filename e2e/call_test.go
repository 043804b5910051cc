package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/testenv"
)

// setField sets a form control by its id, which on the call form holds dots and brackets
// (criteria[0].weight) that a CSS #id selector would misread.
func (p *tab) setField(id, value string) {
	p.t.Helper()
	idJSON, _ := json.Marshal(id)
	valueJSON, _ := json.Marshal(value)
	if !js[bool](p, fmt.Sprintf(`(() => { const e = document.getElementById(%s); if (!e) return false; e.value = %s; return true })()`, idJSON, valueJSON)) {
		p.t.Fatalf("no field #%s", id)
	}
}

// Belesteri's grant officer announces a business-grant call with four criteria: her first
// try, weights summing to 110 %, is refused beside the criteria in Russian; she fixes a
// weight, opens the call, and a visitor reading Kazakh finds it on the public page, linked
// from the home page. Every screen passes axe.
func TestGrantOfficerOpensACall(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	p := newTabFor(t, srv, time.Minute)
	const officer = "grants@birge.example" // in Russian
	p.login(officer, srv.password(t, officer))
	ru := i18n.For("ru")
	p.screen("/calls", http.StatusOK)
	p.screen("/calls/new", http.StatusOK)
	if resp := p.submit(`main form button[type=submit]`); resp.Status != http.StatusUnprocessableEntity {
		t.Fatalf("an empty call: status %d", resp.Status)
	}
	p.axe("a new call, refused")

	// The times are the officer's, around the tests' clock (processEnv).
	now := testenv.Evening
	for id, v := range map[string]string{
		"f-title_kk": "Ауыл әйелдеріне бизнес-грант 2027", "f-title_ru": "Бизнес-гранты сельским женщинам 2027",
		"f-title_ky": "Айыл аялдарына бизнес-грант 2027", "f-title_en": "Business grants for rural women 2027",
		"f-text_kk":   "Ауылдың мәселесін шешетін және нақты табыс әкелетін бизнеске грант.",
		"f-text_ru":   "Гранты бизнесу, который решает проблему села и приносит реальный доход.",
		"f-text_ky":   "Айылдын көйгөйүн чечкен жана чыныгы киреше алып келген бизнеске грант.",
		"f-text_en":   "Grants for a business that solves a problem of the village and brings real income.",
		"f-opens_at":  now.Add(-48 * time.Hour).Format("2006-01-02T15:04"),
		"f-closes_at": now.Add(30 * 24 * time.Hour).Format("2006-01-02T15:04"),
		"f-currency":  "USD", "f-budget.amount": "200000", "f-award_amount.amount": "4000", "f-awards": "50",
		"f-status": "open",
	} {
		p.setField(id, v)
	}
	criteria := []struct{ code, kk, ru, ky, en, weight string }{
		{"rural_problem", "Ауыл мәселесін шешеді", "Решает проблему села", "Айылдын көйгөйүн чечет", "Solves a rural problem", "40"},
		{"real_income", "Нақты табыс әкеледі", "Приносит реальный доход", "Чыныгы киреше алып келет", "Brings real income", "30"},
		{"feasibility", "Жүзеге асуы", "Реализуемость", "Ишке ашуусу", "Feasibility", "25"},
		{"commitment", "Ниеті", "Приверженность", "Ниети", "Commitment", "15"},
	}
	for i, c := range criteria {
		at := fmt.Sprintf("f-criteria[%d].", i)
		for field, v := range map[string]string{"code": c.code, "name_kk": c.kk, "name_ru": c.ru, "name_ky": c.ky, "name_en": c.en,
			"weight": c.weight, "max": "10"} {
			p.setField(at+field, v)
		}
	}
	if !js[bool](p, `(() => { const r = document.querySelector('input[name="eligibility.rural_only"]'); r.checked = true; return r.checked })()`) {
		t.Fatal("the rural-only box")
	}
	if resp := p.submit(`main form button[type=submit]`); resp.Status != http.StatusUnprocessableEntity {
		t.Fatalf("weights of 110 %%: status %d", resp.Status)
	}
	if got := p.text(`[id="e-criteria"]`); got != ru.T("call.weights_sum") {
		t.Errorf("beside the criteria: %q", got)
	}
	p.axe("a call whose weights sum to 110 %")
	p.setField("f-criteria[0].weight", "30")
	if resp := p.submit(`main form button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("the call: status %d; the page says:\n%s", resp.Status, p.body())
	}
	call := p.location().Path
	if !strings.HasPrefix(call, "/calls/") {
		t.Fatalf("saved, the browser is at %s", call)
	}
	if got := p.text("main"); !strings.Contains(got, "Бизнес-гранты сельским женщинам 2027") ||
		!strings.Contains(got, ru.T("call.status.open")) || !strings.Contains(got, "Приверженность") {
		t.Errorf("the call's page:\n%s", got)
	}
	p.axe("the call's page")
	p.screen(call+"/edit", http.StatusOK)
	p.screen("/calls", http.StatusOK)

	// The form editor, on a draft: the scholarship's default form.
	p.screen("/calls/new", http.StatusOK)
	for id, v := range map[string]string{"f-kind": "scholarship", "f-title_kk": "Erke", "f-title_ru": "Erke", "f-title_ky": "Erke",
		"f-title_en": "Erke", "f-text_kk": "Стипендия", "f-text_ru": "Стипендия", "f-text_ky": "Стипендия", "f-text_en": "Scholarship",
		"f-opens_at": now.Add(60 * 24 * time.Hour).Format("2006-01-02T15:04"), "f-closes_at": now.Add(90 * 24 * time.Hour).Format("2006-01-02T15:04"),
		"f-currency": "KZT", "f-budget.amount": "5000000", "f-award_amount.amount": "250000", "f-awards": "20", "f-status": "draft"} {
		p.setField(id, v)
	}
	if resp := p.submit(`main form button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("the draft: status %d; the page says:\n%s", resp.Status, p.body())
	}
	draft := p.location().Path
	p.screen(draft+"/form", http.StatusOK)
	p.setField("f-form[0].label_en", "")
	if resp := p.submit(`main form button[type=submit]`); resp.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a question without its English label: status %d", resp.Status)
	}
	p.axe("the form editor with its errors")

	// The public page, in Kazakh, linked from the home page: the open call, not the draft.
	v := p.incognito()
	v.open("/")
	v.submit(`form.switcher button[value="kk"]`)
	v.screen("/", http.StatusOK)
	if !v.exists(`main a[href="/competitions"]`) {
		t.Fatal("the home page does not link to the competitions")
	}
	v.screen("/competitions", http.StatusOK)
	if got := v.text("main"); !strings.Contains(got, "Ауыл әйелдеріне бизнес-грант 2027") ||
		!strings.Contains(got, "Ауылдың мәселесін шешетін") || strings.Contains(got, "Erke") {
		t.Errorf("the public page in Kazakh:\n%s", got)
	}
}
