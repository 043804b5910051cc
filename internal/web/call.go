package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/geo"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// The staff pages of competitions (decision 0030): the list of calls, a call's page, the
// call form with its criteria and eligibility rules, and the editor of its application
// form. Every field of the page is named as the API names it (criteria[0].weight,
// eligibility.age_min, budget.amount), so the store's problems land beside their field.

// callList shows the calls the user may see, narrowed by status and kind.
func (s *Server) callList(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	q := r.URL.Query()
	calls, err := s.store.Calls.List(r.Context(), info.Actor, store.CallFilter{Status: q.Get("status"), Kind: q.Get("kind")})
	if err != nil {
		return err
	}
	orgs, err := s.callOrgs(r)
	if err != nil {
		return err
	}
	filter := newForm()
	filter.Values["status"], filter.Values["kind"] = q.Get("status"), q.Get("kind")
	return s.render(w, r, http.StatusOK, "call/list", filter, map[string]any{"Calls": calls, "CanCreate": len(orgs) > 0,
		"Statuses": choices(info, "call.status.", birge.CallStatuses), "Kinds": choices(info, "call.kind.", birge.CallKinds)})
}

// callOrgs are the organisations where the user may announce calls.
func (s *Server) callOrgs(r *http.Request) ([]birge.Organization, error) {
	a := request.From(r.Context()).Actor
	orgs, err := s.store.ListOrgs(r.Context(), a)
	var out []birge.Organization
	for _, o := range orgs {
		if store.MayManageCalls(a, o.ID) {
			out = append(out, o)
		}
	}
	return out, err
}

// callShow draws a call: its texts, times in the user's zone, money, criteria, rules and
// form.
func (s *Server) callShow(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	ctx, a := r.Context(), info.Actor
	c, err := s.store.Calls.Get(ctx, a, pathInt(r, "id"))
	if err != nil {
		return err
	}
	p, err := s.store.Programs.Get(ctx, a, c.ProgramID)
	if err != nil {
		return err
	}
	cats, err := s.store.Programs.Categories(ctx, a, c.OrgID)
	if err != nil {
		return err
	}
	var groups, regions []string
	for _, code := range c.Eligibility.Categories {
		groups = append(groups, cats.Label(code, info.Lang))
	}
	for _, code := range c.Regions {
		regions = append(regions, regionName(code, info.Lang))
	}
	award, income := moneyText(info.P, c.AwardAmount), ""
	if c.AwardMin != nil {
		award = moneyText(info.P, *c.AwardMin) + " – " + award
	}
	if c.Eligibility.IncomePerMember != nil {
		income = moneyText(info.P, *c.Eligibility.IncomePerMember)
	}
	return s.render(w, r, http.StatusOK, "call/show", nil, map[string]any{"Call": c, "Program": p.Names.In(info.Lang),
		"Budget": moneyText(info.P, c.Budget), "Award": award, "IncomeLimit": income,
		"Title": c.CallTitles.In(info.Lang), "Text": c.CallTexts.In(info.Lang), "Groups": groups, "Regions": regions,
		"CanManage": store.MayManageCalls(a, c.OrgID), "Started": c.Started(s.store.Now()),
		"SeesFigures": store.MayCallFigures(a, c.OrgID)})
}

func (s *Server) callNew(w http.ResponseWriter, r *http.Request) error {
	orgs, err := s.callOrgs(r)
	if err != nil {
		return err
	}
	if len(orgs) == 0 {
		return birge.ErrForbidden
	}
	f := newForm()
	f.Values["org_id"] = strconv.FormatInt(orgs[0].ID, 10)
	f.Values["kind"], f.Values["status"], f.Values["currency"] = "business_grant", birge.CallDraft, "KZT"
	return s.renderCallForm(w, r, http.StatusOK, f, 0)
}

func (s *Server) callEdit(w http.ResponseWriter, r *http.Request) error {
	a := request.From(r.Context()).Actor
	c, err := s.store.Calls.Get(r.Context(), a, pathInt(r, "id"))
	if err != nil {
		return err
	}
	if !store.MayManageCalls(a, c.OrgID) {
		return birge.ErrForbidden
	}
	f := newForm()
	callToForm(f, c, a.Location())
	return s.renderCallForm(w, r, http.StatusOK, f, c.ID)
}

