package web

import (
	"maps"
	"net/http"
	"slices"
	"strconv"

	"github.com/birge-org/birge/internal/api"
	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/peoplefile"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// Enrolment from a list (issue 12, decision 0034): staff upload a CSV or XLSX file of
// women on a cohort's page; each row is linked to the registry or registered, and
// enrolled or put on the waiting list, or refused with its reason. The page then lists
// what became of every row.

// cohortImport enrols the rows of the file uploaded and shows each row's outcome.
func (s *Server) cohortImport(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	id := pathInt(r, "id")
	h, err := s.store.Trainings.Cohort(r.Context(), info.Actor, id)
	if err != nil {
		return err
	}
	if !s.store.Trainings.MayManageCohort(info.Actor, h) {
		return birge.ErrForbidden
	}
	f := newForm()
	content, err := api.ReadListFile(w, r)
	var rows []store.EnrollmentImportRow
	if err == nil {
		center, _ := strconv.ParseInt(r.FormValue("center_id"), 10, 64)
		rows, err = api.ImportCohortList(r.Context(), s.store, info.Actor, id, center, content)
	}
	if err != nil {
		if f.fail(err) {
			return s.renderCohort(w, r, http.StatusUnprocessableEntity, f, id)
		}
		return err
	}
	cohort, err := s.cohortRows(r, []birge.Cohort{h})
	if err != nil {
		return err
	}
	counts := map[string]int{}
	views := make([]importRowView, len(rows))
	for i, row := range rows {
		counts[row.Status]++
		views[i] = importRowView{EnrollmentImportRow: row}
		for _, field := range slices.Sorted(maps.Keys(row.Problems)) {
			views[i].Problems = append(views[i].Problems, problemLabel(info, field)+info.P.T(row.Problems[field]))
		}
	}
	return s.render(w, r, http.StatusOK, "training/cohort_import", nil, map[string]any{"Cohort": cohort[0],
		"Rows": views, "Counts": counts})
}

// importRowView is a row's outcome with its problems in words.
type importRowView struct {
	store.EnrollmentImportRow
	Problems []string
}

// problemLabel names the field a row's problem is about: a column of the file, or a
// part of the cohort's rule; nothing for the row as a whole.
func problemLabel(info *request.Info, field string) string {
	switch field {
	case "row":
		return ""
	case "eligible_categories", "eligible_regions", "min_age", "max_age", "rural_only":
		return info.P.T("cohort."+field) + ": "
	}
	if key := peoplefile.Label(field); key != "" {
		return info.P.T(key) + ": "
	}
	return field + ": "
}
