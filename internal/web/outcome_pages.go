package web

import (
	"net/http"
	"strconv"

	"github.com/birge-org/birge/internal/api"
	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// outcomeRecord records an outcome from her page, with its evidence file if one is
// attached.
func (s *Server) outcomeRecord(w http.ResponseWriter, r *http.Request) error {
	id := pathInt(r, "id")
	f, upload, err := outcomeForm(w, r)
	if err == nil {
		_, err = s.store.Outcomes.Record(r.Context(), request.From(r.Context()).Actor, outcomeFromForm(f, id, upload))
	}
	if err != nil {
		if f != nil && failOutcome(f, err) {
			// A browser never sends a file back: say so beside the field, unless the file
			// itself was the problem.
			if _, refused := f.Errors["evidence_file"]; upload != nil && !refused {
				f.Errors["evidence_file"] = "outcome.file_again"
			}
			return s.renderPerson(w, r, http.StatusUnprocessableEntity, f, "")
		}
		return err
	}
	return redirect(w, r, "/people/"+strconv.FormatInt(id, 10)+"#outcomes", "flash.outcome_recorded")
}

// herOutcome loads the outcome in the path, which must be one of hers (the person in
// the path), as the viewer may see it.
func (s *Server) herOutcome(r *http.Request) (birge.Outcome, error) {
	o, err := s.store.Outcomes.Get(r.Context(), request.From(r.Context()).Actor, pathInt(r, "outcome"))
	if err == nil && o.PersonID != pathInt(r, "id") {
		err = birge.ErrNotFound
	}
	return o, err
}

// outcomeEdit shows the form to change an outcome recorded by hand.
func (s *Server) outcomeEdit(w http.ResponseWriter, r *http.Request) error {
	o, err := s.herOutcome(r)
	if err != nil {
		return err
	}
	f := newForm()
	f.Values["outcome_kind"], f.Values["outcome_date"], f.Values["evidence"] = o.Kind, o.Date, o.Evidence
	if o.ProgramID != nil {
		f.Values["outcome_program"] = strconv.FormatInt(*o.ProgramID, 10)
	}
	if v := o.Value; v != nil {
		f.Values["outcome_value"], f.Values["outcome_currency"] = strconv.FormatInt(v.Amount, 10), v.Currency
		if v.Currency != "" {
			f.Values["outcome_value"] = strconv.FormatInt(v.Amount/100, 10)
		}
	}
	return s.renderOutcomeEdit(w, r, http.StatusOK, f, o)
}

func (s *Server) renderOutcomeEdit(w http.ResponseWriter, r *http.Request, status int, f *form, o birge.Outcome) error {
	a := request.From(r.Context()).Actor
	p, err := s.store.People.Get(r.Context(), a, o.PersonID)
	if err != nil {
		return err
	}
	if !a.Can(birge.PermOutcomeRecord, p.OrgID, p.CenterID) {
		return birge.ErrForbidden
	}
	if !o.Manual() {
		return &birge.Error{Kind: birge.KindConflict, Key: "outcome.not_manual", Args: map[string]any{"source": o.Source}}
	}
	choices, err := s.outcomeChoices(r, p)
	if err != nil {
		return err
	}
	return s.render(w, r, status, "outcome/edit", f, map[string]any{"Person": p, "Outcome": o, "Choices": choices})
}

// outcomeUpdate saves the changes to an outcome recorded by hand: a new file replaces
// the attached one, a tick removes it.
func (s *Server) outcomeUpdate(w http.ResponseWriter, r *http.Request) error {
	old, err := s.herOutcome(r)
	if err != nil {
		return err
	}
	f, upload, err := outcomeForm(w, r)
	if err == nil {
		o := outcomeFromForm(f, old.PersonID, upload)
		o.ID = old.ID
		_, err = s.store.Outcomes.Update(r.Context(), request.From(r.Context()).Actor, o)
	}
	if err != nil {
		if f != nil && failOutcome(f, err) {
			return s.renderOutcomeEdit(w, r, http.StatusUnprocessableEntity, f, old)
		}
		return err
	}
	return redirect(w, r, "/people/"+strconv.FormatInt(old.PersonID, 10)+"#outcomes", "flash.outcome_saved")
}

// outcomeDelete deletes an outcome recorded by hand by mistake.
func (s *Server) outcomeDelete(w http.ResponseWriter, r *http.Request) error {
	o, err := s.herOutcome(r)
	if err != nil {
		return err
	}
	if err := s.store.Outcomes.Delete(r.Context(), request.From(r.Context()).Actor, o.ID); err != nil {
		return err
	}
	return redirect(w, r, "/people/"+strconv.FormatInt(o.PersonID, 10)+"#outcomes", "flash.outcome_deleted")
}

// outcomeFile downloads an outcome's evidence file, to those who see the outcome.
func (s *Server) outcomeFile(w http.ResponseWriter, r *http.Request) error {
	o, err := s.herOutcome(r)
	if err != nil {
		return err
	}
	f, content, err := s.store.Outcomes.File(r.Context(), request.From(r.Context()).Actor, o.ID)
	if err != nil {
		return err
	}
	api.WriteEvidence(w, f, content)
	return nil
}

// dossierOutcomes are every outcome of hers, for her dossier's page: programmes named
// where the reader sees them.
func (s *Server) dossierOutcomes(r *http.Request, d store.Dossier) ([]outcomeRow, error) {
	kinds, err := s.store.Outcomes.Kinds(r.Context(), request.From(r.Context()).Actor, d.Person.OrgID)
	if err != nil {
		return nil, err
	}
	ids := make([]*int64, len(d.Outcomes))
	for i, o := range d.Outcomes {
		ids[i] = o.ProgramID
	}
	names, err := s.programNames(r, ids)
	if err != nil {
		return nil, err
	}
	return s.outcomeRows(r, kinds, d.Outcomes, names)
}

// programNames names the programmes of her records that the reader sees, in the
// reader's language; nil ids are of no programme.
func (s *Server) programNames(r *http.Request, ids []*int64) (map[int64]string, error) {
	info := request.From(r.Context())
	names := map[int64]string{}
	for _, id := range ids {
		if id == nil {
			continue
		}
		if _, done := names[*id]; done {
			continue
		}
		p, err := s.store.Programs.Get(r.Context(), info.Actor, *id)
		switch birge.KindOf(err) {
		case birge.KindNotFound, birge.KindForbidden:
			continue
		}
		if err != nil {
			return nil, err
		}
		names[p.ID] = p.Names.In(info.Lang)
	}
	return names, nil
}
