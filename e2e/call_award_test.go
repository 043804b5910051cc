package e2e

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// awardedGrant writes, beside the running server, what the public form and the review
// would have brought about (other modules'): a closed business-grant call of Belesteri,
// a woman's awarded application and its award of US$4,000 — 60 % at signing, 40 % on
// evidence of purchases. It returns the call's and the award's ids.
func awardedGrant(t *testing.T, srv *server) (int64, int64) {
	t.Helper()
	ctx, sys := context.Background(), birge.System("e2e")
	st, err := store.Open(ctx, "", srv.Data)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.SetClock(func() time.Time { return testenv.Evening })
	programs, err := st.Programs.List(ctx, sys, store.ProgramFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var program birge.Program
	for _, p := range programs {
		if p.Names.EN == "Business grants for rural women" {
			program = p
		}
	}
	centers, err := st.ListCenters(ctx, sys, store.CenterFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var office birge.Center
	for _, c := range centers {
		if c.Names.EN == "Belesteri programme office" {
			office = c
		}
	}
	opens := testenv.Evening.AddDate(0, -3, 0)
	call, err := st.Calls.Create(ctx, sys, birge.Call{OrgID: program.OrgID, Kind: "business_grant", ProgramID: program.ID,
		CallTitles: birge.CallTitles{KK: "Ауыл әйелдеріне бизнес-грант", RU: "Бизнес-гранты сельским женщинам",
			KY: "Айыл аялдарына бизнес-грант", EN: "Business grants for rural women"},
		CallTexts: birge.CallTexts{KK: "Ауылдың мәселесін шешетін бизнес", RU: "Бизнес, который решает проблему села",
			KY: "Айылдын көйгөйүн чечкен бизнес", EN: "A business that solves a problem of the village"},
		OpensAt: opens, ClosesAt: opens.AddDate(0, 1, 0), Budget: birge.Money{Amount: 20_000_000, Currency: "USD"},
		AwardAmount: birge.Money{Amount: 400_000, Currency: "USD"}, Awards: 50, Status: birge.CallDraft})
	if err != nil {
		t.Fatal(err)
	}
	her, err := st.People.Create(ctx, sys, birge.Person{CenterID: office.ID, GivenName: "Гүлжан", FamilyName: "Әлиева",
		BirthDate: "1987-04-12"})
	if err != nil {
		t.Fatal(err)
	}
	apps := testenv.InsertApplications(t, st, call.ID, []testenv.Application{{PersonID: her.ID, Status: "awarded", Region: "KZ75"}})
	aw, err := st.Awards.Create(ctx, sys, birge.Award{ApplicationID: apps[0], AgreedOn: today.AddDate(0, 0, -20).Format(time.DateOnly),
		Tranches: []birge.AwardTranche{{Share: 60}, {Share: 40, NeedsEvidence: true}}})
	if err != nil {
		t.Fatal(err)
	}
	return call.ID, aw.ID
}

// Belesteri's grant officer, in Russian, opens the call's awards and the award: a
// program renamed as a receipt is refused beside the second tranche's file field; she
// uploads the photographed receipt, approves it, pays the second tranche, and the award
// reads US$4,000 paid; the call's figures say so too. Every screen passes axe.
func TestOfficerPaysATrancheOnEvidence(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	callID, awardID := awardedGrant(t, srv)
	p := newTabFor(t, srv, time.Minute)
	const officer = "grants@birge.example"
	p.login(officer, srv.password(t, officer))
	ru := i18n.For("ru")
	call, award := "/calls/"+strconv.FormatInt(callID, 10), "/awards/"+strconv.FormatInt(awardID, 10)
	p.screen(call+"/awards", http.StatusOK)
	p.screen(award, http.StatusOK)

	dir := t.TempDir()
	exe, png := filepath.Join(dir, "чек.pdf"), filepath.Join(dir, "чек.png")
	if err := os.WriteFile(exe, append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 256)...), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(png, []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"), 0o600); err != nil {
		t.Fatal(err)
	}
	const upload = `form[action$="/tranches/2/evidence"] button[type=submit]`
	p.do("choose a renamed program", chromedp.SetUploadFiles("#f-file-2", []string{exe}))
	if resp := p.submit(upload); resp.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a program as a receipt: status %d; the page says:\n%s", resp.Status, p.body())
	}
	if got := p.text("#e-file-2"); got != ru.T("outcome.file_type") {
		t.Errorf("beside the file: %q", got)
	}
	p.axe("the award, a receipt refused")
	p.do("choose the receipt", chromedp.SetUploadFiles("#f-file-2", []string{png}))
	if resp := p.submit(upload); resp.Status != http.StatusOK {
		t.Fatalf("the receipt: status %d; the page says:\n%s", resp.Status, p.body())
	}
	if !strings.Contains(p.text("#tranche-2"), "чек.png") {
		t.Errorf("the second tranche lists no receipt:\n%s", p.text("#tranche-2"))
	}
	if p.exists(`select[name="pay.tranche"] option[value="2"]`) {
		t.Error("the second tranche is offered for payment before its evidence is approved")
	}
	p.axe("the award with a receipt")
	if resp := p.submit(`form[action$="/tranches/2/approve"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("approve: status %d", resp.Status)
	}
	for id, v := range map[string]string{"f-pay.tranche": "2", "f-pay.date": today.Format(time.DateOnly),
		"f-pay.amount": "1600", "f-pay.currency": "USD"} {
		p.setField(id, v)
	}
	if resp := p.submit(`form[action$="/payments#payments"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("pay: status %d; the page says:\n%s", resp.Status, p.body())
	}
	paid := ru.Number(1600) + " USD" // as the app writes money
	if got := p.text("#tranche-2"); !strings.Contains(got, paid) {
		t.Errorf("the second tranche after payment: %q, want %q paid", got, paid)
	}
	p.axe("the award, a tranche paid")
	p.screen("/awards/follow-ups", http.StatusOK)
	p.screen(call+"/figures", http.StatusOK)
	if got := p.text("#fig-paid"); got != paid {
		t.Errorf("the figures' money paid: %q, want %q", got, paid)
	}
}
