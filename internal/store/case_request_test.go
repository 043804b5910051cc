package store_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

func aRequest(center int64) birge.CaseRequest {
	return birge.CaseRequest{CenterID: center, Lang: "kk", Name: "Сәуле", Phone: "8 701 555 12 34",
		Contact: birge.ContactCall, CallTimes: "сағат 10-нан 12-ге дейін", MayLeaveMessage: false,
		Reasons: []string{"violence", "children"}, Message: "Күйеуім қорқытады"}
}

// TestCaseRequests: a request from the public site goes to the office she chose, sealed;
// only those who manage that office's cases see it; taking it in registers her and opens
// a case in one go; declining erases what she wrote; anonymising her erases the request.
func TestCaseRequests(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)

		// Offices: where a coordinator works. Kargaly has none until one is granted.
		offices := func() []string {
			l, err := st.CaseRequests.Offices(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, c := range l {
				out = append(out, c.Names.EN)
			}
			return out
		}
		if got := offices(); len(got) != 1 || got[0] != "Aktobe family centre" {
			t.Errorf("offices: %v", got)
		}
		if err := st.CaseRequests.Submit(ctx, "10.0.0.1", aRequest(fx.kargaly.ID), false); birge.AsError(err).Fields["center_id"] != "field.choose" {
			t.Errorf("to an office without a coordinator: %v", err)
		}
		if _, err := st.AddGrant(ctx, birge.System("t"), birge.Grant{UserID: fx.caseworker.UserID,
			Role: birge.RoleCoordinator, OrgID: fx.kargaly.OrgID, CenterID: fx.kargaly.ID}); err != nil {
			t.Fatal(err)
		}
		if got := offices(); len(got) != 2 {
			t.Errorf("offices with Kargaly's coordinator: %v", got)
		}
		kargalyCoord := &birge.Actor{UserID: fx.caseworker.UserID, Name: "Kargaly", Grants: []birge.Grant{
			{Role: birge.RoleCoordinator, OrgID: fx.kargaly.OrgID, CenterID: fx.kargaly.ID}}}

		// Validation, by field; nothing saved.
		bad := aRequest(fx.aktobe.ID)
		bad.Name, bad.Phone, bad.Reasons = " ", "", []string{"gambling"}
		e := birge.AsError(st.CaseRequests.Submit(ctx, "10.0.0.2", bad, false))
		if e.Fields["name"] != "field.required" || e.Fields["phone"] != "request.phone_required" || e.Fields["reasons"] != "field.choose" {
			t.Errorf("bad request: %+v", e)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM case_requests`); n != 0 {
			t.Errorf("%d requests saved from refused ones", n)
		}
		// Not to be contacted: no phone needed, and no call times kept.
		quiet := aRequest(fx.aktobe.ID)
		quiet.Contact, quiet.Phone, quiet.Reasons = birge.ContactNone, "", nil
		if err := st.CaseRequests.Submit(ctx, "10.0.0.3", quiet, false); err != nil {
			t.Fatal(err)
		}
		if err := st.CaseRequests.Submit(ctx, "10.0.0.4", aRequest(fx.aktobe.ID), false); err != nil {
			t.Fatal(err)
		}
		kr := aRequest(fx.kargaly.ID)
		kr.Name = "Гүлмира"
		if err := st.CaseRequests.Submit(ctx, "10.0.0.5", kr, false); err != nil {
			t.Fatal(err)
		}
		// Sealed: neither her name nor her words are readable in the database or the log.
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM case_requests WHERE sealed LIKE '%Сәуле%'
			OR sealed LIKE '%violence%' OR sealed LIKE '%701%'`); n != 0 {
			t.Errorf("a request is readable in the database")
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM audit_log WHERE entity = 'case_request'`); n != 3 {
			t.Errorf("%d entries for three requests", n)
		}

		// Who sees which.
		mine, err := st.CaseRequests.List(ctx, fx.coord, store.RequestFilter{Status: birge.RequestNew})
		if err != nil || len(mine) != 2 || mine[1].Name != "Сәуле" || mine[1].Phone != "+77015551234" ||
			mine[1].Message != "Күйеуім қорқытады" || mine[0].CallTimes != "" || mine[0].Contact != birge.ContactNone {
			t.Fatalf("the Aktobe coordinator's list: %+v, %v", mine, err)
		}
		if l, err := st.CaseRequests.List(ctx, kargalyCoord, store.RequestFilter{}); err != nil || len(l) != 1 || l[0].Name != "Гүлмира" {
			t.Errorf("Kargaly's list: %+v, %v", l, err)
		}
		if l, err := st.CaseRequests.List(ctx, fx.fpcAdmin, store.RequestFilter{}); err != nil || len(l) != 3 {
			t.Errorf("the administrator's list: %d, %v", len(l), err)
		}
		if _, err := st.CaseRequests.Get(ctx, kargalyCoord, mine[1].ID); err != birge.ErrNotFound {
			t.Errorf("another office's request: %v", err)
		}
		for _, a := range []*birge.Actor{fx.caseworker, fx.trainer, fx.analyst} {
			if _, err := st.CaseRequests.List(ctx, a, store.RequestFilter{}); err != birge.ErrForbidden {
				t.Errorf("%s lists requests: %v", a.Name, err)
			}
			if _, err := st.CaseRequests.Get(ctx, a, mine[1].ID); err != birge.ErrNotFound {
				t.Errorf("%s sees a request: %v", a.Name, err)
			}
			if _, err := st.CaseRequests.Accept(ctx, a, mine[1].ID, store.Acceptance{}); err != birge.ErrNotFound {
				t.Errorf("%s takes a request in: %v", a.Name, err)
			}
		}

		// Taken in: she is registered with her safe-contact wishes, a case opened.
		k, err := st.CaseRequests.Accept(ctx, fx.coord, mine[1].ID, store.Acceptance{
			Person: birge.Person{FamilyName: "Ахметова", GivenName: "Сәуле", Sex: "female", Phones: []string{mine[1].Phone}}})
		if err != nil {
			t.Fatal(err)
		}
		if k.CenterID != fx.aktobe.ID || len(k.PartnerIDs) != 1 || k.CameFrom != "self" || k.Status != birge.CaseIntake ||
			strings.Join(k.Reasons, ",") != "violence,children" || k.IntakeDate != birge.Day(k.CreatedAt, fx.coord.Location()).Format("2006-01-02") {
			t.Errorf("the case: %+v", k)
		}
		her, err := st.People.Get(ctx, fx.coord, k.PartnerIDs[0])
		if err != nil || !her.MayCall || her.CallTimes != "сағат 10-нан 12-ге дейін" || her.MayLeaveMessage {
			t.Errorf("her record: %+v, %v", her, err)
		}
		got, err := st.CaseRequests.Get(ctx, fx.coord, mine[1].ID)
		if err != nil || got.Status != birge.RequestAccepted || got.CaseID != k.ID || got.PersonID != her.ID ||
			got.Message != "Күйеуім қорқытады" || got.DecidedBy != fx.coord.UserID {
			t.Errorf("accepted: %+v, %v", got, err)
		}
		if _, err := st.CaseRequests.Accept(ctx, fx.coord, mine[1].ID, store.Acceptance{PersonID: her.ID}); birge.KindOf(err) != birge.KindConflict {
			t.Errorf("taken in twice: %v", err)
		}
		// Taken in as someone the registry has already; a person out of sight is refused
		// and nothing changes.
		if _, err := st.CaseRequests.Accept(ctx, fx.coord, mine[0].ID, store.Acceptance{PersonID: 1 << 40}); birge.AsError(err).Fields["partner_ids"] == "" {
			t.Errorf("an unknown person: %v", err)
		}
		if r, _ := st.CaseRequests.Get(ctx, fx.coord, mine[0].ID); r.Status != birge.RequestNew {
			t.Errorf("a refused acceptance changed the request: %+v", r)
		}
		k2, err := st.CaseRequests.Accept(ctx, fx.coord, mine[0].ID, store.Acceptance{PersonID: her.ID})
		if err != nil || k2.PartnerIDs[0] != her.ID || strings.Join(k2.Reasons, ",") != "other" {
			t.Errorf("as an existing person: %+v, %v", k2, err)
		}

		// Declined: what she wrote is gone; the office and the day stay.
		d, err := st.CaseRequests.Decline(ctx, kargalyCoord, func() int64 {
			l, _ := st.CaseRequests.List(ctx, kargalyCoord, store.RequestFilter{})
			return l[0].ID
		}())
		if err != nil || d.Status != birge.RequestDeclined || d.Name != "" || d.Message != "" || d.CenterID != fx.kargaly.ID {
			t.Errorf("declined: %+v, %v", d, err)
		}

		// Her dossier holds what she wrote, for both requests she was taken in from.
		dossier, err := st.People.Dossier(ctx, fx.coord, her.ID)
		if err != nil || len(dossier.Requests) != 2 || dossier.Requests[1].Message != "Күйеуім қорқытады" {
			t.Errorf("her dossier's requests: %+v, %v", dossier.Requests, err)
		}

		// Anonymised: her requests go with her key.
		if err := st.People.Anonymise(ctx, fx.coord, her.ID); err != nil {
			t.Fatal(err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM case_requests WHERE key_person_id = ?`, her.ID); n != 0 {
			t.Errorf("%d requests kept after she was anonymised", n)
		}
	})
}

