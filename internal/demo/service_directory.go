package demo

import (
	"context"
	"fmt"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// directory is the family centre's list of outside services in Aktobe that its workers
// refer people to: the addresses and numbers are made up for the demo.
var directory = []birge.Service{
	{Name: "Ақтөбе дағдарыс орталығы «Шаңырақ»", Kind: "crisis_center", Phone: "+77132550101", Address: "Ақтөбе, Абай даңғылы, 40"},
	{Name: "Әйелдерге арналған баспана", Kind: "shelter", Phone: "+77132550202"},
	{Name: "Заң көмегі орталығы", Kind: "legal_aid", Phone: "+77132550303", Address: "Ақтөбе, Әйтеке би көшесі, 12"},
	{Name: "Полиция: тұрмыстық зорлық-зомбылық бөлімі", Kind: "police", Phone: "+77132550404"},
}

// loadServices fills the family centre's directory.
func loadServices(ctx context.Context, st *store.Store, sys *birge.Actor, orgIDs map[string]int64) error {
	for _, v := range directory {
		v.OrgID = orgIDs["fpc"]
		if _, err := st.Services.Create(ctx, sys, v); err != nil {
			return fmt.Errorf("service %s: %w", v.Name, err)
		}
	}
	return nil
}
