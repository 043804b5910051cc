package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// indicatorRow is an indicator as the programme's page shows it: what it counts, over
// which period, its target and its actual in the reader's language, and how far along.
type indicatorRow struct {
	ID                                   int64
	Name, Counts, Period, Target, Actual string
	Program                              string // on an award's page: whose indicator
	Percent                              float64
	PercentText                          string // of the target: whole per cents, tenths below one
	Bar                                  int    // the progress bar's width, 0–100
	Met                                  bool
}

// indicatorRows counts a programme's indicators and words them for its page.
func (s *Server) indicatorRows(r *http.Request, p birge.Program) ([]indicatorRow, error) {
	info := request.From(r.Context())
	list, err := s.store.Indicators.List(r.Context(), info.Actor, p.ID)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	services, outcomes, err := s.store.Indicators.Kinds(r.Context(), info.Actor, p.OrgID)
	if err != nil {
		return nil, err
	}
	kindNames := func(kinds birge.KindList, codes []string) string {
		names := make([]string, len(codes))
		for i, c := range codes {
			names[i] = c
			if k, ok := kinds.Lookup(c); ok {
				names[i] = k.Names.In(info.Lang)
			}
		}
		return strings.Join(names, ", ")
	}
	amount := func(in birge.Indicator, n int64) string {
		switch {
		case in.Measure == birge.MeasureShare:
			return fmt.Sprintf("%s %%", info.P.Decimal(float64(n), 0))
		case in.Unit == "money":
			return moneyText(info.P, birge.Money{Amount: n, Currency: in.Currency})
		case in.Unit != "":
			return info.P.N("delivery.count."+in.Unit, int(n))
		}
		return info.P.Number(int(n))
	}
	names := map[int64]string{}
	for _, f := range list {
		names[f.ID] = f.Names.In(info.Lang)
	}
	rows := make([]indicatorRow, len(list))
	for i, f := range list {
		in := f.Indicator
		row := indicatorRow{ID: in.ID, Name: in.Names.In(info.Lang), Target: amount(in, in.Target),
			Actual: amount(in, f.Actual), Percent: f.Percent(in), Met: f.Met(in)}
		counts := []string{info.P.T("indicator.measure." + in.Measure)}
		if in.Of != nil {
			counts[0] = info.P.T("indicator.share_named", "whole", names[*in.Of])
		}
		if len(in.DeliveryKinds) > 0 {
			counts = append(counts, kindNames(services, in.DeliveryKinds))
		}
		if len(in.OutcomeKinds) > 0 {
			counts = append(counts, kindNames(outcomes, in.OutcomeKinds))
		}
		row.Counts = strings.Join(counts, ": ")
		if in.Measure == birge.MeasureShare {
			row.Actual = info.P.T("indicator.share_of_whole", "percent", info.P.Decimal(row.Percent, 1),
				"part", f.Actual, "whole", f.Whole)
			row.Percent = row.Percent * 100 / float64(in.Target)
		}
		row.Bar = int(min(row.Percent, 100))
		row.PercentText = info.P.Decimal(row.Percent, 0)
		if row.Percent > 0 && row.Percent < 1 { // one woman of 200 is not "0 %"
			row.PercentText = info.P.Decimal(row.Percent, 1)
		}
		switch {
		case in.From != "" && in.To != "":
			row.Period = info.P.T("indicator.period", "from", info.P.Day(in.From), "to", info.P.Day(in.To))
		case in.From != "":
			row.Period = info.P.T("indicator.period_from", "from", info.P.Day(in.From))
		case in.To != "":
			row.Period = info.P.T("indicator.period_to", "to", info.P.Day(in.To))
		default:
			row.Period = info.P.T("indicator.period_all")
		}
		rows[i] = row
	}
	return rows, nil
}

// indicatorNew shows the form that adds an indicator to a programme.
func (s *Server) indicatorNew(w http.ResponseWriter, r *http.Request) error {
	f := newForm()
	f.Values["measure"], f.Values["currency"] = birge.MeasurePeopleReached, "KZT"
	return s.renderIndicatorForm(w, r, http.StatusOK, f)
}

