package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// A woman without a sensitive category, registered and opened through the API and the
// pages: her number is shown masked everywhere (masked when read, since the database no
// longer keeps a masked copy), and her dossier's access log lists the openings of her
// record, as it does a survivor's — lines for survivors alone made the log a list of
// them (decision 0014).
func TestEveryOpeningLoggedAlike(t *testing.T) {
	for _, db := range testenv.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := openSite(t, db, Config{})
			_, tok := s.token("coordinator@birge.example", "t")
			res := s.api(tok, http.MethodPost, "/api/v1/people", fmt.Sprintf(`{"center_id": %d,
				"family_name": "Ахметова", "given_name": "Дана", "iin": "850315401231", "categories": ["rural"]}`,
				s.center("Aktobe family centre").ID))
			var p struct {
				ID  int64  `json:"id"`
				IIN string `json:"iin"`
			}
			decodeJSON(t, res, &p)
			if res.StatusCode != http.StatusCreated || p.IIN != "8503••••1231" {
				t.Fatalf("POST /api/v1/people: %d, IIN %q\n%s", res.StatusCode, p.IIN, res.Body)
			}
			id := strconv.FormatInt(p.ID, 10)
			res = s.api(tok, http.MethodGet, "/api/v1/people/"+id, nil)
			decodeJSON(t, res, &p)
			if res.StatusCode != http.StatusOK || p.IIN != "8503••••1231" {
				t.Errorf("GET /api/v1/people/%s: %d, IIN %q", id, res.StatusCode, p.IIN)
			}
			coord := s.login("coordinator@birge.example")
			show := s.get(coord, "/people/"+id)
			if ident := text(first(parseHTML(t, show.Body), byID("identity"))); ident != "8503••••1231" {
				t.Errorf("her page shows the number as %q", ident)
			}

			page := s.get(coord, "/people/"+id+"/dossier")
			access := text(first(parseHTML(t, page.Body), byID("access")))
			if opened := i18n.For("ru").T("access.action.view"); strings.Count(access, opened) != 2 {
				t.Errorf("her dossier lists %d openings (want 2: read by the API, her page; creating her is no opening):\n%s",
					strings.Count(access, opened), access)
			}
			var d store.Dossier
			decodeJSON(t, s.api(tok, http.MethodGet, "/api/v1/people/"+id+"/dossier", nil), &d)
			views := 0
			for _, e := range d.AccessLog {
				if e.Action == "view" {
					views++
				}
			}
			if views != 2 {
				t.Errorf("the API's dossier lists %d openings, want 2: %+v", views, d.AccessLog)
			}
		})
	}
}
