package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// identityRefused checks err is the refusal of an IIN held by another record: a conflict
// naming her centre (wantCenter) and nothing else about her.
func identityRefused(t *testing.T, what string, err error, wantCenter birge.Center) {
	t.Helper()
	e := birge.AsError(err)
	if e.Kind != birge.KindConflict || e.Key != "person.identity_registered" || e.Fields["iin"] != "person.identity_taken" {
		t.Fatalf("%s: %v, want a conflict on iin", what, err)
	}
	msg := i18n.For("ru").T(e.Key, "center", e.Args["center"])
	if !strings.Contains(msg, wantCenter.Names.RU) {
		t.Errorf("%s: %q does not name the centre %q", what, msg, wantCenter.Names.RU)
	}
	if len(e.Args) != 1 {
		t.Errorf("%s: the refusal carries %v, want only the centre", what, e.Args)
	}
}

func countNamed(t *testing.T, st *store.Store, a *birge.Actor, name string) int {
	t.Helper()
	l, err := st.People.List(context.Background(), a, store.PeopleFilter{Q: name})
	if err != nil {
		t.Fatal(err)
	}
	return len(l.Items)
}

// One IIN, one woman: a second live record with an IIN the organisation holds is refused
// on create and on edit, whoever asks and whatever else differs; a PIN is not; merged and
// anonymised records hold theirs no longer.
func TestOneIINOneWoman(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		first := fx.register(t, fx.coord, aizhan(fx.aktobe.ID))

		// The Kargaly case worker cannot see Aktobe's record: she learns the centre only.
		other := birge.Person{CenterID: fx.kargaly.ID, FamilyName: "Серікова", GivenName: "Гүлнар", IIN: "8503 1540 1231"}
		_, err := st.People.Create(ctx, fx.caseworker, other)
		identityRefused(t, "the same IIN from another centre", err, fx.aktobe)
		if n := countNamed(t, st, fx.admin, "Серікова"); n != 0 {
			t.Fatalf("the refused record was saved (%d)", n)
		}
		// Nor may the coordinator, who sees her, register her twice.
		again := aizhan(fx.aktobe.ID)
		again.GivenName, again.Phones = "Айжана", nil
		_, err = st.People.Create(ctx, fx.coord, again)
		identityRefused(t, "the same IIN in her own centre", err, fx.aktobe)

		// Another organisation keeps its own registry.
		fx.register(t, fx.admin, aizhan(fx.almaty.ID))

		// A PIN shared is only a likely duplicate: PINs were issued twice.
		pin := birge.Person{CenterID: fx.aktobe.ID, GivenName: "Айгүл", PIN: "21506199300123"}
		fx.register(t, fx.coord, pin)
		pin.GivenName = "Нұргүл"
		fx.register(t, fx.coord, pin)

		// An edit may keep her own IIN, and may not take another woman's.
		kept, err := st.People.Update(ctx, fx.coord, first)
		if err != nil {
			t.Fatalf("saving her with her own IIN: %v", err)
		}
		gulnar := fx.register(t, fx.caseworker, birge.Person{CenterID: fx.kargaly.ID, GivenName: "Гүлнар", Phones: []string{"+77015559911"}})
		gulnar.IIN = kept.IIN // masked, as a form would show it: not hers, so not kept
		if _, err := st.People.Update(ctx, fx.caseworker, gulnar); birge.KindOf(err) == birge.KindInternal || err == nil {
			t.Fatalf("a masked number of another record: %v", err)
		}
		gulnar.IIN = "850315401231"
		_, err = st.People.Update(ctx, fx.caseworker, gulnar)
		identityRefused(t, "an edit to her IIN", err, fx.aktobe)
		if p, _ := st.People.Get(ctx, fx.caseworker, gulnar.ID); p.IIN != "" {
			t.Fatalf("the refused edit was saved: %q", p.IIN)
		}

		// Anonymised, she holds no IIN; merged away, her record holds it no longer, and the
		// kept record takes it (the merged one lets go first).
		gone := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Әсел", IIN: "921108401006"})
		if err := st.People.Anonymise(ctx, fx.admin, gone.ID); err != nil {
			t.Fatal(err)
		}
		into := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Әсел"})
		twin := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Әсел", IIN: "921108401006"})
		m, err := st.People.Merge(ctx, fx.coord, into.ID, twin.ID, nil)
		if err != nil {
			t.Fatalf("merging a record with an IIN into one without: %v", err)
		}
		_, err = st.People.Create(ctx, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Әсем", IIN: "921108401006"})
		identityRefused(t, "the IIN of a kept record", err, fx.aktobe)
		if err := st.People.UndoMerge(ctx, fx.coord, into.ID, m.ID); err != nil {
			t.Fatalf("undoing it: %v", err)
		}
		if p, _ := st.People.Get(ctx, fx.coord, twin.ID); p.IIN == "" {
			t.Fatal("after undo the merged record has no IIN")
		}
	})
}

