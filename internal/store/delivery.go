package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/birge-org/birge/internal/birge"
)

// Deliveries is the store's view for service deliveries: each service given to a woman,
// recorded by hand (Record) or by the module that gave it (recordIn). Who sees them
// follows who sees her: person.view in her centre and, for a delivery in a sensitive
// programme, person.sensitive there too (decision 0019).
type Deliveries struct{ s *Store }

const deliveryColumns = `d.id, d.org_id, d.center_id, d.person_id, d.program_id, d.date, d.time, d.kind,
	d.quantity, d.unit, d.currency, d.staff_id, d.note, d.source, d.source_id, d.created_at, d.updated_at`

func scanDelivery(row interface{ Scan(...any) error }) (birge.Delivery, error) {
	var d birge.Delivery
	var program, staff, source sql.NullInt64
	var currency string
	err := row.Scan(&d.ID, &d.OrgID, &d.CenterID, &d.PersonID, &program, &d.Date, &d.Time, &d.Kind,
		&d.Quantity, &d.Unit, &currency, &staff, &d.Note, &d.Source, &source, &d.CreatedAt, &d.UpdatedAt)
	if program.Valid {
		d.ProgramID = &program.Int64
	}
	if d.Unit == "money" {
		d.Money, d.Quantity = &birge.Money{Amount: d.Quantity, Currency: currency}, 0
	}
	d.StaffID, d.SourceID = staff.Int64, source.Int64
	d.CreatedAt, d.UpdatedAt = d.CreatedAt.UTC(), d.UpdatedAt.UTC()
	return d, err
}

// amount is what the quantity column holds: hours, sessions or minor units.
func amount(d birge.Delivery) (int64, string) {
	if d.Money != nil {
		return d.Money.Amount, d.Money.Currency
	}
	return d.Quantity, ""
}

// deliveryFields are what an entry about a delivery records; person_id names her, so the
// entry is sealed with her key (birge.AuditEntities).
func deliveryFields(d birge.Delivery) map[string]any {
	q, currency := amount(d)
	m := map[string]any{"person_id": d.PersonID, "date": d.Date, "time": d.Time, "kind": d.Kind,
		"quantity": q, "unit": d.Unit, "currency": currency, "staff_id": d.StaffID, "note": d.Note,
		"source": d.Source, "program_id": int64(0)}
	if d.ProgramID != nil {
		m["program_id"] = *d.ProgramID
	}
	return m
}

// Kinds returns an organisation's kinds of service, retired ones too, to those who see
// or serve women in it.
func (deliveries *Deliveries) Kinds(ctx context.Context, a *birge.Actor, orgID int64) (birge.DeliveryKindList, error) {
	if !a.CanIn(birge.PermPersonView, orgID) {
		return nil, birge.ErrNotFound
	}
	return deliveries.kinds(ctx, deliveries.s.read(), orgID)
}

func (deliveries *Deliveries) kinds(ctx context.Context, c q, orgID int64) (birge.DeliveryKindList, error) {
	return deliveryKinds.list(ctx, c, orgID)
}

// seesSensitive reports whether the actor may see her deliveries in a programme: those
// of a sensitive one need person.sensitive in her centre.
func seesSensitive(a *birge.Actor, her personRow, sensitive bool) bool {
	return !sensitive || a.Can(birge.PermPersonSensitive, her.OrgID, her.CenterID)
}

// Get returns one delivery the actor may see, or ErrNotFound.
func (deliveries *Deliveries) Get(ctx context.Context, a *birge.Actor, id int64) (birge.Delivery, error) {
	d, _, err := deliveries.get(ctx, deliveries.s.read(), a, id)
	return d, err
}

