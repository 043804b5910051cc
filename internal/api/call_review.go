package api

import (
	"net/http"
	"strconv"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// Review of a call's applications (decision 0036): assignment, the application (blind for
// reviewers), scores and conflicts, ranking, decisions and fairness.

// assignmentRequest is the body of POST /calls/{id}/assignments. reviewer_districts says,
// by reviewer id, the district each comes from, for exclude_district.
type assignmentRequest struct {
	ReviewerIDs       []int64           `json:"reviewer_ids"`
	PerApplication    int               `json:"per_application"`
	ExcludeDistrict   bool              `json:"exclude_district"`
	ReviewerDistricts map[string]string `json:"reviewer_districts"`
}

// AssignReviewers names the call's pool of reviewers and assigns each eligible
// application to per_application of them, balanced; again, it adds what is missing.
func (a *API) AssignReviewers(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req assignmentRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	p := store.ReviewPool{PerApplication: req.PerApplication, ExcludeDistrict: req.ExcludeDistrict}
	named := map[string]bool{}
	for _, rid := range req.ReviewerIDs {
		key := strconv.FormatInt(rid, 10)
		named[key] = true
		p.Reviewers = append(p.Reviewers, birge.CallReviewer{UserID: rid, District: req.ReviewerDistricts[key]})
	}
	for key := range req.ReviewerDistricts {
		if !named[key] {
			return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid",
				Fields: birge.Problems{"reviewer_districts." + key: "review.district_not_in_pool"}}
		}
	}
	out, err := a.store.Calls.Assign(r.Context(), actor(r), id, p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

// ListAssignments returns the call's pool, its assignments and the applications short of
// reviewers.
func (a *API) ListAssignments(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	out, err := a.store.Calls.Assignments(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

// GetApplication returns an application: in full to staff who see its call, blind to a
// reviewer it is assigned to (no field that identifies the applicant), not found to
// anyone else.
func (a *API) GetApplication(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := a.store.Calls.Application(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	if v.Blind != nil {
		return writeJSON(w, http.StatusOK, v.Blind)
	}
	return writeJSON(w, http.StatusOK, v.Staff)
}

// ListReviews returns an application's scored reviews, for the officers of its call.
func (a *API) ListReviews(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	items, err := a.store.Calls.Reviews(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[birge.Review]{Items: items})
}

// SubmitReview records the reviewer's scores and comment, or her conflict of interest
// (and who replaced her).
func (a *API) SubmitReview(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in store.ReviewInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	out, err := a.store.Calls.SubmitReview(r.Context(), actor(r), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

// GetRanking returns the call's applications in rank order.
func (a *API) GetRanking(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	items, err := a.store.Calls.Ranking(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[birge.Ranked]{Items: items})
}

// Decide answers what the call's decision would be, or with confirm makes it.
func (a *API) Decide(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req birge.DecisionRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	d, err := a.store.Calls.Decide(r.Context(), actor(r), id, req)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

// GetFairness returns the call's fairness figures after its decision.
func (a *API) GetFairness(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := a.store.Calls.Fairness(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, f)
}