// callCriteriaRows is how many empty criteria the form offers beyond those it has (a call has about four).
const callCriteriaRows = 4

// callToForm fills the call form from a call; times in the user's zone, money in whole units.
func callToForm(f *form, c birge.Call, loc *time.Location) {
	v := f.Values
	v["org_id"], v["program_id"], v["kind"] = strconv.FormatInt(c.OrgID, 10), strconv.FormatInt(c.ProgramID, 10), c.Kind
	v["title_kk"], v["title_ru"], v["title_ky"], v["title_en"] = c.CallTitles.KK, c.CallTitles.RU, c.CallTitles.KY, c.CallTitles.EN
	v["text_kk"], v["text_ru"], v["text_ky"], v["text_en"] = c.CallTexts.KK, c.CallTexts.RU, c.CallTexts.KY, c.CallTexts.EN
	v["opens_at"], v["closes_at"] = c.OpensAt.In(loc).Format(localMinute), c.ClosesAt.In(loc).Format(localMinute)
	v["status"] = birge.CallOpen
	if !c.Published {
		v["status"] = birge.CallDraft
	}
	v["currency"], v["budget.amount"] = c.Budget.Currency, wholeUnits(c.Budget.Amount)
	v["award_amount.amount"], v["awards"] = wholeUnits(c.AwardAmount.Amount), strconv.Itoa(c.Awards)
	if c.AwardMin != nil {
		v["award_min.amount"] = wholeUnits(c.AwardMin.Amount)
	}
	for _, code := range c.Regions {
		v["region_"+code] = "on"
	}
	for i, cr := range c.Criteria {
		at := "criteria[" + strconv.Itoa(i) + "]."
		v[at+"code"], v[at+"weight"], v[at+"max"] = cr.Code, strconv.Itoa(cr.Weight), strconv.Itoa(cr.Max)
		v[at+"name_kk"], v[at+"name_ru"], v[at+"name_ky"], v[at+"name_en"] = cr.KK, cr.RU, cr.KY, cr.EN
	}
	e := c.Eligibility
	for _, code := range e.Categories {
		v["cat_"+code] = "on"
	}
	if e.RuralOnly {
		v["eligibility.rural_only"] = "on"
	}
	if e.NoEarlierAward {
		v["eligibility.no_earlier_award"] = "on"
	}
	if e.AgeMin > 0 {
		v["eligibility.age_min"] = strconv.Itoa(e.AgeMin)
	}
	if e.AgeMax > 0 {
		v["eligibility.age_max"] = strconv.Itoa(e.AgeMax)
	}
	if e.IncomePerMember != nil {
		v["eligibility.income_per_member_below.amount"] = wholeUnits(e.IncomePerMember.Amount)
	}
}

// localMinute is how a datetime-local input writes a time.
const localMinute = "2006-01-02T15:04"

// wholeUnits writes minor units as a form shows them: "4000", "1250.50".
func wholeUnits(n int64) string {
	if n%100 == 0 {
		return strconv.FormatInt(n/100, 10)
	}
	return strconv.FormatInt(n/100, 10) + "." + strconv.FormatInt(100+n%100, 10)[1:]
}

