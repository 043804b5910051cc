package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// Certificates of a training (issue 12, decision 0032). A certificate hangs off an
// enrolment: merge moves the enrolment and the certificate follows; her name is read
// from her record, so anonymising her leaves nothing to show, and the public lookup then
// answers as for a code that never was.

const certificateColumns = `c.id, h.org_id, c.enrollment_id, e.cohort_id, e.person_id, c.code, c.issued_on, c.revoked_at,
	c.revoke_reason, c.created_at, c.updated_at, p.family_name, p.given_name, p.patronymic, p.anonymized_at IS NOT NULL,
	k.name_kk, k.name_ru, k.name_ky, k.name_en, k.hours, h.language, h.starts_on, h.ends_on,
	COALESCE(e.completed_on, h.ends_on), h.venue, COALESCE(ctr.name_kk, ''), COALESCE(ctr.name_ru, ''),
	COALESCE(ctr.name_ky, ''), COALESCE(ctr.name_en, '')`

const certificateFrom = ` FROM certificates c JOIN enrollments e ON e.id = c.enrollment_id
	JOIN cohorts h ON h.id = e.cohort_id JOIN courses k ON k.id = h.course_id JOIN people p ON p.id = e.person_id
	LEFT JOIN centers ctr ON ctr.id = h.center_id`

// certificateRow is a certificate with what it says, and whether its woman was
// anonymised (then it shows her name nowhere).
type certificateRow struct {
	birge.CertificateText
	anonymised bool
}

func scanCertificate(row interface{ Scan(...any) error }) (certificateRow, error) {
	var r certificateRow
	var revoked sql.NullTime
	var family, given, patronymic string
	var center birge.Names
	t := &r.CertificateText
	err := row.Scan(&t.ID, &t.OrgID, &t.EnrollmentID, &t.CohortID, &t.PersonID, &t.Code, &t.IssuedOn, &revoked,
		&t.RevokeReason, &t.CreatedAt, &t.UpdatedAt, &family, &given, &patronymic, &r.anonymised,
		&t.Course.KK, &t.Course.RU, &t.Course.KY, &t.Course.EN, &t.Hours, &t.Language, &t.StartsOn, &t.EndsOn,
		&t.CompletedOn, &t.Place, &center.KK, &center.RU, &center.KY, &center.EN)
	if err != nil {
		return r, err
	}
	t.Code = birge.PrintedCode(t.Code)
	if revoked.Valid {
		at := revoked.Time.UTC()
		t.RevokedAt = &at
	}
	t.CreatedAt, t.UpdatedAt = t.CreatedAt.UTC(), t.UpdatedAt.UTC()
	t.Name = birge.Person{FamilyName: family, GivenName: given, Patronymic: patronymic}.FullName()
	if c := center.In(t.Language); c != "" {
		if t.Place != "" {
			c += ", " + t.Place
		}
		t.Place = c
	}
	return r, nil
}

func certificateFields(c birge.Certificate) map[string]any {
	return map[string]any{"person_id": c.PersonID, "enrollment_id": c.EnrollmentID, "cohort_id": c.CohortID,
		"code": c.Code, "issued_on": c.IssuedOn, "revoked": c.RevokedAt != nil, "reason": c.RevokeReason}
}

