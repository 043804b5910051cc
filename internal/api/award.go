package api

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// ListAwards returns the awards of the calls the caller sees; call_id narrows them to
// one call's.
func (a *API) ListAwards(w http.ResponseWriter, r *http.Request) error {
	limit, after, err := page(r)
	if err != nil {
		return err
	}
	call, err := callIDParam(r)
	if err != nil {
		return err
	}
	items, err := a.store.Awards.List(r.Context(), actor(r), store.AwardFilter{CallID: call, After: after, Limit: limit + 1})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list(items, limit, func(x birge.Award) int64 { return x.ID }))
}

// callIDParam reads the call_id filter: 0 when absent.
func callIDParam(r *http.Request) (int64, error) {
	v := r.URL.Query().Get("call_id")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"call_id": "field.type"}}
	}
	return n, nil
}

// GetAward returns one award whole: tranches with their evidence, payments, follow-ups.
func (a *API) GetAward(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	aw, err := a.store.Awards.Get(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, aw)
}

// trancheInput is a tranche as written: a share (per cent) or an amount (minor units).
type trancheInput struct {
	Share         int   `json:"share"`
	Amount        int64 `json:"amount"`
	NeedsEvidence bool  `json:"needs_evidence"`
}

// awardInput is the body of POST /awards and of a renewal: the application (not for a
// renewal), the amount (default: the call's award_amount), the agreement day, a
// scholarship's period, and the tranches (default: one, at signing).
type awardInput struct {
	ApplicationID int64          `json:"application_id"`
	Amount        *birge.Money   `json:"amount"`
	AgreedOn      string         `json:"agreed_on"`
	Period        string         `json:"period"`
	Tranches      []trancheInput `json:"tranches"`
}

func (in awardInput) award() birge.Award {
	aw := birge.Award{ApplicationID: in.ApplicationID, AgreedOn: in.AgreedOn, Period: in.Period}
	if in.Amount != nil {
		aw.Amount = *in.Amount
	}
	for _, t := range in.Tranches {
		aw.Tranches = append(aw.Tranches, birge.AwardTranche{Share: t.Share, Amount: t.Amount, NeedsEvidence: t.NeedsEvidence})
	}
	return aw
}

// CreateAward makes an award of an awarded application.
func (a *API) CreateAward(w http.ResponseWriter, r *http.Request) error {
	var in awardInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	aw, err := a.store.Awards.Create(r.Context(), actor(r), in.award())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, aw)
}

// RenewAward gives a scholarship's next period: a new award, renewed_from this one.
func (a *API) RenewAward(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in awardInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	aw, err := a.store.Awards.Renew(r.Context(), actor(r), id, in.award())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, aw)
}

// paymentInput is the body of POST /awards/{id}/payments.
type paymentInput struct {
	Tranche      int         `json:"tranche"`
	Date         string      `json:"date"`
	Amount       birge.Money `json:"amount"`
	ExchangeRate string      `json:"exchange_rate"`
}

// PayAward records a payment of a tranche (and her delivery): 409 before the tranche's
// evidence is approved, 422 beyond what is left of it or without a rate in another
// currency. It answers with the award.
func (a *API) PayAward(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in paymentInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	aw, err := a.store.Awards.Pay(r.Context(), actor(r), id, birge.AwardPayment{Tranche: in.Tranche, Date: in.Date,
		Amount: in.Amount, ExchangeRate: in.ExchangeRate})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, aw)
}

// followUpInput is the body of POST /awards/{id}/follow-ups.
type followUpInput struct {
	Months    int          `json:"months"`
	Date      string       `json:"date"`
	Operating bool         `json:"operating"`
	Income    *birge.Money `json:"income"`
	Jobs      int          `json:"jobs"`
	Note      string       `json:"note"`
}

// FollowUpAward records the 6- or 12-month follow-up, and her outcomes from it.
func (a *API) FollowUpAward(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in followUpInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	aw, err := a.store.Awards.FollowUp(r.Context(), actor(r), id, birge.AwardFollowUp{Months: in.Months, Date: in.Date,
		Operating: in.Operating, Income: in.Income, Jobs: in.Jobs, Note: in.Note})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, aw)
}

// trancheOf reads the tranche's position from the path.
func trancheOf(r *http.Request) (int, error) {
	n, err := strconv.Atoi(r.PathValue("tranche"))
	if err != nil || n < 1 {
		return 0, birge.ErrNotFound
	}
	return n, nil
}

// AddAwardEvidence uploads the body as evidence for a tranche: a PDF, JPEG or PNG of at
// most 5 MB, its type read from its content; ?name= names it. It answers with the award.
func (a *API) AddAwardEvidence(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n, err := trancheOf(r)
	if err != nil {
		return err
	}
	content, err := io.ReadAll(http.MaxBytesReader(w, r.Body, birge.MaxEvidenceBytes+1))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"file": "outcome.file_too_large"}}
	case err != nil:
		return &birge.Error{Kind: birge.KindInvalid, Key: "api.body_malformed", Err: err}
	}
	aw, err := a.store.Awards.AddEvidence(r.Context(), actor(r), id, n, birge.EvidenceUpload{Name: r.URL.Query().Get("name"), Content: content})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, aw)
}

// GetAwardEvidence downloads one evidence file of an award.
func (a *API) GetAwardEvidence(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	evidence, err := pathID(r, "evidence")
	if err != nil {
		return err
	}
	f, content, err := a.store.Awards.Evidence(r.Context(), actor(r), id, evidence)
	if err != nil {
		return err
	}
	WriteEvidence(w, f, content)
	return nil
}

// ApproveAwardEvidence approves a tranche's evidence, so that it may be paid.
func (a *API) ApproveAwardEvidence(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n, err := trancheOf(r)
	if err != nil {
		return err
	}
	aw, err := a.store.Awards.Approve(r.Context(), actor(r), id, n)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, aw)
}

// ListFollowUpsDue lists the follow-up reports overdue or due within 30 days, of the
// awards the caller manages; call_id narrows them to one call's.
func (a *API) ListFollowUpsDue(w http.ResponseWriter, r *http.Request) error {
	call, err := callIDParam(r)
	if err != nil {
		return err
	}
	items, err := a.store.Awards.FollowUpsDue(r.Context(), actor(r), call)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[store.FollowUpDue]{Items: items})
}

// CallFigures returns a call's figures: the funnel, applications by region and
// category, money awarded and paid, businesses operating at 12 months.
func (a *API) CallFigures(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := a.store.Awards.Figures(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, f)
}
