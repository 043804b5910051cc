package store_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// survivor is a woman with a sensitive category, a consent and a birth date from her IIN,
// named unlike anyone in the demo data, so that a search for her name finds only her.
func survivor(center int64) birge.Person {
	return birge.Person{CenterID: center, FamilyName: "Досмағамбетова", GivenName: "Меруерт", Patronymic: "Қайратқызы",
		IIN: "850315401231", Phones: []string{"8 701 123 45 67"}, Categories: []string{"dv_survivor", "rural"},
		Consents: []birge.Consent{{Purpose: "services", Channel: "paper", GivenOn: "2026-01-05"}}}
}

func TestPersonDossier(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		p := fx.register(t, fx.coord, survivor(fx.aktobe.ID))

		d, err := st.People.Dossier(ctx, fx.coord, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := d.Person
		if got.IIN != "850315401231" || got.FamilyName != "Досмағамбетова" || !slices.Equal(got.Phones, []string{"+77011234567"}) {
			t.Errorf("dossier identity: IIN %q, name %q, phones %v; want everything in full", got.IIN, got.FamilyName, got.Phones)
		}
		if !slices.Equal(got.Categories, []string{"dv_survivor", "rural"}) {
			t.Errorf("dossier categories %v, want the sensitive one too", got.Categories)
		}
		if len(got.Consents) != 1 || got.Consents[0].RecordedBy != fx.coord.Name {
			t.Errorf("dossier consents %+v, want one recorded by %s", got.Consents, fx.coord.Name)
		}
		// Her audit entries, values opened, and the export itself.
		var actions []string
		for _, e := range d.Audit {
			actions = append(actions, string(e.Action))
			if e.Action == "create" && e.Changes["given_name"].After != "Меруерт" {
				t.Errorf("creation entry in the dossier: given_name %+v, want Меруерт", e.Changes["given_name"])
			}
		}
		if !slices.Equal(actions, []string{"create", "export_dossier"}) {
			t.Errorf("dossier audit actions %v, want create, export_dossier", actions)
		}
		if n := len(d.AccessLog); n == 0 || d.AccessLog[n-1].Action != "export" || d.AccessLog[n-1].Actor != fx.coord.Name {
			t.Errorf("access log in the dossier %+v, want the export last", d.AccessLog)
		}
		audited, err := st.ListAudit(ctx, fx.admin, store.AuditFilter{Action: "export_dossier", EntityID: p.ID})
		if err != nil || len(audited) != 1 || audited[0].Actor != fx.coord.Name {
			t.Errorf("export_dossier audit entries %+v, %v; want one by the coordinator", audited, err)
		}

		// The Kargaly case worker sees her own centre's woman but may not export her; the
		// Aktobe woman she does not see at all.
		saule := fx.register(t, fx.admin, birge.Person{CenterID: fx.kargaly.ID, GivenName: "Сәуле"})
		if _, err := st.People.Dossier(ctx, fx.caseworker, saule.ID); birge.KindOf(err) != birge.KindForbidden {
			t.Errorf("case worker's dossier of her centre's woman: %v, want forbidden", err)
		}
		if _, err := st.People.Dossier(ctx, fx.caseworker, p.ID); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("case worker's dossier of another centre's woman: %v, want not found", err)
		}
		olga := fx.register(t, fx.trainer, birge.Person{CenterID: fx.almaty.ID, GivenName: "Ольга"})
		if _, err := st.People.Dossier(ctx, fx.trainer, olga.ID); birge.KindOf(err) != birge.KindForbidden {
			t.Errorf("trainer's dossier: %v, want forbidden", err)
		}
	})
}

