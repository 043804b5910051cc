package demo_test

import (
	"context"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/demo"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// TestGeneratedDeliveries: 2,000 deliveries for 200 generated people, exactly, through
// the store's checks, some in the sensitive programme, one audit entry per batch and
// organisation counting them all; anyone but the system is refused.
func TestGeneratedDeliveries(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, st); err != nil {
			t.Fatal(err)
		}
		if err := demo.LoadGenerated(ctx, st, 200, func(int) {}); err != nil {
			t.Fatal(err)
		}
		sys := birge.System("test")
		// The demo's own women have their services already; the generated come after them.
		before, err := st.Deliveries.List(ctx, sys, store.DeliveryFilter{})
		if err != nil {
			t.Fatal(err)
		}
		reported := 0
		n, err := demo.LoadDeliveries(ctx, st, 2000, func(done int) { reported = done })
		if err != nil || n != 2000 || reported != 2000 {
			t.Fatalf("generated %d (reported %d), %v; want 2000", n, reported, err)
		}
		list, err := st.Deliveries.List(ctx, sys, store.DeliveryFilter{After: before[len(before)-1].ID})
		if err != nil || len(list) != 2000 {
			t.Fatalf("%d deliveries listed, %v", len(list), err)
		}
		programs, err := st.Programs.List(ctx, sys, store.ProgramFilter{})
		if err != nil {
			t.Fatal(err)
		}
		sensitive := map[int64]bool{}
		for _, p := range programs {
			sensitive[p.ID] = p.Sensitive
		}
		inSensitive, women, most := 0, map[int64]int{}, 0
		for _, d := range list {
			if d.ProgramID != nil && sensitive[*d.ProgramID] {
				inSensitive++
			}
			women[d.PersonID]++
			most = max(most, women[d.PersonID])
		}
		if inSensitive == 0 || len(women) < 100 || most < 30 {
			t.Errorf("%d in the sensitive programme, %d women, at most %d to one: want some, most women, a long tail",
				inSensitive, len(women), most)
		}
		entries, err := st.ListAudit(ctx, sys, store.AuditFilter{Entity: birge.EntityDelivery, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		counted, recorded := 0, 0
		for _, e := range entries {
			if e.Action != birge.ActionImport {
				recorded++ // one of the demo's own, recorded one by one
				continue
			}
			v, _ := e.Changes["generated"].After.(float64)
			counted += int(v)
		}
		if recorded != len(before) {
			t.Errorf("%d entries of recorded deliveries, want the demo's %d", recorded, len(before))
		}
		if counted != 2000 {
			t.Errorf("audit entries count %d generated deliveries, want 2000", counted)
		}
		admin := &birge.Actor{UserID: 1, Grants: []birge.Grant{{Role: birge.RoleAdmin}}}
		if _, err := st.Deliveries.Generate(ctx, admin, nil, func(int) {}); birge.KindOf(err) != birge.KindForbidden {
			t.Errorf("a signed-in administrator generates: %v, want forbidden", err)
		}
	})
}
