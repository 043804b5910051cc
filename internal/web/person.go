package web

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/birge-org/birge/internal/api"
	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// peopleList is the registry's search page: one box for names, phones and identity
// numbers, filters, and pages of 50 sorted by name.
func (s *Server) peopleList(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	q := r.URL.Query()
	fm := newForm()
	for _, k := range []string{"q", "center_id", "region", "district", "category", "sex", "age_from", "age_to", "program"} {
		fm.Values[k] = q.Get(k)
	}
	f, err := api.PeopleFilter(q)
	var list store.PersonList
	if err == nil {
		list, err = s.store.People.List(r.Context(), info.Actor, f)
	}
	if err != nil && !fm.fail(err) {
		return err
	}
	centers, err := s.visibleCenters(r, store.CenterFilter{})
	if err != nil {
		return err
	}
	names := map[int64]string{}
	centerOpts := []option{{"", "—"}}
	for _, c := range centers {
		names[c.ID] = c.Names.In(info.Lang)
		centerOpts = append(centerOpts, option{strconv.FormatInt(c.ID, 10), c.Names.In(info.Lang)})
	}
	exportQuery := ""
	if q.Del("cursor"); len(q) > 0 {
		exportQuery = "?" + q.Encode()
	}
	next := ""
	if list.Next != "" {
		q.Set("cursor", list.Next)
		next = "/people?" + q.Encode()
	}
	cats, err := s.store.VisibleCategories(r.Context(), info.Actor)
	if err != nil {
		return err
	}
	programs, err := s.programOptions(r)
	if err != nil {
		return err
	}
	regions, districts := placeOptions(info.P)
	status := http.StatusOK
	if len(fm.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return s.render(w, r, status, "person/list", fm, map[string]any{
		"People": list.Items, "Next": next, "CenterNames": names, "Centers": centerOpts, "Regions": regions, "Districts": districts,
		"Categories": categoryOptions(info, cats, birge.PermPersonView, false, nil), "Sexes": sexOptions(info), "Searched": q.Get("q") != "",
		"CanCreate": !info.Actor.ScopeOf(birge.PermPersonManage).Empty(),
		"CanImport": !info.Actor.ScopeOf(birge.PermPersonImport).Empty(),
		"CanExport": !info.Actor.ScopeOf(birge.PermPersonExport).Empty(), "ExportQuery": exportQuery,
		"Programs": programs})
}

// peopleExportCSV and peopleExportXLSX download the people list as filtered on the page.
func (s *Server) peopleExportCSV(w http.ResponseWriter, r *http.Request) error {
	return s.api.WritePeopleFile(w, r, "csv")
}

func (s *Server) peopleExportXLSX(w http.ResponseWriter, r *http.Request) error {
	return s.api.WritePeopleFile(w, r, "xlsx")
}

// personShow is a person's page: her record, consents and relations, as her viewer may
// see them. The address of a record merged into another leads to that one.
func (s *Server) personShow(w http.ResponseWriter, r *http.Request) error {
	err := s.renderPerson(w, r, http.StatusOK, newForm(), "")
	if birge.KindOf(err) == birge.KindNotFound {
		if kept, merr := s.store.People.MergedInto(r.Context(), request.From(r.Context()).Actor, pathInt(r, "id")); merr == nil {
			return redirect(w, r, "/people/"+strconv.FormatInt(kept, 10), "flash.merged_away")
		}
	}
	return err
}

func (s *Server) renderPerson(w http.ResponseWriter, r *http.Request, status int, f *form, revealed string) error {
	info := request.From(r.Context())
	p, err := s.store.People.Get(r.Context(), info.Actor, pathInt(r, "id"))
	if err != nil {
		return err
	}
	ctr, err := s.store.GetCenter(r.Context(), info.Actor, p.CenterID) // person.view implies center.view
	if err != nil {
		return err
	}
	if f.get("given_on") == "" {
		f.Values["given_on"] = s.today(r)
	}
	merges, err := s.store.People.Merges(r.Context(), info.Actor, p.ID)
	if err != nil {
		return err
	}
	a := info.Actor
	canEdit := a.Can(birge.PermPersonManage, p.OrgID, p.CenterID)
	var relatives []store.PersonSummary
	if canEdit {
		if _, posted := f.Values["relative"]; !posted {
			f.Values["relative"] = r.URL.Query().Get("relative")
		}
		if relatives, err = s.relativeCandidates(r, f, p); err != nil {
			return err
		}
		if f.Errors["relative"] != "" && status == http.StatusOK {
			status = http.StatusUnprocessableEntity
		}
	}
	timeline, older, err := s.personTimeline(r, p.ID)
	if err != nil {
		return err
	}
	centerNames, err := s.relativeCenters(r, relatives)
	if err != nil {
		return err
	}
	categories, err := s.categoryNames(r, p.OrgID)
	if err != nil {
		return err
	}
	programs, err := s.store.Programs.OfPerson(r.Context(), a, p.ID)
	if err != nil {
		return err
	}
	services, err := s.deliverySection(r, f, p)
	if err != nil {
		return err
	}
	outcomes, err := s.outcomeSection(r, f, p)
	if err != nil {
		return err
	}
	return s.render(w, r, status, "person/show", f, map[string]any{"Person": p, "Center": ctr.Names.In(info.Lang),
		"Services": services, "Outcomes": outcomes,
		"CategoryNames": categories, "Programs": programs, "SeesPrograms": !a.ScopeOf(birge.PermProgramView).Empty(),
		"Revealed": revealed, "Merges": merges, "Purposes": choices(info, "consent.purpose.", birge.ConsentPurposes),
		"Channels":  choices(info, "consent.channel.", birge.ConsentChannels),
		"CanEdit":   canEdit,
		"CanRights": a.Can(birge.PermPersonRights, p.OrgID, p.CenterID),
		"CanRefer":  s.store.Referrals.MaySend(a, p.OrgID, p.CenterID),
		"CanReveal": a.Can(birge.PermPersonRevealID, p.OrgID, p.CenterID) && (p.IIN != "" || p.PIN != ""),
		"Kinds":     choices(info, "relation.", relativeKinds), "Relatives": relatives, "CenterNames": centerNames,
		"Timeline": timeline, "Older": older})
}

// personReveal shows the identity number in full, once, on this response.
func (s *Server) personReveal(w http.ResponseWriter, r *http.Request) error {
	number, err := s.store.People.RevealIdentity(r.Context(), request.From(r.Context()).Actor, pathInt(r, "id"))
	if err != nil {
		return err
	}
	return s.renderPerson(w, r, http.StatusOK, newForm(), number)
}

func (s *Server) personNew(w http.ResponseWriter, r *http.Request) error {
	f := newForm()
	f.Values["center_id"] = r.URL.Query().Get("center_id")
	f.Values["given_on"] = s.today(r)
	// Opened from the intake form: where to go back once she is registered.
	if intakeReturn(r.URL.Query().Get("next"), r.URL.Query().Get("slot"), 0) != "" {
		f.Values["next"], f.Values["slot"] = r.URL.Query().Get("next"), r.URL.Query().Get("slot")
	}
	return s.renderPersonForm(w, r, http.StatusOK, f, 0, nil)
}

func (s *Server) personEdit(w http.ResponseWriter, r *http.Request) error {
	a := request.From(r.Context()).Actor
	p, err := s.store.People.Get(r.Context(), a, pathInt(r, "id"))
	if err != nil {
		return err
	}
	if !a.Can(birge.PermPersonManage, p.OrgID, p.CenterID) {
		return birge.ErrForbidden
	}
	return s.renderPersonForm(w, r, http.StatusOK, personForm(p), p.ID, nil)
}

// personCreate registers a person. Likely duplicates across the organisation's centres are
// shown first; the user registers anyway only by ticking that she is someone else.
func (s *Server) personCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	a := request.From(r.Context()).Actor
	p := personFromForm(f)
	if f.get("not_duplicate") == "" {
		dups, err := s.store.People.FindDuplicates(r.Context(), a, p)
		if err != nil && !f.fail(err) {
			return err
		}
		// Her IIN held by another record is no question to answer with a tick: the store
		// refuses it below, naming the centre to contact.
		if len(dups) > 0 && !(p.IIN != "" && slices.ContainsFunc(dups, func(d store.Duplicate) bool {
			return slices.Contains(d.Reasons, "identity")
		})) {
			return s.renderPersonForm(w, r, http.StatusConflict, f, 0, dups)
		}
	}
	if f.get("consent_services") != "" {
		p.Consents = []birge.Consent{{Purpose: "services", Channel: f.get("consent_channel"), GivenOn: f.get("given_on")}}
	}
	p, err = s.store.People.Create(r.Context(), a, p)
	if err != nil {
		if f.fail(err) {
			return s.renderPersonForm(w, r, api.Status(err), f, 0, nil)
		}
		return err
	}
	if back := intakeReturn(f.get("next"), f.get("slot"), p.ID); back != "" {
		return redirect(w, r, back, "flash.person_created")
	}
	return redirect(w, r, "/people/"+strconv.FormatInt(p.ID, 10), "flash.person_created")
}

