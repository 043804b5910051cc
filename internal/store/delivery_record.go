package store

import (
	"context"
	"errors"
	"slices"

	"github.com/birge-org/birge/internal/birge"
)

// Record records a service given to a woman by hand.
func (deliveries *Deliveries) Record(ctx context.Context, a *birge.Actor, d birge.Delivery) (birge.Delivery, error) {
	err := deliveries.s.tx(ctx, func(c q) error {
		var err error
		d.Source, d.SourceID = birge.SourceManual, 0
		d, err = deliveries.recordIn(ctx, c, a, d)
		return err
	})
	return d, err
}

// RecordMany records several deliveries, all or none: a mistake in any refuses them all,
// each problem named by its item (items[3].date). Ten thousand at once are checked with
// each woman, kind list, programme and staff member read once, and written as a few
// multi-row INSERTs with their sealed audit entries (issue 10: 2 s for 10,000).
func (deliveries *Deliveries) RecordMany(ctx context.Context, a *birge.Actor, list []birge.Delivery) ([]birge.Delivery, error) {
	var out []birge.Delivery
	err := deliveries.s.tx(ctx, func(c q) error {
		b := deliveries.batch(a)
		if err := b.readPeople(ctx, c, list); err != nil {
			return err
		}
		pr := birge.Problems{}
		for i, d := range list {
			d.Source, d.SourceID = birge.SourceManual, 0
			if err := itemProblems(pr, i, b.add(ctx, c, d)); err != nil {
				return err
			}
		}
		// Every item is checked before any is written, so that every problem is named at
		// once and nothing is half applied.
		if err := pr.Err(); err != nil {
			return err
		}
		var err error
		out, err = b.write(ctx, c)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// recordIn records a delivery inside the caller's transaction: a module that serves her
// (a training's attendance, a grant's payment) writes its own record and her delivery
// with the same c, so the two are committed together or not at all. d.Source names the
// module and d.SourceID its record. The actor must hold delivery.record in her centre.
func (deliveries *Deliveries) recordIn(ctx context.Context, c q, a *birge.Actor, d birge.Delivery) (birge.Delivery, error) {
	b := deliveries.batch(a)
	if err := b.add(ctx, c, d); err != nil {
		return d, err
	}
	out, err := b.write(ctx, c)
	if err != nil {
		return d, err
	}
	return out[0], nil
}

// deliveryBatch checks deliveries one by one and writes them together, in one
// transaction, remembering what it read: what is true of a woman or a programme for the
// first of her deliveries is true for the rest in the same transaction.
type deliveryBatch struct {
	deliveries   *Deliveries
	a            *birge.Actor
	people       map[int64]personLookup
	kinds        map[int64]birge.DeliveryKindList
	programs     map[int64]programLookup
	participants map[[2]int64]bool // (programme, person) → she takes part
	staff        map[int64]bool
	list         []birge.Delivery
}

type personLookup struct {
	her personRow
	err error
}

type programLookup struct {
	p   birge.Program
	err error
}

func (deliveries *Deliveries) batch(a *birge.Actor) *deliveryBatch {
	return &deliveryBatch{deliveries: deliveries, a: a, people: map[int64]personLookup{},
		kinds: map[int64]birge.DeliveryKindList{}, programs: map[int64]programLookup{},
		participants: map[[2]int64]bool{}, staff: map[int64]bool{}}
}

// readPeople reads the women the deliveries are for, a few hundred a query rather than
// one each; those it does not find are looked for again, one by one, by add.
func (b *deliveryBatch) readPeople(ctx context.Context, c q, list []birge.Delivery) error {
	var ids []any
	seen := map[int64]bool{}
	for _, d := range list {
		if !seen[d.PersonID] {
			seen[d.PersonID] = true
			ids = append(ids, d.PersonID)
		}
	}
	return inChunks(ids, func(chunk []any) error {
		rows, err := c.query(ctx, `SELECT `+personColumns+` FROM people p WHERE p.id IN (`+placeholders(len(chunk))+`)
			AND p.merged_into IS NULL AND p.anonymized_at IS NULL`, chunk...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			her, err := scanPerson(rows)
			if err != nil {
				return err
			}
			if b.a.Can(birge.PermPersonView, her.OrgID, her.CenterID) {
				b.people[her.ID] = personLookup{her: her}
			}
		}
		return rows.Err()
	})
}

// add checks a delivery to a woman the actor may record for, and keeps it to be written.
func (b *deliveryBatch) add(ctx context.Context, c q, d birge.Delivery) error {
	her, ok := b.people[d.PersonID]
	if !ok {
		her.her, her.err = b.deliveries.s.People.visiblePerson(ctx, c, b.a, d.PersonID)
		b.people[d.PersonID] = her
	}
	if her.err != nil {
		return her.err
	}
	if !b.a.Can(birge.PermDeliveryRecord, her.her.OrgID, her.her.CenterID) {
		return birge.ErrForbidden
	}
	d.ID, d.OrgID, d.CenterID = 0, her.her.OrgID, her.her.CenterID
	if d.StaffID == 0 {
		d.StaffID = b.a.UserID
	}
	if err := b.check(ctx, c, her.her, &d); err != nil {
		return err
	}
	b.list = append(b.list, d)
	return nil
}

// write inserts the deliveries added, with one audit entry each, sealed with her key,
// adds them to their programmes' totals, and returns them as recorded.
func (b *deliveryBatch) write(ctx context.Context, c q) ([]birge.Delivery, error) {
	if err := b.insert(ctx, c); err != nil {
		return nil, err
	}
	if err := addTotals(ctx, c, b.list, 1); err != nil {
		return nil, err
	}
	events := make([]event, len(b.list))
	for i, d := range b.list {
		events[i] = event{action: birge.ActionCreate, entity: birge.EntityDelivery, entityID: d.ID,
			orgID: d.OrgID, centerID: d.CenterID, changes: birge.Diff(nil, deliveryFields(d))}
	}
	return b.list, b.deliveries.s.auditMany(ctx, c, b.a, events)
}

// insert writes the deliveries added, with their ids taken beforehand, in multi-row
// INSERTs.
func (b *deliveryBatch) insert(ctx context.Context, c q) error {
	s := b.deliveries.s
	ids, err := s.reserveIDs(ctx, c, "deliveries", len(b.list))
	if err != nil {
		return err
	}
	now := s.now()
	rows := make([][]any, len(b.list))
	for i := range b.list {
		d := &b.list[i]
		d.ID, d.CreatedAt, d.UpdatedAt = ids[i], now, now
		q, currency := amount(*d)
		var source any
		if d.SourceID != 0 {
			source = d.SourceID
		}
		rows[i] = []any{d.ID, d.OrgID, d.CenterID, d.PersonID, d.ProgramID, d.Date, d.Time, d.Kind, q, d.Unit,
			currency, nullID(d.StaffID), d.Note, d.Source, source, now, now}
	}
	return insertRows(ctx, c, "deliveries", deliveryInsertColumns, rows)
}

var deliveryInsertColumns = []string{"id", "org_id", "center_id", "person_id", "program_id", "date", "time", "kind",
	"quantity", "unit", "currency", "staff_id", "note", "source", "source_id", "created_at", "updated_at"}

// check validates one delivery to her, as Update does.
func (deliveries *Deliveries) check(ctx context.Context, c q, a *birge.Actor, her personRow, d *birge.Delivery) error {
	return deliveries.batch(a).check(ctx, c, her, d)
}

// check validates a delivery to her: its fields, its staff member, and its programme,
// which must be one she takes part in or one running in her centre (or the whole
// organisation), and one whose people the actor may see.
func (b *deliveryBatch) check(ctx context.Context, c q, her personRow, d *birge.Delivery) error {
	kinds, ok := b.kinds[her.OrgID]
	if !ok {
		var err error
		if kinds, err = b.deliveries.kinds(ctx, c, her.OrgID); err != nil {
			return err
		}
		b.kinds[her.OrgID] = kinds
	}
	verr := d.Validate(kinds, b.a.Today(b.deliveries.s.now()))
	pr := birge.Problems{}
	var e *birge.Error
	if errors.As(verr, &e) {
		pr = e.Fields
	} else if verr != nil {
		return verr
	}
	if d.StaffID != 0 {
		known, ok := b.staff[d.StaffID]
		if !ok {
			var n int
			if err := c.row(ctx, `SELECT COUNT(*) FROM users WHERE id = ?`, d.StaffID).Scan(&n); err != nil {
				return err
			}
			known, b.staff[d.StaffID] = n > 0, n > 0
		}
		if !known {
			pr.Add("staff_id", "field.choose")
		}
	}
	if d.ProgramID != nil {
		ok, err := b.programOpen(ctx, c, her, *d.ProgramID)
		if err != nil {
			return err
		}
		if !ok {
			pr.Add("program_id", "field.choose")
		}
	}
	return pr.Err()
}

// programOpen reports whether a delivery to her may be recorded in a programme.
func (b *deliveryBatch) programOpen(ctx context.Context, c q, her personRow, id int64) (bool, error) {
	got, ok := b.programs[id]
	if !ok {
		got.p, got.err = b.deliveries.s.Programs.get(ctx, c, b.a, birge.PermProgramView, id)
		b.programs[id] = got
	}
	p, err := got.p, got.err
	if birge.KindOf(err) == birge.KindNotFound || birge.KindOf(err) == birge.KindForbidden {
		return false, nil
	}
	if err != nil || p.OrgID != her.OrgID || !seesSensitive(b.a, her, p.Sensitive) {
		return false, err
	}
	if len(p.CenterIDs) == 0 || slices.Contains(p.CenterIDs, her.CenterID) {
		return true, nil
	}
	key := [2]int64{id, her.ID}
	takes, ok := b.participants[key]
	if !ok {
		var n int
		if err := c.row(ctx, `SELECT COUNT(*) FROM program_participants WHERE program_id = ? AND person_id = ?`,
			id, her.ID).Scan(&n); err != nil {
			return false, err
		}
		takes, b.participants[key] = n > 0, n > 0
	}
	return takes, nil
}
