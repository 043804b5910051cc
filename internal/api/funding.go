package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// ListFunding returns the awards the caller may see; organization_id narrows the list.
func (a *API) ListFunding(w http.ResponseWriter, r *http.Request) error {
	limit, after, err := page(r)
	if err != nil {
		return err
	}
	f := store.FundingFilter{After: after, Limit: limit + 1}
	if s := r.URL.Query().Get("organization_id"); s != "" {
		if f.OrgID, err = strconv.ParseInt(s, 10, 64); err != nil {
			return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"organization_id": "field.type"}}
		}
	}
	items, err := a.store.Funding.List(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list(items, limit, func(f birge.Funding) int64 { return f.ID }))
}

// GetFunding returns one award with its budget and deadlines.
func (a *API) GetFunding(w http.ResponseWriter, r *http.Request) error {
	return getByID(w, r, a.store.Funding.Get, func(x birge.Funding) time.Time { return x.UpdatedAt })
}

// CreateFunding records an award of an organisation.
func (a *API) CreateFunding(w http.ResponseWriter, r *http.Request) error {
	var f birge.Funding
	if err := decode(w, r, &f); err != nil {
		return err
	}
	f.ID = 0
	f, err := a.store.Funding.Create(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, f)
}

// fundingUpdate is the body of PATCH /funding/{id}. budget_lines and deadlines are whole
// lists: an item with its id keeps it, one without is new, one left out is removed.
type fundingUpdate struct {
	Donor        *string             `json:"donor"`
	DonorKind    *string             `json:"donor_kind"`
	Reference    *string             `json:"reference"`
	Amount       *birge.Money        `json:"amount"`
	StartsOn     *string             `json:"starts_on"`
	EndsOn       *string             `json:"ends_on"`
	ProgramIDs   *[]int64            `json:"program_ids"`
	IndicatorIDs *[]int64            `json:"indicator_ids"`
	BudgetLines  *[]birge.BudgetLine `json:"budget_lines"`
	Deadlines    *[]birge.Deadline   `json:"deadlines"`
}

func (u *fundingUpdate) apply(f *birge.Funding) {
	set(&f.Donor, u.Donor)
	set(&f.DonorKind, u.DonorKind)
	set(&f.Reference, u.Reference)
	set(&f.Amount, u.Amount)
	set(&f.StartsOn, u.StartsOn)
	set(&f.EndsOn, u.EndsOn)
	set(&f.ProgramIDs, u.ProgramIDs)
	set(&f.IndicatorIDs, u.IndicatorIDs)
	set(&f.BudgetLines, u.BudgetLines)
	set(&f.Deadlines, u.Deadlines)
}

// UpdateFunding changes the fields present in the body.
func (a *API) UpdateFunding(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx, act := r.Context(), actor(r)
	return patch(w, r, &fundingUpdate{}, func(f birge.Funding) time.Time { return f.UpdatedAt }, readThenWrite(
		func() (birge.Funding, error) { return a.store.Funding.Get(ctx, act, id) },
		func(f birge.Funding) (birge.Funding, error) { return a.store.Funding.Update(ctx, act, f) }))
}

// AddFundingSpending records money spent from one of the award's budget lines:
// budget_line_id, amount ({"amount", "currency"}, the award's currency), date, note.
func (a *API) AddFundingSpending(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var body struct {
		LineID int64       `json:"budget_line_id"`
		Amount birge.Money `json:"amount"`
		Date   string      `json:"date"`
		Note   string      `json:"note"`
	}
	if err := decode(w, r, &body); err != nil {
		return err
	}
	sp, err := a.store.Funding.AddSpending(r.Context(), actor(r), id,
		birge.Spending{LineID: body.LineID, Amount: body.Amount, Date: body.Date, Note: body.Note})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, sp)
}
