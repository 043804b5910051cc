package web

import (
	"net/url"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/testenv"
)

// TestKyrgyzPlaceNames: a coordinator reading in Kyrgyz picks Kazakhstan's regions and
// districts in the list's filter and the person form as Kyrgyz writes them.
func TestKyrgyzPlaceNames(t *testing.T) {
	for _, db := range testenv.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := openSite(t, db, Config{})
			c := s.login("coordinator@birge.example")
			if res := s.postForm(c, "/lang", url.Values{"lang": {"ky"}, "next": {"/people"}}, nil); res.StatusCode != 303 {
				t.Fatalf("switch to Kyrgyz: %d", res.StatusCode)
			}
			for _, path := range []string{"/people", "/people/new"} {
				res := s.get(c, path)
				if htmlLang(t, res.Body) != "ky" {
					t.Fatalf("%s is in %q, not Kyrgyz", path, htmlLang(t, res.Body))
				}
				for _, want := range []string{">Түндүк Казакстан облусу<", ">Астана шаары<", ">Актөбө облусу<", ">Каргалы<", ">Ысык-Көл облусу<"} {
					if !strings.Contains(res.Body, want) {
						t.Errorf("%s in Kyrgyz has no %s", path, want)
					}
				}
				for _, kazakh := range []string{">Солтүстік Қазақстан<", ">Ақтөбе<", ">Қарғалы<"} {
					if strings.Contains(res.Body, kazakh) {
						t.Errorf("%s in Kyrgyz shows the Kazakh %s", path, kazakh)
					}
				}
			}
		})
	}
}