// callFromForm reads the call form over a call (its form of questions is kept). Problems
// only the page can see — an amount or a time that is not one, a number that is not —
// are returned to be shown beside their field with the store's.
func callFromForm(f *form, c birge.Call, loc *time.Location) (birge.Call, birge.Problems) {
	pr := birge.Problems{}
	v := f.Values
	c.ProgramID, c.Kind, c.Status = f.int64("program_id"), v["kind"], v["status"]
	c.CallTitles = birge.CallTitles{KK: v["title_kk"], RU: v["title_ru"], KY: v["title_ky"], EN: v["title_en"]}
	c.CallTexts = birge.CallTexts{KK: v["text_kk"], RU: v["text_ru"], KY: v["text_ky"], EN: v["text_en"]}
	for name, dst := range map[string]*time.Time{"opens_at": &c.OpensAt, "closes_at": &c.ClosesAt} {
		*dst = time.Time{}
		if v[name] == "" {
			continue
		}
		t, err := time.ParseInLocation(localMinute, v[name], loc)
		if err != nil {
			pr.Add(name, "call.datetime")
		}
		*dst = t
	}
	cur := v["currency"]
	money := func(name string) (birge.Money, bool) {
		if strings.TrimSpace(v[name]) == "" {
			return birge.Money{Currency: cur}, false
		}
		n, ok := birge.ParseMinorUnits(v[name])
		if !ok {
			pr.Add(name, "call.amount")
		}
		return birge.Money{Amount: n, Currency: cur}, true
	}
	c.Budget, _ = money("budget.amount")
	c.AwardAmount, _ = money("award_amount.amount")
	c.AwardMin = nil
	if m, ok := money("award_min.amount"); ok {
		c.AwardMin = &m
	}
	number := func(name string) int {
		if strings.TrimSpace(v[name]) == "" {
			return 0
		}
		n, err := strconv.Atoi(strings.TrimSpace(v[name]))
		if err != nil {
			pr.Add(name, "field.type")
		}
		return n
	}
	c.Awards = number("awards")
	c.Regions = []string{}
	c.Eligibility = birge.CallEligibility{Categories: []string{}, RuralOnly: v["eligibility.rural_only"] != "",
		NoEarlierAward: v["eligibility.no_earlier_award"] != "",
		AgeMin:         number("eligibility.age_min"), AgeMax: number("eligibility.age_max")}
	if m, ok := money("eligibility.income_per_member_below.amount"); ok {
		c.Eligibility.IncomePerMember = &m
	}
	for k, val := range v {
		if val == "" {
			continue
		}
		if code, ok := strings.CutPrefix(k, "region_"); ok {
			c.Regions = append(c.Regions, code)
		} else if code, ok := strings.CutPrefix(k, "cat_"); ok {
			c.Eligibility.Categories = append(c.Eligibility.Categories, code)
		}
	}
	// Criteria: the rows the form drew; a row left wholly empty is no criterion.
	c.Criteria = []birge.CallCriterion{}
	for i := 0; i < birge.MaxCriteria+callCriteriaRows; i++ {
		at := "criteria[" + strconv.Itoa(i) + "]."
		row := []string{v[at+"code"], v[at+"name_kk"], v[at+"name_ru"], v[at+"name_ky"], v[at+"name_en"], v[at+"weight"], v[at+"max"]}
		if strings.TrimSpace(strings.Join(row, "")) == "" {
			continue
		}
		n := len(c.Criteria)
		to := "criteria[" + strconv.Itoa(n) + "]."
		cr := birge.CallCriterion{Code: v[at+"code"], CallCriterionNames: birge.CallCriterionNames{KK: v[at+"name_kk"],
			RU: v[at+"name_ru"], KY: v[at+"name_ky"], EN: v[at+"name_en"]}}
		var err error
		if cr.Weight, err = strconv.Atoi(strings.TrimSpace(v[at+"weight"])); err != nil {
			pr.Add(to+"weight", "call.weight_range")
		}
		if cr.Max, err = strconv.Atoi(strings.TrimSpace(v[at+"max"])); err != nil {
			pr.Add(to+"max", "call.max_range")
		}
		c.Criteria = append(c.Criteria, cr)
	}
	return c, pr
}

// renumberCriteria writes the criteria read back into the form in the order the store
// saw them, so that its problems (criteria[1].weight) land beside their row.
func renumberCriteria(f *form, c birge.Call) {
	for k := range f.Values {
		if strings.HasPrefix(k, "criteria[") {
			delete(f.Values, k)
		}
	}
	for i, cr := range c.Criteria {
		at := "criteria[" + strconv.Itoa(i) + "]."
		f.Values[at+"code"], f.Values[at+"max"] = cr.Code, strconv.Itoa(cr.Max)
		f.Values[at+"weight"] = strconv.Itoa(cr.Weight)
		f.Values[at+"name_kk"], f.Values[at+"name_ru"], f.Values[at+"name_ky"], f.Values[at+"name_en"] = cr.KK, cr.RU, cr.KY, cr.EN
	}
}

// callCriterionRow is one criterion of the call form.
type callCriterionRow struct {
	N                                 int
	Code, KK, RU, KY, EN, Weight, Max fieldView
}

