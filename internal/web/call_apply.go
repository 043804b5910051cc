package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/birge-org/birge/internal/api"
	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// The public application form of a call (issue 13, decision 0035): no account, one step
// per section of the call's form between "about you" and "review", a draft saved at
// every step, which she comes back to through her private link. No script of its own,
// no images: a phone on a slow network. The public layout carries the quick exit.

// applyTrap is the first step's hidden field: people never see it, robots fill it in.
const applyTrap = "website"

// Steps of the form around the call's sections.
const (
	stepAbout  = "about"
	stepReview = "review"
)

// applySteps are the form's steps: about her, each section in the order the form first
// names it, then the review.
func applySteps(c birge.Call) []string {
	steps := []string{stepAbout}
	for _, f := range c.Form {
		if !slices.Contains(steps, f.Section) {
			steps = append(steps, f.Section)
		}
	}
	return append(steps, stepReview)
}

// applyField is one question as a step draws it.
type applyField struct {
	birge.CallField
	Name, Label string
	Options     []option
	Files       []birge.ApplicationFile
}

// applyPage is what the form's page draws.
type applyPage struct {
	Call            birge.Call
	Title           string
	Ref, Token      string
	Link            string // her private link, to bookmark
	Steps           []string
	Step            int
	StepNo, Of      int    // the step counted from one, of how many
	Key             string // the step's key: about, a section or review
	StepName        string // its catalog key
	Fields          []applyField
	Regions         []option
	Categories      []applyCategory // those the call's rules ask for, to tick
	Income          bool            // the rules ask her household's income
	Trap            string
	Answers         []applyAnswer // the review's summary
	AboutProblem    bool          // something about her is wrong: the review sends her back
	Closes          string
	Currency        string
	FileAction      string
	MaxFiles, Files int
}

// applyCategory is a category of the call's rules, ticked when she says she is in it.
type applyCategory struct {
	Code, Label string
	Checked     bool
}

// applyAnswer is one line of the review.
type applyAnswer struct {
	Label, Value string
	Step         int
	Error        string
}

// applyFormValues writes a saved application into the form's fields: money in whole
// units, as she types it.
func applyFormValues(f *form, app birge.Application) {
	a := app.Applicant
	for name, v := range map[string]string{"family_name": a.FamilyName, "given_name": a.GivenName,
		"patronymic": a.Patronymic, "birth_date": a.BirthDate, "iin": a.IIN, "email": a.Email, "region": a.Region,
		"settlement": a.Settlement} {
		f.Values["applicant."+name] = v
	}
	if len(a.Phones) > 0 {
		f.Values["applicant.phones"] = a.Phones[0]
	}
	if a.Rural {
		f.Values["applicant.rural"] = "on"
	}
	if a.HouseholdIncome != nil {
		f.Values["applicant.household_income"] = wholeUnits(a.HouseholdIncome.Amount)
	}
	if a.HouseholdMembers > 0 {
		f.Values["applicant.household_members"] = strconv.Itoa(a.HouseholdMembers)
	}
	for code, v := range app.Answers {
		switch v := v.(type) {
		case string:
			f.Values["answers."+code] = v
		case float64:
			f.Values["answers."+code] = strconv.FormatInt(int64(v), 10)
		case map[string]any:
			if n, ok := v["amount"].(float64); ok {
				f.Values["answers."+code] = wholeUnits(int64(n))
			}
		}
	}
}

// applicantFromForm reads the about-you step.
func applicantFromForm(f *form, currency string) (birge.Applicant, birge.Problems) {
	pr := birge.Problems{}
	a := birge.Applicant{FamilyName: f.get("applicant.family_name"), GivenName: f.get("applicant.given_name"),
		Patronymic: f.get("applicant.patronymic"), BirthDate: f.get("applicant.birth_date"), IIN: f.get("applicant.iin"),
		Email: f.get("applicant.email"), Region: f.get("applicant.region"), Settlement: f.get("applicant.settlement"),
		Rural: f.get("applicant.rural") != "", Phones: []string{}}
	if p := strings.TrimSpace(f.get("applicant.phones")); p != "" {
		a.Phones = []string{p}
	}
	if v := strings.TrimSpace(f.get("applicant.household_income")); v != "" {
		n, ok := birge.ParseMinorUnits(v)
		if !ok {
			pr.Add("applicant.household_income", "delivery.amount_range")
		}
		a.HouseholdIncome = &birge.Money{Amount: n, Currency: currency}
	}
	if v := strings.TrimSpace(f.get("applicant.household_members")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			pr.Add("applicant.household_members", "field.range")
		}
		a.HouseholdMembers = n
	}
	return a, pr
}

