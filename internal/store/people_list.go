package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"strings"
	"time"
	"unicode"

	"github.com/birge-org/birge/internal/birge"
)

// PeopleFilter narrows the list of people. Q is the one search box: a name (any part, any
// script), a phone in any format, or an identity number.
type PeopleFilter struct {
	Q        string
	CenterID int64
	Region   string
	District string
	Category string // a category that is not sensitive
	Sex      string
	AgeFrom  int // in whole years; 0 = no bound
	AgeTo    int
	Cursor   string // from the previous page's PersonList.Next
	Limit    int
}

// PersonSummary is a row of the people list.
type PersonSummary struct {
	ID         int64  `json:"id"`
	CenterID   int64  `json:"center_id"`
	FamilyName string `json:"family_name"`
	GivenName  string `json:"given_name"`
	Patronymic string `json:"patronymic"`
	Sex        string `json:"sex"`
	BirthDate  string `json:"birth_date"`
	BirthYear  int    `json:"birth_year,omitempty"`
	Settlement string `json:"settlement"`
	sortKey    []byte
}

// FullName is the name as lists show it.
func (p PersonSummary) FullName() string {
	return birge.Person{FamilyName: p.FamilyName, GivenName: p.GivenName, Patronymic: p.Patronymic}.FullName()
}

// PersonList is one page of people, in alphabetical order.
type PersonList struct {
	Items []PersonSummary
	Next  string // cursor for the next page, "" on the last
}

// MaxPageSize bounds a page of people.
const MaxPageSize = 200

// ListPeople finds people the actor may see, sorted by name in the alphabet the four
// languages share (see i18n.SortKey), a page at a time.
func (s *Store) ListPeople(ctx context.Context, a *birge.Actor, f PeopleFilter) (PersonList, error) {
	scope := a.ScopeOf(birge.PermPersonView)
	if scope.Empty() {
		return PersonList{}, birge.ErrForbidden
	}
	if f.Limit <= 0 || f.Limit > MaxPageSize {
		f.Limit = 50
	}
	from, w, err := s.peopleWhere(ctx, f, scope)
	if err != nil {
		return PersonList{}, err
	}
	if f.Cursor != "" {
		key, id, ok := decodePersonCursor(f.Cursor)
		if !ok {
			return PersonList{}, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"cursor": "api.cursor"}}
		}
		w.add("(p.sort_key > ? OR (p.sort_key = ? AND p.id > ?))", key, key, id)
	}
	rows, err := s.read().query(ctx, `SELECT DISTINCT p.id, p.center_id, p.family_name, p.given_name, p.patronymic,
		p.sex, p.birth_date, p.birth_year, p.settlement, p.sort_key FROM `+from+w.sql()+
		` ORDER BY p.sort_key, p.id LIMIT `+itoa(f.Limit+1), w.args...)
	if err != nil {
		return PersonList{}, err
	}
	defer rows.Close()
	var out PersonList
	for rows.Next() {
		var p PersonSummary
		var year sql.NullInt64
		if err := rows.Scan(&p.ID, &p.CenterID, &p.FamilyName, &p.GivenName, &p.Patronymic, &p.Sex,
			&p.BirthDate, &year, &p.Settlement, &p.sortKey); err != nil {
			return PersonList{}, err
		}
		p.BirthYear = int(year.Int64)
		out.Items = append(out.Items, p)
	}
	if len(out.Items) > f.Limit {
		last := out.Items[f.Limit-1]
		out.Items, out.Next = out.Items[:f.Limit], encodePersonCursor(last.sortKey, last.ID)
	}
	return out, rows.Err()
}

// peopleWhere is what a list of people reads FROM, and WHERE: live records (not merged
// away, not anonymised) in the scope that match the filter. FROM may join the name index,
// so a query over it selects DISTINCT people.
func (s *Store) peopleWhere(ctx context.Context, f PeopleFilter, scope birge.Scope) (string, where, error) {
	w := where{}
	w.add("p.merged_into IS NULL AND p.anonymized_at IS NULL")
	w.scope("p.org_id", "p.center_id", scope)
	from, err := s.searchTerms(ctx, &w, f.Q)
	if err != nil {
		return "", w, err
	}
	if c, ok := birge.LookupCategory(f.Category); f.Category != "" && (!ok || c.Sensitive) {
		// Sensitive categories are sealed: a filter by one would silently find no one.
		return "", w, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"category": "field.choose"}}
	}
	if err := s.filterCategory(ctx, &w, f.Category); err != nil {
		return "", w, err
	}
	filterPeople(&w, f, s.now())
	return from, w, nil
}

