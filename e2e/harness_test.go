package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/testenv"
)

// testTimeout bounds each test as a whole, browser and server included, so that a hang
// fails the test instead of blocking the run; stepTimeout bounds one browser step.
const (
	testTimeout = 30 * time.Second
	stepTimeout = 10 * time.Second
)

var (
	birgeBin   string // the binary TestMain built; "" when there is no browser to drive it
	browserBin string // the Chromium found on PATH, or ""
)

func TestMain(m *testing.M) { os.Exit(runTests(m)) }

func runTests(m *testing.M) int {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			browserBin = p
			break
		}
	}
	if browserBin != "" { // without a browser every test skips (or fails), so build nothing
		dir, err := os.MkdirTemp("", "birge-e2e-")
		if err != nil {
			fmt.Fprintln(os.Stderr, "e2e:", err)
			return 1
		}
		defer os.RemoveAll(dir)
		root, err := moduleRoot()
		if err != nil {
			fmt.Fprintln(os.Stderr, "e2e:", err)
			return 1
		}
		birgeBin = filepath.Join(dir, "birge")
		build := exec.Command("go", "build", "-o", birgeBin, "./cmd/birge")
		build.Dir = root
		if out, err := build.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "e2e: go build ./cmd/birge: %v\n%s", err, out)
			return 1
		}
	}
	return m.Run()
}

// moduleRoot is the folder of go.mod, where ./cmd/birge is built from.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return filepath.Abs("..")
	}
	return filepath.Dir(gomod), nil
}

// ---------------------------------------------------------------------------------------
// The server

// server is one running `birge serve` with its own data folder.
type server struct {
	URL      string            // http://127.0.0.1:PORT
	SetupURL string            // the one-time setup link; "" when users exist
	Logins   map[string]string // demo email → password, from the table serve --demo prints
	Data     string
	stderr   *syncBuffer
}

type serverOptions struct {
	demo    bool     // load the demo organisations and users
	history bool     // with demo, also the Aktobe centre's four months of families (a few hundred people more)
	args    []string // more flags for serve
}

// processEnv is the environment of every birge process a test starts: the caller's, with
// the settings that would point it at another database or change its flags removed.
func processEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "BIRGE_") {
			env = append(env, kv)
		}
	}
	// The server and the commands read the tests' clock (testenv.Evening, already New
	// Year's Day in Almaty), so that no browser test depends on the day it runs.
	return append(env, "BIRGE_DATABASE_URL=", "BIRGE_TEST_CLOCK="+testenv.Evening.Format(time.RFC3339))
}

// today is the tests' day in Almaty, as the server sees it (processEnv).
var today = birge.Day(testenv.Evening, birge.Location("Asia/Almaty"))

// startServer runs `birge serve` on a free port and waits until it listens. It is
// stopped with SIGTERM when the test ends; its log is shown if the test failed.
func startServer(t *testing.T, o serverOptions) *server {
	t.Helper()
	if birgeBin == "" {
		testenv.Missing(t, "browser", "no chromium, chromium-browser or google-chrome on PATH")
	}
	s := &server{Data: t.TempDir(), Logins: map[string]string{}, stderr: &syncBuffer{}}
	args := []string{"serve", "--addr", "127.0.0.1:0", "--data", s.Data}
	if o.demo {
		args = append(args, "--demo", "--demo-history="+strconv.FormatBool(o.history))
	}
	args = append(args, o.args...)
	cmd := exec.Command(birgeBin, args...)
	cmd.Env = processEnv()
	cmd.Stderr = s.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start birge serve: %v", err)
	}

	lines := make(chan string)
	ready, readDone := make(chan struct{}), make(chan struct{})
	defer close(ready)
	go func() {
		defer close(readDone)
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ready: // nobody reads lines any more; keep draining
			}
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-readDone:
		case <-time.After(10 * time.Second):
			t.Errorf("birge serve did not stop within 10 s of SIGTERM; killing it")
			cmd.Process.Kill()
			<-readDone
		}
		if err := cmd.Wait(); err != nil {
			t.Errorf("birge serve exited with %v", err)
		}
		if t.Failed() {
			t.Logf("birge serve stderr:\n%s", s.stderr.String())
		}
	})

	deadline := time.After(60 * time.Second)
	for s.URL == "" || (!o.demo && s.SetupURL == "") {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("birge serve ended before it was ready:\n%s", s.stderr.String())
			}
			s.parse(line)
		case <-deadline:
			t.Fatalf("birge serve not ready after 60 s (url %q, setup %q):\n%s", s.URL, s.SetupURL, s.stderr.String())
		}
	}
	if o.demo && len(s.Logins) == 0 {
		t.Fatal("birge serve --demo printed no demo logins")
	}
	return s
}

