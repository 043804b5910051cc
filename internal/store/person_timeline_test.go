package store_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// step is what a test expects of a timeline event.
type step struct {
	kind, fields, purpose, relation string
}

func stepsOf(events []store.TimelineEvent) []step {
	out := make([]step, len(events))
	for i, e := range events {
		out[i] = step{kind: e.Kind, fields: strings.Join(e.Fields, " "), purpose: e.Purpose}
		if r := e.Relation; r != nil {
			out[i].relation = r.Kind + " " + r.Name
		}
	}
	return out
}

func timeline(t *testing.T, st *store.Store, a *birge.Actor, id int64) []store.TimelineEvent {
	t.Helper()
	events, err := st.People.Timeline(context.Background(), a, id, "", store.MaxTimelinePage)
	if err != nil {
		t.Fatal(err)
	}
	return events
}

// Her timeline tells what happened, newest first; a trainer (no person.sensitive) does
// not learn that a sensitive category was ever changed.
func TestPersonTimeline(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		p := fx.register(t, fx.admin, birge.Person{CenterID: fx.almaty.ID, FamilyName: "Ким", GivenName: "Ольга",
			IIN: "850315401231", Settlement: "Алматы", Categories: []string{"unemployed", "self_employed"}})
		son := fx.register(t, fx.trainer, birge.Person{CenterID: fx.almaty.ID, FamilyName: "Ким", GivenName: "Тимур"})
		update := func(a *birge.Actor, change func(*birge.Person)) {
			t.Helper()
			cur, err := st.People.Get(ctx, a, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			change(&cur)
			if _, err := st.People.Update(ctx, a, cur); err != nil {
				t.Fatal(err)
			}
		}
		update(fx.trainer, func(p *birge.Person) { p.Settlement = "Қаскелең" })
		update(fx.admin, func(p *birge.Person) { p.Categories = append(p.Categories, "dv_survivor") })
		update(fx.admin, func(p *birge.Person) { p.Categories, p.Phones = []string{"rural"}, []string{"87011234567"} })
		con, err := st.People.AddConsent(ctx, fx.trainer, p.ID, birge.Consent{Purpose: "story", Channel: "paper", GivenOn: "2026-01-05"})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.People.WithdrawConsent(ctx, fx.admin, p.ID, con.ID, "2026-01-06"); err != nil {
			t.Fatal(err)
		}
		rel, err := st.People.AddRelation(ctx, fx.trainer, p.ID, son.ID, "child")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.People.RevealIdentity(ctx, fx.admin, p.ID); err != nil {
			t.Fatal(err)
		}
		if err := st.People.RemoveRelation(ctx, fx.trainer, son.ID, rel.ID); err != nil { // from his side
			t.Fatal(err)
		}

		admin := []step{
			{kind: "relation_removed", relation: "child Ким Тимур"},
			{kind: "reveal_id"},
			{kind: "relation", relation: "child Ким Тимур"},
			{kind: "consent_withdrawn", purpose: "story"},
			{kind: "consent", purpose: "story"},
			{kind: "update", fields: "categories phones sensitive_categories"},
			{kind: "update", fields: "sensitive_categories"},
			{kind: "update", fields: "settlement"},
			{kind: "create"},
		}
		if got := stepsOf(timeline(t, st, fx.admin, p.ID)); !reflect.DeepEqual(got, admin) {
			t.Errorf("the administrator's timeline:\n got %v\nwant %v", got, admin)
		}
		// The trainer sees the same, less the sensitive category: the change of it alone
		// is gone, and the change beside the phone names only what she may see.
		trainer := append(admin[:5:5], step{kind: "update", fields: "categories phones"}, admin[7], admin[8])
		events := timeline(t, st, fx.trainer, p.ID)
		if got := stepsOf(events); !reflect.DeepEqual(got, trainer) {
			t.Errorf("the trainer's timeline:\n got %v\nwant %v", got, trainer)
		}
		for i, e := range events {
			if e.Actor == "" || e.At.IsZero() || i > 0 && e.At.After(events[i-1].At) {
				t.Errorf("event %d (%s): actor %q at %v, after %v", i, e.Kind, e.Actor, e.At, events[max(i-1, 0)].At)
			}
		}
		if events[0].Actor != "Айжан Алжанова" || events[1].Actor != "Әсел Админова" {
			t.Errorf("who: %q, %q", events[0].Actor, events[1].Actor)
		}
		// His timeline tells the same link from his side.
		want := []step{{kind: "relation_removed", relation: "parent Ким Ольга"}, {kind: "relation", relation: "parent Ким Ольга"}, {kind: "create"}}
		if got := stepsOf(timeline(t, st, fx.trainer, son.ID)); !reflect.DeepEqual(got, want) {
			t.Errorf("his timeline:\n got %v\nwant %v", got, want)
		}
		// Out of sight, her timeline does not exist.
		if _, err := st.People.Timeline(ctx, fx.coord, p.ID, "", 10); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("the Aktobe coordinator reads her timeline: %v", err)
		}
		for _, bad := range []string{"audit", "audit:x", "audit:-3", "cases:5", "audit:5,", "audit:5;drop"} {
			if _, err := st.People.Timeline(ctx, fx.admin, p.ID, bad, 10); birge.AsError(err).Fields["before"] != "api.cursor" {
				t.Errorf("cursor %q: %v", bad, err)
			}
		}
	})
}