// answersFromForm reads a section's answers as the API takes them; a number or an amount
// that is not one is named beside its field.
func answersFromForm(f *form, c birge.Call, section string, into map[string]json.RawMessage) birge.Problems {
	pr := birge.Problems{}
	for _, fd := range c.Form {
		if fd.Section != section || fd.Type == "file" {
			continue
		}
		name := "answers." + fd.Code
		v := f.get(name)
		if strings.TrimSpace(v) == "" {
			delete(into, fd.Code)
			continue
		}
		var raw any = v
		switch fd.Type {
		case "number":
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil {
				pr.Add(name, "field.number")
				continue
			}
			raw = n
		case "money":
			n, ok := birge.ParseMinorUnits(v)
			if !ok {
				pr.Add(name, "delivery.amount_range")
				continue
			}
			raw = birge.Money{Amount: n, Currency: c.Budget.Currency}
		}
		b, _ := json.Marshal(raw)
		into[fd.Code] = b
	}
	return pr
}

// rawAnswers are saved answers as the store takes them back.
func rawAnswers(app birge.Application) map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	for code, v := range app.Answers {
		b, _ := json.Marshal(v)
		out[code] = b
	}
	return out
}

// applyLoad finds the call and, when the request names one with its token, her
// application (which belongs to that call).
func (s *Server) applyLoad(r *http.Request, ref, token string) (birge.Call, birge.Application, error) {
	ctx, info := r.Context(), request.From(r.Context())
	id := pathInt(r, "id")
	if ref == "" {
		c, err := s.store.Calls.GetOpen(ctx, id)
		return c, birge.Application{}, err
	}
	app, c, err := s.store.Applications.Draft(ctx, info.IP, ref, token)
	if err == nil && c.ID != id {
		err = birge.ErrNotFound
	}
	return c, app, err
}

// applyForm draws a step of the form, or what she submitted.
func (s *Server) applyForm(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	c, app, err := s.applyLoad(r, q.Get("ref"), q.Get("token"))
	if err != nil {
		return err
	}
	if app.Status != "" && app.Status != birge.AppDraft {
		return s.applyDone(w, r, c, app)
	}
	f := newForm()
	applyFormValues(f, app)
	step, _ := strconv.Atoi(q.Get("step"))
	return s.renderApply(w, r, http.StatusOK, f, c, app, q.Get("token"), step)
}

// applyDone tells her the application is in: its reference, and how to check on it.
func (s *Server) applyDone(w http.ResponseWriter, r *http.Request, c birge.Call, app birge.Application) error {
	info := request.From(r.Context())
	return s.render(w, r, http.StatusOK, "public/apply_done", nil, map[string]any{"Title": c.CallTitles.In(info.Lang),
		"Reference": app.Reference})
}

