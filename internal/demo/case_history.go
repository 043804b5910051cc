package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// The Aktobe family centre's last four months (issue 11): "in 4 months 164 families came,
// and more than half withdrew their divorce applications". LoadHistory takes them in,
// screens some partners (a few screenings find violence, and those cases are flagged),
// and closes most of them with an outcome, everything through the store as staff would,
// with days counted back from today so that none lies in the future. Its sessions come
// with the sessions module. It is loaded by `birge demo` and `serve --demo`, not by
// Load, which the tests use as their small, known fixture.

// historyFamilies is how many families came in the four months.
const historyFamilies = 164

// historyCameFrom weighs how families come to the centre: most are sent by the court
// while their divorce application is pending.
var historyCameFrom = []string{"court", "court", "court", "court", "self", "self", "self", "akimat", "service", "police", "center"}

// historyReasons weighs the reasons a family gives (violence only where a screening
// finds it).
var historyReasons = []string{"communication", "communication", "communication", "finances", "finances", "in_laws",
	"in_laws", "infidelity", "alcohol_drugs", "children", "housing", "other"}

// historyAgreements are mediated agreements on children and property, as mediators
// write them.
var historyAgreements = []string{
	"Балалар анасымен тұрады; әкесі сенбі күндері кездеседі және ай сайын алимент төлейді.",
	"Дети остаются с матерью, отец забирает их на выходные; квартира продаётся, деньги делятся поровну.",
	"Ұлы әкесімен, қызы анасымен тұрады; үй анасында қалады.",
}

// LoadHistory loads the Aktobe centre's four months into a database that has the demo
// already (Load), with the centre's psychologist and mediator, whose logins it returns.
func LoadHistory(ctx context.Context, st *store.Store) ([]Login, error) {
	sys := birge.System("demo")
	var aktobe birge.Center
	centers, err := st.ListCenters(ctx, sys, store.CenterFilter{})
	if err != nil {
		return nil, err
	}
	for _, c := range centers {
		if c.Names.EN == "Aktobe family centre" {
			aktobe = c
		}
	}
	if aktobe.ID == 0 {
		return nil, fmt.Errorf("no Aktobe family centre: load the demo first")
	}
	logins, staff, err := historyStaff(ctx, st, aktobe)
	if err != nil {
		return nil, err
	}
	cal := newHistoryCalendar(st.Now(), staff)
	today := sys.Today(st.Now())
	first := today.AddDate(0, -4, 1)
	days := int(today.Sub(first).Hours() / 24)
	people := GeneratePeople(7, 0, 2*historyFamilies, []birge.Center{aktobe})
	no := map[string]bool{}
	for _, q := range birge.DefaultQuestions {
		no[q.Code] = false
	}
	for i := range historyFamilies {
		r := rand.New(rand.NewPCG(11, uint64(i)))
		intake := first.AddDate(0, 0, i*days/historyFamilies)
		k := birge.Case{CenterID: aktobe.ID, IntakeDate: intake.Format(time.DateOnly), CameFrom: historyCameFrom[r.IntN(len(historyCameFrom))],
			Status: birge.CaseActive, ChildIDs: []int64{}, PsychologistID: staff[0].ID}
		for _, reason := range []string{historyReasons[r.IntN(len(historyReasons))], historyReasons[r.IntN(len(historyReasons))]} {
			if len(k.Reasons) == 0 || k.Reasons[0] != reason {
				k.Reasons = append(k.Reasons, reason)
			}
		}
		// She, and her husband unless she came alone (one in seven).
		wife, husband := people[2*i], people[2*i+1]
		name := familyNames[r.IntN(len(familyNames))]
		wife.Sex, wife.FamilyName = "female", name[1]
		if wife.GivenName == "" || people[2*i].Sex == "male" { // the generator makes one in ten a man
			wife.GivenName, wife.Patronymic = givenNames[r.IntN(len(givenNames))], ""
		}
		husband.Sex, husband.FamilyName = "male", name[0]
		husband.GivenName, husband.Patronymic = fathers[r.IntN(len(fathers))], ""
		partners := []birge.Person{wife}
		if r.IntN(7) != 0 {
			partners = append(partners, husband)
		}
		for _, p := range partners {
			p.IIN = "" // the history's families are known by name and phone
			created, err := st.People.Create(ctx, sys, p)
			if err != nil {
				return nil, fmt.Errorf("family %d: %w", i, err)
			}
			k.PartnerIDs = append(k.PartnerIDs, created.ID)
		}
		if k.CameFrom == "court" || r.IntN(3) != 0 {
			k.DivorceFiled, k.DivorceCourt = true, "Ақтөбе қалалық №2 соты"
			k.DivorceFiledOn = intake.AddDate(0, 0, -10-r.IntN(30)).Format(time.DateOnly)
			k.MediatorID = staff[1].ID
		}
		created, err := st.Cases.Create(ctx, sys, k)
		if err != nil {
			return nil, fmt.Errorf("family %d: %w", i, err)
		}
		// Each partner is screened alone at the first visit, as the gate asks before any
		// joint session; one screening in seventy-odd says something that flags the case.
		for j, partner := range k.PartnerIDs {
			answers := map[string]bool{}
			for code := range no {
				answers[code] = false
			}
			if j == 0 && i%36 == 0 {
				answers[[]string{"insults", "control", "hitting"}[(i/36)%3]] = true
			}
			if _, err := st.Screenings.Create(ctx, sys, created.ID, birge.Screening{PersonID: partner, Alone: true,
				Answers: answers, Fear: r.IntN(3)}); err != nil {
				return nil, fmt.Errorf("screening of family %d: %w", i, err)
			}
		}
		if created, err = st.Cases.Get(ctx, sys, created.ID); err != nil {
			return nil, err
		}
		// Its sessions: each partner alone first, then together (alone only, on a flagged
		// case), a week apart, until it closed; those still to come are booked, not marked.
		end := today.AddDate(0, 0, 14)
		if today.Sub(intake) >= 21*24*time.Hour {
			end = intake.AddDate(0, 0, 14+r.IntN(45))
			if end.After(today) {
				end = today
			}
		}
		if err := cal.book(ctx, st, r, created, intake.AddDate(0, 0, 1+r.IntN(12)), end); err != nil {
			return nil, fmt.Errorf("sessions of family %d: %w", i, err)
		}
		// The last three weeks' families are still in work; the others closed after two
		// weeks to two months, never after today.
		if today.Sub(intake) < 21*24*time.Hour {
			continue
		}
		cl := birge.CaseClosing{ClosedOn: end.Format(time.DateOnly)}
		switch n := r.IntN(100); {
		case n < 75 && k.DivorceFiled:
			cl.Outcome = birge.CaseReconciledWithdrawn
		case n < 83:
			cl.Outcome = birge.CaseReconciled
		case n < 89:
			cl.Outcome, cl.Agreement = birge.CaseAgreedSeparation, historyAgreements[r.IntN(len(historyAgreements))]
		case n < 94:
			cl.Outcome = birge.CaseReferred
		default:
			cl.Outcome = birge.CaseStoppedComing
		}
		if cl.Outcome == birge.CaseReconciled && k.DivorceFiled {
			cl.Outcome = birge.CaseReconciledWithdrawn
		}
		if r.IntN(3) != 0 {
			s := 3 + r.IntN(3)
			cl.Satisfaction = &s
		}
		if _, err := st.Cases.CloseWithOutcome(ctx, sys, created.ID, cl); err != nil {
			return nil, fmt.Errorf("closing family %d: %w", i, err)
		}
	}
	return logins, nil
}
