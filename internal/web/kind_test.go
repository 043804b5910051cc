package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/birge"
)

// TestKindsPage: the FPC administrator adds a kind of outcome named in four languages
// (refused first without its Kazakh name, the message beside the field), and the
// coordinator is offered it on a woman's page in Russian; renamed, it is offered by its
// new name; retired, it is offered no more.
func TestKindsPage(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	admin, coord := s.login("fpc.admin@birge.example"), s.login("coordinator@birge.example")
	org := s.org("Family Preservation Centre")
	path := "/organizations/" + strconv.FormatInt(org.ID, 10) + "/kinds/outcomes"
	if res := s.get(admin, path); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "reconciled") {
		t.Fatalf("the list: %d", res.StatusCode)
	}
	f := url.Values{}
	namesForm(f, birge.Names{RU: "Поступила учиться", KY: "Окууга өттү", EN: "Enrolled in studies"})
	res := s.postForm(admin, path, f, nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a kind without its Kazakh name: %d", res.StatusCode)
	}
	if e := first(parseHTML(t, res.Body), byID("e-name_kk")); e == nil || text(e) == "" {
		t.Errorf("no message beside the Kazakh name")
	}
	f.Set("name_kk", "Оқуға түсті")
	if res := s.postForm(admin, path, f, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("a kind: %d\n%s", res.StatusCode, res.Body)
	}
	her, err := s.st.People.Create(context.Background(), birge.System("t"),
		birge.Person{CenterID: s.center("Aktobe family centre").ID, GivenName: "Айгүл"})
	if err != nil {
		t.Fatal(err)
	}
	offered := func() string {
		return text(first(parseHTML(t, s.get(coord, "/people/"+strconv.FormatInt(her.ID, 10)).Body), byID("f-outcome_kind")))
	}
	if got := offered(); !strings.Contains(got, "Поступила учиться") {
		t.Errorf("the new kind is not offered: %s", got)
	}
	f.Set("name_ru", "Учится")
	if res := s.postForm(admin, path+"/enrolled_in_studies/edit", f, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("rename: %d\n%s", res.StatusCode, res.Body)
	}
	if got := offered(); !strings.Contains(got, "Учится") {
		t.Errorf("the renamed kind is not offered by its new name: %s", got)
	}
	if res := s.postForm(admin, path+"/enrolled_in_studies/retire", url.Values{}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("retire: %d", res.StatusCode)
	}
	if got := offered(); strings.Contains(got, "Учится") {
		t.Errorf("a retired kind is still offered: %s", got)
	}
	if res := s.get(admin, path+"/employed/edit"); !strings.Contains(res.Body, "Employed") && !strings.Contains(res.Body, "Жұмысқа орналасты") {
		t.Errorf("a default kind's page does not show its catalog name")
	}
}
