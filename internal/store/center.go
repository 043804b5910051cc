package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/birge-org/birge/internal/birge"
)

const centerColumns = `id, org_id, name_kk, name_ru, name_ky, name_en, type, country, region, district,
	address, phone, time_zone, created_at, updated_at`

func scanCenter(row interface{ Scan(...any) error }) (birge.Center, error) {
	var c birge.Center
	err := row.Scan(&c.ID, &c.OrgID, &c.Names.KK, &c.Names.RU, &c.Names.KY, &c.Names.EN, &c.Type,
		&c.Country, &c.Region, &c.District, &c.Address, &c.Phone, &c.TimeZone, &c.CreatedAt, &c.UpdatedAt)
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return c, err
}

func centerFields(c birge.Center) map[string]any {
	return map[string]any{"name_kk": c.Names.KK, "name_ru": c.Names.RU, "name_ky": c.Names.KY,
		"name_en": c.Names.EN, "type": c.Type, "country": c.Country, "region": c.Region,
		"district": c.District, "address": c.Address, "phone": c.Phone, "time_zone": c.TimeZone}
}

// CenterFilter narrows a list of centres.
type CenterFilter struct {
	OrgID int64
	After int64 // page: centres with id > After
	Limit int   // 0: all
}

// ListCenters returns the centres the actor may see, by id.
func (s *Store) ListCenters(ctx context.Context, a *birge.Actor, f CenterFilter) ([]birge.Center, error) {
	w, err := centerScope(a)
	if err != nil {
		return nil, err
	}
	return s.listCenters(ctx, w, f)
}

// CountCenters counts the centres the actor may see.
func (s *Store) CountCenters(ctx context.Context, a *birge.Actor) (int, error) {
	w, err := centerScope(a)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.read().row(ctx, `SELECT COUNT(*) FROM centers`+w.sql(), w.args...).Scan(&n)
	return n, err
}

// centerScope limits a centres query to those the actor may see; a role with no right to
// see centres is refused, like the users list, rather than shown an empty one.
func centerScope(a *birge.Actor) (where, error) {
	scope := a.ScopeOf(birge.PermCenterView)
	if scope.Empty() {
		return where{}, birge.ErrForbidden
	}
	w := where{}
	w.scope("org_id", "id", scope)
	return w, nil
}

// PublicCenters lists every centre for the public pages: names, addresses and phones are
// what a centre publishes so that people can find it.
func (s *Store) PublicCenters(ctx context.Context) ([]birge.Center, error) {
	return s.listCenters(ctx, where{}, CenterFilter{})
}

