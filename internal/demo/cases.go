package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// familyCases are the family centre's cases of the stories: Dinara and Yerzhan, sent by
// the court with a divorce application filed, and their daughter, at Aktobe; Saule, who
// came to the Kargaly office from the police, waiting for her safety screening with the
// Kargaly psychologist. Days are counted back from today, like the services.
var familyCases = []struct {
	center             string
	partners, children []string
	monthsAgo          int
	reasons            []string
	cameFrom, status   string
	divorceCourt       string
	psychologist       string // a demo user's e-mail
}{
	{"fpc/aktobe", []string{"dinara", "yerzhan"}, []string{"aruzhan"}, 3, []string{"communication", "finances", "in_laws"},
		"court", birge.CaseActive, "Ақтөбе қалалық соты", ""},
	{"fpc/kargaly", []string{"saule"}, nil, 1, []string{"violence", "alcohol_drugs"}, "police", birge.CaseScreening, "",
		"caseworker@birge.example"},
}

// loadCases takes in the demo families.
func loadCases(ctx context.Context, st *store.Store, sys *birge.Actor, centerIDs, personIDs map[string]int64) error {
	today := sys.Today(st.Now())
	for _, d := range familyCases {
		k := birge.Case{CenterID: centerIDs[d.center], IntakeDate: today.AddDate(0, -d.monthsAgo, 0).Format(time.DateOnly),
			Reasons: d.reasons, CameFrom: d.cameFrom, Status: d.status, PartnerIDs: []int64{}, ChildIDs: []int64{}}
		for _, key := range d.partners {
			k.PartnerIDs = append(k.PartnerIDs, personIDs[key])
		}
		for _, key := range d.children {
			k.ChildIDs = append(k.ChildIDs, personIDs[key])
		}
		if d.divorceCourt != "" {
			k.DivorceFiled, k.DivorceCourt = true, d.divorceCourt
			k.DivorceFiledOn = today.AddDate(0, -d.monthsAgo, -10).Format(time.DateOnly)
		}
		if d.psychologist != "" {
			id, err := st.UserIDByEmail(ctx, d.psychologist)
			if err != nil {
				return err
			}
			k.PsychologistID = id
		}
		if _, err := st.Cases.Create(ctx, sys, k); err != nil {
			return fmt.Errorf("case of %v: %w", d.partners, err)
		}
	}
	return nil
}
