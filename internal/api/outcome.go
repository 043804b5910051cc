package api

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// ListOutcomes returns the outcomes the caller may see, a page at a time.
func (a *API) ListOutcomes(w http.ResponseWriter, r *http.Request) error {
	return listRecords(w, r, a.store.Outcomes.List, func(o birge.Outcome) int64 { return o.ID })
}

// GetOutcome returns one outcome.
func (a *API) GetOutcome(w http.ResponseWriter, r *http.Request) error {
	return getByID(w, r, a.store.Outcomes.Get, func(x birge.Outcome) time.Time { return x.UpdatedAt })
}

// GetOutcomeFile returns an outcome's evidence file, as the type its content was found
// to be, always as an attachment (never shown in the browser's own page).
func (a *API) GetOutcomeFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, content, err := a.store.Outcomes.File(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	WriteEvidence(w, f, content)
	return nil
}

// WriteEvidence answers with an evidence file, for download only.
func WriteEvidence(w http.ResponseWriter, f birge.EvidenceFile, content []byte) {
	w.Header().Set("Content-Type", f.Type)
	w.Header().Set("Content-Length", strconv.Itoa(len(content)))
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(f.Name))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(content)
}

// CreateOutcomes records one outcome, or with {"items": [...]} several, all or none: a
// mistake in any is named by its item (items[3].date) and none is recorded.
func (a *API) CreateOutcomes(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	return createRecords(w, r, body, a.store.Outcomes.Record, a.store.Outcomes.RecordMany)
}

// outcomeUpdate is the body of PATCH /outcomes/{id}: her, her centre, who recorded it
// and the source never change; files are attached on her page.
type outcomeUpdate struct {
	ProgramID **int64              `json:"program_id"` // null: of no programme
	Kind      *string              `json:"kind"`
	Date      *string              `json:"date"`
	Value     **birge.OutcomeValue `json:"value"` // null: measured nothing
	Evidence  *string              `json:"evidence"`
}

func (u *outcomeUpdate) apply(o *birge.Outcome) {
	set(&o.ProgramID, u.ProgramID)
	set(&o.Kind, u.Kind)
	set(&o.Date, u.Date)
	set(&o.Value, u.Value)
	set(&o.Evidence, u.Evidence)
}

// UpdateOutcome changes the fields present in the body of an outcome recorded by hand.
func (a *API) UpdateOutcome(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx, act := r.Context(), actor(r)
	return patch(w, r, &outcomeUpdate{}, func(o birge.Outcome) time.Time { return o.UpdatedAt }, readThenWrite(
		func() (birge.Outcome, error) { return a.store.Outcomes.Get(ctx, act, id) },
		func(o birge.Outcome) (birge.Outcome, error) { return a.store.Outcomes.Update(ctx, act, o) }))
}

// DeleteOutcome deletes an outcome recorded by hand.
func (a *API) DeleteOutcome(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.store.Outcomes.Delete(r.Context(), actor(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// PutOutcomeFile attaches the body as an outcome's evidence file, replacing any: a PDF,
// JPEG or PNG of at most 5 MB, its type read from its content; ?name= names it. It
// answers with the outcome.
func (a *API) PutOutcomeFile(w http.ResponseWriter, r *http.Request) error {
	content, err := io.ReadAll(http.MaxBytesReader(w, r.Body, birge.MaxEvidenceBytes+1))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"evidence_file": "outcome.file_too_large"}}
	case err != nil:
		return &birge.Error{Kind: birge.KindInvalid, Key: "api.body_malformed", Err: err}
	}
	upload := &birge.EvidenceUpload{Name: r.URL.Query().Get("name"), Content: content}
	return a.changeOutcomeFile(w, r, func(o *birge.Outcome) { o.Upload = upload })
}

// DeleteOutcomeFile removes an outcome's evidence file, and answers with the outcome.
func (a *API) DeleteOutcomeFile(w http.ResponseWriter, r *http.Request) error {
	return a.changeOutcomeFile(w, r, func(o *birge.Outcome) { o.DropFile = true })
}

// changeOutcomeFile lays a change of the file over the outcome as it is, read again when
// another change was saved meanwhile, as a PATCH is.
func (a *API) changeOutcomeFile(w http.ResponseWriter, r *http.Request, change func(*birge.Outcome)) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx, act := r.Context(), actor(r)
	o, err := readThenWrite(
		func() (birge.Outcome, error) { return a.store.Outcomes.Get(ctx, act, id) },
		func(o birge.Outcome) (birge.Outcome, error) { return a.store.Outcomes.Update(ctx, act, o) },
	)(func(o *birge.Outcome) error { change(o); return nil })
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, o)
}
