package store

import (
	"context"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// The public sign-up for trainings (issue 12, decision 0034): the catalogue of courses
// with cohorts open for sign-up, for anyone, and the form that finds or registers her
// (publicPerson) and puts her in the cohort as pending, for staff to confirm.

// signupForm names the public form in the audit log, as its actor.
const signupForm = "public training sign-up"

// signupKey counts the sign-ups sent from an address, in the sign-in throttle's table.
func signupKey(ip string) string { return "signup:" + birge.ThrottleAddress(ip) }

// openCohortsWhere are the cohorts that may be open for sign-up: offered, with a centre,
// of a course in use. Whether sign-up has closed depends on the centre's day.
const openCohortsWhere = ` FROM cohorts h JOIN courses k ON k.id = h.course_id
	WHERE h.public_signup AND h.center_id IS NOT NULL AND k.retired_at IS NULL`

// openCohorts loads the cohorts open for sign-up today, with their centres, narrowed by
// cond.
func (t *Trainings) openCohorts(ctx context.Context, c q, cond string, args ...any) ([]birge.Cohort, map[int64]birge.Center, error) {
	// No centre's day is more than a day from UTC's: cohorts whose sign-up closed before
	// yesterday are left to SQL.
	yesterday := t.s.now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)
	rows, err := c.query(ctx, `SELECT `+cohortColumns+openCohortsWhere+` AND h.ends_on >= ?`+cond+` ORDER BY h.starts_on, h.id`,
		append([]any{yesterday}, args...)...)
	if err != nil {
		return nil, nil, err
	}
	var all []birge.Cohort
	for rows.Next() {
		h, err := scanCohort(rows)
		if err != nil {
			rows.Close()
			return nil, nil, err
		}
		all = append(all, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	centers := map[int64]birge.Center{}
	var out []birge.Cohort
	for _, h := range all {
		ctr, ok := centers[h.CenterID]
		if !ok {
			if ctr, err = t.s.getCenter(ctx, c, h.CenterID); err != nil {
				return nil, nil, err
			}
			centers[h.CenterID] = ctr
		}
		if h.OpenForSignup(birge.Day(t.s.now(), birge.Location(ctr.TimeZone)).Format(time.DateOnly)) {
			out = append(out, h)
		}
	}
	return out, centers, nil
}

// PublicCourses is the public catalogue: every course (of one organisation, or of all
// when orgID is 0) with a cohort open for sign-up, and those cohorts. A course with none
// open is not shown: there is nothing she could do with it.
func (t *Trainings) PublicCourses(ctx context.Context, orgID int64) ([]birge.PublicCourse, error) {
	cond, args := "", []any{}
	if orgID != 0 {
		cond, args = " AND h.org_id = ?", []any{orgID}
	}
	return t.publicCourses(ctx, cond, args...)
}

// PublicCourse returns a course with its cohorts open for sign-up, or ErrNotFound when it
// has none.
func (t *Trainings) PublicCourse(ctx context.Context, courseID int64) (birge.PublicCourse, error) {
	list, err := t.publicCourses(ctx, " AND h.course_id = ?", courseID)
	if err != nil {
		return birge.PublicCourse{}, err
	}
	if len(list) == 0 {
		return birge.PublicCourse{}, birge.ErrNotFound
	}
	return list[0], nil
}

// PublicCohort returns a cohort open for sign-up with its course, or ErrNotFound.
func (t *Trainings) PublicCohort(ctx context.Context, id int64) (birge.PublicCourse, birge.PublicCohort, error) {
	list, err := t.publicCourses(ctx, " AND h.id = ?", id)
	if err != nil {
		return birge.PublicCourse{}, birge.PublicCohort{}, err
	}
	if len(list) == 0 {
		return birge.PublicCourse{}, birge.PublicCohort{}, birge.ErrNotFound
	}
	return list[0], list[0].Cohorts[0], nil
}

func (t *Trainings) publicCourses(ctx context.Context, cond string, args ...any) ([]birge.PublicCourse, error) {
	c := t.s.read()
	cohorts, centers, err := t.openCohorts(ctx, c, cond, args...)
	if err != nil {
		return nil, err
	}
	out := []birge.PublicCourse{}
	index := map[int64]int{}
	cats := map[int64]birge.CategoryList{}
	for _, h := range cohorts {
		i, ok := index[h.CourseID]
		if !ok {
			k, err := scanCourse(c.row(ctx, `SELECT `+courseColumns+` FROM courses WHERE id = ?`, h.CourseID))
			if err != nil {
				return nil, err
			}
			i = len(out)
			index[h.CourseID] = i
			out = append(out, birge.PublicCourse{ID: k.ID, OrgID: k.OrgID, Names: k.Names, Descriptions: k.Descriptions,
				Hours: k.Hours, Online: k.Online, Cohorts: []birge.PublicCohort{}})
		}
		if _, ok := cats[h.OrgID]; !ok && len(h.Categories) > 0 {
			if cats[h.OrgID], err = t.s.orgCategories(ctx, c, h.OrgID); err != nil {
				return nil, err
			}
		}
		out[i].Cohorts = append(out[i].Cohorts, publicCohort(h, centers[h.CenterID], cats[h.OrgID]))
	}
	return out, nil
}

func publicCohort(h birge.Cohort, ctr birge.Center, cats birge.CategoryList) birge.PublicCohort {
	p := birge.PublicCohort{ID: h.ID, CourseID: h.CourseID, CenterID: h.CenterID, Center: ctr.Names, Region: ctr.Region,
		Venue: h.Venue, Language: h.Language, StartsOn: h.StartsOn, EndsOn: h.EndsOn, SignupUntil: h.SignupCloses(),
		Capacity: h.Capacity, PlacesLeft: max(h.Capacity-h.Enrolled, 0), Full: h.Full(), Regions: h.Regions,
		MinAge: h.MinAge, MaxAge: h.MaxAge, RuralOnly: h.RuralOnly, Categories: []birge.PublicTag{}}
	for _, code := range h.Categories {
		tag := birge.PublicTag{Code: code}
		if k, ok := cats.Lookup(code); ok {
			tag.Names = k.Names
		}
		p.Categories = append(p.Categories, tag)
	}
	return p
}

// SignUp signs a woman up for a cohort open for sign-up, from the address ip, unless the
// address has sent too many (birge.RequestWait, as the public request form). She is found
// in the registry or registered (publicPerson) and her enrolment is pending, for staff to
// confirm — or, when the cohort is full and she chose to wait, at the end of the waiting
// list. The answer is the same whether the registry knew her or not, and whether she
// had signed up already (nothing is written then): it depends only on the form and on
// the cohort's places. A form a robot filled in (bot) counts against its address and is
// dropped, with the same answer.
func (t *Trainings) SignUp(ctx context.Context, ip string, cohortID int64, su birge.Signup, bot bool) (birge.SignupResult, error) {
	s := t.s
	key := signupKey(ip)
	if err := s.throttled(ctx, key); err != nil {
		return birge.SignupResult{}, err
	}
	_, open, err := t.PublicCohort(ctx, cohortID)
	if err != nil {
		return birge.SignupResult{}, err
	}
	if bot {
		res := birge.SignupResult{Status: birge.EnrollmentPending}
		if open.Full {
			res.Status = birge.EnrollmentWaiting
		}
		return res, s.tx(ctx, func(c q) error { return s.bumpThrottle(ctx, c, key) })
	}
	var res birge.SignupResult
	err = s.People.txPerson(ctx, func(c q) error {
		// The cohort's row lock orders sign-ups and enrolments at once: two never take
		// its last place.
		if err := lockRow(ctx, c, "cohorts", cohortID); err != nil {
			return err
		}
		list, centers, err := t.openCohorts(ctx, c, " AND h.id = ?", cohortID)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return birge.ErrNotFound // closed meanwhile
		}
		h, ctr := list[0], centers[list[0].CenterID]
		p, err := su.Person(&h, ctr.ID, ctr.Country, birge.Day(s.now(), birge.Location(ctr.TimeZone)))
		if err != nil {
			return err
		}
		if h.Full() && !su.Wait {
			return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"wait": "signup.full_wait"}}
		}
		if err := s.takeTurn(ctx, c, key); err != nil {
			return err
		}
		res.Status = birge.EnrollmentPending
		if h.Full() {
			res.Status = birge.EnrollmentWaiting
		}
		id, _, err := s.People.publicPerson(ctx, c, signupForm, p)
		if err != nil {
			return err
		}
		if err := enrolledTwice(ctx, c, h.ID, id); birge.KindOf(err) == birge.KindConflict {
			return nil // already in the cohort: told the same, nothing written
		} else if err != nil {
			return err
		}
		_, err = t.insertEnrollment(ctx, c, birge.System(signupForm), h, birge.Enrollment{PersonID: id,
			Status: birge.EnrollmentPending, Childcare: su.Childcare, SpecialNeeds: su.SpecialNeeds,
			Accommodation: su.Accommodation, Source: birge.SourceSignup})
		return err
	})
	return res, err
}

// PendingSignups counts the sign-ups waiting for staff to confirm them in the cohorts the
// actor runs, by cohort.
func (t *Trainings) PendingSignups(ctx context.Context, a *birge.Actor) (map[int64]int, error) {
	w := where{}
	w.scope("h.org_id", "h.center_id", a.ScopeOf(birge.PermTrainingManage))
	out := map[int64]int{}
	if a.ScopeOf(birge.PermTrainingManage).Empty() {
		return out, nil
	}
	w.add("e.status = ?", birge.EnrollmentPending)
	rows, err := t.s.read().query(ctx, `SELECT e.cohort_id, COUNT(*) FROM enrollments e JOIN cohorts h ON h.id = e.cohort_id`+
		w.sql()+` GROUP BY e.cohort_id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}
