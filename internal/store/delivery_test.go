package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

func session(personID int64, date string) birge.Delivery {
	return birge.Delivery{PersonID: personID, Date: date, Kind: "consultation", Quantity: 1, Unit: "sessions", Note: "Кеңес берілді"}
}

// TestDeliveries: recorded and listed; out of sight not found; many at once all or
// none, a mistake named by its item; a module's delivery is never edited as one.
func TestDeliveries(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		her := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Айгүл", FamilyName: "Сейтова"})
		// The case worker of Kargaly does not find a woman of Aktobe.
		if _, err := st.Deliveries.Record(ctx, fx.caseworker, session(her.ID, "2026-05-02")); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("case worker of another centre records: %v, want not found", err)
		}
		d, err := st.Deliveries.Record(ctx, fx.coord, session(her.ID, "2026-05-02"))
		if err != nil || d.Source != "manual" || d.CenterID != fx.aktobe.ID {
			t.Fatalf("record: %+v, %v", d, err)
		}
		pay := birge.Delivery{PersonID: her.ID, Date: "2026-05-03", Kind: "grant_payment", Unit: "money",
			Money: &birge.Money{Amount: 15000000, Currency: "KZT"}}
		if _, err := st.Deliveries.Record(ctx, fx.coord, pay); err != nil {
			t.Fatalf("record a payment: %v", err)
		}
		list, err := st.Deliveries.List(ctx, fx.coord, store.DeliveryFilter{PersonID: her.ID})
		if err != nil || len(list) != 2 || list[1].Money == nil || list[1].Money.Amount != 15000000 {
			t.Fatalf("her deliveries: %+v, %v", list, err)
		}
		// The trainer of another organisation neither records nor finds them.
		if _, err := st.Deliveries.Record(ctx, fx.trainer, session(her.ID, "2026-05-02")); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("trainer elsewhere records: %v, want not found", err)
		}
		if _, err := st.Deliveries.Get(ctx, fx.trainer, d.ID); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("trainer elsewhere opens: %v, want not found", err)
		}
		if l, _ := st.Deliveries.List(ctx, fx.trainer, store.DeliveryFilter{PersonID: her.ID}); len(l) != 0 {
			t.Errorf("trainer elsewhere lists %d", len(l))
		}
		// Many at once: the fourth is dated tomorrow, so none is recorded.
		many := []birge.Delivery{session(her.ID, "2026-05-04"), session(her.ID, "2026-05-05"),
			session(her.ID, "2026-05-06"), session(her.ID, "2099-01-01")}
		_, err = st.Deliveries.RecordMany(ctx, fx.coord, many)
		if got := birge.AsError(err); got == nil || got.Fields["items[3].date"] == "" || len(got.Fields) != 1 {
			t.Errorf("many with a bad fourth: %v, want items[3].date", err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM deliveries WHERE person_id = `+itoa(her.ID)); n != 2 {
			t.Errorf("%d deliveries after a refused batch, want 2", n)
		}
		many[3].Date = "2026-05-07"
		if got, err := st.Deliveries.RecordMany(ctx, fx.coord, many); err != nil || len(got) != 4 {
			t.Errorf("many: %v, %v", got, err)
		}
		// A module's delivery changes with the module's record only.
		if _, err := store.ExecArgs(ctx, st, `UPDATE deliveries SET source = 'training' WHERE id = ?`, d.ID); err != nil {
			t.Fatal(err)
		}
		if err := st.Deliveries.Delete(ctx, fx.coord, d.ID); birge.KindOf(err) != birge.KindConflict {
			t.Errorf("deleting a module's delivery: %v, want conflict", err)
		}
		d.Quantity = 3
		if _, err := st.Deliveries.Update(ctx, fx.coord, d); birge.KindOf(err) != birge.KindConflict {
			t.Errorf("changing a module's delivery: %v, want conflict", err)
		}
		if err := st.Deliveries.Delete(ctx, fx.coord, list[1].ID); err != nil {
			t.Errorf("deleting a manual one: %v", err)
		}
	})
}

// TestDeliveriesFollowHer: merge moves her deliveries and undo brings them back;
// anonymisation keeps them, for the counts, without their notes.
func TestDeliveriesFollowHer(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		kept := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Айгүл", FamilyName: "Сейтова"})
		other := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Айгуль", FamilyName: "Сеитова"})
		for _, id := range []int64{kept.ID, other.ID} {
			if _, err := st.Deliveries.Record(ctx, fx.coord, session(id, "2026-05-02")); err != nil {
				t.Fatal(err)
			}
		}
		count := func(id int64) int {
			l, err := st.Deliveries.List(ctx, fx.coord, store.DeliveryFilter{PersonID: id})
			if err != nil {
				t.Fatal(err)
			}
			return len(l)
		}
		m, err := st.People.Merge(ctx, fx.coord, kept.ID, other.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if n := count(kept.ID); n != 2 {
			t.Errorf("after the merge she has %d deliveries, want 2", n)
		}
		if err := st.People.UndoMerge(ctx, fx.coord, kept.ID, m.ID); err != nil {
			t.Fatal(err)
		}
		if a, b := count(kept.ID), count(other.ID); a != 1 || b != 1 {
			t.Errorf("after undo: %d and %d, want 1 and 1", a, b)
		}
		if err := st.People.Anonymise(ctx, fx.coord, kept.ID); err != nil {
			t.Fatal(err)
		}
		n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM deliveries WHERE person_id = `+itoa(kept.ID)+` AND note = ''`)
		if n != 1 {
			t.Errorf("after anonymisation %d of her deliveries remain without note, want 1", n)
		}
	})
}

