package store_test

import (
	"context"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/demo"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// peopleFixture loads the demo organisations and signs in the roles the tests use.
type peopleFixture struct {
	st                                *store.Store
	admin, coord, caseworker, trainer *birge.Actor
	analyst, fpcAdmin                 *birge.Actor
	aktobe, kargaly, almaty           birge.Center
}

func newPeopleFixture(t testing.TB, st *store.Store) *peopleFixture {
	t.Helper()
	ctx := context.Background()
	logins, err := demo.Load(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	fx := &peopleFixture{st: st,
		admin:      actorFor(t, st, logins, "admin@birge.example"),
		coord:      actorFor(t, st, logins, "coordinator@birge.example"),
		caseworker: actorFor(t, st, logins, "caseworker@birge.example"),
		trainer:    actorFor(t, st, logins, "trainer@birge.example"),
		analyst:    actorFor(t, st, logins, "analyst@birge.example"),
		fpcAdmin:   actorFor(t, st, logins, "fpc.admin@birge.example"),
	}
	centers, _ := st.ListCenters(ctx, birge.System("t"), store.CenterFilter{})
	for _, c := range centers {
		switch c.Names.EN {
		case "Aktobe family centre":
			fx.aktobe = c
		case "Kargaly district office":
			fx.kargaly = c
		case "Mama Pro Almaty":
			fx.almaty = c
		}
	}
	return fx
}

// register saves a person who must be accepted.
func (fx *peopleFixture) register(t *testing.T, a *birge.Actor, p birge.Person) birge.Person {
	t.Helper()
	p, err := fx.st.People.Create(context.Background(), a, p)
	if err != nil {
		t.Fatalf("register %s: %v", p.FullName(), err)
	}
	return p
}

func aizhan(center int64) birge.Person {
	return birge.Person{CenterID: center, FamilyName: "Жұмабаева", GivenName: "Айжан", IIN: "850315401231",
		Phones: []string{"8 701 123 45 67"}, Categories: []string{"rural"}}
}

func TestRegisterPerson(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)

		// A wrong IIN is refused on its field, and nothing is saved.
		bad := aizhan(fx.aktobe.ID)
		bad.IIN = "850315401232"
		if _, err := st.People.Create(ctx, fx.coord, bad); birge.AsError(err).Fields["iin"] != "iin.checksum" {
			t.Fatalf("wrong IIN: %v, want iin.checksum on iin", err)
		}
		if l, _ := st.People.List(ctx, fx.admin, store.PeopleFilter{Q: "Жұмабаева"}); len(l.Items) != 0 {
			t.Fatalf("a refused person was saved: %v", l.Items)
		}

		p := fx.register(t, fx.coord, aizhan(fx.aktobe.ID))
		if p.BirthDate != "1985-03-15" || p.Sex != "female" || p.IIN != "8503••••1231" {
			t.Errorf("from the IIN: birth %q, sex %q, shown as %q", p.BirthDate, p.Sex, p.IIN)
		}
		if len(p.Phones) != 1 || p.Phones[0] != "+77011234567" {
			t.Errorf("phones %v, want [+77011234567]", p.Phones)
		}
		// The number is nowhere in the database in the clear.
		if n, err := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM people WHERE id_sealed LIKE ? OR id_lookup LIKE ?`,
			"%850315401231%", "%850315401231%"); err != nil || n != 0 {
			t.Errorf("the IIN is stored in the clear in %d rows (%v)", n, err)
		}
		// The coordinator may reveal the number; the reveal is logged.
		if n, err := st.People.RevealIdentity(ctx, fx.coord, p.ID); err != nil || n != "850315401231" {
			t.Errorf("reveal: %q, %v", n, err)
		}
		// A birth date that contradicts the IIN is refused.
		wrong := aizhan(fx.aktobe.ID)
		wrong.BirthDate = "1985-03-16"
		if _, err := st.People.Create(ctx, fx.coord, wrong); birge.AsError(err).Fields["birth_date"] == "" {
			t.Errorf("birth date contradicting the IIN: %v", err)
		}
	})
}

func TestFindPeopleAcrossScripts(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		p := fx.register(t, fx.coord, aizhan(fx.aktobe.ID))
		fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, FamilyName: "Иванова", GivenName: "Ольга"})
		for _, q := range []string{"Айжан", "айжан", "AIZHAN", "Aizhan", "Жұмабаева", "Zhumabaeva", "zhuma aiz",
			"+7 (701) 1234567", "87011234567", "8 701 123 45 67", "850315401231"} {
			l, err := st.People.List(ctx, fx.coord, store.PeopleFilter{Q: q})
			if err != nil || len(l.Items) != 1 || l.Items[0].ID != p.ID {
				t.Errorf("search %q: %v, %v; want only %d", q, l.Items, err, p.ID)
			}
		}
		for _, q := range []string{"Ольгаа", "850315401232", "Айгүл"} {
			if l, _ := st.People.List(ctx, fx.coord, store.PeopleFilter{Q: q}); len(l.Items) != 0 {
				t.Errorf("search %q found %v", q, l.Items)
			}
		}
		// The Kargaly case worker does not see an Aktobe woman; the analyst sees no names.
		if l, _ := st.People.List(ctx, fx.caseworker, store.PeopleFilter{Q: "Айжан"}); len(l.Items) != 0 {
			t.Errorf("the Kargaly case worker finds %v", l.Items)
		}
		if _, err := st.People.Get(ctx, fx.caseworker, p.ID); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("the Kargaly case worker opens her: %v", err)
		}
		if _, err := st.People.List(ctx, fx.analyst, store.PeopleFilter{}); birge.KindOf(err) != birge.KindForbidden {
			t.Errorf("the analyst lists people: %v, want forbidden", err)
		}
		if _, err := st.People.Get(ctx, fx.analyst, p.ID); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("the analyst opens a person: %v, want not found", err)
		}
	})
}

func TestDuplicatesAcrossCentres(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		p := fx.register(t, fx.coord, aizhan(fx.aktobe.ID))
		// The Kargaly case worker registers her again, typed in Latin, without the IIN:
		// warned by phone and by name and birth date, but shown nothing about her.
		again := birge.Person{CenterID: fx.kargaly.ID, FamilyName: "Zhumabayeva", GivenName: "Aizhan",
			BirthDate: "1985-03-15", Phones: []string{"+7 701 123 4567"}}
		dups, err := st.People.FindDuplicates(ctx, fx.caseworker, again)
		if err != nil || len(dups) != 1 {
			t.Fatalf("duplicates: %v, %v", dups, err)
		}
		d := dups[0]
		if d.Visible || d.PersonID != 0 || d.Name != "" || d.CenterID != fx.aktobe.ID || len(d.Reasons) != 2 {
			t.Errorf("hidden duplicate: %+v", d)
		}
		// The coordinator of Aktobe sees who it is.
		again.CenterID = fx.aktobe.ID
		if dups, _ := st.People.FindDuplicates(ctx, fx.coord, again); len(dups) != 1 || dups[0].PersonID != p.ID || !dups[0].Visible {
			t.Errorf("visible duplicate: %+v", dups)
		}
		// The same IIN is a duplicate whatever the name; a record does not match itself.
		byID := birge.Person{ID: 0, CenterID: fx.aktobe.ID, GivenName: "Other", IIN: "850315401231"}
		if dups, _ := st.People.FindDuplicates(ctx, fx.coord, byID); len(dups) != 1 || dups[0].Reasons[0] != "identity" {
			t.Errorf("by IIN: %+v", dups)
		}
		self := aizhan(fx.aktobe.ID)
		self.ID = p.ID
		if dups, _ := st.People.FindDuplicates(ctx, fx.coord, self); len(dups) != 0 {
			t.Errorf("a record matches itself: %+v", dups)
		}
	})
}

func TestSensitiveCategories(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		// The trainer may not record a sensitive category.
		w := birge.Person{CenterID: fx.almaty.ID, GivenName: "Гүлнар", Categories: []string{"dv_survivor"}}
		if _, err := st.People.Create(ctx, fx.trainer, w); birge.AsError(err).Fields["categories"] == "" {
			t.Fatalf("trainer records a sensitive category: %v", err)
		}
		w.Categories = []string{"dv_survivor", "unemployed"}
		p := fx.register(t, fx.admin, w)
		if n, err := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM people WHERE sensitive_sealed LIKE ?`, "%dv_survivor%"); err != nil || n != 0 {
			t.Errorf("a sensitive category is stored in the clear (%d, %v)", n, err)
		}
		if n, err := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM person_categories WHERE code = ?`, "dv_survivor"); err != nil || n != 0 {
			t.Errorf("a sensitive category is indexed in the clear (%d, %v)", n, err)
		}
		got, err := st.People.Get(ctx, fx.trainer, p.ID)
		if err != nil || len(got.Categories) != 1 || got.Categories[0] != "unemployed" {
			t.Fatalf("trainer sees categories %v, %v; want only unemployed", got.Categories, err)
		}
		// The trainer edits her; the sensitive category, unseen, survives.
		got.Settlement = "Алматы"
		if _, err := st.People.Update(ctx, fx.trainer, got); err != nil {
			t.Fatal(err)
		}
		full, err := st.People.Get(ctx, fx.admin, p.ID)
		if err != nil || len(full.Categories) != 2 {
			t.Errorf("after the trainer's edit the administrator sees %v, %v", full.Categories, err)
		}
		// Each opening of her record is in the access log: the trainer's and the
		// administrator's; a save is in the audit log, not an opening.
		log, err := st.People.ListAccess(ctx, fx.admin, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		views := 0
		for _, e := range log {
			if e.Action == "view" {
				views++
			}
		}
		if views != 2 {
			t.Errorf("%d views logged, want 2: %+v", views, log)
		}
		// Sensitive categories cannot be used as a filter: refused, not an empty list.
		if _, err := st.People.List(ctx, fx.admin, store.PeopleFilter{Category: "dv_survivor"}); birge.AsError(err).Fields["category"] == "" {
			t.Errorf("filter by a sensitive category: %v, want refused", err)
		}
		if l, err := st.People.List(ctx, fx.admin, store.PeopleFilter{Category: "unemployed", Q: "Гүлнар"}); err != nil || len(l.Items) != 1 {
			t.Errorf("filter by unemployed: %v, %v", l.Items, err)
		}
		// The trainer cannot read the access log.
		if _, err := st.People.ListAccess(ctx, fx.trainer, p.ID); err == nil {
			t.Error("the trainer reads the access log")
		}
	})
}
