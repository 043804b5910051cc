package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// programList shows the programmes the user may see, narrowed by status and kind.
func (s *Server) programList(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	q := r.URL.Query()
	f := store.ProgramFilter{Status: q.Get("status"), Kind: q.Get("kind")}
	programs, err := s.store.Programs.List(r.Context(), info.Actor, f)
	if err != nil {
		return err
	}
	i18n.Sort(info.P, programs, func(p birge.Program) string { return p.Names.In(info.Lang) })
	orgs, err := s.programOrgs(r)
	if err != nil {
		return err
	}
	filter := newForm()
	filter.Values["status"], filter.Values["kind"] = f.Status, f.Kind
	return s.render(w, r, http.StatusOK, "program/list", filter, map[string]any{"Programs": programs,
		"CanCreate": len(orgs) > 0, "Statuses": choices(info, "program.status.", birge.ProgramStatuses),
		"Kinds": choices(info, "program.kind.", birge.ProgramKinds)})
}

// programOrgs are the organisations where the user may create programmes.
func (s *Server) programOrgs(r *http.Request) ([]birge.Organization, error) {
	a := request.From(r.Context()).Actor
	orgs, err := s.store.ListOrgs(r.Context(), a)
	var out []birge.Organization
	for _, o := range orgs {
		if a.CanIn(birge.PermProgramManage, o.ID) {
			out = append(out, o)
		}
	}
	return out, err
}

func (s *Server) programShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderProgram(w, r, http.StatusOK, newForm())
}

// programOptions are the programmes whose participants the user may see, for the people
// list's filter: none for a role that sees no programmes.
func (s *Server) programOptions(r *http.Request) ([]option, error) {
	info := request.From(r.Context())
	if info.Actor.ScopeOf(birge.PermProgramView).Empty() {
		return nil, nil
	}
	programs, err := s.store.Programs.List(r.Context(), info.Actor, store.ProgramFilter{})
	if err != nil {
		return nil, err
	}
	i18n.Sort(info.P, programs, func(p birge.Program) string { return p.Names.In(info.Lang) })
	var out []option
	for _, p := range programs {
		if store.SeesWho(info.Actor, p) {
			out = append(out, option{strconv.FormatInt(p.ID, 10), p.Names.In(info.Lang)})
		}
	}
	return out, nil
}

// participantRow is a participant as the programme's page lists her.
type participantRow struct {
	birge.Participant
	Name string
}

// renderProgram draws a programme's page: its details, how many take part and, for those
// who may see them, who, with the forms to add a woman and to end her participation.
func (s *Server) renderProgram(w http.ResponseWriter, r *http.Request, status int, f *form) error {
	info := request.From(r.Context())
	ctx, a := r.Context(), info.Actor
	p, err := s.store.Programs.Get(ctx, a, pathInt(r, "id"))
	if err != nil {
		return err
	}
	o, err := s.store.GetOrg(ctx, a, p.OrgID)
	if err != nil {
		return err
	}
	count, err := s.store.Programs.Count(ctx, a, p.ID)
	if err != nil {
		return err
	}
	centers, err := s.visibleCenters(r, store.CenterFilter{OrgID: p.OrgID})
	if err != nil {
		return err
	}
	var centerNames []string
	for _, c := range centers {
		if slices.Contains(p.CenterIDs, c.ID) {
			centerNames = append(centerNames, c.Names.In(info.Lang))
		}
	}
	cats, err := s.store.Programs.Categories(ctx, a, p.OrgID)
	if err != nil {
		return err
	}
	var groups []string
	for _, code := range p.Categories {
		groups = append(groups, cats.Label(code, info.Lang))
	}
	seesWho, canManage := store.SeesWho(a, p), store.MayManage(a, p)
	var rows []participantRow
	var next int64
	if seesWho {
		after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
		list, err := s.store.Programs.ListParticipants(ctx, a, p.ID, store.ParticipantFilter{After: after, Limit: participantsPage + 1})
		if err != nil {
			return err
		}
		if len(list) > participantsPage {
			list, next = list[:participantsPage], list[participantsPage-1].ID
		}
		ids := make([]int64, len(list))
		for i, pt := range list {
			ids[i] = pt.PersonID
		}
		names, err := s.store.People.Names(ctx, a, ids)
		if err != nil {
			return err
		}
		for _, pt := range list {
			rows = append(rows, participantRow{Participant: pt, Name: names[pt.PersonID]})
		}
	}
	if f.get("joined_on") == "" {
		f.Values["joined_on"] = s.today(r)
	}
	if f.get("left_on") == "" {
		f.Values["left_on"] = s.today(r)
	}
	indicators, err := s.indicatorRows(r, p)
	if err != nil {
		return err
	}
	group, err := s.deliveryGroup(r, f, p)
	if err != nil {
		return err
	}
	// The trainings' figures of its courses, to those who see them (decision 0033).
	var trainings *trainingFiguresView
	if a.CanIn(birge.PermTrainingFigures, p.OrgID) {
		figures, err := s.store.Trainings.TrainingFigures(ctx, a, store.TrainingFiguresFilter{ProgramID: p.ID})
		if err != nil {
			return err
		}
		if figures.Enrolled > 0 {
			v := s.figuresView(r, figures)
			trainings = &v
		}
	}
	return s.render(w, r, status, "program/show", f, map[string]any{"Program": p, "Org": o,
		"Indicators": indicators, "Group": group, "Trainings": trainings,
		"Description": p.Descriptions.In(info.Lang), "Centers": centerNames, "Groups": groups, "Count": count,
		"SeesWho": seesWho, "Participants": rows, "Next": next, "EndID": f.int64("end_id"),
		"CanManage": canManage && seesWho, "CanEdit": store.MayEdit(a, p)})
}

