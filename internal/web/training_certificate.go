package web

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/certpdf"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/request"
)

// Certificates of a training (issue 12, decision 0032): issued from the cohort's page,
// each a printable page and a PDF in the cohort's language, checked by anyone on the
// public page /certificates by the code printed on it.

// verifyURL is the public address where a code is checked: the installation's own
// address when configured, else the one this request came to.
func (s *Server) verifyURL(r *http.Request, code string) string {
	base := strings.TrimSuffix(s.cfg.BaseURL, "/")
	if base == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	return base + "/certificates/" + url.PathEscape(code)
}

// certificatePage is what a certificate says, in the cohort's language (not the
// reader's): the printable page and the PDF are made from these same lines.
func certificatePage(c birge.CertificateText, verify string) certpdf.Page {
	p := i18n.For(c.Language)
	details := []string{p.N("certificate.hours", c.Hours),
		p.T("certificate.dates", "from", p.Day(c.StartsOn), "to", p.Day(c.EndsOn)),
		p.T("certificate.completed_on", "date", p.Day(c.CompletedOn))}
	if c.Place != "" {
		details = append(details, p.T("certificate.place", "place", c.Place))
	}
	issued, _ := time.Parse(time.DateOnly, c.IssuedOn)
	return certpdf.Page{Title: p.T("certificate.title"), Intro: p.T("certificate.intro"), Name: c.Name,
		Completed: p.T("certificate.completed"), Course: c.Course.In(c.Language), Details: details,
		Code: p.T("certificate.code_line", "code", c.Code), Check: p.T("certificate.check_at", "url", verify),
		Issued: issued}
}

// cohortCertificateList is the certificates section of a cohort's page: every
// certificate of its women, revoked ones too, and how many the last issue gave
// (?issued=, after the redirect).
type cohortCertificateList struct {
	Items  []birge.CertificateText
	Issued string // "" when the page does not follow an issue
	N      int
	Of     map[int64]int64 // enrolment → her certificate not revoked, for the link beside her name
}

func (s *Server) cohortCertificateList(r *http.Request, h birge.Cohort) (cohortCertificateList, error) {
	list, err := s.store.Trainings.Certificates(r.Context(), request.From(r.Context()).Actor, h.ID)
	out := cohortCertificateList{Items: list, Issued: r.URL.Query().Get("issued"), Of: map[int64]int64{}}
	for _, c := range list {
		if c.RevokedAt == nil {
			out.Of[c.EnrollmentID] = c.ID
		}
	}
	out.N, _ = strconv.Atoi(out.Issued)
	return out, err
}

// cohortCertificates issues a certificate to every woman of the cohort who completed it
// and has none; the cohort's page then says how many.
func (s *Server) cohortCertificates(w http.ResponseWriter, r *http.Request) error {
	id := pathInt(r, "id")
	n, err := s.store.Trainings.IssueCertificates(r.Context(), request.From(r.Context()).Actor, id)
	if err != nil {
		return err
	}
	return redirect(w, r, "/cohorts/"+strconv.FormatInt(id, 10)+"?issued="+strconv.Itoa(n)+"#certificates", "")
}

// certificateShow is the printable certificate, with (off paper) its PDF and, for those
// who run the cohort, the form to revoke it.
func (s *Server) certificateShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderCertificate(w, r, http.StatusOK, newForm())
}

func (s *Server) renderCertificate(w http.ResponseWriter, r *http.Request, status int, f *form) error {
	info := request.From(r.Context())
	c, err := s.store.Trainings.Certificate(r.Context(), info.Actor, pathInt(r, "id"))
	if err != nil {
		return err
	}
	h, err := s.store.Trainings.Cohort(r.Context(), info.Actor, c.CohortID)
	if err != nil {
		return err
	}
	return s.render(w, r, status, "training/certificate", f, map[string]any{"C": c, "RevokedOn": revokedOn(info, c),
		"Page": certificatePage(c, s.verifyURL(r, c.Code)), "CanManage": s.store.Trainings.MayManageCohort(info.Actor, h)})
}

// revokedOn is the day a certificate was revoked, in the reader's zone and language; ""
// while it is valid.
func revokedOn(info *request.Info, c birge.CertificateText) string {
	if c.RevokedAt == nil {
		return ""
	}
	return info.P.Date(c.RevokedAt.In(info.Actor.Location()))
}

// certificatePDF is the certificate as a PDF, made on the server with her name as typed.
func (s *Server) certificatePDF(w http.ResponseWriter, r *http.Request) error {
	c, err := s.store.Trainings.Certificate(r.Context(), request.From(r.Context()).Actor, pathInt(r, "id"))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := certpdf.Write(&buf, certificatePage(c, s.verifyURL(r, c.Code))); err != nil {
		return birge.Internal(err)
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="certificate-`+c.Code+`.pdf"`)
	w.Header().Set("Cache-Control", "private, no-store")
	_, err = w.Write(buf.Bytes())
	return err
}

// certificateRevoke revokes a certificate with the reason typed.
func (s *Server) certificateRevoke(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	id := pathInt(r, "id")
	if _, err := s.store.Trainings.RevokeCertificate(r.Context(), request.From(r.Context()).Actor, id, f.get("reason")); err != nil {
		if be := birge.AsError(err); be != nil && be.Kind == birge.KindConflict {
			f.Error = be.Key
			return s.renderCertificate(w, r, http.StatusConflict, f)
		}
		if f.fail(err) {
			return s.renderCertificate(w, r, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	return redirect(w, r, "/training-certificates/"+strconv.FormatInt(id, 10), "certificate.revoked_flash")
}

// certificateVerify is the public page where anyone types a code: valid (her name, the
// course, the day she completed it — nothing more), revoked, or not found. The code
// comes from the form (?code=) or the address (/certificates/{code}, the link printed
// on the certificate).
func (s *Server) certificateVerify(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	code := r.PathValue("code")
	if code == "" {
		code = r.URL.Query().Get("code")
	}
	f := newForm()
	f.Values["code"] = code
	if strings.TrimSpace(code) == "" {
		return s.render(w, r, http.StatusOK, "public/certificate", f, nil)
	}
	c, err := s.store.Trainings.VerifyCertificate(r.Context(), info.IP, code)
	switch {
	case errors.Is(err, birge.ErrNotFound):
		f.Errors["code"] = "verify.not_found"
		return s.render(w, r, http.StatusNotFound, "public/certificate", f, nil)
	case birge.KindOf(err) == birge.KindTooMany:
		f.Error, f.ErrorArgs = birge.AsError(err).Key, birge.AsError(err).Args
		return s.render(w, r, http.StatusTooManyRequests, "public/certificate", f, nil)
	case err != nil:
		return err
	}
	return s.render(w, r, http.StatusOK, "public/certificate", f, map[string]any{"C": c,
		"Course": c.Course.In(info.Lang), "RevokedOn": revokedOn(info, c)})
}
