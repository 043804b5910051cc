package web

import (
	"net/http"
	"strconv"

	"github.com/birge-org/birge/internal/api"
	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// The staff's pages of applications (decision 0035): a call's submitted applications,
// narrowed by status and region, and an application's page with who she is, her
// answers, her files to download and the rules' answer, which an officer may override
// with a written reason. Reviewers read applications blind, on their own pages.

// reasonText is a rule's reason in the reader's language.
func reasonText(info *request.Info, r birge.EligibilityReason) string {
	var pairs []any
	for k, v := range r.Params {
		pairs = append(pairs, k, v)
	}
	return info.P.T(r.Key, pairs...)
}

// callApplications lists a call's submitted applications.
func (s *Server) callApplications(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	ctx, a, q := r.Context(), info.Actor, r.URL.Query()
	c, err := s.store.Calls.Get(ctx, a, pathInt(r, "id"))
	if err != nil {
		return err
	}
	filter := newForm()
	filter.Values["status"], filter.Values["region"] = q.Get("status"), q.Get("region")
	apps, err := s.store.Applications.List(ctx, a, c.ID, store.ApplicationFilter{Status: q.Get("status"), Region: q.Get("region")})
	if err != nil {
		if filter.fail(err) {
			apps = nil
		} else {
			return err
		}
	}
	type row struct {
		App     birge.Application
		Region  string
		Reasons []string
	}
	rows := make([]row, len(apps))
	for i, x := range apps {
		rows[i] = row{App: x, Region: regionName(x.Region, info.Lang)}
		for _, rs := range x.EligibilityReasons {
			rows[i].Reasons = append(rows[i].Reasons, reasonText(info, rs))
		}
	}
	regions := []option{}
	for _, code := range c.Regions {
		regions = append(regions, option{code, regionName(code, info.Lang)})
	}
	return s.render(w, r, http.StatusOK, "call/applications", filter, map[string]any{"Call": c,
		"Title": c.CallTitles.In(info.Lang), "Rows": rows, "Regions": regions,
		"Statuses": choices(info, "application.status.", birge.ApplicationStatuses[1:])})
}

// renderStaffApplication draws an application for the call's staff: who she is, her
// answers and files, the rules' answer and the officer's override (a reviewer's blind
// page is renderApplication's).
func (s *Server) renderStaffApplication(w http.ResponseWriter, r *http.Request, status int, f *form) error {
	info := request.From(r.Context())
	ctx, a := r.Context(), info.Actor
	app, err := s.store.Applications.Get(ctx, a, pathInt(r, "id"))
	if err != nil {
		return err
	}
	c, err := s.store.Calls.Get(ctx, a, app.CallID)
	if err != nil {
		return err
	}
	type answer struct {
		Label, Value string
		Files        []birge.ApplicationFile
	}
	var answers []answer
	for _, fd := range c.Form {
		x := answer{Label: fd.CallLabels.In(info.Lang)}
		switch v := app.Answers[fd.Code].(type) {
		case string:
			x.Value = v
			for _, o := range fd.Options {
				if o.Code == v {
					x.Value = o.CallLabels.In(info.Lang)
				}
			}
		case float64:
			x.Value = info.P.Number(int(v))
		case map[string]any:
			if n, ok := v["amount"].(float64); ok {
				x.Value = moneyText(info.P, birge.Money{Amount: int64(n), Currency: c.Budget.Currency})
			}
		}
		for _, file := range app.Files {
			if file.Field == fd.Code {
				x.Files = append(x.Files, file)
			}
		}
		answers = append(answers, x)
	}
	var reasons []string
	for _, rs := range app.EligibilityReasons {
		reasons = append(reasons, reasonText(info, rs))
	}
	income := ""
	if app.Applicant.HouseholdIncome != nil {
		income = moneyText(info.P, *app.Applicant.HouseholdIncome)
	}
	canOverride := store.MayManageCalls(a, c.OrgID) && (app.Status == birge.AppEligible || app.Status == birge.AppIneligible)
	return s.render(w, r, status, "call/application_staff", f, map[string]any{"App": app, "Call": c,
		"Title": c.CallTitles.In(info.Lang), "Answers": answers, "Reasons": reasons, "Income": income,
		"Place": placeName(info.P, app.Applicant.Region, app.Applicant.District), "CanOverride": canOverride})
}

// applicationFile downloads one of an application's files, for the call's staff only.
func (s *Server) applicationFile(w http.ResponseWriter, r *http.Request) error {
	f, content, err := s.store.Applications.File(r.Context(), request.From(r.Context()).Actor, pathInt(r, "id"), pathInt(r, "file"))
	if err != nil {
		return err
	}
	api.WriteEvidence(w, birge.EvidenceFile{Name: f.Name, Type: f.Type, Size: f.Size}, content)
	return nil
}

// applicationOverride sets an application eligible or not against the rules, with the
// officer's reason.
func (s *Server) applicationOverride(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	id := pathInt(r, "id")
	_, err = s.store.Applications.Override(r.Context(), request.From(r.Context()).Actor, id, f.get("eligible") == "yes", f.get("reason"))
	if err != nil {
		if f.fail(err) {
			return s.renderStaffApplication(w, r, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	return redirect(w, r, "/applications/"+strconv.FormatInt(id, 10), "application.overridden")
}
