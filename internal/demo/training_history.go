package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// Mama Pro's year of trainings (issue 12, decision 0033): "200 women trained in
// entrepreneurship, computer literacy, copywriting and self-development; more than 50 from
// six regions got jobs or started businesses". LoadTrainingHistory runs ten cohorts at the
// Almaty and Astana centres that ended over the past year, each of 22 women, through the
// store as staff would, with the store's clock at the time each thing happened: every
// session's register is marked as it ends (decision 0031), the final projects marked, the
// completion rule applied on the cohort's last day — 20 women meet it, one dropped out
// and one attended too little — and their certificates issued (decision 0032). Then the
// follow-ups that have fallen due are recorded — most of them, as staff reach most women —
// with days counted back from the store's today. Exactly 200 women completed and 52 had a
// job or a business at six months, from six regions, so the figures a newcomer sees are
// the story's.

// historyRegions are where the women live: the two cities and four oblasts around them.
var historyRegions = []string{"KZ75", "KZ71", "KZ19", "KZ11", "KZ15", "KZ31"}

// historyEndedMonthsAgo are how many months ago each cohort ended, the oldest first.
var historyEndedMonthsAgo = []int{13, 12, 11, 10, 9, 8, 7, 5, 3, 2}

// Each cohort's women: those who complete, then one who drops out and one who attends
// too little to complete.
const (
	historyCompleted    = 20
	historyNotCompleted = 2  // the first drops out, the second falls short of the rule
	historyDropAfter    = 3  // sessions the one who drops out attends
	historyWorking      = 52 // of the women followed up at six months, those with a job or a business
)

// historyBusinesses are the businesses women started, as staff write them down.
var historyBusinesses = []string{"Тігін шеберханасы", "Кондитерлік үй", "Онлайн-дүкен", "Маникюр кабинеті",
	"Копирайтинг агенттігі", "Балалар үйірмесі", "Кофейня", "Фотостудия"}

// HistoryCohort is a cohort of the history with its sessions and its women, in order
// (those who completed first), as the completion rule left them.
type HistoryCohort struct {
	Cohort      birge.Cohort
	Sessions    []birge.TrainingSession
	Enrollments []birge.Enrollment
}