func (s *Server) personUpdate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	p := personFromForm(f)
	p.ID = pathInt(r, "id")
	if _, err := s.store.People.Update(r.Context(), request.From(r.Context()).Actor, p); err != nil {
		if f.fail(err) {
			return s.renderPersonForm(w, r, api.Status(err), f, p.ID, nil)
		}
		return err
	}
	return redirect(w, r, "/people/"+strconv.FormatInt(p.ID, 10), "flash.saved")
}

// personConsent records a consent from the person's page.
func (s *Server) personConsent(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	id := pathInt(r, "id")
	c := birge.Consent{Purpose: f.get("purpose"), Channel: f.get("channel"), GivenOn: f.get("given_on")}
	if _, err := s.store.People.AddConsent(r.Context(), request.From(r.Context()).Actor, id, c); err != nil {
		if f.fail(err) {
			return s.renderPerson(w, r, http.StatusUnprocessableEntity, f, "")
		}
		return err
	}
	return redirect(w, r, "/people/"+strconv.FormatInt(id, 10)+"#consents", "flash.consent_recorded")
}

// personWithdraw records, from today, that a consent no longer holds.
func (s *Server) personWithdraw(w http.ResponseWriter, r *http.Request) error {
	id := pathInt(r, "id")
	err := s.store.People.WithdrawConsent(r.Context(), request.From(r.Context()).Actor, id, pathInt(r, "consent"), s.today(r))
	if err != nil {
		return err
	}
	return redirect(w, r, "/people/"+strconv.FormatInt(id, 10)+"#consents", "flash.consent_withdrawn")
}