func (deliveries *Deliveries) get(ctx context.Context, c q, a *birge.Actor, id int64) (birge.Delivery, personRow, error) {
	var sensitive bool
	d, err := scanDelivery(c.row(ctx, `SELECT `+deliveryColumns+` FROM deliveries d WHERE d.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, personRow{}, birge.ErrNotFound
	}
	if err != nil {
		return d, personRow{}, err
	}
	her, err := deliveries.s.People.visiblePerson(ctx, c, a, d.PersonID)
	if err != nil {
		return birge.Delivery{}, her, err
	}
	if d.ProgramID != nil {
		if err := c.row(ctx, `SELECT sensitive FROM programs WHERE id = ?`, *d.ProgramID).Scan(&sensitive); err != nil {
			return d, her, err
		}
	}
	if !seesSensitive(a, her, sensitive) {
		return birge.Delivery{}, her, birge.ErrNotFound
	}
	return d, her, nil
}

// DeliveryFilter narrows a list of deliveries.
type DeliveryFilter = RecordFilter

// List returns the deliveries the actor may see: to women she sees, in their centres
// now, of sensitive programmes only with person.sensitive there. One who sees no one
// anywhere (an analyst: figures, never names) is refused rather than shown nothing.
func (deliveries *Deliveries) List(ctx context.Context, a *birge.Actor, f DeliveryFilter) ([]birge.Delivery, error) {
	w, err := recordsWhere(a, "d", f)
	if err != nil {
		return nil, err
	}
	return deliveries.query(ctx, deliveries.s.read(), `SELECT `+deliveryColumns+` FROM deliveries d
		JOIN people h ON h.id = d.person_id`+w.sql()+f.order("d", "d.date DESC, d.time DESC, d.id DESC"), w.args...)
}

func (deliveries *Deliveries) query(ctx context.Context, c q, query string, args ...any) ([]birge.Delivery, error) {
	rows, err := c.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []birge.Delivery{}
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// editable loads a delivery the actor may change: one recorded by hand, by someone who
// may record deliveries in her centre. A module's delivery changes with the module's
// record, never on its own.
func (deliveries *Deliveries) editable(ctx context.Context, c q, a *birge.Actor, id int64) (birge.Delivery, personRow, error) {
	// Locked first, so that two deletions or changes of one delivery at once (a
	// double-click, a retried request) are one after the other: the second finds it
	// gone or changed, and its programme's totals are taken away once.
	if err := lockRow(ctx, c, "deliveries", id); err != nil {
		return birge.Delivery{}, personRow{}, err
	}
	d, her, err := deliveries.get(ctx, c, a, id)
	switch {
	case err != nil:
		return d, her, err
	case !a.Can(birge.PermDeliveryRecord, her.OrgID, her.CenterID):
		return d, her, birge.ErrForbidden
	case !d.Manual():
		return d, her, &birge.Error{Kind: birge.KindConflict, Key: "delivery.not_manual",
			Args: map[string]any{"source": d.Source}}
	}
	return d, her, nil
}

// Update saves changes to a delivery recorded by hand: when, what, how much, by whom,
// in which programme and the note. Her, her centre and its source never change.
func (deliveries *Deliveries) Update(ctx context.Context, a *birge.Actor, d birge.Delivery) (birge.Delivery, error) {
	s := deliveries.s
	var out birge.Delivery
	err := s.tx(ctx, func(c q) error {
		old, her, err := deliveries.editable(ctx, c, a, d.ID)
		if err != nil {
			return err
		}
		d.OrgID, d.CenterID, d.PersonID, d.Source, d.SourceID = old.OrgID, old.CenterID, old.PersonID, old.Source, old.SourceID
		d.CreatedAt, d.UpdatedAt = old.CreatedAt, s.now()
		if err := deliveries.check(ctx, c, a, her, &d); err != nil {
			return err
		}
		changes := birge.Diff(deliveryFields(old), deliveryFields(d))
		if len(changes) == 0 {
			out = old
			return nil
		}
		q, currency := amount(d)
		if _, err := c.exec(ctx, `UPDATE deliveries SET program_id = ?, date = ?, time = ?, kind = ?, quantity = ?,
			unit = ?, currency = ?, staff_id = ?, note = ?, updated_at = ? WHERE id = ?`,
			d.ProgramID, d.Date, d.Time, d.Kind, q, d.Unit, currency, nullID(d.StaffID), d.Note, d.UpdatedAt, d.ID); err != nil {
			return err
		}
		if err := addTotals(ctx, c, []birge.Delivery{old}, -1); err != nil {
			return err
		}
		if err := addTotals(ctx, c, []birge.Delivery{d}, 1); err != nil {
			return err
		}
		// person_id stays in the entry, so that it is sealed with her key.
		changes["person_id"] = birge.Change{Before: d.PersonID, After: d.PersonID}
		out = d
		return s.audit(ctx, c, a, event{action: birge.ActionUpdate, entity: birge.EntityDelivery, entityID: d.ID,
			orgID: d.OrgID, centerID: d.CenterID, changes: changes})
	})
	return out, err
}

// Delete removes a delivery recorded by hand, by mistake.
func (deliveries *Deliveries) Delete(ctx context.Context, a *birge.Actor, id int64) error {
	s := deliveries.s
	return s.tx(ctx, func(c q) error {
		d, _, err := deliveries.editable(ctx, c, a, id)
		if err != nil {
			return err
		}
		if _, err := c.exec(ctx, `DELETE FROM deliveries WHERE id = ?`, id); err != nil {
			return err
		}
		if err := addTotals(ctx, c, []birge.Delivery{d}, -1); err != nil {
			return err
		}
		return s.audit(ctx, c, a, event{action: birge.ActionDelete, entity: birge.EntityDelivery, entityID: id,
			orgID: d.OrgID, centerID: d.CenterID, changes: birge.Diff(deliveryFields(d), nil)})
	})
}

// ofPerson is every delivery to her, for her dossier: her own data, all of it.
func (deliveries *Deliveries) ofPerson(ctx context.Context, id int64) ([]birge.Delivery, error) {
	return deliveries.query(ctx, deliveries.s.read(), `SELECT `+deliveryColumns+` FROM deliveries d
		WHERE d.person_id = ? ORDER BY d.date, d.id`, id)
}

// StaffNames names the staff who gave deliveries, for her page.
func (deliveries *Deliveries) StaffNames(ctx context.Context, list []birge.Delivery) (map[int64]string, error) {
	ids := make([]int64, len(list))
	for i, d := range list {
		ids[i] = d.StaffID
	}
	return deliveries.s.userNames(ctx, ids)
}

// userNames names users by id, for pages that say who did something; 0 is no one.
func (s *Store) userNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	for _, id := range ids {
		if _, done := out[id]; done || id == 0 {
			continue
		}
		var name string
		err := s.read().row(ctx, `SELECT name FROM users WHERE id = ?`, id).Scan(&name)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		out[id] = strings.TrimSpace(name)
	}
	return out, nil
}
