package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/birge-org/birge/internal/api"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// tokenWorks asks the API who a token is: true when it answers 200.
func (s *site) tokenWorks(secret string) bool {
	s.t.Helper()
	res := s.api(secret, http.MethodGet, "/api/v1/me", nil)
	if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusUnauthorized {
		s.t.Fatalf("GET /api/v1/me: %d", res.StatusCode)
	}
	return res.StatusCode == http.StatusOK
}

// TestTokenLifetime: a token's lifetime is chosen on the account page and in the API;
// out of range is a message beside the field; an expired token gets 401 with a message
// that says so and is shown as expired.
func TestTokenLifetime(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s := newSite(t, st, Config{})
		now := time.Date(2027, 3, 10, 20, 30, 0, 0, time.UTC)
		st.SetClock(func() time.Time { return now })
		c := s.login("coordinator@birge.example") // speaks Russian
		ru := i18n.For("ru")

		page := parseHTML(t, s.get(c, "/account").Body)
		// The page points to what a token can do: the API's document, which is served.
		if a := first(page, byID("api-document")); a == nil || text(a) != ru.T("account.api_document") ||
			s.get(nil, attr(a, "href")).StatusCode != http.StatusOK {
			t.Error("the account page does not link the served OpenAPI document")
		}
		sel := first(page, byID("f-expires_in_days"))
		if sel == nil {
			t.Fatal("the account page offers no lifetime for a new token")
		}
		if opt := first(sel, func(n *html.Node) bool { return n.Data == "option" && hasAttr(n, "selected") }); opt == nil || attr(opt, "value") != "90" {
			t.Errorf("the lifetime chosen at first is not 90 days")
		}
		res := s.postForm(c, "/account/tokens", url.Values{"name": {"отчёт"}, "expires_in_days": {"400"}}, nil)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("400 days on the page: %d, want 422", res.StatusCode)
		}
		doc := parseHTML(t, res.Body)
		if e := first(doc, byID("e-expires_in_days")); e == nil || text(e) != ru.T("token.days_range") {
			t.Errorf("400 days: no message %q beside the field", ru.T("token.days_range"))
		}
		if n := first(doc, func(n *html.Node) bool { return attr(n, "name") == "expires_in_days" }); n == nil ||
			first(n, func(o *html.Node) bool { return o.Data == "option" && hasAttr(o, "selected") }) != nil {
			t.Errorf("400 days: a lifetime shown as chosen, though none of the offered ones was")
		}
		res = s.postForm(c, "/account/tokens", url.Values{"name": {"отчёт"}, "expires_in_days": {"30"}}, nil)
		secret := text(first(parseHTML(t, res.Body), byID("new-token")))
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(secret, store.TokenPrefix) {
			t.Fatalf("30 days on the page: %d, secret %q", res.StatusCode, secret)
		}

		// The API: the same rule, another field name is refused, days are numbers.
		_, apiSecret := s.token("coordinator@birge.example", "api")
		for body, field := range map[string]string{`{"name": "x", "expires_in_days": 366}`: "expires_in_days",
			`{"name": "x", "expires_in_days": "7"}`: "expires_in_days", `{"name": "x", "expires_at": "2030-01-01T00:00:00Z"}`: "expires_at"} {
			res := s.api(apiSecret, http.MethodPost, "/api/v1/tokens", body)
			var p problem
			decodeJSON(t, res, &p)
			if res.StatusCode != http.StatusUnprocessableEntity || p.Errors[field] == "" {
				t.Errorf("POST /api/v1/tokens %s: %d %v, want 422 naming %s", body, res.StatusCode, p.Errors, field)
			}
		}
		res = s.api(apiSecret, http.MethodPost, "/api/v1/tokens", `{"name": "weekly", "expires_in_days": 7}`)
		var week struct {
			store.Token
			Secret string `json:"token"`
		}
		decodeJSON(t, res, &week)
		if res.StatusCode != http.StatusCreated || !week.ExpiresAt.Equal(now.AddDate(0, 0, 7)) {
			t.Fatalf("a week's token: %d, expires %v, want %v", res.StatusCode, week.ExpiresAt, now.AddDate(0, 0, 7))
		}
		res = s.api(apiSecret, http.MethodPost, "/api/v1/tokens", `{"name": "default"}`)
		var dflt store.Token
		decodeJSON(t, res, &dflt)
		if !dflt.ExpiresAt.Equal(now.AddDate(0, 0, 90)) {
			t.Errorf("a token without a lifetime expires %v, want in 90 days", dflt.ExpiresAt)
		}

		// Eight days on, the week's token is refused and says why; the others work.
		now = now.AddDate(0, 0, 8)
		res = s.do(nil, http.MethodGet, "/api/v1/me", nil, http.Header{"Authorization": {"Bearer " + week.Secret}, "Accept-Language": {"ru"}})
		var p problem
		decodeJSON(t, res, &p)
		if res.StatusCode != http.StatusUnauthorized || p.Detail != ru.T("token.expired") {
			t.Errorf("an expired token: %d %q, want 401 %q", res.StatusCode, p.Detail, ru.T("token.expired"))
		}
		if !s.tokenWorks(secret) || !s.tokenWorks(apiSecret) {
			t.Error("tokens that have not expired are refused")
		}
		var list api.List[store.Token]
		decodeJSON(t, s.api(apiSecret, http.MethodGet, "/api/v1/tokens", nil), &list)
		for _, tk := range list.Items {
			if tk.Expired != (tk.ID == week.ID) {
				t.Errorf("token %q listed as expired: %v", tk.Name, tk.Expired)
			}
		}
		// And the account page marks it (the session of eight days ago has ended).
		c = s.login("coordinator@birge.example")
		row := first(parseHTML(t, s.get(c, "/account").Body), func(n *html.Node) bool { return n.Data == "tr" && attr(n, "class") == "expired" })
		if row == nil || !strings.Contains(text(row), "weekly") || !strings.Contains(text(row), ru.T("account.token_expired")) {
			t.Errorf("the account page does not mark the expired token")
		}
	})
}

