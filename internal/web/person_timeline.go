package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/request"
)

// timelinePage is how many events a person's page shows at a time.
const timelinePage = 20

// timelineItem is one line of a person's history as her page shows it.
type timelineItem struct {
	At       time.Time
	What     string          // what happened
	Detail   string          // the fields changed, the consent's purpose, the relative's kind
	Relation *birge.Relation // the relative, linked when the viewer may open her record
	Actor    string
}

// personTimeline reads a page of her history, from the cursor in the address, and the
// address of the next page ("" on the last).
func (s *Server) personTimeline(r *http.Request, id int64) ([]timelineItem, string, error) {
	info := request.From(r.Context())
	events, err := s.store.People.Timeline(r.Context(), info.Actor, id, r.URL.Query().Get("before"), timelinePage+1)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(events) > timelinePage {
		events = events[:timelinePage]
		next = "/people/" + strconv.FormatInt(id, 10) + "?before=" + url.QueryEscape(events[timelinePage-1].Cursor) + "#timeline"
	}
	items := make([]timelineItem, len(events))
	for i, e := range events {
		items[i] = timelineItem{At: e.At, What: info.P.T("timeline." + e.Kind), Relation: e.Relation, Actor: e.Actor}
		switch {
		case len(e.Fields) > 0:
			items[i].Detail = fieldLabels(info.P, e.Fields)
		case e.Purpose != "":
			items[i].Detail = info.P.T("consent.purpose." + e.Purpose)
		case e.Relation != nil:
			items[i].Detail = info.P.T("relation." + e.Relation.Kind)
		}
	}
	return items, next, nil
}

// personFieldLabels name the fields of a person's record as her form does; fields shown
// together on the page (birth date and year, the safe-contact choices) share a label.
var personFieldLabels = map[string]string{
	"center_id": "person.center", "family_name": "person.family_name", "given_name": "person.given_name",
	"patronymic": "person.patronymic", "sex": "person.sex", "birth_date": "person.birth", "birth_year": "person.birth",
	"iin": "person.iin", "pin": "person.pin", "phones": "person.phones", "email": "user.email",
	"country": "field.country", "region": "center.region", "district": "center.district",
	"settlement": "person.settlement", "rural": "person.rural", "children": "person.children",
	"income_band": "person.income_band", "special_needs": "person.special_needs", "may_call": "person.safe_contact",
	"call_times": "person.safe_contact", "may_leave_message": "person.safe_contact", "categories": "person.categories",
	"sensitive_categories": "timeline.field.sensitive_categories",
}

// fieldLabels lists the changed fields by their labels, each once.
func fieldLabels(p *i18n.Printer, fields []string) string {
	var labels []string
	for _, f := range fields {
		key, ok := personFieldLabels[f]
		if !ok {
			key = "timeline.field.other"
		}
		if l := p.T(key); !slices.Contains(labels, l) {
			labels = append(labels, l)
		}
	}
	return strings.Join(labels, ", ")
}
