package web

import (
	"net/http"
	"strconv"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
)

// screeningQuestion is one question as the form shows it, in the user's language.
type screeningQuestion struct {
	Code, Text string
}

func questionText(q birge.Question, lang string) string {
	switch lang {
	case "kk":
		return q.TextKK
	case "ru":
		return q.TextRU
	case "ky":
		return q.TextKY
	}
	return q.TextEN
}

// screeningCase reads the case and its organisation's current questionnaire, to those
// who see the case's screenings.
func (s *Server) screeningCase(r *http.Request) (birge.Case, birge.Questionnaire, error) {
	a := request.From(r.Context()).Actor
	k, err := s.store.Cases.Get(r.Context(), a, pathInt(r, "id"))
	if err != nil {
		return k, birge.Questionnaire{}, err
	}
	v, err := s.store.Screenings.Questions(r.Context(), a, k.OrgID)
	return k, v, err
}

// screeningNew shows the form to screen one partner of a case, alone.
func (s *Server) screeningNew(w http.ResponseWriter, r *http.Request) error {
	k, v, err := s.screeningCase(r)
	if err != nil {
		return err
	}
	f := newForm()
	f.Values["person_id"] = r.URL.Query().Get("person_id")
	return s.renderScreening(w, r, http.StatusOK, f, k, v)
}

// screeningCreate records the screening and goes back to the case, flagged or not.
func (s *Server) screeningCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	k, v, err := s.screeningCase(r)
	if err != nil {
		return err
	}
	sg := birge.Screening{PersonID: f.int64("person_id"), Alone: f.get("alone") != "", Answers: map[string]bool{}}
	for _, q := range v.Questions {
		if a := f.get("q_" + q.Code); a != "" {
			sg.Answers[q.Code] = a == "yes"
		}
	}
	if sg.Fear, err = strconv.Atoi(f.get("fear")); err != nil {
		sg.Fear = -1
	}
	if _, err := s.store.Screenings.Create(r.Context(), request.From(r.Context()).Actor, k.ID, sg); err != nil {
		if f.fail(err) {
			return s.renderScreening(w, r, http.StatusUnprocessableEntity, f, k, v)
		}
		return err
	}
	return redirect(w, r, "/cases/"+strconv.FormatInt(k.ID, 10), "flash.saved")
}

// renderScreening draws the form: the partner, that she is alone, each question yes or
// no, and her fear.
func (s *Server) renderScreening(w http.ResponseWriter, r *http.Request, status int, f *form, k birge.Case, v birge.Questionnaire) error {
	info := request.From(r.Context())
	rows, err := s.caseRows(r, []birge.Case{k}, nil)
	if err != nil {
		return err
	}
	questions := make([]screeningQuestion, len(v.Questions))
	for i, q := range v.Questions {
		questions[i] = screeningQuestion{q.Code, questionText(q, info.Lang)}
	}
	fear := []option{{"", ""}}
	for n := 0; n <= birge.MaxFear; n++ {
		fear = append(fear, option{strconv.Itoa(n), strconv.Itoa(n)})
	}
	return s.render(w, r, status, "case/screen", f, map[string]any{"Case": rows[0], "Questions": questions,
		"Fear": fear})
}

// caseOverride lifts a case's flag with the reason written on its page.
func (s *Server) caseOverride(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	a := request.From(r.Context()).Actor
	id := pathInt(r, "id")
	if _, err := s.store.Cases.Override(r.Context(), a, id, f.get("reason")); err != nil {
		if f.fail(err) {
			return s.renderCase(w, r, http.StatusUnprocessableEntity, f, id)
		}
		return err
	}
	return redirect(w, r, "/cases/"+strconv.FormatInt(id, 10), "flash.saved")
}

// caseReviewed records that a supervisor has reviewed a danger case.
func (s *Server) caseReviewed(w http.ResponseWriter, r *http.Request) error {
	id := pathInt(r, "id")
	if _, err := s.store.Cases.Review(r.Context(), request.From(r.Context()).Actor, id); err != nil {
		return err
	}
	return redirect(w, r, "/cases/"+strconv.FormatInt(id, 10), "flash.saved")
}
