package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// newLines is how many empty budget lines the form offers for new ones: without
// JavaScript a form cannot grow, so a budget of more lines is saved and edited again.
const newLines = 3

func (s *Server) fundingNew(w http.ResponseWriter, r *http.Request) error {
	orgs, err := s.fundingOrgs(r)
	if err != nil {
		return err
	}
	if len(orgs) == 0 {
		return birge.ErrForbidden
	}
	f := newForm()
	f.Values["org_id"] = strconv.FormatInt(orgs[0].ID, 10)
	f.Values["donor_kind"], f.Values["currency"] = "foundation", "KZT"
	return s.renderFundingForm(w, r, http.StatusOK, f, 0, newLines)
}

func (s *Server) fundingEdit(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	award, err := s.store.Funding.Get(r.Context(), info.Actor, pathInt(r, "id"))
	if err != nil {
		return err
	}
	if !s.store.Funding.MayManage(info.Actor, award.OrgID) {
		return birge.ErrForbidden
	}
	f := newForm()
	for k, v := range map[string]string{"org_id": strconv.FormatInt(award.OrgID, 10), "donor": award.Donor,
		"donor_kind": award.DonorKind, "reference": award.Reference, "amount": plainAmount(award.Amount.Amount),
		"currency": award.Amount.Currency, "starts_on": award.StartsOn, "ends_on": award.EndsOn} {
		f.Values[k] = v
	}
	for _, id := range award.ProgramIDs {
		f.Values["prg_"+strconv.FormatInt(id, 10)] = "on"
	}
	for _, id := range award.IndicatorIDs {
		f.Values["ind_"+strconv.FormatInt(id, 10)] = "on"
	}
	for i, l := range award.BudgetLines {
		n := strconv.Itoa(i)
		f.Values["line_id_"+n], f.Values["line_name_"+n] = strconv.FormatInt(l.ID, 10), l.Name
		f.Values["line_planned_"+n] = plainAmount(l.Planned.Amount)
	}
	return s.renderFundingForm(w, r, http.StatusOK, f, award.ID, len(award.BudgetLines)+newLines)
}

// plainAmount writes minor units as the form takes them back: "18870" or "18870.50".
func plainAmount(n int64) string {
	if n%100 == 0 {
		return strconv.FormatInt(n/100, 10)
	}
	return strconv.FormatInt(n/100, 10) + "." + strconv.FormatInt(100+n%100, 10)[1:]
}

// lineField is one row of the budget in the form.
type lineField struct {
	N                 string
	Name, Planned, ID fieldView
}

// renderFundingForm draws the award form: its fields, the programmes of the
// organisation it may fund as ticked boxes, and rows budget lines.
func (s *Server) renderFundingForm(w http.ResponseWriter, r *http.Request, status int, f *form, id int64, rows int) error {
	info := request.From(r.Context())
	orgs, err := s.fundingOrgs(r)
	if err != nil {
		return err
	}
	var orgOpts, programOpts, indicatorOpts []option
	offered := map[int64]bool{}
	for _, o := range orgs {
		if id == 0 || o.ID == f.int64("org_id") {
			orgOpts = append(orgOpts, option{strconv.FormatInt(o.ID, 10), o.Names.In(info.Lang)})
			offered[o.ID] = true
		}
	}
	if !info.Actor.ScopeOf(birge.PermProgramView).Empty() {
		programs, err := s.store.Programs.List(r.Context(), info.Actor, store.ProgramFilter{})
		if err != nil {
			return err
		}
		for _, p := range programs {
			if !offered[p.OrgID] {
				continue
			}
			programOpts = append(programOpts, option{strconv.FormatInt(p.ID, 10), p.Names.In(info.Lang)})
			defined, err := s.store.Indicators.Defined(r.Context(), info.Actor, p.ID)
			if err != nil {
				return err
			}
			for _, in := range defined {
				indicatorOpts = append(indicatorOpts, option{strconv.FormatInt(in.ID, 10),
					p.Names.In(info.Lang) + ": " + in.Names.In(info.Lang)})
			}
		}
	}
	lines := make([]lineField, rows)
	for i := range lines {
		n := strconv.Itoa(i)
		lines[i] = lineField{N: n, Name: f.field(info.P, "line_name_"+n, "funding.budget_line"),
			Planned: f.field(info.P, "line_planned_"+n, "funding.planned"), ID: f.field(info.P, "line_id_"+n, "")}
	}
	currencies := codeOptions(birge.FundingCurrencies)
	return s.render(w, r, status, "funding/form", f, map[string]any{"ID": id, "Orgs": orgOpts,
		"Programs": programOpts, "Indicators": indicatorOpts, "Lines": lines, "Currencies": currencies,
		"DonorKinds": choices(info, "funding.donor_kind.", birge.DonorKinds)})
}

