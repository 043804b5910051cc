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
	Program  int64  // those taking part in this programme now
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

// summaryColumns are read by scanSummary.
const summaryColumns = `p.id, p.center_id, p.family_name, p.given_name, p.patronymic, p.sex, p.birth_date,
	p.birth_year, p.settlement, p.sort_key`

func scanSummary(row interface{ Scan(...any) error }) (PersonSummary, error) {
	var p PersonSummary
	var year sql.NullInt64
	err := row.Scan(&p.ID, &p.CenterID, &p.FamilyName, &p.GivenName, &p.Patronymic, &p.Sex,
		&p.BirthDate, &year, &p.Settlement, &p.sortKey)
	p.BirthYear = int(year.Int64)
	return p, err
}

// MaxPageSize bounds a page of people.
const MaxPageSize = 200

// ListPeople finds people the actor may see, sorted by name in the alphabet the four
// languages share (see i18n.SortKey), a page at a time.
func (people *People) List(ctx context.Context, a *birge.Actor, f PeopleFilter) (PersonList, error) {
	scope := a.ScopeOf(birge.PermPersonView)
	if scope.Empty() {
		return PersonList{}, birge.ErrForbidden
	}
	if f.Limit <= 0 || f.Limit > MaxPageSize {
		f.Limit = 50
	}
	// One word of a name, or one category, and at most a centre: their index entries
	// give the page in name order, common or rare.
	if word, ok := oneWordSearch(f); ok {
		w := where{}
		match, args := nameMatch("n.token", word)
		w.add(match, args...)
		return people.listFromEntries(ctx, "person_names", w, f, scope)
	}
	if onlyCategory(f) {
		if err := people.checkCategoryFilter(ctx, f.Category, scope); err != nil {
			return PersonList{}, err
		}
		w := where{}
		w.add("n.code = ?", f.Category)
		return people.listFromEntries(ctx, "person_categories", w, f, scope)
	}
	from, w, err := people.peopleWhere(ctx, a, f, scope)
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
	rows, err := people.s.read().query(ctx, `SELECT DISTINCT `+summaryColumns+` FROM `+from+w.sql()+
		` ORDER BY p.sort_key, p.id LIMIT `+itoa(f.Limit+1), w.args...)
	if err != nil {
		return PersonList{}, err
	}
	defer rows.Close()
	var out PersonList
	for rows.Next() {
		p, err := scanSummary(rows)
		if err != nil {
			return PersonList{}, err
		}
		out.Items = append(out.Items, p)
	}
	if len(out.Items) > f.Limit {
		last := out.Items[f.Limit-1]
		out.Items, out.Next = out.Items[:f.Limit], encodePersonCursor(last.sortKey, last.ID)
	}
	return out, rows.Err()
}

// oneWordSearch returns the word when the search is one word of a name and nothing but
// a centre narrows it.
func oneWordSearch(f PeopleFilter) (string, bool) {
	if isNumberLike(f.Q) || f.Region != "" || f.District != "" || f.Category != "" || f.Sex != "" ||
		f.AgeFrom != 0 || f.AgeTo != 0 || f.Program != 0 {
		return "", false
	}
	words := birge.NameTokens(f.Q)
	if len(words) != 1 || birge.CheckText(f.Q, false, birge.MaxName, false) != "" {
		return "", false
	}
	return words[0], true
}

// onlyCategory reports whether a list is filtered by a category and at most a centre.
func onlyCategory(f PeopleFilter) bool {
	return f.Category != "" && strings.TrimSpace(f.Q) == "" && f.Region == "" && f.District == "" && f.Sex == "" &&
		f.AgeFrom == 0 && f.AgeTo == 0 && f.Program == 0
}

// listFromEntries lists people from index entries — a name word's (person_names) or a
// category's (person_categories), chosen by w on alias n — which carry each person's
// sort key and centre: they come in name order from the index alone, and only the
// page's people are read. (Walking the centre in name order instead took 60 ms for a
// family name late in the alphabet, whose people sort together there, and tested a
// category person by person.) Entries of people merged away since are skipped; they are
// few, so a page seldom needs a second look.
func (people *People) listFromEntries(ctx context.Context, table string, w where, f PeopleFilter, scope birge.Scope) (PersonList, error) {
	w.scope("n.org_id", "n.center_id", scope)
	if f.CenterID != 0 {
		w.add("n.center_id = ?", f.CenterID)
	}
	var after []any // the cursor: sort key and id of the last person seen
	if f.Cursor != "" {
		key, id, ok := decodePersonCursor(f.Cursor)
		if !ok {
			return PersonList{}, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"cursor": "api.cursor"}}
		}
		after = []any{key, key, id}
	}
	var out PersonList
	for {
		want := f.Limit + 1 - len(out.Items)
		page := w.clone()
		if after != nil {
			page.add("(n.sort_key > ? OR (n.sort_key = ? AND n.person_id > ?))", after...)
		}
		ids, last, err := people.entries(ctx, table, page, want)
		if err != nil {
			return PersonList{}, err
		}
		found, err := people.livePeople(ctx, ids, scope)
		if err != nil {
			return PersonList{}, err
		}
		for _, id := range ids {
			if p, ok := found[id]; ok {
				out.Items = append(out.Items, p)
			}
		}
		if len(ids) < want || len(out.Items) > f.Limit {
			break
		}
		after = []any{last.sortKey, last.sortKey, last.ID}
	}
	if len(out.Items) > f.Limit {
		last := out.Items[f.Limit-1]
		out.Items, out.Next = out.Items[:f.Limit], encodePersonCursor(last.sortKey, last.ID)
	}
	return out, nil
}

