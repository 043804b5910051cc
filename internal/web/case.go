package web

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// caseRow is a case as the list and its page show it: its people and workers by name.
type caseRow struct {
	birge.Case
	Center                 string
	Partners, Children     []option // record number, name
	Unscreened             []string // the partners not screened in this case yet, by name
	Psychologist, Mediator string
	ReasonNames            []string
}

// caseCenters are the centres where the user sees cases, and those where she takes
// families in.
func (s *Server) caseCenters(r *http.Request) (seen, managed []birge.Center, err error) {
	a := request.From(r.Context()).Actor
	all, err := s.visibleCenters(r, store.CenterFilter{})
	for _, c := range all {
		if a.Can(birge.PermCaseView, c.OrgID, c.ID) {
			seen = append(seen, c)
		}
		if s.store.Cases.MayManage(a, c.OrgID, c.ID) {
			managed = append(managed, c)
		}
	}
	return seen, managed, err
}

// caseRows names the people, workers, reasons and centre of each case.
func (s *Server) caseRows(r *http.Request, list []birge.Case, centers []birge.Center) ([]caseRow, error) {
	info := request.From(r.Context())
	var people, workers []int64
	for _, k := range list {
		people = append(append(people, k.PartnerIDs...), k.ChildIDs...)
		workers = append(workers, k.WorkerIDs...)
	}
	names, err := s.store.People.Names(r.Context(), info.Actor, people)
	if err != nil {
		return nil, err
	}
	staff, err := s.store.Cases.WorkerNames(r.Context(), workers)
	if err != nil {
		return nil, err
	}
	reasons := map[int64]birge.KindList{}
	rows := make([]caseRow, len(list))
	for i, k := range list {
		row := caseRow{Case: k, Psychologist: staff[k.PsychologistID], Mediator: staff[k.MediatorID]}
		for _, c := range centers {
			if c.ID == k.CenterID {
				row.Center = c.Names.In(info.Lang)
			}
		}
		person := func(id int64) option {
			name := names[id]
			if name == "" {
				name = info.P.T("case.person_hidden")
			}
			return option{strconv.FormatInt(id, 10), name}
		}
		for _, id := range k.PartnerIDs {
			row.Partners = append(row.Partners, person(id))
			if !slices.Contains(k.ScreenedIDs, id) {
				row.Unscreened = append(row.Unscreened, person(id).Label)
			}
		}
		for _, id := range k.ChildIDs {
			row.Children = append(row.Children, person(id))
		}
		if _, ok := reasons[k.OrgID]; !ok {
			if reasons[k.OrgID], err = s.store.Cases.Reasons(r.Context(), info.Actor, k.OrgID); err != nil {
				return nil, err
			}
		}
		for _, code := range k.Reasons {
			if kind, ok := reasons[k.OrgID].Lookup(code); ok {
				row.ReasonNames = append(row.ReasonNames, kind.Names.In(info.Lang))
			}
		}
		rows[i] = row
	}
	return rows, nil
}

// caseList shows the cases the user sees: the coordinator all her centre's, a case worker
// hers; by centre and status.
func (s *Server) caseList(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	seen, managed, err := s.caseCenters(r)
	if err != nil {
		return err
	}
	if len(seen) == 0 {
		return birge.ErrForbidden
	}
	f := newForm()
	q := r.URL.Query()
	f.Values["center_id"], f.Values["status"] = q.Get("center_id"), q.Get("status")
	filter := store.CaseFilter{CenterID: f.int64("center_id"), Status: f.get("status")}
	list, err := s.store.Cases.List(r.Context(), info.Actor, filter)
	if err != nil {
		return err
	}
	rows, err := s.caseRows(r, list, seen)
	if err != nil {
		return err
	}
	// A danger case no supervisor has reviewed yet comes first, so that it is seen today.
	slices.SortStableFunc(rows, func(a, b caseRow) int {
		switch {
		case a.NeedsReview == b.NeedsReview:
			return 0
		case a.NeedsReview:
			return -1
		}
		return 1
	})
	centers := []option{{"", info.P.T("case.all_centers")}}
	for _, c := range seen {
		centers = append(centers, option{strconv.FormatInt(c.ID, 10), c.Names.In(info.Lang)})
	}
	statuses := append([]option{{"", info.P.T("case.all_statuses")}}, choices(info, "case.status.", birge.CaseStatuses)...)
	return s.render(w, r, http.StatusOK, "case/list", f, map[string]any{"Cases": rows, "Centers": centers,
		"Statuses": statuses, "CanCreate": len(managed) > 0})
}

