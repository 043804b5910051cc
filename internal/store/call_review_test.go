package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// reviewFixture is a call of Belesteri with reviewers and an applicant in the registry.
type reviewFixture struct {
	*callFixture
	call      birge.Call
	reviewers []*birge.Actor // the demo's reviewer first, then those made here
	person    birge.Person
}

// applicantValues are every identifying value of the test applicant, as registered and as
// she typed them into her answers: none may reach a reviewer.
var applicantValues = []string{"Жұмабаева", "Айжан", "Серікқызы", "850315401231", "+77011234567", "701 123 45 67",
	"aizhan.zh@mail.kz", "Қарасай", "KZ195200", "Шамалған", "Айжанның", "apa-photo.jpg"}

func newReviewFixture(t testing.TB, st *store.Store, reviewers int) *reviewFixture {
	t.Helper()
	ctx := context.Background()
	fx := &reviewFixture{callFixture: newCallFixture(t, st)}
	call, err := st.Calls.Create(ctx, fx.grants, fx.aCall())
	if err != nil {
		t.Fatal(err)
	}
	fx.call = call
	fx.reviewers = append(fx.reviewers, fx.rv)
	sys := birge.System("test")
	for i := 1; i < reviewers; i++ {
		u, err := st.CreateUser(ctx, sys, store.NewUser{User: birge.User{Email: "rv" + strconv.Itoa(i) + "@birge.example",
			Name: "Reviewer " + strconv.Itoa(i), Lang: "en", Grants: []birge.Grant{{Role: birge.RoleReviewer, OrgID: fx.org}}},
			Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		fx.reviewers = append(fx.reviewers, &birge.Actor{UserID: u.ID, Name: u.Name, Lang: "en", Grants: u.Grants})
	}
	centers, err := st.ListCenters(ctx, sys, store.CenterFilter{OrgID: fx.org})
	if err != nil || len(centers) == 0 {
		t.Fatalf("Belesteri's office: %v", err)
	}
	fx.person, err = st.People.Create(ctx, sys, birge.Person{CenterID: centers[0].ID, FamilyName: "Жұмабаева",
		GivenName: "Айжан", Patronymic: "Серікқызы", IIN: "850315401231", Phones: []string{"+7 701 123 45 67"},
		Email: "aizhan.zh@mail.kz", Country: "KZ", Region: "KZ19", District: "KZ195200", Settlement: "Шамалған", Rural: true})
	if err != nil {
		t.Fatalf("applicant: %v", birge.AsError(err))
	}
	return fx
}

// apply inserts an eligible application of the fixture's applicant, with answers that
// name her where she should not have, and returns its id.
func (fx *reviewFixture) apply(t *testing.T, district string, submitted time.Time) int64 {
	t.Helper()
	id, err := fx.st.InsertApplication(context.Background(), store.TestApplication{CallID: fx.call.ID, PersonID: fx.person.ID,
		Status: birge.AppEligible, Language: "kk", Region: "KZ19", District: district, Rural: true, SubmittedAt: submitted,
		Answers: map[string]any{
			"idea":             "Мен, Айжан Жұмабаева Серікқызы, Шамалған ауылында наубайхана ашамын. ЖСН 850315401231.",
			"problem":          "Ауылда нан жоқ. Маған хабарласыңыз: 8 (701) 123-45-67 немесе aizhan.zh@mail.kz",
			"market":           "Қарасай ауданының тұрғындары, 2 000 адам. Айжанның наны бәрінен дәмді",
			"costs":            "Пеш 1 200 000 теңге, ұн 300 000 теңге",
			"own_contribution": map[string]any{"amount": 50000000, "currency": "KZT"},
			"monthly_income":   map[string]any{"amount": 30000000, "currency": "KZT"},
			"jobs":             3,
			"photos":           []string{"apa-photo.jpg"},
		}})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (fx *reviewFixture) pool(n int) []birge.CallReviewer {
	out := []birge.CallReviewer{}
	for _, r := range fx.reviewers[:n] {
		out = append(out, birge.CallReviewer{UserID: r.UserID})
	}
	return out
}

func scoresOf(s int) map[string]int {
	return map[string]int{"rural_problem": s, "real_income": s, "feasibility": s, "commitment": s}
}

// TestReviewBlind: a reviewer reads her assignment with no identifying field and no
// identifying value of the applicant; staff read it whole; an application not assigned to
// her is not found, and so is one she gave up for a conflict.
func TestReviewBlind(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newReviewFixture(t, st, 3)
		app := fx.apply(t, "KZ195200", time.Date(2026, 12, 20, 8, 0, 0, 0, time.UTC))
		other := fx.apply(t, "", time.Date(2026, 12, 21, 8, 0, 0, 0, time.UTC))
		if _, err := st.Calls.Assign(ctx, fx.grants, fx.call.ID, store.ReviewPool{Reviewers: fx.pool(2), PerApplication: 1}); err != nil {
			t.Fatal(err)
		}
		// Loads 1 and 1: the demo's reviewer (lower id) has the first, the other the second.
		me := fx.reviewers[0]
		v, err := st.Calls.Application(ctx, me, app)
		if err != nil || v.Blind == nil || v.Staff != nil {
			t.Fatalf("reviewer's view: %+v, %v", v, err)
		}
		b, _ := json.Marshal(v.Blind)
		body := string(b)
		for _, value := range append(applicantValues, `"person_id"`, `"reference"`, `"district"`, `"language"`,
			`"submitted_at"`, "T-"+strconv.FormatInt(app, 10), `"photos"`) {
			if strings.Contains(body, value) {
				t.Errorf("the blind view holds %q: %s", value, body)
			}
		}
		if !strings.Contains(body, "наубайхана") || !strings.Contains(body, "1 200 000") || !strings.Contains(body, `"KZ19"`) {
			t.Errorf("the blind view lost what is not identifying: %s", body)
		}
		if _, err := st.Calls.Application(ctx, me, other); !errors.Is(err, birge.ErrNotFound) {
			t.Errorf("another's application: %v, want not found", err)
		}
		if _, err := st.Calls.Application(ctx, fx.reviewers[2], app); !errors.Is(err, birge.ErrNotFound) {
			t.Errorf("a reviewer assigned nothing: %v, want not found", err)
		}
		if _, err := st.Calls.Application(ctx, fx.coord, app); !errors.Is(err, birge.ErrNotFound) {
			t.Errorf("a coordinator: %v, want not found", err)
		}
		full, err := st.Calls.Application(ctx, fx.grants, app)
		if err != nil || full.Staff == nil || full.Staff.PersonID != fx.person.ID || full.Staff.District != "KZ195200" {
			t.Fatalf("staff view: %+v, %v", full.Staff, err)
		}
		// Once she declares a conflict the application is out of her sight.
		if _, err := st.Calls.SubmitReview(ctx, me, app, store.ReviewInput{Conflict: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Calls.Application(ctx, me, app); !errors.Is(err, birge.ErrNotFound) {
			t.Errorf("after a conflict: %v, want not found", err)
		}
	})
}

// TestReviewAssignBalanced: applications spread over the pool with loads at most one
// apart; none to a reviewer of the applicant's district when the officer asks; assigning
// again adds only what is missing.
func TestReviewAssignBalanced(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newReviewFixture(t, st, 4)
		for i := range 10 {
			fx.apply(t, []string{"KZ195200", "KZ196200"}[i%2], time.Date(2026, 12, 20, 8, i, 0, 0, time.UTC))
		}
		out, err := st.Calls.Assign(ctx, fx.grants, fx.call.ID, store.ReviewPool{Reviewers: fx.pool(4), PerApplication: 3})
		if err != nil {
			t.Fatal(err)
		}
		load := map[int64]int{}
		for _, a := range out.Items {
			load[a.ReviewerID]++
		}
		lo, hi := 1<<30, 0
		for _, n := range load {
			lo, hi = min(lo, n), max(hi, n)
		}
		if len(out.Items) != 30 || len(load) != 4 || hi-lo > 1 || len(out.Short) != 0 {
			t.Errorf("30 assignments over 4 reviewers, loads %v, short %v", load, out.Short)
		}
		again, err := st.Calls.Assign(ctx, fx.grants, fx.call.ID, store.ReviewPool{Reviewers: fx.pool(4), PerApplication: 3})
		if err != nil || len(again.Items) != 30 {
			t.Errorf("assigning again: %d assignments, %v", len(again.Items), err)
		}

		// Away from their districts: two reviewers of Қарасай, two of Талғар.
		first := fx.call
		fx2 := *fx
		if fx2.call, err = st.Calls.Create(ctx, fx.grants, fx.aCall()); err != nil {
			t.Fatal(err)
		}
		apps := map[int64]string{}
		for i := range 6 {
			d := []string{"KZ195200", "KZ196200"}[i%2]
			apps[fx2.apply(t, d, time.Date(2026, 12, 20, 8, i, 0, 0, time.UTC))] = d
		}
		pool := fx2.pool(4)
		for i := range pool {
			pool[i].District = []string{"kz195200 ", "KZ196200"}[i%2]
		}
		districts := map[int64]string{}
		for _, r := range pool {
			districts[r.UserID] = r.District
		}
		out, err = st.Calls.Assign(ctx, fx2.grants, fx2.call.ID, store.ReviewPool{Reviewers: pool, PerApplication: 2, ExcludeDistrict: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range out.Items {
			if birge.SameDistrict(districts[a.ReviewerID], apps[a.ApplicationID]) {
				t.Errorf("application %d (%s) assigned to a reviewer of its district", a.ApplicationID, apps[a.ApplicationID])
			}
		}
		if len(out.Items) != 12 || len(out.Short) != 0 {
			t.Errorf("12 assignments away from districts, got %d, short %v", len(out.Items), out.Short)
		}

		// Only reviewers of the organisation, only officers.
		bad := append(fx.pool(1), birge.CallReviewer{UserID: fx.grants.UserID})
		fx.call = first
		if _, err := st.Calls.Assign(ctx, fx.grants, fx.call.ID, store.ReviewPool{Reviewers: bad, PerApplication: 1}); birge.AsError(err) == nil ||
			birge.AsError(err).Fields["reviewer_ids"] != "review.not_reviewer" {
			t.Errorf("an officer in the pool: %v", err)
		}
		if _, err := st.Calls.Assign(ctx, fx.grants, fx.call.ID, store.ReviewPool{Reviewers: fx.pool(2), PerApplication: 3}); birge.AsError(err) == nil ||
			birge.AsError(err).Fields["per_application"] != "review.pool_small" {
			t.Errorf("3 per application from 2: %v", err)
		}
		for _, a := range []*birge.Actor{fx.rv, fx.coord, fx.analyst} {
			if _, err := st.Calls.Assign(ctx, a, fx.call.ID, store.ReviewPool{Reviewers: fx.pool(2), PerApplication: 1}); !errors.Is(err, birge.ErrNotFound) {
				t.Errorf("%s assigns: %v, want not found", a.Name, err)
			}
		}
	})
}

// TestReviewConflictReplaces: a reviewer who declares a conflict is replaced at once by
// the least-loaded reviewer not on the application; when none is left, the application
// shows short of a reviewer.
func TestReviewConflictReplaces(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newReviewFixture(t, st, 3)
		app := fx.apply(t, "", time.Date(2026, 12, 20, 8, 0, 0, 0, time.UTC))
		if _, err := st.Calls.Assign(ctx, fx.grants, fx.call.ID, store.ReviewPool{Reviewers: fx.pool(3), PerApplication: 2}); err != nil {
			t.Fatal(err)
		}
		first, second, third := fx.reviewers[0], fx.reviewers[1], fx.reviewers[2]
		res, err := st.Calls.SubmitReview(ctx, first, app, store.ReviewInput{Conflict: true})
		if err != nil || res.ReplacedBy != third.UserID || res.Short {
			t.Fatalf("conflict: %+v, %v; want replaced by %d", res, err, third.UserID)
		}
		if _, err := st.Calls.Application(ctx, third, app); err != nil {
			t.Errorf("the replacement cannot read it: %v", err)
		}
		res, err = st.Calls.SubmitReview(ctx, second, app, store.ReviewInput{Conflict: true})
		if err != nil || res.ReplacedBy != 0 || !res.Short {
			t.Fatalf("no one left: %+v, %v", res, err)
		}
		out, err := st.Calls.Assignments(ctx, fx.grants, fx.call.ID)
		if err != nil || len(out.Short) != 1 || out.Short[0] != app {
			t.Errorf("the officer is told it is short: %v, %v", out.Short, err)
		}
		// Assigning again never gives it back to one who declared a conflict.
		if out, err = st.Calls.Assign(ctx, fx.grants, fx.call.ID, store.ReviewPool{Reviewers: fx.pool(3), PerApplication: 2}); err != nil || len(out.Short) != 1 {
			t.Errorf("assigning again: short %v, %v", out.Short, err)
		}
	})
}

// TestReviewScores: every criterion required, each within its scale, none unknown; a
// second submission replaces the first; the officers read them; the naughty strings
// through the comment are kept exactly or refused on it.
func TestReviewScores(t *testing.T) {
	b, err := os.ReadFile("../../testdata/blns.txt")
	if err != nil {
		t.Fatal(err)
	}
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newReviewFixture(t, st, 1)
		app := fx.apply(t, "", time.Date(2026, 12, 20, 8, 0, 0, 0, time.UTC))
		if _, err := st.Calls.Assign(ctx, fx.grants, fx.call.ID, store.ReviewPool{Reviewers: fx.pool(1), PerApplication: 1}); err != nil {
			t.Fatal(err)
		}
		me := fx.reviewers[0]
		bad := map[string]int{"rural_problem": 11, "real_income": -1, "feasibility": 5, "nonsense": 3}
		_, err := st.Calls.SubmitReview(ctx, me, app, store.ReviewInput{Scores: bad})
		want := birge.Problems{"scores.rural_problem": "review.score_range", "scores.real_income": "review.score_range",
			"scores.commitment": "field.required", "scores.nonsense": "review.criterion_unknown"}
		if be := birge.AsError(err); be == nil || len(be.Fields) != len(want) {
			t.Fatalf("bad scores: %v", err)
		} else {
			for k, v := range want {
				if be.Fields[k] != v {
					t.Errorf("%s: %q, want %q", k, be.Fields[k], v)
				}
			}
		}
		s := map[string]int{"rural_problem": 10, "real_income": 5, "feasibility": 8, "commitment": 0}
		res, err := st.Calls.SubmitReview(ctx, me, app, store.ReviewInput{Scores: s, Comment: "Нақты жоспар"})
		// 30×10/10 + 30×5/10 + 25×8/10 + 15×0/10 = 30 + 15 + 20 + 0
		if err != nil || res.Review.Score != 65 {
			t.Fatalf("review: %+v, %v", res.Review, err)
		}
		if _, err := st.Calls.SubmitReview(ctx, fx.grants, app, store.ReviewInput{Scores: s}); !errors.Is(err, birge.ErrForbidden) {
			t.Errorf("an officer scores: %v, want forbidden", err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			res, err := st.Calls.SubmitReview(ctx, me, app, store.ReviewInput{Scores: s, Comment: line})
			if err != nil {
				if be := birge.AsError(err); be == nil || be.Fields["comment"] == "" {
					t.Fatalf("%q: %v", line, err)
				}
				continue
			}
			if res.Review.Comment != line {
				t.Fatalf("%q came back as %q", line, res.Review.Comment)
			}
		}
		// And through a reviewer's district, the pool's one text.
		for _, line := range strings.Split(string(b), "\n") {
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			pool := fx.pool(1)
			pool[0].District = line
			out, err := st.Calls.Assign(ctx, fx.grants, fx.call.ID, store.ReviewPool{Reviewers: pool, PerApplication: 1})
			if err != nil {
				if be := birge.AsError(err); be == nil || be.Fields["reviewer_districts."+strconv.FormatInt(me.UserID, 10)] == "" {
					t.Fatalf("district %q: %v", line, err)
				}
				continue
			}
			if got := out.Reviewers[0].District; got != strings.TrimSpace(line) {
				t.Fatalf("district %q came back as %q", line, got)
			}
		}
		list, err := st.Calls.Reviews(ctx, fx.grants, app)
		if err != nil || len(list) != 1 || list[0].ReviewerName != me.Name {
			t.Errorf("the officer's list: %+v, %v", list, err)
		}
		if _, err := st.Calls.Reviews(ctx, me, app); err == nil {
			t.Errorf("a reviewer reads the reviews")
		}
	})
}

