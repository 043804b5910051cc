package e2e

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/testenv"
)

// A woman applies for a rural business grant on a 360 px phone, in Kyrgyz: each step
// saves her draft; a number that is not one is refused beside its field in Kyrgyz; she
// comes back through her private link in another browser, attaches a photo, reviews and
// submits, is told her reference and checks her status with it and her phone. The grant
// officer finds the application, reads it and overrides its eligibility with a reason.
// Every screen passes axe.
func TestApplicantAppliesOnHerPhone(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	const officer = "grants@birge.example"
	tok := srv.apiToken(t, officer)
	var programs struct {
		Items []struct {
			ID    int64 `json:"id"`
			OrgID int64 `json:"organization_id"`
			Kind  string
		} `json:"items"`
	}
	if st := srv.apiGet(t, tok, "/api/v1/programs", &programs); st != 200 || len(programs.Items) == 0 {
		t.Fatalf("programmes: %d", st)
	}
	p := programs.Items[0]
	now := testenv.Evening
	var call struct{ ID int64 }
	if st := srv.api(t, tok, http.MethodPost, "/api/v1/calls", map[string]any{"organization_id": p.OrgID, "program_id": p.ID,
		"kind": "business_grant", "title_kk": "Ауыл әйелдеріне бизнес-грант", "title_ru": "Бизнес-гранты сельским женщинам",
		"title_ky": "Айыл аялдарына бизнес-грант", "title_en": "Business grants for rural women",
		"text_kk": "Ауылға пайдалы бизнес", "text_ru": "Бизнес, полезный селу", "text_ky": "Айылга пайдалуу бизнес",
		"text_en": "A business the village needs", "opens_at": now.Add(-48 * time.Hour), "closes_at": now.Add(30 * 24 * time.Hour),
		"budget": map[string]any{"amount": 20_000_000, "currency": "USD"}, "award_amount": map[string]any{"amount": 400_000, "currency": "USD"},
		"awards": 50, "status": "open", "eligibility": map[string]any{"rural_only": true},
		"criteria": []map[string]any{{"code": "rural_problem", "name_kk": "Ауыл мәселесі", "name_ru": "Проблема села",
			"name_ky": "Айылдын көйгөйү", "name_en": "A rural problem", "weight": 100, "max": 10}}}, &call); st != http.StatusCreated {
		t.Fatalf("the call: %d", st)
	}
	ky := i18n.For("ky")
	her := newTabFor(t, srv, 2*time.Minute)
	her.open("/")
	her.submit(`form.switcher button[value="ky"]`)
	her.do("emulate a phone", chromedp.EmulateViewport(360, 740))
	her.screen("/competitions", http.StatusOK)
	apply := "/competitions/" + strconv.FormatInt(call.ID, 10) + "/apply"
	if !her.exists(`a[href="` + apply + `"]`) {
		t.Fatal("no link to apply on the public list")
	}
	her.screen(apply, http.StatusOK)
	narrow := func(what string) {
		t.Helper()
		if sw := js[int](her, `document.documentElement.scrollWidth`); sw > 360 {
			t.Errorf("%s is %d px wide on a 360 px phone", what, sw)
		}
	}
	narrow("the first step")
	for id, v := range map[string]string{"f-applicant.family_name": "Токтогулова", "f-applicant.given_name": "Нургүл",
		"f-applicant.phones": "8 701 555 77 88", "f-applicant.region": "KZ75", "f-applicant.settlement": "Түргөн"} {
		her.setField(id, v)
	}
	js[bool](her, `(() => { const r = document.querySelector('input[name="applicant.rural"]'); r.checked = true; return true })()`)
	if resp := her.submit(`main form button[value=next]`); resp.Status != http.StatusOK {
		t.Fatalf("about her: %d\n%s", resp.Status, her.body())
	}
	link := her.value("link")
	ref := her.text(".flash strong")
	if !strings.Contains(link, "token=") || !strings.HasPrefix(ref, "BG-") {
		t.Fatalf("the private link %q, reference %q", link, ref)
	}
	her.axe("the business step, with her reference and link")
	narrow("the business step")
	her.setField("f-answers.idea", "Нан бышыруучу наабайкана")
	her.setField("f-answers.problem", "Айылда нан дүкөнү жок, шаарга барышат")
	her.setField("f-answers.market", "Кошуналар жана мектеп")
	if resp := her.submit(`main form button[value=next]`); resp.Status != http.StatusOK {
		t.Fatalf("the business: %d", resp.Status)
	}
	her.setField("f-answers.costs", "Меш — 2000 доллар, ун — 500 доллар")
	her.setField("f-answers.own_contribution", "500")
	her.setField("f-answers.monthly_income", "800")
	her.setField("f-answers.jobs", "үч")
	if resp := her.submit(`main form button[value=next]`); resp.Status != http.StatusUnprocessableEntity {
		t.Fatalf("jobs in words: %d", resp.Status)
	}
	if got := her.text(`[id="e-answers.jobs"]`); got != ky.T("field.number") {
		t.Errorf("beside the jobs: %q", got)
	}
	her.axe("the costs step, refused")
	her.setField("f-answers.jobs", "3")
	if resp := her.submit(`main form button[value=next]`); resp.Status != http.StatusOK {
		t.Fatalf("the costs: %d", resp.Status)
	}

	// She comes back later, on another browser, through her link.
	back := her.incognito()
	back.open("/")
	back.submit(`form.switcher button[value="ky"]`)
	back.do("emulate a phone", chromedp.EmulateViewport(360, 740))
	back.screen(link, http.StatusOK)
	if got := back.value("f-applicant.given_name"); got != "Нургүл" {
		t.Errorf("her name, come back: %q", got)
	}
	back.screen(link+"&step=3", http.StatusOK)
	photo := filepath.Join(t.TempDir(), "shop.png")
	if err := os.WriteFile(photo, append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0}, 64)...), 0o600); err != nil {
		t.Fatal(err)
	}
	back.do("choose the photo", chromedp.SetUploadFiles(`input[type=file]`, []string{photo}))
	if resp := back.submit(`form.upload button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("the photo: %d\n%s", resp.Status, back.body())
	}
	if !strings.Contains(back.text("main"), "shop.png") {
		t.Errorf("the photo is not listed:\n%s", back.text("main"))
	}
	back.axe("the documents step, a photo attached")
	if resp := back.submit(`main form button[value=next]`); resp.Status != http.StatusOK {
		t.Fatalf("to the review: %d", resp.Status)
	}
	if got := back.text("main"); !strings.Contains(got, "Нан бышыруучу наабайкана") || !strings.Contains(got, "800 USD") {
		t.Errorf("the review:\n%s", got)
	}
	back.axe("the review")
	narrow("the review")
	if resp := back.submit(`main form button[value=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("submit: %d\n%s", resp.Status, back.body())
	}
	if got := back.text("#reference"); got != ref {
		t.Errorf("the reference she is told: %q, want %q", got, ref)
	}
	back.axe("her application, submitted")
	// Her link now shows what she sent, never a form to change it.
	back.open(link + "&step=1")
	if back.exists(`textarea[name="answers.idea"]`) {
		t.Error("a submitted application can still be edited")
	}
	back.screen("/competitions/status?ref="+ref, http.StatusOK)
	back.setField("f-phone", "+7 701 555 77 88")
	if resp := back.submit(`main form button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("her status: %d", resp.Status)
	}
	if got := back.text(".flash"); !strings.Contains(got, ky.T("application.status.eligible")) {
		t.Errorf("her status: %q", got)
	}
	back.axe("her status")

	// The officer reads it and overrides the rules' answer, with a reason.
	o := her.incognito()
	o.login(officer, srv.password(t, officer))
	list := o.screen("/calls/"+strconv.FormatInt(call.ID, 10)+"/applications", http.StatusOK)
	app := o.firstLink(list, `^/applications/[0-9]+$`)
	o.screen(app, http.StatusOK)
	if got := o.text("main"); !strings.Contains(got, "Токтогулова") || !strings.Contains(got, "shop.png") {
		t.Errorf("the application's page:\n%s", got)
	}
	js[bool](o, `(() => { document.querySelector('input[name="eligible"][value="no"]').checked = true; return true })()`)
	if resp := o.submit(`form[action$="/eligibility"] button[type=submit]`); resp.Status != http.StatusUnprocessableEntity {
		t.Fatalf("an override without a reason: %d", resp.Status)
	}
	o.axe("an override without a reason")
	o.setField("f-reason", "Живёт в черте города")
	if resp := o.submit(`form[action$="/eligibility"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("the override: %d", resp.Status)
	}
	if got := o.text("main"); !strings.Contains(got, "Живёт в черте города") {
		t.Errorf("after the override:\n%s", got)
	}
	o.axe("the application, overridden")
}
