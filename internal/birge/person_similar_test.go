package birge

import "testing"

func TestSimilarNames(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"Жұмабаева Айжан", "Zhumabaeva Aizhan", true},
		{"Жұмабаева Айжан", "Zhumabayeva Aizhan", true}, // passport spelling with y
		{"Айжан Жұмабаева", "ЖУМАБАЕВА АЙЖАН", true},    // order and case
		{"Жұмабаева Айжан Серікқызы", "Жумабаева Айжан", true},
		{"Айжан Жұмабаева", "Айгүл Жұмабаева", false}, // sisters are not one person
		{"Жұмабаева Айжан", "Жұмабаева", false},       // a family name alone is too little
		{"Айжан", "Aizhan", true},
		{"", "Aizhan", false},
		{"Ким Ольга", "Пак Ольга", false},
		// The Latin spellings fold as search folds them (namekey_spelling_test.go).
		{"Әбдірахманова Жанар Қайратқызы", "Zhanar Abdirakhmanova", true},
		{"Әбдірахманова Жанар Қайратқызы", "Abdirahmanova Janar Qairatqyzy", true},
		{"Әбдірахманова Жанар", "Äbdırahmanova Jannat", false},
	} {
		if got := SimilarNames(c.a, c.b); got != c.want {
			t.Errorf("SimilarNames(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}
