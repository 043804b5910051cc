package api

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// Applications to calls (decision 0035). The public side needs no account: a draft is
// named by its reference and changed with its private token, which travels in the body
// (never in the address, which logs and browsers keep).

// applicationBody is what the public form's API takes. website is the form's trap: a
// person leaves it empty, a robot fills it in.
type applicationBody struct {
	Token     string                     `json:"token"`
	Applicant birge.Applicant            `json:"applicant"`
	Answers   map[string]json.RawMessage `json:"answers"`
	Language  string                     `json:"language"`
	Submit    bool                       `json:"submit"`
	Website   string                     `json:"website"`
}

// applicationReceipt is what she is told: the reference, the status, and for a new draft
// the private token and the link to come back with.
type applicationReceipt struct {
	Reference string `json:"reference"`
	Status    string `json:"status"`
	Token     string `json:"token,omitempty"`
	Link      string `json:"link,omitempty"`
}

// ApplyLink is the page a draft is continued on, with its private token.
func ApplyLink(callID int64, reference, token string) string {
	return "/competitions/" + strconv.FormatInt(callID, 10) + "/apply?ref=" + url.QueryEscape(reference) +
		"&token=" + url.QueryEscape(token)
}

// ClosedProblem turns a late application's refusal into one that tells the closing time
// in the language p speaks, in the centres' zone; any other error is left as it is.
func ClosedProblem(err error, p *i18n.Printer) error {
	var closed *store.ClosedError
	if errors.As(err, &closed) {
		return closed.AsBirge(p.DateTime(closed.ClosesAt, birge.Location("")))
	}
	return err
}

// speak makes the answer to a public application speak the language she applies in.
func speak(r *http.Request, lang string) {
	if birge.ValidLang(lang) {
		info := request.From(r.Context())
		info.Lang, info.P = lang, i18n.For(lang)
	}
}

// saveApplication writes the body as the application ref names (new when empty).
func (a *API) saveApplication(w http.ResponseWriter, r *http.Request, callID int64, ref string, b applicationBody) error {
	speak(r, b.Language)
	info := request.From(r.Context())
	in := store.ApplicationInput{Reference: ref, Token: b.Token, Applicant: b.Applicant, Answers: b.Answers,
		Language: b.Language, Submit: b.Submit, Bot: b.Website != ""}
	got, err := a.store.Applications.Save(r.Context(), info.IP, callID, in)
	if err != nil {
		return ClosedProblem(err, info.P)
	}
	out := applicationReceipt{Reference: got.Reference, Status: got.Status}
	status := http.StatusOK
	if ref == "" {
		status = http.StatusCreated
		if !b.Submit {
			out.Token, out.Link = got.Token, ApplyLink(callID, got.Reference, got.Token)
		}
	}
	return writeJSON(w, status, out)
}

// CreateApplication starts an application to an open call, for anyone: submit false
// saves a draft and answers with its reference and private link; true submits it.
func (a *API) CreateApplication(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var b applicationBody
	if err := decode(w, r, &b); err != nil {
		return err
	}
	return a.saveApplication(w, r, id, "", b)
}

// UpdateApplication saves a draft again, with its token, replacing its applicant and
// answers whole; submit true submits it. A submitted one is a 409.
func (a *API) UpdateApplication(w http.ResponseWriter, r *http.Request) error {
	var b applicationBody
	if err := decode(w, r, &b); err != nil {
		return err
	}
	info := request.From(r.Context())
	app, call, err := a.store.Applications.Draft(r.Context(), info.IP, r.PathValue("reference"), b.Token)
	if err != nil {
		return err
	}
	return a.saveApplication(w, r, call.ID, app.Reference, b)
}

// ApplicationStatus tells an application's status to one who gives its reference and
// one of her phones; a wrong phone is the same 404 as a wrong reference.
func (a *API) ApplicationStatus(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	status, err := a.store.Applications.Status(r.Context(), info.IP, r.PathValue("reference"), r.URL.Query().Get("phone"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]string{"reference": birge.CleanReference(r.PathValue("reference")), "status": status})
}

