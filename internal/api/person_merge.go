package api

import (
	"net/http"

	"github.com/birge-org/birge/internal/birge"
)

// MergePerson merges the record other_id into this one, which is kept and returned with
// the merge's id, for undoing it. choices, optional, say field by field which record's
// value the kept record takes ("kept" or "other"), as the comparison screen does.
func (a *API) MergePerson(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var body struct {
		OtherID int64             `json:"other_id"`
		Choices birge.MergeChoice `json:"choices"`
	}
	if err := decode(w, r, &body); err != nil {
		return err
	}
	m, err := a.store.People.Merge(r.Context(), actor(r), id, body.OtherID, body.Choices)
	if err != nil {
		return err
	}
	p, err := a.store.People.Get(r.Context(), actor(r), m.KeptID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, struct {
		MergeID int64        `json:"merge_id"`
		Person  birge.Person `json:"person"`
	}{m.ID, p})
}

// UndoMerge undoes a merge into this person and returns her as she was before it.
func (a *API) UndoMerge(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	merge, err := pathID(r, "merge")
	if err != nil {
		return err
	}
	if err := a.store.People.UndoMerge(r.Context(), actor(r), id, merge); err != nil {
		return err
	}
	p, err := a.store.People.Get(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}