// CountPeople counts the registered people (merged and anonymised records included: they
// were registered) the actor may see.
func (s *Store) CountPeople(ctx context.Context, a *birge.Actor) (int, error) {
	scope := a.ScopeOf(birge.PermPersonView)
	if scope.Empty() {
		return 0, birge.ErrForbidden
	}
	w := where{}
	w.scope("org_id", "center_id", scope)
	var n int
	err := s.read().row(ctx, `SELECT COUNT(*) FROM people`+w.sql(), w.args...).Scan(&n)
	return n, err
}

// fromPeople is what a list reads FROM when it does not start from the name index.
const fromPeople = "people p"

// searchTerms turns the search box into conditions. Digits only (with the usual phone
// punctuation) mean an identity number or a phone; anything else, words of a name, each
// matching the start of some word of the person's name after folding and transliteration.
//
// It returns what the query reads FROM: the people, or, when one word of a name is rare,
// that word's index entries first (see rareName).
func (s *Store) searchTerms(ctx context.Context, w *where, q string) (string, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return fromPeople, nil
	}
	if key := birge.CheckText(q, false, birge.MaxName, false); key != "" {
		return "", &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"q": key}}
	}
	if isNumberLike(q) {
		var lookups, phones []any
		if id, key := birge.ParseIIN(q); key == "" {
			lookups = append(lookups, s.seal.lookup("iin", id.Number))
		}
		if id, key := birge.ParsePIN(q); key == "" {
			lookups = append(lookups, s.seal.lookup("pin", id.Number))
		}
		for _, country := range []string{"KZ", "KG"} {
			if e164, key := birge.NormalizePhone(q, country); key == "" {
				phones = append(phones, e164)
			}
		}
		if len(lookups) == 0 && len(phones) == 0 {
			w.add("1 = 0") // neither a valid number nor a phone: nobody
			return fromPeople, nil
		}
		var ors []string
		var args []any
		if len(lookups) > 0 {
			ors = append(ors, "p.id_lookup IN ("+placeholders(len(lookups))+")")
			args = append(args, lookups...)
		}
		if len(phones) > 0 {
			ors = append(ors, "p.id IN (SELECT person_id FROM person_phones WHERE phone IN ("+placeholders(len(phones))+"))")
			args = append(args, phones...)
		}
		w.add("("+strings.Join(ors, " OR ")+")", args...)
		return fromPeople, nil
	}
	tokens := birge.NameTokens(q)
	if len(tokens) == 0 {
		w.add("1 = 0")
		return fromPeople, nil
	}
	// Start from the rarest word's index entries, and test the others there too, so that
	// only the people matching every word are read — unless the search is one common word.
	rare, err := s.rarestWord(ctx, tokens)
	if err != nil {
		return "", err
	}
	if rare < 0 && len(tokens) == 1 {
		w.add("p.id IN (SELECT person_id FROM person_names WHERE token >= ? AND token < ?)", tokens[0], tokens[0]+prefixEnd)
		return fromPeople, nil
	}
	rare = max(rare, 0)
	w.add("n.token >= ? AND n.token < ? AND p.id = n.person_id", tokens[rare], tokens[rare]+prefixEnd)
	for i, t := range tokens {
		if i != rare {
			// The unary + keeps SQLite from looking up each of the other word's people in
			// the index by person (slower by ten times); PostgreSQL reads it as a no-op.
			w.add("+n.person_id IN (SELECT person_id FROM person_names WHERE token >= ? AND token < ?)", t, t+prefixEnd)
		}
	}
	return "person_names n CROSS JOIN people p", nil
}

