package e2e

import (
	"bytes"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/birge-org/birge/internal/i18n"
)

// A coordinator makes a token with a lifetime of her choice on her account page; FPC's
// administrator sees it on her page and revokes it there; "log out everywhere" with the
// tick revokes the rest. Every screen passes axe-core.
func TestTokensInTheBrowser(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	const coordinator, admin = "coordinator@birge.example", "fpc.admin@birge.example"
	ru, kk := i18n.For("ru"), i18n.For("kk")

	p := newTab(t, srv)
	p.login(coordinator, srv.password(t, coordinator))
	p.open("/account")
	if got := p.value("f-expires_in_days"); got != "90" {
		t.Errorf("a new token's lifetime is %q at first, want 90 days", got)
	}
	p.axe("the account page")
	p.typeInto("f-name", "отчёт для акимата")
	p.choose("f-expires_in_days", "30")
	if resp := p.submit(`form[action="/account/tokens"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("create a token: status %d; the page says:\n%s", resp.Status, p.body())
	}
	secret := p.text("#new-token")
	if !strings.HasPrefix(secret, "birge_") {
		t.Fatalf("the new token's secret is not shown: %q", secret)
	}
	if row := p.text("table.tokens tbody tr"); !strings.Contains(row, "отчёт для акимата") {
		t.Errorf("the token list shows %q, want the new token", row)
	}
	p.axe("the account page with a new token")
	if status := srv.apiGet(t, secret, "/api/v1/me", nil); status != http.StatusOK {
		t.Fatalf("the new token: GET /api/v1/me %d", status)
	}
	second := srv.apiToken(t, coordinator) // made with the command line, 90 days

	// Her administrator (who reads Kazakh) sees both on her page and revokes the first.
	a := p.incognito()
	a.login(admin, srv.password(t, admin))
	var me struct {
		ID int64 `json:"id"`
	}
	if status := srv.apiGet(t, second, "/api/v1/me", &me); status != http.StatusOK {
		t.Fatalf("GET /api/v1/me: %d", status)
	}
	page := "/users/" + strconv.FormatInt(me.ID, 10)
	if resp := a.open(page); resp.Status != http.StatusOK {
		t.Fatalf("the coordinator's page for her administrator: %d", resp.Status)
	}
	if body := a.body(); !strings.Contains(body, "отчёт для акимата") || !strings.Contains(body, kk.T("account.tokens")) {
		t.Errorf("the administrator does not see the coordinator's tokens:\n%s", body)
	}
	a.axe("a user's page with her tokens")
	if resp := a.submit(`table.tokens tbody tr:first-child button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("revoke: status %d", resp.Status)
	}
	if got, want := a.text(".flash"), kk.T("flash.token_deleted"); got != want {
		t.Errorf("after revoking, the page says %q, want %q", got, want)
	}
	if status := srv.apiGet(t, secret, "/api/v1/me", nil); status != http.StatusUnauthorized {
		t.Errorf("the revoked token: GET /api/v1/me %d, want 401", status)
	}

	// She signs out everywhere, ticking the box: the token made with the command line ends too.
	p.open("/account")
	p.do("tick revoke tokens", chromedp.Click(chromedp.ID("f-logout-tokens")))
	if resp := p.submit(`form[action="/logout-everywhere"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("log out everywhere: %d", resp.Status)
	}
	if got, want := p.text(".flash"), ru.T("flash.logged_out_everywhere_tokens"); got != want {
		t.Errorf("after signing out everywhere the page says %q, want %q", got, want)
	}
	if status := srv.apiGet(t, second, "/api/v1/me", nil); status != http.StatusUnauthorized {
		t.Errorf("a token after log out everywhere with the tick: %d, want 401", status)
	}
}

// `birge token create --expires-in-days` sets the lifetime; out of range is refused with
// the field named, and no token is made.
func TestTokenCreateCommandLine(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	create := func(days string) (string, string, error) {
		cmd := exec.Command(birgeBin, "token", "create", "--email", "coordinator@birge.example", "--name", "cli",
			"--expires-in-days", days, "--data", srv.Data)
		cmd.Env = processEnv()
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		return strings.TrimSpace(string(out)), stderr.String(), err
	}
	if out, stderr, err := create("400"); err == nil || !strings.Contains(stderr, "expires_in_days") || out != "" {
		t.Errorf("400 days: err %v, stdout %q, stderr %q; want a refusal naming expires_in_days", err, out, stderr)
	}
	secret, stderr, err := create("7")
	if err != nil {
		t.Fatalf("7 days: %v\n%s", err, stderr)
	}
	var list struct {
		Items []struct {
			Name      string    `json:"name"`
			CreatedAt time.Time `json:"created_at"`
			ExpiresAt time.Time `json:"expires_at"`
		} `json:"items"`
	}
	if status := srv.apiGet(t, secret, "/api/v1/tokens", &list); status != http.StatusOK || len(list.Items) != 1 {
		t.Fatalf("GET /api/v1/tokens with the new token: %d, %d tokens, want 1", status, len(list.Items))
	}
	if got := list.Items[0].ExpiresAt.Sub(list.Items[0].CreatedAt); got != 7*24*time.Hour {
		t.Errorf("the token made for 7 days works for %v", got)
	}
}
