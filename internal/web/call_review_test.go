package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// applicationNumber numbers the test applications' references.
var applicationNumber atomic.Int64

// insertApplication writes a submitted, eligible application as the public form leaves
// it (that form is built elsewhere; review only reads the row) and returns its id.
func insertApplication(t testing.TB, st *store.Store, callID, personID int64, district string, answers map[string]any) int64 {
	t.Helper()
	b, _ := json.Marshal(answers)
	var person any
	if personID != 0 {
		person = personID
	}
	q := `INSERT INTO applications (call_id, reference, token_hash, person_id, status, language, answers, region,
		district, rural, submitted_at, created_at, updated_at) VALUES (?, ?, '', ?, 'eligible', 'kk', ?, 'KZ19', ?, ?, ?, ?, ?)
		RETURNING id`
	if st.Dialect() == "postgres" {
		n := 0
		for strings.Contains(q, "?") {
			n++
			q = strings.Replace(q, "?", "$"+strconv.Itoa(n), 1)
		}
	}
	now := time.Date(2026, 12, 20, 8, 0, 0, 0, time.UTC)
	var id int64
	ref := fmt.Sprintf("BG-%d", applicationNumber.Add(1))
	ctx := context.Background()
	conn, err := st.DB().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if st.Dialect() == "sqlite" { // the read pool's connections are query-only: this one writes, once
		if _, err := conn.ExecContext(ctx, `PRAGMA query_only = OFF`); err != nil {
			t.Fatal(err)
		}
		defer conn.ExecContext(ctx, `PRAGMA query_only = ON`)
	}
	if err := conn.QueryRowContext(ctx, q, callID, ref, person, string(b), district, true, now, now, now).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// reviewFixtures: the demo's reviewer and a second one in Belesteri; on the open call an
// application assigned to the demo's reviewer and one to the other; a call decided, with
// its one application awarded.
func reviewFixtures(t *testing.T, s *site, fx *fixture) {
	ctx, sys := context.Background(), birge.System("test")
	org := fx.ids["org:belesteri"]
	me := s.userID("reviewer@birge.example")
	other, err := s.st.CreateUser(ctx, sys, store.NewUser{User: birge.User{Email: "rv2@birge.example", Name: "Айгүл Сарапшы",
		Lang: "kk", Grants: []birge.Grant{{Role: birge.RoleReviewer, OrgID: org}}}, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	fx.ids["user:reviewer"], fx.ids["user:reviewer2"] = me, other.ID
	// A call of its own, so that the applications other fixtures add to the open call are
	// assigned to no one: which of these two is hers is then known.
	review, err := s.st.Calls.Create(ctx, sys, belesteriCall(org, fx.ids["program:belesteri"]))
	if err != nil {
		t.Fatal(err)
	}
	fx.ids["call:review"] = review.ID
	answers := map[string]any{"idea": "Наубайхана", "problem": "Ауылда нан жоқ"}
	fx.ids["application:assigned"] = insertApplication(t, s.st, review.ID, 0, "", answers)
	fx.ids["application:other"] = insertApplication(t, s.st, review.ID, 0, "", answers)
	pool := store.ReviewPool{Reviewers: []birge.CallReviewer{{UserID: me}, {UserID: other.ID}}, PerApplication: 1}
	if _, err := s.st.Calls.Assign(ctx, sys, review.ID, pool); err != nil {
		t.Fatal(err)
	}
	c, err := s.st.Calls.Create(ctx, sys, belesteriCall(org, fx.ids["program:belesteri"]))
	if err != nil {
		t.Fatal(err)
	}
	fx.ids["call:decided"] = c.ID
	app := insertApplication(t, s.st, c.ID, 0, "", answers)
	fx.ids["application:decided"] = app
	pool.Reviewers = pool.Reviewers[:1]
	if _, err := s.st.Calls.Assign(ctx, sys, c.ID, pool); err != nil {
		t.Fatal(err)
	}
	rv := &birge.Actor{UserID: me, Grants: []birge.Grant{{Role: birge.RoleReviewer, OrgID: org}}}
	if _, err := s.st.Calls.SubmitReview(ctx, rv, app, store.ReviewInput{Scores: map[string]int{"rural_problem": 8, "real_income": 6},
		Comment: "Жоспар нақты"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.Calls.Decide(ctx, sys, c.ID, birge.DecisionRequest{Confirm: true}); err != nil {
		t.Fatal(err)
	}
}

// scoresForm is the score form of the web call's two criteria.
func scoresForm(*fixture) any {
	return url.Values{"scores.rural_problem": {"7"}, "scores.real_income": {"5"}, "comment": {"Жақсы идея"}}
}

// poolForm names the two Belesteri reviewers, one per application.
func poolForm(fx *fixture) any {
	return url.Values{"reviewer." + fx.id(fx.site.t, "user:reviewer"): {"on"}, "reviewer." + fx.id(fx.site.t, "user:reviewer2"): {"on"},
		"per_application": {"1"}}
}

func poolJSON(fx *fixture) any {
	return fmt.Sprintf(`{"reviewer_ids": [%d, %d], "per_application": 1}`, fx.ids["user:reviewer"], fx.ids["user:reviewer2"])
}

// TestReviewBlindPage: the reviewer's page and API show her application with no
// identifying value of the applicant, her score form takes her scores (a wrong one is
// refused beside its field), and the officer reads the full application.
func TestReviewBlindPage(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		ctx, sys := context.Background(), birge.System("test")
		s := newSite(t, st, Config{})
		fx := &fixture{site: s, ids: map[string]int64{}}
		callFixtures(t, s, fx)
		office := s.center("Belesteri programme office")
		p, err := st.People.Create(ctx, sys, birge.Person{CenterID: office.ID, FamilyName: "Жұмабаева", GivenName: "Айжан",
			Patronymic: "Серікқызы", IIN: "850315401231", Phones: []string{"+7 701 123 45 67"}, Email: "aizhan.zh@mail.kz",
			Country: "KZ", Region: "KZ19", District: "KZ195200", Settlement: "Шамалған", Rural: true})
		if err != nil {
			t.Fatal(err)
		}
		app := insertApplication(t, st, fx.ids["call:open"], p.ID, "KZ195200", map[string]any{
			"idea":    "Мен Айжан Жұмабаевамын, Шамалғанда наубайхана ашамын. ЖСН 850315401231.",
			"problem": "Хабарласыңыз: +7 (701) 123-45-67, aizhan.zh@mail.kz. Қарасай ауданында нан жоқ.",
			"photos":  []string{"aizhan-face.jpg"}})
		me := s.userID("reviewer@birge.example")
		if _, err := st.Calls.Assign(ctx, sys, fx.ids["call:open"], store.ReviewPool{
			Reviewers: []birge.CallReviewer{{UserID: me}}, PerApplication: 1}); err != nil {
			t.Fatal(err)
		}
		identifying := []string{"Жұмабаева", "Жұмабаевамын", "Айжан", "Серікқызы", "850315401231", "+77011234567",
			"701", "aizhan.zh@mail.kz", "Шамалған", "Шамалғанда", "Қарасай", "Карасай", "KZ195200", "aizhan-face.jpg",
			"/people/" + strconv.FormatInt(p.ID, 10)}
		reviewer := s.login("reviewer@birge.example")
		page := s.get(reviewer, "/applications/"+strconv.FormatInt(app, 10))
		_, tok := s.token("reviewer@birge.example", "review")
		api := s.api(tok, http.MethodGet, "/api/v1/applications/"+strconv.FormatInt(app, 10), nil)
		if page.StatusCode != 200 || api.StatusCode != 200 {
			t.Fatalf("page %d, API %d", page.StatusCode, api.StatusCode)
		}
		for _, v := range identifying {
			if strings.Contains(page.Body, v) {
				t.Errorf("the blind page shows %q", v)
			}
			if strings.Contains(api.Body, v) {
				t.Errorf("the blind API shows %q", v)
			}
		}
		var blind map[string]any
		decodeJSON(t, api, &blind)
		for _, key := range []string{"person_id", "reference", "district", "language", "submitted_at", "status"} {
			if _, ok := blind[key]; ok {
				t.Errorf("the blind API has %q", key)
			}
		}
		if !strings.Contains(page.Body, "наубайхана") {
			t.Errorf("the blind page lost the idea:\n%s", page.Body)
		}

		res := s.postForm(reviewer, "/applications/"+strconv.FormatInt(app, 10)+"/reviews",
			url.Values{"scores.rural_problem": {"11"}, "scores.real_income": {"x"}}, nil)
		if res.StatusCode != http.StatusUnprocessableEntity || errorText(res.Body, "scores.rural_problem") == "" ||
			errorText(res.Body, "scores.real_income") == "" {
			t.Fatalf("bad scores: %d\n%s", res.StatusCode, res.Body)
		}
		res = s.postForm(reviewer, "/applications/"+strconv.FormatInt(app, 10)+"/reviews",
			url.Values{"scores.rural_problem": {"7"}, "scores.real_income": {"5"}, "comment": {"Нақты жоспар"}}, nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("scores: %d\n%s", res.StatusCode, res.Body)
		}
		mine := s.get(reviewer, "/reviews")
		if !strings.Contains(mine.Body, "/applications/"+strconv.FormatInt(app, 10)) {
			t.Errorf("her list lacks the application")
		}

		officer := s.login("grants@birge.example")
		full := s.get(officer, "/applications/"+strconv.FormatInt(app, 10))
		if full.StatusCode != 200 || !strings.Contains(full.Body, "Жұмабаева") || !strings.Contains(full.Body, "/people/") {
			t.Errorf("the officer's page: %d", full.StatusCode)
		}
		rank := s.get(officer, "/calls/"+strconv.FormatInt(fx.ids["call:open"], 10)+"/ranking")
		if rank.StatusCode != 200 || !strings.Contains(rank.Body, "BG-") {
			t.Errorf("ranking page: %d", rank.StatusCode)
		}
	})
}

// TestReviewOfficerPages: the officer names the pool on the page — a wrong number is
// refused beside its field in her Russian —, the applications are assigned; the decision
// form refuses a reference not in the ranking beside its field, previews and confirms;
// the fairness page opens after it, and the letter speaks the applicant's Kazakh.
func TestReviewOfficerPages(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		ctx := context.Background()
		s := newSite(t, st, Config{})
		fx := &fixture{site: s, ids: map[string]int64{}}
		callFixtures(t, s, fx)
		call := "/calls/" + strconv.FormatInt(fx.ids["call:open"], 10)
		app := insertApplication(t, st, fx.ids["call:open"], 0, "", map[string]any{"idea": "Тігін цехы"})
		me := s.userID("reviewer@birge.example")
		officer := s.login("grants@birge.example")
		ru, kk := i18n.For("ru"), i18n.For("kk")

		pool := url.Values{"reviewer." + strconv.FormatInt(me, 10): {"on"}, "per_application": {"нуль"}}
		res := s.postForm(officer, call+"/assignments", pool, nil)
		if res.StatusCode != http.StatusUnprocessableEntity || errorText(res.Body, "per_application") != ru.T("review.per_application_range") {
			t.Fatalf("a wrong number: %d %q", res.StatusCode, errorText(res.Body, "per_application"))
		}
		pool.Set("per_application", "1")
		if res := s.postForm(officer, call+"/assignments", pool, nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("assign: %d\n%s", res.StatusCode, res.Body)
		}
		page := s.get(officer, call+"/assignments")
		if !strings.Contains(page.Body, "Sholpan Reviewer") || !strings.Contains(page.Body, "/applications/"+strconv.FormatInt(app, 10)) {
			t.Errorf("the assignments page lacks her or the application")
		}
		rv := &birge.Actor{UserID: me, Grants: []birge.Grant{{Role: birge.RoleReviewer, OrgID: fx.ids["org:belesteri"]}}}
		if _, err := st.Calls.SubmitReview(ctx, rv, app, store.ReviewInput{Scores: map[string]int{"rural_problem": 9, "real_income": 7},
			Comment: "Ауылға тігінші керек"}); err != nil {
			t.Fatal(err)
		}

		res = s.postForm(officer, call+"/decisions", url.Values{"shortlist": {"0"}, "include": {"NO-SUCH"}}, nil)
		if res.StatusCode != http.StatusUnprocessableEntity || errorText(res.Body, "include") != ru.T("decision.not_ranked") {
			t.Fatalf("an unknown reference: %d %q", res.StatusCode, errorText(res.Body, "include"))
		}
		res = s.postForm(officer, call+"/decisions", url.Values{"shortlist": {"0"}}, nil)
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, ru.T("review.app_status.awarded")) {
			t.Fatalf("preview: %d", res.StatusCode)
		}
		if s.get(officer, call+"/fairness").StatusCode != http.StatusConflict {
			t.Errorf("fairness before the decision")
		}
		if res := s.postForm(officer, call+"/decisions", url.Values{"shortlist": {"0"}, "confirm": {"1"}}, nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("confirm: %d", res.StatusCode)
		}
		if f := s.get(officer, call+"/fairness"); f.StatusCode != http.StatusOK || !strings.Contains(f.Body, "Sholpan Reviewer") {
			t.Errorf("fairness: %d", f.StatusCode)
		}
		if list := s.get(officer, "/fairness"); !strings.Contains(list.Body, call+"/fairness") {
			t.Errorf("the list of fairness pages lacks the call")
		}
		if list := s.get(s.login("analyst@birge.example"), "/fairness"); list.StatusCode != http.StatusOK || strings.Contains(list.Body, call+"/fairness") {
			t.Errorf("FPC's analyst: %d, or sees Belesteri's call", list.StatusCode)
		}
		letter := s.get(officer, "/applications/"+strconv.FormatInt(app, 10)+"/letter")
		if letter.StatusCode != http.StatusOK || !strings.Contains(letter.Body, kk.T("letter.awarded")) ||
			!strings.Contains(letter.Body, "Ауылға тігінші керек") || strings.Contains(letter.Body, "Sholpan") {
			t.Errorf("letter: %d\n%s", letter.StatusCode, letter.Body)
		}
	})
}
