package store

import (
	"context"

	"github.com/birge-org/birge/internal/birge"
)

// PersonDossier gathers everything held about a person for an actor with person.rights
// on her centre: her record with the identity number in full and every category,
// sensitive ones included (it is her own data, asked for by her), her phones, consents
// and relations, the audit entries about her and the access log of her record. The
// export itself is written to the access log and audited first, in one transaction, so
// the dossier shows it too.
func (people *People) Dossier(ctx context.Context, a *birge.Actor, id int64) (Dossier, error) {
	var r personRow
	err := people.s.tx(ctx, func(c q) error {
		var err error
		if r, err = people.personWith(ctx, c, a, id, birge.PermPersonRights); err != nil {
			return err
		}
		if err := people.logAccess(ctx, c, a, r.Person, "export"); err != nil {
			return err
		}
		return people.s.audit(ctx, c, a, event{action: birge.ActionExportDossier, entity: birge.EntityPerson, entityID: r.ID,
			orgID: r.OrgID, centerID: r.CenterID})
	})
	if err != nil {
		return Dossier{}, err
	}
	d := Dossier{ExportedAt: people.s.now(), ExportedBy: a.Name}
	if d.Person, err = people.completePerson(ctx, a, r); err != nil {
		return d, err
	}
	if d.Person.IIN, d.Person.PIN, err = people.openIdentity(r, true); err != nil {
		return d, err
	}
	if d.Person.Categories, err = people.categoriesOf(ctx, people.s.read(), r, true); err != nil {
		return d, err
	}
	if d.Audit, err = people.personAudit(ctx, id); err != nil {
		return d, err
	}
	if d.AccessLog, err = people.accessLog(ctx, id, "ASC"); err != nil {
		return d, err
	}
	if d.Programs, err = people.s.Programs.dossierPrograms(ctx, id); err != nil {
		return d, err
	}
	if d.Deliveries, err = people.s.Deliveries.ofPerson(ctx, id); err != nil {
		return d, err
	}
	if d.Outcomes, err = people.s.Outcomes.ofPerson(ctx, id); err != nil {
		return d, err
	}
	if d.Cases, err = people.s.Cases.ofPerson(ctx, id); err != nil {
		return d, err
	}
	if d.Referrals, err = people.s.Referrals.ofPerson(ctx, id); err != nil {
		return d, err
	}
	if d.Sessions, err = people.s.Sessions.ofPerson(ctx, id); err != nil {
		return d, err
	}
	if d.Requests, err = people.s.CaseRequests.ofPerson(ctx, id); err != nil {
		return d, err
	}
	if d.Enrollments, err = people.s.Trainings.ofPerson(ctx, id); err != nil {
		return d, err
	}
	if d.Certificates, err = people.s.Trainings.certificatesOf(ctx, id); err != nil {
		return d, err
	}
	if d.Marks, err = people.s.Trainings.marksOf(ctx, id); err != nil {
		return d, err
	}
	if d.Applications, err = people.s.Applications.ofPerson(ctx, id); err != nil {
		return d, err
	}
	d.Awards, err = people.s.Awards.ofPerson(ctx, id)
	return d, err
}

// personAudit returns every audit entry about a person, oldest first, values opened.
func (people *People) personAudit(ctx context.Context, id int64) ([]birge.AuditEntry, error) {
	rows, err := people.s.read().query(ctx, `SELECT `+auditColumns+` FROM audit_log
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
	return entries, people.s.openChanges(ctx, entries)
}
