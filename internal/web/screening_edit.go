package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
)

// An organisation's administrators edit its screening questionnaire under its settings
// (decision 0028): every question's text in the four languages, its domain and whether
// a yes means danger; a question is retired by unticking "keep"; one new question may be
// added at a time. Saving makes a new version; screenings made on the old one keep it.

// questionField is the prefix of the form's fields of the question at place i: q3_code,
// q3_text_ky. (The store names them questions.3.code; a dot would not do in an id.)
func questionField(i int) string { return "q" + strconv.Itoa(i) + "_" }

// questionRow is one question of the editing form, by its place in the form.
type questionRow struct {
	Index, Number int // Number counts from one, as people do
	New           bool
	Domain        string // the name of its kind of violence, once one is chosen
}

func (s *Server) screeningEdit(w http.ResponseWriter, r *http.Request) error {
	o, err := s.categoryOrg(r) // the same permission: org.manage on the organisation
	if err != nil {
		return err
	}
	v, err := s.store.Screenings.Questions(r.Context(), request.From(r.Context()).Actor, o.ID)
	if err != nil {
		return err
	}
	f := newForm()
	f.Values["version"] = strconv.FormatInt(v.VersionID, 10)
	f.Values["count"] = strconv.Itoa(len(v.Questions))
	for i, q := range v.Questions {
		at := questionField(i)
		f.Values[at+"keep"] = "on"
		f.Values[at+"code"], f.Values[at+"domain"] = q.Code, q.Domain
		f.Values[at+"text_kk"], f.Values[at+"text_ru"], f.Values[at+"text_ky"], f.Values[at+"text_en"] = q.TextKK, q.TextRU, q.TextKY, q.TextEN
		if q.Lethality {
			f.Values[at+"lethality"] = "on"
		}
	}
	return s.renderQuestions(w, r, http.StatusOK, f, o, len(v.Questions))
}

func (s *Server) renderQuestions(w http.ResponseWriter, r *http.Request, status int, f *form, o birge.Organization, n int) error {
	info := request.From(r.Context())
	domains := make([]option, len(birge.ScreeningDomains))
	for i, d := range birge.ScreeningDomains {
		domains[i] = option{d, info.P.T("screening_edit.domain." + d)}
	}
	rows := make([]questionRow, 0, n+1)
	for i := 0; i <= n; i++ {
		row := questionRow{Index: i, Number: i + 1, New: i == n}
		// The heading names the question's kind of violence in words; its code is the
		// questionnaire's own, of no use to the one who reads it.
		if d := f.Values[questionField(i)+"domain"]; slices.Contains(birge.ScreeningDomains, d) {
			row.Domain = info.P.T("screening_edit.domain." + d)
		}
		rows = append(rows, row)
	}
	return s.render(w, r, status, "org/screening", f, map[string]any{"Org": o, "Rows": rows, "Domains": domains})
}

// screeningSave reads the form into the new version: the questions kept, in their
// order, then the new one when anything of it was filled in.
func (s *Server) screeningSave(w http.ResponseWriter, r *http.Request) error {
	o, err := s.categoryOrg(r)
	if err != nil {
		return err
	}
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	// count is how many questions the form was drawn with; the row after them is the new one.
	n, _ := strconv.Atoi(f.get("count"))
	n = min(max(n, 0), birge.MaxQuestions)
	var qs []birge.Question
	var formIndex []int // the form's place of each question saved, to show a mistake beside it
	for i := 0; i <= n; i++ {
		at := questionField(i)
		q := birge.Question{Code: strings.TrimSpace(f.get(at + "code")), Domain: f.get(at + "domain"),
			Lethality: f.get(at+"lethality") != "", TextKK: f.get(at + "text_kk"), TextRU: f.get(at + "text_ru"),
			TextKY: f.get(at + "text_ky"), TextEN: f.get(at + "text_en")}
		isNew := i == n
		if isNew && q.Code == "" && q.TextKK+q.TextRU+q.TextKY+q.TextEN == "" {
			continue // the new question's row left empty
		}
		if !isNew && f.get(at+"keep") == "" {
			continue // retired
		}
		qs, formIndex = append(qs, q), append(formIndex, i)
	}
	based, _ := strconv.ParseInt(f.get("version"), 10, 64)
	_, err = s.store.Screenings.SaveQuestions(r.Context(), request.From(r.Context()).Actor, o.ID, based, qs)
	if e := (*birge.Error)(nil); errors.As(err, &e) && e.Kind == birge.KindInvalid {
		// Name each mistake by the form's place of its question.
		fields := birge.Problems{}
		for k, v := range e.Fields {
			if rest, ok := strings.CutPrefix(k, "questions."); ok {
				if i, field, ok := strings.Cut(rest, "."); ok {
					if idx, err := strconv.Atoi(i); err == nil && idx < len(formIndex) {
						k = questionField(formIndex[idx]) + field
					}
				}
			}
			fields[k] = v
		}
		e = &birge.Error{Kind: e.Kind, Key: e.Key, Fields: fields}
		f.fail(e)
		if msg := fields["questions"]; msg != "" {
			f.Error = msg
		}
		return s.renderQuestions(w, r, http.StatusUnprocessableEntity, f, o, n)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/organizations/"+strconv.FormatInt(o.ID, 10)+"/screening", "flash.saved")
}