// TestRankingAndDecisions: the ranking orders by mean score, a tie going to the first
// criterion and then to the earlier submission; the decision awards the top that fit the
// budget, shortlists the next, rejects the rest, takes the officer's moves, and once
// confirmed sets the statuses and freezes the reviews.
func TestRankingAndDecisions(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newReviewFixture(t, st, 2)
		day := time.Date(2026, 12, 20, 8, 0, 0, 0, time.UTC)
		// a: 80 by both; b and c tie at 60 on the mean, c higher on the first criterion;
		// d and e tie in everything, d submitted earlier; f: 0 and 100, flagged.
		type plan struct {
			key       string
			submitted time.Time
			scores    [2]map[string]int
		}
		s := func(rp, ri, fe, co int) map[string]int {
			return map[string]int{"rural_problem": rp, "real_income": ri, "feasibility": fe, "commitment": co}
		}
		plans := []plan{
			{"e", day.Add(5 * time.Hour), [2]map[string]int{scoresOf(4), scoresOf(4)}},
			{"a", day, [2]map[string]int{scoresOf(8), scoresOf(8)}},
			{"b", day, [2]map[string]int{s(4, 8, 6, 6), s(4, 8, 6, 6)}},                 // 12+24+15+9 = 60
			{"c", day.Add(time.Hour), [2]map[string]int{s(8, 4, 6, 6), s(8, 4, 6, 6)}},  // 24+12+15+9 = 60
			{"d", day.Add(4 * time.Hour), [2]map[string]int{scoresOf(4), scoresOf(4)}},  // 40
			{"f", day.Add(6 * time.Hour), [2]map[string]int{scoresOf(0), scoresOf(10)}}, // 50, spread 100
		}
		ids := map[string]int64{}
		keys := map[int64]string{}
		for _, p := range plans {
			ids[p.key] = fx.apply(t, "", p.submitted)
			keys[ids[p.key]] = p.key
		}
		if _, err := st.Calls.Assign(ctx, fx.grants, fx.call.ID, store.ReviewPool{Reviewers: fx.pool(2), PerApplication: 2}); err != nil {
			t.Fatal(err)
		}
		// Before every application is reviewed, no decision.
		if _, err := st.Calls.Decide(ctx, fx.grants, fx.call.ID, birge.DecisionRequest{}); birge.AsError(err) == nil ||
			birge.AsError(err).Fields["ranking"] != "decision.unreviewed" {
			t.Errorf("deciding unreviewed: %v", err)
		}
		for _, p := range plans {
			for i, r := range fx.reviewers {
				if _, err := st.Calls.SubmitReview(ctx, r, ids[p.key], store.ReviewInput{Scores: p.scores[i]}); err != nil {
					t.Fatalf("%s by %d: %v", p.key, i, err)
				}
			}
		}
		ranked, err := st.Calls.Ranking(ctx, fx.grants, fx.call.ID)
		if err != nil {
			t.Fatal(err)
		}
		order := ""
		for _, r := range ranked {
			order += keys[r.ApplicationID]
			if r.Reviews != 2 || r.Flagged != (keys[r.ApplicationID] == "f") {
				t.Errorf("%s: %+v", keys[r.ApplicationID], r)
			}
		}
		if order != "acbfde" || ranked[0].Score != 80 || ranked[3].Spread != 100 {
			t.Fatalf("rank order %s, want acbfde; %+v", order, ranked)
		}
		if _, err := st.Calls.Ranking(ctx, fx.rv, fx.call.ID); !errors.Is(err, birge.ErrNotFound) {
			t.Errorf("a reviewer's ranking: %v", err)
		}

		// Budget: 3 awards planned but money for 2.
		call := fx.call
		call.Budget.Amount, call.Awards = 2*call.AwardAmount.Amount+call.AwardAmount.Amount/2, 3
		if call, err = st.Calls.Update(ctx, fx.grants, call); err != nil {
			t.Fatal(err)
		}
		names := func(list []int64) string {
			out := ""
			for _, id := range list {
				out += keys[id]
			}
			return out
		}
		d, err := st.Calls.Decide(ctx, fx.grants, fx.call.ID, birge.DecisionRequest{Shortlist: 2})
		if err != nil || names(d.Awarded) != "ac" || names(d.Shortlisted) != "bf" || names(d.Rejected) != "de" ||
			d.Total.Amount != 2*call.AwardAmount.Amount {
			t.Fatalf("proposal: %+v, %v", d, err)
		}
		// The officer moves d in and c out before confirming.
		d, err = st.Calls.Decide(ctx, fx.grants, fx.call.ID, birge.DecisionRequest{Shortlist: 1,
			Include: []int64{ids["d"]}, Exclude: []int64{ids["c"]}, Confirm: true})
		if err != nil || names(d.Awarded) != "ad" || names(d.Shortlisted) != "c" || names(d.Rejected) != "bfe" {
			t.Fatalf("confirmed: %+v, %v", d, err)
		}
		want := map[string]string{"a": birge.AppAwarded, "d": birge.AppAwarded, "c": birge.AppShortlisted, "b": birge.AppRejected,
			"f": birge.AppRejected, "e": birge.AppRejected}
		for k, status := range want {
			v, err := st.Calls.Application(ctx, fx.grants, ids[k])
			if err != nil || v.Staff.Status != status {
				t.Errorf("%s: %v, want %s", k, v.Staff, status)
			}
		}
		if _, err := st.Calls.Decide(ctx, fx.grants, fx.call.ID, birge.DecisionRequest{Confirm: true}); birge.KindOf(err) != birge.KindConflict {
			t.Errorf("deciding twice: %v", err)
		}
		if _, err := st.Calls.SubmitReview(ctx, fx.reviewers[0], ids["a"], store.ReviewInput{Scores: scoresOf(1)}); birge.KindOf(err) != birge.KindConflict {
			t.Errorf("a review after the decision: %v", err)
		}
		// The ranking still holds them all, with their new statuses.
		if ranked, err = st.Calls.Ranking(ctx, fx.grants, fx.call.ID); err != nil || len(ranked) != 6 {
			t.Errorf("ranking after: %d, %v", len(ranked), err)
		}

		// Fairness: both reviewers scored the same but on f; by region all in KZ19.
		f, err := st.Calls.Fairness(ctx, fx.analyst, fx.call.ID)
		if !errors.Is(err, birge.ErrNotFound) {
			t.Errorf("FPC's analyst sees Belesteri's fairness: %v", err)
		}
		f, err = st.Calls.Fairness(ctx, fx.grants, fx.call.ID)
		if err != nil || f.Total != 6 || f.Awarded != 2 || len(f.Regions) != 1 || f.Regions[0].AwardeeShare != 100 ||
			len(f.Reviewers) != 2 || f.Reviewers[0].Name == "" || f.Rural[0].Applications != 6 {
			t.Fatalf("fairness: %+v, %v", f, err)
		}
		if f.Reviewers[1].Mean-f.Reviewers[0].Mean < 16 || f.Reviewers[0].Leaning != "" {
			t.Errorf("reviewers: %+v", f.Reviewers)
		}
		l, err := st.Calls.Letter(ctx, fx.grants, ids["a"])
		if err != nil || l.Language != "kk" || l.Status != birge.AppAwarded {
			t.Errorf("letter: %+v, %v", l, err)
		}
	})
}