// TestCaseRequestThrottle: an address may send a few requests a day, then waits; a
// robot's request (the hidden field filled) is not saved but counts.
func TestCaseRequestThrottle(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		for i := range birge.FreeRequests {
			if err := st.CaseRequests.Submit(ctx, "192.0.2.7", aRequest(fx.aktobe.ID), i == 0); err != nil {
				t.Fatalf("request %d: %v", i, err)
			}
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM case_requests`); n != birge.FreeRequests-1 {
			t.Errorf("%d requests saved, the robot's among them?", n)
		}
		err := st.CaseRequests.Submit(ctx, "192.0.2.7", aRequest(fx.aktobe.ID), false)
		if birge.KindOf(err) != birge.KindTooMany {
			t.Errorf("past the free requests: %v", err)
		}
		if err := st.CaseRequests.Submit(ctx, "192.0.2.8", aRequest(fx.aktobe.ID), false); err != nil {
			t.Errorf("another address: %v", err)
		}
	})
}

// TestCaseRequestNaughtyStrings: every naughty string in her name, call times and words
// is kept exactly or refused by its field.
func TestCaseRequestNaughtyStrings(t *testing.T) {
	b, err := os.ReadFile("../../testdata/blns.txt")
	if err != nil {
		t.Fatal(err)
	}
	var naughty []string
	for _, line := range strings.Split(string(b), "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			naughty = append(naughty, line)
		}
	}
	texts := map[string]bool{"field.invalid_chars": true, "field.invalid_utf8": true, "field.single_line": true,
		"field.required": true, "field.too_long": true}
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		stored := 0
		for i, v := range naughty {
			r := aRequest(fx.aktobe.ID)
			r.Name, r.CallTimes, r.Message = v, v, v
			// Her phone is refused by its own field, or read as a number.
			withPhone := aRequest(fx.aktobe.ID)
			withPhone.Phone, withPhone.Reasons = v, nil
			if e := birge.AsError(withPhone.Validate("KZ", nil)); e != nil && (len(e.Fields) != 1 || e.Fields["phone"] == "") {
				t.Errorf("%q as a phone: %+v", v, e)
			}
			err := st.CaseRequests.Submit(ctx, fmt.Sprintf("10.%d.%d.9", i/250, i%250), r, false)
			if err == nil {
				stored++
				continue
			}
			e := birge.AsError(err)
			if e.Kind != birge.KindInvalid {
				t.Fatalf("%q: %v", v, err)
			}
			for field, key := range e.Fields {
				if !texts[key] {
					t.Errorf("%q in %s: %s", v, field, key)
				}
			}
		}
		l, err := st.CaseRequests.List(ctx, fx.coord, store.RequestFilter{})
		if err != nil || len(l) != stored {
			t.Fatalf("%d stored, %d listed: %v", stored, len(l), err)
		}
		for _, r := range l {
			if r.Name != r.Message || (r.CallTimes != r.Name) {
				t.Errorf("kept differently: %q, %q, %q", r.Name, r.CallTimes, r.Message)
			}
		}
	})
}
