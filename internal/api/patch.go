package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// A PATCH is a partial update, the same for every record of the API. Its body is an
// update: a struct with a pointer for each field of the record that may be written (as
// wtf's DialUpdate), nil for a field the body leaves out, laid over the record as it is
// now. Every other field of the record is read-only. decodeUpdate refuses, each by its
// name in one 422: a read-only field, a field the record does not have, a value of the
// wrong type, and null where nothing may be empty. null clears a field that may be empty:
// text to "", a list to none, a number that may be unrecorded (a person's children) to
// unrecorded. The store writes only when the result differs from the record, so a PATCH
// that changes nothing leaves the record, its updated_at (its ETag) and the audit log as
// they were.

// An update lays the fields present in a PATCH body over a record T.
type update[T any] interface {
	apply(*T)
}

// patch answers a PATCH with the record as saved. save is given a function that lays the
// body over the record as it is now, and writes the result; where the store locks the
// row (a person), the record is read under the lock. If-Match, when given, must name the
// version read there (the ETag of a GET), else the PATCH is a 409.
func patch[T any](w http.ResponseWriter, r *http.Request, u update[T], version func(T) time.Time,
	save func(apply func(*T) error) (T, error)) error {
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	if err := decodeUpdate(body, u, reflect.TypeFor[T]()); err != nil {
		return err
	}
	ifMatch := r.Header.Get("If-Match")
	rec, err := save(func(cur *T) error {
		if ifMatch != "" && ifMatch != "*" && ifMatch != etag(version(*cur)) {
			return errChangedMeanwhile
		}
		u.apply(cur)
		return nil
	})
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, rec, version(rec))
}

// readThenWrite is the save of a record the store reads and writes in two calls. The
// store refuses to write over a version other than the one read
// (birge.ErrChangedMeanwhile); the record is then read again and the body laid over the
// new version, so that PATCHes at once each keep their change. With If-Match, apply
// refuses the new version instead.
func readThenWrite[T any](get func() (T, error), write func(T) (T, error)) func(apply func(*T) error) (T, error) {
	return func(apply func(*T) error) (T, error) {
		for attempt := 1; ; attempt++ {
			rec, err := get()
			if err != nil {
				return rec, err
			}
			if err := apply(&rec); err != nil {
				return rec, err
			}
			rec, err = write(rec)
			if !errors.Is(err, birge.ErrChangedMeanwhile) || attempt == maxPatchAttempts {
				return rec, err
			}
		}
	}
}

// maxPatchAttempts bounds how often a PATCH is laid over a newer version before it is
// refused as a conflict: each attempt lost to another edit means that edit was saved.
const maxPatchAttempts = 8

// errChangedMeanwhile is the answer to a PATCH on a version that is not the current one.
var errChangedMeanwhile = &birge.Error{Kind: birge.KindConflict, Key: "api.changed_meanwhile"}

// etag names a version of a record: every change gives it a later updated_at.
func etag(updated time.Time) string {
	return `"` + strconv.FormatInt(updated.UnixMicro(), 10) + `"`
}

// getByID answers a GET of the record the path's id names, with its version as the ETag
// (which a PATCH may name in If-Match).
func getByID[T any](w http.ResponseWriter, r *http.Request, get func(context.Context, *birge.Actor, int64) (T, error),
	version func(T) time.Time) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rec, err := get(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, rec, version(rec))
}

// writeVersioned answers with a record and its version as the ETag, which a PATCH may
// name in If-Match.
func writeVersioned(w http.ResponseWriter, status int, rec any, updated time.Time) error {
	w.Header().Set("ETag", etag(updated))
	return writeJSON(w, status, rec)
}

// decodeUpdate reads a PATCH body into u, a pointer to an update struct, for a record of
// type record: see the top of this file.
func decodeUpdate(body []byte, u any, record reflect.Type) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		if len(bytes.TrimSpace(body)) == 0 {
			return &birge.Error{Kind: birge.KindInvalid, Key: "api.body_empty"}
		}
		return &birge.Error{Kind: birge.KindInvalid, Key: "api.body_malformed", Err: err}
	}
	dst := reflect.ValueOf(u).Elem()
	writable, readable := jsonFields(dst.Type()), jsonFields(record)
	p := birge.Problems{}
	for name, raw := range fields {
		i, ok := writable[name]
		switch {
		case !ok && readable[name] != nil:
			p.Add(name, "field.read_only")
		case !ok:
			p.Add(name, "field.unknown")
		case string(raw) == "null":
			f := dst.FieldByIndex(i)
			if !clearable(f.Type().Elem().Kind()) {
				p.Add(name, "field.not_null")
				continue
			}
			f.Set(reflect.New(f.Type().Elem())) // its empty value
		default:
			if err := json.Unmarshal(raw, dst.FieldByIndex(i).Addr().Interface()); err != nil {
				p.Add(name, "field.type")
			}
		}
	}
	return p.Err()
}

// clearable tells the kinds of field that null empties: text, lists, and a pointer in the
// record (a number that may be unrecorded).
func clearable(k reflect.Kind) bool {
	return k == reflect.String || k == reflect.Slice || k == reflect.Pointer
}

// jsonFields maps the JSON names of a struct's fields, those of embedded structs too, to
// their indexes.
func jsonFields(t reflect.Type) map[string][]int {
	out := map[string][]int{}
	for _, f := range reflect.VisibleFields(t) {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" && f.IsExported() {
			out[name] = f.Index
		}
	}
	return out
}
