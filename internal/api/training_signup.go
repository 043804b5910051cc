package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/peoplefile"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// The public sign-up for trainings and enrolment from a list (issue 12, decision 0034).

// ListPublicCourses is the public catalogue: courses with cohorts open for sign-up (of
// one organisation with ?organization_id=), for anyone, with no account.
func (a *API) ListPublicCourses(w http.ResponseWriter, r *http.Request) error {
	org, err := queryID(r, "organization_id")
	if err != nil {
		return err
	}
	items, err := a.store.Trainings.PublicCourses(r.Context(), org)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list(items, len(items), func(k birge.PublicCourse) int64 { return k.ID }))
}

// CreateSignup signs a woman up for a cohort open for sign-up, with no account: 201
// with the status she can be told (pending, or waiting when she chose to wait for a
// place); the same answer whether the registry knew her or not. The address is
// throttled like the public request form's.
func (a *API) CreateSignup(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var su birge.Signup
	if err := decode(w, r, &su); err != nil {
		return err
	}
	res, err := a.store.Trainings.SignUp(r.Context(), request.From(r.Context()).IP, id, su, false)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, res)
}

// MaxCohortListBytes bounds the file of a list enrolled in a cohort: MaxCohortImportRows
// rows of a dozen columns fit in far less.
const MaxCohortListBytes = 4 << 20

// ImportEnrollments enrols the rows of a CSV or XLSX file (multipart field "file") in a
// cohort; rows the registry does not know are registered at center_id (the cohort's
// centre by default). The answer lists what became of each row.
func (a *API) ImportEnrollments(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	content, err := ReadListFile(w, r)
	if err != nil {
		return err
	}
	center, _ := strconv.ParseInt(r.FormValue("center_id"), 10, 64)
	rows, err := ImportCohortList(r.Context(), a.store, actor(r), id, center, content)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list(rows, len(rows), func(x store.EnrollmentImportRow) int64 { return int64(x.Line) }))
}

// ReadListFile reads the file of a multipart form (field "file") up to
// MaxCohortListBytes; a larger one is refused before it is read whole.
func ReadListFile(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxCohortListBytes+64<<10)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, &birge.Error{Kind: birge.KindTooLarge, Key: "error.invalid", Fields: birge.Problems{"file": "import.too_large"}}
		}
		return nil, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"file": "field.required"}}
	}
	defer r.MultipartForm.RemoveAll()
	file, _, err := r.FormFile("file")
	if err != nil {
		return nil, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"file": "field.required"}}
	}
	defer file.Close()
	content, err := io.ReadAll(io.LimitReader(file, MaxCohortListBytes+1))
	if err != nil {
		return nil, err
	}
	if len(content) > MaxCohortListBytes {
		return nil, &birge.Error{Kind: birge.KindTooLarge, Key: "error.invalid", Fields: birge.Problems{"file": "import.too_large"}}
	}
	return content, nil
}

// ImportCohortList reads a list as the registry's import reads it (headers in any of the
// four languages) and enrols its rows in a cohort: the API's and the page's one way.
func ImportCohortList(ctx context.Context, st *store.Store, a *birge.Actor, cohortID, centerID int64, content []byte) ([]store.EnrollmentImportRow, error) {
	h, err := st.Trainings.Cohort(ctx, a, cohortID)
	if err != nil {
		return nil, err
	}
	if !st.Trainings.MayManageCohort(a, h) {
		return nil, birge.ErrForbidden
	}
	t, err := peoplefile.Read(content)
	if err != nil {
		return nil, err
	}
	if len(t.Rows) > store.MaxCohortImportRows {
		return nil, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"file": "import.too_many_rows"}}
	}
	mapping := peoplefile.Columns(t.Header)
	if err := peoplefile.CheckColumns(mapping); err != nil {
		return nil, err
	}
	if centerID == 0 {
		centerID = h.CenterID
	}
	cats, err := st.People.ImportCategories(ctx, a, centerID)
	if err != nil {
		return nil, err
	}
	return st.Trainings.ImportEnrollments(ctx, a, cohortID, centerID, peoplefile.People(t, mapping, cats))
}
