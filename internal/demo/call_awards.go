package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// receiptPDF is the demo's photographed receipt: a one-page PDF, as an officer would
// upload for a tranche.
var receiptPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
	"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// CallAwards gives every awarded application of a closed call that has no award yet
// its award, as the grant officer would have over the months since (decision 0037), and
// returns how many it made. The agreement is signed a month after the call closed.
//
// A business grant is paid 60 % at signing and 40 % on evidence of purchases: the
// evidence of all but every fifth award is uploaded, approved and paid a month after
// signing (every fifth waits for its receipts, to show an officer what is pending), and
// the follow-ups that have fallen due are reported — nine businesses in ten operating,
// with their income and jobs — except every seventh, left overdue.
//
// A scholarship is one award per academic period, paid at signing, starting in the
// September after the call closed; it is renewed each September since, on results, for
// all but every sixth child.
//
// The demo's loader calls it once the call's applications and decisions are written.
func CallAwards(ctx context.Context, st *store.Store, callID int64) (int, error) {
	sys := birge.System("demo")
	call, err := st.Calls.Get(ctx, sys, callID)
	if err != nil {
		return 0, err
	}
	apps, err := st.Awards.Awardable(ctx, sys, callID)
	if err != nil {
		return 0, err
	}
	today := birge.Day(st.Now(), birge.Location("Asia/Almaty"))
	signed := birge.Day(call.ClosesAt, birge.Location("Asia/Almaty")).AddDate(0, 1, 0)
	if signed.After(today) {
		return 0, fmt.Errorf("call %d closed too recently for its awards to be signed", callID)
	}
	for i, app := range apps {
		if call.Kind == "scholarship" {
			err = scholarship(ctx, st, sys, app.ID, i, signed, today)
		} else {
			err = grant(ctx, st, sys, call, app.ID, i, signed, today)
		}
		if err != nil {
			return i, fmt.Errorf("award of application %s: %w", app.Reference, err)
		}
	}
	return len(apps), nil
}

const day = time.DateOnly

// grant makes the i-th business grant: its tranches, evidence, payments and follow-ups.
func grant(ctx context.Context, st *store.Store, sys *birge.Actor, call birge.Call, app int64, i int, signed, today time.Time) error {
	aw, err := st.Awards.Create(ctx, sys, birge.Award{ApplicationID: app, AgreedOn: signed.Format(day),
		Tranches: []birge.AwardTranche{{Share: 60}, {Share: 40, NeedsEvidence: true}}})
	if err != nil {
		return err
	}
	cur := aw.Amount.Currency
	first := aw.Tranches[0]
	if aw, err = st.Awards.Pay(ctx, sys, aw.ID, birge.AwardPayment{Tranche: 1, Date: signed.Format(day),
		Amount: birge.Money{Amount: first.Amount, Currency: cur}}); err != nil {
		return err
	}
	second, bought := aw.Tranches[1], signed.AddDate(0, 1, 0)
	if i%5 == 4 || bought.After(today) {
		return nil // waits for her receipts
	}
	if _, err := st.Awards.AddEvidence(ctx, sys, aw.ID, 2, birge.EvidenceUpload{
		Name: fmt.Sprintf("receipts-%d.pdf", i+1), Content: receiptPDF}); err != nil {
		return err
	}
	if _, err := st.Awards.Approve(ctx, sys, aw.ID, 2); err != nil {
		return err
	}
	if _, err := st.Awards.Pay(ctx, sys, aw.ID, birge.AwardPayment{Tranche: 2, Date: bought.Format(day),
		Amount: birge.Money{Amount: second.Amount, Currency: cur}}); err != nil {
		return err
	}
	for _, months := range birge.FollowUpMonths {
		due := signed.AddDate(0, months, 0)
		if due.After(today) || i%7 == 6 {
			continue
		}
		operating := i%10 != 9
		f := birge.AwardFollowUp{Months: months, Date: due.Format(day), Operating: operating}
		if operating {
			// Monthly income of a village business: a quarter to a half of the grant.
			f.Income = &birge.Money{Amount: aw.Amount.Amount * int64(25+i%26) / 100, Currency: cur}
			f.Jobs = 1 + i%3
		}
		if _, err := st.Awards.FollowUp(ctx, sys, aw.ID, f); err != nil {
			return err
		}
	}
	return nil
}

// scholarship makes the i-th child's scholarship: a period from the September after the
// call, paid at signing, renewed each September since unless her results fell short.
func scholarship(ctx context.Context, st *store.Store, sys *birge.Actor, app int64, i int, signed, today time.Time) error {
	start := time.Date(signed.Year(), time.September, 1, 0, 0, 0, 0, time.UTC)
	if start.Before(signed) {
		start = start.AddDate(1, 0, 0)
	}
	if start.After(today) {
		start = signed
	}
	period := func(t time.Time) string { return fmt.Sprintf("%d/%02d", t.Year(), (t.Year()+1)%100) }
	aw, err := st.Awards.Create(ctx, sys, birge.Award{ApplicationID: app, AgreedOn: start.Format(day), Period: period(start)})
	if err != nil {
		return err
	}
	for {
		if _, err := st.Awards.Pay(ctx, sys, aw.ID, birge.AwardPayment{Tranche: 1, Date: aw.AgreedOn, Amount: aw.Amount}); err != nil {
			return err
		}
		next, _ := time.Parse(day, aw.AgreedOn)
		next = next.AddDate(1, 0, 0)
		if next.After(today) || i%6 == 5 {
			return nil
		}
		if aw, err = st.Awards.Renew(ctx, sys, aw.ID, birge.Award{AgreedOn: next.Format(day), Period: period(next)}); err != nil {
			return err
		}
	}
}
