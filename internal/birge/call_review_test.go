package birge

import (
	"strings"
	"testing"
)

// TestScrub: her names with Kazakh endings, phones written every way, identity numbers
// and emails are blacked out; sums of money and ordinary words stay.
func TestScrub(t *testing.T) {
	words := []string{"Жұмабаева", "Айжан", "Шамалған", "Ли"}
	in := "Айжанның наны: Жұмабаеваға хабарласыңыз +7 (701) 123-45-67, 87011234567, 0555 123 456, ЖСН 850315401231, " +
		"aizhan.zh@mail.kz. Шамалғанда пеш 1 200 000 теңге, ұн 300000 теңге. Ли. Лимон."
	out := Scrub(in, words)
	for _, gone := range []string{"Айжан", "Жұмабаева", "701", "87011234567", "0555", "850315401231", "aizhan", "Шамалған"} {
		if strings.Contains(out, gone) {
			t.Errorf("%q left in %q", gone, out)
		}
	}
	for _, kept := range []string{"наны", "1 200 000 теңге", "300000 теңге", "Ли.", "Лимон"} {
		if !strings.Contains(out, kept) {
			t.Errorf("%q lost from %q", kept, out)
		}
	}
}

// TestAssignReviewersBalanced: without districts the loads end at most one apart,
// whatever the pool had before; no reviewer twice on one application.
func TestAssignReviewersBalanced(t *testing.T) {
	pool := []CallReviewer{{UserID: 1}, {UserID: 2}, {UserID: 3}, {UserID: 4}, {UserID: 5}}
	apps := make([]AssignApplication, 37)
	for i := range apps {
		apps[i] = AssignApplication{ID: int64(i + 1)}
	}
	load := map[int64]int{}
	out, short := AssignReviewers(apps, pool, load, 3, false)
	if len(out) != 111 || len(short) != 0 {
		t.Fatalf("%d assignments, short %v", len(out), short)
	}
	lo, hi := 1<<30, 0
	for _, n := range load {
		lo, hi = min(lo, n), max(hi, n)
	}
	seen := map[Assignment]bool{}
	for _, a := range out {
		if seen[a] {
			t.Errorf("twice: %+v", a)
		}
		seen[a] = true
	}
	if hi-lo > 1 {
		t.Errorf("loads %v", load)
	}
}

// TestSameDistrict: a district's code, its names in any language, with or without the word
// for district, are the same district; a typed Kyrgyz one is compared as text.
func TestSameDistrict(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"KZ195200", "KZ195200", true},
		{"kz195200 ", "KZ195200", true},
		{"Қарасай", "KZ195200", true},
		{"Карасайский район", "KZ195200", true},
		{"Karasay district", "KZ195200", true},
		{"Талғар", "KZ195200", false},
		{"Аламүдүн району", "аламүдүн району", true},
		{"", "", false},
		{"", "KZ195200", false},
	} {
		if got := SameDistrict(c.a, c.b); got != c.want {
			t.Errorf("SameDistrict(%q, %q) = %v", c.a, c.b, got)
		}
	}
}