// TestReviewBlindScrubsWhatSheTyped: an applicant linked to a record of the registry that
// spells her otherwise (her name in Latin letters, a village the record does not hold) is
// blacked out as she typed herself too: the words come from her application as well as
// from her record.
func TestReviewBlindScrubsWhatSheTyped(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newCallFixture(t, st)
		call := fx.appCall(t)
		office, err := st.ListCenters(ctx, fx.grants, store.CenterFilter{})
		if err != nil || len(office) == 0 {
			t.Fatal(err)
		}
		if _, err := st.People.Create(ctx, fx.admin, birge.Person{CenterID: office[0].ID, FamilyName: "Серікбаева",
			GivenName: "Айгүл", IIN: "850315401231", Region: "KZ15"}); err != nil {
			t.Fatalf("register: %v %v", err, fields(err))
		}
		she := anApplicant()
		she.IIN, she.GivenName, she.Email, she.BirthDate = "850315401231", "Aigul", "aigul@example.kz", "1985-03-15"
		answers := fullAnswers()
		answers["idea"] = json.RawMessage(`"Aigul's bakery: Aigul Serikbayeva bakes bread in Қарғалы"`)
		if _, err := st.Applications.Save(ctx, "10.9.0.1", call.ID, store.ApplicationInput{Applicant: she,
			Answers: answers, Submit: true}); err != nil {
			t.Fatalf("submit: %v %v", err, fields(err))
		}
		list, err := st.Applications.List(ctx, fx.grants, call.ID, store.ApplicationFilter{})
		if err != nil || len(list) != 1 || list[0].Status != birge.AppEligible {
			t.Fatalf("applications: %+v, %v", list, err)
		}
		if _, err := st.Calls.Assign(ctx, fx.grants, call.ID, store.ReviewPool{
			Reviewers: []birge.CallReviewer{{UserID: fx.rv.UserID}}, PerApplication: 1}); err != nil {
			t.Fatal(err)
		}
		v, err := st.Calls.Application(ctx, fx.rv, list[0].ID)
		if err != nil || v.Blind == nil {
			t.Fatalf("reviewer's view: %+v, %v", v, err)
		}
		b, _ := json.Marshal(v.Blind)
		for _, value := range []string{"Aigul", "Қарғалы", "Серікбаева"} {
			if strings.Contains(string(b), value) {
				t.Errorf("the blind view holds %q: %s", value, b)
			}
		}
		if !strings.Contains(string(b), "bakes bread") {
			t.Errorf("the blind view lost what is not identifying: %s", b)
		}
	})
}