// Pages follow one another without gaps or repeats, and are full even where many
// entries in a row are hidden from the viewer.
func TestPersonTimelinePages(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		p := fx.register(t, fx.admin, birge.Person{CenterID: fx.almaty.ID, GivenName: "Ольга"})
		for i := range 24 {
			cur, err := st.People.Get(ctx, fx.admin, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if i%6 < 4 { // four sensitive-only changes, then two the trainer sees
				cur.Categories = map[bool][]string{true: {"dv_survivor"}, false: nil}[len(cur.Categories) == 0]
			} else {
				cur.CallTimes = strings.Repeat("9", i)
			}
			if _, err := st.People.Update(ctx, fx.admin, cur); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []struct {
			who  *birge.Actor
			page int
			want int
		}{{fx.admin, 7, 25}, {fx.trainer, 3, 9}, {fx.trainer, 1, 9}} {
			all := timeline(t, st, c.who, p.ID)
			if len(all) != c.want {
				t.Fatalf("%d events in one page, want %d", len(all), c.want)
			}
			var paged []store.TimelineEvent
			before := ""
			for range 30 {
				page, err := st.People.Timeline(ctx, c.who, p.ID, before, c.page)
				if err != nil {
					t.Fatal(err)
				}
				if len(page) < c.page && len(paged)+len(page) != len(all) {
					t.Fatalf("a page of %d after %d events, short before the end (%d)", len(page), len(paged), len(all))
				}
				if len(page) == 0 {
					break
				}
				paged, before = append(paged, page...), page[len(page)-1].Cursor
			}
			if !reflect.DeepEqual(paged, all) {
				t.Errorf("pages of %d put together differ from one page:\n got %v\nwant %v", c.page, stepsOf(paged), stepsOf(all))
			}
		}
	})
}

