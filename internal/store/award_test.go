package store_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

var (
	receiptPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00")
	programEXE = []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00")
)

// awardFixture is a business-grant call of Belesteri with one woman of its office and
// her awarded application, and another application only submitted.
type awardFixture struct {
	*callFixture
	call               birge.Call
	person             int64
	awarded, submitted int64
}

func newAwardFixture(t *testing.T, st *store.Store, kind string) *awardFixture {
	t.Helper()
	ctx := context.Background()
	fx := &awardFixture{callFixture: newCallFixture(t, st)}
	c := fx.aCall()
	c.Kind = kind
	var err error
	if fx.call, err = st.Calls.Create(ctx, fx.grants, c); err != nil {
		t.Fatalf("call: %v", err)
	}
	centers, err := st.ListCenters(ctx, fx.grants, store.CenterFilter{})
	if err != nil || len(centers) == 0 {
		t.Fatalf("centres: %v", err)
	}
	her, err := st.People.Create(ctx, fx.grants, birge.Person{CenterID: centers[0].ID, GivenName: "Айгүл", FamilyName: "Серікова",
		BirthDate: "1990-03-08"})
	if err != nil {
		t.Fatalf("person: %v", err)
	}
	fx.person = her.ID
	ids := testenv.InsertApplications(t, st, fx.call.ID, []testenv.Application{
		{PersonID: her.ID, Status: "awarded", Region: "KZ75"}, {PersonID: her.ID, Status: "submitted", Region: "KZ75"}})
	fx.awarded, fx.submitted = ids[0], ids[1]
	return fx
}

func fieldKey(err error, field string) string {
	if e := birge.AsError(err); e != nil {
		return e.Fields[field]
	}
	return ""
}

