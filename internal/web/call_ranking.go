package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// Officers' pages of a call's review (decision 0036): the pool and assignments, the
// ranking with the decision, the fairness figures and the decision letters.

// assignmentGroup is an application with its reviewers, as the assignment page lists it.
type assignmentGroup struct {
	ApplicationID int64
	Reference     string
	Reviewers     []birge.ReviewAssignment
	Short         bool
}

func (s *Server) assignmentsShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderAssignments(w, r, http.StatusOK, nil)
}

func (s *Server) renderAssignments(w http.ResponseWriter, r *http.Request, status int, f *form) error {
	info := request.From(r.Context())
	ctx, a, id := r.Context(), info.Actor, pathInt(r, "id")
	c, err := s.store.Calls.Get(ctx, a, id)
	if err != nil {
		return err
	}
	as, err := s.store.Calls.Assignments(ctx, a, id)
	if err != nil {
		return err
	}
	manage := store.MayManageCalls(a, c.OrgID)
	var candidates []store.Candidate
	if manage {
		if candidates, err = s.store.Calls.Candidates(ctx, a, id); err != nil {
			return err
		}
	}
	if f == nil {
		f = newForm()
		f.Values["per_application"] = strconv.Itoa(max(as.PerApplication, 3))
		if as.ExcludeDistrict {
			f.Values["exclude_district"] = "on"
		}
		for _, x := range candidates {
			key := strconv.FormatInt(x.UserID, 10)
			if x.InPool {
				f.Values["reviewer."+key] = "on"
			}
			f.Values["district."+key] = x.District
		}
	}
	type row struct{ Pick, District fieldView }
	var rows []row
	for _, x := range candidates {
		key := strconv.FormatInt(x.UserID, 10)
		pick := fieldView{Name: "reviewer." + key, Label: x.Name, Value: f.Values["reviewer."+key]}
		d := f.field(info.P, "district."+key, "review.district")
		d.Label = info.P.T("review.district_of", "name", x.Name)
		rows = append(rows, row{pick, d})
	}
	short := map[int64]bool{}
	for _, id := range as.Short {
		short[id] = true
	}
	var groups []assignmentGroup
	for _, x := range as.Items {
		if len(groups) == 0 || groups[len(groups)-1].ApplicationID != x.ApplicationID {
			groups = append(groups, assignmentGroup{ApplicationID: x.ApplicationID, Reference: x.Reference, Short: short[x.ApplicationID]})
		}
		g := &groups[len(groups)-1]
		g.Reviewers = append(g.Reviewers, x)
	}
	return s.render(w, r, status, "call/assignments", f, map[string]any{"Call": c, "Title": c.CallTitles.In(info.Lang),
		"Manage": manage, "Rows": rows, "Groups": groups, "Short": len(as.Short), "Pool": as.ReviewPool})
}

// assignmentsSave names the pool from the page's boxes and assigns.
func (s *Server) assignmentsSave(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	ctx, a, id := r.Context(), request.From(r.Context()).Actor, pathInt(r, "id")
	p := store.ReviewPool{ExcludeDistrict: f.get("exclude_district") != ""}
	p.PerApplication, err = strconv.Atoi(strings.TrimSpace(f.get("per_application")))
	if err != nil {
		p.PerApplication = -1 // refused on its field by the store's check
	}
	for k := range f.Values {
		if key, ok := strings.CutPrefix(k, "reviewer."); ok {
			uid, err := strconv.ParseInt(key, 10, 64)
			if err != nil {
				continue
			}
			p.Reviewers = append(p.Reviewers, birge.CallReviewer{UserID: uid, District: f.get("district." + key)})
		}
	}
	if _, err := s.store.Calls.Assign(ctx, a, id, p); err != nil {
		if !f.fail(err) {
			return err
		}
		for k, v := range f.Errors {
			if key, ok := strings.CutPrefix(k, "reviewer_districts."); ok {
				f.Errors["district."+key] = v
			}
		}
		return s.renderAssignments(w, r, http.StatusUnprocessableEntity, f)
	}
	return redirect(w, r, "/calls/"+strconv.FormatInt(id, 10)+"/assignments", "review.flash_assigned")
}

