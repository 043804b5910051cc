package birge

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/birge-org/birge/internal/geo"
)

// Review of applications to a call (decision 0036): officers name a pool of reviewers and
// how many review each application; Assign spreads the applications over the pool; each
// reviewer scores her applications blind, or declares a conflict of interest and is
// replaced.

// CallReviewer is a reviewer in a call's pool, with the district she comes from as the
// officer states it for this call ("" when not stated: she is from no applicant's
// district).
type CallReviewer struct {
	UserID   int64  `json:"user_id"`
	Name     string `json:"name"`
	District string `json:"district"`
}

// ReviewAssignment is one reviewer on one application. Status is assigned until she
// scores it (reviewed) or declares a conflict of interest (conflict).
type ReviewAssignment struct {
	ID            int64     `json:"id"`
	ApplicationID int64     `json:"application_id"`
	Reference     string    `json:"reference"`
	ReviewerID    int64     `json:"reviewer_id"`
	ReviewerName  string    `json:"reviewer_name"`
	Status        string    `json:"status"`
	CreatedAt     time.Time `json:"created_at"`
}

// Assignment statuses.
const (
	AssignmentAssigned = "assigned"
	AssignmentReviewed = "reviewed"
	AssignmentConflict = "conflict"
)

// Review is a reviewer's scores of an application, one per criterion code, with her
// comment, and the weighted score they make (WeightedScore).
type Review struct {
	ID            int64          `json:"id"`
	ApplicationID int64          `json:"application_id"`
	ReviewerID    int64          `json:"reviewer_id"`
	ReviewerName  string         `json:"reviewer_name"`
	Scores        map[string]int `json:"scores"`
	Comment       string         `json:"comment"`
	Score         float64        `json:"score"` // weighted, 0–100
	ReviewedAt    time.Time      `json:"reviewed_at"`
}

// Limits of an assignment: a pool larger than this is not a panel but a crowd, and an
// application read by more than MaxPerApplication reviewers is not reviewed better.
const (
	MaxReviewPool     = 500
	MaxPerApplication = 10
)

// Disagreement is the spread, in points of the 0–100 score, beyond which reviewers are
// said to disagree about an application and it is flagged for moderation.
const Disagreement = 20

// ScoreUnit is the weighted score's unit: millionths of a point, so that the ranking sums
// and compares integers and two applications tie only when they truly do.
const ScoreUnit = 1_000_000

// CheckScores checks a reviewer's scores against the call's criteria: every criterion
// scored, none unknown, each a whole number from 0 to its max; and her comment.
func CheckScores(criteria []CallCriterion, scores map[string]int, comment string) error {
	pr := Problems{}
	known := map[string]bool{}
	for _, c := range criteria {
		known[c.Code] = true
		s, ok := scores[c.Code]
		switch {
		case !ok:
			pr.Add("scores."+c.Code, "field.required")
		case s < 0 || s > c.Max:
			pr.Add("scores."+c.Code, "review.score_range")
		}
	}
	for code := range scores {
		if !known[code] {
			pr.Add("scores."+code, "review.criterion_unknown")
		}
	}
	pr.Add("comment", CheckText(comment, false, MaxLong, true))
	return pr.Err()
}

// WeightedScore is a review's score on 0–100, in ScoreUnits: Σ weight × score ⁄ max over
// the criteria (the weights sum to 100), each term rounded half up to a millionth.
func WeightedScore(criteria []CallCriterion, scores map[string]int) int64 {
	var sum int64
	for _, c := range criteria {
		if c.Max > 0 {
			sum += (int64(c.Weight)*int64(scores[c.Code])*ScoreUnit*2/int64(c.Max) + 1) / 2
		}
	}
	return sum
}

// AssignApplication is what assignment knows of an application: who reviews it already
// (assigned, reviewed or in conflict: none of them is assigned again) and her district.
type AssignApplication struct {
	ID       int64
	District string
	Active   int     // reviewers assigned or reviewed, not in conflict
	Taken    []int64 // every reviewer already on it, conflicts included
}

// Assignment is one new reviewer for one application.
type Assignment struct{ ApplicationID, ReviewerID int64 }

