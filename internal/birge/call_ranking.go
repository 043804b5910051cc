package birge

import (
	"cmp"
	"slices"
	"time"
)

// Ranked is an application's place in its call's ranking: the mean of its reviewers'
// weighted scores (0–100), their spread (the highest less the lowest) and whether they
// disagree beyond Disagreement.
type Ranked struct {
	ApplicationID int64   `json:"application_id"`
	Reference     string  `json:"reference"`
	Score         float64 `json:"score"`
	Spread        float64 `json:"spread"`
	Reviews       int     `json:"reviews"`
	Flagged       bool    `json:"flagged"`
	Status        string  `json:"status"`

	submitted time.Time
	sum, lead int64 // the weighted scores' sum (ScoreUnits) and the first criterion's scores' sum
	min, max  int64
}

// RankInput is one application with its reviews summed up, for Rank: how many, the sum,
// least and most of their weighted scores (ScoreUnits) and the sum of their scores on the
// call's first criterion.
type RankInput struct {
	ApplicationID int64
	Reference     string
	Status        string
	SubmittedAt   time.Time
	Reviews       int
	Sum, Min, Max int64
	Lead          int64
}

// NewRanked makes an application's entry of the ranking.
func NewRanked(in RankInput) Ranked {
	return Ranked{ApplicationID: in.ApplicationID, Reference: in.Reference, Status: in.Status,
		Reviews: in.Reviews, submitted: in.SubmittedAt, sum: in.Sum, lead: in.Lead, min: in.Min, max: in.Max}
}

// Rank finishes the entries and sorts them into rank order: the higher mean score first;
// a tie goes to the higher mean score on the call's first criterion, then to the earlier
// submission, then to the lower id. Applications without a review come last. Means are
// compared as exact fractions of integers, so a tie is a true tie.
func Rank(items []Ranked) {
	for i := range items {
		r := &items[i]
		if r.Reviews > 0 {
			r.Score = float64(r.sum) / float64(r.Reviews) / ScoreUnit
			r.Spread = float64(r.max-r.min) / ScoreUnit
			r.Flagged = r.max-r.min > Disagreement*ScoreUnit
		}
	}
	slices.SortFunc(items, func(a, b Ranked) int {
		if (a.Reviews == 0) != (b.Reviews == 0) {
			if a.Reviews == 0 {
				return 1
			}
			return -1
		}
		if c := cmp.Compare(b.sum*int64(a.Reviews), a.sum*int64(b.Reviews)); c != 0 {
			return c
		}
		if c := cmp.Compare(b.lead*int64(a.Reviews), a.lead*int64(b.Reviews)); c != 0 {
			return c
		}
		if c := a.submitted.Compare(b.submitted); c != 0 {
			return c
		}
		return cmp.Compare(a.ApplicationID, b.ApplicationID)
	})
}

// Decision is what an officer decides for a call: the applications awarded, shortlisted
// and rejected, each list in rank order, and the money the awards take.
type Decision struct {
	Awarded     []int64 `json:"awarded"`
	Shortlisted []int64 `json:"shortlisted"`
	Rejected    []int64 `json:"rejected"`
	Total       Money   `json:"total"`
	Confirmed   bool    `json:"confirmed"`
}

// DecisionRequest is an officer's decision as asked: how many to shortlist after the
// awards, the applications she moves into the awards (Include) or out of them (Exclude),
// and whether it is final.
type DecisionRequest struct {
	Shortlist int     `json:"shortlist"`
	Include   []int64 `json:"include"`
	Exclude   []int64 `json:"exclude"`
	Confirm   bool    `json:"confirm"`
}

// Propose awards the applications of a ranking from the top while they fit — no more than
// the call's number of awards, and awards of award_amount within its budget —, after
// those the officer includes and leaving out those she excludes; shortlists the next
// Shortlist in rank order and rejects the rest. Every application must have been
// reviewed, and an included or excluded one must be in the ranking.
func Propose(ranking []Ranked, call Call, req DecisionRequest) (Decision, error) {
	pr := Problems{}
	slots := call.Awards
	if call.AwardAmount.Amount > 0 && int64(slots) > call.Budget.Amount/call.AwardAmount.Amount {
		slots = int(call.Budget.Amount / call.AwardAmount.Amount)
	}
	in := map[int64]bool{}
	for _, r := range ranking {
		in[r.ApplicationID] = true
		if r.Reviews == 0 {
			pr.Add("ranking", "decision.unreviewed")
		}
	}
	include, exclude := map[int64]bool{}, map[int64]bool{}
	for _, id := range req.Include {
		if !in[id] {
			pr.Add("include", "decision.not_ranked")
		}
		include[id] = true
	}
	for _, id := range req.Exclude {
		if !in[id] {
			pr.Add("exclude", "decision.not_ranked")
		}
		if include[id] {
			pr.Add("exclude", "decision.both")
		}
		exclude[id] = true
	}
	if len(include) > slots {
		pr.Add("include", "decision.include_over")
	}
	if req.Shortlist < 0 || req.Shortlist > len(ranking) {
		pr.Add("shortlist", "decision.shortlist_range")
	}
	if err := pr.Err(); err != nil {
		return Decision{}, err
	}
	d := Decision{Awarded: []int64{}, Shortlisted: []int64{}, Rejected: []int64{}, Confirmed: req.Confirm,
		Total: Money{Currency: call.Budget.Currency}}
	awarded := map[int64]bool{}
	for _, r := range ranking { // the included first, each in her place in the ranking
		if include[r.ApplicationID] {
			awarded[r.ApplicationID] = true
		}
	}
	for _, r := range ranking {
		if len(awarded) >= slots {
			break
		}
		if !exclude[r.ApplicationID] {
			awarded[r.ApplicationID] = true
		}
	}
	for _, r := range ranking {
		switch {
		case awarded[r.ApplicationID]:
			d.Awarded = append(d.Awarded, r.ApplicationID)
			d.Total.Amount += call.AwardAmount.Amount
		case len(d.Shortlisted) < req.Shortlist:
			d.Shortlisted = append(d.Shortlisted, r.ApplicationID)
		default:
			d.Rejected = append(d.Rejected, r.ApplicationID)
		}
	}
	return d, nil
}