// entries returns up to n people's ids from index entries, in name order, and the last
// entry read.
func (people *People) entries(ctx context.Context, table string, w where, n int) ([]int64, PersonSummary, error) {
	rows, err := people.s.read().query(ctx, `SELECT DISTINCT n.sort_key, n.person_id FROM `+table+` n`+w.sql()+
		` ORDER BY n.sort_key, n.person_id LIMIT `+itoa(n), w.args...)
	if err != nil {
		return nil, PersonSummary{}, err
	}
	defer rows.Close()
	var ids []int64
	var last PersonSummary
	for rows.Next() {
		if err := rows.Scan(&last.sortKey, &last.ID); err != nil {
			return nil, last, err
		}
		ids = append(ids, last.ID)
	}
	return ids, last, rows.Err()
}

// PeopleNames names the people of ids the actor may see; the others are left out.
func (people *People) Names(ctx context.Context, a *birge.Actor, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	scope := a.ScopeOf(birge.PermPersonView)
	if scope.Empty() {
		return out, nil
	}
	found, err := people.livePeople(ctx, ids, scope)
	for id, p := range found {
		out[id] = p.FullName()
	}
	return out, err
}

// livePeople reads the list rows of people by id, leaving out those merged away or
// anonymised. The scope is checked again on the people themselves: need-to-know must not
// rest on the index being current.
func (people *People) livePeople(ctx context.Context, ids []int64, scope birge.Scope) (map[int64]PersonSummary, error) {
	out := map[int64]PersonSummary{}
	if len(ids) == 0 {
		return out, nil
	}
	w := where{}
	w.add("p.merged_into IS NULL AND p.anonymized_at IS NULL")
	w.scope("+p.org_id", "+p.center_id", scope) // +: look the ids up, do not walk the centre
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	w.add("p.id IN ("+placeholders(len(ids))+")", args...)
	rows, err := people.s.read().query(ctx, `SELECT `+summaryColumns+` FROM people p`+w.sql(), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanSummary(rows)
		if err != nil {
			return nil, err
		}
		out[p.ID] = p
	}
	return out, rows.Err()
}

// peopleWhere is what a list of people reads FROM, and WHERE: live records (not merged
// away, not anonymised) in the scope that match the filter. FROM may join the name index,
// so a query over it selects DISTINCT people. Ages are counted on today, the user's day.
func (people *People) peopleWhere(ctx context.Context, a *birge.Actor, f PeopleFilter, scope birge.Scope) (string, where, error) {
	today := a.Today(people.s.now())
	w := where{}
	w.add("p.merged_into IS NULL AND p.anonymized_at IS NULL")
	w.scope("p.org_id", "p.center_id", scope)
	from, err := people.searchTerms(ctx, &w, f.Q)
	if err != nil {
		return "", w, err
	}
	if err := people.filterCategory(ctx, &w, f.Category, scope); err != nil {
		return "", w, err
	}
	if f.Program != 0 {
		// Only a programme whose participants the actor may see: a filter by a sensitive
		// one would list who takes part to those who may see only how many.
		p, err := people.s.Programs.Get(ctx, a, f.Program)
		if err != nil || !SeesWho(a, p) {
			return "", w, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"program": "field.choose"}}
		}
		w.add("p.id IN (SELECT person_id FROM program_participants WHERE program_id = ? AND left_on = '')", f.Program)
		if p.Sensitive { // each woman only with person.sensitive in her own centre
			w.scope("p.org_id", "p.center_id", a.ScopeOf(birge.PermPersonSensitive))
		}
	}
	filterPeople(&w, f, today)
	return from, w, nil
}

