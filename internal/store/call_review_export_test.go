package store

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// TestApplication is an application as the public form leaves it once submitted, for the
// review tests, which do not depend on that form.
type TestApplication struct {
	CallID      int64
	PersonID    int64 // 0: none linked
	Status      string
	Language    string
	Answers     map[string]any
	Region      string
	District    string
	Rural       bool
	SubmittedAt time.Time
}

// InsertApplication writes an application as submitted and returns its id; its reference
// is "T-" and the id.
func (s *Store) InsertApplication(ctx context.Context, a TestApplication) (int64, error) {
	answers, err := json.Marshal(a.Answers)
	if err != nil {
		return 0, err
	}
	if a.Language == "" {
		a.Language = "ru"
	}
	var person any
	if a.PersonID != 0 {
		person = a.PersonID
	}
	var id int64
	err = s.tx(ctx, func(c q) error {
		ref := "T-new-" + strconv.FormatInt(s.now().UnixNano(), 36) // until the id names it
		if err := c.row(ctx, `INSERT INTO applications (call_id, reference, token_hash, person_id, status, language,
			answers, region, district, rural, submitted_at, created_at, updated_at)
			VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, a.CallID, ref, person, a.Status, a.Language,
			string(answers), a.Region, a.District, a.Rural, a.SubmittedAt, s.now(), s.now()).Scan(&id); err != nil {
			return err
		}
		_, err := c.exec(ctx, `UPDATE applications SET reference = ? WHERE id = ?`, "T-"+strconv.FormatInt(id, 10), id)
		return err
	})
	return id, err
}

// InsertReviewedApplications writes n eligible applications to a call, each scored by
// every one of reviewers with scores derived from its number, in one transaction: the
// fixture of the ranking benchmark.
func (s *Store) InsertReviewedApplications(ctx context.Context, call birge.Call, n int, reviewers []int64) error {
	return s.tx(ctx, func(c q) error {
		now := s.now()
		for i := range n {
			var id int64
			if err := c.row(ctx, `INSERT INTO applications (call_id, reference, token_hash, status, language, answers,
				region, submitted_at, created_at, updated_at) VALUES (?, ?, '', ?, 'ru', '{}', 'KZ75', ?, ?, ?) RETURNING id`,
				call.ID, "B-"+strconv.Itoa(i), birge.AppEligible, now.Add(time.Duration(i)*time.Second), now, now).Scan(&id); err != nil {
				return err
			}
			for j, r := range reviewers {
				scores := map[string]int{}
				for k, cr := range call.Criteria {
					scores[cr.Code] = (i*7 + j*3 + k) % (cr.Max + 1)
				}
				b, _ := json.Marshal(scores)
				if _, err := c.exec(ctx, `INSERT INTO application_reviews (call_id, application_id, reviewer_id, status,
					scores, score, lead, reviewed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
					call.ID, id, r, birge.AssignmentReviewed, string(b), birge.WeightedScore(call.Criteria, scores),
					scores[call.Criteria[0].Code], now, now, now); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
