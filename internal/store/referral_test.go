package store_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// flaggedCase is a Kargaly family whose wife was screened concerning, the case worker
// its psychologist; and a case of the same centre not hers.
func flaggedCase(t *testing.T, fx *peopleFixture) (k, other birge.Case, her, him birge.Person) {
	t.Helper()
	ctx := context.Background()
	her, him = fx.couple(t, fx.fpcAdmin, fx.kargaly.ID)
	kc := familyCase(fx.kargaly.ID, her.ID, him.ID)
	kc.PsychologistID = fx.caseworker.UserID
	k, err := fx.st.Cases.Create(ctx, fx.fpcAdmin, kc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fx.st.Screenings.Create(ctx, fx.caseworker, k.ID, birge.Screening{PersonID: her.ID, Alone: true,
		Answers: answers("control")}); err != nil {
		t.Fatal(err)
	}
	w3, _ := fx.couple(t, fx.fpcAdmin, fx.kargaly.ID)
	if other, err = fx.st.Cases.Create(ctx, fx.fpcAdmin, familyCase(fx.kargaly.ID, w3.ID)); err != nil {
		t.Fatal(err)
	}
	return k, other, her, him
}

// TestSafetyPlan: a plan is written only on a flagged case, for one of its partners;
// sealed (the database holds none of it, nor its audit entry); read only by the case's
// assigned worker and its supervisors, each read in her access log; not in her dossier;
// versioned; erased with her.
func TestSafetyPlan(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		k, other, her, him := flaggedCase(t, fx)
		plan := birge.SafetyPlan{CaseID: k.ID, PersonID: her.ID, SafeContacts: "Сіңлісі Айгүл, +77011234567",
			SafePlace: "Әпкесінің үйі, Қарғалы", CodeWord: "алмагүл", DocumentsMoney: "Паспорт әпкесінде",
			ChildrenSafety: "Мектепке тек әжесі барады"}

		// Refused: on a case screened none, for one not a partner, an empty plan.
		if _, err := st.SafetyPlans.Save(ctx, fx.fpcAdmin, birge.SafetyPlan{CaseID: other.ID, PersonID: other.PartnerIDs[0],
			SafePlace: "x"}); birge.KindOf(err) != birge.KindConflict {
			t.Errorf("a plan on an unflagged case: %v", err)
		}
		stranger := plan
		stranger.PersonID = fx.register(t, fx.fpcAdmin, birge.Person{CenterID: fx.kargaly.ID, GivenName: "Сара"}).ID
		if _, err := st.SafetyPlans.Save(ctx, fx.caseworker, stranger); birge.AsError(err).Fields["person_id"] == "" {
			t.Errorf("a plan for one not of the case: %v", err)
		}
		if _, err := st.SafetyPlans.Save(ctx, fx.caseworker, birge.SafetyPlan{CaseID: k.ID, PersonID: her.ID,
			SafePlace: " \u200b"}); birge.AsError(err).Fields["safe_contacts"] != "safety_plan.empty" {
			t.Errorf("an empty plan: %v", err)
		}

		saved, err := st.SafetyPlans.Save(ctx, fx.caseworker, plan)
		if err != nil || saved.ID == 0 {
			t.Fatalf("save: %+v, %v", saved, err)
		}
		// Sealed: none of it in the row, nor in any audit entry.
		for _, word := range []string{"алмагүл", "Әпкесінің", "Паспорт", "safe_place"} {
			if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM safety_plans WHERE plan LIKE ?`, "%"+word+"%"); n != 0 {
				t.Errorf("%q readable in the database", word)
			}
			if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM audit_log WHERE changes LIKE ?`, "%"+word+"%"); n != 0 {
				t.Errorf("%q readable in the audit log", word)
			}
		}

		// Read by the assigned worker and the supervisor, each read in her access log.
		for _, a := range []*birge.Actor{fx.caseworker, fx.fpcAdmin} {
			got, err := st.SafetyPlans.Get(ctx, a, k.ID, her.ID)
			if err != nil || got.CodeWord != plan.CodeWord || got.ChildrenSafety != plan.ChildrenSafety {
				t.Errorf("%s reads: %+v, %v", a.Name, got, err)
			}
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM access_log WHERE person_id = ? AND action = 'safety_plan_view'`,
			her.ID); n != 2 {
			t.Errorf("%d access lines, want 2", n)
		}
		// No one else: the Aktobe coordinator, a trainer, an analyst; nor the case worker on
		// a case of her centre she is not assigned to; nor is there a plan of his.
		for name, a := range map[string]*birge.Actor{"Aktobe coordinator": fx.coord, "trainer": fx.trainer, "analyst": fx.analyst} {
			if _, err := st.SafetyPlans.Get(ctx, a, k.ID, her.ID); birge.KindOf(err) != birge.KindNotFound {
				t.Errorf("%s reads: %v", name, err)
			}
			if _, err := st.SafetyPlans.Save(ctx, a, plan); birge.KindOf(err) != birge.KindNotFound {
				t.Errorf("%s writes: %v", name, err)
			}
		}
		if _, err := st.SafetyPlans.Get(ctx, fx.caseworker, other.ID, other.PartnerIDs[0]); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("the case worker reads a plan of a case not hers: %v", err)
		}
		if _, err := st.SafetyPlans.Get(ctx, fx.caseworker, k.ID, him.ID); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("his plan: %v", err)
		}

		// Versioned: an edit of an old version is refused; of the current one, saved.
		edit := saved
		edit.CodeWord = "қызғалдақ"
		if _, err := st.SafetyPlans.Save(ctx, fx.fpcAdmin, edit); err != nil {
			t.Fatal(err)
		}
		if _, err := st.SafetyPlans.Save(ctx, fx.caseworker, saved); err != birge.ErrChangedMeanwhile {
			t.Errorf("an old version saved: %v", err)
		}

		// Never in her dossier, her export or her timeline.
		d, err := st.People.Dossier(ctx, fx.fpcAdmin, her.ID)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(d)
		if strings.Contains(string(b), "қызғалдақ") || strings.Contains(string(b), "Әпкесінің") {
			t.Errorf("the plan is in her dossier")
		}
		var exported []birge.Person
		if _, err := st.People.Export(ctx, fx.fpcAdmin, store.PeopleFilter{}, "csv", func(p birge.Person) error {
			exported = append(exported, p)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		b, _ = json.Marshal(exported)
		if strings.Contains(string(b), "қызғалдақ") || strings.Contains(string(b), "Әпкесінің") {
			t.Errorf("the plan is in an export")
		}

		// The figures' count: one flagged case, with a plan, no referral yet.
		got, err := st.Cases.Figures(ctx, fx.fpcAdmin, fx.kargaly.ID, "2026-11-01", "2026-11-30")
		if err != nil || got.Flagged != 1 || got.FlaggedWithPlan != 1 || got.FlaggedWithReferral != 0 {
			t.Errorf("figures: %+v, %v", got, err)
		}

		// Erased with her.
		if err := st.People.Anonymise(ctx, fx.fpcAdmin, her.ID); err != nil {
			t.Fatal(err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM safety_plans WHERE person_id = ?`, her.ID); n != 0 {
			t.Errorf("her plan outlived her anonymisation")
		}
	})
}

