package store_test

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// completedCohort is a cohort with four women: the first two completed it (the first on
// a day the completion rule set), the third is enrolled, the fourth dropped out.
func completedCohort(t *testing.T, st *store.Store) (*peopleFixture, birge.Cohort, []birge.Enrollment) {
	t.Helper()
	ctx := context.Background()
	fx, h := trainingFixture(t, st, 5)
	var es []birge.Enrollment
	for i, name := range []string{"Әйгерім", "Гүлнәр", "Жанар", "Меруерт"} {
		her := fx.register(t, fx.admin, birge.Person{CenterID: fx.almaty.ID, GivenName: name, FamilyName: "Құрманғазықызы"})
		e, err := st.Trainings.Enroll(ctx, fx.admin, h.ID, birge.Enrollment{PersonID: her.ID})
		if err != nil {
			t.Fatal(err)
		}
		switch i {
		case 0, 1:
			e.Status = birge.EnrollmentCompleted
		case 3:
			e.Status, e.Reason = birge.EnrollmentDropped, "Көшіп кетті"
		}
		if e, err = st.Trainings.UpdateEnrollment(ctx, fx.admin, e); err != nil {
			t.Fatal(err)
		}
		es = append(es, e)
	}
	if _, err := store.Exec(ctx, st, `UPDATE enrollments SET completed_on = '2027-02-20' WHERE id = `+strconv.FormatInt(es[0].ID, 10)); err != nil {
		t.Fatal(err)
	}
	return fx, h, es
}

