package store

import (
	"context"
	"database/sql"
	"slices"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
)

// kindTable is an organisation's list of kinds of one record, like its categories: a
// code, names in the four languages, retired when no longer offered. A default kind is
// named by the catalog (catalog+code), so its names follow the translations.
type kindTable struct {
	table, catalog string
	defaults       []string
}

var (
	deliveryKinds = kindTable{"delivery_kinds", "delivery.kind.", birge.DefaultDeliveryKinds}
	outcomeKinds  = kindTable{"outcome_kinds", "outcome.kind.", birge.DefaultOutcomeKinds}
)

// list returns an organisation's kinds, retired ones too, in display order.
func (t kindTable) list(ctx context.Context, c q, orgID int64) (birge.KindList, error) {
	rows, err := c.query(ctx, `SELECT id, org_id, code, name_kk, name_ru, name_ky, name_en, retired_at
		FROM `+t.table+` WHERE org_id = ? ORDER BY position, id`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out birge.KindList
	for rows.Next() {
		var k birge.DeliveryKind
		var retired sql.NullTime
		if err := rows.Scan(&k.ID, &k.OrgID, &k.Code, &k.Names.KK, &k.Names.RU, &k.Names.KY, &k.Names.EN, &retired); err != nil {
			return nil, err
		}
		k.Retired = retired.Valid
		if slices.Contains(t.defaults, k.Code) {
			key := t.catalog + k.Code
			k.Names = birge.Names{KK: i18n.Raw("kk", key), RU: i18n.Raw("ru", key), KY: i18n.Raw("ky", key), EN: i18n.Raw("en", key)}
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// seed gives a new organisation the default kinds, as the migrations gave the existing
// ones.
func (t kindTable) seed(ctx context.Context, c q, orgID int64) error {
	for i, code := range t.defaults {
		if _, err := c.exec(ctx, `INSERT INTO `+t.table+` (org_id, code, position) VALUES (?, ?, ?)`,
			orgID, code, i+1); err != nil {
			return err
		}
	}
	return nil
}
