package demo

import (
	"context"
	"fmt"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// courses are Mama Pro's catalogue (issue 12): the seven trainings its programme
// offers, in the four languages, each belonging to the programme. They are demo data,
// not defaults: every organisation writes its own catalogue.
var courses = []struct {
	names birge.Names
	hours int
	rule  birge.CompletionRule
}{
	{birge.Names{KK: "Кәсіпкерлік", RU: "Предпринимательство", KY: "Ишкердик", EN: "Entrepreneurship"}, 36,
		birge.CompletionRule{MinAttendance: 0.8, Project: true}},
	{birge.Names{KK: "Компьютерлік сауаттылық", RU: "Компьютерная грамотность", KY: "Компьютердик сабаттуулук", EN: "Computer literacy"}, 24,
		birge.CompletionRule{MinAttendance: 0.8}},
	{birge.Names{KK: "Копирайтинг", RU: "Копирайтинг", KY: "Копирайтинг", EN: "Copywriting"}, 20,
		birge.CompletionRule{MinAttendance: 0.8, Project: true}},
	{birge.Names{KK: "Өзін-өзі дамыту", RU: "Саморазвитие", KY: "Өзүн-өзү өнүктүрүү", EN: "Self-development"}, 12,
		birge.CompletionRule{MinAttendance: 0.7}},
	{birge.Names{KK: "Бизнес-жоспарлау", RU: "Бизнес-планирование", KY: "Бизнес-пландаштыруу", EN: "Business planning"}, 24,
		birge.CompletionRule{MinAttendance: 0.8, Project: true}},
	{birge.Names{KK: "Қаржылық сауаттылық", RU: "Финансовая грамотность", KY: "Финансылык сабаттуулук", EN: "Financial literacy"}, 16,
		birge.CompletionRule{MinAttendance: 0.8}},
	{birge.Names{KK: "Цифрлық маркетинг", RU: "Цифровой маркетинг", KY: "Санариптик маркетинг", EN: "Digital marketing"}, 24,
		birge.CompletionRule{MinAttendance: 0.8, Project: true}},
}

// loadTrainings writes Mama Pro's catalogue and one cohort of entrepreneurship at
// Almaty, starting in January with its trainer and Saturday sessions and no one enrolled
// yet, so that a newcomer has a cohort to enrol women in.
func loadTrainings(ctx context.Context, st *store.Store, sys *birge.Actor, orgIDs, centerIDs, programIDs map[string]int64) error {
	var first birge.Course
	for i, c := range courses {
		k, err := st.Trainings.CreateCourse(ctx, sys, birge.Course{OrgID: orgIDs["mamapro"], Names: c.names, Hours: c.hours,
			ProgramID: programIDs["mamapro-skills"], CompletionRule: c.rule, Online: c.names.EN == "Digital marketing"})
		if err != nil {
			return fmt.Errorf("course %s: %w", c.names.EN, err)
		}
		if i == 0 {
			first = k
		}
	}
	trainers, err := st.Trainings.Trainers(ctx, sys, orgIDs["mamapro"])
	if err != nil {
		return err
	}
	h := birge.Cohort{CourseID: first.ID, CenterID: centerIDs["mamapro/almaty"], Venue: "Абай даңғылы 10, 2-зал",
		Language: "kk", Capacity: 20, StartsOn: "2027-01-16", EndsOn: "2027-03-27", TrainerIDs: []int64{},
		PublicSignup: true} // offered on the public site's catalogue, /trainings
	for _, tr := range trainers {
		h.TrainerIDs = append(h.TrainerIDs, tr.ID)
	}
	if h, err = st.Trainings.CreateCohort(ctx, sys, h); err != nil {
		return fmt.Errorf("cohort: %w", err)
	}
	if _, err := st.Trainings.GenerateTrainingSessions(ctx, sys, h.ID, birge.SessionPattern{Weekday: 6, Start: "10:00",
		Minutes: 180}); err != nil {
		return fmt.Errorf("cohort's sessions: %w", err)
	}
	return nil
}
