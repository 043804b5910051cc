package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/request"
)

// personDossier is everything held about a person, as a page to print or hand to her.
// Each opening is a new export, logged and audited by the store.
func (s *Server) personDossier(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	d, err := s.store.People.Dossier(r.Context(), info.Actor, pathInt(r, "id"))
	if err != nil {
		return err
	}
	ctr, err := s.store.GetCenter(r.Context(), info.Actor, d.Person.CenterID)
	if err != nil {
		return err
	}
	type entry struct {
		E       birge.AuditEntry
		Changes []auditChange
	}
	read := s.auditReader(r)
	history := make([]entry, len(d.Audit))
	for i, e := range d.Audit {
		history[i] = entry{e, read.changes(e)}
	}
	categories, err := s.categoryNames(r, d.Person.OrgID)
	if err != nil {
		return err
	}
	outcomes, err := s.dossierOutcomes(r, d)
	if err != nil {
		return err
	}
	services, err := s.dossierServices(r, d)
	if err != nil {
		return err
	}
	referrals, err := s.dossierReferrals(r, d.Referrals)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "person/dossier", nil, map[string]any{"D": d, "Center": ctr.Names.In(info.Lang),
		"History": history, "CategoryNames": categories, "Services": services, "Outcomes": outcomes, "Referrals": referrals})
}

// personDossierJSON is the same as a file to download and hand over.
func (s *Server) personDossierJSON(w http.ResponseWriter, r *http.Request) error {
	d, err := s.store.People.Dossier(r.Context(), request.From(r.Context()).Actor, pathInt(r, "id"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", `attachment; filename="person-`+strconv.FormatInt(d.Person.ID, 10)+`.json"`)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}

// personAnonymiseForm asks to confirm an anonymisation by typing a word: it cannot be
// undone, so one click must never do it.
func (s *Server) personAnonymiseForm(w http.ResponseWriter, r *http.Request) error {
	return s.renderAnonymise(w, r, http.StatusOK, newForm())
}

func (s *Server) renderAnonymise(w http.ResponseWriter, r *http.Request, status int, f *form) error {
	info := request.From(r.Context())
	a := info.Actor
	p, err := s.store.People.Get(r.Context(), a, pathInt(r, "id"))
	if err != nil {
		return err
	}
	if !a.Can(birge.PermPersonRights, p.OrgID, p.CenterID) {
		return birge.ErrForbidden
	}
	word := info.P.T("person.anonymise_word")
	confirm := fieldView{Name: "confirm", Label: info.P.T("person.anonymise_confirm", "word", word), Value: f.get("confirm")}
	if key := f.Errors["confirm"]; key != "" {
		confirm.Error = info.P.T(key)
	}
	return s.render(w, r, status, "person/anonymise", f, map[string]any{"Person": p, "Confirm": confirm})
}

// personAnonymise erases a person's identity once the word is typed, in any of the four
// languages (the page may have been shown in another).
func (s *Server) personAnonymise(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	typed := strings.TrimSpace(f.get("confirm"))
	confirmed := false
	for _, lang := range i18n.Langs {
		confirmed = confirmed || strings.EqualFold(typed, i18n.For(lang).T("person.anonymise_word"))
	}
	if !confirmed {
		f.Errors["confirm"] = "person.anonymise_wrong"
		f.Error = "error.invalid"
		return s.renderAnonymise(w, r, http.StatusUnprocessableEntity, f)
	}
	if err := s.store.People.Anonymise(r.Context(), request.From(r.Context()).Actor, pathInt(r, "id")); err != nil {
		return err
	}
	return redirect(w, r, "/people", "flash.person_anonymised")
}
