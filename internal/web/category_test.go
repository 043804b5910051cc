package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// An organisation's administrator adds a category on its page; the registration form
// offers it until it is retired, her page keeps showing it after; another organisation
// neither finds its page nor uses it.
func TestCategoryPages(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st, Config{})
		fpc, mamaPro := s.org("Family Preservation Centre"), s.org("Mama Pro")
		list := "/organizations/" + strconv.FormatInt(fpc.ID, 10) + "/categories"
		admin := s.login("fpc.admin@birge.example")

		f := url.Values{"code": {"Not a code!"}}
		namesForm(f, birge.Names{KK: "Көші-қонушы", RU: "Мигрантка", KY: "Мигрант", EN: "Migrant"})
		if res := s.postForm(admin, list, f, nil); res.StatusCode != http.StatusUnprocessableEntity ||
			first(parseHTML(t, res.Body), byID("e-code")) == nil {
			t.Fatalf("a bad code: %d, want 422 with a message beside the code\n%.1500s", res.StatusCode, res.Body)
		}
		f.Set("code", "")
		if res := s.postForm(admin, list, f, nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("add: %d\n%.1500s", res.StatusCode, res.Body)
		}
		if res := s.get(admin, list); !strings.Contains(res.Body, "Мигрантка") && !strings.Contains(res.Body, "Көші-қонушы") {
			t.Errorf("the list does not show the new category\n%.2000s", res.Body)
		}

		coord := s.login("coordinator@birge.example")
		if res := s.get(coord, "/people/new"); !strings.Contains(res.Body, `name="cat_migrant"`) {
			t.Fatalf("the registration form does not offer the new category")
		}
		person := url.Values{"center_id": {strconv.FormatInt(s.center("Aktobe family centre").ID, 10)}, "given_name": {"Мадина"},
			"country": {"KZ"}, "cat_migrant": {"on"}, "not_duplicate": {"1"}}
		res := s.postForm(coord, "/people", person, nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("register: %d\n%.1500s", res.StatusCode, res.Body)
		}
		herPage := res.Header.Get("Location")

		if res := s.postForm(admin, list+"/migrant/retire", url.Values{}, nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("retire: %d", res.StatusCode)
		}
		if res := s.get(coord, "/people/new"); strings.Contains(res.Body, `name="cat_migrant"`) {
			t.Error("the registration form offers a retired category")
		}
		if res := s.get(coord, "/people?category=migrant"); strings.Contains(res.Body, `value="migrant"`) || res.StatusCode != http.StatusOK {
			t.Errorf("the filter offers a retired category (status %d)", res.StatusCode)
		}
		if res := s.get(coord, herPage+"/edit"); !strings.Contains(res.Body, `name="cat_migrant" checked`) {
			t.Error("her form no longer shows the retired category she holds")
		}
		if res := s.get(coord, herPage); !strings.Contains(res.Body, "Мигрантка") && !strings.Contains(res.Body, "Migrant") {
			t.Errorf("her page no longer shows the retired category\n%.3000s", res.Body)
		}

		// Mama Pro's pages are not found by FPC's administrator, and its categories are
		// no choice for FPC's people.
		if _, err := st.CreateCategory(t.Context(), birge.System("t"), birge.Category{OrgID: mamaPro.ID, Code: "refugee",
			Names: birge.Names{KK: "Босқын", RU: "Беженка", KY: "Качкын", EN: "Refugee"}}); err != nil {
			t.Fatal(err)
		}
		other := "/organizations/" + strconv.FormatInt(mamaPro.ID, 10) + "/categories"
		for _, path := range []string{other, other + "/refugee/edit", list + "/refugee/edit"} {
			if res := s.get(admin, path); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", path, res.StatusCode)
			}
		}
		_, tok := s.token("coordinator@birge.example", "categories")
		res = s.api(tok, http.MethodPost, "/api/v1/people", fmt.Sprintf(`{"center_id": %d, "given_name": "Дана", "categories": ["refugee"]}`,
			s.center("Aktobe family centre").ID))
		var p problem
		if decodeJSON(t, res, &p); res.StatusCode != http.StatusUnprocessableEntity || p.Errors["categories"] == "" {
			t.Errorf("another organisation's category: %d %v", res.StatusCode, p.Errors)
		}
	})
}
