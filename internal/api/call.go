package api

import (
	"net/http"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// ListCalls returns the calls of the organisations where the caller sees competitions;
// kind and status (draft, scheduled, open, closed) narrow the list.
func (a *API) ListCalls(w http.ResponseWriter, r *http.Request) error {
	limit, after, err := page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	items, err := a.store.Calls.List(r.Context(), actor(r),
		store.CallFilter{After: after, Limit: limit + 1, Kind: q.Get("kind"), Status: q.Get("status")})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list(items, limit, func(c birge.Call) int64 { return c.ID }))
}

// GetCall returns one call with its criteria, eligibility rules and form.
func (a *API) GetCall(w http.ResponseWriter, r *http.Request) error {
	return getByID(w, r, a.store.Calls.Get, func(c birge.Call) time.Time { return c.UpdatedAt })
}

// CreateCall announces a call; one sent with no form gets its kind's default form, and
// with status draft (or none) it stays unpublished.
func (a *API) CreateCall(w http.ResponseWriter, r *http.Request) error {
	var c birge.Call
	if err := decode(w, r, &c); err != nil {
		return err
	}
	c.ID = 0
	if c.Status == "" {
		c.Status = birge.CallDraft
	}
	c, err := a.store.Calls.Create(r.Context(), actor(r), c)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, c)
}

// callUpdate is the body of PATCH /calls/{id}: a call never moves to another
// organisation. status is draft or open (any status but draft publishes it); criteria,
// eligibility and form are replaced whole.
type callUpdate struct {
	Kind        *string                `json:"kind"`
	ProgramID   *int64                 `json:"program_id"`
	TitleKK     *string                `json:"title_kk"`
	TitleRU     *string                `json:"title_ru"`
	TitleKY     *string                `json:"title_ky"`
	TitleEN     *string                `json:"title_en"`
	TextKK      *string                `json:"text_kk"`
	TextRU      *string                `json:"text_ru"`
	TextKY      *string                `json:"text_ky"`
	TextEN      *string                `json:"text_en"`
	OpensAt     *time.Time             `json:"opens_at"`
	ClosesAt    *time.Time             `json:"closes_at"`
	Regions     *[]string              `json:"regions"`
	Budget      *birge.Money           `json:"budget"`
	AwardAmount *birge.Money           `json:"award_amount"`
	AwardMin    **birge.Money          `json:"award_min"` // null: every award is award_amount
	Awards      *int                   `json:"awards"`
	Criteria    *[]birge.CallCriterion `json:"criteria"`
	Eligibility *birge.CallEligibility `json:"eligibility"`
	Form        *[]birge.CallField     `json:"form"`
	Status      *string                `json:"status"`
}

func (u *callUpdate) apply(c *birge.Call) {
	set(&c.Kind, u.Kind)
	set(&c.ProgramID, u.ProgramID)
	set(&c.CallTitles.KK, u.TitleKK)
	set(&c.CallTitles.RU, u.TitleRU)
	set(&c.CallTitles.KY, u.TitleKY)
	set(&c.CallTitles.EN, u.TitleEN)
	set(&c.CallTexts.KK, u.TextKK)
	set(&c.CallTexts.RU, u.TextRU)
	set(&c.CallTexts.KY, u.TextKY)
	set(&c.CallTexts.EN, u.TextEN)
	set(&c.OpensAt, u.OpensAt)
	set(&c.ClosesAt, u.ClosesAt)
	set(&c.Regions, u.Regions)
	set(&c.Budget, u.Budget)
	set(&c.AwardAmount, u.AwardAmount)
	set(&c.AwardMin, u.AwardMin)
	set(&c.Awards, u.Awards)
	set(&c.Criteria, u.Criteria)
	set(&c.Eligibility, u.Eligibility)
	set(&c.Form, u.Form)
	set(&c.Status, u.Status)
}

// UpdateCall changes the fields present in the body; once the call has opened, what
// applicants were told stands (422 call.locked on the field).
func (a *API) UpdateCall(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx, act := r.Context(), actor(r)
	return patch(w, r, &callUpdate{}, func(c birge.Call) time.Time { return c.UpdatedAt }, readThenWrite(
		func() (birge.Call, error) { return a.store.Calls.Get(ctx, act, id) },
		func(c birge.Call) (birge.Call, error) { return a.store.Calls.Update(ctx, act, c) }))
}

// ListPublicCalls returns the calls open now, for anyone, with no account.
func (a *API) ListPublicCalls(w http.ResponseWriter, r *http.Request) error {
	limit, after, err := page(r)
	if err != nil {
		return err
	}
	items, err := a.store.Calls.ListOpen(r.Context(), store.CallFilter{After: after, Limit: limit + 1, Kind: r.URL.Query().Get("kind")})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list(items, limit, func(c birge.Call) int64 { return c.ID }))
}

// GetPublicCall returns a call open now, with its form; any other call is a 404.
func (a *API) GetPublicCall(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := a.store.Calls.GetOpen(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}
