package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// Follow-ups of the women who completed a course (issue 12, decision 0033). A follow-up
// not yet recorded has no row: it is due, on a day, for every completed enrolment and
// every month of its course's list, counted from the day she completed (else the
// cohort's last day). Recording one writes its row and her outcomes in one transaction.

// FollowupFilter narrows the list of follow-ups.
type FollowupFilter struct {
	State     string // due, overdue, or "" for both
	CenterID  int64
	TrainerID int64
	CohortID  int64
	Limit     int // 0: MaxFollowups
}

// MaxFollowups bounds one list of follow-ups, so that it stays a page and not a dump.
const MaxFollowups = 500

// followupRow is a completed enrolment, whose follow-ups the list computes.
type followupRow struct {
	birge.Followup
	base   string
	months []int
}

// cohortSight is the condition on cohorts h that the actor sees: all of those held where
// she holds training.manage, those she trains where she holds training.view.
func cohortSight(a *birge.Actor) where {
	all, own := where{}, where{}
	all.scope("h.org_id", "h.center_id", a.ScopeOf(birge.PermTrainingManage))
	own.scope("h.org_id", "h.center_id", a.ScopeOf(birge.PermTrainingView))
	own.add("EXISTS (SELECT 1 FROM cohort_trainers ct WHERE ct.cohort_id = h.id AND ct.user_id = ?)", a.UserID)
	allSQL := "1 = 1"
	if len(all.conds) > 0 {
		allSQL = all.conds[0]
	}
	return where{conds: []string{"(" + allSQL + " OR (" + strings.Join(own.conds, " AND ") + "))"},
		args: append(all.args, own.args...)}
}

const followupBase = `COALESCE(e.completed_on, h.ends_on)`

