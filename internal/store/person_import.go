package store

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// ImportOptions say where rows go and whether to write them.
type ImportOptions struct {
	CenterID int64 // for rows that name no centre
	DryRun   bool  // check everything, write nothing
	ImportID int64 // the import the audit entries point to, marked applied with the people; or 0
	// Progress, when set, is told how far the work has gone: stage "check" or "write".
	Progress func(stage string, done, total int)
}

// RowProblem is why one row cannot be registered: a catalog key for one field. OtherLine
// names the row it repeats; Center the centre where she is registered already.
type RowProblem struct {
	Line      int          `json:"line"`
	Field     string       `json:"field"`
	Problem   string       `json:"problem"`
	OtherLine int          `json:"other_line,omitempty"`
	Center    *birge.Names `json:"center,omitempty"`
}

// ImportDuplicate is a row that may be someone already in the file (OtherLine) or in the
// registry: her centre, and her id and name when the importer may open her record. A
// report kept with its import keeps no names (see finishImport); pages name the people
// the viewer may see when they show it.
// Duplicates are reported but do not stop an import: after it, they wait in the queue of
// suspected duplicates.
type ImportDuplicate struct {
	Line      int          `json:"line"`
	OtherLine int          `json:"other_line,omitempty"`
	PersonID  int64        `json:"person_id,omitempty"`
	Name      string       `json:"name,omitempty"`
	Center    *birge.Names `json:"center,omitempty"`
	Reasons   []string     `json:"reasons"`
	other     int64        // the match: a person's id, or -(row index)-1 for another row
}

// ImportReport is what an import found and did. The lists stop at maxReported entries;
// the counts are complete.
type ImportReport struct {
	Rows          int               `json:"rows"`
	BadRows       int               `json:"bad_rows"`
	Created       int               `json:"created"`
	Problems      []RowProblem      `json:"problems"`
	DuplicateRows int               `json:"duplicate_rows"`
	Duplicates    []ImportDuplicate `json:"duplicates"`
}

// maxReported bounds the lists of a report: a file with ten thousand bad rows has one
// mistake repeated, and its first thousand say which.
const maxReported = 1000

// ErrImportHasProblems is returned, with the report, when rows are bad: nothing was written.
var ErrImportHasProblems = &birge.Error{Kind: birge.KindInvalid, Key: "import.has_problems"}

// ImportPeople checks rows read from a file and, unless it is a dry run, registers them
// all in one transaction: one bad row and nothing is written, and the report names every
// bad row. Each row is validated with the same rules as the form; a repeated identity
// number (in the file or the organisation's registry) is a bad row, while a shared phone
// or a similar name with the same birth date is reported as a likely duplicate.
func (people *People) Import(ctx context.Context, a *birge.Actor, rows []birge.ImportRow, opt ImportOptions) (ImportReport, error) {
	rep := ImportReport{Rows: len(rows), Problems: []RowProblem{}, Duplicates: []ImportDuplicate{}}
	if a.ScopeOf(birge.PermPersonImport).Empty() {
		return rep, birge.ErrForbidden
	}
	centers, err := people.importCenters(ctx, a, opt.CenterID)
	if err != nil {
		return rep, err
	}
	progress := opt.Progress
	if progress == nil {
		progress = func(string, int, int) {}
	}
	now := people.s.now()
	cats, err := people.s.orgCategories(ctx, people.s.read(), centers.org)
	if err != nil {
		return rep, err
	}
	ck := importCheck{Store: people.s, a: a, org: centers.org, rep: &rep, bad: map[int]bool{}, names: map[int64]birge.Names{}, cats: cats}
	records := make([]birge.Person, len(rows))
	sensitive := make([][]string, len(rows))
	for i, r := range rows {
		if i%1000 == 0 {
			progress("check", i, len(rows))
		}
		records[i], sensitive[i] = ck.row(i, r, centers, a.Today(now))
	}
	if err := ck.identities(ctx, rows, records); err != nil {
		return rep, err
	}
	if err := ck.duplicates(ctx, rows, records); err != nil {
		return rep, err
	}
	progress("check", len(rows), len(rows))
	rep.BadRows = len(ck.bad)
	if rep.BadRows > 0 {
		return rep, ErrImportHasProblems
	}
	if opt.DryRun {
		return rep, nil
	}
	err = people.s.tx(ctx, func(c q) error {
		if err := ck.categoriesUnchanged(ctx, c); err != nil {
			return err
		}
		err := people.insertPeople(ctx, c, a, records, sensitive, opt.ImportID, now, func(done int) { progress("write", done, len(rows)) })
		if err != nil {
			return err
		}
		if err := people.queueDuplicatePairs(ctx, c, ck.duplicatePairs(records)); err != nil {
			return err
		}
		if opt.ImportID == 0 {
			return nil
		}
		rep.Created = len(records)
		return people.finishImport(ctx, c, a, opt.ImportID, ImportApplied, &rep)
	})
	if isIdentityTaken(err) {
		// Someone registered one of the file's IINs after the check above: checking the
		// file again names the row.
		err = &birge.Error{Kind: birge.KindConflict, Key: "import.identity_meanwhile", Err: err}
	}
	if err != nil {
		rep.Created = 0
		return rep, err
	}
	rep.Created = len(records)
	people.analyzeAfterImport(ctx, len(records))
	return rep, nil
}

