package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// Training follow-ups (issue 12, decision 0033): the list of those due and overdue, a
// follow-up's page with her phone as she allows it to be used, the form staff fill in
// after a call, the one-time link a woman answers on her phone, and the figures.

// followupRow is a follow-up as the list shows it.
type followupRow struct {
	birge.Followup
	Course, Due string
}

// followupList lists the follow-ups due and overdue of the cohorts the user sees.
func (s *Server) followupList(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	q := r.URL.Query()
	f := store.FollowupFilter{State: q.Get("status")}
	f.CenterID, _ = strconv.ParseInt(q.Get("center"), 10, 64)
	f.TrainerID, _ = strconv.ParseInt(q.Get("trainer"), 10, 64)
	if f.State != birge.FollowupDue && f.State != birge.FollowupOverdue {
		f.State = ""
	}
	list, err := s.store.Trainings.Followups(r.Context(), info.Actor, f)
	if err != nil {
		return err
	}
	courses, err := s.store.Trainings.Courses(r.Context(), info.Actor, 0)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, k := range courses {
		names[k.ID] = k.Names.In(info.Lang)
	}
	rows := make([]followupRow, len(list))
	for i, fu := range list {
		rows[i] = followupRow{Followup: fu, Course: names[fu.CourseID], Due: info.P.Day(fu.DueOn)}
	}
	centers, err := s.visibleCenters(r, store.CenterFilter{})
	if err != nil {
		return err
	}
	places := []option{{"0", info.P.T("followup.every_center")}}
	for _, c := range centers {
		places = append(places, option{strconv.FormatInt(c.ID, 10), c.Names.In(info.Lang)})
	}
	// Those who run cohorts narrow the list to one trainer's.
	trainers := []option{{"0", info.P.T("followup.every_trainer")}}
	_, managed, err := s.trainingOrgs(r)
	if err != nil {
		return err
	}
	for _, o := range managed {
		org, _ := strconv.ParseInt(o.Value, 10, 64)
		list, err := s.store.Trainings.Trainers(r.Context(), info.Actor, org)
		if err != nil {
			return err
		}
		for _, tr := range list {
			trainers = append(trainers, option{strconv.FormatInt(tr.ID, 10), tr.Name})
		}
	}
	form := newForm()
	form.Values["status"], form.Values["center"] = f.State, strconv.FormatInt(f.CenterID, 10)
	form.Values["trainer"] = strconv.FormatInt(f.TrainerID, 10)
	states := []option{{"", info.P.T("followup.due_and_overdue")}, {birge.FollowupDue, info.P.T("followup.state.due")},
		{birge.FollowupOverdue, info.P.T("followup.state.overdue")}}
	return s.render(w, r, http.StatusOK, "training/followups", form, map[string]any{"Rows": rows, "States": states,
		"Centers": places, "Trainers": trainers})
}

// followupShow is one follow-up: who, when, her phone as she allows it to be used, and
// the form of her answers (or her answers, once recorded).
func (s *Server) followupShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderFollowup(w, r, http.StatusOK, newForm(), "")
}

func (s *Server) renderFollowup(w http.ResponseWriter, r *http.Request, status int, f *form, link string) error {
	info := request.From(r.Context())
	ctx, a := r.Context(), info.Actor
	months, _ := strconv.Atoi(r.PathValue("months"))
	fu, err := s.store.Trainings.Followup(ctx, a, pathInt(r, "enrollment"), months)
	if err != nil {
		return err
	}
	h, err := s.store.Trainings.Cohort(ctx, a, fu.CohortID)
	if err != nil {
		return err
	}
	k, err := s.store.Trainings.Course(ctx, a, fu.CourseID)
	if err != nil {
		return err
	}
	contact, err := s.store.Trainings.FollowupContact(ctx, a, fu.PersonID)
	if err != nil {
		return err
	}
	type phone struct{ Text, Tel string }
	var phones []phone
	for _, p := range contact.Phones {
		phones = append(phones, phone{p, telOf(p)})
	}
	if f.get("lang") == "" {
		f.Values["lang"] = h.Language
	}
	return s.render(w, r, status, "training/followup", f, map[string]any{"F": fu, "Course": k.Names.In(info.Lang),
		"Due": info.P.Day(fu.DueOn), "Contact": contact, "Phones": phones,
		"CanRecord": s.store.Trainings.MayManageCohort(a, h) && fu.State != birge.FollowupRecorded,
		"Choices":   followupChoices(info.P), "Langs": langOptions(), "Link": link})
}

