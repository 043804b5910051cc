package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// An installation upgraded from before migration 0018 holds name keys and words folded
// the old way (zh, kh and y as typed, Latin q kept). The migration folds them again, so
// the Latin spellings find records registered before it.
func TestMigrationRekeysNames(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		zh := fx.register(t, fx.coord, zhanar(fx.aktobe.ID))
		latin := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, FamilyName: "Baqytjanova", GivenName: "Aygerim"})
		gone := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, FamilyName: "Жақсылықова", GivenName: "Жібек"})
		if err := st.People.Anonymise(ctx, fx.coord, gone.ID); err != nil {
			t.Fatal(err)
		}
		// Back to what the old folding wrote.
		old := map[int64]string{zh.ID: "abdirakhmanova zhanar kairatkyzy", latin.ID: "baqytjanova aygerim"}
		for id, key := range old {
			if _, err := store.ExecArgs(ctx, st, `UPDATE people SET name_key = ? WHERE id = ?`, key, id); err != nil {
				t.Fatal(err)
			}
			p, err := st.People.Get(ctx, fx.admin, id)
			if err != nil {
				t.Fatal(err)
			}
			for i, w := range strings.Fields(key) {
				if _, err := store.ExecArgs(ctx, st, `UPDATE person_names SET token = ? WHERE person_id = ? AND token = ?`,
					w, id, birge.NameTokens(p.FullName())[i]); err != nil {
					t.Fatal(err)
				}
			}
		}
		find := func(q string) []int64 {
			t.Helper()
			l, err := st.People.List(ctx, fx.coord, store.PeopleFilter{Q: q})
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, p := range l.Items {
				ids = append(ids, p.ID)
			}
			return ids
		}
		if ids := find("Janar"); len(ids) != 0 {
			t.Fatalf("before the migration Janar finds %v: the test would prove nothing", ids)
		}
		if _, err := store.Exec(ctx, st, `DELETE FROM schema_migrations WHERE version = 18`); err != nil {
			t.Fatal(err)
		}
		if n, err := st.Migrate(ctx); err != nil || n != 1 {
			t.Fatalf("migrate: %d, %v", n, err)
		}
		for q, want := range map[string]int64{"Janar": zh.ID, "Zhanar Abdirahmanova": zh.ID, "Qairatqyzy": zh.ID,
			"Айгерім": latin.ID, "Бақытжанова": latin.ID, "Baqytjanova": latin.ID} {
			if ids := find(q); len(ids) != 1 || ids[0] != want {
				t.Errorf("after the migration %q finds %v, want [%d]", q, ids, want)
			}
		}
		for _, c := range []struct {
			what, query string
			args        []any
			want        int
		}{
			{"keys folded anew", `SELECT COUNT(*) FROM people WHERE id IN (?, ?)
				AND name_key IN ('abdirahmanova janar kairatkyzy', 'bakytjanova aigerim')`, []any{zh.ID, latin.ID}, 2},
			{"name words of the two", `SELECT COUNT(*) FROM person_names WHERE person_id IN (?, ?)`, []any{zh.ID, latin.ID}, 5},
			{"name words of the anonymised", `SELECT COUNT(*) FROM person_names WHERE person_id = ?`, []any{gone.ID}, 0},
			{"anonymised with an empty key", `SELECT COUNT(*) FROM people WHERE id = ? AND name_key = ''`, []any{gone.ID}, 1},
		} {
			if n, err := store.QueryInt(ctx, st, c.query, c.args...); err != nil || n != c.want {
				t.Errorf("%s: %d, %v; want %d", c.what, n, err, c.want)
			}
		}
		// The words carry their record's organisation, centre and sort key, as indexPerson writes them.
		if n, err := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM person_names n JOIN people p ON p.id = n.person_id
			WHERE n.sort_key <> p.sort_key OR n.org_id <> p.org_id OR n.center_id <> p.center_id`); err != nil || n != 0 {
			t.Errorf("%d name words differ from their record: %v", n, err)
		}
	})
}
