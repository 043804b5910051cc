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
