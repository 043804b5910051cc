package store

import (
	"context"
	"database/sql"
	"slices"
	"strconv"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
)

// kindTable is an organisation's list of kinds of one record, like its categories: a
// code, names in the four languages, retired when no longer offered. A default kind is
// named by the catalog (catalog+code), so its names follow the translations.
type kindTable struct {
	name, table, catalog string // name: the list's, in birge.KindLists
	defaults             []string
}

var (
	deliveryKinds = kindTable{"deliveries", "delivery_kinds", "delivery.kind.", birge.DefaultDeliveryKinds}
	outcomeKinds  = kindTable{"outcomes", "outcome_kinds", "outcome.kind.", birge.DefaultOutcomeKinds}
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

// Kinds is the store's view for editing an organisation's lists of kinds (of service,
// of outcome, the reasons families come for), for its administrators (org.manage), like its categories: add a kind
// named in the four languages, rename one of its own, retire one and offer it again.
// Recording reads the lists through Deliveries.Kinds and Outcomes.Kinds.
type Kinds struct{ s *Store }

func kindTableOf(list string) (kindTable, error) {
	for _, t := range []kindTable{deliveryKinds, outcomeKinds, caseReasons} {
		if t.name == list {
			return t, nil
		}
	}
	return kindTable{}, birge.ErrNotFound
}

func kindFields(list string, k birge.DeliveryKind) map[string]any {
	return map[string]any{"list": list, "code": k.Code, "name_kk": k.Names.KK, "name_ru": k.Names.RU,
		"name_ky": k.Names.KY, "name_en": k.Names.EN, "retired": k.Retired}
}

// List returns one of an organisation's lists, retired kinds too, to those who may edit
// it.
func (kinds *Kinds) List(ctx context.Context, a *birge.Actor, list string, orgID int64) (birge.KindList, error) {
	t, err := kindTableOf(list)
	if err == nil {
		err = canManageCategories(a, orgID)
	}
	if err != nil {
		return nil, err
	}
	return t.list(ctx, kinds.s.read(), orgID)
}

// Create adds a kind of the organisation's own at the end of a list. A code left empty is
// made from the English name, made unique with a number.
func (kinds *Kinds) Create(ctx context.Context, a *birge.Actor, list string, orgID int64, k birge.DeliveryKind) (birge.DeliveryKind, error) {
	t, err := kindTableOf(list)
	if err == nil {
		err = canManageCategories(a, orgID)
	}
	if err != nil {
		return k, err
	}
	given := k.Code != ""
	if !given {
		k.Code = birge.CategoryCode(k.Names.EN)
	}
	k.OrgID, k.Retired = orgID, false
	if err := k.Validate(false); err != nil {
		return k, err
	}
	err = kinds.s.tx(ctx, func(c q) error {
		existing, err := t.list(ctx, c, orgID)
		if err != nil {
			return err
		}
		if given && taken(existing, t, k.Code) {
			return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"code": "kinds.code_taken"}}
		}
		for n, base := 2, k.Code; taken(existing, t, k.Code); n++ {
			k.Code = base + "_" + strconv.Itoa(n)
		}
		if err := c.row(ctx, `INSERT INTO `+t.table+` (org_id, code, name_kk, name_ru, name_ky, name_en, position)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, orgID, k.Code, k.Names.KK, k.Names.RU, k.Names.KY, k.Names.EN,
			len(existing)+1).Scan(&k.ID); err != nil {
			return err
		}
		return kinds.s.audit(ctx, c, a, event{action: birge.ActionCreate, entity: birge.EntityKind, entityID: k.ID,
			orgID: orgID, changes: birge.Diff(nil, kindFields(list, k))})
	})
	if isUnique(err) { // the same code added at the same moment
		return k, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"code": "kinds.code_taken"}}
	}
	return k, err
}

// taken reports whether a code is in use in a list, or is a default's (which the
// catalog names, whatever the row says).
func taken(existing birge.KindList, t kindTable, code string) bool {
	_, in := existing.Lookup(code)
	return in || slices.Contains(t.defaults, code)
}

// Update saves a kind as given, found by its list, organisation and code: its names (the
// organisation's own kinds only: the defaults are named by the catalog) and whether it
// is retired. Records of a retired kind keep it; new ones cannot take it.
func (kinds *Kinds) Update(ctx context.Context, a *birge.Actor, list string, orgID int64, k birge.DeliveryKind) (birge.DeliveryKind, error) {
	t, err := kindTableOf(list)
	if err == nil {
		err = canManageCategories(a, orgID)
	}
	if err != nil {
		return k, err
	}
	err = kinds.s.tx(ctx, func(c q) error {
		// The row's lock (see lockRow), found by its code.
		if _, err := c.exec(ctx, `UPDATE `+t.table+` SET id = id WHERE org_id = ? AND code = ?`, orgID, k.Code); err != nil {
			return err
		}
		existing, err := t.list(ctx, c, orgID)
		if err != nil {
			return err
		}
		old, ok := existing.Lookup(k.Code)
		if !ok {
			return birge.ErrNotFound
		}
		isDefault := slices.Contains(t.defaults, k.Code)
		if isDefault {
			k.Names = old.Names
		}
		k.ID, k.OrgID = old.ID, orgID
		if err := k.Validate(isDefault); err != nil {
			return err
		}
		changes := birge.Diff(kindFields(list, old), kindFields(list, k))
		if len(changes) == 0 {
			k = old
			return nil
		}
		names := k.Names
		if isDefault {
			names = birge.Names{} // kept empty: the catalog names it
		}
		// A kind retired already keeps the moment it was.
		if _, err := c.exec(ctx, `UPDATE `+t.table+` SET name_kk = ?, name_ru = ?, name_ky = ?, name_en = ?,
			retired_at = CASE WHEN ? THEN COALESCE(retired_at, ?) END WHERE id = ?`,
			names.KK, names.RU, names.KY, names.EN, k.Retired, kinds.s.now(), k.ID); err != nil {
			return err
		}
		changes["list"] = birge.Change{Before: list, After: list}
		return kinds.s.audit(ctx, c, a, event{action: birge.ActionUpdate, entity: birge.EntityKind, entityID: k.ID,
			orgID: orgID, changes: changes})
	})
	return k, err
}
