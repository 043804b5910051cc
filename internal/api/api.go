// Package api is Birge's JSON API under /api/v1: the same store, the same rules and the
// same audit as the web pages, for integrations and scripts. Errors are RFC 9457
// problem+json documents; a validation failure is a 422 with per-field messages.
package api

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// API holds the handlers; web/routes.go routes to them.
type API struct {
	store   *store.Store
	imports *ImportWorkers
}

// New returns the API over st; its imports take their turn in imports, with the pages'.
func New(st *store.Store, imports *ImportWorkers) *API { return &API{store: st, imports: imports} }

// maxBody bounds a request body: nothing in the API needs more than this.
const maxBody = 1 << 20

// decode reads a JSON body into v, which may already hold a record (for PATCH: only the
// fields present change).
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	return decodeBytes(body, v)
}

// readBody reads a JSON body, which may then be decoded more than once. A body that is
// not declared as JSON is a 415 and one over maxBody a 413, before anything is parsed;
// invalid UTF-8, which encoding/json would silently turn into U+FFFD and store, is a 400.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	return readBodyUpTo(w, r, maxBody)
}

// readBodyUpTo is readBody for the few bodies that may be bigger: limit bytes.
func readBodyUpTo(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	if mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" ||
		params["charset"] != "" && !strings.EqualFold(params["charset"], "utf-8") {
		return nil, &birge.Error{Kind: birge.KindMediaType, Key: "api.media_type"}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return nil, &birge.Error{Kind: birge.KindTooLarge, Key: "api.body_too_large"}
	case err != nil:
		return nil, &birge.Error{Kind: birge.KindInvalid, Key: "api.body_malformed", Err: err}
	case !utf8.Valid(body):
		return nil, &birge.Error{Kind: birge.KindInvalid, Key: "api.body_invalid_utf8"}
	}
	return body, nil
}

// decodeBytes decodes a body read by readBody into v. A malformed body is a 400; a field
// of the wrong type is a 422 naming the field.
func decodeBytes(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("trailing data")
	}
	var typeErr *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &typeErr):
		return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{typeErr.Field: "field.type"}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{field: "field.unknown"}}
	case errors.Is(err, io.EOF):
		return &birge.Error{Kind: birge.KindInvalid, Key: "api.body_empty"}
	default:
		return &birge.Error{Kind: birge.KindInvalid, Key: "api.body_malformed", Err: err}
	}
}

// instant is an RFC 3339 time in a request body. One that is not (no zone, a number) is a
// field of the wrong type, named by decodeBytes like any other, not a malformed body.
type instant struct{ time.Time }

func (t *instant) UnmarshalJSON(b []byte) error {
	if err := t.Time.UnmarshalJSON(b); err != nil {
		return &json.UnmarshalTypeError{Value: string(b), Type: reflect.TypeFor[time.Time]()}
	}
	return nil
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	return enc.Encode(v)
}

// Problem is an RFC 9457 problem document.
type Problem struct {
	Type   string            `json:"type"`
	Title  string            `json:"title"`
	Status int               `json:"status"`
	Detail string            `json:"detail,omitempty"`
	Errors map[string]string `json:"errors,omitempty"`
}

// Status maps an error kind to its HTTP status; the web pages use it too.
func Status(err error) int {
	switch birge.KindOf(err) {
	case birge.KindInvalid:
		var e *birge.Error
		if errors.As(err, &e) && (e.Key == "api.body_malformed" || e.Key == "api.body_invalid_utf8") {
			return http.StatusBadRequest
		}
		return http.StatusUnprocessableEntity
	case birge.KindNotFound:
		return http.StatusNotFound
	case birge.KindConflict:
		return http.StatusConflict
	case birge.KindForbidden:
		return http.StatusForbidden
	case birge.KindUnauthenticated:
		return http.StatusUnauthorized
	case birge.KindMethod:
		return http.StatusMethodNotAllowed
	case birge.KindTooMany:
		return http.StatusTooManyRequests
	case birge.KindTooLarge:
		return http.StatusRequestEntityTooLarge
	case birge.KindMediaType:
		return http.StatusUnsupportedMediaType
	}
	return http.StatusInternalServerError
}

// WriteProblem answers with err as problem+json in the requester's language.
func WriteProblem(w http.ResponseWriter, r *http.Request, err error) {
	e := birge.AsError(err)
	p := request.From(r.Context()).P
	status := Status(err)
	prob := Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: p.T(e.Key, flatten(e.Args)...)}
	if len(e.Fields) > 0 {
		prob.Errors = map[string]string{}
		for f, key := range e.Fields {
			prob.Errors[f] = p.T(key)
		}
	}
	w.Header().Set("Content-Type", "application/problem+json")
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="birge"`) // RFC 6750: how to authenticate
	}
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(prob)
}

func flatten(args map[string]any) []any {
	var out []any
	for k, v := range args {
		out = append(out, k, v)
	}
	return out
}

// page reads limit and cursor. The cursor is the last id of the previous page: stable
// under inserts, and cheap on an index.
func page(r *http.Request) (limit int, after int64, err error) {
	limit = 50
	p := birge.Problems{}
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 200 {
			p.Add("limit", "api.limit")
		}
		limit = n
	}
	if s := r.URL.Query().Get("cursor"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			p.Add("cursor", "api.cursor")
		}
		after = n
	}
	return limit, after, p.Err()
}

// List is a page of a collection.
type List[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// list makes a page; items were fetched with limit+1 to learn whether more follow.
func list[T any](items []T, limit int, id func(T) int64) List[T] {
	out := List[T]{Items: items}
	if out.Items == nil {
		out.Items = []T{}
	}
	if len(items) > limit {
		out.Items = items[:limit]
		out.NextCursor = strconv.FormatInt(id(items[limit-1]), 10)
	}
	return out
}

// pathID reads a numeric path parameter; a malformed one is simply not found.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, birge.ErrNotFound
	}
	return id, nil
}

func actor(r *http.Request) *birge.Actor { return request.From(r.Context()).Actor }

// OpenAPI is the OpenAPI 3.1 document of this API, kept by hand next to the handlers; a
// test fails when a routed path is missing from it or a documented one is not routed.
//
//go:embed openapi.json
var OpenAPI []byte
