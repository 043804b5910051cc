package web

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/birge-org/birge/internal/birge"
)

// followupFixtures are women who completed a cohort at Almaty, trained by the demo's
// trainer, that ended on 15 September 2026: their three-month follow-ups are due on the
// tests' evening.
func followupFixtures(t *testing.T, s *site, fx *fixture) {
	t.Helper()
	ctx, sys := context.Background(), birge.System("t")
	almaty := s.center("Mama Pro Almaty")
	h, err := s.st.Trainings.CreateCohort(ctx, sys, birge.Cohort{CourseID: fx.ids["course:mamapro"], CenterID: almaty.ID,
		Language: "kk", Capacity: 10, StartsOn: "2026-07-01", EndsOn: "2026-09-15", TrainerIDs: []int64{fx.ids["user:trainer"]}})
	if err != nil {
		t.Fatal(err)
	}
	fx.ids["cohort:done"] = h.ID
	for _, key := range []string{"followup-web", "followup-api", "followup-link"} {
		p, err := s.st.People.Create(ctx, sys, birge.Person{CenterID: almaty.ID, GivenName: "Әсем " + key, FamilyName: "Ермекова",
			Phones: []string{"+77015550303"}, MayCall: true})
		if err != nil {
			t.Fatal(err)
		}
		e, err := s.st.Trainings.Enroll(ctx, sys, h.ID, birge.Enrollment{PersonID: p.ID})
		if err != nil {
			t.Fatal(err)
		}
		e.Status = birge.EnrollmentCompleted
		if _, err := s.st.Trainings.UpdateEnrollment(ctx, sys, e); err != nil {
			t.Fatal(err)
		}
		fx.ids["enrollment:"+key] = e.ID
	}
}

func followupForm(fx *fixture) any {
	return url.Values{"employment": {"employed"}, "helped": {"yes"}, "income_band": {"low"}}
}

func followupJSON(fx *fixture) any {
	return fmt.Sprintf(`{"enrollment_id": %s, "months": 3, "employment": "self_employed", "business_started": true,
		"business_kind": "Тігін", "helped": "yes"}`, fx.id(fx.site.t, "enrollment:followup-api"))
}