// ImportCategories is the list an import into the centre reads categories by: that of
// the centre's organisation, whose people the rows become.
func (people *People) ImportCategories(ctx context.Context, a *birge.Actor, centerID int64) (birge.CategoryList, error) {
	if a.ScopeOf(birge.PermPersonImport).Empty() {
		return nil, birge.ErrForbidden
	}
	ctr, err := people.s.getCenter(ctx, people.s.read(), centerID)
	if err != nil || !canImport(a, ctr) {
		return nil, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"center_id": "field.choose"}}
	}
	return people.s.orgCategories(ctx, people.s.read(), ctr.OrgID)
}

// analyzeAfterImport refreshes PostgreSQL's statistics after a big import: until
// autovacuum comes round, its planner would take the registry for its old size (an
// export of 100,000 people just imported took 30 s instead of 3). SQLite's plans are
// written not to need statistics (decision 0010). The import is committed by then, so a
// failure here only leaves the statistics to autovacuum.
func (people *People) analyzeAfterImport(ctx context.Context, created int) {
	if people.s.d.name == "postgres" && created >= 10_000 {
		people.s.wdb.ExecContext(ctx, `ANALYZE people, person_names, person_phones, person_categories`)
	}
}

// importCenters are the centres rows may name: those of the default centre's
// organisation where the actor may import and register people.
type importCenters struct {
	org      int64
	fallback birge.Center
	byRef    map[string]birge.Center // id, and each name folded
}

func (people *People) importCenters(ctx context.Context, a *birge.Actor, centerID int64) (importCenters, error) {
	ctr, err := people.s.getCenter(ctx, people.s.read(), centerID)
	if err != nil || !canImport(a, ctr) {
		return importCenters{}, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid",
			Fields: birge.Problems{"center_id": "field.choose"}}
	}
	all, err := people.s.listCenters(ctx, where{conds: []string{"org_id = ?"}, args: []any{ctr.OrgID}}, CenterFilter{})
	if err != nil {
		return importCenters{}, err
	}
	out := importCenters{org: ctr.OrgID, fallback: ctr, byRef: map[string]birge.Center{}}
	for _, c := range all {
		if !canImport(a, c) {
			continue
		}
		out.byRef[strconv.FormatInt(c.ID, 10)] = c
		for _, n := range []string{c.Names.KK, c.Names.RU, c.Names.KY, c.Names.EN} {
			if k := birge.NameKey(n); k != "" {
				out.byRef[k] = c
			}
		}
	}
	return out, nil
}

func canImport(a *birge.Actor, c birge.Center) bool {
	return a.Can(birge.PermPersonImport, c.OrgID, c.ID) && a.Can(birge.PermPersonManage, c.OrgID, c.ID)
}

func (ic importCenters) lookup(ref string) (birge.Center, bool) {
	if ref == "" {
		return ic.fallback, true
	}
	if c, ok := ic.byRef[ref]; ok {
		return c, true
	}
	c, ok := ic.byRef[birge.NameKey(ref)]
	return c, ok
}

// importCheck collects the problems and duplicates of one import.
type importCheck struct {
	*Store
	a     *birge.Actor
	org   int64
	rep   *ImportReport
	bad   map[int]bool // by row index
	names map[int64]birge.Names
	cats  birge.CategoryList // the organisation's
	pairs []importPair       // likely duplicates, for the queue once the rows have ids
}

// importPair is a row that may be someone else: another row (other = -its index-1) or
// a registered person (other = her id).
type importPair struct {
	row    int
	other  int64
	reason string
}

// categoriesUnchanged checks, in the writing transaction, that no category became
// sensitive (or stopped being) since the check split the rows' categories: a category
// turned sensitive meanwhile would otherwise be written in the clear.
func (ck *importCheck) categoriesUnchanged(ctx context.Context, c q) error {
	now, err := ck.orgCategories(ctx, c, ck.org)
	if err != nil {
		return err
	}
	for _, was := range ck.cats {
		if is, ok := now.Lookup(was.Code); ok && is.Sensitive != was.Sensitive {
			return &birge.Error{Kind: birge.KindConflict, Key: "import.categories_changed"}
		}
	}
	return nil
}

