package store

import (
	"context"
	"sort"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// Fairness is the page that lets anyone check a call's selection after its decision:
// how each reviewer scored against everyone, how scores and awards fell by region and
// between villages and towns. Counts and means only, never an applicant.
type Fairness struct {
	Call      birge.CallTitles   `json:"call"`
	Mean      float64            `json:"mean"` // of every review, 0–100
	Reviews   int                `json:"reviews"`
	Reviewers []FairnessReviewer `json:"reviewers"`
	Regions   []FairnessGroup    `json:"regions"`
	Rural     []FairnessGroup    `json:"rural"`
	Awarded   int                `json:"awarded"`
	Total     int                `json:"applications"`
}

// FairnessReviewer is one reviewer's scoring against the call's: her mean less the mean
// of all reviews; beyond Leaning points she is harsh (below) or lenient (above).
type FairnessReviewer struct {
	ReviewerID int64   `json:"reviewer_id"`
	Name       string  `json:"name,omitempty"` // only for those who see the call
	Reviews    int     `json:"reviews"`
	Mean       float64 `json:"mean"`
	Difference float64 `json:"difference"`
	Leaning    string  `json:"leaning"` // harsh, lenient or ""
}

// FairnessGroup is a region's or the villages' (Key "rural") or towns' ("urban") share:
// applications, awards, the mean of their reviews, and their shares of all applicants and
// of all awardees in percent.
type FairnessGroup struct {
	Key            string  `json:"key"`
	Applications   int     `json:"applications"`
	Awarded        int     `json:"awarded"`
	Mean           float64 `json:"mean"`
	ApplicantShare float64 `json:"applicant_share"`
	AwardeeShare   float64 `json:"awardee_share"`
	sum            float64
	reviews        int
}

// Leaning is how far, in points of the 0–100 score, a reviewer's mean may stand from the
// call's before she is called harsh or lenient: half of what counts as disagreement.
const Leaning = birge.Disagreement / 2

// Fairness returns a call's fairness figures once its decision is confirmed: for those
// with call.figures in its organisation, reviewers' names only for those who also see the
// call.
func (calls *Calls) Fairness(ctx context.Context, a *birge.Actor, callID int64) (Fairness, error) {
	c := calls.s.read()
	call, err := calls.callByID(ctx, c, callID)
	if err != nil {
		return Fairness{}, err
	}
	if !a.CanIn(birge.PermCallFigures, call.OrgID) {
		return Fairness{}, birge.ErrNotFound
	}
	if done, err := decided(ctx, c, callID); err != nil || !done {
		return Fairness{}, cmpErr(err, &birge.Error{Kind: birge.KindConflict, Key: "decision.not_made"})
	}
	names := a.CanIn(birge.PermCallView, call.OrgID)
	f := Fairness{Call: call.CallTitles, Reviewers: []FairnessReviewer{}, Regions: []FairnessGroup{}, Rural: []FairnessGroup{}}
	rural := map[bool]*FairnessGroup{true: {Key: "rural"}, false: {Key: "urban"}}
	regions := map[string]*FairnessGroup{}
	// One row per application and review (an application without a review once).
	rows, err := c.query(ctx, `SELECT a.id, a.region, a.rural, a.status, r.reviewer_id, u.name, r.score
		FROM applications a LEFT JOIN application_reviews r ON r.application_id = a.id AND r.status = ?
		LEFT JOIN users u ON u.id = r.reviewer_id
		WHERE a.call_id = ? AND a.status IN (?, ?, ?, ?) ORDER BY a.id`,
		append([]any{birge.AssignmentReviewed, callID}, reviewedStatuses...)...)
	if err != nil {
		return f, err
	}
	defer rows.Close()
	reviewers := map[int64]*FairnessReviewer{}
	sums := map[int64]float64{}
	var total float64
	var last int64
	for rows.Next() {
		var id int64
		var region, status string
		var isRural bool
		var reviewer, score *int64
		var name *string
		if err := rows.Scan(&id, &region, &isRural, &status, &reviewer, &name, &score); err != nil {
			return f, err
		}
		g, ok := regions[region]
		if !ok {
			g = &FairnessGroup{Key: region}
			regions[region] = g
		}
		if id != last { // the application, counted once
			last = id
			f.Total++
			g.Applications++
			rural[isRural].Applications++
			if status == birge.AppAwarded {
				f.Awarded++
				g.Awarded++
				rural[isRural].Awarded++
			}
		}
		if reviewer == nil {
			continue
		}
		points := float64(*score) / birge.ScoreUnit
		f.Reviews++
		total += points
		g.sum, g.reviews = g.sum+points, g.reviews+1
		rg := rural[isRural]
		rg.sum, rg.reviews = rg.sum+points, rg.reviews+1
		rv, ok := reviewers[*reviewer]
		if !ok {
			rv = &FairnessReviewer{ReviewerID: *reviewer}
			if names && name != nil {
				rv.Name = *name
			}
			reviewers[*reviewer] = rv
		}
		rv.Reviews++
		sums[*reviewer] += points
	}
	if err := rows.Err(); err != nil {
		return f, err
	}
	if f.Reviews > 0 {
		f.Mean = total / float64(f.Reviews)
	}
	for id, rv := range reviewers {
		rv.Mean = sums[id] / float64(rv.Reviews)
		rv.Difference = rv.Mean - f.Mean
		switch {
		case rv.Difference < -Leaning:
			rv.Leaning = "harsh"
		case rv.Difference > Leaning:
			rv.Leaning = "lenient"
		}
		f.Reviewers = append(f.Reviewers, *rv)
	}
	sort.Slice(f.Reviewers, func(i, j int) bool { return f.Reviewers[i].ReviewerID < f.Reviewers[j].ReviewerID })
	finish := func(g *FairnessGroup) FairnessGroup {
		if g.reviews > 0 {
			g.Mean = g.sum / float64(g.reviews)
		}
		if f.Total > 0 {
			g.ApplicantShare = 100 * float64(g.Applications) / float64(f.Total)
		}
		if f.Awarded > 0 {
			g.AwardeeShare = 100 * float64(g.Awarded) / float64(f.Awarded)
		}
		return *g
	}
	for _, g := range regions {
		f.Regions = append(f.Regions, finish(g))
	}
	sort.Slice(f.Regions, func(i, j int) bool { return f.Regions[i].Key < f.Regions[j].Key })
	f.Rural = append(f.Rural, finish(rural[true]), finish(rural[false]))
	return f, nil
}

// DecidedCall is a call whose decision is made, as the list of fairness pages shows it.
type DecidedCall struct {
	ID         int64            `json:"id"`
	CallTitles birge.CallTitles `json:"call"`
	DecidedAt  time.Time        `json:"decided_at"`
}

// DecidedCalls lists the calls with a decision in the organisations where the actor holds
// call.figures, the latest first: where analysts find the fairness pages.
func (calls *Calls) DecidedCalls(ctx context.Context, a *birge.Actor) ([]DecidedCall, error) {
	all, orgs := callOrgs(a, birge.PermCallFigures)
	if !all && len(orgs) == 0 {
		return nil, birge.ErrForbidden
	}
	w := where{}
	if !all {
		w.conds = append(w.conds, "c.org_id IN ("+placeholders(len(orgs))+")")
		for _, id := range orgs {
			w.args = append(w.args, id)
		}
	}
	rows, err := calls.s.read().query(ctx, `SELECT c.id, c.title_kk, c.title_ru, c.title_ky, c.title_en, d.decided_at
		FROM call_decisions d JOIN calls c ON c.id = d.call_id`+w.sql()+` ORDER BY d.decided_at DESC, c.id DESC`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []DecidedCall{}
	for rows.Next() {
		var d DecidedCall
		if err := rows.Scan(&d.ID, &d.CallTitles.KK, &d.CallTitles.RU, &d.CallTitles.KY, &d.CallTitles.EN, &d.DecidedAt); err != nil {
			return nil, err
		}
		d.DecidedAt = d.DecidedAt.UTC()
		out = append(out, d)
	}
	return out, rows.Err()
}