// rankingShow is the ranking, with the decision form for officers until the decision is
// made.
func (s *Server) rankingShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderRanking(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderRanking(w http.ResponseWriter, r *http.Request, status int, f *form, d *birge.Decision) error {
	info := request.From(r.Context())
	ctx, a, id := r.Context(), info.Actor, pathInt(r, "id")
	c, err := s.store.Calls.Get(ctx, a, id)
	if err != nil {
		return err
	}
	ranked, err := s.store.Calls.Ranking(ctx, a, id)
	if err != nil {
		return err
	}
	done, err := s.store.Calls.Decided(ctx, a, id)
	if err != nil {
		return err
	}
	if f == nil {
		f = newForm()
		f.Values["shortlist"] = strconv.Itoa(c.Awards)
	}
	proposed := map[int64]string{}
	if d != nil {
		for _, set := range []struct {
			status string
			ids    []int64
		}{{birge.AppAwarded, d.Awarded}, {birge.AppShortlisted, d.Shortlisted}, {birge.AppRejected, d.Rejected}} {
			for _, id := range set.ids {
				proposed[id] = set.status
			}
		}
	}
	type row struct {
		N                  int
		Item               birge.Ranked
		Score, Spread      string
		Proposed, Decision string
	}
	rows := make([]row, len(ranked))
	for i, x := range ranked {
		rows[i] = row{N: i + 1, Item: x, Score: info.P.Decimal(x.Score, 1), Spread: info.P.Decimal(x.Spread, 1),
			Proposed: proposed[x.ApplicationID]}
		if x.Status != birge.AppEligible {
			rows[i].Decision = x.Status
		}
	}
	data := map[string]any{"Call": c, "Title": c.CallTitles.In(info.Lang), "Rows": rows, "Decided": done,
		"Manage": store.MayManageCalls(a, c.OrgID), "Decision": d, "Disagreement": birge.Disagreement}
	if d != nil {
		data["Total"] = moneyText(info.P, d.Total)
		data["Budget"] = moneyText(info.P, c.Budget)
	}
	return s.render(w, r, status, "call/ranking", f, data)
}

// decisionsPost answers the decision the form asks for (preview), or makes it (confirm).
// The officer names applications by their references, as the ranking shows them.
func (s *Server) decisionsPost(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	ctx, a, id := r.Context(), request.From(r.Context()).Actor, pathInt(r, "id")
	ranked, err := s.store.Calls.Ranking(ctx, a, id)
	if err != nil {
		return err
	}
	byRef := map[string]int64{}
	for _, x := range ranked {
		byRef[strings.ToUpper(x.Reference)] = x.ApplicationID
	}
	pr := birge.Problems{}
	refs := func(field string) []int64 {
		var out []int64
		for _, ref := range strings.FieldsFunc(f.get(field), func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' }) {
			id, ok := byRef[strings.ToUpper(ref)]
			if !ok {
				pr.Add(field, "decision.not_ranked")
			}
			out = append(out, id)
		}
		return out
	}
	req := birge.DecisionRequest{Include: refs("include"), Exclude: refs("exclude"), Confirm: f.get("confirm") != ""}
	if req.Shortlist, err = strconv.Atoi(strings.TrimSpace(f.get("shortlist"))); err != nil {
		pr.Add("shortlist", "decision.shortlist_range")
	}
	if err := pr.Err(); err != nil {
		f.fail(err)
		return s.renderRanking(w, r, http.StatusUnprocessableEntity, f, nil)
	}
	d, err := s.store.Calls.Decide(ctx, a, id, req)
	if err != nil {
		if !f.fail(err) {
			return err
		}
		return s.renderRanking(w, r, http.StatusUnprocessableEntity, f, nil)
	}
	if req.Confirm {
		return redirect(w, r, "/calls/"+strconv.FormatInt(id, 10)+"/ranking", "decision.flash_made")
	}
	return s.renderRanking(w, r, http.StatusOK, f, &d)
}

// fairnessList lists the decided calls whose fairness the actor may read.
func (s *Server) fairnessList(w http.ResponseWriter, r *http.Request) error {
	items, err := s.store.Calls.DecidedCalls(r.Context(), request.From(r.Context()).Actor)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "call/fairness_list", nil, items)
}

// fairnessShow is the fairness page, after the decision: for officers and analysts.
func (s *Server) fairnessShow(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	f, err := s.store.Calls.Fairness(r.Context(), info.Actor, pathInt(r, "id"))
	if err != nil {
		return err
	}
	type group struct {
		Name                               string
		G                                  store.FairnessGroup
		Mean, ApplicantShare, AwardeeShare string
	}
	groups := func(gs []store.FairnessGroup, name func(string) string) []group {
		out := make([]group, len(gs))
		for i, g := range gs {
			out[i] = group{Name: name(g.Key), G: g, Mean: "—",
				ApplicantShare: info.P.Decimal(g.ApplicantShare, 1), AwardeeShare: info.P.Decimal(g.AwardeeShare, 1)}
			if g.Applications > 0 {
				out[i].Mean = info.P.Decimal(g.Mean, 1)
			}
		}
		return out
	}
	type reviewer struct {
		Name             string
		R                store.FairnessReviewer
		Mean, Difference string
	}
	var reviewers []reviewer
	for i, rv := range f.Reviewers {
		name := rv.Name
		if name == "" {
			name = info.P.T("fairness.reviewer_n", "n", i+1)
		}
		reviewers = append(reviewers, reviewer{Name: name, R: rv, Mean: info.P.Decimal(rv.Mean, 1),
			Difference: signed(info.P, rv.Difference)})
	}
	return s.render(w, r, http.StatusOK, "call/fairness", nil, map[string]any{"F": f, "Title": f.Call.In(info.Lang),
		"CallID": pathInt(r, "id"), "Mean": info.P.Decimal(f.Mean, 1), "Reviewers": reviewers,
		"Regions": groups(f.Regions, func(code string) string { return regionName(code, info.Lang) }),
		"Rural":   groups(f.Rural, func(key string) string { return info.P.T("fairness." + key) })})
}

// signed writes a difference with its sign: "+4.2", "−3.0".
func signed(p *i18n.Printer, x float64) string {
	if x < 0 {
		return "−" + p.Decimal(-x, 1)
	}
	return "+" + p.Decimal(x, 1)
}

// letterShow is an application's decision letter, in the applicant's language, with the
// reviewers' comments as feedback and no reviewer's name.
func (s *Server) letterShow(w http.ResponseWriter, r *http.Request) error {
	l, err := s.store.Calls.Letter(r.Context(), request.From(r.Context()).Actor, pathInt(r, "id"))
	if err != nil {
		return err
	}
	if l.Status != birge.AppAwarded && l.Status != birge.AppShortlisted && l.Status != birge.AppRejected {
		return birge.ErrNotFound
	}
	her := i18n.For(l.Language)
	return s.render(w, r, http.StatusOK, "call/letter", nil, map[string]any{"L": l, "Lang": l.Language,
		"Subject":  her.T("letter.subject", "call", l.CallTitles.In(l.Language), "reference", l.Reference),
		"Greeting": her.T("letter.greeting"), "Decision": her.T("letter." + l.Status),
		"Feedback": her.T("letter.feedback"), "Closing": her.T("letter.closing"), "AppID": pathInt(r, "id")})
}