// Relations are made and undone by those who manage her; a relative out of the
// actor's sight is refused exactly like one who does not exist.
func TestRelations(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		mother := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, FamilyName: "Омарова", GivenName: "Динара"})
		child := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, FamilyName: "Омарова", GivenName: "Аружан"})
		elsewhere := fx.register(t, fx.admin, birge.Person{CenterID: fx.almaty.ID, FamilyName: "Ким", GivenName: "Ольга"})

		rel, err := st.People.AddRelation(ctx, fx.coord, mother.ID, child.ID, "child")
		if err != nil || rel.ID == 0 || rel.OtherID != child.ID || rel.Kind != "child" || rel.Name != "Омарова Аружан" {
			t.Fatalf("add: %+v, %v", rel, err)
		}
		relations := func(id int64) []birge.Relation {
			t.Helper()
			p, err := st.People.Get(ctx, fx.admin, id)
			if err != nil {
				t.Fatal(err)
			}
			return p.Relations
		}
		if got := relations(mother.ID); len(got) != 1 || got[0] != rel {
			t.Errorf("her relations: %+v, want %+v", got, rel)
		}
		if got := relations(child.ID); len(got) != 1 || got[0].OtherID != mother.ID || got[0].Kind != "parent" {
			t.Errorf("the child's relations: %+v", got)
		}

		for _, c := range []struct {
			what          string
			who           *birge.Actor
			person, other int64
			kind          string
			want          birge.Problems
		}{
			{"herself", fx.coord, mother.ID, mother.ID, "spouse", birge.Problems{"other_id": "person.relation_self"}},
			{"no such person", fx.coord, mother.ID, 1 << 40, "spouse", birge.Problems{"other_id": "field.choose"}},
			{"out of sight", fx.coord, mother.ID, elsewhere.ID, "spouse", birge.Problems{"other_id": "field.choose"}},
			{"linked already", fx.coord, mother.ID, child.ID, "child", birge.Problems{"other_id": "relation.exists"}},
			{"linked already, from the other side", fx.coord, child.ID, mother.ID, "guardian", birge.Problems{"other_id": "relation.exists"}},
			{"unknown kind", fx.coord, child.ID, elsewhere.ID, "aunt", birge.Problems{"kind": "field.choose", "other_id": "field.choose"}},
			{"no kind", fx.admin, child.ID, elsewhere.ID, "", birge.Problems{"kind": "field.choose"}},
		} {
			_, err := st.People.AddRelation(ctx, c.who, c.person, c.other, c.kind)
			if e := birge.AsError(err); e.Kind != birge.KindInvalid || !reflect.DeepEqual(e.Fields, map[string]string(c.want)) {
				t.Errorf("%s: %v, want %v", c.what, err, c.want)
			}
		}
		for _, who := range []*birge.Actor{fx.caseworker, fx.trainer, fx.analyst} { // she is out of their sight
			if _, err := st.People.AddRelation(ctx, who, mother.ID, child.ID, "child"); birge.KindOf(err) != birge.KindNotFound {
				t.Errorf("%s adds a relation: %v", who.Name, err)
			}
			if err := st.People.RemoveRelation(ctx, who, mother.ID, rel.ID); birge.KindOf(err) != birge.KindNotFound {
				t.Errorf("%s removes a relation: %v", who.Name, err)
			}
		}
		if got := relations(mother.ID); len(got) != 1 {
			t.Errorf("refused changes were written: %+v", got)
		}

		// The administrator links her to someone the coordinator cannot see: the
		// coordinator sees the link by its kind only, and may undo it.
		hidden, err := st.People.AddRelation(ctx, fx.admin, mother.ID, elsewhere.ID, "spouse")
		if err != nil {
			t.Fatal(err)
		}
		p, err := st.People.Get(ctx, fx.coord, mother.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Relations) != 2 || p.Relations[1].ID != hidden.ID || p.Relations[1].OtherID != 0 || p.Relations[1].Name != "" {
			t.Errorf("the coordinator sees her relations as %+v", p.Relations)
		}
		if e := timeline(t, st, fx.coord, mother.ID)[0]; e.Relation == nil || *e.Relation != (birge.Relation{Kind: "spouse"}) {
			t.Errorf("the coordinator's timeline tells of the hidden relative as %+v", e.Relation)
		}
		if err := st.People.RemoveRelation(ctx, fx.coord, mother.ID, hidden.ID); err != nil {
			t.Errorf("the coordinator removes the hidden link: %v", err)
		}
		// A relation is removed from either side, once, and only through one of its people.
		if err := st.People.RemoveRelation(ctx, fx.admin, elsewhere.ID, rel.ID); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("removing another pair's relation: %v", err)
		}
		if err := st.People.RemoveRelation(ctx, fx.coord, child.ID, rel.ID); err != nil {
			t.Fatal(err)
		}
		if err := st.People.RemoveRelation(ctx, fx.coord, child.ID, rel.ID); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("removing it twice: %v", err)
		}
		if a, b := relations(mother.ID), relations(child.ID); len(a)+len(b) != 0 {
			t.Errorf("after removal: %+v, %+v", a, b)
		}
	})
}

// The timeline reads a range of the audit log's index on (entity, entity_id, seq), so a
// page costs the same however long her history and however large the log.
func TestTimelineUsesIndex(t *testing.T) {
	st := testenv.Open(t, testenv.Database{Name: "sqlite", DataDir: t.TempDir()})
	plan, err := store.TimelinePlan(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "USING INDEX audit_entity_seq (entity=? AND entity_id=? AND seq<?)") || strings.Contains(plan, "TEMP B-TREE") {
		t.Errorf("the timeline's query plan: %s", plan)
	}
}