// TestAwardTranchesEvidencePayments: an award of an awarded application in two tranches
// (60 % at signing, 40 % on evidence of purchases); the second cannot be paid before its
// evidence is uploaded and approved, nor beyond its amount; a payment in tenge needs its
// rate; every payment is her delivery, written with it; uploads lying about their type
// or too large are refused by the file's field.
func TestAwardTranchesEvidencePayments(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newAwardFixture(t, st, "business_grant")
		plan := []birge.AwardTranche{{Share: 60}, {Share: 40, NeedsEvidence: true}}
		if _, err := st.Awards.Create(ctx, fx.grants, birge.Award{ApplicationID: fx.submitted, AgreedOn: "2026-12-01",
			Tranches: plan}); fieldKey(err, "application_id") != "award.not_awarded" {
			t.Fatalf("an application only submitted: %v", err)
		}
		if _, err := st.Awards.Create(ctx, fx.analyst, birge.Award{ApplicationID: fx.awarded, AgreedOn: "2026-12-01"}); err == nil {
			t.Fatal("an analyst made an award")
		}
		if _, err := st.Awards.Create(ctx, fx.grants, birge.Award{ApplicationID: fx.awarded, AgreedOn: "2026-12-01",
			Tranches: []birge.AwardTranche{{Share: 60}, {Share: 30}}}); fieldKey(err, "tranches") != "award.shares_sum" {
			t.Fatalf("shares of 90 %%: %v", err)
		}
		if _, err := st.Awards.Create(ctx, fx.grants, birge.Award{ApplicationID: fx.awarded, AgreedOn: "2026-12-01",
			Amount: birge.Money{Amount: 500_000, Currency: "USD"}}); fieldKey(err, "amount.amount") != "award.amount_range" {
			t.Fatalf("more than the call gives: %v", err)
		}
		aw, err := st.Awards.Create(ctx, fx.grants, birge.Award{ApplicationID: fx.awarded, AgreedOn: "2026-12-01", Tranches: plan})
		if err != nil {
			t.Fatalf("award: %v", err)
		}
		if aw.Amount != (birge.Money{Amount: 400_000, Currency: "USD"}) || aw.Tranches[0].Amount != 240_000 ||
			aw.Tranches[1].Amount != 160_000 || aw.PersonID != fx.person {
			t.Fatalf("award as made: %+v", aw)
		}
		if _, err := st.Awards.Create(ctx, fx.grants, birge.Award{ApplicationID: fx.awarded, AgreedOn: "2026-12-01"}); birge.KindOf(err) != birge.KindConflict {
			t.Fatalf("a second award of one application: %v", err)
		}
		deliveries := func() int {
			n, err := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM deliveries WHERE source = 'award' AND source_id = ?`, aw.ID)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		pay := func(tranche int, amount int64, currency, rate string) (birge.Award, error) {
			return st.Awards.Pay(ctx, fx.grants, aw.ID, birge.AwardPayment{Tranche: tranche, Date: "2026-12-20",
				Amount: birge.Money{Amount: amount, Currency: currency}, ExchangeRate: rate})
		}
		if _, err := pay(2, 160_000, "USD", ""); birge.KindOf(err) != birge.KindConflict || fieldKey(err, "tranche") != "award.evidence_missing" {
			t.Fatalf("tranche 2 paid with no evidence: %v", err)
		}
		got, err := pay(1, 240_000, "USD", "")
		if err != nil {
			t.Fatalf("tranche 1: %v", err)
		}
		if got.Paid.Amount != 240_000 || got.Tranches[0].Paid != 240_000 || deliveries() != 1 {
			t.Fatalf("after tranche 1: %+v, %d deliveries", got.Paid, deliveries())
		}
		var d birge.Delivery
		if d, err = st.Deliveries.Get(ctx, fx.grants, got.Payments[0].DeliveryID); err != nil || d.Kind != "grant_payment" ||
			d.Money == nil || *d.Money != (birge.Money{Amount: 240_000, Currency: "USD"}) || d.ProgramID == nil ||
			*d.ProgramID != fx.call.ProgramID || d.PersonID != fx.person || d.Source != store.SourceAward {
			t.Fatalf("her delivery: %+v %v", d, err)
		}
		if _, err := pay(1, 1, "USD", ""); birge.KindOf(err) != birge.KindConflict {
			t.Fatalf("a paid tranche paid again: %v", err)
		}
		// Uploads: a program named as a receipt, a file over 5 MB, then a photo.
		if _, err := st.Awards.AddEvidence(ctx, fx.grants, aw.ID, 2, birge.EvidenceUpload{Name: "receipt.pdf", Content: programEXE}); fieldKey(err, "file") != "outcome.file_type" {
			t.Fatalf("a program as a receipt: %v", err)
		}
		big := append(bytes.Clone(receiptPNG), make([]byte, birge.MaxEvidenceBytes)...)
		if _, err := st.Awards.AddEvidence(ctx, fx.grants, aw.ID, 2, birge.EvidenceUpload{Name: "big.png", Content: big}); fieldKey(err, "file") != "outcome.file_too_large" {
			t.Fatalf("a file too large: %v", err)
		}
		if _, err := st.Awards.Approve(ctx, fx.grants, aw.ID, 2); birge.KindOf(err) != birge.KindConflict {
			t.Fatalf("approved with no evidence: %v", err)
		}
		got, err = st.Awards.AddEvidence(ctx, fx.grants, aw.ID, 2, birge.EvidenceUpload{Name: "чек.png", Content: receiptPNG})
		if err != nil || len(got.Tranches[1].Evidence) != 1 || got.Tranches[1].Evidence[0].Type != "image/png" {
			t.Fatalf("evidence: %+v %v", got.Tranches, err)
		}
		f, content, err := st.Awards.Evidence(ctx, fx.grants, aw.ID, got.Tranches[1].Evidence[0].ID)
		if err != nil || f.Name != "чек.png" || !bytes.Equal(content, receiptPNG) {
			t.Fatalf("evidence read back: %+v %v", f, err)
		}
		if sealed, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM award_evidence WHERE content = ?`, receiptPNG); sealed != 0 {
			t.Fatal("evidence stored in the clear")
		}
		if _, err := pay(2, 160_000, "USD", ""); fieldKey(err, "tranche") != "award.evidence_not_approved" {
			t.Fatalf("paid before approval: %v", err)
		}
		if _, err := st.Awards.Approve(ctx, fx.analyst, aw.ID, 2); err == nil {
			t.Fatal("an analyst approved evidence")
		}
		if got, err = st.Awards.Approve(ctx, fx.grants, aw.ID, 2); err != nil || got.Tranches[1].ApprovedAt == nil {
			t.Fatalf("approve: %v", err)
		}
		if _, err := st.Awards.AddEvidence(ctx, fx.grants, aw.ID, 2, birge.EvidenceUpload{Name: "more.png", Content: receiptPNG}); birge.KindOf(err) != birge.KindConflict {
			t.Fatalf("evidence added after approval: %v", err)
		}
		if _, err := pay(2, 80_000_000, "KZT", ""); fieldKey(err, "exchange_rate") != "award.rate_required" {
			t.Fatalf("tenge with no rate: %v", err)
		}
		if _, err := pay(2, 100_000, "USD", "500"); fieldKey(err, "exchange_rate") != "award.rate_same_currency" {
			t.Fatalf("a rate for dollars: %v", err)
		}
		// 1,000,000 tenge at 500 to the dollar is US$2,000: more than the US$1,600 left.
		if _, err := pay(2, 100_000_000, "KZT", "500"); fieldKey(err, "amount.amount") != "award.over_tranche" {
			t.Fatalf("over-payment: %v", err)
		}
		if deliveries() != 1 {
			t.Fatalf("refused payments left %d deliveries", deliveries())
		}
		got, err = pay(2, 80_000_000, "KZT", "500.00")
		if err != nil {
			t.Fatalf("tranche 2 in tenge: %v", err)
		}
		p := got.Payments[1]
		if p.AwardAmount != 160_000 || p.ExchangeRate != "500" || got.Paid.Amount != 400_000 || deliveries() != 2 {
			t.Fatalf("tranche 2 paid: %+v, paid %v, %d deliveries", p, got.Paid, deliveries())
		}
		again, err := st.Awards.Get(ctx, fx.grants, aw.ID)
		if err != nil || again.Paid.Amount != 400_000 || len(again.Payments) != 2 || again.Tranches[1].ApprovedAt == nil ||
			len(again.Tranches[1].Evidence) != 1 {
			t.Fatalf("read back: %+v %v", again, err)
		}
		list, err := st.Awards.List(ctx, fx.grants, store.AwardFilter{CallID: fx.call.ID})
		if err != nil || len(list) != 1 || list[0].Paid.Amount != 400_000 {
			t.Fatalf("list: %v %v", list, err)
		}
		if _, err := st.Awards.Get(ctx, fx.fpcAdmin, aw.ID); birge.KindOf(err) != birge.KindNotFound {
			t.Fatalf("another organisation's award: %v", err)
		}
		if _, err := st.Awards.List(ctx, fx.analyst, store.AwardFilter{}); err == nil {
			t.Fatal("an analyst listed awards")
		}
	})
}

