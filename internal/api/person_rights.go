package api

import "net/http"

// PersonDossier returns everything held about a person, for her request to see it:
// her record with the identity number in full and every category, the audit entries
// about her and the access log of her record. The export is itself logged and audited.
func (a *API) PersonDossier(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := a.store.People.Dossier(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

// AnonymisePerson erases a person's identity on her request (DELETE /api/v1/people/{id}):
// irreversible; her record stays, nameless, in every count.
func (a *API) AnonymisePerson(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.store.People.Anonymise(r.Context(), actor(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
