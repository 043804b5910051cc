package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// relativeKinds are the kinds the page offers, in the order a coordinator thinks of
// them; a ward is a guardian seen from the other side.
var relativeKinds = []string{"child", "parent", "spouse", "guardian"}

// maxRelatives bounds the people the "add a relative" search lists: enough to pick
// from, few enough to read on a phone; a longer name narrows it.
const maxRelatives = 10

// relativeCandidates lists the people matching the relative search typed on her page,
// as the people list would find them for the actor, less herself and those linked to
// her already. A search the list refuses gets its message beside the search box.
func (s *Server) relativeCandidates(r *http.Request, f *form, p birge.Person) ([]store.PersonSummary, error) {
	q := strings.TrimSpace(f.get("relative"))
	if q == "" {
		return nil, nil
	}
	list, err := s.store.People.List(r.Context(), request.From(r.Context()).Actor, store.PeopleFilter{Q: q, Limit: maxRelatives})
	var e *birge.Error
	if errors.As(err, &e) && e.Fields["q"] != "" {
		f.Errors["relative"] = e.Fields["q"]
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	linked := map[int64]bool{p.ID: true}
	for _, rel := range p.Relations {
		linked[rel.OtherID] = true
	}
	var out []store.PersonSummary
	for _, c := range list.Items {
		if !linked[c.ID] {
			out = append(out, c)
		}
	}
	return out, nil
}

// relativeCenters names the centres of the people found, so that two women of the same
// name are told apart by where they are registered.
func (s *Server) relativeCenters(r *http.Request, found []store.PersonSummary) (map[int64]string, error) {
	names := map[int64]string{}
	if len(found) == 0 {
		return names, nil
	}
	centers, err := s.visibleCenters(r, store.CenterFilter{})
	for _, c := range centers {
		names[c.ID] = c.Names.In(request.From(r.Context()).Lang)
	}
	return names, err
}

// personRelate links her to the relative chosen among the search results on her page.
func (s *Server) personRelate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	id := pathInt(r, "id")
	if _, err := s.store.People.AddRelation(r.Context(), request.From(r.Context()).Actor, id, f.int64("other_id"), f.get("kind")); err != nil {
		if f.fail(err) {
			return s.renderPerson(w, r, http.StatusUnprocessableEntity, f, "")
		}
		return err
	}
	return redirect(w, r, "/people/"+strconv.FormatInt(id, 10)+"#relations", "flash.relation_added")
}

// personUnrelate removes a link from her page.
func (s *Server) personUnrelate(w http.ResponseWriter, r *http.Request) error {
	id := pathInt(r, "id")
	if err := s.store.People.RemoveRelation(r.Context(), request.From(r.Context()).Actor, id, pathInt(r, "relation")); err != nil {
		return err
	}
	return redirect(w, r, "/people/"+strconv.FormatInt(id, 10)+"#relations", "flash.relation_removed")
}