// TestAwardFollowUps: a follow-up records its outcomes in the same transaction; the due
// list shows what is overdue or due within a month, and no more once reported.
func TestAwardFollowUps(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newAwardFixture(t, st, "business_grant")
		aw, err := st.Awards.Create(ctx, fx.grants, birge.Award{ApplicationID: fx.awarded, AgreedOn: "2026-01-10"})
		if err != nil {
			t.Fatal(err)
		}
		due, err := st.Awards.FollowUpsDue(ctx, fx.grants, 0)
		if err != nil || len(due) != 2 || due[0].Due != "2026-07-10" || !due[0].Overdue || due[1].Due != "2027-01-10" || due[1].Overdue {
			t.Fatalf("due: %+v %v", due, err)
		}
		if _, err := st.Awards.FollowUp(ctx, fx.grants, aw.ID, birge.AwardFollowUp{Months: 6, Date: "2026-07-15",
			Income: &birge.Money{Amount: 30_000, Currency: "KZT"}, Jobs: -1}); err == nil ||
			fieldKey(err, "income.currency") == "" || fieldKey(err, "jobs") == "" {
			t.Fatalf("a follow-up with wrong money and jobs: %v", err)
		}
		got, err := st.Awards.FollowUp(ctx, fx.grants, aw.ID, birge.AwardFollowUp{Months: 6, Date: "2026-07-15", Operating: true,
			Income: &birge.Money{Amount: 60_000, Currency: "USD"}, Jobs: 2, Note: "Наубайхана жұмыс істеп тұр"})
		if err != nil || len(got.FollowUps) != 1 {
			t.Fatalf("follow-up: %v", err)
		}
		kinds := map[string]int64{}
		outs, err := st.Outcomes.List(ctx, fx.grants, store.OutcomeFilter{PersonID: fx.person})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range outs {
			if o.Source == store.SourceAward && o.SourceID == aw.ID && o.Value != nil {
				kinds[o.Kind] = o.Value.Amount
			} else if o.Source == store.SourceAward {
				kinds[o.Kind] = -1
			}
		}
		if len(kinds) != 3 || kinds["business_operating"] != -1 || kinds["business_income"] != 60_000 || kinds["jobs_created"] != 2 {
			t.Fatalf("her outcomes: %v", kinds)
		}
		if _, err := st.Awards.FollowUp(ctx, fx.grants, aw.ID, birge.AwardFollowUp{Months: 6, Date: "2026-07-16"}); fieldKey(err, "months") != "award.followup_done" {
			t.Fatalf("6 months reported twice: %v", err)
		}
		due, _ = st.Awards.FollowUpsDue(ctx, fx.grants, 0)
		if len(due) != 1 || due[0].Months != 12 {
			t.Fatalf("due after the 6-month report: %+v", due)
		}
		if _, err := st.Awards.FollowUp(ctx, fx.grants, aw.ID, birge.AwardFollowUp{Months: 12, Date: "2026-12-30"}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Awards.Figures(ctx, fx.analyst, fx.call.ID); birge.KindOf(err) != birge.KindNotFound {
			t.Fatalf("another organisation's analyst saw the figures: %v", err)
		}
		analyst := *fx.analyst
		analyst.Grants = []birge.Grant{{Role: birge.RoleAnalyst, OrgID: fx.org}}
		f, err := st.Awards.Figures(ctx, &analyst, fx.call.ID)
		if err != nil || f.Reported12 != 1 || f.Operating12 != 0 || f.Awards != 1 || f.Submitted != 2 || f.Awarded != 1 || f.Eligible != 1 {
			t.Fatalf("figures: %+v %v", f, err)
		}
		if _, err := st.Awards.Figures(ctx, fx.coord, fx.call.ID); birge.KindOf(err) != birge.KindNotFound {
			t.Fatalf("a coordinator saw a call's figures: %v", err)
		}
	})
}

