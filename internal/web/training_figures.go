package web

import (
	"net/http"
	"strconv"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// trainingFiguresView is the figures as a page shows them, numbers in its language.
type trainingFiguresView struct {
	store.TrainingFigures
	Completion, Attendance string
}

func (s *Server) figuresView(r *http.Request, f store.TrainingFigures) trainingFiguresView {
	p := request.From(r.Context()).P
	v := trainingFiguresView{TrainingFigures: f, Completion: "—", Attendance: "—"}
	if f.CompletionRate != nil {
		v.Completion = p.Decimal(*f.CompletionRate, 1) + " %"
	}
	if f.AttendanceRate != nil {
		v.Attendance = p.Decimal(*f.AttendanceRate, 1) + " %"
	}
	return v
}

// trainingFigures is the trainings' figures page: counts by programme, centre, region,
// course, trainer and period, never names.
func (s *Server) trainingFigures(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	q := r.URL.Query()
	id := func(name string) int64 { n, _ := strconv.ParseInt(q.Get(name), 10, 64); return n }
	f := store.TrainingFiguresFilter{ProgramID: id("program_id"), CenterID: id("center_id"), CourseID: id("course_id"),
		TrainerID: id("trainer_id"), Region: q.Get("region"), From: q.Get("from"), To: q.Get("to")}
	form := newForm()
	for _, k := range []string{"program_id", "center_id", "course_id", "trainer_id", "region", "from", "to"} {
		form.Values[k] = q.Get(k)
	}
	figures, err := s.store.Trainings.TrainingFigures(r.Context(), info.Actor, f)
	if e := birge.AsError(err); err != nil && e.Kind == birge.KindInvalid {
		form.fail(err)
		figures, err = s.store.Trainings.TrainingFigures(r.Context(), info.Actor, store.TrainingFiguresFilter{})
	}
	if err != nil {
		return err
	}
	programs := []option{{"", "—"}}
	if !info.Actor.ScopeOf(birge.PermProgramView).Empty() {
		list, err := s.store.Programs.List(r.Context(), info.Actor, store.ProgramFilter{})
		if err != nil {
			return err
		}
		for _, p := range list {
			programs = append(programs, option{strconv.FormatInt(p.ID, 10), p.Names.In(info.Lang)})
		}
	}
	centers := []option{{"", "—"}}
	list, err := s.visibleCenters(r, store.CenterFilter{})
	if err != nil {
		return err
	}
	for _, c := range list {
		centers = append(centers, option{strconv.FormatInt(c.ID, 10), c.Names.In(info.Lang)})
	}
	type target struct {
		Name, Target, Actual string
		Met                  bool
	}
	var rows []target
	for _, t := range figures.Targets {
		amount := func(n int64) string {
			switch {
			case t.Measure == birge.MeasureShare:
				return info.P.Decimal(float64(n), 0) + " %"
			case t.Unit == "money":
				return moneyText(info.P, birge.Money{Amount: n, Currency: t.Currency})
			}
			return info.P.Number(int(n))
		}
		rows = append(rows, target{t.Names.In(info.Lang), amount(t.Target), amount(t.Actual), t.Met(t.Indicator)})
	}
	return s.render(w, r, http.StatusOK, "training/figures", form, map[string]any{"Figures": s.figuresView(r, figures),
		"Programs": programs, "Centers": centers, "Targets": rows})
}