// today is the user's date, in their time zone.
func (s *Server) today(r *http.Request) string {
	return request.From(r.Context()).Actor.Today(s.store.Now()).Format(time.DateOnly)
}

func (s *Server) renderPersonForm(w http.ResponseWriter, r *http.Request, status int, f *form, id int64, dups []store.Duplicate) error {
	info := request.From(r.Context())
	a := info.Actor
	var centers []option
	all, err := s.visibleCenters(r, store.CenterFilter{})
	if err != nil {
		return err
	}
	for _, c := range all {
		if a.Can(birge.PermPersonManage, c.OrgID, c.ID) {
			centers = append(centers, option{strconv.FormatInt(c.ID, 10), c.Names.In(info.Lang)})
		}
	}
	if len(centers) == 0 {
		return birge.ErrForbidden
	}
	cats, err := s.store.VisibleCategories(r.Context(), a)
	if err != nil {
		return err
	}
	chosen := chosenCategories(f)
	regions, districts := placeOptions(info.P)
	return s.render(w, r, status, "person/form", f, map[string]any{"ID": id, "Centers": centers,
		"Sexes": sexOptions(info), "Countries": countryOptions(info.P), "Regions": regions, "Districts": districts,
		"Incomes":    choices(info, "person.income.", birge.IncomeBands),
		"Categories": categoryOptions(info, cats, birge.PermPersonManage, !a.ScopeOf(birge.PermPersonSensitive).Empty(), chosen),
		"Chosen":     chosen,
		"Channels":   choices(info, "consent.channel.", birge.ConsentChannels), "Duplicates": dups,
		"Use": intakeUseLinks(f, dups)})
}

// intakeUseLinks are, on the registry's form opened from the intake form, the addresses
// that take each duplicate found into the case instead of registering her again.
func intakeUseLinks(f *form, dups []store.Duplicate) map[int64]string {
	links := map[int64]string{}
	for _, d := range dups {
		if back := intakeReturn(f.get("next"), f.get("slot"), d.PersonID); back != "" && d.Visible {
			links[d.PersonID] = back
		}
	}
	return links
}

// categoryOptions lists the categories of the organisations where the actor holds perm,
// each code once. Retired ones are offered only when chosen already (she keeps them);
// sensitive ones only when asked: for the registration form of someone with
// person.sensitive (the store checks the centre), never for the list's filter, since
// sensitive categories are sealed and cannot be searched.
func categoryOptions(info *request.Info, lists map[int64]birge.CategoryList, perm birge.Permission, sensitive bool, chosen map[string]bool) []option {
	var out []option
	seen := map[string]bool{}
	for _, org := range slices.Sorted(maps.Keys(lists)) {
		if !info.Actor.CanIn(perm, org) {
			continue
		}
		for _, c := range lists[org] {
			if seen[c.Code] || c.Sensitive && !sensitive || c.Retired && !chosen[c.Code] {
				continue
			}
			seen[c.Code] = true
			out = append(out, option{c.Code, c.Names.In(info.Lang)})
		}
	}
	return out
}

