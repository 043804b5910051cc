package store

import (
	"context"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/geo"
)

// The trainings' figures (issue 12, decision 0033): counts, never names, for those who
// hold training.figures where the cohorts are held.

// TrainingFiguresFilter narrows the cohorts counted: by programme (of the course),
// centre, the women's region in the registry, course, trainer, and the period the cohort
// ended in (YYYY-MM-DD, both included, either open).
type TrainingFiguresFilter struct {
	ProgramID, CenterID, CourseID, TrainerID int64
	Region                                   string
	From, To                                 string
}

// TrainingFigures are what became of the women of the cohorts counted. Enrolments are
// counted as such: a woman who completed two courses is two completions, as donors count
// trainings; jobs and businesses count women.
type TrainingFigures struct {
	Enrolled       int               `json:"enrolled"`        // enrolments that took a place: enrolled, completed, dropped
	Completed      int               `json:"completed"`       // of them, completed
	CompletionRate *float64          `json:"completion_rate"` // completed of those in cohorts that ended, a percentage; null before any ended
	Marks          int               `json:"marks"`           // attendance marks
	AttendanceRate *float64          `json:"attendance_rate"` // present or late of the marks, a percentage; null with no marks
	FollowedUp     int               `json:"followed_up"`     // women with a six-month follow-up recorded
	Working        int               `json:"with_work"`       // of them, with a job or a business then
	Regions        int               `json:"with_work_regions"`
	Targets        []IndicatorFigure `json:"-"` // the programme's indicators, when one is named (the API writes them as its indicators)
}

func percent(part, whole int) *float64 {
	if whole == 0 {
		return nil
	}
	p := math.Round(float64(part)*1000/float64(whole)) / 10
	return &p
}

// TrainingFigures counts the figures of the cohorts the filter names, in the actor's
// scope of training.figures.
func (t *Trainings) TrainingFigures(ctx context.Context, a *birge.Actor, f TrainingFiguresFilter) (TrainingFigures, error) {
	out := TrainingFigures{Targets: []IndicatorFigure{}}
	scope := a.ScopeOf(birge.PermTrainingFigures)
	if scope.Empty() {
		return out, birge.ErrForbidden
	}
	pr := birge.Problems{}
	for field, day := range map[string]string{"from": f.From, "to": f.To} {
		if _, err := time.Parse(time.DateOnly, day); day != "" && err != nil {
			pr.Add(field, "field.date")
		}
	}
	if _, ok := geo.LookupRegion(f.Region); f.Region != "" && !ok {
		pr.Add("region", "field.choose")
	}
	if err := pr.Err(); err != nil {
		return out, err
	}
	// The cohorts counted, h, with their course k.
	w := where{}
	w.scope("h.org_id", "h.center_id", scope)
	if f.ProgramID != 0 {
		w.add("k.program_id = ?", f.ProgramID)
	}
	if f.CenterID != 0 {
		w.add("h.center_id = ?", f.CenterID)
	}
	if f.CourseID != 0 {
		w.add("h.course_id = ?", f.CourseID)
	}
	if f.TrainerID != 0 {
		w.add("EXISTS (SELECT 1 FROM cohort_trainers ct WHERE ct.cohort_id = h.id AND ct.user_id = ?)", f.TrainerID)
	}
	if f.From != "" {
		w.add("h.ends_on >= ?", f.From)
	}
	if f.To != "" {
		w.add("h.ends_on <= ?", f.To)
	}
	c := t.s.read()
	today := a.Today(t.s.now()).Format(time.DateOnly)
	// Enrolments and attendance: each cohort keeps its counts (migration 0039), so the
	// figures read the cohorts; by her region, they read her enrolments, which keep theirs.
	counts := ` FROM cohorts h JOIN courses k ON k.id = h.course_id`
	took, completed, marks, attended := "h.took", "h.completed", "h.marks", "h.attended"
	cw := w.clone()
	if f.Region != "" {
		counts += ` JOIN enrollments e ON e.cohort_id = h.id JOIN people p ON p.id = e.person_id`
		cw.add("p.region = ?", f.Region)
		took = "CASE WHEN e.status IN ('enrolled', 'completed', 'dropped') THEN 1 ELSE 0 END"
		completed, marks, attended = "CASE WHEN e.status = 'completed' THEN 1 ELSE 0 END", "e.marks", "e.attended"
	}
	var ended, endedCompleted, present int
	if err := c.row(ctx, `SELECT COALESCE(SUM(`+took+`), 0), COALESCE(SUM(`+completed+`), 0),
		COALESCE(SUM(CASE WHEN h.ends_on < ? THEN `+took+` ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN h.ends_on < ? THEN `+completed+` ELSE 0 END), 0),
		COALESCE(SUM(`+marks+`), 0), COALESCE(SUM(`+attended+`), 0)`+counts+cw.sql(),
		append([]any{today, today}, cw.args...)...).Scan(&out.Enrolled, &out.Completed, &ended, &endedCompleted,
		&out.Marks, &present); err != nil {
		return out, err
	}
	out.CompletionRate = percent(endedCompleted, ended)
	out.AttendanceRate = percent(present, out.Marks)
	// Jobs and businesses at six months: the women whose six-month follow-up wrote such an
	// outcome, and the regions they live in.
	// The months, source and kinds are the code's constants, written into the query so
	// that PostgreSQL plans it for them (a prepared statement's generic plan, blind to
	// them, took ten times as long at 100,000 enrolments).
	kinds := "'" + strings.Join(birge.WorkOutcomes, "', '") + "'"
	// Read from the six-month follow-ups, far fewer than the enrolments: the cross joins
	// keep that order on SQLite, whose planner would otherwise start from the cohorts.
	fw := w.clone()
	fw.conds = append([]string{"fu.months = " + strconv.Itoa(birge.FigureMonths), "e.id = fu.enrollment_id",
		"h.id = e.cohort_id", "k.id = h.course_id"}, fw.conds...)
	from := ` FROM training_followups fu CROSS JOIN enrollments e CROSS JOIN cohorts h CROSS JOIN courses k`
	if f.Region != "" {
		from += ` CROSS JOIN people p`
		fw.add("p.id = e.person_id")
		fw.add("p.region = ?", f.Region)
	}
	if err := c.row(ctx, `SELECT COUNT(DISTINCT e.person_id), COUNT(DISTINCT o.person_id),
		COUNT(DISTINCT CASE WHEN o.id IS NOT NULL AND wp.region <> '' THEN wp.region END)`+from+`
		LEFT JOIN outcomes o ON o.source = '`+birge.SourceFollowup+`' AND o.source_id = fu.id AND o.kind IN (`+kinds+`)
		LEFT JOIN people wp ON wp.id = o.person_id`+fw.sql(), fw.args...).Scan(
		&out.FollowedUp, &out.Working, &out.Regions); err != nil {
		return out, err
	}
	// Against the programme's targets, to those who see the programme.
	if f.ProgramID != 0 {
		targets, err := t.s.Indicators.List(ctx, a, f.ProgramID)
		switch {
		case err == nil:
			out.Targets = targets
		case birge.KindOf(err) != birge.KindNotFound && birge.KindOf(err) != birge.KindForbidden:
			return out, err
		}
	}
	return out, nil
}
