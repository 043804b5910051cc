package web

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// auditList is the audit log for administrators, newest first, filtered by action,
// entity, person and dates, paged by sequence number. The filters offer birge's list of
// actions and entities, and each change reads as the record's form names its field.
func (s *Server) auditList(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	q := r.URL.Query()
	f := store.AuditFilter{Action: birge.AuditAction(q.Get("action")), Entity: birge.AuditEntity(q.Get("entity")), Limit: 50}
	f.ActorID, _ = strconv.ParseInt(q.Get("actor"), 10, 64)
	f.EntityID, _ = strconv.ParseInt(q.Get("entity_id"), 10, 64)
	f.Before, _ = strconv.ParseInt(q.Get("before"), 10, 64)
	fm := newForm()
	for _, k := range []string{"action", "entity", "actor", "entity_id", "from", "to"} {
		fm.Values[k] = q.Get(k)
	}
	if f.Action != "" && !slices.Contains(birge.AuditActions, f.Action) {
		fm.Errors["action"] = "field.choose"
	}
	if f.Entity != "" && !slices.ContainsFunc(birge.AuditEntities, func(k birge.AuditEntityKind) bool { return k.Entity == f.Entity }) {
		fm.Errors["entity"] = "field.choose"
	}
	zone := info.Actor.Location() // a day begins at midnight where the user is
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
	type row struct {
		E       birge.AuditEntry
		Changes []auditChange
	}
	read := s.auditReader(r)
	rows := make([]row, len(entries))
	for i, e := range entries {
		rows[i] = row{e, read.changes(e)}
	}
	actions := []option{{"", info.P.T("audit.any")}}
	for _, a := range birge.AuditActions {
		actions = append(actions, option{string(a), info.P.T(a.Label())})
	}
	entities := []option{{"", info.P.T("audit.any")}}
	for _, k := range birge.AuditEntities {
		entities = append(entities, option{string(k.Entity), info.P.T(k.Entity.Label())})
	}
	status := http.StatusOK
	if len(fm.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return s.render(w, r, status, "audit/list", fm, map[string]any{"Rows": rows, "Next": next,
		"Actions": actions, "Entities": entities})
}
