package api

import (
	"net/http"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
)

// Certificates of a training (issue 12, decision 0032). Staff issue, read and revoke
// them by id (/training-certificates/{id}, beside /training-sessions/{id}); anyone
// checks one by its code (/certificates/{code}), with no account.

// certificateOut is a certificate as staff read it: what it says, in every language of
// the course's name; the cohort's language is the one it is printed in.
type certificateOut struct {
	birge.Certificate
	PersonName  string `json:"person_name"`
	CourseKK    string `json:"course_kk"`
	CourseRU    string `json:"course_ru"`
	CourseKY    string `json:"course_ky"`
	CourseEN    string `json:"course_en"`
	Language    string `json:"language"`
	Hours       int    `json:"hours"`
	StartsOn    string `json:"starts_on"`
	EndsOn      string `json:"ends_on"`
	CompletedOn string `json:"completed_on"`
	Place       string `json:"place"`
}

func certificateJSON(c birge.CertificateText) certificateOut {
	return certificateOut{Certificate: c.Certificate, PersonName: c.Name, CourseKK: c.Course.KK, CourseRU: c.Course.RU,
		CourseKY: c.Course.KY, CourseEN: c.Course.EN, Language: c.Language, Hours: c.Hours, StartsOn: c.StartsOn,
		EndsOn: c.EndsOn, CompletedOn: c.CompletedOn, Place: c.Place}
}

// ListCertificates returns the certificates of a cohort's women, revoked ones too.
func (a *API) ListCertificates(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	items, err := a.store.Trainings.Certificates(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	out := make([]certificateOut, len(items))
	for i, c := range items {
		out[i] = certificateJSON(c)
	}
	return writeJSON(w, http.StatusOK, list(out, len(out), func(c certificateOut) int64 { return c.ID }))
}

// IssueCertificates gives one to every woman of the cohort who completed it and has
// none; it says how many it issued (0 the second time) and lists them all.
func (a *API) IssueCertificates(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n, err := a.store.Trainings.IssueCertificates(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	items, err := a.store.Trainings.Certificates(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	out := make([]certificateOut, len(items))
	for i, c := range items {
		out[i] = certificateJSON(c)
	}
	return writeJSON(w, http.StatusOK, struct {
		Issued int              `json:"issued"`
		Items  []certificateOut `json:"items"`
	}{n, out})
}

// GetCertificate returns one certificate, to those who see its cohort.
func (a *API) GetCertificate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := a.store.Trainings.Certificate(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, certificateJSON(c))
}

// RevokeCertificate revokes a certificate, with {"reason": …}.
func (a *API) RevokeCertificate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var body struct {
		Reason string `json:"reason"`
	}
	if err := decode(w, r, &body); err != nil {
		return err
	}
	c, err := a.store.Trainings.RevokeCertificate(r.Context(), actor(r), id, body.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, certificateJSON(c))
}

// publicCertificate is what anyone learns from a code: a valid certificate's name,
// course and day of completion — nothing more; a revoked one's day of revocation only.
type publicCertificate struct {
	Code        string `json:"code"`
	Revoked     bool   `json:"revoked"`
	RevokedOn   string `json:"revoked_on,omitempty"`
	Name        string `json:"name,omitempty"`
	CourseKK    string `json:"course_kk,omitempty"`
	CourseRU    string `json:"course_ru,omitempty"`
	CourseKY    string `json:"course_ky,omitempty"`
	CourseEN    string `json:"course_en,omitempty"`
	CompletedOn string `json:"completed_on,omitempty"`
}

// VerifyCertificate is the public check of a code: no account; a code malformed,
// unknown, or of a woman who was anonymised is a 404; an address that misses too often
// waits (429).
func (a *API) VerifyCertificate(w http.ResponseWriter, r *http.Request) error {
	c, err := a.store.Trainings.VerifyCertificate(r.Context(), request.From(r.Context()).IP, r.PathValue("code"))
	if err != nil {
		return err
	}
	out := publicCertificate{Code: c.Code}
	if c.RevokedAt != nil {
		out.Revoked, out.RevokedOn = true, birge.Day(*c.RevokedAt, birge.Location("")).Format(time.DateOnly)
	} else {
		out.Name, out.CompletedOn = c.Name, c.CompletedOn
		out.CourseKK, out.CourseRU, out.CourseKY, out.CourseEN = c.Course.KK, c.Course.RU, c.Course.KY, c.Course.EN
	}
	return writeJSON(w, http.StatusOK, out)
}