// TestReferrals: to another Birge centre only with her consent (refused by the field
// without it); the receiving coordinator sees only what the referral carries, and not
// the case; status moves only along sent → accepted → completed or to declined, by the
// side that decides; the overdue list; her timeline and dossier; merge, undo and
// anonymisation.
func TestReferrals(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		k, _, her, _ := flaggedCase(t, fx)
		toAktobe := birge.Referral{PersonID: her.ID, CaseID: k.ID, ToCenterID: fx.aktobe.ID, Contact: "+77011234567",
			Note: "Психолог керек, күйеуі білмеуі тиіс", ChosenByHer: true, FollowUpOn: "2027-01-20"}

		if _, err := st.Referrals.Create(ctx, fx.caseworker, toAktobe); birge.AsError(err).Fields["to_center_id"] != "referral.no_consent" {
			t.Fatalf("without consent: %v", err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM referrals`); n != 0 {
			t.Errorf("a refused referral saved")
		}
		_, err := st.People.AddConsent(ctx, fx.fpcAdmin, her.ID, birge.Consent{Purpose: "referral", Channel: "paper", GivenOn: "2026-11-02"})
		if err != nil {
			t.Fatal(err)
		}
		sameCenter := toAktobe
		sameCenter.ToCenterID = fx.kargaly.ID
		if _, err := st.Referrals.Create(ctx, fx.caseworker, sameCenter); birge.AsError(err).Fields["to_center_id"] != "referral.same_center" {
			t.Errorf("to its own centre: %v", err)
		}
		both := toAktobe
		both.ServiceID = 1
		if _, err := st.Referrals.Create(ctx, fx.caseworker, both); birge.AsError(err).Fields["service_id"] != "referral.one_destination" {
			t.Errorf("two destinations: %v", err)
		}
		past := toAktobe
		past.FollowUpOn = "2026-12-30"
		if _, err := st.Referrals.Create(ctx, fx.caseworker, past); birge.AsError(err).Fields["follow_up_on"] != "referral.follow_up_past" {
			t.Errorf("a new referral followed up yesterday: %v", err)
		}
		r, err := st.Referrals.Create(ctx, fx.caseworker, toAktobe)
		if err != nil || r.Status != birge.ReferralSent || r.Name != "Ахметова Динара" {
			t.Fatalf("with consent: %+v, %v", r, err)
		}

		// The receiving coordinator: what it carries, nothing of the case.
		got, err := st.Referrals.Get(ctx, fx.coord, r.ID)
		if err != nil || got.Name != r.Name || got.Note != toAktobe.Note || got.Contact != toAktobe.Contact ||
			got.CaseID != 0 || got.PersonID != 0 {
			t.Errorf("the receiving side sees %+v, %v", got, err)
		}
		if _, err := st.Cases.Get(ctx, fx.coord, k.ID); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("the receiving coordinator opens the case: %v", err)
		}
		if _, err := st.Screenings.List(ctx, fx.coord, k.ID); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("the receiving coordinator reads the screenings: %v", err)
		}
		for name, a := range map[string]*birge.Actor{"trainer": fx.trainer, "analyst": fx.analyst} {
			if _, err := st.Referrals.Get(ctx, a, r.ID); birge.KindOf(err) != birge.KindNotFound {
				t.Errorf("%s sees it: %v", name, err)
			}
			if _, err := st.Referrals.List(ctx, a, store.ReferralFilter{}); birge.KindOf(err) != birge.KindForbidden {
				t.Errorf("%s lists: %v", name, err)
			}
		}

		// Status: the sender does not accept for Aktobe; Aktobe cannot skip to a status
		// out of order, nor change the note; then accepts and completes; completed stays.
		accept := r
		accept.Status = birge.ReferralAccepted
		if _, err := st.Referrals.Update(ctx, fx.caseworker, accept); birge.KindOf(err) != birge.KindForbidden {
			t.Errorf("the sender accepts: %v", err)
		}
		recv, _ := st.Referrals.Get(ctx, fx.coord, r.ID)
		bad := recv
		bad.Status = birge.ReferralCompleted
		if _, err := st.Referrals.Update(ctx, fx.coord, bad); birge.AsError(err).Fields["status"] != "referral.status_move" {
			t.Errorf("sent → completed: %v", err)
		}
		note := recv
		note.Note = "басқа"
		if _, err := st.Referrals.Update(ctx, fx.coord, note); birge.KindOf(err) != birge.KindForbidden {
			t.Errorf("the receiver changes the note: %v", err)
		}
		recv.Status = birge.ReferralAccepted
		if recv, err = st.Referrals.Update(ctx, fx.coord, recv); err != nil || recv.Status != birge.ReferralAccepted {
			t.Fatalf("accept: %+v, %v", recv, err)
		}
		recv.Status = birge.ReferralCompleted
		if recv, err = st.Referrals.Update(ctx, fx.coord, recv); err != nil {
			t.Fatal(err)
		}
		recv.Status = birge.ReferralDeclined
		if _, err := st.Referrals.Update(ctx, fx.coord, recv); birge.AsError(err).Fields["status"] != "referral.status_move" {
			t.Errorf("completed → declined: %v", err)
		}

		// An outside service: the sender decides. Follow-up passed and still open: overdue
		// on the sender's list (the test clock's today is 2026-12-31), not the receiver's.
		sv, err := st.Services.Create(ctx, fx.fpcAdmin, birge.Service{OrgID: fx.kargaly.OrgID, Name: "Дағдарыс орталығы",
			Kind: "crisis_center"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Services.Create(ctx, fx.coord, birge.Service{OrgID: fx.kargaly.OrgID, Name: "x", Kind: "shelter"}); birge.KindOf(err) != birge.KindForbidden {
			t.Errorf("the coordinator keeps the directory: %v", err)
		}
		out, err := st.Referrals.Create(ctx, fx.caseworker, birge.Referral{PersonID: her.ID, CaseID: k.ID, ServiceID: sv.ID,
			FollowUpOn: "2027-01-05", ChosenByHer: true})
		if err != nil {
			t.Fatal(err)
		}
		// Made for a day ahead, moved back by an edit (which may keep a past day).
		out.Status, out.FollowUpOn = birge.ReferralAccepted, "2026-12-01"
		if out, err = st.Referrals.Update(ctx, fx.caseworker, out); err != nil {
			t.Fatalf("the sender accepts for a service: %v", err)
		}
		for name, c := range map[string]struct {
			a    *birge.Actor
			want int
		}{"sender": {fx.caseworker, 1}, "receiver": {fx.coord, 0}, "supervisor": {fx.fpcAdmin, 1}} {
			l, err := st.Referrals.List(ctx, c.a, store.ReferralFilter{Overdue: true})
			if err != nil || len(l) != c.want || (c.want == 1 && l[0].ID != out.ID) {
				t.Errorf("%s's overdue list: %+v, %v", name, l, err)
			}
		}
		if got, _ := st.Cases.Figures(ctx, fx.fpcAdmin, fx.kargaly.ID, "", ""); got.Flagged != 1 || got.FlaggedWithReferral != 1 {
			t.Errorf("figures: %+v", got)
		}

		// From a record, without a case: by one who sees cases at her centre.
		aktobeWoman := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Гүлмира"})
		shelter, err := st.Services.Create(ctx, fx.fpcAdmin, birge.Service{OrgID: fx.aktobe.OrgID, Name: "Баспана", Kind: "shelter"})
		if err != nil {
			t.Fatal(err)
		}
		fromRecord := birge.Referral{PersonID: aktobeWoman.ID, ServiceID: shelter.ID, ChosenByHer: true}
		if got, err := st.Referrals.Create(ctx, fx.coord, fromRecord); err != nil || got.FromCenter != fx.aktobe.ID || got.CaseID != 0 {
			t.Errorf("from her record: %+v, %v", got, err)
		}
		if _, err := st.Referrals.Create(ctx, fx.caseworker, fromRecord); birge.AsError(err).Fields["person_id"] == "" {
			t.Errorf("the Kargaly case worker refers an Aktobe woman: %v", err)
		}

		// Her timeline (to the sender's side) and her dossier.
		events, err := st.People.Timeline(ctx, fx.caseworker, her.ID, "", 50)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range events {
			if e.Kind == "referral" {
				n++
			}
		}
		if n != 2 {
			t.Errorf("%d referrals on her timeline, want 2", n)
		}
		d, err := st.People.Dossier(ctx, fx.fpcAdmin, her.ID)
		if err != nil || len(d.Referrals) != 2 || d.Referrals[0].Note != toAktobe.Note {
			t.Errorf("dossier: %+v, %v", d.Referrals, err)
		}
		// Audited, sealed with her key.
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM audit_log WHERE entity = 'referral' AND changes LIKE '%білмеуі%'`); n != 0 {
			t.Errorf("the referral's note unsealed in the audit log")
		}

		// Merge moves her referrals to the kept record, undo moves them back.
		dup := fx.register(t, fx.fpcAdmin, birge.Person{CenterID: fx.kargaly.ID, GivenName: "Динара", FamilyName: "Ахметова"})
		m, err := st.People.Merge(ctx, fx.admin, dup.ID, her.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM referrals WHERE person_id = ?`, dup.ID); n != 2 {
			t.Errorf("%d referrals moved, want 2", n)
		}
		if err := st.People.UndoMerge(ctx, fx.admin, dup.ID, m.ID); err != nil {
			t.Fatal(err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM referrals WHERE person_id = ?`, her.ID); n != 2 {
			t.Errorf("%d referrals back, want 2", n)
		}

		// Anonymised: kept for the counts, what they carried blanked.
		if err := st.People.Anonymise(ctx, fx.fpcAdmin, her.ID); err != nil {
			t.Fatal(err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM referrals WHERE person_id = ? AND name = '' AND note = ''
			AND contact = ''`, her.ID); n != 2 {
			t.Errorf("%d referrals kept and blanked, want 2", n)
		}
	})
}
