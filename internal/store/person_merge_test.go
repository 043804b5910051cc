package store_test

import (
	"context"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// wholeRecord is everything an administrator can read about a person, with her
// relations in a fixed order and her identity number in full, to compare before and after.
func wholeRecord(t *testing.T, st *store.Store, a *birge.Actor, id int64) birge.Person {
	t.Helper()
	ctx := context.Background()
	p, err := st.People.Get(ctx, a, id)
	if err != nil {
		t.Fatalf("open %d: %v", id, err)
	}
	slices.SortFunc(p.Relations, func(x, y birge.Relation) int { return int(x.ID - y.ID) })
	slices.SortFunc(p.Consents, func(x, y birge.Consent) int { return int(x.ID - y.ID) })
	if p.IIN != "" || p.PIN != "" {
		number, err := st.People.RevealIdentity(ctx, a, id)
		if err != nil {
			t.Fatal(err)
		}
		p.IIN, p.PIN = number, ""
	}
	return p
}

// queue is the ids of the pairs in an actor's duplicate queue, as "person-other".
func queue(t *testing.T, st *store.Store, a *birge.Actor) []string {
	t.Helper()
	q, err := st.People.DuplicatePairs(context.Background(), a, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range q.Items {
		out = append(out, itoa(d.People[0].ID)+"-"+itoa(d.People[1].ID)+":"+d.Reason)
	}
	return out
}

func pair(a, b int64, reason string) string {
	return itoa(min(a, b)) + "-" + itoa(max(a, b)) + ":" + reason
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// actions lists the audit actions recorded on a person, oldest first.
func actions(t *testing.T, st *store.Store, a *birge.Actor, id int64) []string {
	t.Helper()
	es, err := st.ListAudit(context.Background(), a, store.AuditFilter{Entity: "person", EntityID: id})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(es) - 1; i >= 0; i-- {
		out = append(out, string(es[i].Action))
	}
	return out
}

func TestMergeAndUndo(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		// She is registered at Aktobe with her IIN, and again at Kargaly, in Latin letters,
		// with another phone, her patronymic, e-mail, children and sensitive category.
		a := aizhan(fx.aktobe.ID)
		a.Consents = []birge.Consent{{Purpose: "services", Channel: "paper", GivenOn: "2026-01-05"}}
		kept := fx.register(t, fx.coord, a)
		children := 2
		other := fx.register(t, fx.admin, birge.Person{CenterID: fx.kargaly.ID, FamilyName: "Zhumabayeva",
			GivenName: "Aizhan", Patronymic: "Serikovna", BirthDate: "1985-03-15", Phones: []string{"+7 777 100 20 30"},
			Email: "aizhan@example.kz", Settlement: "Бадамша", Children: &children,
			Categories: []string{"dv_survivor", "unemployed"},
			Consents:   []birge.Consent{{Purpose: "contact", Channel: "phone", GivenOn: "2026-02-01"}}})
		// Her daughter is linked to both records, her husband to the second only, and the
		// two records were (wrongly) linked to each other.
		daughter := fx.register(t, fx.admin, birge.Person{CenterID: fx.kargaly.ID, FamilyName: "Жұмабаева", GivenName: "Аружан", BirthYear: 2010})
		husband := fx.register(t, fx.admin, birge.Person{CenterID: fx.kargaly.ID, FamilyName: "Жұмабаев", GivenName: "Ерлан", BirthYear: 1980})
		for _, r := range []struct {
			from, to int64
			kind     string
		}{{kept.ID, daughter.ID, "child"}, {daughter.ID, other.ID, "parent"}, {other.ID, husband.ID, "spouse"}, {kept.ID, other.ID, "guardian"}} {
			if _, err := st.People.AddRelation(ctx, fx.admin, r.from, r.to, r.kind); err != nil {
				t.Fatal(err)
			}
		}

		// Registered anyway, she waits in the queue of those who may edit both records.
		want := pair(kept.ID, other.ID, "name_birth")
		if q := queue(t, st, fx.admin); !slices.Contains(q, want) {
			t.Fatalf("the administrator's queue %v lacks %s", q, want)
		}
		for _, who := range []*birge.Actor{fx.coord, fx.caseworker} {
			if q := queue(t, st, who); slices.Contains(q, want) {
				t.Errorf("%s sees the pair across a centre she cannot see: %v", who.Name, q)
			}
		}
		if _, err := st.People.DuplicatePairs(ctx, fx.analyst, 0, 0); birge.KindOf(err) != birge.KindForbidden {
			t.Errorf("the analyst lists duplicates: %v, want forbidden", err)
		}
		// Neither centre's staff can merge across to the other.
		for _, who := range []*birge.Actor{fx.coord, fx.caseworker} {
			if _, err := st.People.Merge(ctx, who, kept.ID, other.ID, nil); birge.KindOf(err) != birge.KindNotFound {
				t.Errorf("%s merges a record out of sight: %v, want not found", who.Name, err)
			}
		}

		beforeKept, beforeOther := wholeRecord(t, st, fx.admin, kept.ID), wholeRecord(t, st, fx.admin, other.ID)
		relationRows, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM relations`)
		m, err := st.People.Merge(ctx, fx.admin, kept.ID, other.ID, nil)
		if err != nil {
			t.Fatal(err)
		}

		got := wholeRecord(t, st, fx.admin, kept.ID)
		if got.IIN != "850315401231" || got.FamilyName != "Жұмабаева" || got.Patronymic != "Serikovna" ||
			got.Email != "aizhan@example.kz" || got.Settlement != "Бадамша" || got.Children == nil || *got.Children != 2 {
			t.Errorf("kept record not filled from the other: %+v", got)
		}
		if !slices.Equal(got.Phones, []string{"+77011234567", "+77771002030"}) {
			t.Errorf("phones %v, want both, hers first", got.Phones)
		}
		if !slices.Equal(got.Categories, []string{"dv_survivor", "rural", "unemployed"}) {
			t.Errorf("categories %v, want both records'", got.Categories)
		}
		if len(got.Consents) != 2 {
			t.Errorf("consents %+v, want both records'", got.Consents)
		}
		var rels []string
		for _, r := range got.Relations {
			rels = append(rels, r.Kind+":"+itoa(r.OtherID))
		}
		if want := []string{"child:" + itoa(daughter.ID), "spouse:" + itoa(husband.ID)}; !slices.Equal(rels, want) {
			t.Errorf("relations %v, want %v (no repeat, none to herself)", rels, want)
		}
		// The merged record is gone from sight, lists, search and duplicate checks…
		if _, err := st.People.Get(ctx, fx.admin, other.ID); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("the merged record opens: %v", err)
		}
		for _, q := range []string{"Aizhan", "+7 777 100 20 30"} {
			l, err := st.People.List(ctx, fx.admin, store.PeopleFilter{Q: q})
			if err != nil || len(l.Items) != 1 || l.Items[0].ID != kept.ID {
				t.Errorf("search %q after the merge: %+v, %v; want only the kept record", q, l.Items, err)
			}
		}
		dups, err := st.People.FindDuplicates(ctx, fx.admin, birge.Person{CenterID: fx.kargaly.ID, GivenName: "Aizhan",
			Phones: []string{"+77771002030"}})
		if err != nil || len(dups) != 1 || dups[0].PersonID != kept.ID {
			t.Errorf("duplicates of her second phone: %+v, %v; want only the kept record", dups, err)
		}
		if q := queue(t, st, fx.admin); slices.Contains(q, want) {
			t.Errorf("the merged pair is still in the queue: %v", q)
		}
		// …but its address leads to her, and all history stays.
		if id, err := st.People.MergedInto(ctx, fx.admin, other.ID); err != nil || id != kept.ID {
			t.Errorf("merged into: %d, %v", id, err)
		}
		if _, err := st.People.MergedInto(ctx, fx.admin, kept.ID); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("a live record is merged into something: %v", err)
		}
		for _, id := range []int64{kept.ID, other.ID} {
			if got := actions(t, st, fx.admin, id); got[0] != "create" || !slices.Contains(got, "merge") {
				t.Errorf("history of %d after the merge: %v, want her creation and the merge", id, got)
			}
		}
		ms, err := st.People.Merges(ctx, fx.admin, kept.ID)
		if err != nil || len(ms) != 1 || ms[0].ID != m.ID || ms[0].MergedName != "Zhumabayeva Aizhan Serikovna" || !ms[0].Undoable {
			t.Errorf("merges of the kept record: %+v, %v", ms, err)
		}
		// Nothing of her identity or sensitive category is kept in the clear for undo.
		if n, err := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM person_merges WHERE kept_before LIKE ? OR moved LIKE ?
			OR kept_before LIKE ? OR moved LIKE ?`, "%850315401231%", "%850315401231%", "%dv_survivor%", "%dv_survivor%"); err != nil || n != 0 {
			t.Errorf("person_merges holds an identity number or a sensitive category in the clear (%d, %v)", n, err)
		}

		if err := st.People.UndoMerge(ctx, fx.coord, kept.ID, m.ID); birge.KindOf(err) != birge.KindForbidden {
			t.Errorf("the Aktobe coordinator undoes a merge of a Kargaly record: %v, want forbidden", err)
		}
		if err := st.People.UndoMerge(ctx, fx.admin, other.ID, m.ID); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("undo through the other record's address: %v, want not found", err)
		}
		if err := st.People.UndoMerge(ctx, fx.admin, kept.ID, m.ID); err != nil {
			t.Fatal(err)
		}
		if got := wholeRecord(t, st, fx.admin, kept.ID); !reflect.DeepEqual(got, beforeKept) {
			t.Errorf("kept record after undo:\n%+v\nwant\n%+v", got, beforeKept)
		}
		if got := wholeRecord(t, st, fx.admin, other.ID); !reflect.DeepEqual(got, beforeOther) {
			t.Errorf("merged record after undo:\n%+v\nwant\n%+v", got, beforeOther)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM relations`); n != relationRows {
			t.Errorf("%d relations after undo, want %d", n, relationRows)
		}
		if q := queue(t, st, fx.admin); !slices.Contains(q, want) {
			t.Errorf("the pair is not back in the queue after undo: %v", q)
		}
		if l, _ := st.People.List(ctx, fx.admin, store.PeopleFilter{Q: "+7 777 100 20 30"}); len(l.Items) != 1 || l.Items[0].ID != other.ID {
			t.Errorf("her second phone finds %+v after undo, want the second record", l.Items)
		}
		if got := actions(t, st, fx.admin, other.ID); got[len(got)-1] != "unmerge" {
			t.Errorf("the merged record's history after undo: %v", got)
		}
		if err := st.People.UndoMerge(ctx, fx.admin, kept.ID, m.ID); birge.AsError(err).Key != "merge.undone" {
			t.Errorf("undo twice: %v, want merge.undone", err)
		}
		if ms, _ := st.People.Merges(ctx, fx.admin, kept.ID); len(ms) != 0 {
			t.Errorf("an undone merge is still shown: %+v", ms)
		}
	})
}

// Only the newest merge into a record that nobody edited since can be undone; anything
// else would lose what came after it.
func TestUndoOnlyTheLatestMerge(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		register := func(name, phone string) birge.Person {
			return fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: name, Phones: []string{phone}})
		}
		a, b, c := register("Сәуле", "+77010000001"), register("Saule", "+77010000002"), register("Сауле", "+77010000003")
		first, err := st.People.Merge(ctx, fx.coord, a.ID, b.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		second, err := st.People.Merge(ctx, fx.coord, a.ID, c.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if ms, _ := st.People.Merges(ctx, fx.coord, a.ID); len(ms) != 2 || !ms[0].Undoable || ms[1].Undoable {
			t.Errorf("merges %+v: only the newest may be undone", ms)
		}
		if err := st.People.UndoMerge(ctx, fx.coord, a.ID, first.ID); birge.AsError(err).Key != "merge.not_latest" {
			t.Fatalf("undo of the older merge: %v, want merge.not_latest", err)
		}
		if err := st.People.UndoMerge(ctx, fx.coord, a.ID, second.ID); err != nil {
			t.Fatal(err)
		}
		if err := st.People.UndoMerge(ctx, fx.coord, a.ID, first.ID); err != nil {
			t.Fatalf("the older merge, newest again: %v", err)
		}
		if p, _ := st.People.Get(ctx, fx.coord, a.ID); !slices.Equal(p.Phones, []string{"+77010000001"}) {
			t.Errorf("phones after both undos: %v", p.Phones)
		}

		// An edit after the merge would be lost: refused.
		m, err := st.People.Merge(ctx, fx.coord, a.ID, b.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		p, _ := st.People.Get(ctx, fx.coord, a.ID)
		p.Settlement = "Ақтөбе"
		if _, err := st.People.Update(ctx, fx.coord, p); err != nil {
			t.Fatal(err)
		}
		if err := st.People.UndoMerge(ctx, fx.coord, a.ID, m.ID); birge.AsError(err).Key != "merge.edited_since" {
			t.Errorf("undo after an edit: %v, want merge.edited_since", err)
		}
		if ms, _ := st.People.Merges(ctx, fx.coord, a.ID); len(ms) != 1 || ms[0].Undoable {
			t.Errorf("merges after an edit %+v: none may be undone", ms)
		}
		// A record merged away cannot be merged again, either way round.
		if _, err := st.People.Merge(ctx, fx.coord, c.ID, b.ID, nil); birge.AsError(err).Fields["other_id"] != "merge.merged_away" {
			t.Errorf("merge a merged record: %v", err)
		}
		if _, err := st.People.Merge(ctx, fx.coord, b.ID, c.ID, nil); birge.AsError(err).Key != "merge.merged_away" {
			t.Errorf("merge into a merged record: %v", err)
		}
	})
}

func TestMergeRefused(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		p := fx.register(t, fx.coord, aizhan(fx.aktobe.ID))
		refused := func(what string, keep, other int64, field, key string) {
			t.Helper()
			before, _ := st.People.Get(ctx, fx.admin, keep)
			_, err := st.People.Merge(ctx, fx.admin, keep, other, nil)
			if e := birge.AsError(err); e.Kind != birge.KindInvalid || e.Fields[field] != key {
				t.Errorf("%s: %v, want %s on %s", what, err, key, field)
			}
			if after, _ := st.People.Get(ctx, fx.admin, keep); !reflect.DeepEqual(before, after) {
				t.Errorf("%s: the refused merge changed the record", what)
			}
		}
		refused("the same record", p.ID, p.ID, "other_id", "merge.same")
		almaty := fx.register(t, fx.admin, birge.Person{CenterID: fx.almaty.ID, GivenName: "Айжан"})
		refused("across organisations", p.ID, almaty.ID, "other_id", "merge.other_org")
		twin := fx.register(t, fx.admin, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Айжан", IIN: "921108401006"})
		refused("two identity numbers", p.ID, twin.ID, "iin", "merge.identity_differs")
		// Taking her IIN would contradict the kept record's own birth date.
		older := fx.register(t, fx.admin, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Айжан", BirthDate: "1984-01-01"})
		refused("a birth date against the IIN", older.ID, p.ID, "birth_date", "identity.birth_date_mismatch")
		var many []string
		for _, n := range []string{"1", "2", "3", "4", "5"} {
			many = append(many, "+7701000000"+n)
		}
		phones := fx.register(t, fx.admin, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Айжан", Phones: many})
		refused("more than five phones together", p.ID, phones.ID, "phones", "person.too_many_phones")
	})
}

// A trainer, who may not see sensitive categories, may merge a survivor's record: the
// category is carried over sealed, unseen by her, and comes back on undo.
func TestMergeCarriesUnseenSensitiveCategories(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		survivor := fx.register(t, fx.admin, birge.Person{CenterID: fx.almaty.ID, GivenName: "Гүлнар",
			BirthDate: "1990-04-12", Categories: []string{"dv_survivor"}})
		kept := fx.register(t, fx.trainer, birge.Person{CenterID: fx.almaty.ID, GivenName: "Gulnar", BirthDate: "1990-04-12",
			Categories: []string{"self_employed"}})
		m, err := st.People.Merge(ctx, fx.trainer, kept.ID, survivor.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if p, _ := st.People.Get(ctx, fx.trainer, kept.ID); !slices.Equal(p.Categories, []string{"self_employed"}) {
			t.Errorf("the trainer sees %v", p.Categories)
		}
		if p, _ := st.People.Get(ctx, fx.admin, kept.ID); !slices.Equal(p.Categories, []string{"dv_survivor", "self_employed"}) {
			t.Errorf("the administrator sees %v after the trainer's merge", p.Categories)
		}
		log, _ := st.People.ListAccess(ctx, fx.admin, kept.ID)
		if len(log) == 0 || log[0].Action != "view" {
			t.Errorf("views of the merged record are not in the access log: %+v", log)
		}
		if err := st.People.UndoMerge(ctx, fx.trainer, kept.ID, m.ID); err != nil {
			t.Fatal(err)
		}
		if p, _ := st.People.Get(ctx, fx.admin, kept.ID); !slices.Equal(p.Categories, []string{"self_employed"}) {
			t.Errorf("after undo the kept record has %v", p.Categories)
		}
		if p, _ := st.People.Get(ctx, fx.admin, survivor.ID); !slices.Equal(p.Categories, []string{"dv_survivor"}) {
			t.Errorf("after undo the survivor's record has %v", p.Categories)
		}
	})
}

// The queue: a pair appears when a duplicate is registered anyway or an edit makes her
// look like someone, leaves when judged distinct (and stays away through later edits),
// and a merge hands the merged record's other pairs to the kept one until it is undone.
func TestDuplicateQueue(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		a := fx.register(t, fx.coord, aizhan(fx.aktobe.ID))
		b := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Aizhan", FamilyName: "Zhumabaeva",
			BirthDate: "1985-03-15", Phones: []string{"+77771112233"}})
		c := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Мария", Phones: []string{"+77771112233"}})
		if q := queue(t, st, fx.coord); !slices.Equal(q, []string{pair(b.ID, c.ID, "phone"), pair(a.ID, b.ID, "name_birth")}) {
			t.Fatalf("queue %v, want b–c and a–b, newest first", q)
		}
		d := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Дана"})
		e := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Дина", Phones: []string{"+77770001122"}})
		d.Phones = []string{"8 777 000 11 22"}
		d, err := st.People.Update(ctx, fx.coord, d)
		if err != nil {
			t.Fatal(err)
		}
		de := pair(d.ID, e.ID, "phone")
		if q := queue(t, st, fx.coord); len(q) != 3 || q[0] != de {
			t.Fatalf("after an edit gave her another's phone the queue is %v, want %s first", q, de)
		}

		// Not the same person: the pair leaves the queue, for good.
		q, _ := st.People.DuplicatePairs(ctx, fx.coord, 0, 0)
		deID := q.Items[0].ID
		if err := st.People.DismissDuplicatePair(ctx, fx.caseworker, deID); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("the Kargaly case worker dismisses an Aktobe pair: %v, want not found", err)
		}
		if err := st.People.DismissDuplicatePair(ctx, fx.coord, deID); err != nil {
			t.Fatal(err)
		}
		if err := st.People.DismissDuplicatePair(ctx, fx.coord, deID); birge.AsError(err).Key != "duplicates.settled" {
			t.Errorf("dismiss twice: %v, want duplicates.settled", err)
		}
		if _, err := st.People.Update(ctx, fx.coord, d); err != nil {
			t.Fatal(err)
		}
		if q := queue(t, st, fx.coord); slices.Contains(q, de) {
			t.Errorf("a pair judged distinct is back after an edit: %v", q)
		}
		for _, id := range []int64{d.ID, e.ID} {
			if got := actions(t, st, fx.admin, id); !slices.Contains(got, "not_duplicate") {
				t.Errorf("the dismissal is not in the history of %d: %v", id, got)
			}
		}

		// Paging, newest first.
		first, _ := st.People.DuplicatePairs(ctx, fx.coord, 0, 1)
		second, _ := st.People.DuplicatePairs(ctx, fx.coord, first.Next, 1)
		if len(first.Items) != 1 || len(second.Items) != 1 || first.Next == 0 || second.Next != 0 ||
			second.Items[0].ID >= first.Items[0].ID {
			t.Errorf("pages %+v, %+v", first, second)
		}

		// Merged into a, b's suspicion about c becomes a's, until the merge is undone.
		m, err := st.People.Merge(ctx, fx.coord, a.ID, b.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if q := queue(t, st, fx.coord); !slices.Equal(q, []string{pair(a.ID, c.ID, "phone")}) {
			t.Errorf("queue after the merge %v, want only a–c", q)
		}
		if err := st.People.UndoMerge(ctx, fx.coord, a.ID, m.ID); err != nil {
			t.Fatal(err)
		}
		if q := queue(t, st, fx.coord); !slices.Equal(q, []string{pair(b.ID, c.ID, "phone"), pair(a.ID, b.ID, "name_birth")}) {
			t.Errorf("queue after undo %v, want b–c and a–b again", q)
		}
	})
}

// Anonymising a woman forgets the snapshot kept to undo a merge into her record, which
// holds who she was, as well as the record merged away; the merge cannot be undone.
func TestAnonymiseForgetsMergeSnapshot(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		kept := fx.register(t, fx.coord, aizhan(fx.aktobe.ID))
		other := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, FamilyName: "Zhumabaeva", GivenName: "Aizhan",
			Phones: []string{"+77771002030"}})
		m, err := st.People.Merge(ctx, fx.coord, kept.ID, other.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.People.Anonymise(ctx, fx.coord, kept.ID); err != nil {
			t.Fatal(err)
		}
		if n, err := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM person_merges WHERE kept_before <> ''`); err != nil || n != 0 {
			t.Errorf("%d snapshots of her kept after anonymisation (%v)", n, err)
		}
		if n, err := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM people WHERE id = ? AND family_name = '' AND anonymized_at IS NOT NULL`, other.ID); err != nil || n != 1 {
			t.Errorf("the record merged into hers is not erased (%d, %v)", n, err)
		}
		if err := st.People.UndoMerge(ctx, fx.admin, kept.ID, m.ID); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("undo of a merge into an anonymised record: %v, want not found", err)
		}
		if _, err := st.People.MergedInto(ctx, fx.admin, other.ID); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("the merged record's address still leads somewhere: %v", err)
		}
	})
}

// Two merges into one record at once both land: neither writes over what the other
// filled in (on PostgreSQL the second waits for the first's row lock).
func TestConcurrentMergesIntoOneRecord(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		for round := range 5 {
			kept := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Әлия"})
			withEmail := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Aliya", Email: "aliya@example.kz"})
			withPlace := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Алия", Settlement: "Ақтөбе"})
			errs := make(chan error, 2)
			for _, other := range []int64{withEmail.ID, withPlace.ID} {
				go func() { _, err := st.People.Merge(ctx, fx.coord, kept.ID, other, nil); errs <- err }()
			}
			for range 2 {
				if err := <-errs; err != nil {
					t.Fatalf("round %d: %v", round, err)
				}
			}
			p, _ := st.People.Get(ctx, fx.coord, kept.ID)
			if ms, _ := st.People.Merges(ctx, fx.coord, kept.ID); p.Email != "aliya@example.kz" || p.Settlement != "Ақтөбе" || len(ms) != 2 {
				t.Errorf("round %d: after two merges at once: e-mail %q, settlement %q, %d merges", round, p.Email, p.Settlement, len(ms))
			}
		}
	})
}
