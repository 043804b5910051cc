package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/birge-org/birge/internal/birge"
)

// Screenings is the store's view for the safety screenings of family cases (issue 11,
// decision 0024). Who sees a screening is who sees its case (sees): the case's assigned
// workers and those who manage the centre's cases, no one else; every read of the
// answers is written to the screened partner's access log. The answers are sealed with
// her key, so they are unreadable in the database and gone when she is anonymised.
type Screenings struct{ s *Store }

// sealedAnswers is what the answers column seals.
type sealedAnswers struct {
	Answers map[string]bool `json:"answers"`
	Fear    int             `json:"fear"`
}

// Questions returns an organisation's current questionnaire to those who see cases in it
// and to those who edit it (SaveQuestions).
func (sc *Screenings) Questions(ctx context.Context, a *birge.Actor, orgID int64) (birge.Questionnaire, error) {
	if !a.CanIn(birge.PermCaseView, orgID) && !a.Can(birge.PermOrgManage, orgID, 0) {
		return birge.Questionnaire{}, birge.ErrNotFound
	}
	var out birge.Questionnaire
	err := sc.s.tx(ctx, func(c q) error {
		var err error
		out, err = sc.current(ctx, c, orgID)
		return err
	})
	return out, err
}

// current is an organisation's latest version, made from the default on first use.
func (sc *Screenings) current(ctx context.Context, c q, orgID int64) (birge.Questionnaire, error) {
	var v birge.Questionnaire
	var questions string
	err := c.row(ctx, `SELECT id, questions FROM screening_versions WHERE org_id = ? ORDER BY id DESC LIMIT 1`,
		orgID).Scan(&v.VersionID, &questions)
	if errors.Is(err, sql.ErrNoRows) {
		err = c.row(ctx, `INSERT INTO screening_versions (org_id, created_at) VALUES (?, ?) RETURNING id`,
			orgID, sc.s.now()).Scan(&v.VersionID)
	}
	if err != nil {
		return v, err
	}
	return v, questionsOf(questions, &v)
}

func questionsOf(questions string, v *birge.Questionnaire) error {
	if questions == "" {
		v.Questions = birge.DefaultQuestions
		return nil
	}
	return json.Unmarshal([]byte(questions), &v.Questions)
}

// Create records one partner's screening on the organisation's current questionnaire;
// the actor must see the case. She must have been alone. The result raises the case's
// risk, and a result above none flags it again even after its flag was lifted.
func (sc *Screenings) Create(ctx context.Context, a *birge.Actor, caseID int64, sg birge.Screening) (birge.Screening, error) {
	s := sc.s
	err := s.tx(ctx, func(c q) error {
		if err := lockRow(ctx, c, "cases", caseID); err != nil {
			return err
		}
		k, err := s.Cases.get(ctx, c, a, birge.PermCaseView, caseID)
		if err != nil {
			return err
		}
		if k.Status == birge.CaseClosed {
			return &birge.Error{Kind: birge.KindConflict, Key: "case.closed"}
		}
		v, err := sc.current(ctx, c, k.OrgID)
		if err != nil {
			return err
		}
		if err := sg.Validate(v.Questions, k.PartnerIDs); err != nil {
			return err
		}
		sg.CaseID, sg.VersionID, sg.ScreenedBy, sg.ScreenedAt = k.ID, v.VersionID, a.UserID, s.now()
		sg.Result = birge.ScreeningResult(v.Questions, sg.Answers, sg.Fear)
		if err := c.row(ctx, `INSERT INTO screenings (case_id, person_id, version_id, alone, answers, result,
			screened_by, screened_at) VALUES (?, ?, ?, ?, '', ?, ?, ?) RETURNING id`, k.ID, sg.PersonID, sg.VersionID,
			sg.Alone, sg.Result, nullID(a.UserID), sg.ScreenedAt).Scan(&sg.ID); err != nil {
			return err
		}
		// The entry first: it locks her organisation's audit chain, so that her key is
		// made once (personKey); then the answers, sealed with it.
		if err := s.audit(ctx, c, a, event{action: birge.ActionCreate, entity: birge.EntityScreening, entityID: sg.ID,
			orgID: k.OrgID, centerID: k.CenterID, changes: birge.Diff(nil, map[string]any{"person_id": sg.PersonID,
				"case_id": k.ID, "version_id": sg.VersionID, "alone": sg.Alone, "result": sg.Result})}); err != nil {
			return err
		}
		aead, err := s.personKey(ctx, c, sg.PersonID)
		if err != nil {
			return err
		}
		plain, err := json.Marshal(sealedAnswers{sg.Answers, sg.Fear})
		if err != nil {
			return err
		}
		if _, err := c.exec(ctx, `UPDATE screenings SET answers = ? WHERE id = ?`, sealWith(aead, string(plain)), sg.ID); err != nil {
			return err
		}
		if sg.Result == birge.RiskNone {
			return nil
		}
		if _, err = c.exec(ctx, `UPDATE cases SET risk = ?, override_reason = '', override_by = NULL, override_at = NULL,
			updated_at = ? WHERE id = ?`, birge.HigherRisk(k.Risk, sg.Result), nextVersion(s.now(), k.UpdatedAt), k.ID); err != nil {
			return err
		}
		// Flagged now, the joint sessions already booked are cancelled, not left on the
		// calendar and tomorrow's call list for the gate to catch too late.
		flagged, err := s.Cases.get(ctx, c, a, birge.PermCaseView, k.ID)
		if err != nil {
			return err
		}
		return s.Sessions.cancelAhead(ctx, c, a, k.ID, func(x birge.Session) bool {
			return birge.SessionRefused(flagged, x.Type, x.PersonIDs) != nil
		})
	})
	return sg, err
}