func (s *Server) renderApply(w http.ResponseWriter, r *http.Request, status int, f *form, c birge.Call, app birge.Application,
	token string, step int) error {
	info := request.From(r.Context())
	steps := applySteps(c)
	step = max(0, min(step, len(steps)-1))
	if app.Reference == "" {
		step = 0 // nothing saved yet: she starts with who she is
	}
	pg := applyPage{Call: c, Title: c.CallTitles.In(info.Lang), Ref: app.Reference, Token: token, Steps: steps,
		Step: step, StepNo: step + 1, Of: len(steps), Key: steps[step], StepName: "call.section." + steps[step], Trap: applyTrap, Income: c.Eligibility.IncomePerMember != nil,
		Closes: info.P.DateTime(c.ClosesAt, birge.Location("")), Currency: c.Budget.Currency,
		MaxFiles: birge.MaxApplicationFiles, Files: len(app.Files)}
	if step == 0 || step == len(steps)-1 {
		pg.StepName = "apply.step." + steps[step]
	}
	if app.Reference != "" {
		pg.Link = api.ApplyLink(c.ID, app.Reference, token)
		pg.FileAction = "/competitions/" + strconv.FormatInt(c.ID, 10) + "/apply/files?ref=" + url.QueryEscape(app.Reference) +
			"&token=" + url.QueryEscape(token) + "&step=" + strconv.Itoa(step)
	}
	regions, err := s.store.Applications.Regions(r.Context(), c)
	if err != nil {
		return err
	}
	pg.Regions = []option{{"", "—"}}
	for _, code := range regions {
		pg.Regions = append(pg.Regions, option{code, regionName(code, info.Lang)})
	}
	for k := range f.Errors {
		pg.AboutProblem = pg.AboutProblem || strings.HasPrefix(k, "applicant.")
	}
	labels, err := s.store.Applications.RuleCategories(r.Context(), c, info.Lang)
	if err != nil {
		return err
	}
	ticked := app.Applicant.Categories
	if posted, ok := r.PostForm["applicant.categories"]; ok || r.Method == http.MethodPost && pg.Key == stepAbout {
		ticked = posted
	}
	for _, code := range c.Eligibility.Categories {
		pg.Categories = append(pg.Categories, applyCategory{code, labels[code], slices.Contains(ticked, code)})
	}
	stepOf := map[string]int{}
	for i, k := range steps {
		stepOf[k] = i
	}
	for _, fd := range c.Form {
		af := applyField{CallField: fd, Name: "answers." + fd.Code, Label: fd.CallLabels.In(info.Lang)}
		for _, o := range fd.Options {
			af.Options = append(af.Options, option{o.Code, o.CallLabels.In(info.Lang)})
		}
		for _, file := range app.Files {
			if file.Field == fd.Code {
				af.Files = append(af.Files, file)
			}
		}
		if fd.Section == pg.Key {
			pg.Fields = append(pg.Fields, af)
		}
		if pg.Key == stepReview {
			v := f.get(af.Name)
			if fd.Type == "choice" {
				for _, o := range af.Options {
					if o.Value == v {
						v = o.Label
					}
				}
			}
			if fd.Type == "file" {
				var names []string
				for _, file := range af.Files {
					names = append(names, file.Name)
				}
				v = strings.Join(names, ", ")
			}
			if fd.Type == "money" && v != "" {
				v += " " + c.Budget.Currency
			}
			line := applyAnswer{Label: af.Label, Value: v, Step: stepOf[fd.Section]}
			if key := f.Errors[af.Name]; key != "" {
				line.Error = info.P.T(key)
			}
			pg.Answers = append(pg.Answers, line)
		}
	}
	return s.render(w, r, status, "public/apply", f, pg)
}

