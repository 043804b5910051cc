package web

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// The Big List of Naughty Strings against every free-text field: each string is either
// stored exactly as sent or refused with 422 and a message beside the field — never a
// 500, never trimmed or mangled, and never able to break the page it is shown on.

// blnsFile is the Big List of Naughty Strings, kept in the repository's testdata.
const blnsFile = "../../testdata/blns.txt"

// naughtyStrings are the lines of the list without its comments and empty lines.
func naughtyStrings(t *testing.T) []string {
	b, err := os.ReadFile(blnsFile)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	if len(out) < 400 {
		t.Fatalf("blns.txt has only %d strings", len(out))
	}
	return out
}

// textRefusals are the messages a refused text may show, in the user's language.
func textRefusals(lang string) map[string]bool {
	p := i18n.For(lang)
	out := map[string]bool{}
	for _, k := range []string{"field.invalid_chars", "field.invalid_utf8", "field.single_line", "field.required", "field.too_long"} {
		out[p.T(k)] = true
	}
	return out
}

// sendFunc sends value v in the given fields at once and returns the status and the
// per-field messages of a refusal.
type sendFunc func(fields []string) (status int, errs map[string]string, body string)

// tryValue sends v in all fields at once. When that is refused, every field must either
// carry its own message or take v when sent alone — so each field is seen to store v
// exactly or refuse it itself. stored checks the fields that took v.
func tryValue(t *testing.T, v string, fields []string, okStatus int, send sendFunc, stored func(fields []string), allowed map[string]bool, tally map[string]int) {
	t.Helper()
	status, errs, body := send(fields)
	switch status {
	case okStatus:
		tally["stored"] += len(fields)
		stored(fields)
	case http.StatusUnprocessableEntity:
		var rest []string
		sent := map[string]bool{}
		for _, f := range fields {
			sent[f] = true
			msg, ok := errs[f]
			switch {
			case !ok:
				rest = append(rest, f)
			case !allowed[msg]:
				t.Errorf("%q in %s: refused with message %q, not a text-validation message", v, f, msg)
			default:
				tally["refused"]++
			}
		}
		for f, msg := range errs {
			if !sent[f] {
				t.Errorf("%q in %v: 422 names field %s (%q), which was not sent", v, fields, f, msg)
			}
		}
		if len(rest) == len(fields) {
			t.Errorf("%q in %v: 422 without a message for any of the fields: %v\n%.2000s", v, fields, errs, body)
			return
		}
		if len(rest) > 0 {
			tryValue(t, v, rest, okStatus, send, stored, allowed, tally)
		}
	default:
		t.Errorf("%q in %v: status %d, want %d or 422\n%.2000s", v, fields, status, okStatus, body)
	}
}

// asSent is what a JSON client sends for s: invalid UTF-8 becomes U+FFFD byte by byte.
func asSent(s string) string { return string([]rune(s)) }

