package web

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/demo"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// TestProgramPageShowsTrainingFigures: Mama Pro's year — 200 women trained, from six
// regions, 52 of them with a job or a business at the six-month follow-up — shows on its
// programme's page as 200, 52 and 6 regions, with the attendance of its marked registers;
// the API says the same; an analyst of another organisation sees none of it.
func TestProgramPageShowsTrainingFigures(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s := newSite(t, st, Config{})
		ctx := context.Background()
		start := time.Now() // how long the history takes, for the log
		if _, err := demo.LoadTrainingHistory(ctx, st); err != nil {
			t.Fatal(err)
		}
		t.Logf("the history in %v", time.Since(start).Round(time.Millisecond))
		sys := birge.System("t")
		programs, err := st.Programs.List(ctx, sys, store.ProgramFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var skills birge.Program
		for _, p := range programs {
			if p.OrgID == s.org("Mama Pro").ID {
				skills = p
			}
		}
		page := s.get(s.login("admin@birge.example"), fmt.Sprintf("/programs/%d", skills.ID))
		if page.StatusCode != http.StatusOK {
			t.Fatalf("programme page: %d", page.StatusCode)
		}
		for id, want := range map[string]string{"fig-completed": "200", "fig-with-work": "52", "fig-regions": "6", "fig-enrolled": "220"} {
			m := regexp.MustCompile(`id="` + id + `">([^<]*)<`).FindStringSubmatch(page.Body)
			if m == nil || m[1] != want {
				t.Errorf("%s on the programme's page: %v, want %s", id, m, want)
			}
		}
		// The registers were marked session by session: the page shows their attendance rate.
		if m := regexp.MustCompile(`id="fig-attendance">(\d\d[.,]\d %)<`).FindStringSubmatch(page.Body); m == nil {
			t.Errorf("no attendance rate on the programme's page")
		}
		_, tok := s.token("admin@birge.example", "figures")
		var f store.TrainingFigures
		res := s.api(tok, http.MethodGet, fmt.Sprintf("/api/v1/trainings/figures?program_id=%d", skills.ID), nil)
		if decodeJSON(t, res, &f); res.StatusCode != http.StatusOK || f.Completed != 200 || f.Working != 52 || f.Regions != 6 ||
			f.FollowedUp != 130 || f.CompletionRate == nil || *f.CompletionRate != 90.9 || f.AttendanceRate == nil ||
			*f.AttendanceRate < 85 || *f.AttendanceRate > 95 {
			t.Errorf("figures: %d %s", res.StatusCode, res.Body)
		}
		// Her region narrows them: the Almaty women alone.
		res = s.api(tok, http.MethodGet, fmt.Sprintf("/api/v1/trainings/figures?program_id=%d&region=KZ75", skills.ID), nil)
		if decodeJSON(t, res, &f); f.Regions != 1 || f.Completed >= 200 || f.Completed == 0 {
			t.Errorf("figures in Almaty: %s", res.Body)
		}
		res = s.api(tok, http.MethodGet, "/api/v1/trainings/figures?from=yesterday", nil)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("a bad day: %d %s", res.StatusCode, res.Body)
		}
		// FPC's analyst counts FPC's trainings, none of Mama Pro's.
		_, atok := s.token("analyst@birge.example", "figures")
		res = s.api(atok, http.MethodGet, "/api/v1/trainings/figures", nil)
		if decodeJSON(t, res, &f); res.StatusCode != http.StatusOK || f.Enrolled != 0 {
			t.Errorf("FPC's analyst: %d %s", res.StatusCode, res.Body)
		}
		// The list of follow-ups shows the ten not yet reached at six months, overdue.
		list := s.get(s.login("admin@birge.example"), "/followups?status=overdue")
		if list.StatusCode != http.StatusOK || len(regexp.MustCompile(`href="/followups/\d+/6"`).FindAllString(list.Body, -1)) != 10 {
			t.Errorf("overdue six-month follow-ups: %d", len(regexp.MustCompile(`href="/followups/\d+/6"`).FindAllString(list.Body, -1)))
		}
	})
}
