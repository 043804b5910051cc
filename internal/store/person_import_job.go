package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// Import is a file of people on its way into the registry. The web pages check it in
// the background (State checking → checked), show the report and the column mapping,
// and apply it when the user says so (applying → applied); failed means the work stopped
// on an error other than bad rows, with nothing written.
type Import struct {
	ID        int64          `json:"id"`
	OrgID     int64          `json:"organization_id"`
	CenterID  int64          `json:"center_id"`
	UserID    int64          `json:"user_id"`
	FileName  string         `json:"file_name"`
	Columns   []ImportColumn `json:"columns"`
	Mapping   []string       `json:"mapping"`
	State     string         `json:"state"`
	Report    *ImportReport  `json:"report,omitempty"`
	CreatedAt time.Time      `json:"created_at"`
	UpdatedAt time.Time      `json:"updated_at"`
}

// ImportColumn is a column of the file as the mapping form shows it: its heading and
// the value in the first row, so the user can tell what it holds.
type ImportColumn struct {
	Header string `json:"header"`
	Sample string `json:"sample"`
}

// Import states.
const (
	ImportChecking = "checking"
	ImportChecked  = "checked"
	ImportApplying = "applying"
	ImportApplied  = "applied"
	ImportFailed   = "failed"
)

// importStale is how long an import may sit in checking or applying before it is taken
// for interrupted (the server stopped): the work runs in one transaction, so nothing of
// it was written, and the user may start it again.
const importStale = 15 * time.Minute

