package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/birge-org/birge/internal/api"
	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// The staff pages of awards (decision 0037): a call's awards and the form that makes
// one, an award's page (tranches, evidence upload and approval, payments, follow-ups, a
// scholarship's renewal), the follow-ups due and a call's figures. The award page holds
// several forms; each names its fields with its own prefix (pay.amount, follow.jobs), so
// that a problem shows beside the field of the form that was sent.

// awardTrancheRows is how many tranches the form offers (an award has one to three).
const awardTrancheRows = 3

// awardRow is an award in a call's list.
type awardRow struct {
	birge.Award
	Amount, Paid string
}

// callAwards shows a call's awards, and to its managers the form that makes one.
func (s *Server) callAwards(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	f := newForm()
	f.Values["agreed_on"] = info.Actor.Today(s.store.Now()).Format("2006-01-02")
	f.Values["tranches[0].share"] = "100"
	return s.renderCallAwards(w, r, http.StatusOK, f)
}

func (s *Server) renderCallAwards(w http.ResponseWriter, r *http.Request, status int, f *form) error {
	info := request.From(r.Context())
	ctx, a := r.Context(), info.Actor
	c, err := s.store.Calls.Get(ctx, a, pathInt(r, "id"))
	if err != nil {
		return err
	}
	list, err := s.store.Awards.List(ctx, a, store.AwardFilter{CallID: c.ID})
	if err != nil {
		return err
	}
	rows := make([]awardRow, len(list))
	for i, aw := range list {
		rows[i] = awardRow{Award: aw, Amount: moneyText(info.P, aw.Amount), Paid: moneyText(info.P, aw.Paid)}
	}
	manage := store.MayManageCalls(a, c.OrgID)
	var apps []option
	if manage {
		awardable, err := s.store.Awards.Awardable(ctx, a, c.ID)
		if err != nil {
			return err
		}
		for _, x := range awardable {
			apps = append(apps, option{strconv.FormatInt(x.ID, 10), x.Reference})
		}
	}
	if f.Values["amount"] == "" {
		f.Values["amount"] = wholeUnits(c.AwardAmount.Amount)
	}
	type trancheRow struct{ Share, Evidence fieldView }
	var tranches []trancheRow
	for i := range awardTrancheRows {
		at := "tranches[" + strconv.Itoa(i) + "]."
		row := trancheRow{Share: f.field(info.P, at+"share", "award.share"), Evidence: f.field(info.P, at+"needs_evidence", "award.needs_evidence")}
		// Each row's fields say which tranche they are, for a screen reader reading one.
		row.Share.Label = info.P.T("award.share_n", "n", i+1)
		row.Evidence.Label = info.P.T("award.needs_evidence_n", "n", i+1)
		tranches = append(tranches, row)
	}
	return s.render(w, r, status, "award/list", f, map[string]any{"Call": c, "Title": c.CallTitles.In(info.Lang),
		"Awards": rows, "CanManage": manage, "Applications": apps, "Rows": tranches, "Scholarship": c.Kind == "scholarship",
		"Currency": c.AwardAmount.Currency})
}

// awardCreate makes an award from the form: the amount in whole units, the tranches by
// share (per cent), each ticked when it waits for evidence.
func (s *Server) awardCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	a := request.From(r.Context()).Actor
	c, err := s.store.Calls.Get(r.Context(), a, pathInt(r, "id"))
	if err != nil {
		return err
	}
	aw := birge.Award{ApplicationID: f.int64("application_id"), AgreedOn: f.get("agreed_on"), Period: f.get("period")}
	pr := birge.Problems{}
	aw.Amount = formMoney(f, pr, "amount", c.AwardAmount.Currency)
	for i := range awardTrancheRows {
		at := "tranches[" + strconv.Itoa(i) + "]."
		share := strings.TrimSpace(f.get(at + "share"))
		if share == "" {
			continue
		}
		n, err := strconv.Atoi(share)
		if err != nil {
			pr.Add(at+"share", "award.share_range")
		}
		aw.Tranches = append(aw.Tranches, birge.AwardTranche{Share: n, NeedsEvidence: f.get(at+"needs_evidence") != ""})
	}
	if aw.ApplicationID == 0 {
		pr.Add("application_id", "field.required")
	}
	if len(pr) == 0 {
		var saved birge.Award
		if saved, err = s.store.Awards.Create(r.Context(), a, aw); err == nil {
			return redirect(w, r, "/awards/"+strconv.FormatInt(saved.ID, 10), "flash.saved")
		}
	} else {
		err = &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: pr}
	}
	if !f.fail(err) {
		return err
	}
	if e, ok := f.Errors["amount.amount"]; ok {
		f.Errors["amount"] = e
	}
	// The page writes tranches by share only: a row the store read as an amount (its
	// share was no positive number) is refused beside its share.
	for i := range awardTrancheRows {
		at := "tranches[" + strconv.Itoa(i) + "]."
		if _, ok := f.Errors[at+"amount"]; ok {
			f.Errors[at+"share"] = "award.share_range"
		}
	}
	return s.renderCallAwards(w, r, api.Status(err), f)
}

