package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// referralRow is a referral as the list shows it: where it came from and went, by name,
// and what the user may do with it.
type referralRow struct {
	birge.Referral
	From, To string
	Overdue  bool
	Side     store.ReferralSide
	Moves    []string
}

// referralList shows the referrals the user's centres sent and received; overdue=1 keeps
// those she sent whose follow-up day has passed, still open (the coordinator's list).
func (s *Server) referralList(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	overdue := r.URL.Query().Get("overdue") != ""
	list, err := s.store.Referrals.List(r.Context(), info.Actor, store.ReferralFilter{Overdue: overdue})
	if err != nil {
		return err
	}
	rows, err := s.referralRows(r, list)
	if err != nil {
		return err
	}
	var sent, received []referralRow
	for _, row := range rows {
		if row.Side.Sends {
			sent = append(sent, row)
		} else {
			received = append(received, row)
		}
	}
	return s.render(w, r, http.StatusOK, "referral/list", newForm(), map[string]any{"Sent": sent,
		"Received": received, "Overdue": overdue})
}

// referralRows names the centres and services of referrals and the user's side of each.
func (s *Server) referralRows(r *http.Request, list []birge.Referral) ([]referralRow, error) {
	info := request.From(r.Context())
	centers, err := s.store.Referrals.Destinations(r.Context(), info.Actor)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, c := range centers {
		names[c.ID] = c.Names.In(info.Lang)
	}
	var services []int64
	for _, x := range list {
		services = append(services, x.ServiceID)
	}
	serviceNames, err := s.store.Services.Names(r.Context(), services)
	if err != nil {
		return nil, err
	}
	today := info.Actor.Today(s.store.Now())
	rows := make([]referralRow, len(list))
	for i, x := range list {
		row := referralRow{Referral: x, From: names[x.FromCenter], To: names[x.ToCenterID], Overdue: x.Overdue(today)}
		if x.ServiceID != 0 {
			row.To = serviceNames[x.ServiceID]
		}
		if row.Side, err = s.store.Referrals.Side(r.Context(), info.Actor, x.ID); err != nil {
			return nil, err
		}
		if row.Side.Decides {
			row.Moves = birge.ReferralMoves(x.Status)
		}
		rows[i] = row
	}
	return rows, nil
}

// referralNew shows the form to refer a person from a case (case_id) or her record
// (person_id).
func (s *Server) referralNew(w http.ResponseWriter, r *http.Request) error {
	f := newForm()
	q := r.URL.Query()
	f.Values["case_id"], f.Values["person_id"] = q.Get("case_id"), q.Get("person_id")
	return s.renderReferralForm(w, r, http.StatusOK, f)
}

