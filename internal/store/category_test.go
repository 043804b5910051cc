package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/peoplefile"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// An organisation's own categories: a sensitive one is sealed and hidden like the
// default, a plain one is filtered by, neither is another organisation's; retiring keeps
// it on people; its sensitivity is fixed once held; an import reads it by name.
func TestOrganisationCategories(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		mamaPro, fpc := fx.almaty.OrgID, fx.aktobe.OrgID

		// Mama Pro adds a sensitive category; the trainer may not record it.
		refugee, err := st.CreateCategory(ctx, fx.admin, birge.Category{OrgID: mamaPro, Sensitive: true,
			Names: birge.Names{KK: "Босқын", RU: "Беженка", KY: "Качкын", EN: "Refugee woman"}})
		if err != nil || refugee.Code != "refugee_woman" {
			t.Fatalf("create: %+v, %v", refugee, err)
		}
		w := birge.Person{CenterID: fx.almaty.ID, GivenName: "Гүлнар", Categories: []string{"refugee_woman", "unemployed"}}
		if _, err := st.People.Create(ctx, fx.trainer, w); birge.AsError(err).Fields["categories"] == "" {
			t.Fatalf("trainer records a sensitive category: %v", err)
		}
		p := fx.register(t, fx.admin, w)
		if n, err := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM person_categories WHERE code = ?`, "refugee_woman"); err != nil || n != 0 {
			t.Errorf("the sensitive category is indexed in the clear (%d, %v)", n, err)
		}
		if n, err := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM people WHERE sensitive_sealed LIKE ?`, "%refugee%"); err != nil || n != 0 {
			t.Errorf("the sensitive category is stored in the clear (%d, %v)", n, err)
		}
		seen, err := st.People.Get(ctx, fx.trainer, p.ID)
		if err != nil || !slices.Equal(seen.Categories, []string{"unemployed"}) {
			t.Errorf("the trainer sees %v, %v; want only unemployed", seen.Categories, err)
		}
		if log, err := st.People.ListAccess(ctx, fx.admin, p.ID); err != nil || !slices.ContainsFunc(log, func(e store.AccessEntry) bool {
			return e.Action == "view" && e.Actor == fx.trainer.Name
		}) {
			t.Errorf("the trainer's view is not in the access log: %+v, %v", log, err)
		}
		if full, _ := st.People.Get(ctx, fx.admin, p.ID); !slices.Equal(full.Categories, []string{"unemployed", "refugee_woman"}) {
			t.Errorf("the administrator sees %v, want both in list order", full.Categories)
		}

		// FPC adds a plain category, given a code: people are filtered by it.
		fpcAdmin := fx.fpcAdmin
		migrant := birge.Category{OrgID: fpc, Code: "migrant", Names: birge.Names{KK: "Көші-қонушы", RU: "Мигрантка", KY: "Мигрант", EN: "Migrant"}}
		if _, err := st.CreateCategory(ctx, fpcAdmin, migrant); err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreateCategory(ctx, fpcAdmin, migrant); birge.AsError(err).Fields["code"] != "categories.code_taken" {
			t.Errorf("the same code again: %v", err)
		}
		m := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Мадина", Categories: []string{"migrant"}})
		if l, err := st.People.List(ctx, fx.coord, store.PeopleFilter{Category: "migrant"}); err != nil || len(l.Items) != 1 || l.Items[0].ID != m.ID {
			t.Errorf("filter by migrant: %v, %v", l.Items, err)
		}

		// Neither organisation may use or see the other's.
		if _, err := st.People.Create(ctx, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Дана",
			Categories: []string{"refugee_woman"}}); birge.AsError(err).Fields["categories"] != "field.choose" {
			t.Errorf("FPC uses Mama Pro's category: %v", err)
		}
		if _, err := st.People.List(ctx, fx.trainer, store.PeopleFilter{Category: "migrant"}); birge.AsError(err).Fields["category"] == "" {
			t.Errorf("the trainer filters by FPC's category: %v", err)
		}
		if _, err := st.Categories(ctx, fpcAdmin, mamaPro); !errors.Is(err, birge.ErrNotFound) {
			t.Errorf("FPC's administrator lists Mama Pro's categories: %v", err)
		}
		if _, err := st.UpdateCategory(ctx, fpcAdmin, refugee); !errors.Is(err, birge.ErrNotFound) {
			t.Errorf("FPC's administrator changes Mama Pro's category: %v", err)
		}
		if _, err := st.CreateCategory(ctx, fx.coord, migrant); !errors.Is(err, birge.ErrForbidden) {
			t.Errorf("a coordinator adds a category: %v", err)
		}

		// Whether a category is sensitive cannot change once people hold it, either way.
		for _, c := range []birge.Category{refugee, migrant} {
			c.Sensitive = !c.Sensitive
			if _, err := st.UpdateCategory(ctx, fx.admin, c); birge.AsError(err).Fields["sensitive"] != "categories.sensitive_held" {
				t.Errorf("%s: sensitive flipped while held: %v", c.Code, err)
			}
		}
		// The defaults keep their names; the organisation's own are renamed.
		disability, _ := st.GetCategory(ctx, fpcAdmin, fpc, "disability")
		disability.Names.EN = "Handicap"
		if _, err := st.UpdateCategory(ctx, fpcAdmin, disability); birge.AsError(err).Fields["name_en"] == "" {
			t.Errorf("a default renamed: %v", err)
		}
		migrant.Names.RU = "Внутренняя мигрантка"
		if _, err := st.UpdateCategory(ctx, fpcAdmin, migrant); err != nil {
			t.Fatal(err)
		}

		// Retired: no longer taken for someone new, kept on those who hold it.
		migrant.Retired = true
		if migrant, err = st.UpdateCategory(ctx, fpcAdmin, migrant); err != nil || migrant.RetiredAt == nil {
			t.Fatalf("retire: %+v, %v", migrant, err)
		}
		if _, err := st.People.Create(ctx, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Дана",
			Categories: []string{"migrant"}}); birge.AsError(err).Fields["categories"] != "field.choose" {
			t.Errorf("a retired category given to someone new: %v", err)
		}
		m.Settlement = "Ақтөбе"
		if m, err = st.People.Update(ctx, fx.coord, m); err != nil || !slices.Equal(m.Categories, []string{"migrant"}) {
			t.Errorf("after her edit she holds %v, %v", m.Categories, err)
		}
		if l, err := st.People.List(ctx, fx.coord, store.PeopleFilter{Category: "migrant"}); err != nil || len(l.Items) != 1 {
			t.Errorf("a retired category still counts: %v, %v", l.Items, err)
		}

		// An import into FPC reads its own category by its Russian name (offered again).
		migrant.Retired = false
		if _, err := st.UpdateCategory(ctx, fpcAdmin, migrant); err != nil {
			t.Fatal(err)
		}
		tab, err := peoplefile.Read([]byte("Имя;Категории\nАсель;Внутренняя мигрантка; безработная\n"))
		if err != nil {
			t.Fatal(err)
		}
		cats, err := st.People.ImportCategories(ctx, fx.coord, fx.aktobe.ID)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := st.People.Import(ctx, fx.coord, peoplefile.People(tab, peoplefile.Columns(tab.Header), cats),
			store.ImportOptions{CenterID: fx.aktobe.ID})
		if err != nil || rep.Created != 1 {
			t.Fatalf("import: %+v, %v", rep, err)
		}
		if l, err := st.People.List(ctx, fx.coord, store.PeopleFilter{Category: "migrant", Q: "Асель"}); err != nil || len(l.Items) != 1 {
			t.Errorf("the imported woman is not a migrant: %v, %v", l.Items, err)
		}
	})
}