// participantsPage is how many participants a programme's page lists at a time.
const participantsPage = 100

func (s *Server) programNew(w http.ResponseWriter, r *http.Request) error {
	orgs, err := s.programOrgs(r)
	if err != nil {
		return err
	}
	if len(orgs) == 0 {
		return birge.ErrForbidden
	}
	f := newForm()
	f.Values["org_id"] = strconv.FormatInt(orgs[0].ID, 10)
	f.Values["kind"], f.Values["status"], f.Values["starts_on"] = "counselling", "planned", s.today(r)
	return s.renderProgramForm(w, r, http.StatusOK, f, 0)
}

func (s *Server) programEdit(w http.ResponseWriter, r *http.Request) error {
	a := request.From(r.Context()).Actor
	p, err := s.store.Programs.Get(r.Context(), a, pathInt(r, "id"))
	if err != nil {
		return err
	}
	if !store.MayEdit(a, p) {
		return birge.ErrForbidden
	}
	f := newForm()
	setNames(f, p.Names)
	for k, v := range map[string]string{"org_id": strconv.FormatInt(p.OrgID, 10), "kind": p.Kind, "status": p.Status,
		"starts_on": p.StartsOn, "ends_on": p.EndsOn, "description_kk": p.Descriptions.KK,
		"description_ru": p.Descriptions.RU, "description_ky": p.Descriptions.KY, "description_en": p.Descriptions.EN} {
		f.Values[k] = v
	}
	if p.Sensitive {
		f.Values["sensitive"] = "on"
	}
	for _, id := range p.CenterIDs {
		f.Values["ctr_"+strconv.FormatInt(id, 10)] = "on"
	}
	for _, c := range p.Categories {
		f.Values["cat_"+c] = "on"
	}
	for _, t := range p.SDGTargets {
		f.Values["sdg_"+t] = "on"
	}
	return s.renderProgramForm(w, r, http.StatusOK, f, p.ID)
}

// renderProgramForm draws the programme form: names and descriptions in the four
// languages, and the centres, target groups and SDG targets as ticked boxes (no
// JavaScript). Centres and groups are those of the organisations where the user may
// manage programmes; the store checks that they belong to the programme's.
func (s *Server) renderProgramForm(w http.ResponseWriter, r *http.Request, status int, f *form, id int64) error {
	info := request.From(r.Context())
	ctx, a := r.Context(), info.Actor
	orgs, err := s.programOrgs(r)
	if err != nil {
		return err
	}
	var orgOpts, centerOpts, catOpts []option
	seen := map[string]bool{}
	for _, o := range orgs {
		if id != 0 && o.ID != f.int64("org_id") {
			continue
		}
		orgOpts = append(orgOpts, option{strconv.FormatInt(o.ID, 10), o.Names.In(info.Lang)})
		centers, err := s.visibleCenters(r, store.CenterFilter{OrgID: o.ID})
		if err != nil {
			return err
		}
		for _, c := range centers {
			if a.Can(birge.PermProgramManage, c.OrgID, c.ID) {
				centerOpts = append(centerOpts, option{strconv.FormatInt(c.ID, 10), c.Names.In(info.Lang)})
			}
		}
		cats, err := s.store.Programs.Categories(ctx, a, o.ID)
		if err != nil {
			return err
		}
		for _, c := range cats {
			if !seen[c.Code] && (!c.Retired || f.get("cat_"+c.Code) != "") {
				seen[c.Code] = true
				catOpts = append(catOpts, option{c.Code, c.Names.In(info.Lang)})
			}
		}
	}
	var sdg []option
	for _, t := range birge.SDGTargets {
		sdg = append(sdg, option{t, t})
	}
	return s.render(w, r, status, "program/form", f, map[string]any{"ID": id, "Orgs": orgOpts,
		"Centers": centerOpts, "Categories": catOpts, "SDG": sdg,
		"Kinds":    choices(info, "program.kind.", birge.ProgramKinds),
		"Statuses": choices(info, "program.status.", birge.ProgramStatuses)})
}