// renderIndicatorForm draws the form: names in four languages, what to count (kinds as
// ticked boxes), a share's whole, the period and the target, with no JavaScript.
func (s *Server) renderIndicatorForm(w http.ResponseWriter, r *http.Request, status int, f *form) error {
	info := request.From(r.Context())
	p, err := s.store.Programs.Get(r.Context(), info.Actor, pathInt(r, "id"))
	if err != nil {
		return err
	}
	if !store.MayEdit(info.Actor, p) {
		return birge.ErrForbidden
	}
	services, outcomes, err := s.store.Indicators.Kinds(r.Context(), info.Actor, p.OrgID)
	if err != nil {
		return err
	}
	existing, err := s.store.Indicators.Defined(r.Context(), info.Actor, p.ID)
	if err != nil {
		return err
	}
	wholes := []option{{"", "—"}}
	for _, in := range existing {
		if birge.CountsPeople(in.Measure) {
			wholes = append(wholes, option{strconv.FormatInt(in.ID, 10), in.Names.In(info.Lang)})
		}
	}
	currencies := codeOptions(birge.Currencies)
	units := append([]option{{"", "—"}}, choices(info, "delivery.unit.", birge.DeliveryUnits)...)
	return s.render(w, r, status, "indicator/new", f, map[string]any{"Program": p,
		"Measures": choices(info, "indicator.measure.", birge.Measures), "Services": kindOptions(info.Lang, services),
		"Outcomes": kindOptions(info.Lang, outcomes), "Wholes": wholes, "Units": units, "Currencies": currencies})
}

// indicatorFromForm reads the form; kinds are ticked boxes named dk_CODE and ok_CODE, and
// a target of money is typed in whole units (tenge, som) and kept in minor units.
func indicatorFromForm(f *form, programID int64) birge.Indicator {
	in := birge.Indicator{ProgramID: programID, Names: namesFromForm(f), Measure: f.get("measure"),
		Unit: f.get("unit"), Currency: f.get("currency"), From: f.get("from"), To: f.get("to"),
		DeliveryKinds: []string{}, OutcomeKinds: []string{}}
	for k, v := range f.Values {
		if v == "" {
			continue
		}
		if code, ok := strings.CutPrefix(k, "dk_"); ok {
			in.DeliveryKinds = append(in.DeliveryKinds, code)
		} else if code, ok := strings.CutPrefix(k, "ok_"); ok {
			in.OutcomeKinds = append(in.OutcomeKinds, code)
		}
	}
	if id := f.int64("of"); id != 0 {
		in.Of = &id
	}
	n, err := strconv.ParseInt(f.get("target"), 10, 64)
	if err != nil {
		n = -1 // not a number: refused as out of range, never read as zero
	}
	if in.Measure == birge.MeasureQuantitySum && in.Unit == "money" && n > 0 {
		n *= 100
	}
	in.Target = n
	return in
}

// indicatorCreate adds the indicator and returns to the programme's figures.
func (s *Server) indicatorCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	id := pathInt(r, "id")
	if _, err := s.store.Indicators.Create(r.Context(), request.From(r.Context()).Actor, indicatorFromForm(f, id)); err != nil {
		if f.fail(err) {
			return s.renderIndicatorForm(w, r, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	return redirect(w, r, "/programs/"+strconv.FormatInt(id, 10)+"#indicators", "flash.saved")
}

// indicatorDelete removes an indicator added by mistake.
func (s *Server) indicatorDelete(w http.ResponseWriter, r *http.Request) error {
	id := pathInt(r, "id")
	a := request.From(r.Context()).Actor
	list, err := s.store.Indicators.Defined(r.Context(), a, id)
	if err != nil {
		return err
	}
	for _, in := range list {
		if in.ID == pathInt(r, "indicator") {
			if err := s.store.Indicators.Delete(r.Context(), a, in.ID); err != nil {
				return err
			}
			return redirect(w, r, "/programs/"+strconv.FormatInt(id, 10)+"#indicators", "flash.deleted")
		}
	}
	return birge.ErrNotFound
}
