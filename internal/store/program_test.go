package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

func counselling(orgID int64, centers ...int64) birge.Program {
	return birge.Program{OrgID: orgID,
		Names: birge.Names{KK: "Отбасылық кеңес", RU: "Семейное консультирование", KY: "Үй-бүлөлүк кеңеш", EN: "Family counselling"},
		Kind:  "counselling", CenterIDs: centers, StartsOn: "2026-01-01", EndsOn: "2026-12-31", Status: "active",
		Categories: []string{"rural", "dv_survivor"}, SDGTargets: []string{"5.2", "5.1", "5.2"}}
}

func (fx *peopleFixture) program(t *testing.T, a *birge.Actor, p birge.Program) birge.Program {
	t.Helper()
	p, err := fx.st.Programs.Create(context.Background(), a, p)
	if err != nil {
		t.Fatalf("create programme: %v", err)
	}
	return p
}

func TestProgramValidation(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		bad := counselling(fx.aktobe.OrgID, fx.aktobe.ID)
		bad.Names.KY, bad.Kind, bad.Status, bad.EndsOn = "", "therapy", "open", "2025-12-31"
		bad.Categories, bad.SDGTargets, bad.Descriptions.EN = []string{"nobody"}, []string{"5.7"}, "a\x00b"
		before, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM programs`) // the demo's
		_, err := st.Programs.Create(ctx, fx.coord, bad)
		want := map[string]string{"name_ky": "field.required", "kind": "field.choose", "status": "field.choose",
			"ends_on": "program.ends_before_start", "categories": "field.choose", "sdg_targets": "field.choose",
			"description_en": "field.invalid_chars"}
		got := birge.AsError(err).Fields
		for f, key := range want {
			if got[f] != key {
				t.Errorf("%s: %q, want %q (all: %v)", f, got[f], key, got)
			}
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM programs`); n != before {
			t.Errorf("a refused programme was saved: %d rows, %d before", n, before)
		}
		p := fx.program(t, fx.coord, counselling(fx.aktobe.OrgID, fx.aktobe.ID))
		if got := p.SDGTargets; len(got) != 2 || got[0] != "5.1" || got[1] != "5.2" {
			t.Errorf("SDG targets %v, want [5.1 5.2]", got)
		}
		// Saved unchanged, it writes nothing: its version and the audit log stay.
		entries, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM audit_log WHERE entity = 'program'`)
		same, err := st.Programs.Update(ctx, fx.coord, p)
		if err != nil || !same.UpdatedAt.Equal(p.UpdatedAt) {
			t.Errorf("unchanged save: %v, updated_at %v → %v", err, p.UpdatedAt, same.UpdatedAt)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM audit_log WHERE entity = 'program'`); n != entries {
			t.Errorf("an unchanged save wrote %d audit entries", n-entries)
		}
		p.Status, p.CenterIDs = "closed", []int64{fx.aktobe.ID, fx.kargaly.ID}
		// The coordinator of Aktobe cannot make it run in Kargaly, which she does not see.
		if _, err := st.Programs.Update(ctx, fx.coord, p); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("coordinator moves it to a centre out of sight: %v, want not found", err)
		}
		p, err = st.Programs.Update(ctx, fx.fpcAdmin, p)
		if err != nil || p.Status != "closed" || len(p.CenterIDs) != 2 {
			t.Fatalf("update: %+v, %v", p, err)
		}
		got2, _ := st.Programs.Get(ctx, fx.coord, p.ID)
		if got2.Status != "closed" {
			t.Errorf("read back: %+v", got2)
		}
	})
}