// LoadTrainingHistory loads Mama Pro's year of cohorts into a database that has the demo
// already (Load), and returns them.
func LoadTrainingHistory(ctx context.Context, st *store.Store) ([]HistoryCohort, error) {
	sys := birge.System("demo")
	orgs, err := st.ListOrgs(ctx, sys)
	if err != nil {
		return nil, err
	}
	var org int64
	for _, o := range orgs {
		if o.Names.EN == "Mama Pro" {
			org = o.ID
		}
	}
	centers, err := st.ListCenters(ctx, sys, store.CenterFilter{OrgID: org})
	if err != nil {
		return nil, err
	}
	courses, err := st.Trainings.Courses(ctx, sys, org)
	if err != nil {
		return nil, err
	}
	trainers, err := st.Trainings.Trainers(ctx, sys, org)
	if err != nil {
		return nil, err
	}
	if org == 0 || len(centers) < 2 || len(courses) == 0 {
		return nil, fmt.Errorf("no Mama Pro with its centres and courses: load the demo first")
	}
	trainer, err := userActor(ctx, st, "trainer@birge.example")
	if err != nil {
		return nil, err
	}
	clock := st.Clock()
	defer st.SetClock(clock)
	now := st.Now()
	today := sys.Today(now)
	perCohort := historyCompleted + historyNotCompleted
	women := GeneratePeople(13, 200_000, len(historyEndedMonthsAgo)*perCohort, centers)
	var out []HistoryCohort
	sixMonths := 0 // women followed up at six months so far
	for i, ago := range historyEndedMonthsAgo {
		center, course := centers[i%2], courses[i%len(courses)]
		ends := today.AddDate(0, -ago, 0)
		starts := ends.AddDate(0, 0, -70)
		// The cohort is planned and its women enrolled two weeks before it starts.
		at(st, starts.AddDate(0, 0, -14).Add(10*time.Hour))
		h := birge.Cohort{CourseID: course.ID, CenterID: center.ID, Language: []string{"kk", "ru"}[i%2],
			Capacity: 25, StartsOn: starts.Format(time.DateOnly), EndsOn: ends.Format(time.DateOnly),
			TrainerIDs: []int64{}}
		marker := sys // Astana's cohorts have no trainer of the demo's: their registers are the system's
		if center.Region == "KZ75" {
			for _, tr := range trainers {
				h.TrainerIDs = append(h.TrainerIDs, tr.ID)
			}
			marker = trainer
		}
		if h, err = st.Trainings.CreateCohort(ctx, sys, h); err != nil {
			return nil, fmt.Errorf("cohort %d: %w", i, err)
		}
		sessions, err := st.Trainings.GenerateTrainingSessions(ctx, sys, h.ID, birge.SessionPattern{Weekday: 6,
			Start: "10:00", Minutes: 180})
		if err != nil {
			return nil, fmt.Errorf("sessions of cohort %d: %w", i, err)
		}
		hc := HistoryCohort{Cohort: h, Sessions: sessions}
		for j := range perCohort {
			n := i*perCohort + j
			p := women[n]
			if p.Sex == "male" { // the generator makes one in ten a man; her number would say so
				p.IIN, p.Patronymic = "", ""
			}
			p.CenterID, p.Sex, p.Region, p.District = center.ID, "female", historyRegions[n%len(historyRegions)], ""
			if p.GivenName == "" {
				p.GivenName = givenNames[n%len(givenNames)]
			}
			p.FamilyName = familyNames[n%len(familyNames)][1]
			p.MayCall, p.MayLeaveMessage = n%9 != 0, n%3 == 0
			if p.BirthDate > "2006" { // the generator makes children too; these are grown women
				p.BirthDate, p.IIN = "", ""
			}
			her, err := st.People.Create(ctx, sys, p)
			if err != nil {
				return nil, fmt.Errorf("woman %d: %w", n, err)
			}
			e, err := st.Trainings.Enroll(ctx, sys, h.ID, birge.Enrollment{PersonID: her.ID, Childcare: n%4 == 0})
			if err != nil {
				return nil, fmt.Errorf("enrolling woman %d: %w", n, err)
			}
			hc.Enrollments = append(hc.Enrollments, e)
		}
		if err := runHistoryCohort(ctx, st, sys, marker, course, &hc, i*perCohort); err != nil {
			return nil, fmt.Errorf("cohort %d: %w", i, err)
		}
		st.SetClock(clock) // the follow-ups are recorded now, as far as they have fallen due
		for j, e := range hc.Enrollments[:historyCompleted] {
			for _, months := range courses[i%len(courses)].FollowupMonths {
				if ago < months {
					continue // not due yet
				}
				answers, reached := historyAnswers(months, sixMonths, i*perCohort+j)
				if months == birge.FigureMonths {
					sixMonths++
				}
				if !reached {
					continue // not reached yet: due or overdue on the list
				}
				if _, err := st.Trainings.RecordFollowup(ctx, sys, e.ID, months, answers); err != nil {
					return nil, fmt.Errorf("follow-up of woman %d at %d months: %w", i*perCohort+j, months, err)
				}
			}
		}
		out = append(out, hc)
	}
	return out, nil
}

// historyAbsences are the reasons women give for missing a session, as the trainer writes
// them down; some absences have none.
var historyAbsences = []string{"Баласы ауырып қалды", "Заболела", "Ауылға, ата-анасына барды", "Не с кем оставить ребёнка",
	"Жұмыста кезекшілік", "Балабақша жабық болды", ""}