// renderCallForm draws the call form: texts in the four languages, times, money, regions,
// criteria (those it has and four empty rows) and eligibility rules, without JavaScript.
func (s *Server) renderCallForm(w http.ResponseWriter, r *http.Request, status int, f *form, id int64) error {
	info := request.From(r.Context())
	ctx, a, p := r.Context(), info.Actor, info.P
	orgs, err := s.callOrgs(r)
	if err != nil {
		return err
	}
	var orgOpts, progOpts, catOpts []option
	for _, o := range orgs {
		if id != 0 && o.ID != f.int64("org_id") {
			continue
		}
		orgOpts = append(orgOpts, option{strconv.FormatInt(o.ID, 10), o.Names.In(info.Lang)})
		cats, err := s.store.Programs.Categories(ctx, a, o.ID)
		if err != nil {
			return err
		}
		for _, c := range cats {
			if !c.Retired || f.get("cat_"+c.Code) != "" {
				catOpts = append(catOpts, option{c.Code, c.Names.In(info.Lang)})
			}
		}
	}
	programs, err := s.store.Programs.List(ctx, a, store.ProgramFilter{})
	if err != nil {
		return err
	}
	i18n.Sort(info.P, programs, func(p birge.Program) string { return p.Names.In(info.Lang) })
	for _, pr := range programs {
		for _, o := range orgOpts {
			if o.Value == strconv.FormatInt(pr.OrgID, 10) {
				progOpts = append(progOpts, option{strconv.FormatInt(pr.ID, 10), pr.Names.In(info.Lang)})
			}
		}
	}
	var regions []option
	for _, country := range geo.Countries {
		for _, rg := range geo.Regions(country) {
			regions = append(regions, option{rg.Code, rg.Names.In(info.Lang)})
		}
	}
	n := 0
	for f.get("criteria["+strconv.Itoa(n)+"].code") != "" || f.get("criteria["+strconv.Itoa(n)+"].name_kk") != "" {
		n++
	}
	var rows []callCriterionRow
	for i := 0; i < n+callCriteriaRows && i < birge.MaxCriteria; i++ {
		at := "criteria[" + strconv.Itoa(i) + "]."
		rows = append(rows, callCriterionRow{N: i + 1, Code: f.field(p, at+"code", "call.criterion_code"),
			KK: f.field(p, at+"name_kk", "field.name_kk"), RU: f.field(p, at+"name_ru", "field.name_ru"),
			KY: f.field(p, at+"name_ky", "field.name_ky"), EN: f.field(p, at+"name_en", "field.name_en"),
			Weight: f.field(p, at+"weight", "call.weight"), Max: f.field(p, at+"max", "call.max")})
	}
	return s.render(w, r, status, "call/form", f, map[string]any{"ID": id, "Orgs": orgOpts, "Programs": progOpts,
		"Categories": catOpts, "Regions": regions, "Criteria": rows,
		"Kinds":      choices(info, "call.kind.", birge.CallKinds),
		"Statuses":   choices(info, "call.publish.", []string{birge.CallDraft, birge.CallOpen}),
		"Currencies": codeOptions(birge.CallCurrencies), "Zone": a.Location().String()})
}

// callSave writes a call read from the form with save; a problem only the page sees
// stops it before the store, shown with every problem the call's own checks find.
func (s *Server) callSave(w http.ResponseWriter, r *http.Request, f *form, c birge.Call, pr birge.Problems,
	save func(birge.Call) (birge.Call, error)) error {
	var err error
	if len(pr) > 0 {
		check := c
		err = check.Validate()
		if err == nil {
			err = &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{}}
		}
		for k, v := range pr {
			birge.AsError(err).Fields[k] = v
		}
	} else {
		var saved birge.Call
		if saved, err = save(c); err == nil {
			return redirect(w, r, "/calls/"+strconv.FormatInt(saved.ID, 10), "flash.saved")
		}
	}
	if !f.fail(err) {
		return err
	}
	renumberCriteria(f, c)
	for k, v := range pr {
		f.Errors[k] = v
	}
	if e, ok := f.Errors["organization_id"]; ok {
		f.Errors["org_id"] = e
	}
	if e, ok := f.Errors["budget.currency"]; ok {
		f.Errors["currency"] = e
	}
	return s.renderCallForm(w, r, http.StatusUnprocessableEntity, f, c.ID)
}

