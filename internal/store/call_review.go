package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/geo"
)

// Review of a call's applications (decision 0036): the pool of reviewers and their
// assignments, the blind application, scores and conflicts of interest. A reviewer reaches
// only the applications assigned to her (others are not found); officers (call.manage)
// assign and read the scores.

// callByID loads a call with no check of who asks: the caller has checked.
func (calls *Calls) callByID(ctx context.Context, c q, id int64) (birge.Call, error) {
	call, err := calls.scanCall(c.row(ctx, `SELECT `+callColumns+` FROM calls c WHERE c.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return call, birge.ErrNotFound
	}
	return call, err
}

// decided reports whether a call's decision is confirmed: from then on its reviews and
// assignments stand.
func decided(ctx context.Context, c q, callID int64) (bool, error) {
	var n int
	err := c.row(ctx, `SELECT COUNT(*) FROM call_decisions WHERE call_id = ?`, callID).Scan(&n)
	return n > 0, err
}

var errDecided = &birge.Error{Kind: birge.KindConflict, Key: "decision.made"}

// ReviewPool is a call's pool of reviewers and its rules.
type ReviewPool struct {
	Reviewers       []birge.CallReviewer `json:"reviewers"`
	PerApplication  int                  `json:"per_application"`
	ExcludeDistrict bool                 `json:"exclude_district"`
}

// Assignments are a call's pool, its reviewers' assignments and the applications left
// with fewer reviewers than asked (none could be found who is free of them).
type Assignments struct {
	ReviewPool
	Items []birge.ReviewAssignment `json:"items"`
	Short []int64                  `json:"short"`
}

// pool reads a call's pool of reviewers, by user id.
func pool(ctx context.Context, c q, callID int64) (ReviewPool, error) {
	rows, err := c.query(ctx, `SELECT p.user_id, u.name, p.district, p.per_application, p.exclude_district
		FROM review_pools p JOIN users u ON u.id = p.user_id WHERE p.call_id = ? ORDER BY p.user_id`, callID)
	if err != nil {
		return ReviewPool{}, err
	}
	defer rows.Close()
	out := ReviewPool{Reviewers: []birge.CallReviewer{}}
	for rows.Next() {
		var r birge.CallReviewer
		if err := rows.Scan(&r.UserID, &r.Name, &r.District, &out.PerApplication, &out.ExcludeDistrict); err != nil {
			return out, err
		}
		out.Reviewers = append(out.Reviewers, r)
	}
	return out, rows.Err()
}

// reviewersOf returns which of ids are users holding the reviewer role in the
// organisation (not disabled), with their names.
func reviewersOf(ctx context.Context, c q, orgID int64, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	args := []any{birge.RoleReviewer, orgID}
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := c.query(ctx, `SELECT DISTINCT u.id, u.name FROM users u JOIN grants g ON g.user_id = u.id
		WHERE g.role = ? AND g.org_id = ? AND u.disabled = FALSE AND u.id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}

// Assign names a call's pool of reviewers (replacing the pool it had) and gives every
// eligible application reviewers until it has perApp who have not declared a conflict:
// the least-loaded first (birge.AssignReviewers). Assigning again after new applications
// or a larger pool adds what is missing and never moves a reviewer already assigned.
// Officers (call.manage) may.
func (calls *Calls) Assign(ctx context.Context, a *birge.Actor, callID int64, p ReviewPool) (Assignments, error) {
	s := calls.s
	birge.SortPool(p.Reviewers)
	if err := birge.CheckPool(p.Reviewers, p.PerApplication); err != nil {
		return Assignments{}, err
	}
	err := s.tx(ctx, func(c q) error {
		if err := lockRow(ctx, c, "calls", callID); err != nil {
			return err
		}
		call, err := calls.get(ctx, c, a, birge.PermCallManage, callID)
		if err != nil {
			return err
		}
		if done, err := decided(ctx, c, callID); err != nil || done {
			return cmpErr(err, errDecided)
		}
		ids := make([]int64, len(p.Reviewers))
		for i, r := range p.Reviewers {
			ids[i] = r.UserID
		}
		names, err := reviewersOf(ctx, c, call.OrgID, ids)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if _, ok := names[id]; !ok {
				return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid",
					Fields: birge.Problems{"reviewer_ids": "review.not_reviewer"}}
			}
		}
		if _, err := c.exec(ctx, `DELETE FROM review_pools WHERE call_id = ?`, callID); err != nil {
			return err
		}
		for _, r := range p.Reviewers {
			if _, err := c.exec(ctx, `INSERT INTO review_pools (call_id, user_id, district, per_application,
				exclude_district, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
				callID, r.UserID, strings.TrimSpace(r.District), p.PerApplication, p.ExcludeDistrict, s.now()); err != nil {
				return err
			}
		}
		apps, load, err := assignState(ctx, c, callID)
		if err != nil {
			return err
		}
		news, _ := birge.AssignReviewers(apps, p.Reviewers, load, p.PerApplication, p.ExcludeDistrict)
		var events []event
		for _, n := range news {
			id, err := insertAssignment(ctx, c, callID, n, s.now())
			if err != nil {
				return err
			}
			events = append(events, event{action: birge.ActionCreate, entity: birge.EntityReview, entityID: id,
				orgID: call.OrgID, changes: birge.Diff(nil, map[string]any{"application_id": n.ApplicationID,
					"reviewer_id": n.ReviewerID, "status": birge.AssignmentAssigned})})
		}
		events = append(events, event{action: birge.ActionUpdate, entity: birge.EntityCall, entityID: callID,
			orgID: call.OrgID, changes: birge.Diff(nil, map[string]any{"review_pool": poolText(p)})})
		return s.auditMany(ctx, c, a, events)
	})
	if err != nil {
		return Assignments{}, err
	}
	return calls.Assignments(ctx, a, callID)
}

// cmpErr returns err when there is one, else the rule's error.
func cmpErr(err, rule error) error {
	if err != nil {
		return err
	}
	return rule
}

// poolText is a pool as its audit entry records it: "per 3, away from their district:
// 12 (Аксу), 14".
func poolText(p ReviewPool) string {
	var b strings.Builder
	b.WriteString("per_application=" + strconv.Itoa(p.PerApplication))
	if p.ExcludeDistrict {
		b.WriteString(" exclude_district")
	}
	for _, r := range p.Reviewers {
		b.WriteString(" " + strconv.FormatInt(r.UserID, 10))
		if r.District != "" {
			b.WriteString("(" + r.District + ")")
		}
	}
	return b.String()
}

func insertAssignment(ctx context.Context, c q, callID int64, n birge.Assignment, now time.Time) (int64, error) {
	var id int64
	err := c.row(ctx, `INSERT INTO application_reviews (call_id, application_id, reviewer_id, status, created_at,
		updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		callID, n.ApplicationID, n.ReviewerID, birge.AssignmentAssigned, now, now).Scan(&id)
	return id, err
}

// assignState reads what assignment needs: the call's eligible applications by id, with
// their reviewers, and each reviewer's load in the call.
func assignState(ctx context.Context, c q, callID int64) ([]birge.AssignApplication, map[int64]int, error) {
	rows, err := c.query(ctx, `SELECT a.id, a.district, r.reviewer_id, r.status FROM applications a
		LEFT JOIN application_reviews r ON r.application_id = a.id
		WHERE a.call_id = ? AND a.status = ? ORDER BY a.id, r.id`, callID, birge.AppEligible)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var apps []birge.AssignApplication
	for rows.Next() {
		var id int64
		var district string
		var reviewer sql.NullInt64
		var status sql.NullString
		if err := rows.Scan(&id, &district, &reviewer, &status); err != nil {
			return nil, nil, err
		}
		if len(apps) == 0 || apps[len(apps)-1].ID != id {
			apps = append(apps, birge.AssignApplication{ID: id, District: district})
		}
		if reviewer.Valid {
			ap := &apps[len(apps)-1]
			ap.Taken = append(ap.Taken, reviewer.Int64)
			if status.String != birge.AssignmentConflict {
				ap.Active++
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	load, err := loads(ctx, c, callID)
	return apps, load, err
}

// loads counts each reviewer's applications in a call, conflicts left out.
func loads(ctx context.Context, c q, callID int64) (map[int64]int, error) {
	rows, err := c.query(ctx, `SELECT reviewer_id, COUNT(*) FROM application_reviews
		WHERE call_id = ? AND status <> ? GROUP BY reviewer_id`, callID, birge.AssignmentConflict)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	load := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		load[id] = n
	}
	return load, rows.Err()
}

// Assignments lists a call's pool and assignments, by application, and the eligible
// applications short of reviewers; for those who see the call.
func (calls *Calls) Assignments(ctx context.Context, a *birge.Actor, callID int64) (Assignments, error) {
	c := calls.s.read()
	if _, err := calls.get(ctx, c, a, birge.PermCallView, callID); err != nil {
		return Assignments{}, err
	}
	p, err := pool(ctx, c, callID)
	if err != nil {
		return Assignments{}, err
	}
	out := Assignments{ReviewPool: p, Items: []birge.ReviewAssignment{}, Short: []int64{}}
	rows, err := c.query(ctx, `SELECT r.id, r.application_id, a.reference, r.reviewer_id, u.name, r.status, r.created_at
		FROM application_reviews r JOIN applications a ON a.id = r.application_id JOIN users u ON u.id = r.reviewer_id
		WHERE r.call_id = ? ORDER BY r.application_id, r.id`, callID)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		var x birge.ReviewAssignment
		if err := rows.Scan(&x.ID, &x.ApplicationID, &x.Reference, &x.ReviewerID, &x.ReviewerName, &x.Status, &x.CreatedAt); err != nil {
			return out, err
		}
		x.CreatedAt = x.CreatedAt.UTC()
		out.Items = append(out.Items, x)
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	if p.PerApplication > 0 {
		apps, _, err := assignState(ctx, c, callID)
		if err != nil {
			return out, err
		}
		for _, ap := range apps {
			if ap.Active < p.PerApplication {
				out.Short = append(out.Short, ap.ID)
			}
		}
	}
	return out, nil
}

// MyAssignment is an application assigned to the reviewer who asks, as her list shows it:
// the call's title and nothing of the applicant.
type MyAssignment struct {
	ApplicationID int64            `json:"application_id"`
	CallID        int64            `json:"call_id"`
	CallTitles    birge.CallTitles `json:"call"`
	Status        string           `json:"status"` // assigned or reviewed
}

// MyAssignments lists the applications assigned to the reviewer who asks and not given up
// for a conflict, those still to score first.
func (calls *Calls) MyAssignments(ctx context.Context, a *birge.Actor) ([]MyAssignment, error) {
	all, orgs := callOrgs(a, birge.PermApplicationReview)
	if !all && len(orgs) == 0 {
		return nil, birge.ErrForbidden
	}
	rows, err := calls.s.read().query(ctx, `SELECT r.application_id, c.id, c.org_id, c.title_kk, c.title_ru, c.title_ky,
		c.title_en, r.status FROM application_reviews r JOIN calls c ON c.id = r.call_id
		WHERE r.reviewer_id = ? AND r.status <> ? ORDER BY r.status, r.application_id`, a.UserID, birge.AssignmentConflict)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []MyAssignment{}
	for rows.Next() {
		var m MyAssignment
		var org int64
		if err := rows.Scan(&m.ApplicationID, &m.CallID, &org, &m.CallTitles.KK, &m.CallTitles.RU, &m.CallTitles.KY,
			&m.CallTitles.EN, &m.Status); err != nil {
			return nil, err
		}
		if a.CanIn(birge.PermApplicationReview, org) {
			out = append(out, m)
		}
	}
	return out, rows.Err()
}

// assignmentOf is the reviewer's own row on an application, or ErrNotFound: a reviewer
// reaches only what is assigned to her, and not what she gave up for a conflict.
func assignmentOf(ctx context.Context, c q, a *birge.Actor, appID int64) (id int64, status string, err error) {
	err = c.row(ctx, `SELECT id, status FROM application_reviews WHERE application_id = ? AND reviewer_id = ?`,
		appID, a.UserID).Scan(&id, &status)
	if errors.Is(err, sql.ErrNoRows) || err == nil && status == birge.AssignmentConflict {
		return 0, "", birge.ErrNotFound
	}
	return id, status, err
}

// applicationRow is an application as the review reads it.
type applicationRow struct {
	birge.StaffApplication
	orgID int64
}

const applicationColumns = `a.id, a.call_id, c.org_id, a.reference, a.status, a.language, a.person_id, a.region,
	a.district, a.rural, a.answers, a.eligibility_reasons, a.submitted_at`

func scanApplication(row interface{ Scan(...any) error }) (applicationRow, error) {
	var r applicationRow
	var person sql.NullInt64
	var submitted sql.NullTime
	var answers, reasons string
	err := row.Scan(&r.ID, &r.CallID, &r.orgID, &r.Reference, &r.Status, &r.Language, &person, &r.Region, &r.District,
		&r.Rural, &answers, &reasons, &submitted)
	if err != nil {
		return r, err
	}
	if person.Valid {
		r.PersonID = &person.Int64
	}
	if submitted.Valid {
		t := submitted.Time.UTC()
		r.SubmittedAt = &t
	}
	r.Answers = map[string]json.RawMessage{}
	if err := json.Unmarshal([]byte(answers), &r.Answers); err != nil {
		return r, err
	}
	r.EligibilityReasons = json.RawMessage(reasons)
	return r, nil
}

func loadApplication(ctx context.Context, c q, id int64) (applicationRow, error) {
	r, err := scanApplication(c.row(ctx, `SELECT `+applicationColumns+` FROM applications a
		JOIN calls c ON c.id = a.call_id WHERE a.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, birge.ErrNotFound
	}
	return r, err
}

// ApplicationView is an application as the one who asks may read it: in full (Staff, as
// Applications.Get gives it: who she is, her answers and files, the rules' answer) for
// those who see the call, blind (Blind) for a reviewer it is assigned to.
type ApplicationView struct {
	Staff *birge.Application
	Blind *birge.BlindApplication
}

// Application returns an application: in full to those who see its call (call.view),
// blind to a reviewer it is assigned to; to anyone else it is not found.
func (calls *Calls) Application(ctx context.Context, a *birge.Actor, id int64) (ApplicationView, error) {
	c := calls.s.read()
	r, err := loadApplication(ctx, c, id)
	if err != nil {
		return ApplicationView{}, err
	}
	if a.CanIn(birge.PermCallView, r.orgID) {
		app, err := calls.s.Applications.Get(ctx, a, id)
		return ApplicationView{Staff: &app}, err
	}
	if !a.CanIn(birge.PermApplicationReview, r.orgID) {
		return ApplicationView{}, birge.ErrNotFound
	}
	if _, _, err := assignmentOf(ctx, c, a, id); err != nil {
		return ApplicationView{}, err
	}
	call, err := calls.callByID(ctx, c, r.CallID)
	if err != nil {
		return ApplicationView{}, err
	}
	words, err := calls.identifyingWords(ctx, c, r, call.Form)
	if err != nil {
		return ApplicationView{}, err
	}
	form, answers := birge.BlindAnswers(call.Form, r.Answers, words)
	b := &birge.BlindApplication{ID: r.ID, CallID: r.CallID, CallTitles: call.CallTitles, Region: r.Region,
		Rural: r.Rural, Form: form, Answers: answers, Criteria: call.Criteria}
	mine, err := calls.review(ctx, c, id, a.UserID)
	switch {
	case err == nil:
		b.Review = &mine
	case !errors.Is(err, birge.ErrNotFound):
		return ApplicationView{}, err
	}
	return ApplicationView{Blind: b}, nil
}

// identifyingWords are what identifies an applicant in the text she typed: from her
// record in the registry, her names, identity numbers, phones, email, district and
// settlement; from her application, the same as she typed them (a record found by her
// identity number or phone may spell her otherwise, in another script, and hold no
// village), her district and her answers to the fields that identify (a child's name, a
// school).
func (calls *Calls) identifyingWords(ctx context.Context, c q, r applicationRow, form []birge.CallField) ([]string, error) {
	words := districtWords(r.District)
	for _, f := range form {
		var s string
		if raw, ok := r.Answers[f.Code]; ok && f.Identifying() && json.Unmarshal(raw, &s) == nil {
			words = append(words, s)
		}
	}
	typed, err := scanApp(c.row(ctx, `SELECT `+appColumns+` FROM applications a JOIN calls c ON c.id = a.call_id
		WHERE a.id = ?`, r.ID))
	if err != nil {
		return nil, err
	}
	if err := calls.s.Applications.open(ctx, c, &typed); err != nil {
		return nil, err
	}
	she := typed.Applicant
	words = append(words, she.FamilyName, she.GivenName, she.Patronymic, she.IIN, she.Email, she.Settlement)
	words = append(words, districtWords(she.District)...)
	words = append(words, she.Phones...)
	if r.PersonID == nil {
		return words, nil
	}
	p, err := scanPerson(c.row(ctx, `SELECT `+personColumns+` FROM people p WHERE p.id = ?`, *r.PersonID))
	if errors.Is(err, sql.ErrNoRows) {
		return words, nil
	}
	if err != nil {
		return nil, err
	}
	iin, pin, err := calls.s.People.openIdentity(p, true)
	if err != nil {
		return nil, err
	}
	phones, err := personPhones(ctx, c, p.ID)
	if err != nil {
		return nil, err
	}
	words = append(words, p.FamilyName, p.GivenName, p.Patronymic, iin, pin, p.Email, p.Settlement)
	words = append(words, districtWords(p.District)...)
	return append(words, phones...), nil
}

// districtWords are a district's code and its names in the four languages.
func districtWords(code string) []string {
	d, ok := geo.LookupDistrict(code)
	if !ok {
		return []string{code}
	}
	return []string{code, d.Names.KK, d.Names.RU, d.Names.KY, d.Names.EN}
}

// review reads a reviewer's scored review of an application, or ErrNotFound.
func (calls *Calls) review(ctx context.Context, c q, appID, reviewerID int64) (birge.Review, error) {
	rows, err := calls.reviews(ctx, c, `r.application_id = ? AND r.reviewer_id = ?`, appID, reviewerID)
	if err != nil {
		return birge.Review{}, err
	}
	if len(rows) == 0 {
		return birge.Review{}, birge.ErrNotFound
	}
	return rows[0], nil
}

// reviews reads the scored reviews that match cond, by application and id.
func (calls *Calls) reviews(ctx context.Context, c q, cond string, args ...any) ([]birge.Review, error) {
	rows, err := c.query(ctx, `SELECT r.id, r.application_id, r.reviewer_id, u.name, r.scores, r.score, r.comment,
		r.reviewed_at FROM application_reviews r JOIN users u ON u.id = r.reviewer_id
		WHERE r.status = ? AND `+cond+` ORDER BY r.application_id, r.id`, append([]any{birge.AssignmentReviewed}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []birge.Review{}
	for rows.Next() {
		var v birge.Review
		var scores string
		var score int64
		if err := rows.Scan(&v.ID, &v.ApplicationID, &v.ReviewerID, &v.ReviewerName, &scores, &score, &v.Comment,
			&v.ReviewedAt); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(scores), &v.Scores); err != nil {
			return nil, err
		}
		v.Score = float64(score) / birge.ScoreUnit
		v.ReviewedAt = v.ReviewedAt.UTC()
		out = append(out, v)
	}
	return out, rows.Err()
}

// Reviews lists the scored reviews of an application, with their reviewers' names, for
// officers of its call (call.manage).
func (calls *Calls) Reviews(ctx context.Context, a *birge.Actor, appID int64) ([]birge.Review, error) {
	c := calls.s.read()
	r, err := loadApplication(ctx, c, appID)
	if err != nil {
		return nil, err
	}
	if _, err := calls.get(ctx, c, a, birge.PermCallManage, r.CallID); err != nil {
		return nil, err
	}
	return calls.reviews(ctx, c, `r.application_id = ?`, appID)
}

// ReviewInput is what a reviewer sends about an application: her scores and comment, or
// a conflict of interest.
type ReviewInput struct {
	Scores   map[string]int `json:"scores"`
	Comment  string         `json:"comment"`
	Conflict bool           `json:"conflict"`
}

// ReviewResult is what became of a reviewer's input: her review, or for a conflict who
// replaced her (ReplacedBy 0 when no one in the pool could: the officers' assignment page
// shows the application short of a reviewer).
type ReviewResult struct {
	Review     *birge.Review `json:"review,omitempty"`
	Conflict   bool          `json:"conflict"`
	ReplacedBy int64         `json:"replaced_by,omitempty"`
	Short      bool          `json:"short"`
}

// SubmitReview records a reviewer's scores of an application assigned to her, or her
// conflict of interest. Scores again before the call's decision replace her review
// (audited); a conflict takes her off the application and, in the same transaction, puts
// on it the least-loaded reviewer of the pool who is not on it yet (and, if the officer
// asked, not from the applicant's district).
func (calls *Calls) SubmitReview(ctx context.Context, a *birge.Actor, appID int64, in ReviewInput) (ReviewResult, error) {
	s := calls.s
	var out ReviewResult
	err := s.tx(ctx, func(c q) error {
		r, err := loadApplication(ctx, c, appID)
		if err != nil {
			return err
		}
		if !a.CanIn(birge.PermApplicationReview, r.orgID) {
			if a.CanIn(birge.PermCallView, r.orgID) {
				return birge.ErrForbidden
			}
			return birge.ErrNotFound
		}
		if err := lockRow(ctx, c, "calls", r.CallID); err != nil {
			return err
		}
		id, status, err := assignmentOf(ctx, c, a, appID)
		if err != nil {
			return err
		}
		if done, err := decided(ctx, c, r.CallID); err != nil || done {
			return cmpErr(err, errDecided)
		}
		if in.Conflict {
			out, err = calls.conflict(ctx, c, a, r, id, status)
			return err
		}
		call, err := calls.callByID(ctx, c, r.CallID)
		if err != nil {
			return err
		}
		if in.Scores == nil {
			in.Scores = map[string]int{}
		}
		if err := birge.CheckScores(call.Criteria, in.Scores, in.Comment); err != nil {
			return err
		}
		old, err := calls.review(ctx, c, appID, a.UserID)
		if err != nil && !errors.Is(err, birge.ErrNotFound) {
			return err
		}
		scores, _ := json.Marshal(in.Scores)
		score, lead := birge.WeightedScore(call.Criteria, in.Scores), 0
		if len(call.Criteria) > 0 {
			lead = in.Scores[call.Criteria[0].Code]
		}
		if _, err := c.exec(ctx, `UPDATE application_reviews SET status = ?, scores = ?, score = ?, lead = ?, comment = ?,
			reviewed_at = ?, updated_at = ? WHERE id = ?`, birge.AssignmentReviewed, string(scores), score, lead, in.Comment,
			s.now(), s.now(), id); err != nil {
			return err
		}
		before := map[string]any{"status": status}
		if status == birge.AssignmentReviewed {
			oldScores, _ := json.Marshal(old.Scores)
			before = map[string]any{"status": status, "scores": string(oldScores), "comment": old.Comment}
		}
		changes := birge.Diff(before, map[string]any{"status": birge.AssignmentReviewed, "scores": string(scores), "comment": in.Comment})
		if len(changes) > 0 {
			if err := s.audit(ctx, c, a, event{action: birge.ActionUpdate, entity: birge.EntityReview, entityID: id,
				orgID: r.orgID, changes: changes}); err != nil {
				return err
			}
		}
		v, err := calls.review(ctx, c, appID, a.UserID)
		out.Review = &v
		return err
	})
	return out, err
}

// conflict takes the reviewer off an application for a conflict of interest (her scores,
// if any, no longer count) and puts the pool's least-loaded free reviewer on it.
func (calls *Calls) conflict(ctx context.Context, c q, a *birge.Actor, r applicationRow, id int64, status string) (ReviewResult, error) {
	s := calls.s
	out := ReviewResult{Conflict: true}
	if _, err := c.exec(ctx, `UPDATE application_reviews SET status = ?, updated_at = ? WHERE id = ?`,
		birge.AssignmentConflict, s.now(), id); err != nil {
		return out, err
	}
	events := []event{{action: birge.ActionUpdate, entity: birge.EntityReview, entityID: id, orgID: r.orgID,
		changes: birge.Diff(map[string]any{"status": status}, map[string]any{"status": birge.AssignmentConflict})}}
	p, err := pool(ctx, c, r.CallID)
	if err != nil {
		return out, err
	}
	var taken []int64
	rows, err := c.query(ctx, `SELECT reviewer_id FROM application_reviews WHERE application_id = ?`, r.ID)
	if err != nil {
		return out, err
	}
	for rows.Next() {
		var u int64
		if err := rows.Scan(&u); err != nil {
			rows.Close()
			return out, err
		}
		taken = append(taken, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, err
	}
	load, err := loads(ctx, c, r.CallID)
	if err != nil {
		return out, err
	}
	next, ok := birge.LeastLoaded(p.Reviewers, load, taken, r.District, p.ExcludeDistrict)
	if ok {
		nid, err := insertAssignment(ctx, c, r.CallID, birge.Assignment{ApplicationID: r.ID, ReviewerID: next}, s.now())
		if err != nil {
			return out, err
		}
		out.ReplacedBy = next
		events = append(events, event{action: birge.ActionCreate, entity: birge.EntityReview, entityID: nid,
			orgID: r.orgID, changes: birge.Diff(nil, map[string]any{"application_id": r.ID, "reviewer_id": next,
				"status": birge.AssignmentAssigned, "replaces": a.UserID})})
	} else {
		out.Short = true
	}
	return out, s.auditMany(ctx, c, a, events)
}

// Candidates lists the reviewers an officer may put in a call's pool: the users holding
// the reviewer role in its organisation, by name, each with the district the pool gives
// her ("" when she is not in it) and whether she is in it.
func (calls *Calls) Candidates(ctx context.Context, a *birge.Actor, callID int64) ([]Candidate, error) {
	c := calls.s.read()
	call, err := calls.get(ctx, c, a, birge.PermCallManage, callID)
	if err != nil {
		return nil, err
	}
	rows, err := c.query(ctx, `SELECT DISTINCT u.id, u.name, COALESCE(p.district, ''), p.user_id IS NOT NULL
		FROM users u JOIN grants g ON g.user_id = u.id
		LEFT JOIN review_pools p ON p.call_id = ? AND p.user_id = u.id
		WHERE g.role = ? AND g.org_id = ? AND u.disabled = FALSE ORDER BY u.name, u.id`, callID, birge.RoleReviewer, call.OrgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Candidate{}
	for rows.Next() {
		var x Candidate
		if err := rows.Scan(&x.UserID, &x.Name, &x.District, &x.InPool); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// Candidate is a reviewer who may be put in a call's pool.
type Candidate struct {
	birge.CallReviewer
	InPool bool
}
