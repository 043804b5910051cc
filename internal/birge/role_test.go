package birge

import "testing"

// Pages that show a person name her centre, so whoever sees people must see centres.
func TestPersonViewImpliesCenterView(t *testing.T) {
	for _, r := range Roles {
		if r.Has(PermPersonView) && !r.Has(PermCenterView) {
			t.Errorf("%s has person.view without center.view", r)
		}
	}
}
