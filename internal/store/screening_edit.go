package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"github.com/birge-org/birge/internal/birge"
)

// SaveQuestions makes a new version of an organisation's questionnaire and makes it the
// current one (decision 0028): edited texts, questions added, questions retired (left
// out). Its administrators (org.manage) may, as they configure its other lists; a
// centre's coordinator screens with it but does not rewrite it for every office.
// Nothing is changed in place: each screening keeps the version it answered, so an edit
// never changes an old result. based is the version the edit was made on; when another
// was saved since, nothing is saved (ErrChangedMeanwhile).
func (sc *Screenings) SaveQuestions(ctx context.Context, a *birge.Actor, orgID, based int64, qs []birge.Question) (birge.Questionnaire, error) {
	if err := canManageCategories(a, orgID); err != nil {
		return birge.Questionnaire{}, err
	}
	if qs == nil {
		qs = []birge.Question{}
	}
	if err := birge.ValidateQuestions(qs); err != nil {
		return birge.Questionnaire{}, err
	}
	text, err := json.Marshal(qs)
	if err != nil {
		return birge.Questionnaire{}, err
	}
	out := birge.Questionnaire{Questions: qs}
	err = sc.s.tx(ctx, func(c q) error {
		// The organisation's row is the lock that queues two editors.
		if err := lockRow(ctx, c, "organizations", orgID); err != nil {
			return err
		}
		cur, err := sc.current(ctx, c, orgID)
		if err != nil {
			return err
		}
		if based != 0 && based != cur.VersionID {
			return birge.ErrChangedMeanwhile
		}
		if err := c.row(ctx, `INSERT INTO screening_versions (org_id, questions, created_at) VALUES (?, ?, ?)
			RETURNING id`, orgID, string(text), sc.s.now()).Scan(&out.VersionID); err != nil {
			return err
		}
		return sc.s.audit(ctx, c, a, event{action: birge.ActionCreate, entity: birge.EntityQuestions,
			entityID: out.VersionID, orgID: orgID, changes: birge.Diff(nil, map[string]any{"questions": codesOf(qs)})})
	})
	return out, err
}

// codesOf names a version's questions in its audit entry.
func codesOf(qs []birge.Question) string {
	codes := make([]string, len(qs))
	for i, q := range qs {
		codes[i] = q.Code
	}
	return strings.Join(codes, ",")
}

// Version returns one version of an organisation's questionnaire, the one an old
// screening answered, to those who see cases in it.
func (sc *Screenings) Version(ctx context.Context, a *birge.Actor, orgID, id int64) (birge.Questionnaire, error) {
	if !a.CanIn(birge.PermCaseView, orgID) && !a.Can(birge.PermOrgManage, orgID, 0) {
		return birge.Questionnaire{}, birge.ErrNotFound
	}
	v := birge.Questionnaire{VersionID: id}
	var questions string
	err := sc.s.read().row(ctx, `SELECT questions FROM screening_versions WHERE id = ? AND org_id = ?`, id, orgID).Scan(&questions)
	if errors.Is(err, sql.ErrNoRows) {
		return v, birge.ErrNotFound
	}
	if err != nil {
		return v, err
	}
	return v, questionsOf(questions, &v)
}
