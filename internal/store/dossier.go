package store

import (
	"context"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// Dossier is everything Birge holds about one person, to answer her request to see it.
type Dossier struct {
	Person     birge.Person       `json:"person"`     // identity number in full, every category
	Audit      []birge.AuditEntry `json:"audit"`      // every change to her record, oldest first
	AccessLog  []AccessEntry      `json:"access_log"` // who looked at her record, oldest first
	ExportedAt time.Time          `json:"exported_at"`
	ExportedBy string             `json:"exported_by"`
}

// PersonDossier gathers everything held about a person for an actor with person.rights
// on her centre: her record with the identity number in full and every category,
// sensitive ones included (it is her own data, asked for by her), her phones, consents
// and relations, the audit entries about her and the access log of her record. The
// export itself is written to the access log and audited first, in one transaction, so
// the dossier shows it too.
func (s *Store) PersonDossier(ctx context.Context, a *birge.Actor, id int64) (Dossier, error) {
	var r personRow
	err := s.tx(ctx, func(c q) error {
		var err error
		if r, err = s.personWith(ctx, c, a, id, birge.PermPersonRights); err != nil {
			return err
		}
		if err := s.logAccess(ctx, c, a, r.Person, "export"); err != nil {
			return err
		}
		return s.audit(ctx, c, a, event{action: birge.ActionExportDossier, entity: birge.EntityPerson, entityID: r.ID,
			orgID: r.OrgID, centerID: r.CenterID})
	})
	if err != nil {
		return Dossier{}, err
	}
	d := Dossier{ExportedAt: s.now(), ExportedBy: a.Name}
	if d.Person, err = s.completePerson(ctx, a, r); err != nil {
		return d, err
	}
	if d.Person.IIN, d.Person.PIN, err = s.openIdentity(r, true); err != nil {
		return d, err
	}
	if d.Person.Categories, err = s.categoriesOf(ctx, s.read(), r, true); err != nil {
		return d, err
	}
	if d.Audit, err = s.personAudit(ctx, id); err != nil {
		return d, err
	}
	d.AccessLog, err = s.accessLog(ctx, id, "ASC")
	return d, err
}

// personAudit returns every audit entry about a person, oldest first, values opened.
func (s *Store) personAudit(ctx context.Context, id int64) ([]birge.AuditEntry, error) {
	rows, err := s.read().query(ctx, `SELECT `+auditColumns+` FROM audit_log
		WHERE entity = 'person' AND entity_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, err
	}
	entries, err := scanAudit(rows)
	if err != nil {
		return nil, err
	}
	if entries == nil {
		entries = []birge.AuditEntry{}
	}
	return entries, s.openChanges(ctx, entries)
}