// Followups lists the follow-ups due or overdue on the actor's today, of the cohorts she
// sees (a trainer: those she trains), the earliest first.
func (t *Trainings) Followups(ctx context.Context, a *birge.Actor, f FollowupFilter) ([]birge.Followup, error) {
	if a.ScopeOf(birge.PermTrainingView).Empty() {
		return nil, birge.ErrForbidden
	}
	if f.State != "" && f.State != birge.FollowupDue && f.State != birge.FollowupOverdue {
		return nil, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"status": "field.choose"}}
	}
	if f.Limit <= 0 || f.Limit > MaxFollowups {
		f.Limit = MaxFollowups
	}
	today := a.Today(t.s.now())
	w := cohortSight(a)
	w.add("e.status = ?", birge.EnrollmentCompleted)
	// Only enrolments some follow-up of which can be due: completed at most the longest
	// list ago (and its month to reach her), and at least a month ago.
	oldest, _ := birge.AddMonths(today.Format(time.DateOnly), -birge.MaxFollowupMonths-2)
	latest, _ := birge.AddMonths(today.Format(time.DateOnly), -1)
	w.add(followupBase+" >= ?", oldest)
	w.add(followupBase+" <= ?", latest)
	if f.CenterID != 0 {
		w.add("h.center_id = ?", f.CenterID)
	}
	if f.CohortID != 0 {
		w.add("h.id = ?", f.CohortID)
	}
	if f.TrainerID != 0 {
		w.add("EXISTS (SELECT 1 FROM cohort_trainers tf WHERE tf.cohort_id = h.id AND tf.user_id = ?)", f.TrainerID)
	}
	c := t.s.read()
	rows, err := c.query(ctx, `SELECT e.id, h.org_id, COALESCE(h.center_id, 0), h.id, h.course_id, e.person_id,
		p.family_name, p.given_name, p.patronymic, `+followupBase+`, k.followup_months
		FROM enrollments e JOIN cohorts h ON h.id = e.cohort_id JOIN courses k ON k.id = h.course_id
		JOIN people p ON p.id = e.person_id`+w.sql()+` ORDER BY e.id`, w.args...)
	if err != nil {
		return nil, err
	}
	var found []followupRow
	for rows.Next() {
		var r followupRow
		var family, given, patronymic, months string
		if err := rows.Scan(&r.EnrollmentID, &r.OrgID, &r.CenterID, &r.CohortID, &r.CourseID, &r.PersonID, &family,
			&given, &patronymic, &r.base, &months); err != nil {
			rows.Close()
			return nil, err
		}
		r.PersonName = birge.Person{FamilyName: family, GivenName: given, Patronymic: patronymic}.FullName()
		r.months, _ = birge.ParseMonths(months)
		found = append(found, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	recorded := map[[2]int64]bool{}
	rec, err := c.query(ctx, `SELECT f.enrollment_id, f.months FROM training_followups f
		JOIN enrollments e ON e.id = f.enrollment_id JOIN cohorts h ON h.id = e.cohort_id`+w.sql(), w.args...)
	if err != nil {
		return nil, err
	}
	for rec.Next() {
		var id, m int64
		if err := rec.Scan(&id, &m); err != nil {
			rec.Close()
			return nil, err
		}
		recorded[[2]int64{id, m}] = true
	}
	rec.Close()
	if err := rec.Err(); err != nil {
		return nil, err
	}
	out := []birge.Followup{}
	for _, r := range found {
		for _, m := range r.months {
			if recorded[[2]int64{r.EnrollmentID, int64(m)}] {
				continue
			}
			fu := r.Followup
			fu.Months = m
			fu.DueOn, _ = birge.AddMonths(r.base, m)
			fu.State = birge.FollowupState(fu.DueOn, today)
			if fu.State == birge.FollowupUpcoming || (f.State != "" && fu.State != f.State) {
				continue
			}
			out = append(out, fu)
		}
	}
	slices.SortStableFunc(out, func(x, y birge.Followup) int {
		return cmp.Or(strings.Compare(x.DueOn, y.DueOn), cmp.Compare(x.EnrollmentID, y.EnrollmentID))
	})
	if len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}

// Followup returns her follow-up at months after completing, recorded or not, to those
// who see the cohort.
func (t *Trainings) Followup(ctx context.Context, a *birge.Actor, enrollmentID int64, months int) (birge.Followup, error) {
	fu, _, _, err := t.followup(ctx, t.s.read(), a, birge.PermTrainingView, enrollmentID, months)
	return fu, err
}

// followup loads a follow-up of a completed enrolment of a cohort the actor may act on
// with perm; a month the course does not follow up, or an enrolment not completed, is
// not found.
func (t *Trainings) followup(ctx context.Context, c q, a *birge.Actor, perm birge.Permission, enrollmentID int64,
	months int) (birge.Followup, birge.Cohort, birge.Course, error) {
	e, h, err := t.enrollment(ctx, c, a, perm, enrollmentID)
	if err != nil {
		return birge.Followup{}, h, birge.Course{}, err
	}
	return t.followupOf(ctx, c, e, h, months, a.Today(t.s.now()))
}

func (t *Trainings) followupOf(ctx context.Context, c q, e birge.Enrollment, h birge.Cohort, months int,
	today time.Time) (birge.Followup, birge.Cohort, birge.Course, error) {
	k, err := scanCourse(c.row(ctx, `SELECT `+courseColumns+` FROM courses WHERE id = ?`, h.CourseID))
	if err != nil {
		return birge.Followup{}, h, k, err
	}
	if e.Status != birge.EnrollmentCompleted || !slices.Contains(k.FollowupMonths, months) {
		return birge.Followup{}, h, k, birge.ErrNotFound
	}
	var base string
	if err := c.row(ctx, `SELECT `+followupBase+` FROM enrollments e JOIN cohorts h ON h.id = e.cohort_id
		WHERE e.id = ?`, e.ID).Scan(&base); err != nil {
		return birge.Followup{}, h, k, err
	}
	fu := birge.Followup{OrgID: h.OrgID, CenterID: h.CenterID, EnrollmentID: e.ID, CohortID: h.ID, CourseID: h.CourseID,
		PersonID: e.PersonID, PersonName: e.PersonName, Months: months}
	fu.DueOn, _ = birge.AddMonths(base, months)
	fu.State = birge.FollowupState(fu.DueOn, today)
	var by sql.NullInt64
	err = c.row(ctx, `SELECT id, employment, business, business_kind, business_registered, business_employees,
		income_band, helped, comment, via, recorded_on, recorded_by, created_at FROM training_followups
		WHERE enrollment_id = ? AND months = ?`, e.ID, months).Scan(&fu.ID, &fu.Employment, &fu.Business,
		&fu.BusinessKind, &fu.BusinessRegistered, &fu.BusinessEmployees, &fu.IncomeBand, &fu.Helped, &fu.Comment,
		&fu.Via, &fu.RecordedOn, &by, &fu.CreatedAt)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return fu, h, k, nil
	case err != nil:
		return fu, h, k, err
	}
	fu.State, fu.RecordedBy, fu.CreatedAt = birge.FollowupRecorded, by.Int64, fu.CreatedAt.UTC()
	fu.Outcomes, err = ids(ctx, c, `SELECT id FROM outcomes WHERE source = ? AND source_id = ? ORDER BY id`,
		birge.SourceFollowup, fu.ID)
	return fu, h, k, err
}

