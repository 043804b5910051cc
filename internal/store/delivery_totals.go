package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"maps"
	"slices"
	"strings"

	"github.com/birge-org/birge/internal/birge"
)

// totalKey is one row of delivery_totals: a programme's deliveries of one day, kind and
// unit (and currency, for money).
type totalKey struct {
	program          int64
	date, kind, unit string
	currency         string
}

type total struct{ deliveries, quantity int64 }

// addTotals adds deliveries in programmes to delivery_totals (sign 1) or takes them away
// (sign -1), inside the transaction that writes them: one upsert per day, kind and unit,
// however many deliveries share it.
func addTotals(ctx context.Context, c q, list []birge.Delivery, sign int64) error {
	sums := map[totalKey]*total{}
	for _, d := range list {
		if d.ProgramID == nil {
			continue
		}
		q, currency := amount(d)
		k := totalKey{*d.ProgramID, d.Date, d.Kind, d.Unit, currency}
		if sums[k] == nil {
			sums[k] = &total{}
		}
		sums[k].deliveries += sign
		sums[k].quantity += sign * q
	}
	// The same order in every transaction, so that two never wait on each other's rows.
	keys := slices.SortedFunc(maps.Keys(sums), func(x, y totalKey) int {
		return cmp.Or(cmp.Compare(x.program, y.program), strings.Compare(x.date, y.date), strings.Compare(x.kind, y.kind),
			strings.Compare(x.unit, y.unit), strings.Compare(x.currency, y.currency))
	})
	for _, k := range keys {
		t := sums[k]
		// A day's payments of one kind in a programme stay a sum the databases can hold
		// (a thousand billion whole units): more is a typing slip, refused, never wrapped.
		var had int64
		err := c.row(ctx, `SELECT quantity FROM delivery_totals WHERE program_id = ? AND date = ? AND kind = ?
			AND unit = ? AND currency = ?`, k.program, k.date, k.kind, k.unit, k.currency).Scan(&had)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if t.quantity > birge.MaxMinorUnits-had {
			return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"money.amount": "delivery.total_too_large"}}
		}
		if _, err := c.exec(ctx, `INSERT INTO delivery_totals (program_id, date, kind, unit, currency, deliveries, quantity)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (program_id, date, kind, unit, currency)
			DO UPDATE SET deliveries = delivery_totals.deliveries + excluded.deliveries,
			quantity = delivery_totals.quantity + excluded.quantity`,
			k.program, k.date, k.kind, k.unit, k.currency, t.deliveries, t.quantity); err != nil {
			return err
		}
	}
	return nil
}

// rebuildTotals counts delivery_totals again from the deliveries, after many were written
// at once (Generate): one pass instead of an upsert per day and kind of each batch.
func rebuildTotals(ctx context.Context, c q) error {
	if _, err := c.exec(ctx, `DELETE FROM delivery_totals`); err != nil {
		return err
	}
	_, err := c.exec(ctx, `INSERT INTO delivery_totals (program_id, date, kind, unit, currency, deliveries, quantity)
		SELECT program_id, date, kind, unit, currency, COUNT(*), SUM(quantity) FROM deliveries
		WHERE program_id IS NOT NULL GROUP BY program_id, date, kind, unit, currency`)
	return err
}