// runHistoryCohort runs a cohort whose women are enrolled, with the store's clock at each
// moment: each session's register marked as it ends, by marker (one sync per session),
// the one who drops out dropped before the session she no longer comes to, the final
// projects marked after the last session, and on the cohort's last day the completion
// rule applied and the certificates issued. Women first..first+len(h.Enrollments)-1 of
// the history; hc.Enrollments are left as the rule left them, in the same order.
func runHistoryCohort(ctx context.Context, st *store.Store, sys, marker *birge.Actor, course birge.Course,
	hc *HistoryCohort, first int) error {
	held := len(hc.Sessions)
	dropped, short := hc.Enrollments[historyCompleted], hc.Enrollments[historyCompleted+1]
	for k, ts := range hc.Sessions {
		if k == historyDropAfter {
			at(st, ts.StartsAt.Add(-48*time.Hour)) // she tells the centre two days before
			dropped.Status, dropped.Reason = birge.EnrollmentDropped, "Жұмысқа шығып кетті"
			var err error
			if dropped, err = st.Trainings.UpdateEnrollment(ctx, sys, dropped); err != nil {
				return fmt.Errorf("dropping out: %w", err)
			}
		}
		// The register is sent as the session ends, each mark made as she came in.
		at(st, ts.EndsAt)
		marks := make([]birge.TrainingMark, 0, len(hc.Enrollments))
		for j, e := range hc.Enrollments {
			if e.ID == dropped.ID && k >= historyDropAfter {
				continue
			}
			m := historyMark(course.CompletionRule, held, k, j, first+j)
			m.PersonID, m.MarkedAt = e.PersonID, ts.StartsAt.Add(time.Duration(2+j)*time.Minute)
			marks = append(marks, m)
		}
		if _, err := st.Trainings.PutMarks(ctx, marker, ts.ID, marks); err != nil {
			return fmt.Errorf("register of session %d: %w", k, err)
		}
	}
	if course.CompletionRule.Project {
		// The trainer marks the final projects after the last session: passed by every
		// woman who completes, not handed in by the one who fell short.
		at(st, hc.Sessions[held-1].EndsAt.Add(time.Hour))
		for j, e := range hc.Enrollments[:historyCompleted] {
			e.ProjectPassed = true
			var err error
			if hc.Enrollments[j], err = st.Trainings.UpdateEnrollment(ctx, marker, e); err != nil {
				return fmt.Errorf("project of woman %d: %w", first+j, err)
			}
		}
	}
	// The coordinator applies the rule and issues the certificates at the end of the last day.
	ends, err := time.ParseInLocation(time.DateOnly, hc.Cohort.EndsOn, sys.Location())
	if err != nil {
		return err
	}
	at(st, ends.Add(17*time.Hour))
	list, err := st.Trainings.Complete(ctx, sys, hc.Cohort.ID)
	if err != nil {
		return fmt.Errorf("completion: %w", err)
	}
	byID := map[int64]birge.Enrollment{}
	completed := 0
	for _, e := range list {
		byID[e.ID] = e
		if e.Status == birge.EnrollmentCompleted {
			completed++
		}
	}
	if completed != historyCompleted || byID[short.ID].Status != birge.EnrollmentEnrolled {
		return fmt.Errorf("the completion rule found %d women completed, want %d", completed, historyCompleted)
	}
	for j, e := range hc.Enrollments {
		hc.Enrollments[j] = byID[e.ID]
	}
	if _, err := st.Trainings.IssueCertificates(ctx, sys, hc.Cohort.ID); err != nil {
		return fmt.Errorf("certificates: %w", err)
	}
	return nil
}

// historyMark is the j-th woman's mark at the k-th of held sessions (n her number in the
// history). A woman who completes misses none, one, two or three sessions by her number —
// as many as the rule forgives — with a reason mostly, and is late now and then; the one
// who drops out comes to the first sessions; the one who falls short misses every other
// session from the third on.
func historyMark(rule birge.CompletionRule, held, k, j, n int) birge.TrainingMark {
	absent := false
	switch {
	case j < historyCompleted:
		misses := []int{0, 0, 0, 0, 1, 1, 1, 2, 2, 3}[n%10]
		for misses > 0 && !rule.Judge(held, held-misses, true).Completed() {
			misses--
		}
		absent = (k+n)%held < misses
	case j == historyCompleted+1:
		absent = k >= 2 && k%2 == 0
	}
	if absent {
		return birge.TrainingMark{Mark: birge.MarkAbsent, Reason: historyAbsences[(n+k)%len(historyAbsences)]}
	}
	if (n+k)%11 == 0 {
		return birge.TrainingMark{Mark: birge.MarkLate}
	}
	return birge.TrainingMark{Mark: birge.MarkPresent}
}

// historyFollowedUp is how many women followed up at six months the history has: those
// of the seven cohorts that ended at least six months ago.
const historyFollowedUp = 7 * historyCompleted

// historyAnswers are a woman's answers at months after completing: the k-th woman due a
// six-month follow-up has a job or a business when 3k mod 140 falls below 52 (exactly 52
// of them, spread over every cohort and region), and is not reached when it falls in the
// last ten. At three and twelve months most are reached, and about a third work.
func historyAnswers(months, k, n int) (birge.FollowupAnswers, bool) {
	a := birge.FollowupAnswers{Employment: "unemployed", IncomeBand: "below_subsistence", Helped: []string{"yes", "partly"}[n%2]}
	working, reached := n%3 == 0, n%8 != 7
	if months == birge.FigureMonths {
		spread := 3 * k % historyFollowedUp
		working, reached = spread < historyWorking, spread < historyFollowedUp-10
	}
	if !working {
		if n%5 == 0 {
			a.Employment = "on_leave"
		}
		return a, reached
	}
	a.Helped, a.IncomeBand = "yes", []string{"low", "middle", "middle", "high"}[n%4]
	switch n % 3 {
	case 0:
		a.Employment = "employed"
	case 1:
		a.Employment, a.Business, a.BusinessKind = "self_employed", true, historyBusinesses[n%len(historyBusinesses)]
		a.BusinessRegistered, a.BusinessEmployees = n%2 == 0, n%4
	default:
		a.Employment, a.Business, a.BusinessKind = "employed", true, historyBusinesses[n%len(historyBusinesses)]
	}
	return a, reached
}
