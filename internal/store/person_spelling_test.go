package store_test

import (
	"context"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// zhanar is registered in Cyrillic; the people who look for her type her name in Latin
// letters, however they learnt to spell it.
func zhanar(center int64) birge.Person {
	return birge.Person{CenterID: center, FamilyName: "Әбдірахманова", GivenName: "Жанар",
		Patronymic: "Қайратқызы", BirthDate: "1990-04-12"}
}

// TestFindLatinSpellings: the list search finds a woman registered in Cyrillic by the
// official 2021 Kazakh Latin, passport and informal spellings of her name, and one
// registered in Latin letters by her name in Cyrillic; other names stay apart.
func TestFindLatinSpellings(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		p := fx.register(t, fx.coord, zhanar(fx.aktobe.ID))
		latin := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, FamilyName: "Baqytjanova",
			GivenName: "Aygerim", Patronymic: "Yerlanqyzy"})
		fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, FamilyName: "Жанабаева", GivenName: "Айгүл"})
		for want, queries := range map[int64][]string{
			p.ID: {"Abdirahmanova", "Äbdirakhmanova", "Abdirakhmanova", "Äbdırahmanova", "Janar", "Zhanar",
				"Qairatqyzy", "Kairatkyzy", "Zhanar Abdirakhmanova", "Abdirak", "Janar Qairatq"},
			latin.ID: {"Бақытжанова", "Айгерім", "Ерланқызы", "Bakytzhanova Aigerim", "Erlankyzy"},
		} {
			for _, q := range queries {
				l, err := st.People.List(ctx, fx.coord, store.PeopleFilter{Q: q})
				if err != nil || len(l.Items) != 1 || l.Items[0].ID != want {
					t.Errorf("search %q: %v, %v; want only %d", q, l.Items, err, want)
				}
			}
		}
		// Айгүл is not Айгерім, Жанна is not Жанар, and Шынар is not found by Synar.
		for _, q := range []string{"Aigul Bakytzhanova", "Жанна", "Zhanna", "Synar", "Qairatuly"} {
			if l, _ := st.People.List(ctx, fx.coord, store.PeopleFilter{Q: q}); len(l.Items) != 0 {
				t.Errorf("search %q found %v", q, l.Items)
			}
		}
	})
}

// TestDuplicateLatinSpelling: the duplicate check folds names as search does, so the
// same woman typed in passport Latin with her birth date is flagged; a different name on
// the same day is not.
func TestDuplicateLatinSpelling(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		p := fx.register(t, fx.coord, zhanar(fx.aktobe.ID))
		for _, c := range []struct {
			family, given string
			want          bool
		}{
			{"Abdirakhmanova", "Zhanar", true},
			{"Abdirahmanova", "Janar", true},
			{"Äbdırahmanova", "Janar", true},
			{"Abdirakhmanova", "Zhanna", false},
			{"Abdirakhmanova", "Aigerim", false},
		} {
			dups, err := st.People.FindDuplicates(ctx, fx.coord, birge.Person{CenterID: fx.aktobe.ID,
				FamilyName: c.family, GivenName: c.given, BirthDate: "1990-04-12"})
			if err != nil {
				t.Fatal(err)
			}
			found := len(dups) == 1 && dups[0].PersonID == p.ID && len(dups[0].Reasons) == 1 && dups[0].Reasons[0] == "name_birth"
			if found != c.want || len(dups) > 1 || !c.want && len(dups) != 0 {
				t.Errorf("%s %s born the same day: duplicates %+v, want flagged %v", c.given, c.family, dups, c.want)
			}
		}
	})
}
