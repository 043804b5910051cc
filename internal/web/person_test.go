package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/i18n"
)

// The people list filters by district through the page, and refuses, beside the field, a
// filter it cannot apply rather than showing an empty list.
func TestPeopleListFilters(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	c := s.login("fpc.admin@birge.example")      // Kazakh
	res := s.get(c, "/people?district=KZ154000") // Kargaly district
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Төлегенова") || strings.Contains(res.Body, "Омарова") {
		t.Errorf("district filter: %d; want the Kargaly survivor and not the Aktobe family", res.StatusCode)
	}
	res = s.get(c, "/people?category=dv_survivor")
	doc := parseHTML(t, res.Body)
	if e := first(doc, byID("e-category")); res.StatusCode != http.StatusUnprocessableEntity || e == nil ||
		text(e) != i18n.For("kk").T("field.choose") {
		t.Errorf("filter by a sealed category: %d, want 422 with a message beside the field", res.StatusCode)
	}
}