// rareName is how many people a word may match for a one-word search to start from the
// word's index entries: reading up to this many people and sorting them is quicker than
// walking the list in name order and testing each, which is what a search for a common
// word does — its matches are dense, and the walk fills a page soon.
const rareName = 3000

// rarestWord returns the index of the word matching fewest people, if any matches at
// most rareName of them, else -1. Counting stops past rareName, so it costs little.
func (s *Store) rarestWord(ctx context.Context, tokens []string) (int, error) {
	best, fewest := -1, rareName+1
	for i, t := range tokens {
		n, err := s.countUpTo(ctx, `SELECT 1 FROM person_names WHERE token >= ? AND token < ?`, t, t+prefixEnd)
		if err != nil {
			return -1, err
		}
		if n < fewest {
			best, fewest = i, n
		}
	}
	return best, nil
}

// prefixEnd sorts after every UTF-8 text that starts with a given prefix, in byte order.
const prefixEnd = "\U0010FFFF"

// isNumberLike reports whether q holds only digits and phone punctuation, with at least
// six digits: an identity number or a phone rather than a name.
func isNumberLike(q string) bool {
	digits := 0
	for _, r := range q {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' || r == '(' || r == ')' || r == '-' || unicode.IsSpace(r):
		default:
			return false
		}
	}
	return digits >= 6
}

// filterPeople adds the list's filters.
func filterPeople(w *where, f PeopleFilter, now time.Time) {
	if f.CenterID != 0 {
		w.add("p.center_id = ?", f.CenterID)
	}
	if f.Region != "" {
		w.add("p.region = ?", f.Region)
	}
	if f.District != "" {
		w.add("p.district = ?", f.District)
	}
	if f.Sex != "" {
		w.add("p.sex = ?", f.Sex)
	}
	// Age bands by birth date where known, else by birth year.
	if f.AgeFrom > 0 {
		latest := now.AddDate(-f.AgeFrom, 0, 0).Format(time.DateOnly)
		w.add("((p.birth_date <> '' AND p.birth_date <= ?) OR (p.birth_date = '' AND p.birth_year <= ?))",
			latest, now.Year()-f.AgeFrom)
	}
	if f.AgeTo > 0 {
		earliest := now.AddDate(-f.AgeTo-1, 0, 1).Format(time.DateOnly)
		w.add("((p.birth_date <> '' AND p.birth_date >= ?) OR (p.birth_date = '' AND p.birth_year >= ?))",
			earliest, now.Year()-f.AgeTo-1)
	}
}

// filterCategory keeps the people of a category. A rare one is looked up first; a common
// one is tested person by person on the walk in name order, which soon fills a page,
// where listing its hundred thousand members first would take most of a second.
func (s *Store) filterCategory(ctx context.Context, w *where, code string) error {
	if code == "" {
		return nil
	}
	n, err := s.countUpTo(ctx, `SELECT 1 FROM person_categories WHERE code = ?`, code)
	if err != nil {
		return err
	}
	if n <= rareName {
		w.add("p.id IN (SELECT person_id FROM person_categories WHERE code = ?)", code)
	} else {
		w.add("EXISTS (SELECT 1 FROM person_categories c WHERE c.person_id = p.id AND c.code = ?)", code)
	}
	return nil
}

// countUpTo counts the rows of query, stopping past rareName: enough to tell rare from
// common at the cost of reading a few thousand index entries at most.
func (s *Store) countUpTo(ctx context.Context, query string, args ...any) (int, error) {
	var n int
	err := s.read().row(ctx, `SELECT COUNT(*) FROM (`+query+` LIMIT ?) t`, append(args, rareName+1)...).Scan(&n)
	return n, err
}

// A cursor is the last row's sort key and id, opaque to clients.
func encodePersonCursor(key []byte, id int64) string {
	b := binary.BigEndian.AppendUint64(nil, uint64(id))
	return base64.RawURLEncoding.EncodeToString(append(b, key...))
}

func decodePersonCursor(c string) ([]byte, int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) < 8 {
		return nil, 0, false
	}
	return bytes.Clone(b[8:]), int64(binary.BigEndian.Uint64(b[:8])), true
}
