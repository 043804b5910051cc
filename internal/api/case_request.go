package api

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// ListCaseRequests returns the requests sent from the public site to the offices where
// the caller manages cases, a page at a time, with what she wrote; center_id and status
// narrow the list. Sending one is the public page's form, not the API's.
func (a *API) ListCaseRequests(w http.ResponseWriter, r *http.Request) error {
	limit, after, err := page(r)
	if err != nil {
		return err
	}
	f := store.RequestFilter{After: after, Limit: limit + 1, Status: r.URL.Query().Get("status")}
	if f.Status != "" && !slices.Contains(birge.CaseRequestStatuses, f.Status) {
		return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"status": "field.choose"}}
	}
	if s := r.URL.Query().Get("center_id"); s != "" {
		if f.CenterID, err = strconv.ParseInt(s, 10, 64); err != nil {
			return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"center_id": "field.type"}}
		}
	}
	items, err := a.store.CaseRequests.List(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list(items, limit, func(q birge.CaseRequest) int64 { return q.ID }))
}

// acceptBody takes a request in as an existing person (person_id) or a new one (person),
// with the case's reasons (hers when left out).
type acceptBody struct {
	PersonID int64 `json:"person_id"`
	Person   *struct {
		FamilyName string   `json:"family_name"`
		GivenName  string   `json:"given_name"`
		Patronymic string   `json:"patronymic"`
		Sex        string   `json:"sex"`
		BirthDate  string   `json:"birth_date"`
		Phones     []string `json:"phones"`
	} `json:"person"`
	Reasons []string `json:"reasons"`
}

// AcceptCaseRequest takes a request in: the person is registered (or the one named
// taken), a case opened at the office; it answers with the case.
func (a *API) AcceptCaseRequest(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var b acceptBody
	if err := decode(w, r, &b); err != nil {
		return err
	}
	how := store.Acceptance{PersonID: b.PersonID, Reasons: b.Reasons}
	switch {
	case b.PersonID != 0 && b.Person != nil:
		return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"person": "request.person_or_id"}}
	case b.Person != nil:
		p := b.Person
		how.Person = birge.Person{FamilyName: p.FamilyName, GivenName: p.GivenName, Patronymic: p.Patronymic,
			Sex: p.Sex, BirthDate: p.BirthDate, Phones: p.Phones}
	case b.PersonID == 0:
		return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"person": "request.person_or_id"}}
	}
	k, err := a.store.CaseRequests.Accept(r.Context(), actor(r), id, how)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, k)
}

// DeclineCaseRequest closes a request without a case; what she wrote is erased.
func (a *API) DeclineCaseRequest(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	q, err := a.store.CaseRequests.Decline(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, q)
}