// TestCertificatesIssueOnce: issuing gives one certificate to each woman who completed,
// none to the others, and issuing again gives nothing new; a revoked certificate makes
// room for a new one. A trainer sees her cohort's certificates but issues none.
func TestCertificatesIssueOnce(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx, h, es := completedCohort(t, st)
		if _, err := st.Trainings.IssueCertificates(ctx, fx.trainer, h.ID); !errors.Is(err, birge.ErrForbidden) {
			t.Errorf("a trainer issues: %v", err)
		}
		if _, err := st.Trainings.IssueCertificates(ctx, fx.caseworker, h.ID); !errors.Is(err, birge.ErrNotFound) {
			t.Errorf("a case worker issues: %v", err)
		}
		n, err := st.Trainings.IssueCertificates(ctx, fx.admin, h.ID)
		if err != nil || n != 2 {
			t.Fatalf("issued %d, %v; want 2", n, err)
		}
		if n, err := st.Trainings.IssueCertificates(ctx, fx.admin, h.ID); err != nil || n != 0 {
			t.Errorf("issued again %d, %v; want 0", n, err)
		}
		list, err := st.Trainings.Certificates(ctx, fx.trainer, h.ID)
		if err != nil || len(list) != 2 {
			t.Fatalf("the trainer's list: %d, %v", len(list), err)
		}
		first := list[0]
		if first.EnrollmentID != es[0].ID || first.Name != es[0].PersonName || first.CompletedOn != "2027-02-20" ||
			first.Hours != 24 || first.Course.KK != "Кәсіпкерлік" || first.Language != "kk" || first.Place == "" ||
			first.IssuedOn != "2027-01-01" || len(first.Code) != 11 || first.Code[5] != '-' {
			t.Errorf("first certificate: %+v", first)
		}
		if list[1].CompletedOn != h.EndsOn {
			t.Errorf("without a completion day, completed on %s, want the cohort's last day %s", list[1].CompletedOn, h.EndsOn)
		}
		if _, err := st.Trainings.Certificate(ctx, fx.caseworker, first.ID); !errors.Is(err, birge.ErrNotFound) {
			t.Errorf("a case worker opens a certificate: %v", err)
		}
		// Revoked, the next issue gives her a new one with a new code.
		if _, err := st.Trainings.RevokeCertificate(ctx, fx.trainer, first.ID, "Қате"); !errors.Is(err, birge.ErrForbidden) {
			t.Errorf("a trainer revokes: %v", err)
		}
		if _, err := st.Trainings.RevokeCertificate(ctx, fx.admin, first.ID, " "); birge.AsError(err).Fields["reason"] == "" {
			t.Errorf("revoked without a reason: %v", err)
		}
		got, err := st.Trainings.RevokeCertificate(ctx, fx.admin, first.ID, "Берілген қате: жобасы қабылданбаған")
		if err != nil || got.RevokedAt == nil || got.RevokeReason == "" {
			t.Fatalf("revoke: %+v, %v", got, err)
		}
		if _, err := st.Trainings.RevokeCertificate(ctx, fx.admin, first.ID, "Тағы"); birge.AsError(err).Kind != birge.KindConflict {
			t.Errorf("revoked twice: %v", err)
		}
		if n, err := st.Trainings.IssueCertificates(ctx, fx.admin, h.ID); err != nil || n != 1 {
			t.Errorf("after a revocation issued %d, %v; want 1", n, err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM audit_log WHERE entity = 'certificate' AND changes LIKE '%жобасы%'`); n != 0 {
			t.Errorf("%d entries show why it was revoked in the clear", n)
		}
	})
}

// TestCertificateVerify: the public lookup finds a valid code however it is typed,
// says a revoked one is revoked, and answers not found for a wrong, a malformed or a
// hostile code alike; an address that keeps missing is made to wait.
func TestCertificateVerify(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx, h, es := completedCohort(t, st)
		if _, err := st.Trainings.IssueCertificates(ctx, fx.admin, h.ID); err != nil {
			t.Fatal(err)
		}
		list, _ := st.Trainings.Certificates(ctx, fx.admin, h.ID)
		code := list[0].Code
		for _, typed := range []string{code, strings.ToLower(code), strings.ReplaceAll(code, "-", " "), " " + strings.ReplaceAll(code, "-", "") + " "} {
			got, err := st.Trainings.VerifyCertificate(ctx, "10.0.0.1", typed)
			if err != nil || got.Name != es[0].PersonName || got.RevokedAt != nil || got.Course.EN != "Entrepreneurship" {
				t.Errorf("%q: %+v, %v", typed, got, err)
			}
		}
		if _, err := st.Trainings.RevokeCertificate(ctx, fx.admin, list[1].ID, "Қате берілді"); err != nil {
			t.Fatal(err)
		}
		if got, err := st.Trainings.VerifyCertificate(ctx, "10.0.0.1", list[1].Code); err != nil || got.RevokedAt == nil {
			t.Errorf("revoked: %+v, %v", got, err)
		}
		wrong := []string{"", "0000000000", "00000-00000", strings.Repeat("Z", 10000), "'; DROP TABLE certificates; --", code + "X"}
		if b, err := os.ReadFile("../../testdata/blns.txt"); err == nil {
			for _, line := range strings.Split(string(b), "\n") {
				if line != "" && !strings.HasPrefix(line, "#") {
					wrong = append(wrong, line)
				}
			}
		}
		// Each miss counts against the address: spread over addresses, none waits.
		for i, typed := range wrong {
			ip := "10.1." + strconv.Itoa(i/10) + "." + strconv.Itoa(i%10)
			if _, err := st.Trainings.VerifyCertificate(ctx, ip, typed); !errors.Is(err, birge.ErrNotFound) {
				t.Fatalf("%q: %v, want not found", typed, err)
			}
		}
		// One address missing again and again waits before its next lookup, even of a
		// right code.
		for range birge.FreeFailuresAddress {
			if _, err := st.Trainings.VerifyCertificate(ctx, "10.9.9.9", "AAAAA-AAAAA"); !errors.Is(err, birge.ErrNotFound) {
				t.Fatal(err)
			}
		}
		if _, err := st.Trainings.VerifyCertificate(ctx, "10.9.9.9", code); birge.KindOf(err) != birge.KindTooMany {
			t.Errorf("after %d misses: %v, want too many", birge.FreeFailuresAddress, err)
		}
	})
}

// TestCertificateFollowsHer: merging her record moves her enrolment and its certificate
// with it (undo moves them back); anonymised, her certificate shows her name nowhere and
// its code is not found, as if it never was, while the row stays for the counts.
func TestCertificateFollowsHer(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx, h, es := completedCohort(t, st)
		if _, err := st.Trainings.IssueCertificates(ctx, fx.admin, h.ID); err != nil {
			t.Fatal(err)
		}
		list, _ := st.Trainings.Certificates(ctx, fx.admin, h.ID)
		cert := list[0]
		twin := es[0].PersonID
		if d, err := st.People.Dossier(ctx, fx.admin, twin); err != nil || len(d.Certificates) != 1 || d.Certificates[0].Code != cert.Code {
			t.Errorf("her dossier's certificates: %+v, %v", d.Certificates, err)
		}
		her := fx.register(t, fx.admin, birge.Person{CenterID: fx.almaty.ID, GivenName: "Әйгерім", FamilyName: "Құрманғазықызы"})
		m, err := st.People.Merge(ctx, fx.admin, her.ID, twin, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := st.Trainings.Certificate(ctx, fx.admin, cert.ID)
		if err != nil || got.PersonID != her.ID || got.Code != cert.Code {
			t.Errorf("after the merge: %+v, %v; want %d's", got, err, her.ID)
		}
		if err := st.People.UndoMerge(ctx, fx.admin, her.ID, m.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.Trainings.Certificate(ctx, fx.admin, cert.ID); got.PersonID != twin {
			t.Errorf("after undo the certificate is %d's, want %d's", got.PersonID, twin)
		}
		if err := st.People.Anonymise(ctx, fx.admin, twin); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Trainings.VerifyCertificate(ctx, "10.0.0.2", cert.Code); !errors.Is(err, birge.ErrNotFound) {
			t.Errorf("the code of an anonymised woman: %v, want not found", err)
		}
		got, err = st.Trainings.Certificate(ctx, fx.admin, cert.ID)
		if err != nil || got.Name != "" {
			t.Errorf("staff's view after anonymisation: %+v, %v", got, err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM audit_log WHERE entity = 'certificate' AND changes LIKE '%`+strings.ReplaceAll(cert.Code, "-", "")+`%'`); n != 0 {
			t.Errorf("%d entries show her code in the clear", n)
		}
	})
}