// fundingFromForm reads the form. A budget row with neither name nor amount is no line;
// rows maps each line to its row, for the errors. Amounts that are not amounts are kept
// as -1, refused by the store, and then said to be so beside their field.
func fundingFromForm(f *form) (award birge.Funding, rows []string, bad []string, total int) {
	amount, ok := birge.ParseMinorUnits(f.get("amount"))
	if !ok {
		amount, bad = -1, append(bad, "amount")
	}
	award = birge.Funding{OrgID: f.int64("org_id"), Donor: f.get("donor"), DonorKind: f.get("donor_kind"),
		Reference: f.get("reference"), Amount: birge.Money{Amount: amount, Currency: f.get("currency")},
		StartsOn: f.get("starts_on"), EndsOn: f.get("ends_on"), ProgramIDs: []int64{}, IndicatorIDs: []int64{},
		BudgetLines: []birge.BudgetLine{}}
	for k, v := range f.Values {
		for prefix, list := range map[string]*[]int64{"prg_": &award.ProgramIDs, "ind_": &award.IndicatorIDs} {
			if id, found := strings.CutPrefix(k, prefix); found && v != "" {
				n, err := strconv.ParseInt(id, 10, 64)
				if err != nil {
					n = -1 // no such record: refused by the store
				}
				*list = append(*list, n)
			}
		}
	}
	for ; total < 200; total++ {
		n := strconv.Itoa(total)
		if _, present := f.Values["line_name_"+n]; !present {
			break
		}
		name, planned := f.get("line_name_"+n), f.get("line_planned_"+n)
		if name == "" && planned == "" {
			continue
		}
		p, ok := birge.ParseMinorUnits(planned)
		if !ok {
			p, bad = -1, append(bad, "line_planned_"+n)
		}
		award.BudgetLines = append(award.BudgetLines, birge.BudgetLine{ID: f.int64("line_id_" + n), Name: name,
			Planned: birge.Money{Amount: p, Currency: award.Amount.Currency}})
		rows = append(rows, n)
	}
	return award, rows, bad, total
}

// fundingErrorsToForm puts the store's errors beside the form's fields.
func fundingErrorsToForm(f *form, rows, bad []string) {
	moveError(f, "organization_id", "org_id")
	moveError(f, "amount.amount", "amount")
	moveError(f, "amount.currency", "currency")
	for i, n := range rows {
		at := "budget_lines[" + strconv.Itoa(i) + "]."
		moveError(f, at+"name", "line_name_"+n)
		moveError(f, at+"planned.amount", "line_planned_"+n)
		moveError(f, at+"planned.currency", "line_planned_"+n)
		moveError(f, at+"id", "budget_lines")
	}
	for _, field := range bad {
		if f.Errors[field] != "" {
			f.Errors[field] = "funding.amount_format"
		}
	}
}

func (s *Server) fundingCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	award, rows, bad, total := fundingFromForm(f)
	award, err = s.store.Funding.Create(r.Context(), request.From(r.Context()).Actor, award)
	if err != nil {
		if f.fail(err) {
			fundingErrorsToForm(f, rows, bad)
			return s.renderFundingForm(w, r, http.StatusUnprocessableEntity, f, 0, total)
		}
		return err
	}
	return redirect(w, r, "/funding/"+strconv.FormatInt(award.ID, 10), "flash.saved")
}

// fundingUpdate saves the form over the award; its deadlines are kept, as the form does
// not hold them (the award's page edits them).
func (s *Server) fundingUpdate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	a, id := request.From(r.Context()).Actor, pathInt(r, "id")
	old, err := s.store.Funding.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	award, rows, bad, total := fundingFromForm(f)
	award.ID, award.OrgID, award.Deadlines = id, old.OrgID, old.Deadlines
	if _, err := s.store.Funding.Update(r.Context(), a, award); err != nil {
		if f.fail(err) {
			f.Values["org_id"] = strconv.FormatInt(old.OrgID, 10)
			fundingErrorsToForm(f, rows, bad)
			return s.renderFundingForm(w, r, http.StatusUnprocessableEntity, f, id, total)
		}
		return err
	}
	return redirect(w, r, "/funding/"+strconv.FormatInt(id, 10), "flash.saved")
}
