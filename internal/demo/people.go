package demo

import (
	"context"
	"fmt"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// people are a few families of the stories, so that the registry is not empty on the
// first visit: a family at the Aktobe centre, a survivor at the Kargaly office, Mama Pro
// and campaign participants. Identity numbers are the valid test vectors of
// shared/data/README.md, not real people's.
var people = []struct {
	key, center string
	person      birge.Person
	relations   map[string]string // other key → what the other is to her
}{
	{"dinara", "fpc/aktobe", birge.Person{FamilyName: "Омарова", GivenName: "Динара", Patronymic: "Серікқызы",
		IIN: "921107404560", Phones: []string{"+77015550101"}, Settlement: "Ақтөбе", Region: "KZ15", District: "KZ151000",
		MayCall: true, CallTimes: "10:00–13:00", Categories: []string{"unemployed", "stay_at_home_mother"}}, nil},
	{"yerzhan", "fpc/aktobe", birge.Person{FamilyName: "Омаров", GivenName: "Ержан", IIN: "791028302728",
		Phones: []string{"+77015550102"}, Settlement: "Ақтөбе", Region: "KZ15"}, map[string]string{"dinara": "spouse"}},
	{"aruzhan", "fpc/aktobe", birge.Person{FamilyName: "Омарова", GivenName: "Аружан", IIN: "061211600012",
		SpecialNeeds: true, Settlement: "Ақтөбе", Region: "KZ15"}, map[string]string{"dinara": "parent", "yerzhan": "parent"}},
	{"saule", "fpc/kargaly", birge.Person{FamilyName: "Төлегенова", GivenName: "Сәуле", BirthYear: 1988,
		Settlement: "Бадамша", Region: "KZ15", District: "KZ154000", Rural: true,
		Categories: []string{"dv_survivor", "rural", "low_income"}}, nil},
	{"olga", "mamapro/almaty", birge.Person{FamilyName: "Ким", GivenName: "Ольга", Patronymic: "Викторовна",
		BirthDate: "1990-04-12", Sex: "female", Phones: []string{"+77775550202"}, Settlement: "Алматы",
		MayCall: true, MayLeaveMessage: true, Categories: []string{"self_employed"}}, nil},
	{"bermet", "campaign/bishkek", birge.Person{FamilyName: "Асанова", GivenName: "Бермет", PIN: "11506199300123",
		Phones: []string{"0555 123 456"}, Settlement: "Бишкек", Region: "KG-GB"}, nil},
}

// loadPeople registers the demo people with consent to services, and returns their ids
// by key.
func loadPeople(ctx context.Context, st *store.Store, sys *birge.Actor, centerIDs map[string]int64) (map[string]int64, error) {
	ids := map[string]int64{}
	for _, d := range people {
		p := d.person
		p.CenterID = centerIDs[d.center]
		p.Consents = []birge.Consent{{Purpose: "services", Channel: "paper", GivenOn: "2026-09-01"}}
		created, err := st.People.Create(ctx, sys, p)
		if err != nil {
			return nil, fmt.Errorf("person %s: %w", d.key, err)
		}
		ids[d.key] = created.ID
		for other, kind := range d.relations {
			if _, err := st.People.AddRelation(ctx, sys, created.ID, ids[other], kind); err != nil {
				return nil, fmt.Errorf("relation %s–%s: %w", d.key, other, err)
			}
		}
	}
	return ids, nil
}