// CreateImport keeps an uploaded file, sealed, for checking and applying. content may be
// nil when the file is applied at once (the API) and need not wait.
func (people *People) CreateImport(ctx context.Context, a *birge.Actor, centerID int64, fileName string, content []byte,
	columns []ImportColumn, mapping []string) (Import, error) {
	if a.ScopeOf(birge.PermPersonImport).Empty() {
		return Import{}, birge.ErrForbidden
	}
	ctr, err := people.s.getCenter(ctx, people.s.read(), centerID)
	if err != nil || !canImport(a, ctr) {
		return Import{}, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"center_id": "field.choose"}}
	}
	if p := birge.CheckText(fileName, false, birge.MaxShort, false); p != "" {
		fileName = "" // a name is only a label; a broken one is not worth refusing the file for
	}
	now := people.s.now()
	im := Import{OrgID: ctr.OrgID, CenterID: ctr.ID, UserID: a.UserID, FileName: fileName, Columns: columns,
		Mapping: mapping, State: ImportChecking, CreatedAt: now, UpdatedAt: now}
	m, _ := json.Marshal(mapping)
	cols, _ := json.Marshal(columns) // the first row's values: sealed like the file
	sealed := ""
	if content != nil {
		sealed = people.s.seal.seal(string(content))
	}
	err = people.s.tx(ctx, func(c q) error {
		if err := c.row(ctx, `INSERT INTO imports (org_id, center_id, user_id, file_name, content, columns, mapping,
			state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, im.OrgID, im.CenterID,
			nullID(a.UserID), im.FileName, sealed, people.s.seal.seal(string(cols)), string(m), im.State, now, now).Scan(&im.ID); err != nil {
			return err
		}
		return people.s.audit(ctx, c, a, event{action: birge.ActionUpload, entity: birge.EntityImport, entityID: im.ID, orgID: im.OrgID,
			centerID: im.CenterID, changes: map[string]birge.Change{"file_name": {After: im.FileName}}})
	})
	return im, err
}

// GetImport returns an import to the user who uploaded it, or to anyone who may import
// into its centre. Its report names a likely duplicate by id only to a reader who may see
// her; to others it names the centre to contact, as the import's own refusals do.
func (people *People) GetImport(ctx context.Context, a *birge.Actor, id int64) (Import, error) {
	im, _, err := people.loadImport(ctx, people.s.read(), a, id)
	if err != nil || im.Report == nil {
		return im, err
	}
	var ids []int64
	for _, d := range im.Report.Duplicates {
		if d.PersonID != 0 {
			ids = append(ids, d.PersonID)
		}
	}
	seen, err := people.Names(ctx, a, ids)
	if err != nil {
		return im, err
	}
	for i, d := range im.Report.Duplicates {
		if _, ok := seen[d.PersonID]; !ok {
			im.Report.Duplicates[i].PersonID = 0
		}
	}
	return im, nil
}

// ImportFile returns an import with its file, for checking or applying it.
func (people *People) ImportFile(ctx context.Context, a *birge.Actor, id int64) (Import, []byte, error) {
	im, sealed, err := people.loadImport(ctx, people.s.read(), a, id)
	if err != nil {
		return im, nil, err
	}
	plain, err := people.s.seal.open(sealed)
	return im, []byte(plain), err
}

func (people *People) loadImport(ctx context.Context, c q, a *birge.Actor, id int64) (Import, string, error) {
	var im Import
	var user sql.NullInt64
	var columns, mapping, report, sealed string
	err := c.row(ctx, `SELECT id, org_id, center_id, user_id, file_name, content, columns, mapping, state, report,
		created_at, updated_at FROM imports WHERE id = ?`, id).Scan(&im.ID, &im.OrgID, &im.CenterID, &user,
		&im.FileName, &sealed, &columns, &mapping, &im.State, &report, &im.CreatedAt, &im.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !a.Can(birge.PermPersonImport, im.OrgID, im.CenterID)) {
		return Import{}, "", birge.ErrNotFound
	}
	if err != nil {
		return Import{}, "", err
	}
	im.UserID = user.Int64
	im.CreatedAt, im.UpdatedAt = im.CreatedAt.UTC(), im.UpdatedAt.UTC()
	if (im.State == ImportChecking || im.State == ImportApplying) && people.s.now().Sub(im.UpdatedAt) > importStale {
		im.State = ImportFailed
	}
	if columns, err = people.s.seal.open(columns); err != nil {
		return Import{}, "", err
	}
	_ = json.Unmarshal([]byte(columns), &im.Columns)
	_ = json.Unmarshal([]byte(mapping), &im.Mapping)
	if report != "" {
		im.Report = &ImportReport{}
		if err := json.Unmarshal([]byte(report), im.Report); err != nil {
			return Import{}, "", err
		}
	}
	return im, sealed, nil
}

// StartImport moves an import from one of the states in from to the state to (checking
// or applying), with a new mapping when one is given. Only one request wins: a second
// click on "Import" finds the import applying already and gets a conflict.
func (people *People) StartImport(ctx context.Context, a *birge.Actor, id int64, to string, mapping []string, from ...string) (Import, error) {
	var im Import
	err := people.s.tx(ctx, func(c q) error {
		var err error
		if im, _, err = people.loadImport(ctx, c, a, id); err != nil {
			return err
		}
		ok := false
		for _, f := range from {
			ok = ok || im.State == f
		}
		if !ok {
			return &birge.Error{Kind: birge.KindConflict, Key: "import.state_changed"}
		}
		if mapping != nil {
			im.Mapping = mapping
		}
		m, _ := json.Marshal(im.Mapping)
		im.State, im.UpdatedAt = to, people.s.now()
		_, err = c.exec(ctx, `UPDATE imports SET state = ?, mapping = ?, updated_at = ? WHERE id = ?`,
			im.State, string(m), im.UpdatedAt, id)
		return err
	})
	return im, err
}

// FinishImport records how a check ended, or that an apply failed.
func (people *People) FinishImport(ctx context.Context, a *birge.Actor, id int64, state string, rep *ImportReport) error {
	return people.s.tx(ctx, func(c q) error { return people.finishImport(ctx, c, a, id, state, rep) })
}

// finishImport records the end of a check or an apply in the caller's transaction; an
// apply's people are written in the same one, so an import is never applied twice. An
// applied file is dropped: its people are in the registry now, and a copy would only be
// one more place to leak from.
func (people *People) finishImport(ctx context.Context, c q, a *birge.Actor, id int64, state string, rep *ImportReport) error {
	im, _, err := people.loadImport(ctx, c, a, id)
	if err != nil {
		return err
	}
	// The report is kept, and may be read by others who import into the centre: it keeps
	// who matched by id only, to be named with each reader's rights.
	kept := *rep
	kept.Duplicates = slices.Clone(rep.Duplicates)
	for i := range kept.Duplicates {
		kept.Duplicates[i].Name = ""
	}
	b, err := json.Marshal(kept)
	if err != nil {
		return err
	}
	query := `UPDATE imports SET state = ?, report = ?, updated_at = ? WHERE id = ?`
	if state == ImportApplied { // the file and its first row's values go with it
		query = `UPDATE imports SET state = ?, report = ?, updated_at = ?, content = '', columns = '' WHERE id = ?`
	}
	if _, err := c.exec(ctx, query, state, string(b), people.s.now(), id); err != nil {
		return err
	}
	if state != ImportApplied {
		return nil
	}
	return people.s.audit(ctx, c, a, event{action: birge.ActionApply, entity: birge.EntityImport, entityID: id, orgID: im.OrgID,
		centerID: im.CenterID, changes: map[string]birge.Change{"created": {After: rep.Created}}})
}
