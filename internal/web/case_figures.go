package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
)

// figureRow is one line of a table of the centre's figures: a label and its count.
type figureRow struct {
	Label string
	Count int
	Open  int
}

// caseFigures is the centre's page of families for a chosen period (by day of intake):
// by default the last four months, this one and the three before.
func (s *Server) caseFigures(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	c, err := s.store.GetCenter(r.Context(), info.Actor, pathInt(r, "id"))
	if err != nil {
		return err
	}
	f := newForm()
	q := r.URL.Query()
	f.Values["from"], f.Values["to"] = q.Get("from"), q.Get("to")
	if !q.Has("from") && !q.Has("to") {
		today := info.Actor.Today(s.store.Now())
		f.Values["from"] = time.Date(today.Year(), today.Month()-3, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		f.Values["to"] = today.Format(time.DateOnly)
	}
	status := http.StatusOK
	figures, err := s.store.Cases.Figures(r.Context(), info.Actor, c.ID, f.get("from"), f.get("to"))
	if err != nil {
		if !f.fail(err) {
			return err
		}
		status = http.StatusUnprocessableEntity
	}
	var outcomes, sessions, caseload []figureRow
	for _, code := range birge.CaseOutcomes {
		outcomes = append(outcomes, figureRow{Label: info.P.T("case.outcome." + code), Count: figures.Outcomes[code]})
	}
	for _, typ := range birge.SessionTypes {
		sessions = append(sessions, figureRow{Label: info.P.T("session.type." + typ), Count: figures.SessionsByType[typ]})
	}
	// Workers by name to those who manage the centre's cases; by number to the others
	// (an analyst), as the API gives them.
	var ids []int64
	for _, wl := range figures.Caseload {
		ids = append(ids, wl.WorkerID)
	}
	names := map[int64]string{}
	if s.store.Cases.MayManage(info.Actor, c.OrgID, c.ID) {
		if names, err = s.store.Cases.WorkerNames(r.Context(), ids); err != nil {
			return err
		}
	}
	for _, wl := range figures.Caseload {
		label := names[wl.WorkerID]
		if label == "" {
			label = info.P.T("case.worker_number", "id", strconv.FormatInt(wl.WorkerID, 10))
		}
		caseload = append(caseload, figureRow{Label: label, Count: wl.Families, Open: wl.Open})
	}
	var wait string
	if figures.MedianWaitDays != nil {
		wait = info.P.Decimal(*figures.MedianWaitDays, 1)
	}
	return s.render(w, r, status, "case/figures", f, map[string]any{"Center": c, "F": figures,
		"Share": info.P.Decimal(figures.WithdrawnShare, 1), "Wait": wait,
		"Outcomes": outcomes, "Sessions": sessions, "Caseload": caseload})
}
