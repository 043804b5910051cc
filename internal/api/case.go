package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// ListCases returns the family cases the caller may see, a page at a time; center_id
// and status narrow the list.
func (a *API) ListCases(w http.ResponseWriter, r *http.Request) error {
	limit, after, err := page(r)
	if err != nil {
		return err
	}
	f := store.CaseFilter{After: after, Limit: limit + 1, Status: r.URL.Query().Get("status")}
	if s := r.URL.Query().Get("center_id"); s != "" {
		if f.CenterID, err = strconv.ParseInt(s, 10, 64); err != nil {
			return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"center_id": "field.type"}}
		}
	}
	items, err := a.store.Cases.List(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list(items, limit, func(k birge.Case) int64 { return k.ID }))
}

// GetCase returns one case.
func (a *API) GetCase(w http.ResponseWriter, r *http.Request) error {
	return getByID(w, r, a.store.Cases.Get, func(k birge.Case) time.Time { return k.UpdatedAt })
}

// CreateCase takes in a family.
func (a *API) CreateCase(w http.ResponseWriter, r *http.Request) error {
	var k birge.Case
	if err := decode(w, r, &k); err != nil {
		return err
	}
	k.ID = 0 // the rest of what is read-only, the store sets
	k, err := a.store.Cases.Create(r.Context(), actor(r), k)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, k)
}

// caseUpdate is the body of PATCH /cases/{id}: its centre is set when taken in and never
// changes, and flagged, risk, worker_ids and outcome are read-only.
type caseUpdate struct {
	PartnerIDs     *[]int64  `json:"partner_ids"`
	ChildIDs       *[]int64  `json:"child_ids"`
	IntakeDate     *string   `json:"intake_date"`
	Reasons        *[]string `json:"reasons"`
	CameFrom       *string   `json:"came_from"`
	DivorceFiled   *bool     `json:"divorce_filed"`
	DivorceFiledOn *string   `json:"divorce_filed_on"`
	DivorceCourt   *string   `json:"divorce_court"`
	Status         *string   `json:"status"`
	PsychologistID *int64    `json:"psychologist_id"`
	MediatorID     *int64    `json:"mediator_id"`
}

func (u *caseUpdate) apply(k *birge.Case) {
	set(&k.PartnerIDs, u.PartnerIDs)
	set(&k.ChildIDs, u.ChildIDs)
	set(&k.IntakeDate, u.IntakeDate)
	set(&k.Reasons, u.Reasons)
	set(&k.CameFrom, u.CameFrom)
	set(&k.DivorceFiled, u.DivorceFiled)
	set(&k.DivorceFiledOn, u.DivorceFiledOn)
	set(&k.DivorceCourt, u.DivorceCourt)
	set(&k.Status, u.Status)
	set(&k.PsychologistID, u.PsychologistID)
	set(&k.MediatorID, u.MediatorID)
}

// UpdateCase changes the fields present in the body: its family, intake, workers and
// status.
func (a *API) UpdateCase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx, act := r.Context(), actor(r)
	return patch(w, r, &caseUpdate{}, func(k birge.Case) time.Time { return k.UpdatedAt }, readThenWrite(
		func() (birge.Case, error) { return a.store.Cases.Get(ctx, act, id) },
		func(k birge.Case) (birge.Case, error) { return a.store.Cases.Update(ctx, act, k) }))
}