// followupChoices are the options of the answers' lists, in the page's language.
func followupChoices(p *i18n.Printer) map[string][]option {
	out := map[string][]option{}
	for field, list := range map[string][]string{"employment": birge.FollowupEmployments,
		"income_band": birge.FollowupIncomeBands, "helped": birge.FollowupHelped} {
		opts := []option{{"", "—"}}
		for _, code := range list {
			opts = append(opts, option{code, p.T("followup." + field + "." + code)})
		}
		out[field] = opts
	}
	return out
}

// followupAnswers reads her answers from the form staff or she fill in.
func followupAnswers(f *form) birge.FollowupAnswers {
	employees := 0
	if text := strings.TrimSpace(f.get("business_employees")); text != "" {
		var err error
		if employees, err = strconv.Atoi(text); err != nil {
			employees = -1 // not a number: refused as out of range
		}
	}
	return birge.FollowupAnswers{Employment: f.get("employment"), Business: f.get("business_started") != "",
		BusinessKind: f.get("business_kind"), BusinessRegistered: f.get("business_registered") != "",
		BusinessEmployees: employees, IncomeBand: f.get("income_band"), Helped: f.get("helped"), Comment: f.get("comment")}
}

// followupRecord records her answers after a call.
func (s *Server) followupRecord(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	months, _ := strconv.Atoi(r.PathValue("months"))
	_, err = s.store.Trainings.RecordFollowup(r.Context(), request.From(r.Context()).Actor, pathInt(r, "enrollment"),
		months, followupAnswers(f))
	if err != nil {
		if f.fail(err) {
			return s.renderFollowup(w, r, http.StatusUnprocessableEntity, f, "")
		}
		return err
	}
	return redirect(w, r, "/followups", "flash.saved")
}

// followupLink makes a one-time link for her to answer herself and shows it once, to be
// sent to her.
func (s *Server) followupLink(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	months, _ := strconv.Atoi(r.PathValue("months"))
	secret, _, err := s.store.Trainings.CreateFollowupLink(r.Context(), request.From(r.Context()).Actor,
		pathInt(r, "enrollment"), months, f.get("lang"))
	if err != nil {
		if f.fail(err) {
			return s.renderFollowup(w, r, http.StatusUnprocessableEntity, f, "")
		}
		return err
	}
	base := strings.TrimRight(s.cfg.BaseURL, "/")
	if base == "" { // no address configured: the one she reached us at
		base = "http://" + r.Host
		if r.TLS != nil {
			base = "https://" + r.Host
		}
	}
	return s.renderFollowup(w, r, http.StatusOK, f, base+"/followup/"+secret)
}

// herLanguage speaks the link's language, unless she chose one with the switcher.
func herLanguage(r *http.Request, lang string) {
	if _, err := r.Cookie(langCookie); err == nil {
		return
	}
	info := request.From(r.Context())
	info.Lang, info.P = lang, i18n.For(lang)
}

// followupPublic is the page a one-time link opens: no account, in her language, light
// on a phone. A link used or expired says only that it no longer works.
func (s *Server) followupPublic(w http.ResponseWriter, r *http.Request) error {
	return s.renderFollowupPublic(w, r, http.StatusOK, newForm())
}

func (s *Server) renderFollowupPublic(w http.ResponseWriter, r *http.Request, status int, f *form) error {
	l, err := s.store.Trainings.OpenFollowupLink(r.Context(), r.PathValue("secret"))
	if birge.AsError(err) != nil && birge.AsError(err).Key == "followup.link_gone" {
		return s.render(w, r, http.StatusGone, "public/followup_gone", nil, nil)
	}
	if err != nil {
		return err
	}
	herLanguage(r, l.Lang)
	info := request.From(r.Context())
	return s.render(w, r, status, "public/followup", f, map[string]any{"Link": l, "Course": l.Course.In(info.Lang),
		"Choices": followupChoices(info.P), "Secret": r.PathValue("secret")})
}

// followupAnswer records what she answered through her link.
func (s *Server) followupAnswer(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	// Thanked, or shown her mistakes, in the link's language.
	l, err := s.store.Trainings.OpenFollowupLink(r.Context(), r.PathValue("secret"))
	if err == nil {
		herLanguage(r, l.Lang)
		err = s.store.Trainings.AnswerFollowupLink(r.Context(), r.PathValue("secret"), followupAnswers(f))
	}
	switch e := birge.AsError(err); {
	case err == nil:
		return s.render(w, r, http.StatusOK, "public/followup_thanks", nil, nil)
	case e.Key == "followup.link_gone":
		return s.render(w, r, http.StatusGone, "public/followup_gone", nil, nil)
	case f.fail(err):
		return s.renderFollowupPublic(w, r, http.StatusUnprocessableEntity, f)
	default:
		return err
	}
}