// TestSensitiveProgramDeliveries: a trainer never sees services given in a survivors'
// programme; the administrator does.
func TestSensitiveProgramDeliveries(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		p := counselling(fx.almaty.OrgID, fx.almaty.ID)
		p.Categories, p.Sensitive = nil, true
		survivors := fx.program(t, fx.admin, p)
		woman := fx.register(t, fx.admin, birge.Person{CenterID: fx.almaty.ID, GivenName: "Мадина", FamilyName: "Ким"})
		d := session(woman.ID, "2026-05-02")
		d.ProgramID = &survivors.ID
		d, err := st.Deliveries.Record(ctx, fx.admin, d)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Deliveries.Record(ctx, fx.trainer, session(woman.ID, "2026-05-03")); err != nil {
			t.Fatal(err)
		}
		if l, _ := st.Deliveries.List(ctx, fx.trainer, store.DeliveryFilter{PersonID: woman.ID}); len(l) != 1 || l[0].ProgramID != nil {
			t.Errorf("trainer lists %+v, want only the one outside the programme", l)
		}
		if _, err := st.Deliveries.Get(ctx, fx.trainer, d.ID); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("trainer opens the survivors' delivery: %v", err)
		}
		if l, _ := st.Deliveries.List(ctx, fx.admin, store.DeliveryFilter{PersonID: woman.ID}); len(l) != 2 {
			t.Errorf("administrator lists %d, want 2", len(l))
		}
	})
}