func hasAttr(n *html.Node, name string) bool {
	for _, a := range n.Attr {
		if a.Key == name {
			return true
		}
	}
	return false
}

// TestUserTokensPage: FPC's administrator sees the caseworker's tokens on her page and
// revokes one there, and one through the API; her password reset revokes the rest. The
// coordinator, who does not manage her, does not see them.
func TestUserTokensPage(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s := newSite(t, st, Config{})
		const who = "caseworker@birge.example"
		id := strconv.FormatInt(s.userID(who), 10)
		webID, webSecret := s.token(who, "телефон")
		apiID, apiSecret := s.token(who, "ноутбук")
		_, lastSecret := s.token(who, "планшет")
		admin := s.login("fpc.admin@birge.example")
		page := s.get(admin, "/users/"+id)
		for _, name := range []string{"телефон", "ноутбук", "планшет"} {
			if !strings.Contains(page.Body, name) {
				t.Errorf("her administrator's view of her page does not list the token %q", name)
			}
		}
		if strings.Contains(page.Body, webSecret) {
			t.Error("the page shows a token's secret")
		}
		if res := s.postForm(admin, fmt.Sprintf("/users/%s/tokens/%d/delete", id, webID), url.Values{}, nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("revoke on her page: %d", res.StatusCode)
		}
		if s.tokenWorks(webSecret) {
			t.Error("the token revoked on her page still works")
		}
		_, adminToken := s.token("fpc.admin@birge.example", "admin")
		var list api.List[store.Token]
		decodeJSON(t, s.api(adminToken, http.MethodGet, "/api/v1/users/"+id+"/tokens", nil), &list)
		if len(list.Items) != 2 {
			t.Errorf("the API lists %d of her tokens, want 2", len(list.Items))
		}
		if res := s.api(adminToken, http.MethodDelete, fmt.Sprintf("/api/v1/users/%s/tokens/%d", id, apiID), nil); res.StatusCode != http.StatusNoContent {
			t.Fatalf("DELETE her token: %d\n%s", res.StatusCode, res.Body)
		}
		if s.tokenWorks(apiSecret) {
			t.Error("the token revoked through the API still works")
		}
		// Her password reset revokes what is left.
		if res := s.postForm(admin, "/users/"+id+"/password", url.Values{"password": {"reset by the administrator"}}, nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("reset her password: %d", res.StatusCode)
		}
		if s.tokenWorks(lastSecret) {
			t.Error("a token survived the administrator's password reset")
		}
		// The installation's administrator sees the coordinator's tokens; the
		// coordinator herself, on her page as others see it, is shown no list there.
		_, coordSecret := s.token("coordinator@birge.example", "coordinator's script")
		coordID := strconv.FormatInt(s.userID("coordinator@birge.example"), 10)
		if !strings.Contains(s.get(s.login("admin@birge.example"), "/users/"+coordID).Body, "coordinator&#39;s script") {
			t.Error("the installation's administrator does not see the coordinator's token")
		}
		if res := s.api(coordSecret, http.MethodGet, "/api/v1/users/"+id+"/tokens", nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("the coordinator lists the caseworker's tokens: %d, want 404", res.StatusCode)
		}
	})
}

// TestRevokeOwnTokens: "log out everywhere" and a password change revoke the user's own
// tokens when she ticks the box (ticked at first on the password form), and not otherwise.
func TestRevokeOwnTokens(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s := newSite(t, st, Config{})
		const who = "coordinator@birge.example"
		_, secret := s.token(who, "script")
		c := s.login(who)
		page := parseHTML(t, s.get(c, "/account").Body)
		boxes := findAll(page, func(n *html.Node) bool { return attr(n, "name") == "revoke_tokens" })
		if len(boxes) != 2 || !hasAttr(boxes[0], "checked") || hasAttr(boxes[1], "checked") {
			t.Fatalf("the account page has %d revoke_tokens boxes; want two: ticked on the password form, not for sign-out", len(boxes))
		}
		if res := s.postForm(c, "/logout-everywhere", url.Values{}, nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("log out everywhere: %d", res.StatusCode)
		}
		if !s.tokenWorks(secret) {
			t.Fatal("log out everywhere without the tick revoked a token")
		}
		c = s.login(who)
		if res := s.postForm(c, "/logout-everywhere", url.Values{"revoke_tokens": {"on"}}, nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("log out everywhere with the tick: %d", res.StatusCode)
		}
		if s.tokenWorks(secret) {
			t.Fatal("log out everywhere with the tick left the token working")
		}
		_, secret = s.token(who, "script")
		c = s.login(who)
		pw := s.passwords[who]
		if res := s.postForm(c, "/account/password", url.Values{"current_password": {pw}, "new_password": {pw}, "new_password_confirm": {pw}}, nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("password change: %d", res.StatusCode)
		}
		if !s.tokenWorks(secret) {
			t.Fatal("a password change without the tick revoked a token")
		}
		c = s.login(who)
		if res := s.postForm(c, "/account/password", url.Values{"current_password": {pw}, "new_password": {pw}, "new_password_confirm": {pw},
			"revoke_tokens": {"on"}}, nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("password change with the tick: %d", res.StatusCode)
		}
		if s.tokenWorks(secret) {
			t.Error("a password change with the tick left the token working")
		}
	})
}