// referralCreate makes the referral and goes back to where it was made from.
func (s *Server) referralCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	x := birge.Referral{PersonID: f.int64("person_id"), CaseID: f.int64("case_id"), ToCenterID: f.int64("to_center_id"),
		ServiceID: f.int64("service_id"), Contact: f.get("contact"), Note: f.get("note"),
		FollowUpOn: strings.TrimSpace(f.get("follow_up_on")), ChosenByHer: f.get("chosen_by_her") != ""}
	if _, err := s.store.Referrals.Create(r.Context(), request.From(r.Context()).Actor, x); err != nil {
		if f.fail(err) {
			return s.renderReferralForm(w, r, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	if x.CaseID != 0 {
		return redirect(w, r, "/cases/"+strconv.FormatInt(x.CaseID, 10), "referral.sent")
	}
	return redirect(w, r, "/referrals", "referral.sent")
}

// renderReferralForm draws the form: whom (the case's people, or the person given),
// where to (a Birge centre or a service of the directory), and what it carries.
func (s *Server) renderReferralForm(w http.ResponseWriter, r *http.Request, status int, f *form) error {
	info := request.From(r.Context())
	var people []option
	var orgID int64
	var kase *caseRow
	if id := f.int64("case_id"); id != 0 {
		k, err := s.store.Cases.Get(r.Context(), info.Actor, id)
		if err != nil {
			return err
		}
		rows, err := s.caseRows(r, []birge.Case{k}, nil)
		if err != nil {
			return err
		}
		kase, orgID = &rows[0], k.OrgID
		people = append(append(people, rows[0].Partners...), rows[0].Children...)
	} else {
		p, err := s.store.People.Get(r.Context(), info.Actor, f.int64("person_id"))
		if err != nil {
			return err
		}
		if !s.store.Referrals.MaySend(info.Actor, p.OrgID, p.CenterID) {
			return birge.ErrForbidden
		}
		orgID, people = p.OrgID, []option{{strconv.FormatInt(p.ID, 10), p.FullName()}}
	}
	centers, err := s.store.Referrals.Destinations(r.Context(), info.Actor)
	if err != nil {
		return err
	}
	i18n.Sort(info.P, centers, func(c birge.Center) string { return c.Names.In(info.Lang) })
	toCenters := []option{{"", info.P.T("referral.no_center")}}
	for _, c := range centers {
		toCenters = append(toCenters, option{strconv.FormatInt(c.ID, 10), c.Names.In(info.Lang)})
	}
	services, err := s.store.Services.List(r.Context(), info.Actor, orgID)
	if err != nil {
		return err
	}
	toServices := []option{{"", info.P.T("referral.no_service")}}
	var offered []birge.Service // listed under the choice with phone and address, so that she can be given the number
	for _, sv := range services {
		if !sv.Retired {
			toServices = append(toServices, option{strconv.FormatInt(sv.ID, 10),
				sv.Name + " (" + info.P.T("service.kind."+sv.Kind) + ")"})
			offered = append(offered, sv)
		}
	}
	return s.render(w, r, status, "referral/form", f, map[string]any{"Case": kase, "People": people,
		"Centers": toCenters, "Services": toServices, "Directory": offered})
}

// referralStatus moves a referral's status, from the list's buttons.
func (s *Server) referralStatus(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	a := request.From(r.Context()).Actor
	x, err := s.store.Referrals.Get(r.Context(), a, pathInt(r, "id"))
	if err != nil {
		return err
	}
	x.Status = f.get("status")
	if _, err := s.store.Referrals.Update(r.Context(), a, x); err != nil {
		return err
	}
	return redirect(w, r, "/referrals", "flash.saved")
}

// dossierReferrals names where each of her referrals came from and went to, for her
// dossier.
func (s *Server) dossierReferrals(r *http.Request, list []birge.Referral) ([]referralRow, error) {
	info := request.From(r.Context())
	var centers, services []int64
	for _, x := range list {
		centers, services = append(centers, x.FromCenter, x.ToCenterID), append(services, x.ServiceID)
	}
	centerNames, err := s.store.Referrals.CenterNames(r.Context(), centers)
	if err != nil {
		return nil, err
	}
	serviceNames, err := s.store.Services.Names(r.Context(), services)
	if err != nil {
		return nil, err
	}
	rows := make([]referralRow, len(list))
	for i, x := range list {
		rows[i] = referralRow{Referral: x, From: centerNames[x.FromCenter].In(info.Lang), To: centerNames[x.ToCenterID].In(info.Lang)}
		if x.ServiceID != 0 {
			rows[i].To = serviceNames[x.ServiceID]
		}
	}
	return rows, nil
}

// referralEdit shows the sender the form to change what an open referral carries and its
// follow-up day (a coordinator who called the service sets the next one).
func (s *Server) referralEdit(w http.ResponseWriter, r *http.Request) error {
	x, err := s.sentReferral(r)
	if err != nil {
		return err
	}
	f := newForm()
	f.Values["contact"], f.Values["note"], f.Values["follow_up_on"] = x.Contact, x.Note, x.FollowUpOn
	f.Values["version"] = x.UpdatedAt.Format(time.RFC3339Nano)
	return s.render(w, r, http.StatusOK, "referral/edit", f, map[string]any{"Referral": x})
}

// referralUpdate saves the sender's changes, made on the version the form was drawn from.
func (s *Server) referralUpdate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	x, err := s.sentReferral(r)
	if err != nil {
		return err
	}
	changed := x
	changed.Contact, changed.Note = f.get("contact"), f.get("note")
	changed.FollowUpOn = strings.TrimSpace(f.get("follow_up_on"))
	changed.UpdatedAt, _ = time.Parse(time.RFC3339Nano, f.get("version"))
	if _, err := s.store.Referrals.Update(r.Context(), request.From(r.Context()).Actor, changed); err != nil {
		if f.fail(err) {
			return s.render(w, r, http.StatusUnprocessableEntity, "referral/edit", f, map[string]any{"Referral": x})
		}
		return err
	}
	return redirect(w, r, "/referrals", "flash.saved")
}

// sentReferral loads the referral of the path for its sender: forbidden to the receiving
// side, not found to anyone else.
func (s *Server) sentReferral(r *http.Request) (birge.Referral, error) {
	a := request.From(r.Context()).Actor
	x, err := s.store.Referrals.Get(r.Context(), a, pathInt(r, "id"))
	if err != nil {
		return x, err
	}
	side, err := s.store.Referrals.Side(r.Context(), a, x.ID)
	if err == nil && !side.Sends {
		err = birge.ErrForbidden
	}
	return x, err
}
