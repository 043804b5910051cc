package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/testenv"
)

// Where a user meets the false alarm of the unkeyed log: revealing a woman's identity
// number on her page and exporting her dossier through the API each wrote an entry that
// `birge audit verify` then called broken. Now the log verifies after both, on both
// databases, and the administrator's audit page names the keyed chains' first entry.
func TestAuditIntactAfterRevealAndDossier(t *testing.T) {
	for _, db := range testenv.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := openSite(t, db, Config{})
			p := survivorAt(t, s, "Aktobe family centre")
			id := strconv.FormatInt(p.ID, 10)
			coord := s.login("coordinator@birge.example")
			if res := s.postForm(coord, "/people/"+id+"/reveal", url.Values{}, nil); res.StatusCode != http.StatusOK ||
				!strings.Contains(res.Body, "850315401231") {
				t.Fatalf("reveal: %d\n%.300s", res.StatusCode, res.Body)
			}
			_, token := s.token("coordinator@birge.example", "dossier")
			if res := s.api(token, http.MethodGet, "/api/v1/people/"+id+"/dossier", nil); res.StatusCode != http.StatusOK {
				t.Fatalf("dossier: %d\n%.300s", res.StatusCode, res.Body)
			}
			r, err := s.st.CheckAudit(context.Background(), nil)
			if err != nil || len(r.Breaks) != 0 {
				t.Fatalf("the log after a reveal and a dossier export: %+v, %v", r.Breaks, err)
			}
			if broken, _, _ := s.st.VerifyAudit(context.Background()); broken != 0 {
				t.Errorf("VerifyAudit says broken at %d", broken)
			}
			admin := s.login("admin@birge.example")
			page := s.get(admin, "/audit?entity=audit")
			kk := i18n.For("kk") // the demo administrator reads Kazakh
			if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, kk.T("audit.action.chain_start")) ||
				!strings.Contains(page.Body, kk.T("audit.entity.audit")) {
				t.Errorf("audit page: %d; want the keyed chains' first entry, labelled\n%.2000s", page.StatusCode, page.Body)
			}
		})
	}
}

// auditLines are the change lines of an audit page, as read, and the entity numbers of
// its rows.
func auditLines(t *testing.T, body string) (lines []string, ids []string) {
	t.Helper()
	doc := parseHTML(t, body)
	for _, ul := range findAll(doc, func(n *html.Node) bool { return attr(n, "class") == "audit-changes" }) {
		for _, li := range findAll(ul, byTag("li")) {
			lines = append(lines, strings.Join(strings.Fields(text(li)), " "))
		}
	}
	for _, n := range findAll(doc, func(n *html.Node) bool { return attr(n, "class") == "audit-id" }) {
		ids = append(ids, text(n))
	}
	return lines, ids
}

