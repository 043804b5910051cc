package web

import (
	"context"
	"html"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
)

// TestIntakeRegistersSomeoneNew: from the intake form the coordinator registers a
// partner who is not in the registry and comes back with her number and what she had
// typed; where the registry finds her already, she takes that record instead; the way
// back goes only to the intake form.
func TestIntakeRegistersSomeoneNew(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	ru := i18n.For("ru")
	aktobe := s.center("Aktobe family centre")
	centre := strconv.FormatInt(aktobe.ID, 10)
	known, err := s.st.People.Create(context.Background(), birge.System("t"), birge.Person{CenterID: aktobe.ID,
		GivenName: "Динара", FamilyName: "Сапарова", BirthDate: "1990-04-02", Sex: "female"})
	if err != nil {
		t.Fatal(err)
	}
	c := s.login("coordinator@birge.example")

	// The intake form, with the husband's number typed, links to the registry's form for
	// the first partner, carrying it.
	res := s.get(c, "/cases/new?center_id="+centre+"&partner_2=77&came_from=court")
	link := html.UnescapeString(between(res.Body, `<p class="register"><a href="`, `"`))
	if res.StatusCode != 200 || !strings.HasPrefix(link, "/people/new?") || !strings.Contains(res.Body, `value="77"`) {
		t.Fatalf("intake form: %d, link %q", res.StatusCode, link)
	}
	u, _ := url.Parse(link)
	next, slot := u.Query().Get("next"), u.Query().Get("slot")
	if slot != "partner_1" || !strings.Contains(next, "partner_2=77") || !strings.Contains(next, "came_from=court") {
		t.Fatalf("the way back: %q, %q", next, slot)
	}
	if res := s.get(c, link); res.StatusCode != 200 || !strings.Contains(res.Body, `name="next"`) {
		t.Fatalf("the registry's form from the intake: %d", res.StatusCode)
	}

	// Someone new: registered, and back to the intake with her number in her place.
	form := url.Values{"center_id": {centre}, "given_name": {"Әсем"}, "family_name": {"Жақыпова"}, "sex": {"female"},
		"next": {next}, "slot": {slot}}
	res = s.postForm(c, "/people", form, nil)
	back, _ := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != 303 || back.Path != "/cases/new" || back.Query().Get("partner_2") != "77" || back.Query().Get("partner_1") == "" {
		t.Fatalf("registered: %d, back to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res := s.get(c, back.String()); !strings.Contains(res.Body, `value="`+back.Query().Get("partner_1")+`"`) {
		t.Errorf("the intake form lacks her number")
	}

	// One the registry knows: the form offers to take her instead.
	form = url.Values{"center_id": {centre}, "given_name": {"Динара"}, "family_name": {"Сапарова"}, "sex": {"female"},
		"birth_date": {"1990-04-02"}, "next": {next}, "slot": {slot}}
	res = s.postForm(c, "/people", form, nil)
	use := html.UnescapeString(between(res.Body, `<a class="button" href="`, `">`+ru.T("case.use_this_person")))
	if res.StatusCode != 409 || !strings.Contains(use, "partner_1="+strconv.FormatInt(known.ID, 10)) {
		t.Fatalf("a duplicate: %d, %q", res.StatusCode, use)
	}

	// The way back is only ever the intake form.
	for _, bad := range []string{"https://example.com/cases/new", "//example.com/cases/new", "/people/1", "/cases/new/../../people"} {
		form = url.Values{"center_id": {centre}, "given_name": {"Гүлмира"}, "family_name": {"Ахмет"}, "sex": {"female"},
			"next": {bad}, "slot": {"partner_1"}}
		res = s.postForm(c, "/people", form, nil)
		if loc := res.Header.Get("Location"); res.StatusCode != 303 || !strings.HasPrefix(loc, "/people/") {
			t.Errorf("next %q: %d to %q", bad, res.StatusCode, loc)
		}
	}
}

// between is the text of s after the first start, up to end.
func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	s = s[i+len(start):]
	if j := strings.Index(s, end); j >= 0 {
		return s[:j]
	}
	return ""
}
