package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// Review pages (decision 0036): a reviewer's assignments and the blind application with
// its score form; the staff's full application.

// reviewList is a reviewer's "my assignments": the applications she is to score, by call,
// with nothing of the applicants.
func (s *Server) reviewList(w http.ResponseWriter, r *http.Request) error {
	items, err := s.store.Calls.MyAssignments(r.Context(), request.From(r.Context()).Actor)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "call/reviews", nil, items)
}

// answerRow is one question of an application with its answer, as a page shows it.
type answerRow struct{ Label, Answer string }

// answerText writes an answer for a page: a text as typed, a number, an amount of money,
// a list of file names; anything else as its JSON.
func answerText(p *i18n.Printer, raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	var m birge.Money
	if json.Unmarshal(raw, &m) == nil && m.Currency != "" {
		return moneyText(p, m)
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return strings.Join(list, ", ")
	}
	return string(raw)
}

func answerRows(p *i18n.Printer, lang string, form []birge.CallField, answers map[string]json.RawMessage) []answerRow {
	var rows []answerRow
	for _, f := range form {
		row := answerRow{Label: f.In(lang)}
		if raw, ok := answers[f.Code]; ok {
			row.Answer = answerText(p, raw)
		}
		rows = append(rows, row)
	}
	return rows
}

// applicationShow is an application: blind with the score form for a reviewer it is
// assigned to, whole for staff who see its call.
func (s *Server) applicationShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderApplication(w, r, http.StatusOK, nil)
}

func (s *Server) renderApplication(w http.ResponseWriter, r *http.Request, status int, f *form) error {
	info := request.From(r.Context())
	ctx, a := r.Context(), info.Actor
	v, err := s.store.Calls.Application(ctx, a, pathInt(r, "id"))
	if err != nil {
		return err
	}
	if v.Staff != nil {
		if f == nil {
			f = newForm()
		}
		return s.renderStaffApplication(w, r, status, f)
	}
	b := v.Blind
	if f == nil {
		f = newForm()
		if b.Review != nil {
			for code, n := range b.Review.Scores {
				f.Values["scores."+code] = strconv.Itoa(n)
			}
			f.Values["comment"] = b.Review.Comment
		}
	}
	var scores []fieldView
	for _, c := range b.Criteria {
		name := "scores." + c.Code
		fv := fieldView{Name: name, Value: f.Values[name],
			Label: info.P.T("review.score_label", "criterion", c.In(info.Lang), "max", c.Max, "weight", c.Weight)}
		if key := f.Errors[name]; key != "" {
			fv.Error = info.P.T(key)
		}
		scores = append(scores, fv)
	}
	return s.render(w, r, status, "call/application", f, map[string]any{"Blind": b,
		"Title": b.CallTitles.In(info.Lang), "Rows": answerRows(info.P, info.Lang, b.Form, b.Answers),
		"Region": regionName(b.Region, info.Lang), "Scores": scores})
}

// reviewSubmit takes a reviewer's scores and comment, or her conflict of interest.
func (s *Server) reviewSubmit(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	ctx, a, id := r.Context(), request.From(r.Context()).Actor, pathInt(r, "id")
	if f.get("conflict") != "" {
		res, err := s.store.Calls.SubmitReview(ctx, a, id, store.ReviewInput{Conflict: true})
		if err != nil {
			return err
		}
		if res.Short {
			return redirect(w, r, "/reviews", "review.flash_conflict_short")
		}
		return redirect(w, r, "/reviews", "review.flash_conflict")
	}
	in := store.ReviewInput{Scores: map[string]int{}, Comment: f.get("comment")}
	bad := birge.Problems{}
	for k, v := range f.Values {
		code, ok := strings.CutPrefix(k, "scores.")
		if !ok || strings.TrimSpace(v) == "" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			bad.Add(k, "review.score_number")
			continue
		}
		in.Scores[code] = n
	}
	if _, err = s.store.Calls.SubmitReview(ctx, a, id, in); err == nil && len(bad) > 0 {
		err = bad.Err()
	}
	if err != nil {
		if !f.fail(err) {
			return err
		}
		for k, v := range bad {
			f.Errors[k] = v
		}
		return s.renderApplication(w, r, http.StatusUnprocessableEntity, f)
	}
	return redirect(w, r, "/reviews", "review.flash_saved")
}