// TestScholarshipRenewal: a scholarship's award names its period; renewing it makes the
// next period's award and her outcome scholarship_renewed; a grant is not renewed.
func TestScholarshipRenewal(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newAwardFixture(t, st, "scholarship")
		if _, err := st.Awards.Create(ctx, fx.grants, birge.Award{ApplicationID: fx.awarded, AgreedOn: "2025-09-01"}); fieldKey(err, "period") != "field.required" {
			t.Fatalf("a scholarship with no period: %v", err)
		}
		first, err := st.Awards.Create(ctx, fx.grants, birge.Award{ApplicationID: fx.awarded, AgreedOn: "2025-09-01", Period: "2025/26"})
		if err != nil {
			t.Fatal(err)
		}
		next, err := st.Awards.Renew(ctx, fx.grants, first.ID, birge.Award{AgreedOn: "2026-09-01", Period: "2026/27"})
		if err != nil || next.RenewedFrom == nil || *next.RenewedFrom != first.ID || next.Period != "2026/27" {
			t.Fatalf("renewal: %+v %v", next, err)
		}
		if _, err := st.Awards.Renew(ctx, fx.grants, first.ID, birge.Award{AgreedOn: "2026-10-01", Period: "2026/27b"}); birge.KindOf(err) != birge.KindConflict {
			t.Fatalf("renewed twice: %v", err)
		}
		n, err := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM outcomes WHERE kind = 'scholarship_renewed' AND source = 'award' AND source_id = ?`, next.ID)
		if err != nil || n != 1 {
			t.Fatalf("scholarship_renewed outcomes: %d %v", n, err)
		}
		// Every naughty string as a period: kept exactly, or refused by the period's field.
		b, err := os.ReadFile("../../testdata/blns.txt")
		if err != nil {
			t.Fatal(err)
		}
		texts := map[string]bool{"field.invalid_chars": true, "field.invalid_utf8": true, "field.single_line": true,
			"field.required": true, "field.too_long": true}
		stored := 0
		for _, v := range strings.Split(string(b), "\n") {
			if v == "" || strings.HasPrefix(v, "#") {
				continue
			}
			aw, err := st.Awards.Create(ctx, fx.grants, birge.Award{ApplicationID: fx.awarded, AgreedOn: "2026-09-01", Period: v})
			if err != nil {
				if birge.KindOf(err) == birge.KindConflict {
					continue // the same period as one before
				}
				if !texts[fieldKey(err, "period")] {
					t.Errorf("%q: %v", v, err)
				}
				continue
			}
			stored++
			if got, err := st.Awards.Get(ctx, fx.grants, aw.ID); err != nil || got.Period != v {
				t.Errorf("%q not kept exactly: %v", v, err)
			}
		}
		if stored < 100 {
			t.Errorf("only %d naughty periods stored", stored)
		}
	})
}

// TestAwardFollowsHer: merged into another record, her award follows the application and
// its evidence still opens with the key that sealed it; anonymised, the evidence is
// erased with her and the award stays for the call's figures.
func TestAwardFollowsHer(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newAwardFixture(t, st, "business_grant")
		aw, err := st.Awards.Create(ctx, fx.grants, birge.Award{ApplicationID: fx.awarded, AgreedOn: "2026-12-01",
			Tranches: []birge.AwardTranche{{Share: 100, NeedsEvidence: true}}})
		if err != nil {
			t.Fatal(err)
		}
		if aw, err = st.Awards.AddEvidence(ctx, fx.grants, aw.ID, 1, birge.EvidenceUpload{Name: "чек.png", Content: receiptPNG}); err != nil {
			t.Fatal(err)
		}
		d, err := st.People.Dossier(ctx, fx.admin, fx.person)
		if err != nil || len(d.Awards) != 1 || d.Awards[0].Tranches[0].Evidence[0].Name != "чек.png" {
			t.Fatalf("her dossier's awards: %+v %v", d.Awards, err)
		}
		her, _ := st.People.Get(ctx, fx.admin, fx.person)
		kept, err := st.People.Create(ctx, fx.admin, birge.Person{CenterID: her.CenterID, GivenName: "Айгүл", FamilyName: "Серікова",
			BirthDate: "1990-03-08", Phones: []string{"87015554433"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.People.Merge(ctx, fx.admin, kept.ID, fx.person, birge.MergeChoice{}); err != nil {
			t.Fatalf("merge: %v", err)
		}
		got, err := st.Awards.Get(ctx, fx.grants, aw.ID)
		if err != nil || got.PersonID != kept.ID {
			t.Fatalf("after the merge the award is %d's: %v", got.PersonID, err)
		}
		if _, content, err := st.Awards.Evidence(ctx, fx.grants, aw.ID, aw.Tranches[0].Evidence[0].ID); err != nil || !bytes.Equal(content, receiptPNG) {
			t.Fatalf("evidence after the merge: %v", err)
		}
		if err := st.People.Anonymise(ctx, fx.admin, kept.ID); err != nil {
			t.Fatalf("anonymise: %v", err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM award_evidence`); n != 0 {
			t.Errorf("%d evidence files left after she was anonymised", n)
		}
		f, err := st.Awards.Figures(ctx, fx.grants, fx.call.ID)
		if err != nil || f.Awards != 1 || f.Money.Amount != 400_000 {
			t.Errorf("figures after she was anonymised: %+v %v", f, err)
		}
	})
}
