package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/peoplefile"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// ImportResult is the answer to an import: the import's id (none for a dry run) and
// its report.
type ImportResult struct {
	ImportID int64              `json:"import_id,omitempty"`
	DryRun   bool               `json:"dry_run"`
	Report   store.ImportReport `json:"report"`
}

// importProblem is the 422 of an import with bad rows: a problem document that also
// carries the report, so a script can say which rows to fix.
type importProblem struct {
	Problem
	Report store.ImportReport `json:"report"`
}

// ImportPeople registers the people of a CSV or XLSX file (multipart field "file"), all
// or none. Rows that name no centre go to center_id; dry_run=true only checks.
func (a *API) ImportPeople(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	r.Body = http.MaxBytesReader(w, r.Body, peoplefile.MaxBytes+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return &birge.Error{Kind: birge.KindTooLarge, Key: "error.invalid", Fields: birge.Problems{"file": "import.too_large"}}
		}
		return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"file": "field.required"}}
	}
	defer r.MultipartForm.RemoveAll()
	dryRun := r.FormValue("dry_run") == "true"
	centerID, err := a.importCenter(r, info.Actor)
	if err != nil {
		return err
	}
	file, head, err := r.FormFile("file")
	if err != nil {
		return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"file": "field.required"}}
	}
	defer file.Close()
	// The file waits on disk (ParseMultipartForm keeps only 1 MB in memory) until a
	// worker is free, so requests waiting their turn hold little memory.
	release, err := a.imports.Acquire(r.Context())
	if err != nil {
		return err
	}
	defer release()
	content, err := io.ReadAll(file)
	if err != nil {
		return err
	}
	t, err := peoplefile.Read(content)
	if err != nil {
		return err
	}
	mapping := peoplefile.Columns(t.Header)
	if err := peoplefile.CheckColumns(mapping); err != nil {
		return err
	}
	res := ImportResult{DryRun: dryRun}
	opt := store.ImportOptions{CenterID: centerID, DryRun: dryRun}
	if !dryRun {
		im, err := NewImport(r.Context(), a.store, info.Actor, centerID, head.Filename, t, nil)
		if err != nil {
			return err
		}
		res.ImportID, opt.ImportID = im.ID, im.ID
	}
	cats, err := a.store.People.ImportCategories(r.Context(), info.Actor, centerID)
	if err != nil {
		return err
	}
	res.Report, err = a.store.People.Import(r.Context(), info.Actor, peoplefile.People(t, mapping, cats), opt)
	if err == store.ErrImportHasProblems {
		if res.ImportID != 0 {
			if err := a.store.People.FinishImport(r.Context(), info.Actor, res.ImportID, store.ImportChecked, &res.Report); err != nil {
				return err
			}
		}
		if !dryRun {
			return writeImportProblem(w, r, res.Report)
		}
		err = nil
	}
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if dryRun {
		status = http.StatusOK
	}
	return writeJSON(w, status, res)
}

// ImportStatus is an import as GET /api/v1/imports/{id} shows it: its record, and
// where it is while it runs on this instance (queued, check or write).
type ImportStatus struct {
	store.Import
	Progress *ImportProgress `json:"progress,omitempty"`
}

// GetImport tells where an import is: the pages' imports run in the background, and a
// script polls this until the state is checked, applied or failed.
func (a *API) GetImport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	im, err := a.store.People.GetImport(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	res := ImportStatus{Import: im}
	if rep := res.Report; rep != nil { // lists, even empty ones, as the document says
		if rep.Problems == nil {
			rep.Problems = []store.RowProblem{}
		}
		if rep.Duplicates == nil {
			rep.Duplicates = []store.ImportDuplicate{}
		}
	}
	if p, ok := a.imports.Progress(id); ok {
		res.Progress = &p
	}
	return writeJSON(w, http.StatusOK, res)
}

// importCenter is the centre for rows that name none: center_id, or the one centre the
// actor may import into when she has only one.
func (a *API) importCenter(r *http.Request, actor *birge.Actor) (int64, error) {
	if v := r.FormValue("center_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"center_id": "field.type"}}
		}
		return id, nil
	}
	if actor.ScopeOf(birge.PermPersonImport).Empty() {
		return 0, birge.ErrForbidden
	}
	centers, err := a.store.ListCenters(r.Context(), actor, store.CenterFilter{})
	if err != nil {
		return 0, err
	}
	var ids []int64
	for _, c := range centers {
		if actor.Can(birge.PermPersonImport, c.OrgID, c.ID) {
			ids = append(ids, c.ID)
		}
	}
	if len(ids) != 1 {
		return 0, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"center_id": "field.required"}}
	}
	return ids[0], nil
}

func writeImportProblem(w http.ResponseWriter, r *http.Request, rep store.ImportReport) error {
	p := request.From(r.Context()).P
	status := http.StatusUnprocessableEntity
	prob := importProblem{Problem: Problem{Type: "about:blank", Title: http.StatusText(status), Status: status,
		Detail: p.T("import.has_problems")}, Report: rep}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(prob)
}

// NewImport records an import of the file t with the columns it guessed. content is the
// file when it must wait to be applied later (the pages), nil when it is applied at once.
func NewImport(ctx context.Context, st *store.Store, a *birge.Actor, centerID int64, name string, t peoplefile.Table, content []byte) (store.Import, error) {
	columns := make([]store.ImportColumn, len(t.Header))
	for i, h := range t.Header {
		columns[i].Header = h
		if i < len(t.Rows[0]) {
			columns[i].Sample = t.Rows[0][i]
		}
	}
	return st.People.CreateImport(ctx, a, centerID, name, content, columns, peoplefile.Columns(t.Header))
}
