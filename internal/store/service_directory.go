package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/birge-org/birge/internal/birge"
)

// Services is the store's view for an organisation's directory of outside services
// (crisis centres, shelters, legal aid, police, clinics) that its workers refer people
// to (issue 11, decision 0026). Those who manage the organisation (org.manage) keep the
// list; those who see cases in it read it, to choose from in a referral.
type Services struct{ s *Store }

const serviceColumns = `id, org_id, name, kind, phone, address, retired, updated_at`

func scanService(row interface{ Scan(...any) error }) (birge.Service, error) {
	var v birge.Service
	err := row.Scan(&v.ID, &v.OrgID, &v.Name, &v.Kind, &v.Phone, &v.Address, &v.Retired, &v.UpdatedAt)
	v.UpdatedAt = v.UpdatedAt.UTC()
	return v, err
}

func serviceFields(v birge.Service) map[string]any {
	return map[string]any{"name": v.Name, "kind": v.Kind, "phone": v.Phone, "address": v.Address, "retired": v.Retired}
}

// mayRead reports whether the actor may read an organisation's directory.
func mayReadServices(a *birge.Actor, orgID int64) bool {
	return a.CanIn(birge.PermCaseView, orgID) || a.Can(birge.PermOrgManage, orgID, 0)
}

// List returns an organisation's services by name, retired ones too, to those who see
// cases in it or manage it.
func (sv *Services) List(ctx context.Context, a *birge.Actor, orgID int64) ([]birge.Service, error) {
	if !mayReadServices(a, orgID) {
		return nil, birge.ErrNotFound
	}
	rows, err := sv.s.read().query(ctx, `SELECT `+serviceColumns+` FROM services WHERE org_id = ? ORDER BY name, id`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []birge.Service{}
	for rows.Next() {
		v, err := scanService(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Names names services by id, for the pages that list referrals: a referral's sender
// sees the service it went to.
func (sv *Services) Names(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	for _, id := range ids {
		if _, ok := out[id]; ok || id == 0 {
			continue
		}
		var name string
		err := sv.s.read().row(ctx, `SELECT name FROM services WHERE id = ?`, id).Scan(&name)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		out[id] = name
	}
	return out, nil
}

// Get returns one service to those who may read its directory.
func (sv *Services) Get(ctx context.Context, a *birge.Actor, id int64) (birge.Service, error) {
	v, err := scanService(sv.s.read().row(ctx, `SELECT `+serviceColumns+` FROM services WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !mayReadServices(a, v.OrgID)) {
		return birge.Service{}, birge.ErrNotFound
	}
	return v, err
}

// MayManage reports whether the actor may keep an organisation's directory.
func (sv *Services) MayManage(a *birge.Actor, orgID int64) bool {
	return a.Can(birge.PermOrgManage, orgID, 0)
}

// Create adds a service to an organisation's directory; the actor needs org.manage.
func (sv *Services) Create(ctx context.Context, a *birge.Actor, v birge.Service) (birge.Service, error) {
	s := sv.s
	err := s.tx(ctx, func(c q) error {
		country, err := sv.orgCountry(ctx, c, a, v.OrgID)
		if err != nil {
			return err
		}
		if err := v.Validate(country); err != nil {
			return err
		}
		v.Retired, v.UpdatedAt = false, s.now()
		if err := c.row(ctx, `INSERT INTO services (org_id, name, kind, phone, address, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, v.OrgID, v.Name, v.Kind, v.Phone, v.Address, v.UpdatedAt,
			v.UpdatedAt).Scan(&v.ID); err != nil {
			return err
		}
		return s.audit(ctx, c, a, event{action: birge.ActionCreate, entity: birge.EntityService, entityID: v.ID,
			orgID: v.OrgID, changes: birge.Diff(nil, serviceFields(v))})
	})
	return v, err
}

// Update saves a service as given, made on version v.UpdatedAt; retiring it keeps it on
// the referrals made to it but out of new ones.
func (sv *Services) Update(ctx context.Context, a *birge.Actor, v birge.Service) (birge.Service, error) {
	s := sv.s
	err := s.tx(ctx, func(c q) error {
		if err := lockRow(ctx, c, "services", v.ID); err != nil {
			return err
		}
		old, err := scanService(c.row(ctx, `SELECT `+serviceColumns+` FROM services WHERE id = ?`, v.ID))
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !mayReadServices(a, old.OrgID) && !sv.MayManage(a, old.OrgID)) {
			return birge.ErrNotFound
		}
		if err != nil {
			return err
		}
		country, err := sv.orgCountry(ctx, c, a, old.OrgID)
		if err != nil {
			return err
		}
		if err := sameVersion(v.UpdatedAt, old.UpdatedAt); err != nil {
			return err
		}
		v.OrgID = old.OrgID
		if err := v.Validate(country); err != nil {
			return err
		}
		changes := birge.Diff(serviceFields(old), serviceFields(v))
		if len(changes) == 0 {
			v = old
			return nil
		}
		v.UpdatedAt = nextVersion(s.now(), old.UpdatedAt)
		if _, err := c.exec(ctx, `UPDATE services SET name = ?, kind = ?, phone = ?, address = ?, retired = ?, updated_at = ?
			WHERE id = ?`, v.Name, v.Kind, v.Phone, v.Address, v.Retired, v.UpdatedAt, v.ID); err != nil {
			return err
		}
		return s.audit(ctx, c, a, event{action: birge.ActionUpdate, entity: birge.EntityService, entityID: v.ID,
			orgID: v.OrgID, changes: changes})
	})
	return v, err
}

// orgCountry is the country of an organisation the actor manages, for its services'
// phones; not found out of sight, forbidden to those who only read the directory.
func (sv *Services) orgCountry(ctx context.Context, c q, a *birge.Actor, orgID int64) (string, error) {
	var country string
	err := c.row(ctx, `SELECT country FROM organizations WHERE id = ?`, orgID).Scan(&country)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", birge.ErrNotFound
	case err != nil:
		return "", err
	case !sv.MayManage(a, orgID):
		if mayReadServices(a, orgID) {
			return "", birge.ErrForbidden
		}
		return "", birge.ErrNotFound
	}
	return country, nil
}
