package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
)

// form carries what was typed and what was wrong with it back to the page, so that a
// mistake never costs the user what they typed.
type form struct {
	Values    map[string]string
	Errors    map[string]string // field → message key
	Error     string            // message key for the whole form
	ErrorArgs map[string]any    // values for its placeholders
}

func newForm() *form { return &form{Values: map[string]string{}, Errors: map[string]string{}} }

// parseForm reads a posted form. Only the first value of each field counts.
func parseForm(r *http.Request) (*form, error) {
	r.Body = http.MaxBytesReader(nil, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		return nil, &birge.Error{Kind: birge.KindInvalid, Key: "error.bad_form", Err: err}
	}
	f := newForm()
	for k, v := range r.PostForm {
		if len(v) > 0 {
			f.Values[k] = v[0]
		}
	}
	return f, nil
}

func (f *form) get(name string) string { return f.Values[name] }

func (f *form) int64(name string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(f.Values[name]), 10, 64)
	return n
}

// fail records err on the form when it is a validation error, and reports whether it did;
// other errors go up to become an error page.
func (f *form) fail(err error) bool {
	var e *birge.Error
	if !errors.As(err, &e) || (e.Kind != birge.KindInvalid && len(e.Fields) == 0) {
		return false
	}
	for k, v := range e.Fields {
		f.Errors[k] = v
	}
	f.Error, f.ErrorArgs = e.Key, e.Args
	return true
}

// option is one choice of a select.
type option struct {
	Value, Label string
}

// fieldView is what the "field" template needs to draw a labelled input with its error.
type fieldView struct {
	Name, Label, Value, Error string
	Options                   []option
}

func (f *form) field(p *i18n.Printer, name, label string) fieldView {
	v := fieldView{Name: name, Label: p.T(label), Value: f.Values[name]}
	if key := f.Errors[name]; key != "" {
		v.Error = p.T(key)
	}
	return v
}

func (f *form) choice(p *i18n.Printer, name, label string, opts []option) fieldView {
	v := f.field(p, name, label)
	v.Options = opts
	return v
}

// kindOptions are the kinds a form offers: those still in use, named in the language.
func kindOptions(lang string, kinds birge.KindList) []option {
	out := []option{}
	for _, k := range kinds {
		if !k.Retired {
			out = append(out, option{k.Code, k.Names.In(lang)})
		}
	}
	return out
}

// codeOptions offer codes that read as themselves (currencies).
func codeOptions(codes []string) []option {
	out := make([]option, len(codes))
	for i, c := range codes {
		out[i] = option{c, c}
	}
	return out
}
