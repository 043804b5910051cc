package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

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
