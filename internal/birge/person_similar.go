package birge

// SimilarNames reports whether two full names, perhaps typed in different scripts or
// orders, could be one person's: after folding and transliteration (NameTokens), each word
// of the shorter name is within a typo of a different word of the other — one edit for
// words of up to six letters, two for longer ones — and at least two words agree when
// both names have two or more. "Жұмабаева Айжан" and "Zhumabayeva Aizhan" are similar;
// "Айжан Жұмабаева" and "Айгүл Жұмабаева" are not.
func SimilarNames(a, b string) bool {
	return SimilarTokens(NameTokens(a), NameTokens(b))
}

// SimilarTokens is SimilarNames on names already split by NameTokens, for callers that
// compare one name with many (an import checks every row against the registry).
func SimilarTokens(ta, tb []string) bool {
	if len(ta) > len(tb) {
		ta, tb = tb, ta
	}
	if len(ta) == 0 {
		return false
	}
	used := make([]bool, len(tb))
	matched := 0
	for _, x := range ta {
		for j, y := range tb {
			if !used[j] && closeWords(x, y) {
				used[j] = true
				matched++
				break
			}
		}
	}
	return matched == len(ta) && (matched >= 2 || len(tb) == 1)
}

// closeWords allows one edit in short words and two in long ones.
func closeWords(x, y string) bool {
	limit := 1
	if min(len(x), len(y)) > 6 {
		limit = 2
	}
	return editDistance([]rune(x), []rune(y), limit) <= limit
}

// editDistance is the Levenshtein distance of a and b, or limit+1 once it is sure to be
// more than limit.
func editDistance(a, b []rune, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