// categoryNames are the names of an organisation's categories in the user's language,
// by code, for a person's page.
func (s *Server) categoryNames(r *http.Request, orgID int64) (map[string]string, error) {
	info := request.From(r.Context())
	cats, err := s.store.Categories(r.Context(), info.Actor, orgID)
	names := map[string]string{}
	for _, c := range cats {
		names[c.Code] = c.Names.In(info.Lang)
	}
	return names, err
}

func sexOptions(info *request.Info) []option {
	return append([]option{{"", "—"}}, choices(info, "person.sex.", birge.Sexes)...)
}

// choices makes options of codes whose labels are keys prefix+code.
func choices(info *request.Info, prefix string, codes []string) []option {
	out := make([]option, len(codes))
	for i, c := range codes {
		out[i] = option{c, info.P.T(prefix + c)}
	}
	return out
}

// The form keeps phones one per line and categories as ticked boxes named cat_CODE; the
// store checks the codes against her organisation's list.
func personFromForm(f *form) birge.Person {
	p := birge.Person{CenterID: f.int64("center_id"), FamilyName: f.get("family_name"), GivenName: f.get("given_name"),
		Patronymic: f.get("patronymic"), Sex: f.get("sex"), BirthDate: strings.TrimSpace(f.get("birth_date")),
		IIN: strings.TrimSpace(f.get("iin")), PIN: strings.TrimSpace(f.get("pin")), Email: f.get("email"),
		Country: f.get("country"), Region: f.get("region"), District: f.get("district"), Settlement: f.get("settlement"),
		Rural: f.get("rural") != "", IncomeBand: f.get("income_band"), SpecialNeeds: f.get("special_needs") != "",
		MayCall: f.get("may_call") != "", CallTimes: f.get("call_times"), MayLeaveMessage: f.get("may_leave_message") != ""}
	if y := strings.TrimSpace(f.get("birth_year")); y != "" {
		p.BirthYear, _ = strconv.Atoi(y)
		if p.BirthYear == 0 {
			p.BirthYear = -1 // not a number: let validation say so
		}
	}
	if c := strings.TrimSpace(f.get("children")); c != "" {
		n, err := strconv.Atoi(c)
		if err != nil {
			n = -1
		}
		p.Children = &n
	}
	p.Phones = strings.FieldsFunc(f.get("phones"), func(r rune) bool { return r == '\n' || r == ',' || r == ';' })
	p.Categories = slices.Sorted(maps.Keys(chosenCategories(f)))
	// The version the edit form showed: saving over a newer one is refused. A value that
	// does not parse is no version, and the edit is saved as before.
	p.UpdatedAt, _ = time.Parse(time.RFC3339Nano, f.get("updated_at"))
	return p
}

func personForm(p birge.Person) *form {
	f := newForm()
	v := f.Values
	v["center_id"], v["family_name"], v["given_name"], v["patronymic"] = strconv.FormatInt(p.CenterID, 10), p.FamilyName, p.GivenName, p.Patronymic
	v["sex"], v["birth_date"], v["iin"], v["pin"], v["email"] = p.Sex, p.BirthDate, p.IIN, p.PIN, p.Email
	v["country"], v["region"], v["district"], v["settlement"] = p.Country, p.Region, p.District, p.Settlement
	v["income_band"], v["call_times"], v["phones"] = p.IncomeBand, p.CallTimes, strings.Join(p.Phones, "\n")
	if p.BirthYear != 0 && p.BirthDate == "" {
		v["birth_year"] = strconv.Itoa(p.BirthYear)
	}
	if p.Children != nil {
		v["children"] = strconv.Itoa(*p.Children)
	}
	for name, on := range map[string]bool{"rural": p.Rural, "special_needs": p.SpecialNeeds, "may_call": p.MayCall,
		"may_leave_message": p.MayLeaveMessage} {
		if on {
			v[name] = "on"
		}
	}
	for _, c := range p.Categories {
		v["cat_"+c] = "on"
	}
	v["updated_at"] = p.UpdatedAt.UTC().Format(time.RFC3339Nano)
	return f
}

// chosenCategories are the codes of the ticked boxes.
func chosenCategories(f *form) map[string]bool {
	out := map[string]bool{}
	for name, v := range f.Values {
		if code, ok := strings.CutPrefix(name, "cat_"); ok && v != "" {
			out[code] = true
		}
	}
	return out
}
