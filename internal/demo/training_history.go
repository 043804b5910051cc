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
// Almaty and Astana centres that ended over the past year, each of 22 women of whom 20
// completed and two dropped out, and records the follow-ups that have fallen due — most of
// them, as staff reach most women — through the store, as staff would, with days counted
// back from the store's today. Exactly 200 women completed and 52 had a job or a business
// at six months, from six regions, so the figures a newcomer sees are the story's.

// historyRegions are where the women live: the two cities and four oblasts around them.
var historyRegions = []string{"KZ75", "KZ71", "KZ19", "KZ11", "KZ15", "KZ31"}

// historyEndedMonthsAgo are how many months ago each cohort ended, the oldest first.
var historyEndedMonthsAgo = []int{13, 12, 11, 10, 9, 8, 7, 5, 3, 2}

// Each cohort's women: those who completed, then those who dropped out.
const (
	historyCompleted = 20
	historyDropped   = 2
	historyWorking   = 52 // of the women followed up at six months, those with a job or a business
)

// historyBusinesses are the businesses women started, as staff write them down.
var historyBusinesses = []string{"Тігін шеберханасы", "Кондитерлік үй", "Онлайн-дүкен", "Маникюр кабинеті",
	"Копирайтинг агенттігі", "Балалар үйірмесі", "Кофейня", "Фотостудия"}

// HistoryCohort is a cohort of the history with its sessions and its women, in order
// (those who completed first). The attendance of each session is for the attendance
// module's loader to mark from these.
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
	today := sys.Today(st.Now())
	perCohort := historyCompleted + historyDropped
	women := GeneratePeople(13, 200_000, len(historyEndedMonthsAgo)*perCohort, centers)
	var out []HistoryCohort
	sixMonths := 0 // women followed up at six months so far
	for i, ago := range historyEndedMonthsAgo {
		center := centers[i%2]
		ends := today.AddDate(0, -ago, 0)
		h := birge.Cohort{CourseID: courses[i%len(courses)].ID, CenterID: center.ID, Language: []string{"kk", "ru"}[i%2],
			Capacity: 25, StartsOn: ends.AddDate(0, 0, -70).Format(time.DateOnly), EndsOn: ends.Format(time.DateOnly),
			TrainerIDs: []int64{}}
		if center.Region == "KZ75" {
			for _, tr := range trainers {
				h.TrainerIDs = append(h.TrainerIDs, tr.ID)
			}
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
			e.Status = birge.EnrollmentCompleted
			if j >= historyCompleted {
				e.Status, e.Reason = birge.EnrollmentDropped, "Жұмысқа шығып кетті"
			}
			if e, err = st.Trainings.UpdateEnrollment(ctx, sys, e); err != nil {
				return nil, fmt.Errorf("woman %d: %w", n, err)
			}
			hc.Enrollments = append(hc.Enrollments, e)
		}
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