// IssueCertificates gives a certificate to every woman of a cohort the actor runs whose
// enrolment is completed and who holds none that is not revoked (nor was anonymised), and
// returns how many it issued. Running it again issues nothing new.
func (t *Trainings) IssueCertificates(ctx context.Context, a *birge.Actor, cohortID int64) (int, error) {
	s := t.s
	issued := 0
	err := s.tx(ctx, func(c q) error {
		// The cohort's row lock orders two issues at once; the unique index on the valid
		// certificate of an enrolment would refuse the second anyway.
		if err := lockRow(ctx, c, "cohorts", cohortID); err != nil {
			return err
		}
		h, err := t.cohort(ctx, c, a, birge.PermTrainingManage, cohortID)
		if err != nil {
			return err
		}
		type due struct{ enrollment, person int64 }
		var list []due
		rows, err := c.query(ctx, `SELECT e.id, e.person_id FROM enrollments e JOIN people p ON p.id = e.person_id
			WHERE e.cohort_id = ? AND e.status = 'completed' AND p.anonymized_at IS NULL
			AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.enrollment_id = e.id AND c.revoked_at IS NULL)
			ORDER BY e.id`, h.ID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var d due
			if err := rows.Scan(&d.enrollment, &d.person); err != nil {
				rows.Close()
				return err
			}
			list = append(list, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		now := s.now()
		today := a.Today(now).Format(time.DateOnly)
		for _, d := range list {
			cert := birge.Certificate{EnrollmentID: d.enrollment, CohortID: h.ID, PersonID: d.person,
				Code: birge.NewCertificateCode(), IssuedOn: today}
			if err := c.row(ctx, `INSERT INTO certificates (enrollment_id, code, issued_on, issued_by, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, cert.EnrollmentID, cert.Code, cert.IssuedOn, nullID(a.UserID),
				now, now).Scan(&cert.ID); err != nil {
				return err
			}
			fields := certificateFields(cert)
			delete(fields, "reason")
			if err := s.audit(ctx, c, a, event{action: birge.ActionCreate, entity: birge.EntityCertificate,
				entityID: cert.ID, orgID: h.OrgID, centerID: h.CenterID, changes: birge.Diff(nil, fields)}); err != nil {
				return err
			}
			issued++
		}
		return nil
	})
	return issued, err
}

// Certificates lists the certificates of a cohort's women, revoked ones too, to those
// who see the cohort.
func (t *Trainings) Certificates(ctx context.Context, a *birge.Actor, cohortID int64) ([]birge.CertificateText, error) {
	if _, err := t.Cohort(ctx, a, cohortID); err != nil {
		return nil, err
	}
	rows, err := t.s.read().query(ctx, `SELECT `+certificateColumns+certificateFrom+` WHERE e.cohort_id = ? ORDER BY c.id`, cohortID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []birge.CertificateText{}
	for rows.Next() {
		r, err := scanCertificate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r.CertificateText)
	}
	return out, rows.Err()
}

// Certificate returns a certificate of a cohort the actor sees (a trainer: the cohorts
// she trains), with what it says.
func (t *Trainings) Certificate(ctx context.Context, a *birge.Actor, id int64) (birge.CertificateText, error) {
	r, _, err := t.certificate(ctx, t.s.read(), a, birge.PermTrainingView, id)
	return r.CertificateText, err
}

func (t *Trainings) certificate(ctx context.Context, c q, a *birge.Actor, perm birge.Permission, id int64) (certificateRow, birge.Cohort, error) {
	r, err := scanCertificate(c.row(ctx, `SELECT `+certificateColumns+certificateFrom+` WHERE c.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, birge.Cohort{}, birge.ErrNotFound
	} else if err != nil {
		return r, birge.Cohort{}, err
	}
	h, err := t.cohort(ctx, c, a, perm, r.CohortID)
	if err != nil {
		return certificateRow{}, h, err
	}
	return r, h, nil
}

// RevokeCertificate revokes a certificate of a cohort the actor runs, with the reason
// (audited, sealed with her key). Its code then answers "revoked"; revoking it again is
// a conflict.
func (t *Trainings) RevokeCertificate(ctx context.Context, a *birge.Actor, id int64, reason string) (birge.CertificateText, error) {
	s := t.s
	var out birge.CertificateText
	if err := birge.ValidateRevokeReason(reason); err != nil {
		return out, err
	}
	err := s.tx(ctx, func(c q) error {
		if err := lockRow(ctx, c, "certificates", id); err != nil {
			return err
		}
		old, h, err := t.certificate(ctx, c, a, birge.PermTrainingManage, id)
		if err != nil {
			return err
		}
		if old.RevokedAt != nil {
			return &birge.Error{Kind: birge.KindConflict, Key: "certificate.revoked_already"}
		}
		now := s.now()
		if _, err := c.exec(ctx, `UPDATE certificates SET revoked_at = ?, revoked_by = ?, revoke_reason = ?, updated_at = ?
			WHERE id = ?`, now, nullID(a.UserID), reason, nextVersion(now, old.UpdatedAt), id); err != nil {
			return err
		}
		revoked := old.Certificate
		revoked.RevokedAt, revoked.RevokeReason = &now, reason
		changes := birge.Diff(certificateFields(old.Certificate), certificateFields(revoked))
		changes["person_id"] = birge.Change{Before: old.PersonID, After: old.PersonID} // seals the entry with her key
		if err := s.audit(ctx, c, a, event{action: birge.ActionUpdate, entity: birge.EntityCertificate, entityID: id,
			orgID: h.OrgID, centerID: h.CenterID, changes: changes}); err != nil {
			return err
		}
		r, _, err := t.certificate(ctx, c, a, birge.PermTrainingView, id)
		out = r.CertificateText
		return err
	})
	return out, err
}

// certificatesOf is every certificate of hers, revoked ones too, for her dossier.
func (t *Trainings) certificatesOf(ctx context.Context, personID int64) ([]birge.Certificate, error) {
	rows, err := t.s.read().query(ctx, `SELECT `+certificateColumns+certificateFrom+` WHERE e.person_id = ? ORDER BY c.id`, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []birge.Certificate{}
	for rows.Next() {
		r, err := scanCertificate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r.Certificate)
	}
	return out, rows.Err()
}

// verifyKey counts the lookups of codes not found from an address, in the sign-in
// throttle's table.
func verifyKey(ip string) string { return "certificate:" + birge.ThrottleAddress(ip) }

// VerifyCertificate is the public lookup of a code typed by anyone, from the address ip:
// the certificate, or ErrNotFound for a code that is malformed, unknown, or whose woman
// was anonymised — all three alike, so the answer says nothing more. An address that
// has missed too often waits (birge.VerifyWait) before its next lookup.
func (t *Trainings) VerifyCertificate(ctx context.Context, ip, typed string) (birge.CertificateText, error) {
	s := t.s
	key := verifyKey(ip)
	var f birge.Failures
	err := s.read().row(ctx, `SELECT failures, last_failure FROM login_throttle WHERE key = ?`, key).Scan(&f.Count, &f.Last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return birge.CertificateText{}, err
	}
	if wait := birge.VerifyWait(s.now(), f); wait > 0 {
		return birge.CertificateText{}, &birge.Error{Kind: birge.KindTooMany, Key: "login.throttled",
			Args: map[string]any{"seconds": int((wait + time.Second - 1) / time.Second)}}
	}
	miss := func() (birge.CertificateText, error) {
		if err := s.tx(ctx, func(c q) error { return s.bumpThrottle(ctx, c, key) }); err != nil {
			return birge.CertificateText{}, err
		}
		return birge.CertificateText{}, birge.ErrNotFound
	}
	code, ok := birge.NormalizeCertificateCode(typed)
	if !ok {
		return miss()
	}
	r, err := scanCertificate(s.read().row(ctx, `SELECT `+certificateColumns+certificateFrom+` WHERE c.code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && r.anonymised) {
		return miss()
	} else if err != nil {
		return birge.CertificateText{}, err
	}
	return r.CertificateText, nil
}