// caseShow is a case's page.
func (s *Server) caseShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderCase(w, r, http.StatusOK, newForm(), pathInt(r, "id"))
}

// renderCase draws a case's page, its flag and the form to lift it (f).
func (s *Server) renderCase(w http.ResponseWriter, r *http.Request, status int, f *form, id int64) error {
	info := request.From(r.Context())
	k, err := s.store.Cases.Get(r.Context(), info.Actor, id)
	if err != nil {
		return err
	}
	seen, _, err := s.caseCenters(r)
	if err != nil {
		return err
	}
	rows, err := s.caseRows(r, []birge.Case{k}, seen)
	if err != nil {
		return err
	}
	var liftedBy string
	if k.Override != nil {
		names, err := s.store.Cases.WorkerNames(r.Context(), []int64{k.Override.By})
		if err != nil {
			return err
		}
		liftedBy = names[k.Override.By]
	}
	safety, err := s.caseSafety(r, k)
	if err != nil {
		return err
	}
	data, err := s.sessionForm(r, f, k, rows[0])
	if err != nil {
		return err
	}
	closing, err := s.caseClosingData(r, k, f)
	if err != nil {
		return err
	}
	maps.Copy(data, closing)
	data["Case"], data["LiftedBy"] = rows[0], liftedBy
	data["CanManage"] = s.store.Cases.MayManage(info.Actor, k.OrgID, k.CenterID)
	data["CanOverride"] = info.Actor.Can(birge.PermCaseOverride, k.OrgID, k.CenterID)
	data["Safety"] = safety
	data["CanRefer"] = s.store.Referrals.MaySend(info.Actor, k.OrgID, k.CenterID)
	return s.render(w, r, status, "case/show", f, data)
}

// idList reads record numbers separated by spaces or commas; one that is not a number
// is kept as -1, which the store refuses as no one it knows.
func idList(s string) []int64 {
	out := []int64{}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		n, err := strconv.ParseInt(strings.TrimPrefix(part, "№"), 10, 64)
		if err != nil || n < 1 {
			n = -1
		}
		out = append(out, n)
	}
	return out
}

func joinNumbers(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ", ")
}

// caseFromForm reads the intake and assignment form over the case as it is.
func caseFromForm(f *form, k birge.Case) birge.Case {
	k.PartnerIDs = idList(f.get("partner_1") + " " + f.get("partner_2"))
	k.ChildIDs = idList(f.get("children"))
	k.IntakeDate, k.CameFrom = strings.TrimSpace(f.get("intake_date")), f.get("came_from")
	k.DivorceFiled = f.get("divorce_filed") != ""
	k.DivorceFiledOn, k.DivorceCourt = strings.TrimSpace(f.get("divorce_filed_on")), f.get("divorce_court")
	k.Reasons = []string{}
	for name, v := range f.Values {
		if code, ok := strings.CutPrefix(name, "reason_"); ok && v != "" {
			k.Reasons = append(k.Reasons, code)
		}
	}
	if f.get("status") != "" {
		k.Status = f.get("status")
	}
	if k.ID != 0 {
		k.PsychologistID, k.MediatorID = f.int64("psychologist_id"), f.int64("mediator_id")
		k.UpdatedAt, _ = time.Parse(time.RFC3339Nano, f.get("version"))
	}
	return k
}

// caseToForm fills the form from a case.
func caseToForm(k birge.Case) *form {
	f := newForm()
	partners := append(append([]int64{}, k.PartnerIDs...), 0, 0)
	for i, key := range []string{"partner_1", "partner_2"} {
		if partners[i] != 0 {
			f.Values[key] = strconv.FormatInt(partners[i], 10)
		}
	}
	for key, v := range map[string]string{"children": joinNumbers(k.ChildIDs), "intake_date": k.IntakeDate,
		"came_from": k.CameFrom, "divorce_filed_on": k.DivorceFiledOn, "divorce_court": k.DivorceCourt,
		"status": k.Status, "psychologist_id": strconv.FormatInt(k.PsychologistID, 10),
		"mediator_id": strconv.FormatInt(k.MediatorID, 10), "version": k.UpdatedAt.Format(time.RFC3339Nano),
		"center_id": strconv.FormatInt(k.CenterID, 10)} {
		f.Values[key] = v
	}
	if k.DivorceFiled {
		f.Values["divorce_filed"] = "on"
	}
	for _, code := range k.Reasons {
		f.Values["reason_"+code] = "on"
	}
	return f
}
