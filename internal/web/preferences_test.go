package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/store"
)

// A user chooses their own time zone, through the API and the account page, and every
// time they read is shown in it.
func TestOwnTimeZone(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	const email = "admin@birge.example"
	_, tok := s.token(email, "prefs")

	res := s.api(tok, http.MethodPatch, "/api/v1/me", `{"time_zone": "Mars/Olympus"}`)
	var p problem
	decodeJSON(t, res, &p)
	if res.StatusCode != http.StatusUnprocessableEntity || p.Errors["time_zone"] == "" {
		t.Fatalf("unknown zone: %d %v, want 422 naming time_zone", res.StatusCode, p.Errors)
	}
	var me birge.User
	res = s.api(tok, http.MethodPatch, "/api/v1/me", `{"time_zone": "Asia/Bishkek"}`)
	decodeJSON(t, res, &me)
	if res.StatusCode != http.StatusOK || me.TimeZone != "Asia/Bishkek" || me.Lang != "kk" {
		t.Fatalf("PATCH /api/v1/me: %d %+v, want Asia/Bishkek and the language kept", res.StatusCode, me)
	}

	c := s.login(email)
	res = s.postForm(c, "/account/preferences", url.Values{"language": {"en"}, "time_zone": {"Europe/Moscow"}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /account/preferences: %d, want 303\n%s", res.StatusCode, res.Body)
	}
	if body := s.get(c, "/account").Body; !strings.Contains(body, i18n.For("en").T("flash.preferences_saved")) {
		t.Error("the account page does not confirm the change in English")
	}
	entries, err := s.st.ListAudit(context.Background(), birge.System("t"), store.AuditFilter{Limit: 1})
	if err != nil || len(entries) == 0 {
		t.Fatal(entries, err)
	}
	moscow, _ := time.LoadLocation("Europe/Moscow")
	want := i18n.For("en").DateTime(entries[0].At, moscow)
	if body := s.get(c, "/audit").Body; !strings.Contains(body, want) {
		t.Errorf("the audit log does not show the newest entry at %s, Moscow time", want)
	}
}
