package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// groupMax bounds the women one group form lists: a group session, not a register of a
// whole programme (the API records more at once).
const groupMax = 300

// groupMember is a woman the group form offers, ticked unless the form came back
// without her.
type groupMember struct {
	PersonID int64
	Name     string
	Ticked   bool
}

// deliveryGroup is what the programme page's group form needs: the women taking part
// now, and the choices of the services form of her page. Nil for those who may not see
// who takes part or record services in the organisation.
func (s *Server) deliveryGroup(r *http.Request, f *form, p birge.Program) (map[string]any, error) {
	info := request.From(r.Context())
	a := info.Actor
	if !store.SeesWho(a, p) || !a.CanIn(birge.PermDeliveryRecord, p.OrgID) || p.Status == "closed" {
		return nil, nil
	}
	list, err := s.store.Programs.ListParticipants(r.Context(), a, p.ID, store.ParticipantFilter{Limit: groupMax + 1, Active: true})
	if err != nil {
		return nil, err
	}
	more := len(list) > groupMax
	if more {
		list = list[:groupMax]
	}
	ids := make([]int64, len(list))
	for i, pt := range list {
		ids[i] = pt.PersonID
	}
	names, err := s.store.People.Names(r.Context(), a, ids)
	if err != nil {
		return nil, err
	}
	sent := f.get("group") != ""
	members := make([]groupMember, len(list))
	for i, pt := range list {
		members[i] = groupMember{PersonID: pt.PersonID, Name: names[pt.PersonID],
			Ticked: !sent || f.get("who_"+strconv.FormatInt(pt.PersonID, 10)) != ""}
	}
	kinds, err := s.store.Deliveries.Kinds(r.Context(), a, p.OrgID)
	if err != nil {
		return nil, err
	}
	kindOpts := kindOptions(info.Lang, kinds)
	if f.get("date") == "" {
		f.Values["date"] = s.today(r)
	}
	currencies := codeOptions(birge.Currencies)
	return map[string]any{"Members": members, "More": more, "Kinds": kindOpts,
		"Units": choices(info, "delivery.unit.", birge.DeliveryUnits), "Currencies": currencies}, nil
}

// deliveryGroupRecord records one service for every woman ticked on the programme's
// group form — twelve women at a group consultation, one form — all or none.
func (s *Server) deliveryGroupRecord(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	id := pathInt(r, "id")
	a := request.From(r.Context()).Actor
	p, err := s.store.Programs.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	if !store.SeesWho(a, p) || !a.CanIn(birge.PermDeliveryRecord, p.OrgID) {
		return birge.ErrForbidden
	}
	var list []birge.Delivery
	for k, v := range f.Values {
		person, ok := strings.CutPrefix(k, "who_")
		if n, err := strconv.ParseInt(person, 10, 64); ok && v != "" && err == nil {
			d := deliveryFromForm(f, n)
			d.ProgramID = &id
			list = append(list, d)
		}
	}
	if len(list) == 0 {
		// No one ticked: what else is wrong with the form is said at once too.
		kinds, err := s.store.Deliveries.Kinds(r.Context(), a, p.OrgID)
		if err != nil {
			return err
		}
		d := deliveryFromForm(f, 0)
		pr := birge.Problems{"who": "delivery.group_none"}
		if e := birge.AsError(d.Validate(kinds, a.Today(s.store.Now()))); e != nil {
			for key, msg := range e.Fields {
				pr.Add(key, msg)
			}
		}
		return s.failGroup(w, r, f, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: pr})
	}
	if _, err := s.store.Deliveries.RecordMany(r.Context(), a, list); err != nil {
		return s.failGroup(w, r, f, err)
	}
	return redirect(w, r, "/programs/"+strconv.FormatInt(id, 10)+"#indicators", "flash.group_recorded")
}

// failGroup shows the group form's mistakes beside its fields: every woman gets the same
// day, kind and amount, so a mistake in one (items[3].date) is a mistake of the form,
// shown once.
func (s *Server) failGroup(w http.ResponseWriter, r *http.Request, f *form, err error) error {
	if !f.fail(err) {
		return err
	}
	for key, msg := range f.Errors {
		delete(f.Errors, key)
		if _, field, ok := strings.Cut(key, "]."); ok {
			key = field
		}
		if key == "person_id" || key == "program_id" {
			key = "who"
		}
		if to, ok := moneyFields[key]; ok {
			key = to
		}
		f.Errors[key] = msg
	}
	return s.renderProgram(w, r, http.StatusUnprocessableEntity, f)
}