func TestNaughtyStrings(t *testing.T) {
	t.Parallel()
	lines := naughtyStrings(t)
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s := newSite(t, st, Config{})
		const admin = "admin@birge.example" // speaks Kazakh: messages and the <h1> are in kk
		_, tok := s.token(admin, "blns")
		allowed := textRefusals("kk")
		bishkek := s.center("Bishkek office") // KG: district is free text
		fpc := s.org("Family Preservation Centre")
		viewer := s.userID("viewer@birge.example")

		apiSend := func(v, path string) sendFunc {
			return func(fields []string) (int, map[string]string, string) {
				body := map[string]string{}
				for _, f := range fields {
					body[f] = v
				}
				res := s.api(tok, http.MethodPatch, path, body)
				var p problem
				if res.StatusCode == http.StatusUnprocessableEntity {
					decodeJSON(t, res, &p)
				}
				return res.StatusCode, p.Errors, res.Body
			}
		}
		apiStored := func(v, path string) func(fields []string) {
			return func(fields []string) {
				res := s.api(tok, http.MethodGet, path, nil)
				var got map[string]any
				decodeJSON(t, res, &got)
				for _, f := range fields {
					if got[f] != asSent(v) {
						t.Errorf("%q in %s: GET %s returns %q", v, f, path, got[f])
					}
				}
			}
		}

		t.Run("api", func(t *testing.T) {
			tally := map[string]int{}
			centerPath := "/api/v1/centers/" + strconv.FormatInt(bishkek.ID, 10)
			orgPath := "/api/v1/organizations/" + strconv.FormatInt(fpc.ID, 10)
			userPath := "/api/v1/users/" + strconv.FormatInt(viewer, 10)
			person, err := st.People.Create(context.Background(), birge.System("t"), birge.Person{CenterID: bishkek.ID, GivenName: "Айнура"})
			if err != nil {
				t.Fatal(err)
			}
			personPath := "/api/v1/people/" + strconv.FormatInt(person.ID, 10)
			if _, err := st.CreateCategory(context.Background(), birge.System("t"), birge.Category{OrgID: fpc.ID, Code: "blns",
				Names: birge.Names{KK: "Санат", RU: "Категория", KY: "Категория", EN: "Category"}}); err != nil {
				t.Fatal(err)
			}
			categoriesPath := orgPath + "/categories"
			categoryStored := func(v string) func(fields []string) { // categories are read as a list
				return func(fields []string) {
					var list struct {
						Items []map[string]any `json:"items"`
					}
					decodeJSON(t, s.api(tok, http.MethodGet, categoriesPath, nil), &list)
					for _, c := range list.Items {
						for _, f := range fields {
							if c["code"] == "blns" && c[f] != asSent(v) {
								t.Errorf("%q in the category's %s: listed as %q", v, f, c[f])
							}
						}
					}
				}
			}
			tokens := map[int64]string{}
			for _, v := range lines {
				tryValue(t, v, []string{"family_name", "given_name", "patronymic", "district", "settlement", "call_times"},
					http.StatusOK, apiSend(v, personPath), apiStored(v, personPath), allowed, tally)
				// Searching for it finds or refuses, never fails.
				if res := s.api(tok, http.MethodGet, "/api/v1/people?q="+url.QueryEscape(v), nil); res.StatusCode != http.StatusOK &&
					res.StatusCode != http.StatusUnprocessableEntity {
					t.Errorf("search for %q: status %d\n%.500s", v, res.StatusCode, res.Body)
				}
				tryValue(t, v, []string{"name_kk", "name_ru", "name_ky", "name_en", "address", "district"},
					http.StatusOK, apiSend(v, centerPath), apiStored(v, centerPath), allowed, tally)
				tryValue(t, v, []string{"name_kk", "name_ru", "name_ky", "name_en"},
					http.StatusOK, apiSend(v, orgPath), apiStored(v, orgPath), allowed, tally)
				tryValue(t, v, []string{"name_kk", "name_ru", "name_ky", "name_en"},
					http.StatusOK, apiSend(v, categoriesPath+"/blns"), categoryStored(v), allowed, tally)
				tryValue(t, v, []string{"name"}, http.StatusOK, apiSend(v, userPath), apiStored(v, userPath), allowed, tally)

				res := s.api(tok, http.MethodPost, "/api/v1/tokens", map[string]string{"name": v})
				switch res.StatusCode {
				case http.StatusCreated:
					var created struct {
						ID   int64  `json:"id"`
						Name string `json:"name"`
					}
					decodeJSON(t, res, &created)
					if created.Name != asSent(v) {
						t.Errorf("%q as token name: created as %q", v, created.Name)
					}
					tokens[created.ID] = asSent(v)
					tally["stored"]++
				case http.StatusUnprocessableEntity:
					var p problem
					decodeJSON(t, res, &p)
					if !allowed[p.Errors["name"]] {
						t.Errorf("%q as token name: refused with %v", v, p.Errors)
					}
					tally["refused"]++
				default:
					t.Errorf("%q as token name: status %d\n%.2000s", v, res.StatusCode, res.Body)
				}
			}
			// The token list shows every name as it was given.
			var list struct {
				Items []struct {
					ID   int64  `json:"id"`
					Name string `json:"name"`
				} `json:"items"`
			}
			decodeJSON(t, s.api(tok, http.MethodGet, "/api/v1/tokens", nil), &list)
			seen := 0
			for _, it := range list.Items {
				if want, ok := tokens[it.ID]; ok {
					seen++
					if it.Name != want {
						t.Errorf("token %d: listed as %q, created as %q", it.ID, it.Name, want)
					}
				}
			}
			if seen != len(tokens) {
				t.Errorf("token list shows %d of the %d tokens created", seen, len(tokens))
			}
			t.Logf("%d strings: %d field values stored exactly, %d refused with a message", len(lines), tally["stored"], tally["refused"])
		})

		t.Run("html", func(t *testing.T) {
			tally := map[string]int{}
			c := s.login(admin)
			aktobe := s.center("Aktobe family centre")
			path := "/centers/" + strconv.FormatInt(aktobe.ID, 10)
			for _, v := range lines {
				send := func(fields []string) (int, map[string]string, string) {
					f := centerForm(aktobe)
					for _, name := range fields {
						f.Set(name, v)
					}
					res := s.postForm(c, path, f, nil)
					if res.StatusCode != http.StatusUnprocessableEntity {
						return res.StatusCode, nil, res.Body
					}
					doc := parseHTML(t, res.Body)
					checkScripts(t, doc, "form refusing "+strconv.Quote(v))
					errs := map[string]string{}
					for _, name := range []string{"name_kk", "address"} {
						e := first(doc, byID("e-"+name))
						if e == nil {
							continue
						}
						errs[name] = text(e)
						// What was typed is shown again, beside its message.
						in := first(doc, byID("f-"+name))
						switch {
						case in == nil:
							t.Errorf("%q: the refusing form has no field %s", v, name)
						case in.Data == "input" && attr(in, "value") != v, in.Data == "textarea" && text(in) != v:
							t.Errorf("%q: the refusing form shows %s as %q", v, name, attr(in, "value")+text(in))
						case attr(in, "aria-describedby") != "e-"+name:
							t.Errorf("%q: field %s is not described by its message", v, name)
						}
					}
					return res.StatusCode, errs, res.Body
				}
				stored := func(fields []string) {
					got, err := st.GetCenter(context.Background(), birge.System("test"), aktobe.ID)
					if err != nil {
						t.Fatal(err)
					}
					res := s.get(c, path)
					page := res.Body
					if res.StatusCode != http.StatusOK {
						t.Errorf("%q: centre page answers %d", v, res.StatusCode)
						return
					}
					doc := parseHTML(t, page)
					checkScripts(t, doc, "centre page with "+strconv.Quote(v))
					h1 := findAll(doc, byTag("h1"))
					for _, name := range fields {
						switch name {
						case "name_kk":
							if got.Names.KK != v {
								t.Errorf("%q in name_kk: stored as %q", v, got.Names.KK)
							}
							if len(h1) != 1 || text(h1[0]) != v {
								t.Errorf("%q in name_kk: the page's <h1> is not the name (%d h1)", v, len(h1))
							}
						case "address":
							if got.Address != v {
								t.Errorf("%q in address: stored as %q", v, got.Address)
							}
							if dd := first(doc, func(n *html.Node) bool { return n.Data == "dd" && attr(n, "class") == "pre" }); dd == nil || text(dd) != v {
								t.Errorf("%q in address: the page does not show the address as stored", v)
							}
						}
					}
				}
				tryValue(t, v, []string{"name_kk", "address"}, http.StatusSeeOther, send, stored, allowed, tally)
			}
			t.Logf("%d strings: %d field values stored exactly, %d refused with a message", len(lines), tally["stored"], tally["refused"])
		})
	})
}