// ReadApplicationUpload reads a multipart form with one file (the part file) and small
// fields, its memory bounded: a body larger than a file may be is refused beside the
// file's field, as a file of the wrong type is by the store.
func ReadApplicationUpload(w http.ResponseWriter, r *http.Request) (map[string]string, birge.EvidenceUpload, error) {
	r.Body = http.MaxBytesReader(w, r.Body, birge.MaxEvidenceBytes+64<<10)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, birge.EvidenceUpload{}, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid",
				Fields: birge.Problems{"file": "outcome.file_too_large"}}
		}
		return nil, birge.EvidenceUpload{}, &birge.Error{Kind: birge.KindInvalid, Key: "error.bad_form", Err: err}
	}
	defer r.MultipartForm.RemoveAll()
	values := map[string]string{}
	for k, v := range r.MultipartForm.Value {
		if len(v) > 0 {
			values[k] = v[0]
		}
	}
	file, head, err := r.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) {
		return values, birge.EvidenceUpload{}, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid",
			Fields: birge.Problems{"file": "outcome.file_empty"}}
	}
	if err != nil {
		return values, birge.EvidenceUpload{}, &birge.Error{Kind: birge.KindInvalid, Key: "error.bad_form", Err: err}
	}
	defer file.Close()
	content, err := io.ReadAll(io.LimitReader(file, birge.MaxEvidenceBytes+1))
	return values, birge.EvidenceUpload{Name: head.Filename, Content: content}, err
}

// AddApplicationFile attaches a file to a draft (multipart: token, field — a file
// field's code — and file): a PDF, JPEG or PNG of at most 5 MB, its type read from its
// content.
func (a *API) AddApplicationFile(w http.ResponseWriter, r *http.Request) error {
	values, upload, err := ReadApplicationUpload(w, r)
	if err != nil {
		return err
	}
	info := request.From(r.Context())
	f, err := a.store.Applications.AddFile(r.Context(), info.IP, r.PathValue("reference"), values["token"], values["field"], upload)
	if err != nil {
		return ClosedProblem(err, info.P)
	}
	return writeJSON(w, http.StatusCreated, f)
}

// ListApplications returns a call's submitted applications to its staff, a page at a
// time: each with id, reference, status, the rules' reasons, region and when it came.
// status and region narrow the list.
func (a *API) ListApplications(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	limit, after, err := page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	items, err := a.store.Applications.List(r.Context(), actor(r), id,
		store.ApplicationFilter{Status: q.Get("status"), Region: q.Get("region"), After: after, Limit: limit + 1})
	if err != nil {
		return err
	}
	type item struct {
		ID                 int64                     `json:"id"`
		Reference          string                    `json:"reference"`
		Status             string                    `json:"status"`
		EligibilityReasons []birge.EligibilityReason `json:"eligibility_reasons"`
		Region             string                    `json:"region"`
		Rural              bool                      `json:"rural"`
		SubmittedAt        any                       `json:"submitted_at"`
	}
	out := make([]item, len(items))
	for i, x := range items {
		out[i] = item{x.ID, x.Reference, x.Status, x.EligibilityReasons, x.Region, x.Rural, x.SubmittedAt}
	}
	return writeJSON(w, http.StatusOK, list(out, limit, func(x item) int64 { return x.ID }))
}

// GetApplicationFile downloads one of an application's files, for its staff only.
func (a *API) GetApplicationFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	fileID, err := pathID(r, "file")
	if err != nil {
		return err
	}
	f, content, err := a.store.Applications.File(r.Context(), actor(r), id, fileID)
	if err != nil {
		return err
	}
	WriteEvidence(w, birge.EvidenceFile{Name: f.Name, Type: f.Type, Size: f.Size}, content)
	return nil
}

// OverrideEligibility sets an application eligible or ineligible against the rules'
// answer, with the officer's reason: {"eligible": true, "reason": "…"}.
func (a *API) OverrideEligibility(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var b struct {
		Eligible *bool  `json:"eligible"`
		Reason   string `json:"reason"`
	}
	if err := decode(w, r, &b); err != nil {
		return err
	}
	if b.Eligible == nil {
		return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"eligible": "field.required"}}
	}
	app, err := a.store.Applications.Override(r.Context(), actor(r), id, *b.Eligible, b.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, app)
}
