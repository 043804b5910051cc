package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// The records every module writes about a woman — deliveries and outcomes — are listed
// and created the same way.

// listRecords answers a page of records with the filters person_id, program_id,
// center_id, kind, from and to.
func listRecords[T any](w http.ResponseWriter, r *http.Request,
	read func(context.Context, *birge.Actor, store.RecordFilter) ([]T, error), id func(T) int64) error {
	limit, after, err := page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := store.RecordFilter{Kind: q.Get("kind"), From: q.Get("from"), To: q.Get("to"), After: after, Limit: limit + 1}
	pr := birge.Problems{}
	for name, dst := range map[string]*int64{"person_id": &f.PersonID, "program_id": &f.ProgramID, "center_id": &f.CenterID} {
		if s := q.Get(name); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n <= 0 {
				pr.Add(name, "field.type")
			}
			*dst = n
		}
	}
	if err := pr.Err(); err != nil {
		return err
	}
	items, err := read(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list(items, limit, id))
}

// createRecords records one record, or with {"items": [...]} several, all or none: a
// mistake in any is named by its item (items[3].date) and none is recorded.
func createRecords[T any](w http.ResponseWriter, r *http.Request, body []byte,
	one func(context.Context, *birge.Actor, T) (T, error), many func(context.Context, *birge.Actor, []T) ([]T, error)) error {
	var probe map[string]json.RawMessage
	if json.Unmarshal(body, &probe) == nil && probe["items"] != nil {
		var all struct {
			Items []T `json:"items"`
		}
		if err := decodeBytes(body, &all); err != nil {
			return err
		}
		if len(all.Items) == 0 || len(all.Items) > MaxDeliveriesAtOnce {
			return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"items": "field.required"}}
		}
		items, err := many(r.Context(), actor(r), all.Items)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusCreated, List[T]{Items: items})
	}
	var x T
	if err := decodeBytes(body, &x); err != nil {
		return err
	}
	x, err := one(r.Context(), actor(r), x)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, x)
}