// applySave saves the step she sent and takes her to the next (or back, or to submit).
func (s *Server) applySave(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	info := request.From(r.Context())
	ref, token := f.get("ref"), f.get("token")
	c, app, err := s.applyLoad(r, ref, token)
	if err != nil {
		return err
	}
	if app.Status != "" && app.Status != birge.AppDraft {
		return s.applyDone(w, r, c, app)
	}
	steps := applySteps(c)
	step, _ := strconv.Atoi(f.get("step"))
	step = max(0, min(step, len(steps)-1))
	in := store.ApplicationInput{Reference: app.Reference, Token: token, Applicant: app.Applicant,
		Answers: rawAnswers(app), Language: info.Lang, Bot: f.get(applyTrap) != ""}
	var pr birge.Problems
	switch key := steps[step]; key {
	case stepAbout:
		in.Applicant, pr = applicantFromForm(f, c.Budget.Currency)
		in.Applicant.Categories = r.PostForm["applicant.categories"]
	case stepReview:
		in.Submit = f.get("action") == "submit"
	default:
		pr = answersFromForm(f, c, key, in.Answers)
	}
	// What she typed stays on the page whatever is wrong; what she saved before fills the
	// rest of the review.
	shown := newForm()
	applyFormValues(shown, app)
	for k, v := range f.Values {
		shown.Values[k] = v
	}
	if len(pr) > 0 {
		shown.fail(pr.Err())
		return s.renderApply(w, r, http.StatusUnprocessableEntity, shown, c, app, token, step)
	}
	got, err := s.store.Applications.Save(r.Context(), info.IP, c.ID, in)
	if err != nil {
		err = api.ClosedProblem(err, info.P)
		if shown.fail(err) {
			if in.Submit {
				step = len(steps) - 1 // the review lists what is missing, each with its step
			}
			return s.renderApply(w, r, http.StatusUnprocessableEntity, shown, c, app, token, step)
		}
		return err
	}
	if in.Bot {
		return redirect(w, r, "/competitions", "")
	}
	if ref == "" {
		token = got.Token
	}
	next := step + 1
	switch f.get("action") {
	case "back":
		next = step - 1
	case "save":
		next = step
	}
	to := api.ApplyLink(c.ID, got.Reference, token) + "&step=" + strconv.Itoa(max(next, 0))
	return redirect(w, r, to, "apply.saved")
}

// applyFile attaches a file to a file field of her draft; the reference, token, field
// and step travel in the address, so that a body too large to read still comes back to
// its step with the reason beside the field.
func (s *Server) applyFile(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	info := request.From(r.Context())
	if q.Get("ref") == "" {
		return birge.ErrNotFound // a file goes to a saved draft
	}
	c, app, err := s.applyLoad(r, q.Get("ref"), q.Get("token"))
	if err != nil {
		return err
	}
	if app.Status != birge.AppDraft {
		return s.applyDone(w, r, c, app)
	}
	step, _ := strconv.Atoi(q.Get("step"))
	field := q.Get("field")
	_, upload, err := api.ReadApplicationUpload(w, r)
	if err == nil {
		_, err = s.store.Applications.AddFile(r.Context(), info.IP, app.Reference, q.Get("token"), field, upload)
	}
	if err != nil {
		err = api.ClosedProblem(err, info.P)
		f := newForm()
		applyFormValues(f, app)
		if !f.fail(err) {
			return err
		}
		if key, ok := f.Errors["file"]; ok {
			delete(f.Errors, "file")
			f.Errors["file."+field] = key
		}
		return s.renderApply(w, r, http.StatusUnprocessableEntity, f, c, app, q.Get("token"), step)
	}
	return redirect(w, r, api.ApplyLink(c.ID, app.Reference, q.Get("token"))+"&step="+strconv.Itoa(step), "apply.file_added")
}

// applyStatusForm asks for a reference and her phone.
func (s *Server) applyStatusForm(w http.ResponseWriter, r *http.Request) error {
	f := newForm()
	f.Values["reference"] = r.URL.Query().Get("ref")
	return s.render(w, r, http.StatusOK, "public/apply_status", f, nil)
}

// applyStatus tells the status of an application to one who gives its reference and one
// of its applicant's phones; anything else reads as not found.
func (s *Server) applyStatus(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	info := request.From(r.Context())
	status, err := s.store.Applications.Status(r.Context(), info.IP, f.get("reference"), f.get("phone"))
	switch {
	case errors.Is(err, birge.ErrNotFound):
		f.Error = "apply.status_not_found"
		return s.render(w, r, http.StatusNotFound, "public/apply_status", f, nil)
	case birge.KindOf(err) == birge.KindTooMany:
		f.fail(&birge.Error{Kind: birge.KindInvalid, Key: birge.AsError(err).Key, Args: birge.AsError(err).Args})
		return s.render(w, r, http.StatusTooManyRequests, "public/apply_status", f, nil)
	case err != nil:
		return err
	}
	return s.render(w, r, http.StatusOK, "public/apply_status", f, map[string]any{"Status": status,
		"Reference": birge.CleanReference(f.get("reference"))})
}
