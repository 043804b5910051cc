package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// results are what became of some demo women, a month ago: Olga works for herself
// after Mama Pro's training; Dinara withdrew her divorce application after mediation.
var results = []struct{ program, person, kind string }{
	{"mamapro-skills", "olga", "self_employed"},
	{"fpc-mediation", "dinara", "divorce_application_withdrawn"},
}

// promises are what each programme promised its donors, as the stories tell them: Mama
// Pro's 200 women trained and more than 50 in work or business; the Family Preservation
// Centre's couples, more than half of whom withdrew their divorce applications.
var promises = map[string][]birge.Indicator{
	"mamapro-skills": {
		{Names: birge.Names{KK: "Оқытылған әйелдер", RU: "Обучено женщин", KY: "Окутулган аялдар", EN: "Women trained"},
			Measure: birge.MeasurePeopleReached, DeliveryKinds: []string{"training_session"}, Target: 200},
		{Names: birge.Names{KK: "Оқу сағаттары", RU: "Часы обучения", KY: "Окуу сааттары", EN: "Hours of training"},
			Measure: birge.MeasureQuantitySum, Unit: "hours", Target: 4800},
		{Names: birge.Names{KK: "Жұмысқа орналасқан не кәсіп ашқан әйелдер", RU: "Трудоустроились или открыли дело",
			KY: "Жумушка орношкон же ишкердик ачкан аялдар", EN: "Women employed or in business"},
			Measure: birge.MeasurePeopleWithOutcome, OutcomeKinds: []string{"employed", "self_employed", "business_started"}, Target: 50},
	},
	"fpc-mediation": {
		{Names: birge.Names{KK: "Медиацияға келген адамдар", RU: "Пришли на медиацию", KY: "Медиацияга келген адамдар", EN: "People in mediation"},
			Measure: birge.MeasurePeopleReached, Target: 328},
		{Names: birge.Names{KK: "Ажырасу туралы өтінішін қайтарып алғандар", RU: "Отозвали заявление о разводе",
			KY: "Ажырашуу тууралуу арызын кайтарып алгандар", EN: "Divorce applications withdrawn"},
			Measure: birge.MeasureShare, OutcomeKinds: []string{"divorce_application_withdrawn"}, Target: 50},
	},
	"fpc-survivors": {
		{Names: birge.Names{KK: "Кеңес алған зардап шеккендер", RU: "Пострадавших получили консультации",
			KY: "Кеңеш алган жабыркагандар", EN: "Survivors counselled"},
			Measure: birge.MeasurePeopleReached, Target: 30},
	},
}

// loadIndicators records the demo results and each programme's promises; a share
// divides by the programme's first indicator.
func loadIndicators(ctx context.Context, st *store.Store, sys *birge.Actor, programIDs, personIDs map[string]int64) error {
	month := sys.Today(st.Now()).AddDate(0, -1, 0).Format(time.DateOnly)
	for _, r := range results {
		id := programIDs[r.program]
		if _, err := st.Outcomes.Record(ctx, sys, birge.Outcome{PersonID: personIDs[r.person], ProgramID: &id,
			Kind: r.kind, Date: month, Evidence: "Демо"}); err != nil {
			return fmt.Errorf("outcome of %s: %w", r.person, err)
		}
	}
	for key, list := range promises {
		var first int64
		for _, in := range list {
			in.ProgramID = programIDs[key]
			if in.Measure == birge.MeasureShare {
				in.Of = &first
			}
			created, err := st.Indicators.Create(ctx, sys, in)
			if err != nil {
				return fmt.Errorf("indicator %s of %s: %w", in.Names.EN, key, err)
			}
			if first == 0 {
				first = created.ID
			}
		}
	}
	return nil
}
