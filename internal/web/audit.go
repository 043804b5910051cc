package web

import (
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// auditActions are the actions the filter offers.
var auditActions = []string{"create", "update", "delete", "login", "login_failed", "logout",
	"logout_everywhere", "password", "grant", "revoke", "export", "export_dossier", "anonymise", "import",
	"upload", "apply", "merge", "unmerge", "not_duplicate", "relation_removed"}

// auditList is the audit log for administrators, newest first, filtered by action,
// entity, person and dates, paged by sequence number.
func (s *Server) auditList(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	q := r.URL.Query()
	f := store.AuditFilter{Action: q.Get("action"), Entity: q.Get("entity"), Limit: 50}
	f.ActorID, _ = strconv.ParseInt(q.Get("actor"), 10, 64)
	f.EntityID, _ = strconv.ParseInt(q.Get("entity_id"), 10, 64)
	f.Before, _ = strconv.ParseInt(q.Get("before"), 10, 64)
	fm := newForm()
	for _, k := range []string{"action", "entity", "actor", "entity_id", "from", "to"} {
		fm.Values[k] = q.Get(k)
	}
	zone := request.From(r.Context()).Actor.Location() // a day begins at midnight where the user is
	if d := q.Get("from"); d != "" {
		t, err := time.ParseInLocation(time.DateOnly, d, zone)
		if err != nil {
			fm.Errors["from"] = "field.date"
		}
		f.From = t
	}
	if d := q.Get("to"); d != "" {
		t, err := time.ParseInLocation(time.DateOnly, d, zone)
		if err != nil {
			fm.Errors["to"] = "field.date"
		}
		f.To = t.AddDate(0, 0, 1)
	}
	var entries []birge.AuditEntry
	if len(fm.Errors) == 0 {
		var err error
		if entries, err = s.store.ListAudit(r.Context(), info.Actor, f); err != nil {
			return err
		}
	}
	next := ""
	if len(entries) == f.Limit {
		nq := r.URL.Query()
		nq.Set("before", strconv.FormatInt(entries[len(entries)-1].Seq, 10))
		next = "/audit?" + nq.Encode()
	}
	type change struct {
		Field, Before, After string
	}
	type row struct {
		E       birge.AuditEntry
		Changes []change
	}
	rows := make([]row, len(entries))
	for i, e := range entries {
		rows[i].E = e
		for k, c := range e.Changes {
			rows[i].Changes = append(rows[i].Changes, change{k, auditValue(info.P, c.Before), auditValue(info.P, c.After)})
		}
		sort.Slice(rows[i].Changes, func(a, b int) bool { return rows[i].Changes[a].Field < rows[i].Changes[b].Field })
	}
	actions := []option{{"", info.P.T("audit.any")}}
	for _, a := range auditActions {
		actions = append(actions, option{a, info.P.T("audit.action." + a)})
	}
	entities := []option{{"", info.P.T("audit.any")}}
	for _, e := range []string{"organization", "center", "category", "user", "token", "person", "person_list"} {
		entities = append(entities, option{e, info.P.T("audit.entity." + e)})
	}
	status := http.StatusOK
	if len(fm.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return s.render(w, r, status, "audit/list", fm, map[string]any{"Rows": rows, "Next": next,
		"Actions": actions, "Entities": entities})
}
