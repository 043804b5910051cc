package web

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/birge-org/birge/internal/birge"
)

// deliveryFixtures are services recorded by hand to the women of Aktobe and Bishkek: one
// to read and change, one for each delete route.
func deliveryFixtures(t *testing.T, s *site, fx *fixture) {
	ctx, sys := context.Background(), birge.System("test")
	for _, who := range []string{"aktobe", "kg"} {
		for _, key := range []string{who, who + "-web", who + "-api"} {
			d, err := s.st.Deliveries.Record(ctx, sys, birge.Delivery{PersonID: fx.ids["person:"+who], Date: "2026-06-01",
				Kind: "consultation", Quantity: 1, Unit: "sessions"})
			if err != nil {
				t.Fatal(err)
			}
			fx.ids["delivery:"+key] = d.ID
		}
	}
}

func deliveryForm(*fixture) any {
	return url.Values{"service": {"legal_advice"}, "date": {"2026-06-02"}, "quantity": {"1"}, "unit": {"hours"}}
}

func deliveryJSON(key string) func(fx *fixture) any {
	return func(fx *fixture) any {
		return fmt.Sprintf(`{"person_id": %d, "date": "2026-06-02", "kind": "mediation", "quantity": 2, "unit": "sessions"}`, fx.ids[key])
	}
}