// CountPeople counts the registered people (merged and anonymised records included: they
// were registered) the actor may see.
func (people *People) Count(ctx context.Context, a *birge.Actor) (int, error) {
	scope := a.ScopeOf(birge.PermPersonView)
	if scope.Empty() {
		return 0, birge.ErrForbidden
	}
	w := where{}
	w.scope("org_id", "center_id", scope)
	var n int
	err := people.s.read().row(ctx, `SELECT COUNT(*) FROM people`+w.sql(), w.args...).Scan(&n)
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
func (people *People) searchTerms(ctx context.Context, w *where, q string) (string, error) {
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
			lookups = append(lookups, people.s.seal.lookup("iin", id.Number))
		}
		if id, key := birge.ParsePIN(q); key == "" {
			lookups = append(lookups, people.s.seal.lookup("pin", id.Number))
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
	rare, err := people.rarestWord(ctx, tokens)
	if err != nil {
		return "", err
	}
	if rare < 0 && len(tokens) == 1 {
		match, args := nameMatch("token", tokens[0])
		w.add("p.id IN (SELECT person_id FROM person_names WHERE "+match+")", args...)
		return fromPeople, nil
	}
	rare = max(rare, 0)
	match, args := nameMatch("n.token", tokens[rare])
	w.add(match+" AND p.id = n.person_id", args...)
	for i, t := range tokens {
		if i != rare {
			// The unary + keeps SQLite from looking up each of the other word's people in
			// the index by person (slower by ten times); PostgreSQL reads it as a no-op.
			match, args := nameMatch("token", t)
			w.add("+n.person_id IN (SELECT person_id FROM person_names WHERE "+match+")", args...)
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
func (people *People) rarestWord(ctx context.Context, tokens []string) (int, error) {
	best, fewest := -1, rareName+1
	for i, t := range tokens {
		match, args := nameMatch("token", t)
		n, err := people.countUpTo(ctx, `SELECT 1 FROM person_names WHERE `+match, args...)
		if err != nil {
			return -1, err
		}
		if n < fewest {
			best, fewest = i, n
		}
	}
	return best, nil
}

// nameMatch is the condition that the name word in col begins as search word t may
// (birge.NamePrefixes): one range of the index, or two while a pair of letters is being
// typed.
func nameMatch(col, t string) (string, []any) {
	var ors []string
	var args []any
	for _, p := range birge.NamePrefixes(t) {
		ors = append(ors, col+" >= ? AND "+col+" < ?")
		args = append(args, p, p+prefixEnd)
	}
	if len(ors) == 1 {
		return ors[0], args
	}
	return "((" + strings.Join(ors, ") OR (") + "))", args
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
func filterPeople(w *where, f PeopleFilter, today time.Time) {
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
		latest := today.AddDate(-f.AgeFrom, 0, 0).Format(time.DateOnly)
		w.add("((p.birth_date <> '' AND p.birth_date <= ?) OR (p.birth_date = '' AND p.birth_year <= ?))",
			latest, today.Year()-f.AgeFrom)
	}
	if f.AgeTo > 0 {
		earliest := today.AddDate(-f.AgeTo-1, 0, 1).Format(time.DateOnly)
		w.add("((p.birth_date <> '' AND p.birth_date >= ?) OR (p.birth_date = '' AND p.birth_year >= ?))",
			earliest, today.Year()-f.AgeTo-1)
	}
}

// filterCategory keeps the people of a category. A rare one is looked up first; a common
// one is tested person by person on the walk in name order, which soon fills a page,
// where listing its hundred thousand members first would take most of a second.
func (people *People) filterCategory(ctx context.Context, w *where, code string, scope birge.Scope) error {
	if code == "" {
		return nil
	}
	if err := people.checkCategoryFilter(ctx, code, scope); err != nil {
		return err
	}
	n, err := people.countUpTo(ctx, `SELECT 1 FROM person_categories WHERE code = ?`, code)
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

// checkCategoryFilter refuses a filter by a category that is not one of an organisation
// in scope (retired or not), or that is sensitive: those are sealed, so a filter by one
// would silently find no one.
func (people *People) checkCategoryFilter(ctx context.Context, code string, scope birge.Scope) error {
	k := where{}
	k.add("c.org_id = k.org_id")
	k.scope("c.org_id", "c.id", scope)
	var known int
	err := people.s.read().row(ctx, `SELECT COUNT(*) FROM categories k WHERE k.code = ? AND k.sensitive = ?
		AND EXISTS (SELECT 1 FROM centers c`+k.sql()+`)`, append([]any{code, false}, k.args...)...).Scan(&known)
	if err != nil {
		return err
	}
	if known == 0 {
		return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"category": "field.choose"}}
	}
	return nil
}

// countUpTo counts the rows of query, stopping past rareName: enough to tell rare from
// common at the cost of reading a few thousand index entries at most.
func (people *People) countUpTo(ctx context.Context, query string, args ...any) (int, error) {
	var n int
	err := people.s.read().row(ctx, `SELECT COUNT(*) FROM (`+query+` LIMIT ?) t`, append(args, rareName+1)...).Scan(&n)
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
