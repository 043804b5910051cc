package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
)

// closingRow is one closing or reopening as the case's page shows it.
type closingRow struct {
	birge.CaseClosing
	ByName string
	Stars  int // the satisfaction, 0 when none was given
}

// caseClosingData is what the case's page shows of its closings and offers to close or
// reopen it: the history, by name, and the form's choices. A form not yet filled closes
// it today.
func (s *Server) caseClosingData(r *http.Request, k birge.Case, f *form) (map[string]any, error) {
	info := request.From(r.Context())
	list, err := s.store.Cases.Closings(r.Context(), info.Actor, k.ID)
	if err != nil {
		return nil, err
	}
	var users []int64
	for _, cl := range list {
		users = append(users, cl.By)
	}
	names, err := s.store.Cases.WorkerNames(r.Context(), users)
	if err != nil {
		return nil, err
	}
	rows := make([]closingRow, len(list))
	for i, cl := range list {
		rows[i] = closingRow{CaseClosing: cl, ByName: names[cl.By]}
		if cl.Satisfaction != nil {
			rows[i].Stars = *cl.Satisfaction
		}
	}
	if _, ok := f.Values["closed_on"]; !ok {
		f.Values["closed_on"] = s.today(r)
	}
	satisfaction := []option{{"", info.P.T("case.satisfaction_none")}}
	for n := birge.MinSatisfaction; n <= birge.MaxSatisfaction; n++ {
		satisfaction = append(satisfaction, option{strconv.Itoa(n), info.P.T("case.satisfaction." + strconv.Itoa(n))})
	}
	return map[string]any{"Closings": rows, "Satisfaction": satisfaction,
		"Outcomes": append([]option{{"", "—"}}, choices(info, "case.outcome.", birge.CaseOutcomes)...)}, nil
}

// caseClose closes a case with its outcome, from the form on its page.
func (s *Server) caseClose(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	id := pathInt(r, "id")
	cl := birge.CaseClosing{Outcome: f.get("outcome"), ClosedOn: strings.TrimSpace(f.get("closed_on")),
		Agreement: f.get("agreement")}
	if v := f.get("satisfaction"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			n = -1 // not a number: refused as out of range
		}
		cl.Satisfaction = &n
	}
	if _, err := s.store.Cases.CloseWithOutcome(r.Context(), request.From(r.Context()).Actor, id, cl); err != nil {
		if f.fail(err) {
			return s.renderCase(w, r, http.StatusUnprocessableEntity, f, id)
		}
		return err
	}
	return redirect(w, r, "/cases/"+strconv.FormatInt(id, 10), "flash.saved")
}

// caseReopen takes a closed case back into work, with the reason given on its page.
func (s *Server) caseReopen(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	id := pathInt(r, "id")
	if _, err := s.store.Cases.Reopen(r.Context(), request.From(r.Context()).Actor, id, f.get("reopen_reason")); err != nil {
		// The form's field is reopen_reason, apart from the reason that lifts a flag on
		// the same page.
		if e := birge.AsError(err); e != nil && e.Fields["reason"] != "" {
			e.Fields = birge.Problems{"reopen_reason": e.Fields["reason"]}
		}
		if f.fail(err) {
			return s.renderCase(w, r, http.StatusUnprocessableEntity, f, id)
		}
		return err
	}
	return redirect(w, r, "/cases/"+strconv.FormatInt(id, 10), "flash.saved")
}
