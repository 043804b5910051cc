package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// outcomesShown bounds the outcomes listed on her page, newest first.
const outcomesShown = 100

// The outcome form shares her page with the other forms, so its fields carry names of
// their own; outcomeFields put the store's problems beside them.
var outcomeFields = map[string]string{"kind": "outcome_kind", "date": "outcome_date", "program_id": "outcome_program",
	"value": "outcome_value", "value.amount": "outcome_value", "value.currency": "outcome_currency"}

// outcomeSection is what her page's Outcomes section shows: her outcomes as the viewer
// may see them and, to those who may record them, the form's choices.
type outcomeSection struct {
	outcomeChoices
	Items     []outcomeRow
	CanRecord bool
}

func (s *Server) outcomeSection(r *http.Request, f *form, p birge.Person) (outcomeSection, error) {
	a := request.From(r.Context()).Actor
	list, err := s.store.Outcomes.List(r.Context(), a, store.OutcomeFilter{PersonID: p.ID, Newest: true, Limit: outcomesShown})
	if err != nil {
		return outcomeSection{}, err
	}
	choices, err := s.outcomeChoices(r, p)
	if err != nil {
		return outcomeSection{}, err
	}
	rows, err := s.outcomeRows(r, choices.kinds, list, choices.programNames)
	if err != nil {
		return outcomeSection{}, err
	}
	if f.get("outcome_date") == "" {
		f.Values["outcome_date"] = s.today(r)
	}
	return outcomeSection{outcomeChoices: choices, Items: rows,
		CanRecord: a.Can(birge.PermOutcomeRecord, p.OrgID, p.CenterID)}, nil
}

// outcomeChoices are the form's choices for an outcome of hers: the organisation's
// kinds in use, the programmes it may be of, a number or a currency.
type outcomeChoices struct {
	Kinds, Programs, Units []option
	kinds                  birge.KindList
	programNames           map[int64]string
}

func (s *Server) outcomeChoices(r *http.Request, p birge.Person) (outcomeChoices, error) {
	info := request.From(r.Context())
	var c outcomeChoices
	var err error
	if c.kinds, err = s.store.Outcomes.Kinds(r.Context(), info.Actor, p.OrgID); err != nil {
		return c, err
	}
	c.Kinds = kindOptions(info.Lang, c.kinds)
	if c.Programs, c.programNames, err = s.deliveryPrograms(r, p); err != nil {
		return c, err
	}
	c.Units = []option{{"", info.P.T("outcome.value_number")}}
	c.Units = append(c.Units, codeOptions(birge.Currencies)...)
	return c, nil
}

// outcomeRow is an outcome as her page lists it.
type outcomeRow struct {
	birge.Outcome
	Kind, Value, Program, Recorder string
}

// outcomeRows name outcomes for a page: kinds in the reader's language, values as
// numbers or money.
func (s *Server) outcomeRows(r *http.Request, kinds birge.KindList, list []birge.Outcome, programNames map[int64]string) ([]outcomeRow, error) {
	info := request.From(r.Context())
	recorders, err := s.store.Outcomes.RecorderNames(r.Context(), list)
	if err != nil {
		return nil, err
	}
	rows := make([]outcomeRow, len(list))
	for i, o := range list {
		rows[i] = outcomeRow{Outcome: o, Kind: o.Kind, Recorder: recorders[o.RecordedBy]}
		if k, ok := kinds.Lookup(o.Kind); ok {
			rows[i].Kind = k.Names.In(info.Lang)
		}
		if o.ProgramID != nil {
			rows[i].Program = programNames[*o.ProgramID]
		}
		switch v := o.Value; {
		case v == nil:
		case v.Currency == "":
			rows[i].Value = info.P.Number(int(v.Amount))
		default:
			rows[i].Value = moneyText(info.P, birge.Money(*v))
		}
	}
	return rows, nil
}

// outcomeForm reads the outcome form, a multipart one for its file (or a plain one,
// without). A body too large to read at all is refused beside the file's field.
func outcomeForm(w http.ResponseWriter, r *http.Request) (*form, *birge.EvidenceUpload, error) {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		f, err := parseForm(r)
		return f, nil, err
	}
	r.Body = http.MaxBytesReader(w, r.Body, birge.MaxEvidenceBytes+2<<20)
	f := newForm()
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return f, nil, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid",
				Fields: birge.Problems{"evidence_file": "outcome.file_too_large"}}
		}
		return nil, nil, &birge.Error{Kind: birge.KindInvalid, Key: "error.bad_form", Err: err}
	}
	defer r.MultipartForm.RemoveAll() // the file is read into memory below
	for k, v := range r.PostForm {
		if len(v) > 0 {
			f.Values[k] = v[0]
		}
	}
	file, head, err := r.FormFile("evidence_file")
	if errors.Is(err, http.ErrMissingFile) {
		return f, nil, nil
	}
	if err != nil {
		return f, nil, err
	}
	defer file.Close()
	content, err := io.ReadAll(file)
	return f, &birge.EvidenceUpload{Name: head.Filename, Content: content}, err
}

// outcomeFromForm reads an outcome of hers from the form: money is typed in whole units
// (tenge, som) and kept in minor units.
func outcomeFromForm(f *form, personID int64, upload *birge.EvidenceUpload) birge.Outcome {
	o := birge.Outcome{PersonID: personID, Kind: f.get("outcome_kind"), Date: f.get("outcome_date"),
		Evidence: f.get("evidence"), Upload: upload, DropFile: f.get("drop_file") != ""}
	if id := f.int64("outcome_program"); id != 0 {
		o.ProgramID = &id
	}
	if raw := strings.TrimSpace(f.get("outcome_value")); raw != "" {
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n > birge.MaxMinorUnits/100 {
			n = -1 // not a number, or beyond any amount: refused as out of range, never read as zero
		}
		o.Value = &birge.OutcomeValue{Amount: n, Currency: f.get("outcome_currency")}
		if o.Value.Currency != "" {
			o.Value.Amount = n * 100
		}
	}
	return o
}

// failOutcome puts a refusal's problems beside the outcome form's fields, and reports
// whether it was one.
func failOutcome(f *form, err error) bool {
	if !f.fail(err) {
		return false
	}
	for from, to := range outcomeFields {
		if key, ok := f.Errors[from]; ok {
			delete(f.Errors, from)
			f.Errors[to] = key
		}
	}
	return true
}