// duplicatePairs turns the import's likely duplicates into the queue's pairs, once
// insertPeople has given the rows their ids.
func (ck *importCheck) duplicatePairs(people []birge.Person) []duplicatePair {
	out := make([]duplicatePair, len(ck.pairs))
	for i, p := range ck.pairs {
		other := p.other
		if other < 0 {
			other = people[-other-1].ID
		}
		out[i] = duplicatePair{personID: people[p.row].ID, otherID: other, reason: p.reason}
	}
	return out
}

func (ck *importCheck) problem(i int, p RowProblem) {
	ck.bad[i] = true
	if len(ck.rep.Problems) < maxReported {
		ck.rep.Problems = append(ck.rep.Problems, p)
	}
}

// row validates one row as the form would and splits off its sensitive categories.
func (ck *importCheck) row(i int, r birge.ImportRow, centers importCenters, today time.Time) (birge.Person, []string) {
	p := r.Person
	pr := birge.Problems{}
	for f, key := range r.Problems {
		pr.Add(f, key)
	}
	ctr, ok := centers.lookup(r.Center)
	if !ok {
		pr.Add("center", "import.center_unknown")
		ctr = centers.fallback
	}
	p.OrgID, p.CenterID = ctr.OrgID, ctr.ID
	if p.Country == "" {
		p.Country = ctr.Country
	}
	if err := p.Validate(today); err != nil {
		for f, key := range birge.AsError(err).Fields {
			pr.Add(f, key)
		}
	}
	plain, sensitive, problem := ck.cats.Split(p.Categories, nil)
	pr.Add("categories", problem)
	if len(sensitive) > 0 && !ck.a.Can(birge.PermPersonSensitive, p.OrgID, p.CenterID) {
		pr.Add("categories", "field.choose")
	}
	p.Categories = plain
	for _, f := range sortedKeys(pr) {
		ck.problem(i, RowProblem{Line: r.Line, Field: f, Problem: pr[f]})
	}
	return p, sensitive
}

func sortedKeys(pr birge.Problems) []string {
	keys := make([]string, 0, len(pr))
	for k := range pr {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// identities refuses a row whose IIN is on another row or already in the organisation's
// registry: the same IIN is the same woman, for certain. (Kyrgyz PINs were issued twice
// at times, so a shared PIN is only a likely duplicate; see duplicates.)
func (ck *importCheck) identities(ctx context.Context, rows []birge.ImportRow, people []birge.Person) error {
	lookups := map[string]int{} // lookup → first row index
	var keys []string
	for i, p := range people {
		id, ok := personIdentity(p)
		if !ok || id.Kind != birge.IdentityIIN || ck.bad[i] {
			continue
		}
		l := ck.seal.lookup(string(id.Kind), id.Number)
		if first, seen := lookups[l]; seen {
			ck.problem(i, RowProblem{Line: rows[i].Line, Field: "iin", Problem: "import.identity_twice", OtherLine: rows[first].Line})
			continue
		}
		lookups[l] = i
		keys = append(keys, l)
	}
	return ck.inBatches(ctx, keys, `SELECT id_lookup, org_id, center_id FROM people WHERE id_lookup IN (%s)
		AND merged_into IS NULL AND anonymized_at IS NULL`, func(scan func(...any) error) error {
		var l string
		var org, center int64
		if err := scan(&l, &org, &center); err != nil {
			return err
		}
		i := lookups[l]
		if org != ck.org || ck.bad[i] {
			return nil // one match is enough to say so
		}
		names, err := ck.centerNames(ctx, center)
		ck.problem(i, RowProblem{Line: rows[i].Line, Field: "iin", Problem: "import.identity_registered", Center: &names})
		return err
	})
}

// inBatches runs query, whose %s takes a list of placeholders, over keys a few hundred
// at a time. Queries check the organisation in Go where an "org_id = ?" would tempt
// SQLite to walk the organisation's index instead of the key's.
// lead are arguments placed before the keys.
func (ck *importCheck) inBatches(ctx context.Context, keys []string, query string, each func(scan func(...any) error) error, lead ...any) error {
	const batch = 500
	for len(keys) > 0 {
		n := min(batch, len(keys))
		args := slices.Clone(lead)
		for _, k := range keys[:n] {
			args = append(args, k)
		}
		// Fixed batch sizes keep the set of statement texts small.
		size := batch
		if n < batch {
			size = 1
			for size < n {
				size *= 2
			}
			for len(args) < len(lead)+size {
				args = append(args, args[len(lead)])
			}
		}
		rows, err := ck.read().query(ctx, strings.Replace(query, "%s", placeholders(size), 1), args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := each(rows.Scan); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		keys = keys[n:]
	}
	return nil
}

// centerNames names a centre of the organisation, to say whom to contact about a match.
func (ck *importCheck) centerNames(ctx context.Context, id int64) (birge.Names, error) {
	if n, ok := ck.names[id]; ok {
		return n, nil
	}
	c, err := ck.getCenter(ctx, ck.read(), id)
	ck.names[id] = c.Names
	return c.Names, err
}
