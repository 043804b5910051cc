package birge

import (
	"os"
	"strings"
	"testing"
	"time"
)

// TestAwardTranchePlans: shares become amounts that add up to the award exactly, the last
// taking what rounding leaves; amounts must add up to it; a mix, a share out of range,
// none or too many are refused by their field.
func TestAwardTranchePlans(t *testing.T) {
	call := Call{Kind: "business_grant", AwardAmount: Money{Amount: 400_001, Currency: "USD"},
		AwardMin: &Money{Amount: 300_000, Currency: "USD"}}
	today := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	a := Award{Amount: Money{Amount: 400_001, Currency: "USD"}, AgreedOn: "2026-12-01",
		Tranches: []AwardTranche{{Share: 60}, {Share: 40, NeedsEvidence: true}}}
	if err := a.Validate(call, today); err != nil || a.Tranches[0].Amount != 240_000 || a.Tranches[1].Amount != 160_001 ||
		a.Tranches[1].Position != 2 {
		t.Fatalf("60/40 of 400,001: %+v %v", a.Tranches, err)
	}
	for _, c := range []struct {
		tranches []AwardTranche
		field    string
	}{
		{nil, "tranches"},
		{make([]AwardTranche, MaxTranches+1), "tranches"},
		{[]AwardTranche{{Share: 60}, {Share: 50}}, "tranches"},
		{[]AwardTranche{{Share: 101}}, "tranches[0].share"},
		{[]AwardTranche{{Share: 60}, {Amount: 160_001}}, "tranches[1].share"},
		{[]AwardTranche{{Amount: 400_000}}, "tranches"},
		{[]AwardTranche{{Amount: 300_000}, {Amount: 100_001, Share: 0}}, ""},
	} {
		a := Award{Amount: Money{Amount: 400_001, Currency: "USD"}, AgreedOn: "2026-12-01", Tranches: c.tranches}
		err := a.Validate(call, today)
		var got string
		if err != nil {
			for f := range AsError(err).Fields {
				got = f
			}
		}
		if got != c.field {
			t.Errorf("%+v: refused on %q (%v), want %q", c.tranches, got, err, c.field)
		}
	}
	a.Amount.Amount = 299_999
	if err := a.Validate(call, today); err == nil || AsError(err).Fields["amount.amount"] != "award.amount_range" {
		t.Errorf("below award_min: %v", err)
	}
}

// TestExchangeRates: a rate is a decimal of up to six places, kept as millionths; what a
// payment comes to in the award's currency is exact, rounded to the nearest minor unit.
func TestExchangeRates(t *testing.T) {
	for s, want := range map[string]int64{"470.25": 470_250_000, "500": 500_000_000, "0.002": 2000, " 1.5 ": 1_500_000,
		"": 0, "0": 0, "-1": 0, "1,5": 0, "1.1234567": 0, "1e3": 0, "١٢": 0, "9999999999": 0} {
		got, ok := ParseRate(s)
		if ok != (want > 0) || got != want && want > 0 {
			t.Errorf("ParseRate(%q) = %d, %v; want %d", s, got, ok, want)
		}
	}
	if FormatRate(470_250_000) != "470.25" || FormatRate(500_000_000) != "500" {
		t.Error("FormatRate")
	}
	// 1,880,000.00 tenge at 470.25 to the dollar: US$3,997.87 (3997.8734…).
	if got := Convert(188_000_000, 470_250_000); got != 399_787 {
		t.Errorf("Convert = %d", got)
	}
	if got := Convert(MaxMinorUnits, 1); got <= MaxMinorUnits {
		t.Errorf("a conversion beyond any amount: %d", got)
	}
}

// TestAwardTextsNaughtyStrings: every naughty string as a follow-up's note and a
// scholarship's period is accepted or refused by its own field with a text's message,
// and as an evidence file's name is kept as a name that shows and disguises nothing.
func TestAwardTextsNaughtyStrings(t *testing.T) {
	b, err := os.ReadFile("../../testdata/blns.txt")
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]bool{"": true, "field.invalid_chars": true, "field.invalid_utf8": true, "field.single_line": true,
		"field.required": true, "field.too_long": true}
	today := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	aw := Award{Amount: Money{Amount: 400_000, Currency: "USD"}, AgreedOn: "2026-01-10"}
	call := Call{Kind: "scholarship", AwardAmount: Money{Amount: 400_000, Currency: "USD"}}
	n := 0
	for _, v := range strings.Split(string(b), "\n") {
		if v == "" || strings.HasPrefix(v, "#") {
			continue
		}
		n++
		f := AwardFollowUp{Months: 6, Date: "2026-07-10", Note: v}
		if err := f.Validate(aw, today); err != nil && (len(AsError(err).Fields) != 1 || !texts[AsError(err).Fields["note"]]) {
			t.Errorf("note %q: %v", v, err)
		}
		s := Award{Amount: aw.Amount, AgreedOn: "2026-09-01", Period: v, Tranches: []AwardTranche{{Share: 100}}}
		if err := s.Validate(call, today); err != nil && (len(AsError(err).Fields) != 1 || !texts[AsError(err).Fields["period"]]) {
			t.Errorf("period %q: %v", v, err)
		}
		name := EvidenceUpload{Name: v}.CleanName()
		if name == "" || CheckText(name, true, MaxShort, false) != "" && CheckText(name, true, MaxShort, false) != "field.invalid_chars" {
			t.Errorf("file name %q kept as %q", v, name)
		}
	}
	if n < 500 {
		t.Fatalf("only %d naughty strings", n)
	}
}