// totalsAstray counts the rows of delivery_totals that are not what the deliveries add
// up to, either way.
func totalsAstray(t *testing.T, st *store.Store) int {
	t.Helper()
	const totals = `SELECT program_id, date, kind, unit, currency, deliveries, quantity FROM delivery_totals WHERE deliveries <> 0`
	const counted = `SELECT program_id, date, kind, unit, currency, COUNT(*), SUM(quantity) FROM deliveries
		WHERE program_id IS NOT NULL GROUP BY program_id, date, kind, unit, currency`
	n, err := store.QueryInt(context.Background(), st, `SELECT (SELECT COUNT(*) FROM (`+totals+` EXCEPT `+counted+`) a) +
		(SELECT COUNT(*) FROM (`+counted+` EXCEPT `+totals+`) b)`)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestDeliveryTotals: the programmes' totals by day, kind and unit, which the indicators
// add up, stay what the deliveries count through every way of writing them: one, many,
// a change of programme, day, kind or unit, a deletion, and a merge of two women.
func TestDeliveryTotals(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		if n := totalsAstray(t, st); n != 0 {
			t.Fatalf("the demo's totals: %d rows astray", n)
		}
		prog := fx.program(t, fx.fpcAdmin, counselling(fx.aktobe.OrgID, fx.aktobe.ID))
		other := fx.program(t, fx.fpcAdmin, counselling(fx.aktobe.OrgID, fx.aktobe.ID))
		her := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Айгүл", FamilyName: "Сейтова"})
		twin := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Айгуль", FamilyName: "Сеитова"})
		in := func(d birge.Delivery, p int64) birge.Delivery { d.ProgramID = &p; return d }
		one, err := st.Deliveries.Record(ctx, fx.coord, in(session(her.ID, "2026-05-02"), prog.ID))
		if err != nil {
			t.Fatal(err)
		}
		many, err := st.Deliveries.RecordMany(ctx, fx.coord, []birge.Delivery{in(session(her.ID, "2026-05-02"), prog.ID),
			in(session(twin.ID, "2026-05-02"), prog.ID), in(session(twin.ID, "2026-05-03"), other.ID), session(her.ID, "2026-05-04")})
		if err != nil {
			t.Fatal(err)
		}
		one.ProgramID, one.Date, one.Kind, one.Unit, one.Quantity, one.Money = &other.ID, "2026-05-09", "grant_payment", "money", 0,
			&birge.Money{Amount: 500000, Currency: "KZT"}
		if _, err := st.Deliveries.Update(ctx, fx.coord, one); err != nil {
			t.Fatal(err)
		}
		if err := st.Deliveries.Delete(ctx, fx.coord, many[1].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := st.People.Merge(ctx, fx.coord, her.ID, twin.ID, nil); err != nil {
			t.Fatal(err)
		}
		if n := totalsAstray(t, st); n != 0 {
			t.Errorf("%d rows of the totals astray", n)
		}
		// A refused batch leaves them as they were.
		if _, err := st.Deliveries.RecordMany(ctx, fx.coord, []birge.Delivery{in(session(her.ID, "2026-05-02"), prog.ID),
			in(session(her.ID, "2099-05-02"), prog.ID)}); err == nil {
			t.Fatal("a delivery dated 2099 was recorded")
		}
		if n := totalsAstray(t, st); n != 0 {
			t.Errorf("after a refused batch %d rows of the totals astray", n)
		}
	})
}

// TestDeliveryDeletedOnce: three deletions of one delivery at once (a double-click, a
// retried request) delete it once, and its programme's totals lose it once.
func TestDeliveryDeletedOnce(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		prog := fx.program(t, fx.fpcAdmin, counselling(fx.aktobe.OrgID, fx.aktobe.ID))
		her := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Айгүл", FamilyName: "Сейтова"})
		for range 5 {
			d := session(her.ID, "2026-05-02")
			d.ProgramID = &prog.ID
			d, err := st.Deliveries.Record(ctx, fx.coord, d)
			if err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			var deleted atomic.Int32
			for range 3 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if err := st.Deliveries.Delete(ctx, fx.coord, d.ID); err == nil {
						deleted.Add(1)
					} else if birge.KindOf(err) != birge.KindNotFound {
						t.Errorf("a deletion at once: %v", err)
					}
				}()
			}
			wg.Wait()
			if n := deleted.Load(); n != 1 {
				t.Errorf("deleted %d times, want once", n)
			}
		}
		if n := totalsAstray(t, st); n != 0 {
			t.Errorf("%d rows of the totals astray", n)
		}
	})
}

// TestDeliveryTotalsNeverWrap: payments that would make a day's total in a programme more
// than the databases' sums can hold are refused, never wrapped round to a negative sum.
func TestDeliveryTotalsNeverWrap(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		prog := fx.program(t, fx.fpcAdmin, counselling(fx.aktobe.OrgID, fx.aktobe.ID))
		her := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Айгүл", FamilyName: "Сейтова"})
		pay := birge.Delivery{PersonID: her.ID, ProgramID: &prog.ID, Date: "2026-05-02", Kind: "grant_payment", Unit: "money",
			Money: &birge.Money{Amount: birge.MaxMinorUnits, Currency: "KZT"}}
		_, err := st.Deliveries.RecordMany(ctx, fx.coord, []birge.Delivery{pay, pay})
		if birge.AsError(err) == nil || birge.AsError(err).Fields["money.amount"] == "" {
			t.Errorf("two payments of the largest amount on one day: %v, want a problem with money.amount", err)
		}
		if _, err := st.Deliveries.Record(ctx, fx.coord, pay); err != nil {
			t.Fatalf("one payment of the largest amount: %v", err)
		}
		if n := totalsAstray(t, st); n != 0 {
			t.Errorf("%d rows of the totals astray", n)
		}
	})
}