// parse reads one line of serve's standard output.
func (s *server) parse(line string) {
	if _, after, ok := strings.Cut(line, " listening on "); ok {
		s.URL, _, _ = strings.Cut(after, " ")
		return
	}
	f := strings.Fields(line)
	switch {
	case len(f) == 1 && strings.Contains(f[0], "/setup?token="):
		s.SetupURL = f[0]
	case len(f) >= 4 && strings.Contains(f[0], "@") && strings.HasPrefix(line, "  "):
		s.Logins[f[0]] = f[1] // "  EMAIL  PASSWORD  ROLE  WHERE"
	}
}

// password is the demo password of email.
func (s *server) password(t *testing.T, email string) string {
	t.Helper()
	pw, ok := s.Logins[email]
	if !ok {
		t.Fatalf("no demo login for %s (have %d)", email, len(s.Logins))
	}
	return pw
}

// apiToken creates a personal API token for email with the real CLI, beside the running
// server, and returns it.
func (s *server) apiToken(t *testing.T, email string) string {
	t.Helper()
	cmd := exec.Command(birgeBin, "token", "create", "--email", email, "--name", "e2e", "--data", s.Data)
	cmd.Env = processEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("birge token create: %v\n%s", err, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// apiGet fetches an API path with a token and decodes the JSON answer into v; it returns
// the status.
func (s *server) apiGet(t *testing.T, token, path string, v any) int {
	return s.api(t, token, http.MethodGet, path, nil, v)
}

// api sends a request with a token and a JSON body (if any), and decodes a successful
// JSON answer into v; it returns the status.
func (s *server) api(t *testing.T, token, method, path string, body, v any) int {
	t.Helper()
	var in io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		in = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.URL+path, in)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if v != nil && res.StatusCode/100 == 2 {
		if err := json.NewDecoder(res.Body).Decode(v); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return res.StatusCode
}

// syncBuffer collects a process's standard error for the test log.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// ---------------------------------------------------------------------------------------
// The browser

// tab is one browser tab looking at one server.
type tab struct {
	t   *testing.T
	ctx context.Context
	srv *server
}

// newTab starts a headless Chromium with a fresh profile, for this test only, and opens a
// tab on srv. The whole test shares one deadline (testTimeout).
func newTab(t *testing.T, srv *server) *tab {
	t.Helper()
	return newTabFor(t, srv, testTimeout)
}

// newTabFor is newTab for a test that walks many pages and needs a longer deadline.
func newTabFor(t *testing.T, srv *server, timeout time.Duration) *tab {
	t.Helper()
	if browserBin == "" {
		testenv.Missing(t, "browser", "no chromium, chromium-browser or google-chrome on PATH")
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browserBin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc() // waits for the browser to exit, before its profile folder is removed
		cancel()
	})
	if err := chromedp.Do(tabCtx); err != nil { // start the browser under the test's deadline
		t.Fatalf("start %s: %v", browserBin, err)
	}
	return &tab{t: t, ctx: tabCtx, srv: srv}
}

// incognito opens a second tab in a new browser context: no cookies shared with p.
func (p *tab) incognito() *tab {
	p.t.Helper()
	ctx, cancel := chromedp.NewContext(p.ctx, chromedp.WithNewBrowserContext())
	p.t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		p.t.Fatalf("new browser context: %v", err)
	}
	return &tab{t: p.t, ctx: ctx, srv: p.srv}
}

