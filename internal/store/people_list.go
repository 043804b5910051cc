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
	w, err := s.peopleWhere(f, scope)
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
	rows, err := s.read().query(ctx, `SELECT p.id, p.center_id, p.family_name, p.given_name, p.patronymic,
		p.sex, p.birth_date, p.birth_year, p.settlement, p.sort_key FROM people p`+w.sql()+
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

// peopleWhere is the condition of a list of people: live records (not merged away, not
// anonymised) in the scope that match the filter.
func (s *Store) peopleWhere(f PeopleFilter, scope birge.Scope) (where, error) {
	w := where{}
	w.add("p.merged_into IS NULL AND p.anonymized_at IS NULL")
	w.scope("p.org_id", "p.center_id", scope)
	if err := s.searchTerms(&w, f.Q); err != nil {
		return w, err
	}
	if c, ok := birge.LookupCategory(f.Category); f.Category != "" && (!ok || c.Sensitive) {
		// Sensitive categories are sealed: a filter by one would silently find no one.
		return w, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"category": "field.choose"}}
	}
	filterPeople(&w, f, s.now())
	return w, nil
}

// searchTerms turns the search box into conditions. Digits only (with the usual phone
// punctuation) mean an identity number or a phone; anything else, words of a name, each
// matching the start of some word of the person's name after folding and transliteration.
func (s *Store) searchTerms(w *where, q string) error {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil
	}
	if key := birge.CheckText(q, false, birge.MaxName, false); key != "" {
		return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"q": key}}
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
			return nil
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
		return nil
	}
	tokens := birge.NameTokens(q)
	if len(tokens) == 0 {
		w.add("1 = 0")
		return nil
	}
	for _, t := range tokens {
		w.add("p.id IN (SELECT person_id FROM person_names WHERE token >= ? AND token < ?)", t, t+prefixEnd)
	}
	return nil
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
	if f.Category != "" {
		w.add("p.id IN (SELECT person_id FROM person_categories WHERE code = ?)", f.Category)
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
