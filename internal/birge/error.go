package birge

import (
	"errors"
	"fmt"
)

// Kind says what went wrong in terms a caller can act on; the web and API layers map each
// kind to one status code.
type Kind int

const (
	KindInternal        Kind = iota // a bug or an outage: 500
	KindInvalid                     // the input is wrong: 422, with per-field messages
	KindNotFound                    // no such record, or the actor may not learn that it exists: 404
	KindConflict                    // the record exists already or changed meanwhile: 409
	KindForbidden                   // the actor may see the record but not do this: 403
	KindUnauthenticated             // no valid session or token: 401
	KindTooMany                     // throttled: 429
	KindMethod                      // the address exists, but not for this HTTP method: 405
	KindTooLarge                    // the request body is over its limit: 413
	KindMediaType                   // the request body is not of the type the address takes: 415
)

// Error is the one error type of the domain. Key and Fields hold message keys from the
// i18n catalogs, never sentences, so each layer can speak the user's language.
type Error struct {
	Kind   Kind
	Key    string            // message key for the whole error
	Fields map[string]string // field name → message key
	Args   map[string]any    // values for placeholders in Key
	Err    error             // the underlying cause, for logs only
}

func (e *Error) Error() string {
	msg := e.Key
	if len(e.Fields) > 0 {
		msg += fmt.Sprintf(" %v", e.Fields)
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error of the given kind with a message key.
func Errorf(kind Kind, key string) *Error { return &Error{Kind: kind, Key: key} }

// ErrNotFound is returned for missing records and for records the actor may not know of.
var ErrNotFound = Errorf(KindNotFound, "error.not_found")

// ErrForbidden is returned when the actor may know of a record but not act on it.
var ErrForbidden = Errorf(KindForbidden, "error.forbidden")

// ErrChangedMeanwhile refuses an edit made on a version of a record that someone else has
// replaced since it was read: saved, it would undo their change.
var ErrChangedMeanwhile = Errorf(KindConflict, "error.changed_meanwhile")

// Internal wraps an unexpected error.
func Internal(err error) *Error {
	return &Error{Kind: KindInternal, Key: "error.internal", Err: err}
}

// KindOf reports the kind of err; errors that are not *Error are internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// AsError returns err as an *Error, wrapping foreign errors as internal ones.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Internal(err)
}

// Problems collects per-field validation messages.
type Problems map[string]string

// Add records the first problem found for a field.
func (p Problems) Add(field, key string) {
	if _, ok := p[field]; !ok && key != "" {
		p[field] = key
	}
}

// Err returns nil when there are no problems, else an invalid-input *Error.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Kind: KindInvalid, Key: "error.invalid", Fields: p}
}
