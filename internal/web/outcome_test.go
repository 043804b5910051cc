package web

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/birge-org/birge/internal/birge"
)

// testPDF is a small file that is a PDF by its content.
var testPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// outcomeFixtures are outcomes recorded by hand of the women of Aktobe and Bishkek, with
// an evidence file: one to read and change, one for each delete route, one whose file
// is removed.
func outcomeFixtures(t *testing.T, s *site, fx *fixture) {
	ctx, sys := context.Background(), birge.System("test")
	for _, who := range []string{"aktobe", "kg"} {
		for _, key := range []string{who, who + "-web", who + "-api", who + "-file"} {
			o, err := s.st.Outcomes.Record(ctx, sys, birge.Outcome{PersonID: fx.ids["person:"+who], Date: "2026-06-01",
				Kind: "employed", Upload: &birge.EvidenceUpload{Name: "contract.pdf", Content: testPDF}})
			if err != nil {
				t.Fatal(err)
			}
			fx.ids["outcome:"+key] = o.ID
		}
	}
}

func outcomeValues(*fixture) any {
	return url.Values{"outcome_kind": {"business_started"}, "outcome_date": {"2026-06-02"}, "evidence": {"Патент"}}
}

func outcomeJSON(key string) func(fx *fixture) any {
	return func(fx *fixture) any {
		return fmt.Sprintf(`{"person_id": %d, "date": "2026-06-02", "kind": "income_increased", "value": {"amount": 5000000, "currency": "KZT"}}`, fx.ids[key])
	}
}

func pdfBody(*fixture) any { return testPDF }