// run runs one action with the step deadline and fails the test on an error.
func run[T any](p *tab, what string, a chromedp.Action[T]) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
	return v
}

// do runs actions that return nothing.
func (p *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	run(p, what, chromedp.Steps(actions...))
}

// js evaluates a JavaScript expression in the page and returns its value.
func js[T any](p *tab, expr string) T {
	p.t.Helper()
	return run(p, "evaluate "+expr, chromedp.Evaluate[T](expr))
}

// open navigates to a path of the server (or a full URL) and returns the response of the
// document, after redirects.
func (p *tab) open(path string) *network.Response {
	p.t.Helper()
	u := path
	if strings.HasPrefix(path, "/") {
		u = p.srv.URL + path
	}
	return run(p, "open "+u, chromedp.NavigateResponse(u))
}

// submit clicks a button that submits a form and waits for the page it leads to.
func (p *tab) submit(button string) *network.Response {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(button)))
	if err != nil {
		p.t.Fatalf("click %s and wait for the next page: %v", button, err)
	}
	return resp
}

// typeInto empties an input or textarea and types into it, key by key.
func (p *tab) typeInto(id, text string) {
	p.t.Helper()
	p.do("type into #"+id,
		chromedp.WaitVisible(chromedp.ID(id)),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.getElementById(%q).value = ""`, id)),
		chromedp.SendKeys(chromedp.ID(id), text))
	if got := p.value(id); got != text {
		p.t.Fatalf("typed %q into #%s, it holds %q", text, id, got)
	}
}

// choose selects an option of a select by its value.
func (p *tab) choose(id, value string) {
	p.t.Helper()
	p.do("choose "+value+" in #"+id, chromedp.SetValue(chromedp.ID(id), value))
	if got := p.value(id); got != value {
		p.t.Fatalf("#%s: chose %q, the select shows %q (no such option?)", id, value, got)
	}
}

// value is the current value of a form control.
func (p *tab) value(id string) string {
	p.t.Helper()
	return js[string](p, fmt.Sprintf(`document.getElementById(%q)?.value ?? "<no #%s>"`, id, id))
}

// text is the visible text of the first element matching a CSS selector, or "" when
// there is none (it does not wait for one to appear).
func (p *tab) text(sel string) string {
	p.t.Helper()
	return js[string](p, fmt.Sprintf(`document.querySelector(%q)?.innerText.trim() ?? ""`, sel))
}

// exists reports whether an element matches the CSS selector now.
func (p *tab) exists(sel string) bool {
	p.t.Helper()
	return js[bool](p, fmt.Sprintf(`document.querySelector(%q) !== null`, sel))
}

// body is the visible text of the whole page, for assertions and failure messages.
func (p *tab) body() string {
	p.t.Helper()
	return js[string](p, `document.body ? document.body.innerText : ""`)
}

// location is the address the tab shows now.
func (p *tab) location() *url.URL {
	p.t.Helper()
	u, err := url.Parse(run(p, "read location", chromedp.Location()))
	if err != nil {
		p.t.Fatal(err)
	}
	return u
}

// wantPath fails unless the tab is at path (query ignored).
func (p *tab) wantPath(path string) {
	p.t.Helper()
	if u := p.location(); u.Path != path {
		p.t.Fatalf("the browser is at %s, want %s; the page says:\n%s", u, path, p.body())
	}
}

// login signs in through the form and expects the dashboard.
func (p *tab) login(email, password string) {
	p.t.Helper()
	p.open("/login")
	p.typeInto("f-email", email)
	p.typeInto("f-password", password)
	if resp := p.submit(`form[action="/login"] button[type=submit]`); resp.Status != http.StatusOK {
		p.t.Fatalf("sign in as %s: status %d; the page says:\n%s", email, resp.Status, p.body())
	}
	p.wantPath("/dashboard")
}
