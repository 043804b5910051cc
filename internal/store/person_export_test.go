package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

func exportAll(t *testing.T, st *store.Store, a *birge.Actor, f store.PeopleFilter) ([]birge.Person, error) {
	t.Helper()
	var out []birge.Person
	n, err := st.People.Export(context.Background(), a, f, "csv", func(p birge.Person) error {
		out = append(out, p)
		return nil
	})
	if err == nil && n != len(out) {
		t.Errorf("ExportPeople says %d rows, handed over %d", n, len(out))
	}
	return out, err
}

func TestExportPeople(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		p := fx.register(t, fx.coord, survivor(fx.aktobe.ID))

		got, err := exportAll(t, st, fx.coord, store.PeopleFilter{Q: "Меруерт"})
		if err != nil || len(got) != 1 {
			t.Fatalf("coordinator's export: %d people, %v", len(got), err)
		}
		if got[0].IIN != "8503••••1231" || !slices.Equal(got[0].Categories, []string{"dv_survivor", "rural"}) ||
			!slices.Equal(got[0].Phones, []string{"+77011234567"}) {
			t.Errorf("exported %+v; want the IIN masked, the sensitive category, the phone", got[0])
		}
		// Audited with the filter (the search recorded as used, not its text) and the count;
		// her sensitive record's export is in the access log.
		entries, err := st.ListAudit(ctx, fx.admin, store.AuditFilter{Action: "export", Entity: "person_list"})
		if err != nil || len(entries) != 1 {
			t.Fatalf("export audit entries %+v, %v", entries, err)
		}
		e := entries[0]
		if e.Changes["rows"].After != float64(1) || e.Changes["format"].After != "csv" || e.OrgID != fx.aktobe.OrgID || e.CenterID != fx.aktobe.ID {
			t.Errorf("export audit entry %+v", e)
		}
		if q, ok := e.Changes["q"]; !ok || q.After != nil {
			t.Errorf("the search text in the audit entry: %+v, want recorded as used, without its text", q)
		}
		log, err := st.People.ListAccess(ctx, fx.admin, p.ID)
		if err != nil || len(log) == 0 || log[0].Action != "export" {
			t.Errorf("access log after the export: %+v, %v", log, err)
		}

		// Roles without person.export may not, whatever they see.
		for name, a := range map[string]*birge.Actor{"case worker": fx.caseworker, "trainer": fx.trainer, "analyst": fx.analyst} {
			if _, err := exportAll(t, st, a, store.PeopleFilter{}); birge.KindOf(err) != birge.KindForbidden {
				t.Errorf("%s exports: %v, want forbidden", name, err)
			}
		}
		// A sealed category is not a filter here either.
		if _, err := exportAll(t, st, fx.coord, store.PeopleFilter{Category: "dv_survivor"}); birge.AsError(err).Fields["category"] == "" {
			t.Errorf("export filtered by a sensitive category: %v, want refused", err)
		}
	})
}

// An export runs through pages of 200 in the list's order, each person exactly once, and
// covers only the centres where the actor may export.
func TestExportPeoplePages(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		const n = 401
		for i := range n {
			fx.register(t, fx.admin, birge.Person{CenterID: fx.aktobe.ID, FamilyName: "Ахметова",
				GivenName: fmt.Sprintf("Әйгерім %03d", n-i), Categories: []string{"unemployed"}})
		}
		fx.register(t, fx.admin, birge.Person{CenterID: fx.kargaly.ID, FamilyName: "Ахметова", GivenName: "Kargaly"})
		got, err := exportAll(t, st, fx.coord, store.PeopleFilter{Q: "Ахметова", Category: "unemployed"})
		if err != nil || len(got) != n {
			t.Fatalf("exported %d of %d (%v)", len(got), n, err)
		}
		var list []int64
		for f := (store.PeopleFilter{Q: "Ахметова", Limit: 200}); ; {
			l, err := st.People.List(ctx, fx.coord, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range l.Items {
				list = append(list, p.ID)
			}
			if f.Cursor = l.Next; f.Cursor == "" {
				break
			}
		}
		var exported []int64
		for _, p := range got {
			exported = append(exported, p.ID)
		}
		if !slices.Equal(exported, list) {
			t.Errorf("the export's order differs from the list's")
		}
		if got[0].GivenName != "Әйгерім 001" || got[n-1].GivenName != fmt.Sprintf("Әйгерім %03d", n) {
			t.Errorf("first %q, last %q", got[0].GivenName, got[n-1].GivenName)
		}
	})
}
