package store

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/birge-org/birge/internal/birge"
)

// Generated deliveries, for trying the platform at a network's size (`birge demo
// --deliveries`): millions of rows in minutes. They go through here, never around the
// store, and are checked as recorded ones are; only the installation's own system actor
// may write them.

// DeliveryTarget is what a generator knows of a woman it makes deliveries for.
type DeliveryTarget struct {
	PersonID, OrgID, CenterID int64
}

// generatedPeople is how many people are read and served at a time: about 20,000
// deliveries at the demo's five a woman.
const generatedPeople = 4000

// Generate asks gen, for every person not merged away or anonymised, in order of id,
// what she was given, and writes it, all in one transaction. progress gets the number of
// deliveries written so far; the total is returned.
//
// The deliveries' indexes are dropped first and built again at the end, in the same
// transaction, so that a failure leaves them as they were. Kept up row by row, indexes
// keyed by day are written at random places: on SQLite, 5 million deliveries then rewrote
// some 25 GB of index pages and took over 7 minutes; built at the end, each is sorted
// once.
//
// Each few thousand people get one audit entry per organisation, counting the deliveries
// made and naming their first and last ids, instead of one sealed entry per delivery as
// Record writes: the log says honestly that they were generated, and sealing five million
// entries with the keys of women who do not exist would take most of the time.
func (deliveries *Deliveries) Generate(ctx context.Context, a *birge.Actor, gen func(her DeliveryTarget) []birge.Delivery,
	progress func(done int)) (int, error) {
	if a.UserID != 0 {
		return 0, birge.ErrForbidden
	}
	total := 0
	err := deliveries.s.tx(ctx, func(c q) error {
		indexes, err := deliveries.dropIndexes(ctx, c)
		if err != nil {
			return err
		}
		for after := int64(0); ; {
			var n int
			if n, after, err = deliveries.generate(ctx, c, a, after, gen); err != nil {
				return err
			}
			if after == 0 {
				break
			}
			total += n
			progress(total)
		}
		for _, create := range indexes {
			if _, err := c.exec(ctx, create); err != nil {
				return err
			}
		}
		return rebuildTotals(ctx, c)
	})
	if err != nil {
		return 0, err
	}
	return total, nil
}

// dropIndexes drops the deliveries' indexes (but the primary key) and returns the
// statements that create them again, as the database holds them.
func (deliveries *Deliveries) dropIndexes(ctx context.Context, c q) ([]string, error) {
	query := `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'deliveries' AND sql IS NOT NULL`
	if deliveries.s.d.name == "postgres" {
		query = `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'deliveries' AND indexname <> 'deliveries_pkey'`
	}
	rows, err := c.query(ctx, query)
	if err != nil {
		return nil, err
	}
	var names, creates []string
	for rows.Next() {
		var name, create string
		if err := rows.Scan(&name, &create); err != nil {
			rows.Close()
			return nil, err
		}
		names, creates = append(names, name), append(creates, create)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, name := range names {
		if _, err := c.exec(ctx, `DROP INDEX `+name); err != nil {
			return nil, err
		}
	}
	return creates, nil
}

// generate serves the people after the id after, returning how many deliveries it wrote
// and the last person's id (0 when none were left).
func (deliveries *Deliveries) generate(ctx context.Context, c q, a *birge.Actor, after int64,
	gen func(DeliveryTarget) []birge.Delivery) (int, int64, error) {
	rows, err := c.query(ctx, `SELECT id, org_id, center_id FROM people
		WHERE id > ? AND merged_into IS NULL AND anonymized_at IS NULL ORDER BY id LIMIT `+itoa(generatedPeople), after)
	if err != nil {
		return 0, 0, err
	}
	var people []DeliveryTarget
	for rows.Next() {
		var t DeliveryTarget
		if err := rows.Scan(&t.PersonID, &t.OrgID, &t.CenterID); err != nil {
			rows.Close()
			return 0, 0, err
		}
		people = append(people, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(people) == 0 {
		return 0, 0, err
	}
	b := deliveries.batch(a)
	for _, t := range people {
		her := personRow{Person: birge.Person{ID: t.PersonID, OrgID: t.OrgID, CenterID: t.CenterID}}
		for _, d := range gen(t) {
			d.PersonID, d.OrgID, d.CenterID, d.Source, d.SourceID = t.PersonID, t.OrgID, t.CenterID, birge.SourceManual, 0
			if err := b.check(ctx, c, her, &d); err != nil {
				return 0, 0, fmt.Errorf("generated delivery to person %d: %w", t.PersonID, err)
			}
			b.list = append(b.list, d)
		}
	}
	last := people[len(people)-1].PersonID
	if len(b.list) == 0 {
		return 0, last, nil
	}
	if err := b.insert(ctx, c); err != nil {
		return 0, 0, err
	}
	type span struct{ count, first, last int64 }
	spans := map[int64]*span{}
	for _, d := range b.list {
		if sp := spans[d.OrgID]; sp != nil {
			sp.count, sp.last = sp.count+1, d.ID
		} else {
			spans[d.OrgID] = &span{1, d.ID, d.ID}
		}
	}
	var events []event
	for _, org := range slices.Sorted(maps.Keys(spans)) {
		sp := spans[org]
		events = append(events, event{action: birge.ActionImport, entity: birge.EntityDelivery, orgID: org,
			changes: map[string]birge.Change{"generated": {After: sp.count}, "first_id": {After: sp.first},
				"last_id": {After: sp.last}}})
	}
	return len(b.list), last, deliveries.s.auditMany(ctx, c, a, events)
}
