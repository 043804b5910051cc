package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// Requests sent from the public site, for those who manage an office's cases (decision
// 0028): a list of those waiting, and each one's page, where the coordinator reads it,
// sees who in the registry she may already be (as the registry's own form shows it),
// and takes her in as a new or an existing person — a case opens — or declines it.

// requestRow is a request with its office's name, for the list.
type requestRow struct {
	birge.CaseRequest
	Center string
}

func (s *Server) caseRequestList(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	status := r.URL.Query().Get("status")
	if status == "" {
		status = birge.RequestNew
	}
	if !slices.Contains(birge.CaseRequestStatuses, status) {
		return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid"}
	}
	list, err := s.store.CaseRequests.List(r.Context(), info.Actor, store.RequestFilter{Status: status})
	if err != nil {
		return err
	}
	centers, err := s.visibleCenters(r, store.CenterFilter{})
	if err != nil {
		return err
	}
	rows := make([]requestRow, len(list))
	for i, q := range list {
		rows[i] = requestRow{CaseRequest: q}
		for _, c := range centers {
			if c.ID == q.CenterID {
				rows[i].Center = c.Names.In(info.Lang)
			}
		}
	}
	return s.render(w, r, http.StatusOK, "case/requests", nil, map[string]any{"Rows": rows, "Status": status,
		"Statuses": birge.CaseRequestStatuses})
}

func (s *Server) caseRequestShow(w http.ResponseWriter, r *http.Request) error {
	q, err := s.store.CaseRequests.Get(r.Context(), request.From(r.Context()).Actor, pathInt(r, "id"))
	if err != nil {
		return err
	}
	f := newForm()
	f.Values["given_name"], f.Values["phone"] = q.Name, q.Phone
	return s.renderCaseRequest(w, r, http.StatusOK, f, q)
}

// renderCaseRequest draws a request with the people she may already be.
func (s *Server) renderCaseRequest(w http.ResponseWriter, r *http.Request, status int, f *form, q birge.CaseRequest) error {
	info := request.From(r.Context())
	var dups []store.Duplicate
	if q.Status == birge.RequestNew {
		cand := birge.Person{CenterID: q.CenterID, FamilyName: f.get("family_name"), GivenName: f.get("given_name")}
		if q.Phone != "" {
			cand.Phones = []string{q.Phone}
		}
		var err error
		if dups, err = s.store.People.FindDuplicates(r.Context(), info.Actor, cand); err != nil && birge.KindOf(err) != birge.KindForbidden {
			return err
		}
	}
	ctr, err := s.store.GetCenter(r.Context(), info.Actor, q.CenterID)
	if err != nil {
		return err
	}
	reasons, err := s.store.Cases.Reasons(r.Context(), info.Actor, q.OrgID)
	if err != nil {
		return err
	}
	var named []string
	for _, code := range q.Reasons {
		if k, ok := reasons.Lookup(code); ok {
			named = append(named, k.Names.In(info.Lang))
		}
	}
	return s.render(w, r, status, "case/request", f, map[string]any{"Request": q, "Center": ctr,
		"Reasons": strings.Join(named, ", "), "Duplicates": dups, "LangName": langNames[q.Lang]})
}

// caseRequestAccept takes her in: as the person chosen among the possible duplicates, or
// as a new person with the name written on the page; then shows the new case.
func (s *Server) caseRequestAccept(w http.ResponseWriter, r *http.Request) error {
	a := request.From(r.Context()).Actor
	q, err := s.store.CaseRequests.Get(r.Context(), a, pathInt(r, "id"))
	if err != nil {
		return err
	}
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	how := store.Acceptance{PersonID: f.int64("person_id")}
	if how.PersonID == 0 {
		how.Person = birge.Person{FamilyName: f.get("family_name"), GivenName: f.get("given_name"), Sex: f.get("sex")}
		if p := strings.TrimSpace(f.get("phone")); p != "" {
			how.Person.Phones = []string{p}
		}
	}
	k, err := s.store.CaseRequests.Accept(r.Context(), a, q.ID, how)
	if err != nil {
		if e := birge.AsError(err); e.Fields["phones"] != "" {
			e.Fields["phone"] = e.Fields["phones"]
		}
		if f.fail(err) {
			return s.renderCaseRequest(w, r, http.StatusUnprocessableEntity, f, q)
		}
		return err
	}
	return redirect(w, r, "/cases/"+strconv.FormatInt(k.ID, 10), "request.accepted")
}

func (s *Server) caseRequestDecline(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.store.CaseRequests.Decline(r.Context(), request.From(r.Context()).Actor, pathInt(r, "id")); err != nil {
		return err
	}
	return redirect(w, r, "/case-requests", "request.declined")
}
