package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime/debug"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/demo"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

func TestMain(m *testing.M) {
	birge.FastPasswordsForTests()
	// Some hundred sites run in parallel, each with the demo's data and its templates; the
	// collector's default lets the heap grow to twice what is live, past 12 GiB on the
	// whole package. Past this limit it collects harder instead.
	debug.SetMemoryLimit(3 << 30)
	os.Exit(m.Run())
}

// site is one running server over a real store with the demo data loaded.
type site struct {
	t         testing.TB
	st        *store.Store
	srv       *Server
	URL       string
	passwords map[string]string // demo email → password
}

// newSite loads the demo data into st and serves it. Server errors are logged to the test,
// so that a 500 shows its cause.
func newSite(t testing.TB, st *store.Store, cfg Config) *site {
	t.Helper()
	logins, err := demo.Load(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	srv, err := New(st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ts.Close()
		srv.WaitImports() // before the database closes under them
	})
	s := &site{t: t, st: st, srv: srv, URL: ts.URL, passwords: map[string]string{}}
	for _, l := range logins {
		s.passwords[l.Email] = l.Password
	}
	return s
}

// openSite opens a fresh store on db and serves the demo data from it.
func openSite(t testing.TB, db testenv.Database, cfg Config) *site {
	t.Helper()
	return newSite(t, testenv.Open(t, db), cfg)
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// client returns an HTTP client with its own cookie jar that does not follow redirects.
func (s *site) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

// login signs a demo user in through the sign-in form and returns their client.
func (s *site) login(email string) *http.Client {
	s.t.Helper()
	c := s.client()
	pw, ok := s.passwords[email]
	if !ok {
		s.t.Fatalf("no demo user %s", email)
	}
	res := s.postForm(c, "/login", url.Values{"email": {email}, "password": {pw}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		s.t.Fatalf("sign in as %s: status %d\n%s", email, res.StatusCode, res.Body)
	}
	return c
}

// userID is the id of a user by email.
func (s *site) userID(email string) int64 {
	s.t.Helper()
	id, err := s.st.UserIDByEmail(context.Background(), email)
	if err != nil {
		s.t.Fatalf("user %s: %v", email, err)
	}
	return id
}

// token makes an API token for a user and returns its secret.
func (s *site) token(email, name string) (int64, string) {
	s.t.Helper()
	tok, secret, err := s.st.CreateToken(context.Background(), birge.System("test"), s.userID(email), name, 0)
	if err != nil {
		s.t.Fatal(err)
	}
	return tok.ID, secret
}

// org and center find demo records by their English name.
func (s *site) org(en string) birge.Organization {
	s.t.Helper()
	orgs, err := s.st.ListOrgs(context.Background(), birge.System("test"))
	if err != nil {
		s.t.Fatal(err)
	}
	for _, o := range orgs {
		if o.Names.EN == en {
			return o
		}
	}
	s.t.Fatalf("no organisation %q", en)
	return birge.Organization{}
}

func (s *site) center(en string) birge.Center {
	s.t.Helper()
	cs, err := s.st.ListCenters(context.Background(), birge.System("test"), store.CenterFilter{})
	if err != nil {
		s.t.Fatal(err)
	}
	for _, c := range cs {
		if c.Names.EN == en {
			return c
		}
	}
	s.t.Fatalf("no centre %q", en)
	return birge.Center{}
}

// response is a response read to the end.
type response struct {
	StatusCode int
	Header     http.Header
	Body       string
}

// do sends a request; body is url.Values (a form), a string or []byte (JSON), or nil.
// header holds extra headers, e.g. Authorization.
func (s *site) do(c *http.Client, method, path string, body any, header http.Header) *response {
	s.t.Helper()
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case upload:
		rd, ctype = b.encode(s.t)
	case url.Values:
		rd, ctype = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	case string:
		rd, ctype = strings.NewReader(b), "application/json"
	case []byte:
		rd, ctype = bytes.NewReader(b), "application/json"
	default:
		j, err := json.Marshal(b)
		if err != nil {
			s.t.Fatal(err)
		}
		rd, ctype = bytes.NewReader(j), "application/json"
	}
	req, err := http.NewRequest(method, s.URL+path, rd)
	if err != nil {
		s.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if c == nil {
		c = s.client()
	}
	res, err := c.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		s.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return &response{StatusCode: res.StatusCode, Header: res.Header, Body: string(b)}
}

func (s *site) get(c *http.Client, path string) *response {
	return s.do(c, http.MethodGet, path, nil, nil)
}

func (s *site) postForm(c *http.Client, path string, f url.Values, header http.Header) *response {
	return s.do(c, http.MethodPost, path, f, header)
}

// api sends a JSON request with a bearer token ("" for none).
func (s *site) api(token, method, path string, body any) *response {
	s.t.Helper()
	h := http.Header{}
	if token != "" {
		h.Set("Authorization", "Bearer "+token)
	}
	return s.do(nil, method, path, body, h)
}

// decodeJSON parses a JSON response body into v.
func decodeJSON(t testing.TB, r *response, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		t.Fatalf("response is not JSON (%v):\n%s", err, r.Body)
	}
}

// problem is an API error document.
type problem struct {
	Type   string            `json:"type"`
	Title  string            `json:"title"`
	Status int               `json:"status"`
	Detail string            `json:"detail"`
	Errors map[string]string `json:"errors"`
}

// ---------------------------------------------------------------------------------------
// HTML

// parseHTML parses a page; x/net/html accepts anything, so callers check structure.
func parseHTML(t testing.TB, body string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatalf("page does not parse: %v", err)
	}
	return doc
}