// Writers registering one IIN at the same moment: exactly one succeeds, and every other
// is told whom to contact — on PostgreSQL, where each may find the IIN free, too.
func TestOneIINConcurrentCreates(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		fx := newPeopleFixture(t, st)
		for round := range 5 {
			iin, _ := birge.MakeIIN(time.Date(1990, 1, 2, 0, 0, 0, 0, time.UTC), "female", 200+round)
			var wg sync.WaitGroup
			errs := make([]error, 8)
			start := make(chan struct{})
			for i := range errs {
				wg.Go(func() {
					<-start
					_, errs[i] = st.People.Create(context.Background(), fx.coord, birge.Person{CenterID: fx.aktobe.ID,
						GivenName: fmt.Sprintf("Гүлжан%d", i), FamilyName: fmt.Sprintf("Раунд%d", round), IIN: iin})
				})
			}
			close(start)
			wg.Wait()
			ok := 0
			for _, err := range errs {
				if err == nil {
					ok++
				} else if birge.KindOf(err) != birge.KindConflict {
					t.Fatalf("round %d: %v, want a conflict", round, err)
				}
			}
			if ok != 1 {
				t.Fatalf("round %d: %d of 8 saved one IIN", round, ok)
			}
		}
	})
}

// An installation that holds a pair already migrates: both records stay, editable, the
// later one marked; no third may join them, and a merge settles them.
func TestOneIINMigrationKeepsPairs(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		first := fx.register(t, fx.coord, aizhan(fx.aktobe.ID))
		// Back to before 0014, as the old code left the table (later migrations do not
		// touch what 0014 does), and the second as the old code saved it: the same
		// IIN, another record.
		for _, q := range []string{`DROP INDEX people_iin`, `ALTER TABLE people DROP COLUMN iin_shared`,
			`DELETE FROM schema_migrations WHERE version = 14`,
			fmt.Sprintf(`INSERT INTO people (org_id, center_id, family_name, given_name, patronymic, name_key, sort_key,
			sex, birth_date, id_kind, id_sealed, id_lookup, sensitive_sealed, created_at, updated_at)
			SELECT org_id, center_id, family_name, 'Айжан2', patronymic, name_key, sort_key, sex, birth_date, id_kind,
			id_sealed, id_lookup, sensitive_sealed, created_at, updated_at FROM people WHERE id = %d`, first.ID),
			// and a third the old code merged into the first, which an undo brings back
			fmt.Sprintf(`INSERT INTO people (org_id, center_id, family_name, given_name, patronymic, name_key, sort_key,
			sex, birth_date, id_kind, id_sealed, id_lookup, sensitive_sealed, created_at, updated_at, merged_into)
			SELECT org_id, center_id, family_name, 'Айжан3', patronymic, name_key, sort_key, sex, birth_date, id_kind,
			id_sealed, id_lookup, sensitive_sealed, created_at, updated_at, id FROM people WHERE id = %d`, first.ID)} {
			if _, err := store.Exec(ctx, st, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if _, err := st.Migrate(ctx); err != nil {
			t.Fatalf("migrating a registry with a pair: %v", err)
		}
		if n, err := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM people WHERE iin_shared`); err != nil || n != 2 {
			t.Fatalf("%d records marked (%v), want the later one and the merged one", n, err)
		}
		second, err := store.QueryInt(ctx, st, `SELECT id FROM people WHERE given_name = 'Айжан2'`)
		if err != nil {
			t.Fatal(err)
		}
		// What undoing the old merge does to the merged record: it lives again.
		if _, err := store.Exec(ctx, st, `UPDATE people SET merged_into = NULL WHERE given_name = 'Айжан3'`); err != nil {
			t.Fatalf("the record merged before the migration cannot live again: %v", err)
		}
		pair := []int64{first.ID, int64(second)}
		for _, id := range pair {
			p, err := st.People.Get(ctx, fx.coord, id)
			if err != nil {
				t.Fatalf("after the migration: %v", err)
			}
			p.Settlement = "Ақтөбе"
			if _, err := st.People.Update(ctx, fx.coord, p); err != nil {
				t.Fatalf("editing %s of the pair: %v", p.GivenName, err)
			}
		}
		third := aizhan(fx.aktobe.ID)
		third.GivenName = "Айжан4"
		_, err = st.People.Create(ctx, fx.coord, third)
		identityRefused(t, "a third record", err, fx.aktobe)
		if _, err := st.People.Merge(ctx, fx.coord, pair[1], pair[0], nil); err != nil {
			t.Fatalf("merging the pair: %v", err)
		}
	})
}