func (s *Store) listCenters(ctx context.Context, w where, f CenterFilter) ([]birge.Center, error) {
	if f.OrgID != 0 {
		w.add("org_id = ?", f.OrgID)
	}
	if f.After != 0 {
		w.add("id > ?", f.After)
	}
	limit := ""
	if f.Limit > 0 {
		limit = " LIMIT " + itoa(f.Limit)
	}
	rows, err := s.read().query(ctx, `SELECT `+centerColumns+` FROM centers`+w.sql()+` ORDER BY id`+limit, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []birge.Center
	for rows.Next() {
		c, err := scanCenter(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// GetCenter returns a centre the actor may see, or ErrNotFound.
func (s *Store) GetCenter(ctx context.Context, a *birge.Actor, id int64) (birge.Center, error) {
	c, err := s.getCenter(ctx, s.read(), id)
	if err != nil {
		return c, err
	}
	if !a.Can(birge.PermCenterView, c.OrgID, c.ID) {
		return birge.Center{}, birge.ErrNotFound
	}
	return c, nil
}

func (s *Store) getCenter(ctx context.Context, c q, id int64) (birge.Center, error) {
	ctr, err := scanCenter(c.row(ctx, `SELECT `+centerColumns+` FROM centers WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return ctr, birge.ErrNotFound
	}
	return ctr, err
}

// CreateCenter adds a centre to an organisation; organisation administrators may.
func (s *Store) CreateCenter(ctx context.Context, a *birge.Actor, ctr birge.Center) (birge.Center, error) {
	if !a.Can(birge.PermCenterManage, ctr.OrgID, 0) {
		if visibleOrg(a, ctr.OrgID) {
			return ctr, birge.ErrForbidden
		}
		return ctr, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid",
			Fields: birge.Problems{"organization_id": "field.choose"}}
	}
	if err := ctr.Validate(); err != nil {
		return ctr, err
	}
	ctr.CreatedAt, ctr.UpdatedAt = s.now(), s.now()
	err := s.tx(ctx, func(c q) error {
		if _, err := s.getOrg(ctx, c, ctr.OrgID); err != nil {
			return err
		}
		err := c.row(ctx, `INSERT INTO centers (org_id, name_kk, name_ru, name_ky, name_en, type, country, region,
			district, address, phone, time_zone, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			ctr.OrgID, ctr.Names.KK, ctr.Names.RU, ctr.Names.KY, ctr.Names.EN, ctr.Type, ctr.Country, ctr.Region,
			ctr.District, ctr.Address, ctr.Phone, ctr.TimeZone, ctr.CreatedAt, ctr.UpdatedAt).Scan(&ctr.ID)
		if err != nil {
			return err
		}
		return s.audit(ctx, c, a, event{action: birge.ActionCreate, entity: birge.EntityCenter, entityID: ctr.ID, orgID: ctr.OrgID,
			centerID: ctr.ID, changes: birge.Diff(nil, centerFields(ctr))})
	})
	return ctr, err
}

// UpdateCenter saves changes to a centre; its administrators may. A centre never moves
// to another organisation. Saving it unchanged writes nothing: no audit entry, and its
// updated_at (its version) stays.
func (s *Store) UpdateCenter(ctx context.Context, a *birge.Actor, ctr birge.Center) (birge.Center, error) {
	err := s.tx(ctx, func(c q) error {
		if err := lockRow(ctx, c, "centers", ctr.ID); err != nil {
			return err
		}
		old, err := s.getCenter(ctx, c, ctr.ID)
		if err == nil && !a.Can(birge.PermCenterView, old.OrgID, old.ID) {
			err = birge.ErrNotFound
		}
		if err != nil {
			return err
		}
		if !a.Can(birge.PermCenterManage, old.OrgID, old.ID) {
			return birge.ErrForbidden
		}
		if err := sameVersion(ctr.UpdatedAt, old.UpdatedAt); err != nil {
			return err
		}
		ctr.OrgID, ctr.CreatedAt, ctr.UpdatedAt = old.OrgID, old.CreatedAt, nextVersion(s.now(), old.UpdatedAt)
		if err := ctr.Validate(); err != nil {
			return err
		}
		changes := birge.Diff(centerFields(old), centerFields(ctr))
		if len(changes) == 0 {
			ctr = old
			return nil
		}
		res, err := c.exec(ctx, `UPDATE centers SET name_kk = ?, name_ru = ?, name_ky = ?, name_en = ?, type = ?,
			country = ?, region = ?, district = ?, address = ?, phone = ?, time_zone = ?, updated_at = ? WHERE id = ?`,
			ctr.Names.KK, ctr.Names.RU, ctr.Names.KY, ctr.Names.EN, ctr.Type, ctr.Country, ctr.Region,
			ctr.District, ctr.Address, ctr.Phone, ctr.TimeZone, ctr.UpdatedAt, ctr.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return birge.ErrNotFound
		}
		return s.audit(ctx, c, a, event{action: birge.ActionUpdate, entity: birge.EntityCenter, entityID: ctr.ID, orgID: ctr.OrgID,
			centerID: ctr.ID, changes: changes})
	})
	return ctr, err
}

// DeleteCenter removes a centre that nothing refers to yet; a centre in use is refused
// with a conflict, because its records and history must stay.
func (s *Store) DeleteCenter(ctx context.Context, a *birge.Actor, id int64) error {
	old, err := s.GetCenter(ctx, a, id)
	if err != nil {
		return err
	}
	if !a.Can(birge.PermCenterManage, old.OrgID, 0) {
		return birge.ErrForbidden
	}
	err = s.tx(ctx, func(c q) error {
		if _, err := c.exec(ctx, `DELETE FROM centers WHERE id = ?`, id); err != nil {
			return err
		}
		return s.audit(ctx, c, a, event{action: birge.ActionDelete, entity: birge.EntityCenter, entityID: id, orgID: old.OrgID,
			centerID: id, changes: birge.Diff(centerFields(old), nil)})
	})
	if isForeignKey(err) {
		return birge.Errorf(birge.KindConflict, "center.in_use")
	}
	return err
}