// formMoney reads an amount typed in whole units ("4000", "1 250,50") as minor units;
// an empty one is zero (the default), one that is not an amount a problem of the field.
func formMoney(f *form, pr birge.Problems, name, currency string) birge.Money {
	v := strings.TrimSpace(f.get(name))
	if v == "" {
		return birge.Money{Currency: currency}
	}
	n, ok := birge.ParseMinorUnits(v)
	if !ok {
		pr.Add(name, "call.amount")
	}
	return birge.Money{Amount: n, Currency: currency}
}

// trancheView is a tranche on the award page.
type trancheView struct {
	birge.AwardTranche
	Amount, Paid, Why string
	Approved          string // when its evidence was approved, in the user's zone
	Payable           bool
	FileError         string
}

// awardShow draws an award.
func (s *Server) awardShow(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	f := newForm()
	today := info.Actor.Today(s.store.Now()).Format("2006-01-02")
	f.Values["pay.date"], f.Values["follow.date"], f.Values["renew.agreed_on"] = today, today, today
	return s.renderAward(w, r, http.StatusOK, f)
}

func (s *Server) renderAward(w http.ResponseWriter, r *http.Request, status int, f *form) error {
	info := request.From(r.Context())
	ctx, a, p := r.Context(), info.Actor, info.P
	aw, err := s.store.Awards.Get(ctx, a, pathInt(r, "id"))
	if err != nil {
		return err
	}
	c, err := s.store.Calls.Get(ctx, a, aw.CallID)
	if err != nil {
		return err
	}
	tranches := make([]trancheView, len(aw.Tranches))
	var payable []option
	for i, t := range aw.Tranches {
		tv := trancheView{AwardTranche: t, Amount: moneyText(p, birge.Money{Amount: t.Amount, Currency: aw.Amount.Currency}),
			Paid: moneyText(p, birge.Money{Amount: t.Paid, Currency: aw.Amount.Currency}), Why: t.Payable()}
		if t.ApprovedAt != nil {
			tv.Approved = p.DateTime(*t.ApprovedAt, a.Location())
		}
		if tv.Why == "" {
			tv.Payable = true
			payable = append(payable, option{strconv.Itoa(t.Position), p.T("award.tranche_n", "n", t.Position) + " · " + tv.Amount})
		} else {
			tv.Why = p.T(tv.Why)
		}
		if key := f.Errors["file-"+strconv.Itoa(t.Position)]; key != "" {
			tv.FileError = p.T(key)
		}
		tranches[i] = tv
	}
	type paymentView struct {
		birge.AwardPayment
		Amount, InAward string
	}
	payments := make([]paymentView, len(aw.Payments))
	for i, pm := range aw.Payments {
		payments[i] = paymentView{AwardPayment: pm, Amount: moneyText(p, pm.Amount),
			InAward: moneyText(p, birge.Money{Amount: pm.AwardAmount, Currency: aw.Amount.Currency})}
	}
	type followView struct {
		birge.AwardFollowUp
		Income string
	}
	follows := make([]followView, len(aw.FollowUps))
	reported := map[int]bool{}
	for i, fu := range aw.FollowUps {
		follows[i] = followView{AwardFollowUp: fu}
		if fu.Income != nil {
			follows[i].Income = moneyText(p, *fu.Income)
		}
		reported[fu.Months] = true
	}
	var months []option
	for _, m := range birge.FollowUpMonths {
		if !reported[m] {
			months = append(months, option{strconv.Itoa(m), p.T("award.months_after", "n", m, "due", p.Day(birge.FollowUpDue(aw.AgreedOn, m)))})
		}
	}
	return s.render(w, r, status, "award/show", f, map[string]any{"Award": aw, "Call": c, "Title": c.CallTitles.In(info.Lang),
		"Amount": moneyText(p, aw.Amount), "Paid": moneyText(p, aw.Paid), "Tranches": tranches, "Payable": payable,
		"Payments": payments, "FollowUps": follows, "Months": months, "CanManage": store.MayManageCalls(a, aw.OrgID),
		"Scholarship": c.Kind == "scholarship", "Currencies": codeOptions(birge.Currencies)})
}

