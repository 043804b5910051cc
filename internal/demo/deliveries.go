package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// sessions are what each running demo programme gives its participants: Mama Pro's
// weekly three-hour trainings, the mediators' fortnightly sessions for couples and the
// survivors' weekly counselling.
var sessions = map[string]struct {
	kind  string
	every int // days between sessions
	hours int64
	note  string
}{
	"mamapro-skills": {"training_session", 7, 3, "Кәсіпкерлік негіздері, топтық сабақ"},
	"fpc-mediation":  {"mediation", 14, 1, "Совместная сессия с медиатором"},
	"fpc-survivors":  {"counselling_session", 7, 1, ""},
}

// demoMonths is how far back the demo's services go.
const demoMonths = 4

// loadDeliveries records each participant's sessions of the last four months, counted
// back from today so that none lies in the future whenever the demo is loaded.
func loadDeliveries(ctx context.Context, st *store.Store, sys *birge.Actor, programIDs, personIDs map[string]int64) error {
	today := sys.Today(st.Now())
	for _, d := range programs {
		plan, ok := sessions[d.key]
		if !ok {
			continue
		}
		id := programIDs[d.key]
		var list []birge.Delivery
		for person := range d.participants {
			for day := today.AddDate(0, -demoMonths, 0); !day.After(today); day = day.AddDate(0, 0, plan.every) {
				list = append(list, birge.Delivery{PersonID: personIDs[person], ProgramID: &id,
					Date: day.Format(time.DateOnly), Kind: plan.kind, Quantity: plan.hours, Unit: "hours", Note: plan.note})
			}
		}
		if _, err := st.Deliveries.RecordMany(ctx, sys, list); err != nil {
			return fmt.Errorf("services of programme %s: %w", d.key, err)
		}
	}
	return nil
}