// reportCounts counts people the way a report does: every record that was not merged
// away, anonymised or not, by centre, sex, birth year, region and category, and the
// sealed sensitive ones by how many carry any.
func reportCounts(t *testing.T, st *store.Store, center int64) map[string]int {
	t.Helper()
	ctx := context.Background()
	out := map[string]int{}
	for name, q := range map[string]string{
		"people":         `SELECT COUNT(*) FROM people WHERE merged_into IS NULL AND 0 < ?`,
		"centre":         `SELECT COUNT(*) FROM people WHERE merged_into IS NULL AND center_id = ?`,
		"female":         `SELECT COUNT(*) FROM people WHERE merged_into IS NULL AND sex = 'female' AND center_id = ?`,
		"born 1985":      `SELECT COUNT(*) FROM people WHERE merged_into IS NULL AND birth_year = 1985 AND center_id = ?`,
		"born 1980-1989": `SELECT COUNT(*) FROM people WHERE merged_into IS NULL AND birth_year BETWEEN 1980 AND 1989 AND 0 < ?`,
		"rural":          `SELECT COUNT(*) FROM people p JOIN person_categories c ON c.person_id = p.id WHERE p.merged_into IS NULL AND c.code = 'rural' AND p.center_id = ?`,
		"KZ15":           `SELECT COUNT(*) FROM people WHERE merged_into IS NULL AND region = 'KZ15' AND 0 < ?`,
		"consents":       `SELECT COUNT(*) FROM consents c JOIN people p ON p.id = c.person_id WHERE p.center_id = ?`,
		"relations":      `SELECT COUNT(*) FROM relations r JOIN people p ON p.id = r.person_id WHERE p.center_id = ?`,
	} {
		n, err := store.QueryInt(ctx, st, q, center)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = n
	}
	n, err := store.CountSensitive(ctx, st, center)
	if err != nil {
		t.Fatal(err)
	}
	out["sensitive"] = n
	return out
}