func (s *Server) callCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	a := request.From(r.Context()).Actor
	c, pr := callFromForm(f, birge.Call{OrgID: f.int64("org_id")}, a.Location())
	return s.callSave(w, r, f, c, pr, func(c birge.Call) (birge.Call, error) { return s.store.Calls.Create(r.Context(), a, c) })
}

// callUpdate saves the call form over the call as it is: its form of questions stays.
func (s *Server) callUpdate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	a := request.From(r.Context()).Actor
	old, err := s.store.Calls.Get(r.Context(), a, pathInt(r, "id"))
	if err != nil {
		return err
	}
	f.Values["org_id"] = strconv.FormatInt(old.OrgID, 10)
	c, pr := callFromForm(f, old, a.Location())
	c.UpdatedAt = time.Time{} // the page saves over what is there now
	return s.callSave(w, r, f, c, pr, func(c birge.Call) (birge.Call, error) { return s.store.Calls.Update(r.Context(), a, c) })
}

// callFieldRow is one question of the form editor.
type callFieldRow struct {
	N                                        int
	Pos, Code, Section, Type, KK, RU, KY, EN fieldView
	Options, Required, Remove                fieldView
}

// callFormEdit draws the editor of a call's application form.
func (s *Server) callFormEdit(w http.ResponseWriter, r *http.Request) error {
	a := request.From(r.Context()).Actor
	c, err := s.store.Calls.Get(r.Context(), a, pathInt(r, "id"))
	if err != nil {
		return err
	}
	if !store.MayManageCalls(a, c.OrgID) {
		return birge.ErrForbidden
	}
	f := newForm()
	fieldsToForm(f, c.Form)
	return s.renderCallFormEditor(w, r, http.StatusOK, f, c)
}

// fieldsToForm writes a form's fields as the editor's rows, numbered in order; options
// one a line: code | kk | ru | ky | en.
func fieldsToForm(f *form, fields []birge.CallField) {
	for k := range f.Values {
		if strings.HasPrefix(k, "form[") {
			delete(f.Values, k)
		}
	}
	for i, fd := range fields {
		at := "form[" + strconv.Itoa(i) + "]."
		v := f.Values
		v[at+"pos"], v[at+"code"], v[at+"section"], v[at+"type"] = strconv.Itoa(i+1), fd.Code, fd.Section, fd.Type
		v[at+"label_kk"], v[at+"label_ru"], v[at+"label_ky"], v[at+"label_en"] = fd.KK, fd.RU, fd.KY, fd.EN
		if fd.Required {
			v[at+"required"] = "on"
		}
		var lines []string
		for _, o := range fd.Options {
			lines = append(lines, strings.Join([]string{o.Code, o.KK, o.RU, o.KY, o.EN}, " | "))
		}
		v[at+"options"] = strings.Join(lines, "\n")
	}
}

// fieldsFromForm reads the editor's rows: a row ticked for removal or left empty is
// dropped, the rest ordered by their number (ties keep the page's order).
func fieldsFromForm(f *form) []birge.CallField {
	type row struct {
		pos   int
		field birge.CallField
	}
	var rows []row
	for i := 0; i <= birge.MaxCallFields; i++ {
		at := "form[" + strconv.Itoa(i) + "]."
		v := f.Values
		if v[at+"remove"] != "" || strings.TrimSpace(v[at+"code"]+v[at+"label_kk"]+v[at+"label_ru"]+v[at+"label_ky"]+v[at+"label_en"]) == "" {
			continue
		}
		fd := birge.CallField{Code: v[at+"code"], Section: v[at+"section"], Type: v[at+"type"], Required: v[at+"required"] != "",
			Options: []birge.CallOption{}, CallLabels: birge.CallLabels{KK: v[at+"label_kk"], RU: v[at+"label_ru"],
				KY: v[at+"label_ky"], EN: v[at+"label_en"]}}
		for _, line := range strings.Split(strings.ReplaceAll(v[at+"options"], "\r", ""), "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			parts := strings.Split(line, "|")
			for len(parts) < 5 {
				parts = append(parts, "")
			}
			for j := range parts {
				parts[j] = strings.TrimSpace(parts[j])
			}
			fd.Options = append(fd.Options, birge.CallOption{Code: parts[0], CallLabels: birge.CallLabels{KK: parts[1],
				RU: parts[2], KY: parts[3], EN: strings.Join(parts[4:], "|")}})
		}
		pos, err := strconv.Atoi(strings.TrimSpace(v[at+"pos"]))
		if err != nil {
			pos = i + 1
		}
		rows = append(rows, row{pos, fd})
	}
	slices.SortStableFunc(rows, func(a, b row) int { return a.pos - b.pos })
	out := make([]birge.CallField, len(rows))
	for i, rw := range rows {
		out[i] = rw.field
	}
	return out
}

