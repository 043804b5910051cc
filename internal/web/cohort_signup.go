package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/geo"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/request"
)

// The public sign-up for trainings (issue 12, decision 0034): the catalogue of courses
// with cohorts open for sign-up, a course's cohorts, and the sign-up form — no account,
// in the visitor's language, with the quick exit of the public layout, no script or image
// of its own, for a phone on a slow network.

// signupTrap is the form's hidden field: people never see it, robots fill it in.
const signupTrap = "website"

// publicCohortView is an open cohort as the public pages show it: where, when, and its
// rule in words.
type publicCohortView struct {
	birge.PublicCohort
	Region     string
	Regions    []string
	Categories []string
}

func publicCohortViewOf(lang string, h birge.PublicCohort) publicCohortView {
	v := publicCohortView{PublicCohort: h, Region: regionName(h.Region, lang)}
	for _, code := range h.Regions {
		v.Regions = append(v.Regions, regionName(code, lang))
	}
	for _, k := range h.Categories {
		name := k.Names.In(lang)
		if name == "" {
			name = k.Code
		}
		v.Categories = append(v.Categories, name)
	}
	return v
}

// trainingCatalogue is /trainings: the courses with a cohort open for sign-up.
func (s *Server) trainingCatalogue(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	courses, err := s.store.Trainings.PublicCourses(r.Context(), 0)
	if err != nil {
		return err
	}
	i18n.Sort(info.P, courses, func(k birge.PublicCourse) string { return k.Names.In(info.Lang) })
	return s.render(w, r, http.StatusOK, "public/trainings", nil, courses)
}

// trainingCourse is a course's page: what it teaches and its cohorts open for sign-up.
func (s *Server) trainingCourse(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	k, err := s.store.Trainings.PublicCourse(r.Context(), pathInt(r, "id"))
	if err != nil {
		return err
	}
	cohorts := make([]publicCohortView, len(k.Cohorts))
	for i, h := range k.Cohorts {
		cohorts[i] = publicCohortViewOf(info.Lang, h)
	}
	return s.render(w, r, http.StatusOK, "public/training_course", nil, map[string]any{"Course": k, "Cohorts": cohorts})
}

// signupForm is the sign-up form of a cohort open for sign-up.
func (s *Server) signupForm(w http.ResponseWriter, r *http.Request) error {
	return s.renderSignup(w, r, http.StatusOK, newForm(), nil)
}

func (s *Server) renderSignup(w http.ResponseWriter, r *http.Request, status int, f *form, ticked []string) error {
	info := request.From(r.Context())
	k, h, err := s.store.Trainings.PublicCohort(r.Context(), pathInt(r, "id"))
	if err != nil {
		return err
	}
	// Her region is asked only when the rule reads it, among the centre's country's.
	var regions []option
	if len(h.Regions) > 0 {
		country := ""
		if reg, ok := geo.LookupRegion(h.Region); ok {
			country = reg.Country
		}
		for _, reg := range geo.Regions(country) {
			regions = append(regions, option{reg.Code, reg.Names.In(info.Lang)})
		}
		i18n.Sort(info.P, regions, func(o option) string { return o.Label })
		regions = append([]option{{"", "—"}}, regions...)
	}
	type tick struct {
		Code, Name string
		Checked    bool
	}
	var cats []tick
	for _, c := range h.Categories {
		name := c.Names.In(info.Lang)
		if name == "" {
			name = c.Code
		}
		cats = append(cats, tick{c.Code, name, slices.Contains(ticked, c.Code)})
	}
	return s.render(w, r, status, "public/signup", f, map[string]any{"Course": k, "Cohort": publicCohortViewOf(info.Lang, h),
		"Regions": regions, "Categories": cats, "Trap": signupTrap})
}

// signupSend signs her up and sends her to a page that says only what she may be told:
// pending, or on the waiting list. The body is bounded by parseForm; the address is
// throttled by the store.
func (s *Server) signupSend(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	info := request.From(r.Context())
	su := birge.Signup{FamilyName: f.get("family_name"), GivenName: f.get("given_name"), Patronymic: f.get("patronymic"),
		Phone: f.get("phone"), IIN: strings.TrimSpace(f.get("iin")), BirthDate: strings.TrimSpace(f.get("birth_date")),
		Region: f.get("region"), Rural: f.get("rural") != "", Categories: r.PostForm["categories"],
		Childcare: f.get("childcare") != "", SpecialNeeds: f.get("special_needs") != "",
		Accommodation: f.get("accommodation"), Wait: f.get("wait") != ""}
	res, err := s.store.Trainings.SignUp(r.Context(), info.IP, pathInt(r, "id"), su, f.get(signupTrap) != "")
	if err != nil {
		if f.fail(err) {
			return s.renderSignup(w, r, http.StatusUnprocessableEntity, f, su.Categories)
		}
		return err
	}
	return redirect(w, r, "/trainings/signed-up?status="+res.Status, "")
}

// signupSent says what happens next: staff will call her to confirm, or she waits for a
// place; nothing about whether she was known.
func (s *Server) signupSent(w http.ResponseWriter, r *http.Request) error {
	next := "signup.next_pending"
	if r.URL.Query().Get("status") == birge.EnrollmentWaiting {
		next = "signup.next_waiting"
	}
	return s.render(w, r, http.StatusOK, "public/signup_sent", nil, map[string]any{"Next": next})
}
