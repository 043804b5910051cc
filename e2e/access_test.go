package e2e

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/i18n"
)

// A coordinator sees the users of her own centre, and a user of another centre of the
// same organisation does not exist for her: not in the list, not by address.
func TestCoordinatorCannotReachAnotherCentresUser(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})

	// The ids come from the API, as the installation administrator sees them.
	token := srv.apiToken(t, "admin@birge.example")
	var users struct {
		Items []struct {
			ID    int64  `json:"id"`
			Email string `json:"email"`
			Name  string `json:"name"`
		} `json:"items"`
	}
	if status := srv.apiGet(t, token, "/api/v1/users?limit=200", &users); status != http.StatusOK {
		t.Fatalf("GET /api/v1/users as the administrator: status %d", status)
	}
	ids, names := map[string]int64{}, map[string]string{}
	for _, u := range users.Items {
		ids[u.Email], names[u.Email] = u.ID, u.Name
	}
	const me, other = "coordinator@birge.example", "caseworker@birge.example" // fpc/aktobe, fpc/kargaly
	if ids[me] == 0 || ids[other] == 0 {
		t.Fatalf("the administrator's user list lacks %s or %s: %+v", me, other, users.Items)
	}
	otherPage := fmt.Sprintf("/users/%d", ids[other])
	if status := srv.apiGet(t, token, "/api/v1"+otherPage, nil); status != http.StatusOK {
		t.Fatalf("GET /api/v1%s as the administrator: status %d, want 200", otherPage, status)
	}

	p := newTab(t, srv)
	p.login(me, srv.password(t, me))
	ru := i18n.For("ru")

	for _, path := range []string{otherPage, otherPage + "/edit"} {
		resp := p.open(path)
		if resp.Status != http.StatusNotFound {
			t.Errorf("coordinator opens %s: status %d, want 404", path, resp.Status)
		}
		if got, want := p.text(".form-error"), ru.T("error.not_found"); got != want {
			t.Errorf("coordinator opens %s: message %q, want %q", path, got, want)
		}
		if body := p.body(); strings.Contains(body, other) || strings.Contains(body, names[other]) {
			t.Errorf("coordinator opens %s and sees the other centre's user:\n%s", path, body)
		}
	}

	if resp := p.open("/users"); resp.Status != http.StatusOK {
		t.Fatalf("coordinator opens /users: status %d; the page says:\n%s", resp.Status, p.body())
	}
	emails := js[[]string](p, `[...document.querySelectorAll("main tbody tr td:nth-child(2)")].map(td => td.innerText.trim())`)
	if !slices.Contains(emails, me) {
		t.Errorf("the coordinator's user list does not list her own centre's user %s: %q", me, emails)
	}
	if slices.Contains(emails, other) || strings.Contains(p.body(), other) {
		t.Errorf("the coordinator's user list shows %s of another centre: %q", other, emails)
	}
	if p.exists(fmt.Sprintf(`a[href=%q]`, otherPage)) {
		t.Errorf("the coordinator's user list links to %s", otherPage)
	}

	// Her own centre's user opens.
	own := fmt.Sprintf("/users/%d", ids[me])
	if resp := p.open(own); resp.Status != http.StatusOK {
		t.Errorf("coordinator opens %s (her own record): status %d", own, resp.Status)
	} else if got := p.text("h1"); got != names[me] {
		t.Errorf("coordinator opens %s: heading %q, want %q", own, got, names[me])
	}
}