// callFormSave saves the edited form of a call that has not opened.
func (s *Server) callFormSave(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	a := request.From(r.Context()).Actor
	c, err := s.store.Calls.Get(r.Context(), a, pathInt(r, "id"))
	if err != nil {
		return err
	}
	c.Form = fieldsFromForm(f)
	c.UpdatedAt = time.Time{}
	if _, err := s.store.Calls.Update(r.Context(), a, c); err != nil {
		if !f.fail(err) {
			return err
		}
		// Problems of an option are shown on the field's box of options.
		for k, v := range f.Errors {
			if i := strings.Index(k, ".options["); i > 0 {
				f.Errors[k[:i]+".options"] = v
			}
		}
		fieldsToForm(f, c.Form)
		return s.renderCallFormEditor(w, r, http.StatusUnprocessableEntity, f, c)
	}
	return redirect(w, r, "/calls/"+strconv.FormatInt(c.ID, 10)+"#form", "flash.saved")
}

// renderCallFormEditor draws the form's fields as rows (and one empty row to add a
// field), each with its number in the order, without JavaScript.
func (s *Server) renderCallFormEditor(w http.ResponseWriter, r *http.Request, status int, f *form, c birge.Call) error {
	info := request.From(r.Context())
	p := info.P
	n := 0
	for f.get("form["+strconv.Itoa(n)+"].code") != "" || f.get("form["+strconv.Itoa(n)+"].label_kk") != "" {
		n++
	}
	var rows []callFieldRow
	for i := 0; i <= n && i < birge.MaxCallFields; i++ {
		at := "form[" + strconv.Itoa(i) + "]."
		if i == n {
			f.Values[at+"pos"] = strconv.Itoa(n + 1)
		}
		rows = append(rows, callFieldRow{N: i + 1, Pos: f.field(p, at+"pos", "call.field_position"),
			Code:    f.field(p, at+"code", "call.field_code"),
			Section: f.choice(p, at+"section", "call.field_section", choices(info, "call.section.", birge.CallSections)),
			Type:    f.choice(p, at+"type", "call.field_type", choices(info, "call.type.", birge.CallFieldTypes)),
			KK:      f.field(p, at+"label_kk", "call.label_kk"), RU: f.field(p, at+"label_ru", "call.label_ru"),
			KY: f.field(p, at+"label_ky", "call.label_ky"), EN: f.field(p, at+"label_en", "call.label_en"),
			Options:  f.field(p, at+"options", "call.field_options"),
			Required: f.field(p, at+"required", "call.field_required"), Remove: f.field(p, at+"remove", "call.field_remove")})
	}
	return s.render(w, r, status, "call/fields", f, map[string]any{"Call": c, "Title": c.CallTitles.In(info.Lang),
		"Rows": rows, "Locked": c.Started(s.store.Now())})
}

// competitionList is the public page of calls open now, each in the visitor's language,
// for anyone with no account; light, for a phone on a slow network.
func (s *Server) competitionList(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	calls, err := s.store.Calls.ListOpen(r.Context(), store.CallFilter{})
	if err != nil {
		return err
	}
	type item struct {
		Call        birge.Call
		Title, Text string
		Regions     []string
		Closes      string
	}
	loc := birge.Location("") // a visitor has no zone of her own: the centres' (Almaty's)
	list := make([]item, len(calls))
	for i, c := range calls {
		list[i] = item{Call: c, Title: c.CallTitles.In(info.Lang), Text: c.CallTexts.In(info.Lang),
			Closes: info.P.DateTime(c.ClosesAt, loc)}
		for _, code := range c.Regions {
			list[i].Regions = append(list[i].Regions, regionName(code, info.Lang))
		}
	}
	return s.render(w, r, http.StatusOK, "public/competitions", nil, list)
}
