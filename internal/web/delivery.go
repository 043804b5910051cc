package web

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// servicesShown bounds the services listed on her page, newest first.
const servicesShown = 100

// deliverySection is what her page's Services section shows: her services as the viewer
// may see them and, to those who may record them, the form's choices.
func (s *Server) deliverySection(r *http.Request, f *form, p birge.Person) (map[string]any, error) {
	info := request.From(r.Context())
	a := info.Actor
	list, err := s.store.Deliveries.List(r.Context(), a, store.DeliveryFilter{PersonID: p.ID, Newest: true, Limit: servicesShown})
	if err != nil {
		return nil, err
	}
	kinds, err := s.store.Deliveries.Kinds(r.Context(), a, p.OrgID)
	if err != nil {
		return nil, err
	}
	kindOpts := kindOptions(info.Lang, kinds)
	programs, programNames, err := s.deliveryPrograms(r, p)
	if err != nil {
		return nil, err
	}
	rows, err := s.deliveryRows(r, kinds, list, programNames)
	if err != nil {
		return nil, err
	}
	if f.get("date") == "" {
		f.Values["date"] = s.today(r)
	}
	currencies := codeOptions(birge.Currencies)
	return map[string]any{"Items": rows, "Kinds": kindOpts,
		"Programs": programs, "Units": choices(info, "delivery.unit.", birge.DeliveryUnits),
		"Currencies": currencies, "CanRecord": a.Can(birge.PermDeliveryRecord, p.OrgID, p.CenterID)}, nil
}

// deliveryRow is a service as her page lists it.
type deliveryRow struct {
	birge.Delivery
	Kind, Amount, Program, Staff string
}

// deliveryRows name deliveries for a page: kinds in the reader's language, quantities
// in its plural forms, payments in whole and minor units.
func (s *Server) deliveryRows(r *http.Request, kinds birge.DeliveryKindList, list []birge.Delivery, programNames map[int64]string) ([]deliveryRow, error) {
	info := request.From(r.Context())
	staff, err := s.store.Deliveries.StaffNames(r.Context(), list)
	if err != nil {
		return nil, err
	}
	rows := make([]deliveryRow, len(list))
	for i, d := range list {
		rows[i] = deliveryRow{Delivery: d, Kind: d.Kind, Staff: staff[d.StaffID]}
		if k, ok := kinds.Lookup(d.Kind); ok {
			rows[i].Kind = k.Names.In(info.Lang)
		}
		if d.ProgramID != nil {
			rows[i].Program = programNames[*d.ProgramID]
		}
		if d.Money != nil {
			rows[i].Amount = moneyText(info.P, *d.Money)
		} else {
			rows[i].Amount = info.P.N("delivery.count."+d.Unit, int(d.Quantity))
		}
	}
	return rows, nil
}

// deliveryPrograms are the programmes a service to her may be given in: those she takes
// part in, and those running in her centre or her whole organisation that the viewer
// sees (a sensitive one only with person.sensitive in her centre).
func (s *Server) deliveryPrograms(r *http.Request, p birge.Person) ([]option, map[int64]string, error) {
	info := request.From(r.Context())
	a := info.Actor
	names := map[int64]string{}
	opts := []option{{"", info.P.T("delivery.program_none")}}
	add := func(pr birge.Program) {
		if _, done := names[pr.ID]; done || pr.Sensitive && !a.Can(birge.PermPersonSensitive, p.OrgID, p.CenterID) {
			return
		}
		names[pr.ID] = pr.Names.In(info.Lang)
		opts = append(opts, option{strconv.FormatInt(pr.ID, 10), pr.Names.In(info.Lang)})
	}
	if a.ScopeOf(birge.PermProgramView).Empty() {
		return opts, names, nil
	}
	taking, err := s.store.Programs.OfPerson(r.Context(), a, p.ID)
	if err != nil {
		return nil, nil, err
	}
	for _, t := range taking {
		add(t.Program)
	}
	all, err := s.store.Programs.List(r.Context(), a, store.ProgramFilter{})
	if err != nil {
		return nil, nil, err
	}
	for _, pr := range all {
		if pr.OrgID == p.OrgID && pr.Status != "closed" && (len(pr.CenterIDs) == 0 || slices.Contains(pr.CenterIDs, p.CenterID)) {
			add(pr)
		}
	}
	return opts, names, nil
}

// deliveryFromForm reads the form: a payment's amount is typed in whole units (tenge,
// som) and kept in minor units.
func deliveryFromForm(f *form, personID int64) birge.Delivery {
	d := birge.Delivery{PersonID: personID, Date: f.get("date"), Kind: f.get("service"), Unit: f.get("unit"),
		Note: f.get("note")}
	if id := f.int64("program_id"); id != 0 {
		d.ProgramID = &id
	}
	n := f.int64("quantity")
	if _, err := strconv.ParseInt(f.get("quantity"), 10, 64); err != nil && f.get("quantity") != "" {
		n = -1 // not a number: refused as out of range, never read as zero
	}
	if d.Unit == "money" {
		// Whole units, or with minor ones ("150,50"); too large or not an amount is
		// refused as out of range, never wrapped round.
		amount, ok := birge.ParseMinorUnits(f.get("quantity"))
		if !ok {
			amount = -1
		}
		d.Money = &birge.Money{Amount: amount, Currency: f.get("currency")}
	} else {
		d.Quantity = n
	}
	return d
}

// moneyFields put the errors about a payment, and about the kind (the relation form of
// her page has a kind of its own), next to the form's fields.
var moneyFields = map[string]string{"kind": "service", "money": "quantity", "money.amount": "quantity", "money.currency": "currency"}

// deliveryRecord records a service from her page.
func (s *Server) deliveryRecord(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	id := pathInt(r, "id")
	if _, err := s.store.Deliveries.Record(r.Context(), request.From(r.Context()).Actor, deliveryFromForm(f, id)); err != nil {
		if f.fail(err) {
			for from, to := range moneyFields {
				if key, ok := f.Errors[from]; ok {
					delete(f.Errors, from)
					f.Errors[to] = key
				}
			}
			return s.renderPerson(w, r, http.StatusUnprocessableEntity, f, "")
		}
		return err
	}
	return redirect(w, r, "/people/"+strconv.FormatInt(id, 10)+"#services", "flash.delivery_recorded")
}

// deliveryDelete deletes a service recorded by hand by mistake.
func (s *Server) deliveryDelete(w http.ResponseWriter, r *http.Request) error {
	id := pathInt(r, "id")
	a := request.From(r.Context()).Actor
	d, err := s.store.Deliveries.Get(r.Context(), a, pathInt(r, "delivery"))
	if err != nil {
		return err
	}
	if d.PersonID != id {
		return birge.ErrNotFound
	}
	if err := s.store.Deliveries.Delete(r.Context(), a, d.ID); err != nil {
		return err
	}
	return redirect(w, r, "/people/"+strconv.FormatInt(id, 10)+"#services", "flash.delivery_deleted")
}

// dossierServices are every service given to her, for her dossier's page: programmes
// named where the reader sees them.
func (s *Server) dossierServices(r *http.Request, d store.Dossier) ([]deliveryRow, error) {
	kinds, err := s.store.Deliveries.Kinds(r.Context(), request.From(r.Context()).Actor, d.Person.OrgID)
	if err != nil {
		return nil, err
	}
	ids := make([]*int64, len(d.Deliveries))
	for i, del := range d.Deliveries {
		ids[i] = del.ProgramID
	}
	names, err := s.programNames(r, ids)
	if err != nil {
		return nil, err
	}
	return s.deliveryRows(r, kinds, d.Deliveries, names)
}