// List returns a case's screenings, with their answers opened, to those who see the
// case, and writes each screened partner's access log.
func (sc *Screenings) List(ctx context.Context, a *birge.Actor, caseID int64) ([]birge.Screening, error) {
	s := sc.s
	out := []birge.Screening{}
	err := s.tx(ctx, func(c q) error {
		k, err := s.Cases.get(ctx, c, a, birge.PermCaseView, caseID)
		if err != nil {
			return err
		}
		rows, err := c.query(ctx, `SELECT id, person_id, version_id, alone, answers, result, screened_by, screened_at
			FROM screenings WHERE case_id = ? ORDER BY id`, k.ID)
		if err != nil {
			return err
		}
		var sealed []string
		for rows.Next() {
			sg := birge.Screening{CaseID: k.ID}
			var answers string
			var by sql.NullInt64
			if err := rows.Scan(&sg.ID, &sg.PersonID, &sg.VersionID, &sg.Alone, &answers, &sg.Result, &by,
				&sg.ScreenedAt); err != nil {
				rows.Close()
				return err
			}
			sg.ScreenedBy, sg.ScreenedAt = by.Int64, sg.ScreenedAt.UTC()
			out, sealed = append(out, sg), append(sealed, answers)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		logged := map[int64]bool{}
		for i := range out {
			if err := sc.open(ctx, c, &out[i], sealed[i]); err != nil {
				return err
			}
			if !logged[out[i].PersonID] {
				logged[out[i].PersonID] = true
				if err := s.People.logAccess(ctx, c, a, birge.Person{ID: out[i].PersonID, OrgID: k.OrgID},
					"screening_view"); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return out, err
}

// open fills a screening's answers from their sealed text; they are empty once she has
// no key any more.
func (sc *Screenings) open(ctx context.Context, c q, sg *birge.Screening, sealed string) error {
	sg.Answers = map[string]bool{}
	aead, err := sc.s.loadPersonKey(ctx, c, sg.PersonID)
	if err != nil || aead == nil {
		return err
	}
	plain, err := openWith(aead, sealed)
	if err != nil {
		return err
	}
	var v sealedAnswers
	if err := json.Unmarshal([]byte(plain), &v); err != nil {
		return err
	}
	sg.Answers, sg.Fear = v.Answers, v.Fear
	return nil
}