func TestProgramScope(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		kargaly := fx.program(t, fx.fpcAdmin, counselling(fx.kargaly.OrgID, fx.kargaly.ID))
		aktobe := fx.program(t, fx.fpcAdmin, counselling(fx.aktobe.OrgID, fx.aktobe.ID))
		// The coordinator of Aktobe does not see Kargaly's programme, nor may she create one there.
		if _, err := st.Programs.Get(ctx, fx.coord, kargaly.ID); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("coordinator opens another centre's programme: %v, want not found", err)
		}
		if _, err := st.Programs.Create(ctx, fx.coord, counselling(fx.kargaly.OrgID, fx.kargaly.ID)); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("coordinator creates in another centre: %v, want not found", err)
		}
		list, err := st.Programs.List(ctx, fx.coord, store.ProgramFilter{})
		if err != nil || !hasPrograms(list, aktobe.ID) || hasPrograms(list, kargaly.ID) {
			t.Errorf("coordinator's list %v, %v; want %d and not %d", list, err, aktobe.ID, kargaly.ID)
		}
		// Filters: status, kind, centre.
		if l, _ := st.Programs.List(ctx, fx.fpcAdmin, store.ProgramFilter{CenterID: fx.kargaly.ID}); !hasPrograms(l, kargaly.ID) || hasPrograms(l, aktobe.ID) {
			t.Errorf("centre filter: %v", l)
		}
		if l, _ := st.Programs.List(ctx, fx.fpcAdmin, store.ProgramFilter{Kind: "training"}); len(l) != 0 {
			t.Errorf("kind filter: %v", l)
		}
		if l, _ := st.Programs.List(ctx, fx.fpcAdmin, store.ProgramFilter{Status: "planned"}); len(l) != 0 {
			t.Errorf("status filter: %v", l)
		}
		// The analyst sees programmes but not who takes part; a trainer of another
		// organisation sees neither. A caseworker may not manage them.
		if _, err := st.Programs.Get(ctx, fx.analyst, aktobe.ID); err != nil {
			t.Errorf("analyst opens the programme: %v", err)
		}
		if _, err := st.Programs.ListParticipants(ctx, fx.analyst, aktobe.ID, store.ParticipantFilter{}); birge.KindOf(err) != birge.KindForbidden {
			t.Errorf("analyst lists names: %v, want forbidden", err)
		}
		if _, err := st.Programs.Get(ctx, fx.trainer, aktobe.ID); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("trainer of Mama Pro opens FPC's programme: %v", err)
		}
		woman := fx.register(t, fx.coord, aizhan(fx.aktobe.ID))
		if _, err := st.Programs.AddParticipant(ctx, fx.caseworker, kargaly.ID, birge.Participant{PersonID: woman.ID, JoinedOn: "2026-02-01"}); birge.KindOf(err) != birge.KindForbidden {
			t.Errorf("caseworker adds a participant: %v", err)
		}
		// A woman out of the coordinator's sight, or of another organisation, is not found.
		other := fx.register(t, fx.fpcAdmin, birge.Person{CenterID: fx.kargaly.ID, GivenName: "Гүлмира", FamilyName: "Ахметова"})
		if _, err := st.Programs.AddParticipant(ctx, fx.coord, aktobe.ID, birge.Participant{PersonID: other.ID, JoinedOn: "2026-02-01"}); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("a woman out of sight joins: %v, want not found", err)
		}
		mama := fx.register(t, fx.admin, birge.Person{CenterID: fx.almaty.ID, GivenName: "Мадина", FamilyName: "Ким"})
		if _, err := st.Programs.AddParticipant(ctx, fx.fpcAdmin, aktobe.ID, birge.Participant{PersonID: mama.ID, JoinedOn: "2026-02-01"}); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("a woman of another organisation joins: %v, want not found", err)
		}
		// Joined tomorrow (the test clock is 20:30 UTC, already 1 January in Almaty, so
		// 2 January is the future), twice, or left before joining: refused.
		if _, err := st.Programs.AddParticipant(ctx, fx.coord, aktobe.ID, birge.Participant{PersonID: woman.ID, JoinedOn: "2027-01-02"}); birge.AsError(err).Fields["joined_on"] != "person.date_future" {
			t.Errorf("joined in the future: %v", err)
		}
		pt, err := st.Programs.AddParticipant(ctx, fx.coord, aktobe.ID, birge.Participant{PersonID: woman.ID, JoinedOn: "2026-02-01"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Programs.AddParticipant(ctx, fx.coord, aktobe.ID, birge.Participant{PersonID: woman.ID, JoinedOn: "2026-03-01"}); birge.KindOf(err) != birge.KindConflict {
			t.Errorf("joined twice: %v, want conflict", err)
		}
		if _, err := st.Programs.EndParticipation(ctx, fx.coord, aktobe.ID, pt.ID, "2026-01-15", ""); birge.AsError(err).Fields["left_on"] != "program.left_before_joined" {
			t.Errorf("left before joining: %v", err)
		}
		ended, err := st.Programs.EndParticipation(ctx, fx.coord, aktobe.ID, pt.ID, "2026-06-30", "Жұмысқа орналасты")
		if err != nil || ended.LeftOn != "2026-06-30" || ended.Reason != "Жұмысқа орналасты" {
			t.Errorf("end: %+v, %v", ended, err)
		}
		if n, err := st.Programs.Count(ctx, fx.analyst, aktobe.ID); err != nil || n.Active != 0 || n.Total != 1 {
			t.Errorf("analyst's count %+v, %v; want 0 active of 1", n, err)
		}
		// Her participation is an entry about her: sealed with her key, on her record.
		entries, err := st.ListAudit(ctx, fx.fpcAdmin, store.AuditFilter{Entity: birge.EntityParticipant, EntityID: pt.ID})
		if err != nil || len(entries) != 2 || entries[0].Changes["reason"].After != "Жұмысқа орналасты" {
			t.Errorf("audit of her participation: %+v, %v", entries, err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM audit_log WHERE changes LIKE ?`, "%Жұмысқа орналасты%"); n != 0 {
			t.Errorf("the reason is in the audit log in the clear (%d rows)", n)
		}
	})
}

// hasPrograms reports whether the list holds every programme of ids.
func hasPrograms(l []birge.Program, ids ...int64) bool {
	for _, id := range ids {
		if !slices.ContainsFunc(l, func(p birge.Program) bool { return p.ID == id }) {
			return false
		}
	}
	return true
}

// TestSensitiveProgramParticipants: a trainer sees a survivors' programme and how many
// take part, never who; the coordinator, with person.sensitive, sees who.
func TestSensitiveProgramParticipants(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		open := counselling(fx.almaty.OrgID, fx.almaty.ID)
		open.Categories = nil
		plain := fx.program(t, fx.admin, open)
		open.Sensitive = true
		survivors := fx.program(t, fx.admin, open)
		woman := fx.register(t, fx.admin, birge.Person{CenterID: fx.almaty.ID, GivenName: "Мадина", FamilyName: "Ким"})
		for _, id := range []int64{plain.ID, survivors.ID} {
			if _, err := st.Programs.AddParticipant(ctx, fx.admin, id, birge.Participant{PersonID: woman.ID, JoinedOn: "2026-03-01"}); err != nil {
				t.Fatal(err)
			}
		}
		if l, err := st.Programs.ListParticipants(ctx, fx.trainer, plain.ID, store.ParticipantFilter{}); err != nil || len(l) != 1 || l[0].PersonID != woman.ID {
			t.Errorf("trainer lists an open programme: %v, %v", l, err)
		}
		if _, err := st.Programs.ListParticipants(ctx, fx.trainer, survivors.ID, store.ParticipantFilter{}); birge.KindOf(err) != birge.KindForbidden {
			t.Errorf("trainer lists survivors: %v, want forbidden", err)
		}
		if n, err := st.Programs.Count(ctx, fx.trainer, survivors.ID); err != nil || n.Active != 1 {
			t.Errorf("trainer's count %+v, %v; want 1", n, err)
		}
		mine, err := st.Programs.OfPerson(ctx, fx.trainer, woman.ID)
		if err != nil || len(mine) != 1 || mine[0].Program.ID != plain.ID {
			t.Errorf("her programmes as the trainer sees them: %+v, %v; want only %d", mine, err, plain.ID)
		}
		if all, _ := st.Programs.OfPerson(ctx, fx.admin, woman.ID); len(all) != 2 {
			t.Errorf("her programmes as the administrator sees them: %+v", all)
		}
		if l, err := st.Programs.ListParticipants(ctx, fx.admin, survivors.ID, store.ParticipantFilter{}); err != nil || len(l) != 1 {
			t.Errorf("administrator lists survivors: %v, %v", l, err)
		}
		// The people list's programme filter: by the open programme she is found; by the
		// sensitive one the trainer is refused on the field, as by a sealed category.
		fx.register(t, fx.admin, birge.Person{CenterID: fx.almaty.ID, GivenName: "Сәуле", FamilyName: "Ким"})
		if l, err := st.People.List(ctx, fx.trainer, store.PeopleFilter{Program: plain.ID}); err != nil || len(l.Items) != 1 || l.Items[0].ID != woman.ID {
			t.Errorf("people of the open programme: %v, %v", l.Items, err)
		}
		if l, err := st.People.List(ctx, fx.trainer, store.PeopleFilter{Program: plain.ID, Q: "Ким"}); err != nil || len(l.Items) != 1 {
			t.Errorf("people of the open programme named Ким: %v, %v", l.Items, err)
		}
		if _, err := st.People.List(ctx, fx.trainer, store.PeopleFilter{Program: survivors.ID}); birge.AsError(err).Fields["program"] != "field.choose" {
			t.Errorf("trainer filters by the sensitive programme: %v", err)
		}
		if l, err := st.People.List(ctx, fx.admin, store.PeopleFilter{Program: survivors.ID}); err != nil || len(l.Items) != 1 {
			t.Errorf("administrator filters by the sensitive programme: %v, %v", l.Items, err)
		}
	})
}

// TestParticipationMergeUndoAnonymise: merge moves her participation to the kept record,
// undo brings it back, anonymisation keeps the programme's count.
func TestParticipationMergeUndoAnonymise(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		p := fx.program(t, fx.fpcAdmin, counselling(fx.aktobe.OrgID, fx.aktobe.ID))
		kept := fx.register(t, fx.coord, aizhan(fx.aktobe.ID))
		other := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, FamilyName: "Zhumabayeva", GivenName: "Aizhan"})
		pt, err := st.Programs.AddParticipant(ctx, fx.coord, p.ID, birge.Participant{PersonID: other.ID, JoinedOn: "2026-02-01"})
		if err != nil {
			t.Fatal(err)
		}
		personOf := func() int64 {
			n, _ := store.QueryInt(ctx, st, `SELECT person_id FROM program_participants WHERE id = ?`, pt.ID)
			return int64(n)
		}
		m, err := st.People.Merge(ctx, fx.admin, kept.ID, other.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := personOf(); got != kept.ID {
			t.Errorf("after the merge her participation points at %d, want %d", got, kept.ID)
		}
		if l, _ := st.Programs.OfPerson(ctx, fx.coord, kept.ID); len(l) != 1 || l[0].ID != pt.ID {
			t.Errorf("kept record's programmes: %+v", l)
		}
		if err := st.People.UndoMerge(ctx, fx.admin, kept.ID, m.ID); err != nil {
			t.Fatal(err)
		}
		if got := personOf(); got != other.ID {
			t.Errorf("after undo her participation points at %d, want %d", got, other.ID)
		}
		// Her dossier holds her participation, with the programme's name.
		if d, err := st.People.Dossier(ctx, fx.admin, other.ID); err != nil || len(d.Programs) != 1 ||
			d.Programs[0].ID != pt.ID || d.Programs[0].Program.EN != "Family counselling" {
			t.Errorf("her dossier's programmes: %+v, %v", d.Programs, err)
		}
		if err := st.People.Anonymise(ctx, fx.admin, other.ID); err != nil {
			t.Fatal(err)
		}
		if n, err := st.Programs.Count(ctx, fx.coord, p.ID); err != nil || n.Active != 1 || n.Total != 1 {
			t.Errorf("count after anonymisation %+v, %v; want 1", n, err)
		}
		if l, err := st.Programs.ListParticipants(ctx, fx.coord, p.ID, store.ParticipantFilter{}); err != nil || len(l) != 0 {
			t.Errorf("an anonymised woman is still named among participants: %v, %v", l, err)
		}
	})
}

// TestSensitiveParticipationNeedsHerCentre: one who may see sensitive data in Kargaly,
// where a survivors' programme runs, but only views people in Aktobe, never learns that
// a woman of Aktobe takes part in it — not from its list of participants, not from her
// page's programmes, not from the people list's filter — though she is counted.
func TestSensitiveParticipationNeedsHerCentre(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		p := counselling(fx.kargaly.OrgID, fx.kargaly.ID)
		p.Sensitive = true
		survivors := fx.program(t, fx.fpcAdmin, p)
		her := fx.register(t, fx.fpcAdmin, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Дана", FamilyName: "Сейітова"})
		if _, err := st.Programs.AddParticipant(ctx, fx.fpcAdmin, survivors.ID, birge.Participant{PersonID: her.ID, JoinedOn: "2026-04-02"}); err != nil {
			t.Fatal(err)
		}
		mixed := *fx.caseworker // person.sensitive in Kargaly
		mixed.Grants = append(slices.Clone(mixed.Grants), birge.Grant{Role: birge.RoleViewer, OrgID: fx.aktobe.OrgID, CenterID: fx.aktobe.ID})
		if l, err := st.Programs.ListParticipants(ctx, &mixed, survivors.ID, store.ParticipantFilter{}); err != nil || len(l) != 0 {
			t.Errorf("participants listed: %+v, %v; want none", l, err)
		}
		if l, err := st.Programs.OfPerson(ctx, &mixed, her.ID); err != nil || len(l) != 0 {
			t.Errorf("her programmes: %+v, %v; want none", l, err)
		}
		if l, err := st.People.List(ctx, &mixed, store.PeopleFilter{Program: survivors.ID}); err != nil || len(l.Items) != 0 {
			t.Errorf("the people list by programme: %+v, %v; want none", l.Items, err)
		}
		if n, err := st.Programs.Count(ctx, &mixed, survivors.ID); err != nil || n.Active != 1 {
			t.Errorf("the count: %+v, %v; want 1", n, err)
		}
		// The administrator, who may see sensitive data everywhere, sees her in it.
		if l, _ := st.Programs.OfPerson(ctx, fx.fpcAdmin, her.ID); len(l) != 1 {
			t.Errorf("the administrator sees %d of her programmes, want 1", len(l))
		}
	})
}