// awardFail shows the award page again with a refused form's problems beside its
// fields, each renamed as the page names it; other errors go up.
func (s *Server) awardFail(w http.ResponseWriter, r *http.Request, f *form, err error, names map[string]string) error {
	if !f.fail(err) {
		return err
	}
	for from, to := range names {
		if key, ok := f.Errors[from]; ok {
			delete(f.Errors, from)
			f.Errors[to] = key
		}
	}
	return s.renderAward(w, r, api.Status(err), f)
}

func awardPage(id int64, anchor string) string {
	return "/awards/" + strconv.FormatInt(id, 10) + "#" + anchor
}

// awardEvidence uploads a receipt or photo for a tranche: its type read from its
// content, at most 5 MB; a refusal is shown beside that tranche's file field.
func (s *Server) awardEvidence(w http.ResponseWriter, r *http.Request) error {
	id, n := pathInt(r, "id"), int(pathInt(r, "tranche"))
	field := "file-" + strconv.Itoa(n)
	f, upload, err := evidenceForm(w, r)
	if err == nil && upload == nil {
		err = &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"file": "outcome.file_empty"}}
	}
	if err == nil {
		_, err = s.store.Awards.AddEvidence(r.Context(), request.From(r.Context()).Actor, id, n, *upload)
	}
	if err == nil {
		return redirect(w, r, awardPage(id, "tranche-"+strconv.Itoa(n)), "flash.saved")
	}
	if f == nil {
		f = newForm()
	}
	return s.awardFail(w, r, f, err, map[string]string{"file": field})
}

// evidenceForm reads a multipart form with one file, "file". A body too large to read
// at all is refused beside the file's field.
func evidenceForm(w http.ResponseWriter, r *http.Request) (*form, *birge.EvidenceUpload, error) {
	r.Body = http.MaxBytesReader(w, r.Body, birge.MaxEvidenceBytes+2<<20)
	f := newForm()
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return f, nil, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"file": "outcome.file_too_large"}}
		}
		return f, nil, &birge.Error{Kind: birge.KindInvalid, Key: "error.bad_form", Fields: birge.Problems{"file": "outcome.file_empty"}, Err: err}
	}
	defer r.MultipartForm.RemoveAll()
	file, head, err := r.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) {
		return f, nil, nil
	}
	if err != nil {
		return f, nil, err
	}
	defer file.Close()
	content, err := io.ReadAll(file)
	return f, &birge.EvidenceUpload{Name: head.Filename, Content: content}, err
}

// awardApprove approves a tranche's evidence.
func (s *Server) awardApprove(w http.ResponseWriter, r *http.Request) error {
	id, n := pathInt(r, "id"), int(pathInt(r, "tranche"))
	_, err := s.store.Awards.Approve(r.Context(), request.From(r.Context()).Actor, id, n)
	if err == nil {
		return redirect(w, r, awardPage(id, "tranche-"+strconv.Itoa(n)), "flash.saved")
	}
	return s.awardFail(w, r, newForm(), err, map[string]string{"tranche": "file-" + strconv.Itoa(n)})
}

// awardPay records a payment from the form: the amount in whole units of the currency
// chosen, with its rate when that is not the award's.
func (s *Server) awardPay(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	id := pathInt(r, "id")
	pr := birge.Problems{}
	tranche, _ := strconv.Atoi(f.get("pay.tranche"))
	p := birge.AwardPayment{Tranche: tranche, Date: f.get("pay.date"), ExchangeRate: f.get("pay.exchange_rate"),
		Amount: formMoney(f, pr, "pay.amount", f.get("pay.currency"))}
	if len(pr) == 0 {
		if _, err = s.store.Awards.Pay(r.Context(), request.From(r.Context()).Actor, id, p); err == nil {
			return redirect(w, r, awardPage(id, "payments"), "flash.saved")
		}
	} else {
		err = &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: pr}
	}
	return s.awardFail(w, r, f, err, map[string]string{"tranche": "pay.tranche", "date": "pay.date",
		"amount.amount": "pay.amount", "amount.currency": "pay.currency", "exchange_rate": "pay.exchange_rate"})
}

