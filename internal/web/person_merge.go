package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/birge-org/birge/internal/birge"
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
	queue, err := s.store.People.DuplicatePairs(r.Context(), info.Actor, before, 50)
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

// personMerge merges the record other_id into this one, the kept record taking the
// values chosen on the comparison screen (radios "choices.<field>"). A refusal (a
// choice that does not fit, two identity numbers) is shown on the screen; when the
// screen cannot be drawn (no other record, one merged meanwhile), on the queue.
func (s *Server) personMerge(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	choice := birge.MergeChoice{}
	for k, v := range f.Values {
		if field, ok := strings.CutPrefix(k, "choices."); ok {
			choice[field] = v
		}
	}
	id := pathInt(r, "id")
	if _, err := s.store.People.Merge(r.Context(), request.From(r.Context()).Actor, id, f.int64("other_id"), choice); err != nil {
		if !f.fail(err) {
			return err
		}
		err := s.renderMergeScreen(w, r, http.StatusUnprocessableEntity, f)
		if k := birge.KindOf(err); err == nil || (k != birge.KindInvalid && k != birge.KindNotFound) {
			return err
		}
		return s.renderQueue(w, r, http.StatusUnprocessableEntity, f)
	}
	return redirect(w, r, "/people/"+strconv.FormatInt(id, 10)+"#merges", "flash.merged")
}

// duplicateDismiss records that the two records of a pair are different women.
func (s *Server) duplicateDismiss(w http.ResponseWriter, r *http.Request) error {
	f := newForm()
	if err := s.store.People.DismissDuplicatePair(r.Context(), request.From(r.Context()).Actor, pathInt(r, "pair")); err != nil {
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
	if err := s.store.People.UndoMerge(r.Context(), request.From(r.Context()).Actor, id, pathInt(r, "merge")); err != nil {
		if f.fail(err) {
			return s.renderPerson(w, r, http.StatusUnprocessableEntity, f, "")
		}
		return err
	}
	return redirect(w, r, "/people/"+strconv.FormatInt(id, 10), "flash.merge_undone")
}
