package e2e

import (
	"database/sql"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	_ "modernc.org/sqlite"

	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/testenv"
)

// reviewSetup makes, beside the running demo server, what a reviewer meets: a woman in
// Belesteri's registry, an open call, her eligible application naming her in its answers
// (written straight into the database: the public form that writes it is its own
// module), assigned to the demo's reviewer through the API. It returns the application's
// id and every identifying value of the applicant.
func reviewSetup(t *testing.T, srv *server) (int64, []string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(srv.Data, "birge.db")+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	one := func(q string, args ...any) (n int64) {
		t.Helper()
		if err := db.QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	org := one(`SELECT g.org_id FROM grants g JOIN users u ON u.id = g.user_id WHERE u.email = 'grants@birge.example'`)
	program := one(`SELECT MIN(id) FROM programs WHERE org_id = ?`, org)
	center := one(`SELECT MIN(id) FROM centers WHERE org_id = ?`, org)
	reviewer := one(`SELECT id FROM users WHERE email = 'reviewer@birge.example'`)
	tok := srv.apiToken(t, "grants@birge.example")

	var person struct{ ID int64 }
	if st := srv.api(t, tok, http.MethodPost, "/api/v1/people", map[string]any{"center_id": center,
		"family_name": "Жұмабаева", "given_name": "Айжан", "patronymic": "Серікқызы", "iin": "850315401231",
		"phones": []string{"+7 701 123 45 67"}, "email": "aizhan.zh@mail.kz", "country": "KZ", "region": "KZ19",
		"district": "KZ195200", "settlement": "Шамалған", "rural": true}, &person); st != http.StatusCreated {
		t.Fatalf("register her: %d", st)
	}
	crit := func(code, kk, ru, ky, en string, weight int) map[string]any {
		return map[string]any{"code": code, "name_kk": kk, "name_ru": ru, "name_ky": ky, "name_en": en, "weight": weight, "max": 10}
	}
	var call struct{ ID int64 }
	if st := srv.api(t, tok, http.MethodPost, "/api/v1/calls", map[string]any{"organization_id": org, "program_id": program,
		"kind": "business_grant", "status": "open",
		"title_kk": "Ауыл әйелдеріне бизнес-грант", "title_ru": "Бизнес-гранты сельским женщинам",
		"title_ky": "Айыл аялдарына бизнес-грант", "title_en": "Business grants for rural women",
		"text_kk": "Ауылға пайдалы бизнес", "text_ru": "Бизнес, полезный селу", "text_ky": "Айылга пайдалуу бизнес",
		"text_en":  "A business the village needs",
		"opens_at": testenv.Evening.Add(-30 * 24 * time.Hour).Format(time.RFC3339), "closes_at": testenv.Evening.Add(-time.Hour).Format(time.RFC3339),
		"budget": map[string]any{"amount": 20_000_000, "currency": "USD"}, "award_amount": map[string]any{"amount": 400_000, "currency": "USD"},
		"awards": 50, "regions": []string{}, "eligibility": map[string]any{"rural_only": true},
		"criteria": []any{crit("rural_problem", "Ауыл мәселесін шешеді", "Решает проблему села", "Айылдын көйгөйүн чечет", "Solves a rural problem", 60),
			crit("real_income", "Нақты табыс әкеледі", "Приносит реальный доход", "Чыныгы киреше алып келет", "Brings real income", 40)},
	}, &call); st != http.StatusCreated {
		t.Fatalf("the call: %d", st)
	}
	answers, _ := json.Marshal(map[string]any{
		"idea":    "Мен Айжан Жұмабаевамын, Шамалғанда наубайхана ашамын. ЖСН 850315401231.",
		"problem": "Хабарласыңыз: +7 (701) 123-45-67, aizhan.zh@mail.kz. Қарасай ауданында нан жоқ.",
		"market":  "Ауылдың 2 000 тұрғыны", "costs": "Пеш 1 200 000 теңге",
		"photos": []string{"aizhan-face.jpg"}})
	at := testenv.Evening.Add(-48 * time.Hour)
	var app int64
	if err := db.QueryRow(`INSERT INTO applications (call_id, reference, token_hash, person_id, status, language, answers,
		region, district, rural, submitted_at, created_at, updated_at)
		VALUES (?, 'BG-E2E-1', '', ?, 'eligible', 'kk', ?, 'KZ19', 'KZ195200', TRUE, ?, ?, ?) RETURNING id`,
		call.ID, person.ID, string(answers), at, at, at).Scan(&app); err != nil {
		t.Fatal(err)
	}
	if st := srv.api(t, tok, http.MethodPost, "/api/v1/calls/"+strconv.FormatInt(call.ID, 10)+"/assignments",
		map[string]any{"reviewer_ids": []int64{reviewer}, "per_application": 1}, nil); st != http.StatusOK {
		t.Fatalf("assign: %d", st)
	}
	return app, []string{"Жұмабаева", "Жұмабаевамын", "Айжан", "Серікқызы", "850315401231", "+77011234567", "701",
		"aizhan.zh@mail.kz", "Шамалған", "Шамалғанда", "Қарасай", "Карасай", "KZ195200", "aizhan-face.jpg", "BG-E2E-1",
		"/people/" + strconv.FormatInt(person.ID, 10)}
}

// A reviewer on her phone opens her assignments, reads the application blind — none of
// the applicant's identifying values anywhere on the page — and scores it: a score off
// the scale is refused beside its field, then her scores are saved. Every screen passes
// axe and fits 360 px.
func TestReviewerScoresBlind(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	app, identifying := reviewSetup(t, srv)
	p := newTabFor(t, srv, time.Minute)
	p.do("emulate a phone", chromedp.EmulateViewport(360, 740))
	const reviewer = "reviewer@birge.example" // in English
	p.login(reviewer, srv.password(t, reviewer))
	en := i18n.For("en")

	p.screen("/reviews", http.StatusOK)
	page := p.firstLink("/reviews", `^/applications/[0-9]+$`)
	if page != "/applications/"+strconv.FormatInt(app, 10) {
		t.Fatalf("her list links to %s", page)
	}
	p.screen(page, http.StatusOK)
	html := js[string](p, `document.documentElement.outerHTML`)
	for _, v := range identifying {
		if strings.Contains(html, v) {
			t.Errorf("the blind page shows %q", v)
		}
	}
	if !strings.Contains(html, "наубайхана") {
		t.Errorf("the blind page lost the idea")
	}
	if sw := js[int](p, `document.documentElement.scrollWidth`); sw > 360 {
		t.Errorf("the application is %d px wide on a 360 px phone", sw)
	}

	p.setField("f-scores.rural_problem", "11")
	p.setField("f-scores.real_income", "6")
	if resp := p.submit(`form[action$="/reviews"] button[type=submit]:not([name])`); resp.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a score of 11 of 10: status %d", resp.Status)
	}
	if got := p.text(`#e-scores\.rural_problem`); got != en.T("review.score_range") {
		t.Errorf("beside the score: %q", got)
	}
	p.axe("a score off the scale, refused")
	p.setField("f-scores.rural_problem", "8")
	p.typeInto("f-comment", "A real need: the village has no bakery.")
	if resp := p.submit(`form[action$="/reviews"] button[type=submit]:not([name])`); resp.Status != http.StatusOK {
		t.Fatalf("scores: status %d", resp.Status)
	}
	p.wantPath("/reviews")
	if got := p.text(".flash"); got != en.T("review.flash_saved") {
		t.Errorf("flash: %q", got)
	}
	if !strings.Contains(p.text("main"), en.T("review.status.reviewed")) {
		t.Errorf("her list does not show it scored: %s", p.text("main"))
	}
	p.axe("her assignments, one scored")

	// The grant officer (in Russian) sees the assignment, ranks, previews and confirms
	// the decision, then reads the fairness page and the decision letter in the
	// applicant's Kazakh.
	o := newTabFor(t, srv, time.Minute)
	const officer = "grants@birge.example"
	o.login(officer, srv.password(t, officer))
	ru, kk := i18n.For("ru"), i18n.For("kk")
	call := strings.TrimSuffix(o.firstLink("/applications/"+strconv.FormatInt(app, 10), `^/calls/[0-9]+/ranking$`), "/ranking")
	o.screen(call+"/assignments", http.StatusOK)
	o.screen(call+"/ranking", http.StatusOK)
	o.typeInto("f-shortlist", "0")
	if resp := o.submit(`form[action$="/decisions"] button[type=submit]:not([name])`); resp.Status != http.StatusOK {
		t.Fatalf("preview: status %d", resp.Status)
	}
	if !strings.Contains(o.text("main"), ru.T("review.app_status.awarded")) {
		t.Errorf("the preview shows no award: %s", o.text("main"))
	}
	o.axe("the decision, previewed")
	if resp := o.submit(`form[action$="/decisions"] button[name=confirm]`); resp.Status != http.StatusOK {
		t.Fatalf("confirm: status %d", resp.Status)
	}
	if got := o.text(".flash"); got != ru.T("decision.flash_made") {
		t.Errorf("flash: %q", got)
	}
	o.axe("the ranking, decided")
	o.screen("/fairness", http.StatusOK)
	o.screen(call+"/fairness", http.StatusOK)
	o.screen("/applications/"+strconv.FormatInt(app, 10)+"/letter", http.StatusOK)
	letter := o.text("article")
	for _, want := range []string{kk.T("letter.awarded"), "A real need: the village has no bakery."} {
		if !strings.Contains(letter, want) {
			t.Errorf("the letter lacks %q:\n%s", want, letter)
		}
	}
	if strings.Contains(letter, "Sholpan") {
		t.Errorf("the letter names the reviewer")
	}
}