func TestAnonymisePerson(t *testing.T) {
	for _, db := range testenv.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			st := testenv.Open(t, db)
			fx := newPeopleFixture(t, st)
			p := fx.register(t, fx.coord, survivor(fx.aktobe.ID))
			child := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, FamilyName: "Қайратова", GivenName: "Аружан", BirthYear: 2012})
			if _, err := st.People.AddRelation(ctx, fx.coord, child.ID, p.ID, "parent"); err != nil {
				t.Fatal(err)
			}
			p.Settlement, p.Email, p.CallTimes = "Шұбарқұдық", "meruert@example.kz", "10:00–12:00"
			if _, err := st.People.Update(ctx, fx.coord, p); err != nil {
				t.Fatal(err)
			}
			// A duplicate of her, typed in Latin, merged into her record: it holds who she is too.
			dup := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, FamilyName: "Dosmagambetova",
				GivenName: "Meruert", Phones: []string{"+7 701 123 4567"}, Settlement: "Шұбарқұдық"})
			if _, err := store.Exec(ctx, st, fmt.Sprintf(`UPDATE people SET merged_into = %d WHERE id = %d`, p.ID, dup.ID)); err != nil {
				t.Fatal(err)
			}
			kargaly := fx.register(t, fx.admin, birge.Person{CenterID: fx.kargaly.ID, GivenName: "Сәуле"})
			before := reportCounts(t, st, fx.aktobe.ID)

			// Only those with person.rights on her centre.
			if err := st.People.Anonymise(ctx, fx.trainer, p.ID); birge.KindOf(err) != birge.KindNotFound {
				t.Errorf("trainer of another organisation: %v, want not found", err)
			}
			if err := st.People.Anonymise(ctx, fx.caseworker, kargaly.ID); birge.KindOf(err) != birge.KindForbidden {
				t.Errorf("case worker of her centre: %v, want forbidden", err)
			}
			if err := st.People.Anonymise(ctx, fx.coord, p.ID); err != nil {
				t.Fatal(err)
			}
			// Her categories stay for the counts, without the sort key made from her name.
			if n, err := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM person_categories WHERE person_id IN (?, ?)
				AND sort_key IS NOT NULL AND sort_key <> ?`, p.ID, dup.ID, []byte{}); err != nil || n != 0 {
				t.Errorf("%d category entries keep her name's sort key (%v)", n, err)
			}

			// She is gone from search, lists, duplicates and her own address.
			for _, q := range []string{"Меруерт", "Dosmagambetova Meruert", "87011234567", "850315401231"} {
				l, err := st.People.List(ctx, fx.coord, store.PeopleFilter{Q: q})
				if err != nil || slices.ContainsFunc(l.Items, func(s store.PersonSummary) bool { return s.ID == p.ID }) {
					t.Errorf("search %q after anonymisation: %v, %v", q, l.Items, err)
				}
			}
			all, err := st.People.List(ctx, fx.admin, store.PeopleFilter{Limit: 200})
			if err != nil || slices.ContainsFunc(all.Items, func(s store.PersonSummary) bool { return s.ID == p.ID }) {
				t.Errorf("the list still shows her (%v)", err)
			}
			if dups, err := st.People.FindDuplicates(ctx, fx.coord, survivor(fx.aktobe.ID)); err != nil || len(dups) != 0 {
				t.Errorf("duplicates of her after anonymisation: %+v, %v", dups, err)
			}
			if _, err := st.People.Get(ctx, fx.coord, p.ID); birge.KindOf(err) != birge.KindNotFound {
				t.Errorf("open her record: %v, want not found", err)
			}
			if err := st.People.Anonymise(ctx, fx.coord, p.ID); birge.KindOf(err) != birge.KindNotFound {
				t.Errorf("anonymise twice: %v, want not found", err)
			}

			// Every count a report makes is what it was.
			if after := reportCounts(t, st, fx.aktobe.ID); !reflect.DeepEqual(before, after) {
				t.Errorf("report counts changed:\nbefore %v\nafter  %v", before, after)
			}
			// Her child still has a mother, by number.
			c, err := st.People.Get(ctx, fx.coord, child.ID)
			if err != nil || len(c.Relations) != 1 || !c.Relations[0].Anonymised || c.Relations[0].OtherID != p.ID || c.Relations[0].Name != "" {
				t.Errorf("the child's relations %+v, %v; want her mother anonymised, by number", c.Relations, err)
			}

			// The audit log still has every entry about her and verifies. The values that
			// identify her are erased; those her anonymised record keeps are readable.
			entries, err := st.ListAudit(ctx, fx.admin, store.AuditFilter{Entity: "person", EntityID: p.ID})
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, e := range entries {
				actions = append(actions, string(e.Action))
				for _, f := range []string{"family_name", "given_name", "patronymic", "birth_date", "phones", "email", "settlement", "call_times"} {
					ch, ok := e.Changes[f]
					if ok && (ch.Before != nil && ch.Before != (birge.Erased{}) || ch.After != nil && ch.After != (birge.Erased{})) {
						t.Errorf("%s entry: %s = %v → %v, want erased", e.Action, f, ch.Before, ch.After)
					}
				}
				if e.Action == "create" && (e.Changes["center_id"].After != float64(fx.aktobe.ID) || e.Changes["given_name"].After != (birge.Erased{})) {
					t.Errorf("create entry after anonymisation: %+v; want the centre readable, the name erased", e.Changes)
				}
			}
			if !slices.Equal(actions, []string{"anonymise", "update", "relation", "create"}) {
				t.Errorf("audit entries about her: %v", actions)
			}
			if broken, _, err := st.VerifyAudit(ctx); err != nil || broken != 0 {
				t.Errorf("audit chain after anonymisation: broken at %d, %v", broken, err)
			}
			// The child's entries are readable: only her key was destroyed.
			childEntries, err := st.ListAudit(ctx, fx.admin, store.AuditFilter{Entity: "person", EntityID: child.ID, Action: "create"})
			if err != nil || len(childEntries) != 1 || childEntries[0].Changes["given_name"].After != "Аружан" {
				t.Errorf("the child's audit entry: %+v, %v", childEntries, err)
			}

			// Nothing in the database says who she was.
			secrets := []string{"Досмағамбетова", "Меруерт", "Қайратқызы", "Meruert", "Dosmagambetova", "meruert", "dosmagambetova",
				"850315401231", "8503••••1231", "+77011234567", "Шұбарқұдық", "meruert@example.kz", "10:00–12:00", "1985-03-15"}
			for _, s := range secrets {
				if where := findText(t, st, s); where != "" {
					t.Errorf("%q is still in %s", s, where)
				}
			}
			if db.Name == "sqlite" {
				for _, file := range []string{"birge.db", "birge.db-wal"} {
					b, err := os.ReadFile(filepath.Join(db.DataDir, file))
					if err != nil && !os.IsNotExist(err) {
						t.Fatal(err)
					}
					for _, s := range secrets {
						if bytes.Contains(b, []byte(s)) {
							t.Errorf("%q is still in the bytes of %s", s, file)
						}
					}
				}
			}
		})
	}
}

// findText names the first table and column that holds s anywhere in its text.
func findText(t *testing.T, st *store.Store, s string) string {
	t.Helper()
	ctx := context.Background()
	tables, err := store.Columns(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	for table, cols := range tables {
		for _, col := range cols {
			n, err := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM `+table+` WHERE CAST(`+col+` AS TEXT) LIKE ?`, "%"+s+"%")
			if err != nil {
				t.Fatalf("%s.%s: %v", table, col, err)
			}
			if n > 0 {
				return table + "." + col
			}
		}
	}
	return ""
}