// programFromForm reads the form; ticked boxes are named ctr_ID, cat_CODE and sdg_TARGET.
func programFromForm(f *form) birge.Program {
	p := birge.Program{OrgID: f.int64("org_id"), Names: namesFromForm(f),
		Descriptions: birge.Descriptions{KK: f.get("description_kk"), RU: f.get("description_ru"),
			KY: f.get("description_ky"), EN: f.get("description_en")},
		Kind: f.get("kind"), Status: f.get("status"), StartsOn: f.get("starts_on"), EndsOn: f.get("ends_on"),
		Sensitive: f.get("sensitive") != "", CenterIDs: []int64{}, Categories: []string{}, SDGTargets: []string{}}
	for k, v := range f.Values {
		if v == "" {
			continue
		}
		if id, ok := strings.CutPrefix(k, "ctr_"); ok {
			n, err := strconv.ParseInt(id, 10, 64)
			if err != nil {
				n = -1 // not a centre: refused by the store as out of sight
			}
			p.CenterIDs = append(p.CenterIDs, n)
		} else if code, ok := strings.CutPrefix(k, "cat_"); ok {
			p.Categories = append(p.Categories, code)
		} else if t, ok := strings.CutPrefix(k, "sdg_"); ok {
			p.SDGTargets = append(p.SDGTargets, t)
		}
	}
	return p
}

func (s *Server) programCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	p, err := s.store.Programs.Create(r.Context(), request.From(r.Context()).Actor, programFromForm(f))
	if err != nil {
		if f.fail(err) {
			programErrorsToForm(f)
			return s.renderProgramForm(w, r, http.StatusUnprocessableEntity, f, 0)
		}
		return err
	}
	return redirect(w, r, "/programs/"+strconv.FormatInt(p.ID, 10), "flash.saved")
}

func (s *Server) programUpdate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	a := request.From(r.Context()).Actor
	id := pathInt(r, "id")
	old, err := s.store.Programs.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	p := programFromForm(f)
	p.ID, p.OrgID = id, old.OrgID
	if _, err := s.store.Programs.Update(r.Context(), a, p); err != nil {
		if f.fail(err) {
			f.Values["org_id"] = strconv.FormatInt(old.OrgID, 10)
			programErrorsToForm(f)
			return s.renderProgramForm(w, r, http.StatusUnprocessableEntity, f, id)
		}
		return err
	}
	return redirect(w, r, "/programs/"+strconv.FormatInt(id, 10), "flash.saved")
}

// programErrorsToForm shows the organisation's error beside the form's select.
func programErrorsToForm(f *form) {
	if e, ok := f.Errors["organization_id"]; ok {
		f.Errors["org_id"] = e
	}
}

// programAddParticipant adds a woman by her record number. A number out of the user's
// sight reads as unknown on the field, as a relative's does.
func (s *Server) programAddParticipant(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	id := pathInt(r, "id")
	_, err = s.store.Programs.AddParticipant(r.Context(), request.From(r.Context()).Actor, id,
		birge.Participant{PersonID: f.int64("person_id"), JoinedOn: f.get("joined_on")})
	if birge.KindOf(err) == birge.KindNotFound {
		if _, perr := s.store.Programs.Get(r.Context(), request.From(r.Context()).Actor, id); perr == nil {
			err = &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"person_id": "program.person_not_found"}}
		}
	}
	if err != nil {
		if f.fail(err) {
			return s.renderProgram(w, r, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	return redirect(w, r, "/programs/"+strconv.FormatInt(id, 10)+"#participants", "flash.saved")
}

// programEndParticipation records the day she left and why.
func (s *Server) programEndParticipation(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	id, pid := pathInt(r, "id"), pathInt(r, "participant")
	if _, err := s.store.Programs.EndParticipation(r.Context(), request.From(r.Context()).Actor, id, pid,
		f.get("left_on"), f.get("reason")); err != nil {
		if f.fail(err) {
			f.Values["end_id"] = strconv.FormatInt(pid, 10)
			return s.renderProgram(w, r, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	return redirect(w, r, "/programs/"+strconv.FormatInt(id, 10)+"#participants", "flash.saved")
}