// The administrator reads the log in Kazakh: each change names its field as the form
// does and its values as a person reads them (languages by name, yes and no, days in
// the Kazakh form, a consent's purpose and channel by their labels), never a code.
func TestAuditChangesReadInHerLanguage(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	ctx := context.Background()
	sys := birge.System("t")
	p := survivorAt(t, s, "Aktobe family centre")
	p.MayCall = true
	if _, err := s.st.People.Update(ctx, sys, p); err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.People.AddConsent(ctx, sys, p.ID, birge.Consent{Purpose: "story", Channel: "paper", GivenOn: "2026-12-01"}); err != nil {
		t.Fatal(err)
	}
	_, token := s.token("coordinator@birge.example", "prefs") // she reads Russian
	if res := s.api(token, http.MethodPatch, "/api/v1/me", `{"language": "ky"}`); res.StatusCode != http.StatusOK {
		t.Fatalf("PATCH /api/v1/me: %d %s", res.StatusCode, res.Body)
	}

	admin := s.login("admin@birge.example")
	kk := i18n.For("kk")
	page := s.get(admin, "/audit")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("audit page: %d", page.StatusCode)
	}
	lines, _ := auditLines(t, page.Body)
	for _, want := range []string{
		kk.T("person.may_call") + ": " + kk.T("field.no") + " → " + kk.T("field.yes"),
		kk.T("consent.purpose") + ": " + kk.T("consent.purpose.story"),
		kk.T("consent.channel") + ": " + kk.T("consent.channel.paper"),
		kk.T("consent.given_on") + ": " + kk.Day("2026-12-01"),
		kk.T("user.language") + ": Русский → Кыргызча",
		kk.T("person.center") + ": Ақтөбе отбасы орталығы",
		kk.T("audit.field.birth_year") + ": 1985",
	} {
		if !slices.Contains(lines, want) {
			t.Errorf("no line %q among\n%s", want, strings.Join(lines, "\n"))
		}
	}
	users, _ := auditLines(t, s.get(admin, "/audit?entity=user").Body)
	if want := kk.T("center.organization") + ": " + s.org("Family Preservation Centre").Names.KK; !slices.Contains(users, want) {
		t.Errorf("no line %q among the users' entries\n%s", want, strings.Join(users, "\n"))
	}
	if kk.Day("2026-12-01") == "2026-12-01" {
		t.Error("the Kazakh day form is the ISO one: the test cannot tell them apart")
	}
	for _, raw := range []string{"may_call", "given_on", "language:", "story", "audit.action.", "audit.entity.", "audit.field."} {
		if strings.Contains(page.Body, raw) {
			t.Errorf("the page shows %q", raw)
		}
	}
	for _, l := range lines {
		if strings.Contains(l, "true") || strings.Contains(l, "false") {
			t.Errorf("a change reads %q", l)
		}
	}
	for _, a := range []birge.AuditAction{birge.ActionConsent, birge.ActionConsentWithdrawn, birge.ActionRelation, birge.ActionRevealID, birge.ActionImport} {
		if !strings.Contains(page.Body, `<option value="`+string(a)+`">`+kk.T(a.Label())+`</option>`) {
			t.Errorf("the action filter does not offer %s", a)
		}
	}
	if !strings.Contains(page.Body, `<option value="import">`+kk.T(birge.EntityImport.Label())+`</option>`) {
		t.Error("the entity filter does not offer imports")
	}
	if res := s.get(admin, "/audit?action=sneeze"); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, kk.T("field.choose")) {
		t.Errorf("an unknown action: %d, want 422 saying to choose one", res.StatusCode)
	}
}

// "Who revealed identity numbers in December?": the filter by action and month finds
// the reveal of that month, and not one of January nor the month's other entries.
func TestAuditRevealsOfAMonth(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	ctx := context.Background()
	december := survivorAt(t, s, "Aktobe family centre")
	january, err := s.st.People.Create(ctx, birge.System("t"), birge.Person{CenterID: s.center("Aktobe family centre").ID,
		FamilyName: "Сейтқалиева", GivenName: "Гүлжан", IIN: "921108401006"})
	if err != nil {
		t.Fatal(err)
	}
	reveal := func(at time.Time, p birge.Person) {
		t.Helper()
		s.st.SetClock(func() time.Time { return at })
		coord := s.login("coordinator@birge.example") // a session of that day
		if res := s.postForm(coord, "/people/"+strconv.FormatInt(p.ID, 10)+"/reveal", url.Values{}, nil); res.StatusCode != http.StatusOK {
			t.Fatalf("reveal: %d", res.StatusCode)
		}
	}
	reveal(time.Date(2026, 12, 10, 9, 0, 0, 0, time.UTC), december)
	reveal(time.Date(2027, 1, 5, 9, 0, 0, 0, time.UTC), january)

	admin := s.login("admin@birge.example")
	page := s.get(admin, "/audit?action=reveal_id&from=2026-12-01&to=2026-12-31")
	_, ids := auditLines(t, page.Body)
	if page.StatusCode != http.StatusOK || !slices.Equal(ids, []string{"№" + strconv.FormatInt(december.ID, 10)}) {
		t.Errorf("reveals of December: %d, records %v; want only №%d", page.StatusCode, ids, december.ID)
	}
	if !strings.Contains(page.Body, "Айгүл Серікова") || !strings.Contains(page.Body, i18n.For("kk").T("audit.action.reveal_id")) {
		t.Errorf("the reveal does not say who revealed the number\n%.3000s", page.Body)
	}
	page = s.get(admin, "/audit?action=reveal_id&from=2027-01-01&to=2027-01-31")
	if _, ids := auditLines(t, page.Body); !slices.Equal(ids, []string{"№" + strconv.FormatInt(january.ID, 10)}) {
		t.Errorf("reveals of January: records %v; want only №%d", ids, january.ID)
	}
}