// awardFollowUp records a follow-up report from the form.
func (s *Server) awardFollowUp(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	id := pathInt(r, "id")
	a := request.From(r.Context()).Actor
	aw, err := s.store.Awards.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	pr := birge.Problems{}
	months, _ := strconv.Atoi(f.get("follow.months"))
	fu := birge.AwardFollowUp{Months: months, Date: f.get("follow.date"), Operating: f.get("follow.operating") != "",
		Note: f.get("follow.note")}
	if strings.TrimSpace(f.get("follow.income")) != "" {
		m := formMoney(f, pr, "follow.income", aw.Amount.Currency)
		fu.Income = &m
	}
	if v := strings.TrimSpace(f.get("follow.jobs")); v != "" {
		if fu.Jobs, err = strconv.Atoi(v); err != nil {
			pr.Add("follow.jobs", "award.jobs_range")
		}
	}
	if len(pr) == 0 {
		if _, err = s.store.Awards.FollowUp(r.Context(), a, id, fu); err == nil {
			return redirect(w, r, awardPage(id, "follow-ups"), "flash.saved")
		}
	} else {
		err = &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: pr}
	}
	return s.awardFail(w, r, f, err, map[string]string{"months": "follow.months", "date": "follow.date",
		"income.amount": "follow.income", "income.currency": "follow.income", "jobs": "follow.jobs", "note": "follow.note"})
}

// awardRenew gives a scholarship's next period, paid in one tranche at signing.
func (s *Server) awardRenew(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	id := pathInt(r, "id")
	a := request.From(r.Context()).Actor
	aw, err := s.store.Awards.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	pr := birge.Problems{}
	next := birge.Award{AgreedOn: f.get("renew.agreed_on"), Period: f.get("renew.period"),
		Amount: formMoney(f, pr, "renew.amount", aw.Amount.Currency)}
	if len(pr) == 0 {
		var saved birge.Award
		if saved, err = s.store.Awards.Renew(r.Context(), a, id, next); err == nil {
			return redirect(w, r, "/awards/"+strconv.FormatInt(saved.ID, 10), "flash.saved")
		}
	} else {
		err = &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: pr}
	}
	return s.awardFail(w, r, f, err, map[string]string{"agreed_on": "renew.agreed_on", "period": "renew.period",
		"amount.amount": "renew.amount", "amount.currency": "renew.amount"})
}

// awardEvidenceFile downloads an evidence file of an award.
func (s *Server) awardEvidenceFile(w http.ResponseWriter, r *http.Request) error {
	f, content, err := s.store.Awards.Evidence(r.Context(), request.From(r.Context()).Actor, pathInt(r, "id"), pathInt(r, "evidence"))
	if err != nil {
		return err
	}
	api.WriteEvidence(w, f, content)
	return nil
}

// followUpsDue lists the follow-up reports overdue or due within 30 days.
func (s *Server) followUpsDue(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	due, err := s.store.Awards.FollowUpsDue(r.Context(), info.Actor, 0)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "award/due", nil, map[string]any{"Due": due, "Soon": store.FollowUpSoon})
}

// callFigureRow is a count under its name.
type callFigureRow struct {
	Name  string
	Count int
}

// callFigures draws a call's figures: the funnel, applications by region and category,
// money awarded and paid, businesses operating at 12 months. Counts only, never an
// applicant, so analysts see it too.
func (s *Server) callFigures(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	ctx, a, p := r.Context(), info.Actor, info.P
	fig, err := s.store.Awards.Figures(ctx, a, pathInt(r, "id"))
	if err != nil {
		return err
	}
	regions := make([]callFigureRow, len(fig.ByRegion))
	for i, x := range fig.ByRegion {
		regions[i] = callFigureRow{regionName(x.Code, info.Lang), x.Count}
		if x.Code == "" {
			regions[i].Name = p.T("call_figures.not_told")
		}
	}
	cats, err := s.store.Programs.Categories(ctx, a, fig.OrgID)
	if err != nil && birge.KindOf(err) != birge.KindNotFound {
		return err
	}
	categories := make([]callFigureRow, len(fig.ByCategory))
	for i, x := range fig.ByCategory {
		categories[i] = callFigureRow{cats.Label(x.Code, info.Lang), x.Count}
	}
	return s.render(w, r, http.StatusOK, "call/figures", nil, map[string]any{"F": fig, "Title": fig.CallTitles.In(info.Lang),
		"Money": moneyText(p, fig.Money), "Paid": moneyText(p, fig.Paid), "Regions": regions, "Categories": categories,
		"SeesCall": a.CanIn(birge.PermCallView, fig.OrgID)})
}

// figureCalls lists the calls whose figures the user may see, for those (analysts) who
// see no call itself.
func (s *Server) figureCalls(w http.ResponseWriter, r *http.Request) error {
	calls, err := s.store.Awards.FigureCalls(r.Context(), request.From(r.Context()).Actor)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "call/figure_calls", nil, map[string]any{"Calls": calls})
}
