package web

import (
	"net/http"
	"strconv"

	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// duplicatesQueue lists suspected duplicates whose two records the user may edit, with
// a merge either way and "not the same person" for each pair.
func (s *Server) duplicatesQueue(w http.ResponseWriter, r *http.Request) error {
	return s.renderQueue(w, r, http.StatusOK, newForm())
}

func (s *Server) renderQueue(w http.ResponseWriter, r *http.Request, status int, f *form) error {
	info := request.From(r.Context())
	before, _ := strconv.ParseInt(r.URL.Query().Get("cursor"), 10, 64)
	queue, err := s.store.ListDuplicatePairs(r.Context(), info.Actor, before, 50)
	if err != nil {
		return err
	}
	centers, err := s.visibleCenters(r, store.CenterFilter{})
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, c := range centers {
		names[c.ID] = c.Names.In(info.Lang)
	}
	next := ""
	if queue.Next != 0 {
		next = "/people/duplicates?cursor=" + strconv.FormatInt(queue.Next, 10)
	}
	return s.render(w, r, status, "person/duplicates", f, map[string]any{"Pairs": queue.Items,
		"CenterNames": names, "Next": next})
}

// personMerge merges the record other_id into this one. A refusal (two identity
// numbers, a record merged meanwhile) is shown on the queue, where merges start.
func (s *Server) personMerge(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	id := pathInt(r, "id")
	if _, err := s.store.MergePeople(r.Context(), request.From(r.Context()).Actor, id, f.int64("other_id")); err != nil {
		if f.fail(err) {
			return s.renderQueue(w, r, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	return redirect(w, r, "/people/"+strconv.FormatInt(id, 10)+"#merges", "flash.merged")
}

// duplicateDismiss records that the two records of a pair are different women.
func (s *Server) duplicateDismiss(w http.ResponseWriter, r *http.Request) error {
	f := newForm()
	if err := s.store.DismissDuplicatePair(r.Context(), request.From(r.Context()).Actor, pathInt(r, "pair")); err != nil {
		if f.fail(err) {
			return s.renderQueue(w, r, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	return redirect(w, r, "/people/duplicates", "flash.not_duplicate")
}

// mergeUndo undoes a merge into this person; a refusal is shown on her page.
func (s *Server) mergeUndo(w http.ResponseWriter, r *http.Request) error {
	f := newForm()
	id := pathInt(r, "id")
	if err := s.store.UndoMerge(r.Context(), request.From(r.Context()).Actor, id, pathInt(r, "merge")); err != nil {
		if f.fail(err) {
			return s.renderPerson(w, r, http.StatusUnprocessableEntity, f, "")
		}
		return err
	}
	return redirect(w, r, "/people/"+strconv.FormatInt(id, 10), "flash.merge_undone")
}
