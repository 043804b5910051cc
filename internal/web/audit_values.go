package web

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/geo"
	"github.com/birge-org/birge/internal/request"
)

// auditChange is one changed field of an audit entry as a person reads it: the field by
// its label, the values in the reader's language. Hidden is a change recorded without
// its values (a password).
type auditChange struct {
	Field, Before, After string
	Hidden               bool
}

// auditReading reads the changes of audit entries for one page, looking each centre and
// each organisation's categories up once.
type auditReading struct {
	s          *Server
	r          *http.Request
	info       *request.Info
	centers    map[int64]string
	orgs       map[int64]string
	categories map[int64]map[string]string
}

func (s *Server) auditReader(r *http.Request) *auditReading {
	return &auditReading{s: s, r: r, info: request.From(r.Context()), centers: map[int64]string{},
		orgs: map[int64]string{}, categories: map[int64]map[string]string{}}
}

// changes lists an entry's changes by their fields' labels, leaving out fields that were
// empty before and after (a new record's blank fields).
func (ar *auditReading) changes(e birge.AuditEntry) []auditChange {
	kind := e.Entity.Kind()
	var out []auditChange
	for field, c := range e.Changes {
		f := kind.Fields[field]
		label := field // a field birge's list does not name; its store test says so
		if f.Label != "" {
			label = ar.info.P.T(f.Label)
		}
		ch := auditChange{Field: label, Hidden: c.Before == nil && c.After == nil}
		if !ch.Hidden {
			ch.Before, ch.After = ar.value(e, f, c.Before), ar.value(e, f, c.After)
			if ch.Before == "" && ch.After == "" {
				continue
			}
		}
		out = append(out, ch)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Field < out[b].Field })
	return out
}

// value reads one value as the record's page shows it: yes or no, days in the language's
// form, codes by their labels, centres by name, other records by number.
func (ar *auditReading) value(e birge.AuditEntry, f birge.AuditField, v any) string {
	p := ar.info.P
	switch v := v.(type) {
	case nil:
		return ""
	case birge.Erased:
		return p.T("audit.erased")
	case bool:
		if v {
			return p.T("field.yes")
		}
		return p.T("field.no")
	case float64:
		n := int64(v)
		switch {
		case n == 0 && (f.Value == birge.ValueCenter || f.Value == birge.ValueOrganization || f.Value == birge.ValueRecord):
			return ""
		case f.Value == birge.ValueCenter:
			return ar.name(ar.centers, n, func() (birge.Names, error) {
				c, err := ar.s.store.GetCenter(ar.r.Context(), ar.info.Actor, n)
				return c.Names, err
			})
		case f.Value == birge.ValueOrganization:
			return ar.name(ar.orgs, n, func() (birge.Names, error) {
				o, err := ar.s.store.GetOrg(ar.r.Context(), ar.info.Actor, n)
				return o.Names, err
			})
		case f.Value == birge.ValueRecord:
			return "№" + strconv.FormatInt(n, 10)
		case float64(n) == v:
			return strconv.FormatInt(n, 10) // ungrouped: a birth year reads 1985
		}
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = ar.value(e, f, x)
		}
		return strings.Join(parts, ", ")
	case string:
		return ar.text(e, f, v)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// text reads a value written as text.
func (ar *auditReading) text(e birge.AuditEntry, f birge.AuditField, v string) string {
	p := ar.info.P
	if v == "" {
		return ""
	}
	switch f.Value {
	case birge.ValueDay:
		return p.Day(v)
	case birge.ValueTime:
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
			return p.DateTime(t, ar.info.Actor.Location())
		}
	case birge.ValueLanguage:
		if name, ok := langNames[v]; ok {
			return name
		}
	case birge.ValueCountry:
		if p.Has("country." + v) {
			return p.T("country." + v)
		}
	case birge.ValueRegion:
		if r, ok := geo.LookupRegion(v); ok {
			return r.Names.In(ar.info.Lang)
		}
	case birge.ValueDistrict:
		if d, ok := geo.LookupDistrict(v); ok {
			return d.Names.In(ar.info.Lang)
		}
	case birge.ValueCategories:
		names := ar.categoryNames(e.OrgID)
		codes := strings.Split(v, ",")
		for i, c := range codes {
			if name := names[strings.TrimSpace(c)]; name != "" {
				codes[i] = name
			}
		}
		return strings.Join(codes, ", ")
	}
	if prefix, ok := birge.ValuePrefixes[f.Value]; ok && p.Has(prefix+v) {
		return p.T(prefix + v)
	}
	return v
}

// name names a centre or organisation the reader may see, looked up once a page, else
// gives its number.
func (ar *auditReading) name(seen map[int64]string, id int64, lookup func() (birge.Names, error)) string {
	if name, ok := seen[id]; ok {
		return name
	}
	name := "№" + strconv.FormatInt(id, 10)
	if names, err := lookup(); err == nil {
		name = names.In(ar.info.Lang)
	}
	seen[id] = name
	return name
}

// categoryNames are an organisation's categories by code, or none when the reader
// may not list them: the codes show then.
func (ar *auditReading) categoryNames(orgID int64) map[string]string {
	names, ok := ar.categories[orgID]
	if !ok {
		names, _ = ar.s.categoryNames(ar.r, orgID)
		ar.categories[orgID] = names
	}
	return names
}