// RecordFollowup records her answers to a follow-up, after a call, as one who runs the
// cohort: the follow-up and her outcomes (a job, a business) in one transaction.
func (t *Trainings) RecordFollowup(ctx context.Context, a *birge.Actor, enrollmentID int64, months int,
	answers birge.FollowupAnswers) (birge.Followup, error) {
	var out birge.Followup
	err := t.s.tx(ctx, func(c q) error {
		if err := lockRow(ctx, c, "enrollments", enrollmentID); err != nil {
			return err
		}
		fu, h, k, err := t.followup(ctx, c, a, birge.PermTrainingManage, enrollmentID, months)
		if err != nil {
			return err
		}
		out, err = t.recordFollowup(ctx, c, a, fu, h, k, answers, birge.FollowupViaCall)
		return err
	})
	return out, err
}

// recordFollowup writes a follow-up not yet recorded and her outcomes, in c. The actor
// records the outcomes, so she must hold outcome.record where the woman is.
func (t *Trainings) recordFollowup(ctx context.Context, c q, a *birge.Actor, fu birge.Followup, h birge.Cohort,
	k birge.Course, answers birge.FollowupAnswers, via string) (birge.Followup, error) {
	s := t.s
	switch fu.State {
	case birge.FollowupRecorded:
		return fu, &birge.Error{Kind: birge.KindConflict, Key: "followup.recorded_twice"}
	case birge.FollowupUpcoming:
		return fu, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"months": "followup.not_due"}}
	}
	if err := answers.Validate(); err != nil {
		return fu, err
	}
	fu.FollowupAnswers = answers
	today := a.Today(s.now()).Format(time.DateOnly)
	fu.Via, fu.RecordedOn, fu.RecordedBy, fu.CreatedAt = via, today, a.UserID, s.now()
	if err := c.row(ctx, `INSERT INTO training_followups (enrollment_id, months, due_on, employment, business,
		business_kind, business_registered, business_employees, income_band, helped, comment, via, recorded_on,
		recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, fu.EnrollmentID,
		fu.Months, fu.DueOn, answers.Employment, answers.Business, answers.BusinessKind, answers.BusinessRegistered,
		answers.BusinessEmployees, answers.IncomeBand, answers.Helped, answers.Comment, via, today, nullID(a.UserID),
		fu.CreatedAt).Scan(&fu.ID); err != nil {
		return fu, err
	}
	fu.State = birge.FollowupRecorded
	if err := s.audit(ctx, c, a, event{action: birge.ActionCreate, entity: birge.EntityFollowup, entityID: fu.ID,
		orgID: h.OrgID, centerID: h.CenterID, changes: birge.Diff(nil, followupFields(fu))}); err != nil {
		return fu, err
	}
	// Her outcomes carry the course's programme when she may be counted in it.
	var program *int64
	if k.ProgramID != 0 {
		her, err := s.People.visiblePerson(ctx, c, a, fu.PersonID)
		if err != nil {
			return fu, err
		}
		ok, err := s.Deliveries.batch(a).programOpen(ctx, c, her, k.ProgramID)
		if err != nil {
			return fu, err
		}
		if ok {
			program = &k.ProgramID
		}
	}
	for _, kind := range answers.OutcomeKinds() {
		o := birge.Outcome{PersonID: fu.PersonID, ProgramID: program, Kind: kind, Date: today,
			Source: birge.SourceFollowup, SourceID: fu.ID}
		if kind == "business_started" && answers.BusinessEmployees > 0 {
			o.Value = &birge.OutcomeValue{Amount: int64(answers.BusinessEmployees)}
		}
		o, err := s.Outcomes.recordIn(ctx, c, a, o)
		if err != nil {
			return fu, err
		}
		fu.Outcomes = append(fu.Outcomes, o.ID)
	}
	return fu, nil
}

func followupFields(fu birge.Followup) map[string]any {
	return map[string]any{"person_id": fu.PersonID, "enrollment_id": fu.EnrollmentID, "months": fu.Months,
		"employment": fu.Employment, "business_started": fu.Business, "business_kind": fu.BusinessKind,
		"business_registered": fu.BusinessRegistered, "business_employees": fu.BusinessEmployees,
		"income_band": fu.IncomeBand, "helped": fu.Helped, "comment": fu.Comment, "via": fu.Via}
}

// FollowupContact is her phone for a follow-up's call, as tomorrow's list of a family
// centre shows it: her phones and whether, when and how she may be called, or Hidden to
// one who may not see her in the registry. Showing her phone is written to her access log.
func (t *Trainings) FollowupContact(ctx context.Context, a *birge.Actor, personID int64) (Contact, error) {
	var out Contact
	err := t.s.tx(ctx, func(c q) error {
		her, err := t.s.People.visiblePerson(ctx, c, a, personID)
		if errors.Is(err, birge.ErrNotFound) {
			out = Contact{ID: personID, Hidden: true}
			return nil
		}
		if err != nil {
			return err
		}
		phones, err := personPhones(ctx, c, personID)
		if err != nil {
			return err
		}
		out = Contact{ID: personID, Name: her.FullName(), Phones: phones, MayCall: her.MayCall, CallTimes: her.CallTimes,
			MayLeaveMessage: her.MayLeaveMessage}
		return t.s.People.logAccess(ctx, c, a, her.Person, "call_list")
	})
	return out, err
}

// FollowupLinkPrefix starts the secret of a one-time follow-up link.
const FollowupLinkPrefix = "f_"

// CreateFollowupLink makes a one-time link through which she answers a follow-up herself,
// in lang, for birge.FollowupLinkDays; the database keeps only its hash. The secret is
// returned once, for staff to send her.
func (t *Trainings) CreateFollowupLink(ctx context.Context, a *birge.Actor, enrollmentID int64, months int,
	lang string) (string, time.Time, error) {
	if !birge.ValidLang(lang) {
		return "", time.Time{}, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"lang": "field.choose"}}
	}
	secret := newSecret(FollowupLinkPrefix)
	expires := t.s.now().Add(birge.FollowupLinkDays * 24 * time.Hour)
	err := t.s.tx(ctx, func(c q) error {
		fu, h, _, err := t.followup(ctx, c, a, birge.PermTrainingManage, enrollmentID, months)
		if err != nil {
			return err
		}
		switch fu.State {
		case birge.FollowupRecorded:
			return &birge.Error{Kind: birge.KindConflict, Key: "followup.recorded_twice"}
		case birge.FollowupUpcoming:
			return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"months": "followup.not_due"}}
		}
		if _, err := c.exec(ctx, `INSERT INTO training_followup_links (token_hash, enrollment_id, months, lang, expires_at,
			created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`, hashSecret(secret), enrollmentID, months, lang, expires,
			nullID(a.UserID), t.s.now()); err != nil {
			return err
		}
		return t.s.audit(ctx, c, a, event{action: birge.ActionCreate, entity: birge.EntityFollowupLink, entityID: enrollmentID,
			orgID: h.OrgID, centerID: h.CenterID, changes: birge.Diff(nil, map[string]any{"person_id": fu.PersonID,
				"enrollment_id": enrollmentID, "months": months, "expires_at": expires})})
	})
	return secret, expires, err
}

// FollowupLink is what a one-time link shows her: her language, her given name, the
// course, and the follow-up's months. Nothing else of her record.
type FollowupLink struct {
	Lang      string
	GivenName string
	Course    birge.Names
	Months    int
}

// errLinkGone is a link used already, expired, or never made: she is told only that it
// no longer works.
var errLinkGone = &birge.Error{Kind: birge.KindNotFound, Key: "followup.link_gone"}

// linkActor records what she answers through a link: no user, acting in her
// organisation.
func linkActor(orgID int64) *birge.Actor {
	return &birge.Actor{Name: "follow-up link", Grants: []birge.Grant{{Role: birge.RoleAdmin, OrgID: orgID}}}
}

// openLink reads a link that still works, on c.
func (t *Trainings) openLink(ctx context.Context, c q, secret string) (enrollmentID int64, months int, lang string, err error) {
	var expires time.Time
	var used sql.NullTime
	err = c.row(ctx, `SELECT enrollment_id, months, lang, expires_at, used_at FROM training_followup_links
		WHERE token_hash = ?`, hashSecret(secret)).Scan(&enrollmentID, &months, &lang, &expires, &used)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, 0, "", errLinkGone
	case err != nil:
		return 0, 0, "", err
	case used.Valid || !t.s.now().Before(expires):
		return 0, 0, "", errLinkGone
	}
	return enrollmentID, months, lang, nil
}

// OpenFollowupLink returns what a link that still works shows, or followup.link_gone.
func (t *Trainings) OpenFollowupLink(ctx context.Context, secret string) (FollowupLink, error) {
	c := t.s.read()
	id, months, lang, err := t.openLink(ctx, c, secret)
	if err != nil {
		return FollowupLink{}, err
	}
	var l FollowupLink
	err = c.row(ctx, `SELECT p.given_name, k.name_kk, k.name_ru, k.name_ky, k.name_en FROM enrollments e
		JOIN people p ON p.id = e.person_id JOIN cohorts h ON h.id = e.cohort_id JOIN courses k ON k.id = h.course_id
		WHERE e.id = ?`, id).Scan(&l.GivenName, &l.Course.KK, &l.Course.RU, &l.Course.KY, &l.Course.EN)
	l.Lang, l.Months = lang, months
	return l, err
}

// AnswerFollowupLink records what she answered through a link, and spends it: it works
// once. A link whose follow-up staff recorded meanwhile no longer works either.
func (t *Trainings) AnswerFollowupLink(ctx context.Context, secret string, answers birge.FollowupAnswers) error {
	return t.s.tx(ctx, func(c q) error {
		id, months, _, err := t.openLink(ctx, c, secret)
		if err != nil {
			return err
		}
		// Spent first, under the row's lock: of two answers at once, one finds it used.
		res, err := c.exec(ctx, `UPDATE training_followup_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL`,
			t.s.now(), hashSecret(secret))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return cmp.Or(err, error(errLinkGone))
		}
		var org int64
		if err := c.row(ctx, `SELECT h.org_id FROM enrollments e JOIN cohorts h ON h.id = e.cohort_id WHERE e.id = ?`,
			id).Scan(&org); err != nil {
			return err
		}
		a := linkActor(org)
		fu, h, k, err := t.followup(ctx, c, a, birge.PermTrainingManage, id, months)
		if errors.Is(err, birge.ErrNotFound) {
			return errLinkGone // no longer completed, or no longer followed up
		} else if err != nil {
			return err
		}
		if fu.State == birge.FollowupRecorded {
			return errLinkGone
		}
		_, err = t.recordFollowup(ctx, c, a, fu, h, k, answers, birge.FollowupViaLink)
		return err
	})
}
