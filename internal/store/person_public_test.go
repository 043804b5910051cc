package store_test

import (
	"context"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// TestPublicPersonLinksOnlyWhenSure: a public form links her to a record already in the
// registry by her identity number, or by her phone with her name in another spelling; a
// sister on the same phone, or a bad form, gets no one's record, and the found record is
// left as it was.
func TestPublicPersonLinksOnlyWhenSure(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		p := zhanar(fx.aktobe.ID)
		p.Phones = []string{"+77011234567"}
		zh := fx.register(t, fx.coord, p)
		withIIN := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, FamilyName: "Серікова",
			GivenName: "Дана", IIN: "921108401006"})
		for _, c := range []struct {
			name    string
			typed   birge.Person
			want    int64 // 0: a new record
			problem string
		}{
			{"same phone, name in Latin", birge.Person{FamilyName: "Abdirakhmanova", GivenName: "Zhanar",
				Phones: []string{"8 701 123 45 67"}}, zh.ID, ""},
			{"same phone, her sister", birge.Person{FamilyName: "Әбдірахманова", GivenName: "Мадина",
				Phones: []string{"+77011234567"}}, 0, ""},
			{"same identity number, another name", birge.Person{FamilyName: "Sericova", GivenName: "D.",
				IIN: "921108401006"}, withIIN.ID, ""},
			{"no one", birge.Person{FamilyName: "Жұмабаева", GivenName: "Ұлжан", Phones: []string{"+77029876543"}}, 0, ""},
			{"no name", birge.Person{Phones: []string{"+77029876543"}}, 0, "given_name"},
		} {
			c.typed.CenterID = fx.aktobe.ID
			id, created, err := store.PublicPerson(ctx, st, c.typed)
			if c.problem != "" {
				if err == nil || birge.AsError(err).Fields[c.problem] == "" {
					t.Errorf("%s: %v, want a problem with %s", c.name, err, c.problem)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if c.want != 0 && (id != c.want || created) || c.want == 0 && (!created || id == zh.ID || id == withIIN.ID) {
				t.Errorf("%s: linked %d (new %v), want %d", c.name, id, created, c.want)
			}
		}
		if got, err := st.People.Get(ctx, fx.coord, withIIN.ID); err != nil || got.FamilyName != "Серікова" || got.GivenName != "Дана" {
			t.Errorf("the record found was changed: %+v, %v", got, err)
		}
	})
}
