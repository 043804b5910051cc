package store

import (
	"context"
	"errors"

	"github.com/birge-org/birge/internal/birge"
)

// Enrolment from an imported list (issue 12, decision 0034): each row of a spreadsheet
// (read by peoplefile, as the registry's import reads it) is linked to her record by the
// rule of the public forms (sureOrNew: her identity number, or her phone with her name),
// or registered, and enrolled — one transaction per row, so a row is applied whole or not
// at all and the rows before it stay. The cohort full, the rest go to its waiting list,
// in the order of the file.

// MaxCohortImportRows bounds a list enrolled at once: a cohort's places and a long
// waiting list; a longer file is a registry, for the registry's import.
const MaxCohortImportRows = 2000

// Row outcomes of an enrolment import.
const (
	RowEnrolled = "enrolled"
	RowWaiting  = "waiting"
	RowFailed   = "failed"
)

// EnrollmentImportRow is what became of one row: enrolled or waiting (with her record,
// and whether it was registered from this row), or failed with its problems by field
// ("row" for what concerns the row as a whole: enrolled already, say).
type EnrollmentImportRow struct {
	Line         int            `json:"line"`
	Status       string         `json:"status"`
	PersonID     int64          `json:"person_id,omitempty"`
	PersonName   string         `json:"person_name,omitempty"`
	Registered   bool           `json:"registered"`
	EnrollmentID int64          `json:"enrollment_id,omitempty"`
	Problems     birge.Problems `json:"problems,omitempty"`
}

// ImportEnrollments enrols the rows of a list in a cohort the actor runs, registering at
// centerID (the cohort's centre when 0, or a row's own) those the registry does not
// know; the actor needs the right to import people there. Rows are applied in order,
// each whole or not at all.
func (t *Trainings) ImportEnrollments(ctx context.Context, a *birge.Actor, cohortID, centerID int64, rows []birge.ImportRow) ([]EnrollmentImportRow, error) {
	s := t.s
	h, err := t.cohort(ctx, s.read(), a, birge.PermTrainingManage, cohortID)
	if err != nil {
		return nil, err
	}
	if len(rows) > MaxCohortImportRows {
		return nil, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"file": "import.too_many_rows"}}
	}
	if centerID == 0 {
		centerID = h.CenterID
	}
	if centerID == 0 {
		return nil, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"center_id": "field.required"}}
	}
	centers, err := s.People.importCenters(ctx, a, centerID)
	if err != nil {
		return nil, err
	}
	if centers.org != h.OrgID {
		return nil, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"center_id": "field.choose"}}
	}
	out := make([]EnrollmentImportRow, 0, len(rows))
	for _, r := range rows {
		res := EnrollmentImportRow{Line: r.Line}
		err := s.People.txPerson(ctx, func(c q) error {
			res.PersonID, res.Registered = 0, false
			return t.importRow(ctx, c, a, cohortID, centers, r, &res)
		})
		if err != nil {
			be := birge.AsError(err)
			if be == nil || (be.Kind != birge.KindInvalid && be.Kind != birge.KindConflict && be.Kind != birge.KindForbidden) {
				return nil, err
			}
			res = EnrollmentImportRow{Line: r.Line, Status: RowFailed, Problems: be.Fields}
			if len(res.Problems) == 0 {
				res.Problems = birge.Problems{"row": be.Key}
			}
		}
		out = append(out, res)
	}
	return out, nil
}

// importRow links or registers one row's woman and enrols her, in the transaction of
// the row.
func (t *Trainings) importRow(ctx context.Context, c q, a *birge.Actor, cohortID int64, centers importCenters, r birge.ImportRow, res *EnrollmentImportRow) error {
	s := t.s
	if err := lockRow(ctx, c, "cohorts", cohortID); err != nil {
		return err
	}
	h, err := t.cohort(ctx, c, a, birge.PermTrainingManage, cohortID)
	if err != nil {
		return err
	}
	pr := birge.Problems{}
	for f, key := range r.Problems {
		pr.Add(f, key)
	}
	ctr, ok := centers.lookup(r.Center)
	if !ok {
		pr.Add("center", "import.center_unknown")
	}
	p := r.Person
	p.CenterID = ctr.ID
	// A training's list never carries a sensitive category: her cohort's trainers read
	// it (decision 0029). Such a row is refused rather than half read.
	if len(p.Categories) > 0 {
		cats, err := s.orgCategories(ctx, c, h.OrgID)
		if err != nil {
			return err
		}
		_, sensitive, problem := cats.Split(p.Categories, nil)
		pr.Add("categories", problem)
		if len(sensitive) > 0 {
			pr.Add("categories", "signup.import_sensitive")
		}
	}
	if err := pr.Err(); err != nil {
		return err
	}
	id, created, err := s.People.sureOrNew(ctx, c, a, p)
	if errors.Is(err, birge.ErrForbidden) {
		return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"center": "field.choose"}}
	} else if err != nil {
		return err
	}
	her, err := s.People.visiblePerson(ctx, c, birge.System(signupForm), id)
	if err != nil {
		return err
	}
	e, err := t.enrollEligible(ctx, c, a, h, her, birge.Enrollment{Source: birge.SourceImport})
	if err != nil {
		return err
	}
	res.Status, res.PersonID, res.PersonName, res.Registered, res.EnrollmentID = RowEnrolled, id, e.PersonName, created, e.ID
	if e.Status == birge.EnrollmentWaiting {
		res.Status = RowWaiting
	}
	return nil
}
