package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// TestReferralsAPI: a referral to a Birge centre without her consent is a 422 whose
// problem names to_center_id and says why; with consent it is sent; the receiving
// coordinator reads only what it carries and gets 404 on the case and its screenings;
// its status moves only forward, by the receiving side. Then the Big List of Naughty
// Strings goes through every text field: the safety plan's five (PUT), the referral's
// contact and note (PATCH) and the directory's name and address (its page), each stored
// as sent or refused beside its field.
func TestReferralsAPI(t *testing.T) {
	t.Parallel()
	lines := naughtyStrings(t)
	ru := i18n.For("ru")
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s := newSite(t, st, Config{})
		ctx, sys := context.Background(), birge.System("t")
		_, coord := s.token("coordinator@birge.example", "referrals") // Aktobe, Russian
		_, worker := s.token("caseworker@birge.example", "referrals") // Kargaly
		kargaly, aktobe := s.center("Kargaly district office"), s.center("Aktobe family centre")
		wife, err := st.People.Create(ctx, sys, birge.Person{CenterID: kargaly.ID, GivenName: "Жанар", FamilyName: "Омарова"})
		if err != nil {
			t.Fatal(err)
		}
		k, err := st.Cases.Create(ctx, sys, birge.Case{CenterID: kargaly.ID, PartnerIDs: []int64{wife.ID}, IntakeDate: "2026-11-02",
			Reasons: []string{"violence"}, CameFrom: "police", PsychologistID: s.userID("caseworker@birge.example")})
		if err != nil {
			t.Fatal(err)
		}
		yes := map[string]bool{}
		for _, q := range birge.DefaultQuestions {
			yes[q.Code] = q.Code == "following"
		}
		if _, err := st.Screenings.Create(ctx, sys, k.ID, birge.Screening{PersonID: wife.ID, Alone: true, Answers: yes}); err != nil {
			t.Fatal(err)
		}
		send := map[string]any{"case_id": k.ID, "person_id": wife.ID, "to_center_id": aktobe.ID, "note": "Просит приём в Актобе",
			"contact": "+77011234567", "follow_up_on": "2027-01-15", "chosen_by_her": true}
		var p problem
		res := s.api(coord, http.MethodPost, "/api/v1/referrals", send)
		if decodeJSON(t, res, &p); res.StatusCode != http.StatusUnprocessableEntity || p.Errors["case_id"] == "" {
			t.Errorf("Aktobe refers from a Kargaly case: %d %s", res.StatusCode, res.Body)
		}
		p = problem{}
		res = s.api(worker, http.MethodPost, "/api/v1/referrals", send)
		if decodeJSON(t, res, &p); res.StatusCode != http.StatusUnprocessableEntity ||
			p.Errors["to_center_id"] != i18n.For("kk").T("referral.no_consent") {
			t.Fatalf("without consent: %d %s", res.StatusCode, res.Body)
		}
		if _, err := st.People.AddConsent(ctx, sys, wife.ID, birge.Consent{Purpose: "referral", Channel: "verbal", GivenOn: "2026-11-03"}); err != nil {
			t.Fatal(err)
		}
		var r birge.Referral
		res = s.api(worker, http.MethodPost, "/api/v1/referrals", send)
		if decodeJSON(t, res, &r); res.StatusCode != http.StatusCreated || r.Status != "sent" || r.Name != "Омарова Жанар" {
			t.Fatalf("with consent: %d %s", res.StatusCode, res.Body)
		}
		var l struct{ Items []birge.Referral }
		decodeJSON(t, s.api(coord, http.MethodGet, "/api/v1/referrals", nil), &l)
		if len(l.Items) != 1 || l.Items[0].Note != "Просит приём в Актобе" || l.Items[0].CaseID != 0 || l.Items[0].PersonID != 0 {
			t.Errorf("the receiving side lists %+v", l.Items)
		}
		caseP := "/api/v1/cases/" + strconv.FormatInt(k.ID, 10)
		for _, path := range []string{caseP, caseP + "/screenings", caseP + "/safety-plan?person_id=" + strconv.FormatInt(wife.ID, 10),
			"/api/v1/people/" + strconv.FormatInt(wife.ID, 10)} {
			if res := s.api(coord, http.MethodGet, path, nil); res.StatusCode != http.StatusNotFound {
				t.Errorf("the receiving coordinator GET %s: %d", path, res.StatusCode)
			}
		}
		refP := "/api/v1/referrals/" + strconv.FormatInt(r.ID, 10)
		if res := s.api(worker, http.MethodPatch, refP, map[string]string{"status": "accepted"}); res.StatusCode != http.StatusForbidden {
			t.Errorf("the sender accepts: %d", res.StatusCode)
		}
		p = problem{}
		res = s.api(coord, http.MethodPatch, refP, map[string]string{"status": "completed"})
		if decodeJSON(t, res, &p); res.StatusCode != http.StatusUnprocessableEntity || p.Errors["status"] != ru.T("referral.status_move") {
			t.Errorf("sent → completed: %d %s", res.StatusCode, res.Body)
		}
		for _, status := range []string{"accepted", "completed"} {
			if res := s.api(coord, http.MethodPatch, refP, map[string]string{"status": status}); res.StatusCode != http.StatusOK {
				t.Errorf("→ %s: %d %s", status, res.StatusCode, res.Body)
			}
		}

		// The naughty strings. The plan refuses one left wholly empty: that message too
		// is said beside a field.
		allowed := textRefusals("kk")
		allowed[i18n.For("kk").T("safety_plan.empty")] = true
		tally := map[string]int{}
		planP := caseP + "/safety-plan?person_id=" + strconv.FormatInt(wife.ID, 10)
		planFields := []string{"safe_contacts", "safe_place", "code_word", "documents_money", "children_safety"}
		var open birge.Referral // the worker's own, still open: she may change what it carries
		res = s.api(worker, http.MethodPost, "/api/v1/referrals", send)
		if decodeJSON(t, res, &open); res.StatusCode != http.StatusCreated {
			t.Fatalf("a second referral: %d %s", res.StatusCode, res.Body)
		}
		openP := "/api/v1/referrals/" + strconv.FormatInt(open.ID, 10)
		directory := s.login("fpc.admin@birge.example")
		sv, err := st.Services.Create(ctx, sys, birge.Service{OrgID: kargaly.OrgID, Name: "Баспана", Kind: "shelter"})
		if err != nil {
			t.Fatal(err)
		}
		svPath := servicesPath(kargaly.OrgID) + "/" + strconv.FormatInt(sv.ID, 10)
		apiCall := func(tok, method, path string, body map[string]string) (int, map[string]string, string) {
			res := s.api(tok, method, path, body)
			var p problem
			if res.StatusCode == http.StatusUnprocessableEntity {
				decodeJSON(t, res, &p)
			}
			return res.StatusCode, p.Errors, res.Body
		}
		for _, v := range lines {
			tryValue(t, v, planFields, http.StatusOK, func(fields []string) (int, map[string]string, string) {
				body := map[string]string{}
				for _, f := range planFields { // the fields not tried keep the plan from being empty
					body[f] = "Әпкесі"
				}
				for _, f := range fields {
					body[f] = v
				}
				return apiCall(worker, http.MethodPut, planP, body)
			}, func(fields []string) {
				var got map[string]any
				decodeJSON(t, s.api(worker, http.MethodGet, planP, nil), &got)
				for _, f := range fields {
					if got[f] != asSent(v) {
						t.Errorf("%q in the plan's %s: read back as %q", v, f, got[f])
					}
				}
			}, allowed, tally)
			tryValue(t, v, []string{"contact", "note"}, http.StatusOK, func(fields []string) (int, map[string]string, string) {
				body := map[string]string{}
				for _, f := range fields {
					body[f] = v
				}
				return apiCall(worker, http.MethodPatch, openP, body)
			}, func(fields []string) {
				got, err := st.Referrals.Get(ctx, sys, open.ID)
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range fields {
					if map[string]string{"contact": got.Contact, "note": got.Note}[f] != asSent(v) {
						t.Errorf("%q in the referral's %s: stored as %+v", v, f, got)
					}
				}
			}, allowed, tally)
			tryValue(t, v, []string{"name", "address"}, http.StatusSeeOther, func(fields []string) (int, map[string]string, string) {
				f := url.Values{"name": {"Баспана"}, "kind": {"shelter"}}
				for _, name := range fields {
					f.Set(name, v)
				}
				res := s.postForm(directory, svPath, f, nil)
				errs := map[string]string{}
				if res.StatusCode == http.StatusUnprocessableEntity {
					doc := parseHTML(t, res.Body)
					checkScripts(t, doc, "directory form refusing "+strconv.Quote(v))
					for _, name := range fields {
						if e := first(doc, byID("e-"+name)); e != nil {
							errs[name] = text(e)
						}
					}
				}
				return res.StatusCode, errs, res.Body
			}, func(fields []string) {
				got, err := st.Services.Get(ctx, sys, sv.ID)
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range fields {
					if map[string]string{"name": got.Name, "address": got.Address}[f] != v {
						t.Errorf("%q in the service's %s: stored as %+v", v, f, got)
					}
				}
				page := s.get(directory, servicesPath(kargaly.OrgID))
				checkScripts(t, parseHTML(t, page.Body), "directory with "+strconv.Quote(v))
			}, allowed, tally)
		}
		if tally["stored"] < 2000 {
			t.Errorf("only %d naughty values stored", tally["stored"])
		}
		t.Logf("%d strings: %d field values stored exactly, %d refused with a message", len(lines), tally["stored"], tally["refused"])
	})
}
