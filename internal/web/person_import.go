package web

import (
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/birge-org/birge/internal/api"
	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/peoplefile"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// Importing a file of people: upload (the file is read at once, so a file that is not a
// table is refused beside the field), a check in the background with a progress bar,
// the report with the column mapping, then the apply, also in the background.

// WaitImports waits for the imports queued or running in the background to end.
func (s *Server) WaitImports() { s.imports.Wait() }

// importTimeout bounds one check or apply; the budget for 100,000 rows is 20 seconds.
const importTimeout = 10 * time.Minute

// runImport checks or applies an import in the background, with the uploader's rights,
// when one of the import workers is free; until then its page says it is queued.
func (s *Server) runImport(a *birge.Actor, im store.Import, apply bool) {
	s.imports.Go(im.ID, func(progress func(string, int, int)) {
		ctx, cancel := context.WithTimeout(context.Background(), importTimeout)
		defer cancel()
		rep, err := s.importFile(ctx, a, im, !apply, progress)
		state := store.ImportChecked
		switch {
		case err == nil && apply:
			return // marked applied with its people, in one transaction
		case err != nil && err != store.ErrImportHasProblems:
			s.log.Error("import", "id", im.ID, "err", err)
			state = store.ImportFailed
		}
		if err := s.store.People.FinishImport(ctx, a, im.ID, state, &rep); err != nil {
			s.log.Error("import", "id", im.ID, "err", err)
		}
	})
}

// importFile reads an import's file with its mapping and hands the rows to the store.
func (s *Server) importFile(ctx context.Context, a *birge.Actor, im store.Import, dryRun bool,
	progress func(string, int, int)) (store.ImportReport, error) {
	im, content, err := s.store.People.ImportFile(ctx, a, im.ID)
	if err != nil {
		return store.ImportReport{}, err
	}
	t, err := peoplefile.Read(content)
	if err != nil {
		return store.ImportReport{}, err
	}
	cats, err := s.store.People.ImportCategories(ctx, a, im.CenterID)
	if err != nil {
		return store.ImportReport{}, err
	}
	return s.store.People.Import(ctx, a, peoplefile.People(t, im.Mapping, cats),
		store.ImportOptions{CenterID: im.CenterID, DryRun: dryRun, ImportID: im.ID, Progress: progress})
}

// importForm is the upload page.
func (s *Server) importForm(w http.ResponseWriter, r *http.Request) error {
	return s.renderImportForm(w, r, http.StatusOK, newForm())
}

func (s *Server) renderImportForm(w http.ResponseWriter, r *http.Request, status int, f *form) error {
	info := request.From(r.Context())
	if info.Actor.ScopeOf(birge.PermPersonImport).Empty() {
		return birge.ErrForbidden
	}
	centers, err := s.visibleCenters(r, store.CenterFilter{})
	if err != nil {
		return err
	}
	var opts []option
	for _, c := range centers {
		if info.Actor.Can(birge.PermPersonImport, c.OrgID, c.ID) {
			opts = append(opts, option{strconv.FormatInt(c.ID, 10), c.Names.In(info.Lang)})
		}
	}
	var labels []string
	for _, field := range peoplefile.Fields {
		labels = append(labels, info.P.T(peoplefile.LabelKey[field]))
	}
	return s.render(w, r, status, "person/import", f, map[string]any{"Centers": opts, "Columns": labels})
}

// importUpload reads the file, guesses its columns and starts the check.
func (s *Server) importUpload(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	r.Body = http.MaxBytesReader(w, r.Body, peoplefile.MaxBytes+1<<20)
	f := newForm()
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		f.Errors["file"] = "import.too_large"
		return s.renderImportForm(w, r, http.StatusUnprocessableEntity, f)
	}
	defer r.MultipartForm.RemoveAll()
	f.Values["center_id"] = r.FormValue("center_id")
	file, head, err := r.FormFile("file")
	if err != nil {
		f.Errors["file"] = "field.required"
		return s.renderImportForm(w, r, http.StatusUnprocessableEntity, f)
	}
	defer file.Close()
	content, err := io.ReadAll(file)
	if err != nil {
		return err
	}
	t, err := peoplefile.Read(content)
	var im store.Import
	if err == nil {
		im, err = api.NewImport(r.Context(), s.store, info.Actor, f.int64("center_id"), head.Filename, t, content)
	}
	if err != nil {
		if f.fail(err) {
			return s.renderImportForm(w, r, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	s.runImport(info.Actor, im, false)
	return redirect(w, r, "/imports/"+strconv.FormatInt(im.ID, 10), "")
}

// importShow shows an import: the progress bar while it runs (the page reloads itself,
// no script needed), then the report and the mapping.
func (s *Server) importShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderImport(w, r, http.StatusOK, newForm())
}

func (s *Server) renderImport(w http.ResponseWriter, r *http.Request, status int, f *form) error {
	info := request.From(r.Context())
	im, err := s.store.People.GetImport(r.Context(), info.Actor, pathInt(r, "id"))
	if err != nil {
		return err
	}
	progress, running := s.imports.Progress(im.ID)
	if !running && (im.State == store.ImportChecking || im.State == store.ImportApplying) {
		running = true // on another instance, or just starting
	}
	// Those the report names as likely duplicates, as far as this viewer may see them.
	var ids []int64
	if im.Report != nil {
		for _, d := range im.Report.Duplicates {
			if d.PersonID != 0 {
				ids = append(ids, d.PersonID)
			}
		}
	}
	names, err := s.store.People.Names(r.Context(), info.Actor, ids)
	if err != nil {
		return err
	}
	fields := []option{{"", "—"}}
	for _, field := range peoplefile.Fields {
		fields = append(fields, option{field, info.P.T(peoplefile.LabelKey[field])})
	}
	return s.render(w, r, status, "person/import_job", f, map[string]any{
		"Import": im, "Running": running, "Progress": progress, "Fields": fields, "Names": names,
		"Labels": importLabels(info)})
}

// importLabels names the fields a report may mention, in the user's language.
func importLabels(info *request.Info) map[string]string {
	out := map[string]string{"center_id": info.P.T("person.center"), "country": info.P.T("field.country")}
	for field, key := range peoplefile.LabelKey {
		out[field] = info.P.T(key)
	}
	return out
}

// importMapping saves a corrected mapping and checks the file again.
func (s *Server) importMapping(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	im, err := s.store.People.GetImport(r.Context(), info.Actor, pathInt(r, "id"))
	if err != nil {
		return err
	}
	mapping := make([]string, len(im.Columns))
	for i := range mapping {
		mapping[i] = f.get("col" + strconv.Itoa(i))
	}
	if err := peoplefile.CheckColumns(mapping); err != nil {
		f.fail(err)
		return s.renderImport(w, r, http.StatusUnprocessableEntity, f)
	}
	im, err = s.store.People.StartImport(r.Context(), info.Actor, im.ID, store.ImportChecking, mapping, store.ImportChecked, store.ImportFailed)
	if err != nil {
		return err
	}
	s.runImport(info.Actor, im, false)
	return redirect(w, r, "/imports/"+strconv.FormatInt(im.ID, 10), "")
}

// importApply writes the checked file's people, all or none.
func (s *Server) importApply(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	im, err := s.store.People.GetImport(r.Context(), info.Actor, pathInt(r, "id"))
	if err != nil {
		return err
	}
	if im.Report == nil || im.Report.BadRows > 0 {
		return &birge.Error{Kind: birge.KindConflict, Key: "import.has_problems"}
	}
	if im, err = s.store.People.StartImport(r.Context(), info.Actor, im.ID, store.ImportApplying, nil, store.ImportChecked); err != nil {
		return err
	}
	s.runImport(info.Actor, im, true)
	return redirect(w, r, "/imports/"+strconv.FormatInt(im.ID, 10), "")
}

// importTemplate is an empty file with the columns an import reads, headed in the
// user's language.
func (s *Server) importTemplate(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	if info.Actor.ScopeOf(birge.PermPersonImport).Empty() {
		return birge.ErrForbidden
	}
	var header []string
	for _, field := range peoplefile.Fields {
		if field != "full_name" { // the template has the name in parts
			header = append(header, info.P.T(peoplefile.LabelKey[field]))
		}
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="people.csv"`)
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	io.WriteString(w, "\uFEFF") // so that Excel reads the file as UTF-8
	cw.Write(header)
	cw.Flush()
	return cw.Error()
}