// AssignReviewers gives each application reviewers until it has perApp active ones: each
// time the least-loaded reviewer of the pool (load counts what she has in the call
// already), ties to the lower user id, who is not on it yet and, when excludeDistrict, not
// from its district. Without districts the loads end at most one apart. It returns the
// new assignments and the applications left short of reviewers.
func AssignReviewers(apps []AssignApplication, pool []CallReviewer, load map[int64]int, perApp int, excludeDistrict bool) (out []Assignment, short []int64) {
	for _, a := range apps {
		for need := perApp - a.Active; need > 0; need-- {
			r, ok := LeastLoaded(pool, load, a.Taken, a.District, excludeDistrict)
			if !ok {
				short = append(short, a.ID)
				break
			}
			out = append(out, Assignment{ApplicationID: a.ID, ReviewerID: r})
			a.Taken = append(a.Taken, r)
			load[r]++
		}
	}
	return out, short
}

// LeastLoaded picks the reviewer of the pool with the fewest applications, ties to the
// lower user id, who is not in taken and, when excludeDistrict, not from district. It is
// also who replaces a reviewer who declares a conflict of interest.
func LeastLoaded(pool []CallReviewer, load map[int64]int, taken []int64, district string, excludeDistrict bool) (int64, bool) {
	var best int64
	found := false
	for _, r := range pool {
		if slices.Contains(taken, r.UserID) || excludeDistrict && SameDistrict(r.District, district) {
			continue
		}
		if !found || load[r.UserID] < load[best] || load[r.UserID] == load[best] && r.UserID < best {
			best, found = r.UserID, true
		}
	}
	return best, found
}

// SameDistrict reports whether a reviewer's district is the applicant's: both stated and
// the same district (districtKey).
func SameDistrict(a, b string) bool {
	ka, kb := districtKey(a), districtKey(b)
	return ka != "" && ka == kb
}

// districtKey is what a district is compared by. An application holds a Kazakh district
// by its code and a Kyrgyz one as typed; an officer states a reviewer's as she knows it.
// So a code of the reference list, or a name of one of its districts in any of the four
// languages (with or without the word for district), is that code; anything else is the
// text, ignoring case and spaces around.
func districtKey(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if d, ok := geo.LookupDistrict(strings.ToUpper(s)); ok {
		return d.Code
	}
	for _, word := range []string{" district", " ауданы", " району", " район", " р-н"} {
		s = strings.TrimSpace(strings.TrimSuffix(s, word))
	}
	if code := districtNames()[s]; code != "" {
		return code
	}
	return s
}

// districtNames maps every name of a district in the reference list, lower-cased, to its
// code; a name two districts share maps to "" and is compared as text.
var districtNames = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for _, c := range geo.Countries {
		for _, r := range geo.Regions(c) {
			for _, d := range geo.Districts(r.Code) {
				for _, name := range []string{d.Names.KK, d.Names.RU, d.Names.KY, d.Names.EN} {
					key := strings.ToLower(strings.TrimSpace(name))
					if other, ok := m[key]; ok && other != d.Code {
						m[key] = ""
					} else if key != "" {
						m[key] = d.Code
					}
				}
			}
		}
	}
	return m
})

// CheckPool checks an assignment request's numbers and districts; the store checks that
// each reviewer holds the reviewer role in the call's organisation.
func CheckPool(pool []CallReviewer, perApp int) error {
	pr := Problems{}
	switch {
	case len(pool) == 0:
		pr.Add("reviewer_ids", "field.required")
	case len(pool) > MaxReviewPool:
		pr.Add("reviewer_ids", "review.pool_large")
	}
	seen := map[int64]bool{}
	for _, r := range pool {
		if seen[r.UserID] {
			pr.Add("reviewer_ids", "review.reviewer_twice")
		}
		seen[r.UserID] = true
		pr.Add("reviewer_districts."+strconv.FormatInt(r.UserID, 10), CheckText(r.District, false, MaxName, false))
	}
	switch {
	case perApp < 1 || perApp > MaxPerApplication:
		pr.Add("per_application", "review.per_application_range")
	case len(pool) > 0 && perApp > len(pool):
		pr.Add("per_application", "review.pool_small")
	}
	return pr.Err()
}

// SortPool orders a pool by user id, as it is stored and listed.
func SortPool(pool []CallReviewer) {
	slices.SortFunc(pool, func(a, b CallReviewer) int { return cmp.Compare(a.UserID, b.UserID) })
}