// findAll returns the elements for which match is true, in document order.
func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

// byTag and byID are matchers for findAll.
func byTag(tag string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == tag }
}

func byID(id string) func(*html.Node) bool {
	return func(n *html.Node) bool { return attr(n, "id") == id }
}

// first returns the first matching element or nil.
func first(n *html.Node, match func(*html.Node) bool) *html.Node {
	if all := findAll(n, match); len(all) > 0 {
		return all[0]
	}
	return nil
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == name {
			return a.Val
		}
	}
	return ""
}

// text is the text content of a node and its descendants.
func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// checkScripts fails when a page has any script but the application's own file: text
// typed by users must never become a script.
func checkScripts(t testing.TB, doc *html.Node, context string) {
	t.Helper()
	scripts := findAll(doc, byTag("script"))
	if len(scripts) != 1 || !strings.HasPrefix(attr(scripts[0], "src"), "/static/app.js") || text(scripts[0]) != "" {
		var srcs []string
		for _, s := range scripts {
			srcs = append(srcs, "src="+attr(s, "src")+" text="+text(s))
		}
		t.Errorf("%s: page has scripts %q, want only /static/app.js", context, srcs)
	}
	// Event-handler attributes are scripts too.
	for _, n := range findAll(doc, func(*html.Node) bool { return true }) {
		for _, a := range n.Attr {
			if strings.HasPrefix(strings.ToLower(a.Key), "on") {
				t.Errorf("%s: <%s> has an event handler attribute %s=%q", context, n.Data, a.Key, a.Val)
			}
		}
	}
}

// htmlLang is the lang attribute of a page's <html> element.
func htmlLang(t testing.TB, body string) string {
	t.Helper()
	n := first(parseHTML(t, body), byTag("html"))
	if n == nil {
		t.Fatal("page has no <html> element")
	}
	return attr(n, "lang")
}

// upload is a multipart/form-data body: form fields and one file in the field "file",
// or in field when it is given.
type upload struct {
	fields  map[string]string
	name    string
	content []byte
	field   string
}

func (u upload) encode(t testing.TB) (io.Reader, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range u.fields {
		mw.WriteField(k, v)
	}
	field := u.field
	if field == "" {
		field = "file"
	}
	fw, err := mw.CreateFormFile(field, u.name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(u.content)
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf, mw.FormDataContentType()
}

// checkedImport records an import of a one-row file into a centre, checked and ready
// to apply, as the system.
func (s *site) checkedImport(centerID int64) int64 {
	s.t.Helper()
	ctx, sys := context.Background(), birge.System("test")
	content := []byte("Фамилия;Имя\nСейітова;Гүлнар\n")
	im, err := s.st.People.CreateImport(ctx, sys, centerID, "people.csv", content,
		[]store.ImportColumn{{Header: "Фамилия", Sample: "Сейітова"}, {Header: "Имя", Sample: "Гүлнар"}}, []string{"family_name", "given_name"})
	if err != nil {
		s.t.Fatal(err)
	}
	if err := s.st.People.FinishImport(ctx, sys, im.ID, store.ImportChecked, &store.ImportReport{Rows: 1}); err != nil {
		s.t.Fatal(err)
	}
	return im.ID
}
