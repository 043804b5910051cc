package store_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/demo"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// importRows makes rows of generated people for the Aktobe centre, as a file would give.
func importRows(fx *peopleFixture, start, n int) []birge.ImportRow {
	rows := make([]birge.ImportRow, n)
	for i, p := range demo.GeneratePeople(1, start, n, []birge.Center{fx.aktobe}) {
		p.CenterID = 0 // the file names no centre: the import's default
		rows[i] = birge.ImportRow{Line: i + 2, Person: p}
	}
	return rows
}

func countPeople(t *testing.T, st *store.Store) int {
	n, err := store.QueryInt(context.Background(), st, `SELECT COUNT(*) FROM people`)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// One bad row in the middle of a thousand: nothing is written, and that row is named.
func TestImportAllOrNothing(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		before := countPeople(t, st)
		rows := importRows(fx, 0, 1000)
		rows[499].Person.IIN = "850315401232" // wrong check digit, line 501

		opt := store.ImportOptions{CenterID: fx.aktobe.ID}
		rep, err := st.People.Import(ctx, fx.coord, rows, opt)
		if !errors.Is(err, store.ErrImportHasProblems) {
			t.Fatalf("import with a bad row: %v", err)
		}
		if rep.BadRows != 1 || len(rep.Problems) != 1 || rep.Problems[0].Line != 501 || rep.Problems[0].Field != "iin" {
			t.Fatalf("report: %d bad rows, problems %+v; want line 501, iin", rep.BadRows, rep.Problems)
		}
		if n := countPeople(t, st); n != before {
			t.Fatalf("a refused import wrote %d people", n-before)
		}

		// Fixed, a dry run writes nothing either; then the import registers all of them.
		rows[499].Person.IIN = ""
		if rep, err := st.People.Import(ctx, fx.coord, rows, store.ImportOptions{CenterID: fx.aktobe.ID, DryRun: true}); err != nil || rep.BadRows != 0 {
			t.Fatalf("dry run: %v %+v", err, rep.Problems)
		}
		if n := countPeople(t, st); n != before {
			t.Fatalf("a dry run wrote %d people", n-before)
		}
		rep, err = st.People.Import(ctx, fx.coord, rows, opt)
		if err != nil || rep.Created != 1000 {
			t.Fatalf("import: %v, created %d", err, rep.Created)
		}
		if n := countPeople(t, st); n != before+1000 {
			t.Fatalf("%d people after the import, want %d", n, before+1000)
		}
		// Imported people are found like any other, and each has her audit entry.
		want := rows[10].Person
		l, err := st.People.List(ctx, fx.coord, store.PeopleFilter{Q: want.Phones[0]})
		if err != nil || len(l.Items) != 1 || l.Items[0].GivenName != want.GivenName {
			t.Fatalf("search by an imported phone: %v %+v", err, l.Items)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM audit_log WHERE action = 'import' AND entity = 'person'`); n != 1000 {
			t.Errorf("%d audit entries for the import, want 1000", n)
		}
		if broken, _, err := st.VerifyAudit(ctx); err != nil || broken != 0 {
			t.Errorf("audit chain after a bulk import: broken at %d, %v", broken, err)
		}

		// Importing the same file again: every IIN is registered already.
		rep, err = st.People.Import(ctx, fx.coord, rows[:5], opt)
		if !errors.Is(err, store.ErrImportHasProblems) || rep.Problems[0].Problem != "import.identity_registered" ||
			rep.Problems[0].Center == nil || rep.Problems[0].Center.EN != "Aktobe family centre" {
			t.Fatalf("re-import: %v %+v", err, rep.Problems)
		}
	})
}

func TestImportDuplicatesAndRights(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		opt := store.ImportOptions{CenterID: fx.aktobe.ID, DryRun: true}
		// Someone at the Kargaly office, which the Aktobe coordinator may not see.
		hidden := fx.register(t, fx.admin, birge.Person{CenterID: fx.kargaly.ID, FamilyName: "Ким", GivenName: "Алия",
			Phones: []string{"+77017770000"}})

		rows := importRows(fx, 0, 4)
		rows[1].Person.IIN, rows[1].Person.Sex = rows[0].Person.IIN, rows[0].Person.Sex // the same woman twice
		rows[2].Person.Phones = rows[1].Person.Phones
		rows[3].Person.Phones = []string{"8 701 777 00 00"}
		rep, err := st.People.Import(ctx, fx.admin, rows, opt)
		if !errors.Is(err, store.ErrImportHasProblems) || rep.BadRows != 1 || rep.Problems[0].Line != 3 ||
			rep.Problems[0].Problem != "import.identity_twice" || rep.Problems[0].OtherLine != 2 {
			t.Fatalf("an IIN twice in the file: %v %+v", err, rep.Problems)
		}
		// Shared phones are likely duplicates: within the file, and with the registry.
		rows[1].Person.IIN = ""
		rep, err = st.People.Import(ctx, fx.coord, rows, opt)
		if err != nil || rep.DuplicateRows != 2 {
			t.Fatalf("duplicates: %v, %d rows %+v", err, rep.DuplicateRows, rep.Duplicates)
		}
		for _, d := range rep.Duplicates {
			if d.Line == 5 && (d.PersonID != 0 || d.Name != "" || d.Center == nil || d.Center.EN != "Kargaly district office") {
				t.Errorf("a match the coordinator may not open shows %+v; want only its centre", d)
			}
			if d.Line == 5 && d.PersonID == hidden.ID {
				t.Errorf("hidden person's id leaked")
			}
		}

		// Applied, the likely duplicates wait in the queue: the two rows sharing a phone, and
		// the row sharing one with the Kargaly woman.
		if _, err := st.People.Import(ctx, fx.coord, rows, store.ImportOptions{CenterID: fx.aktobe.ID}); err != nil {
			t.Fatal(err)
		}
		if n, err := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM duplicate_pairs WHERE resolved_at IS NULL
			AND (person_id = ? OR other_id = ?)`, hidden.ID, hidden.ID); err != nil || n != 1 {
			t.Errorf("%d queued pairs with the registered woman (%v), want 1", n, err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM duplicate_pairs WHERE resolved_at IS NULL`); n != 2 {
			t.Errorf("%d queued pairs after the import, want 2", n)
		}

		// Roles: a trainer may not import, nor may a coordinator into another centre.
		if _, err := st.People.Import(ctx, fx.trainer, rows, opt); !errors.Is(err, birge.ErrForbidden) {
			t.Errorf("trainer import: %v, want forbidden", err)
		}
		if _, err := st.People.Import(ctx, fx.coord, rows, store.ImportOptions{CenterID: fx.almaty.ID}); birge.AsError(err).Fields["center_id"] == "" {
			t.Errorf("import into another organisation's centre: %v", err)
		}
		// A row naming a centre out of reach is a bad row.
		rows[0].Center = "Mama Pro Almaty"
		if rep, err := st.People.Import(ctx, fx.coord, rows, opt); err == nil || rep.Problems[0].Problem != "import.center_unknown" {
			t.Errorf("row naming a centre out of reach: %v %+v", err, rep.Problems)
		}
	})
}

// BenchmarkImport measures importing 20,000 generated rows, checked and written, into
// the registry on each database; b.N imports follow one another, each into a bigger
// registry.
func BenchmarkImport(b *testing.B) {
	for _, db := range testenv.Databases(b) {
		b.Run(db.Name, func(b *testing.B) {
			st := testenv.Open(b, db)
			fx := newPeopleFixture(b, st)
			ctx := context.Background()
			const n = 20_000
			imports := 0
			for b.Loop() {
				b.StopTimer()
				rows := importRows(fx, imports*n, n)
				b.StartTimer()
				if rep, err := st.People.Import(ctx, fx.admin, rows, store.ImportOptions{CenterID: fx.aktobe.ID}); err != nil {
					b.Fatal(err, rep.Problems[:min(3, len(rep.Problems))])
				}
				imports++
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(imports*n), "µs/row")
		})
	}
}

// A search for a word thousands share reads the name index in order: every page in
// order, nobody twice, nobody outside the searcher's centres, nobody merged away.
func TestSearchCommonWord(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		rows := importRows(fx, 0, 3300)
		for i := range rows {
			rows[i].Person.GivenName = "Гүлжан"
			if i%11 == 0 {
				rows[i].Center = "Kargaly district office" // the Aktobe coordinator may not see these
			}
		}
		if _, err := st.People.Import(ctx, fx.admin, rows, store.ImportOptions{CenterID: fx.aktobe.ID}); err != nil {
			t.Fatal(err)
		}
		all := func(a *birge.Actor, q string) []store.PersonSummary {
			return listAll(t, st, a, store.PeopleFilter{Q: q, Limit: store.MaxPageSize})
		}
		seen := map[int64]bool{}
		got := all(fx.coord, "gulzhan")
		for i, p := range got {
			if seen[p.ID] || p.CenterID != fx.aktobe.ID || p.GivenName != "Гүлжан" {
				t.Fatalf("row %d: %+v (seen before: %v)", i, p, seen[p.ID])
			}
			seen[p.ID] = true
			if i > 0 && bytes.Compare(i18n.SortKey(got[i-1].FullName()), i18n.SortKey(p.FullName())) > 0 {
				t.Fatalf("out of order at %d: %q before %q", i, got[i-1].FullName(), p.FullName())
			}
		}
		if len(got) != 3000 {
			t.Errorf("the coordinator found %d, want the 3,000 at Aktobe", len(got))
		}
		if n := len(all(fx.admin, "ГҮЛЖАН")); n != 3300 {
			t.Errorf("the administrator found %d, want 3,300", n)
		}
		// Merged away, she is no longer found, though her index entries remain.
		kept := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, FamilyName: "Тестова", GivenName: "Гүлжан"})
		gone := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, FamilyName: "Тестова", GivenName: "Гүлжан"})
		if _, err := st.People.Merge(ctx, fx.coord, kept.ID, gone.ID, nil); err != nil {
			t.Fatal(err)
		}
		found := all(fx.coord, "gulzhan")
		for _, p := range found {
			if p.ID == gone.ID {
				t.Fatal("a person merged away is still found")
			}
		}
		if len(found) != 3001 {
			t.Errorf("after the merge the coordinator found %d, want 3,001", len(found))
		}

		// A list by one category reads that category's entries the same way: in order,
		// everyone who has it and may be seen, and nobody else.
		want, err := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM person_categories pc JOIN people p ON p.id = pc.person_id
			WHERE pc.code = 'rural' AND p.center_id = ?`, fx.aktobe.ID)
		if err != nil || want < 300 {
			t.Fatalf("%d rural people at Aktobe (%v): too few to page through", want, err)
		}
		rural := listAll(t, st, fx.coord, store.PeopleFilter{Category: "rural", Limit: 100})
		for i, p := range rural {
			if p.CenterID != fx.aktobe.ID || (i > 0 && bytes.Compare(i18n.SortKey(rural[i-1].FullName()), i18n.SortKey(p.FullName())) > 0) {
				t.Fatalf("category list row %d: %+v", i, p)
			}
		}
		if len(rural) != want {
			t.Errorf("the coordinator's rural list has %d people, want %d", len(rural), want)
		}
	})
}

// listAll reads every page of a list.
func listAll(t *testing.T, st *store.Store, a *birge.Actor, f store.PeopleFilter) []store.PersonSummary {
	t.Helper()
	var out []store.PersonSummary
	for {
		l, err := st.People.List(context.Background(), a, f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, l.Items...)
		if l.Next == "" {
			return out
		}
		f.Cursor = l.Next
	}
}

// A kept import holds no one's name in its report, and its first row only sealed: others
// who import into the centre may open it.
func TestImportKeepsNoNames(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		match := fx.register(t, fx.admin, aizhan(fx.aktobe.ID))
		im, err := st.People.CreateImport(ctx, fx.admin, fx.aktobe.ID, "people.csv", []byte("Имя\nЖанар\n"),
			[]store.ImportColumn{{Header: "Имя", Sample: "Жанар Секретова"}}, []string{"given_name"})
		if err != nil {
			t.Fatal(err)
		}
		rep := store.ImportReport{Rows: 1, Duplicates: []store.ImportDuplicate{{Line: 2, PersonID: match.ID, Name: "Сәуле Көрінбейтін"}}}
		if err := st.People.FinishImport(ctx, fx.admin, im.ID, store.ImportChecked, &rep); err != nil {
			t.Fatal(err)
		}
		got, err := st.People.GetImport(ctx, fx.coord, im.ID)
		if err != nil || got.Report.Duplicates[0].Name != "" || got.Report.Duplicates[0].PersonID != match.ID || got.Columns[0].Sample != "Жанар Секретова" {
			t.Fatalf("the coordinator reads %+v (%v)", got, err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM imports WHERE report LIKE ? OR columns LIKE ?`,
			"%Көрінбейтін%", "%Секретова%"); n != 0 {
			t.Error("a name is kept in the clear with the import")
		}
	})
}

// A kept report names a likely duplicate by id only to a reader who may see her: the
// coordinator of Aktobe, who may read an import into her centre, learns the centre to
// contact about a match in Kargaly, not which record it is.
func TestKeptReportNamesOnlyWhomTheReaderSees(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		hidden := fx.register(t, fx.admin, birge.Person{CenterID: fx.kargaly.ID, FamilyName: "Ким", GivenName: "Алия",
			Phones: []string{"+77015550101"}})
		seen := fx.register(t, fx.admin, birge.Person{CenterID: fx.aktobe.ID, FamilyName: "Ли", GivenName: "Дана",
			Phones: []string{"+77015550102"}})
		im, err := st.People.CreateImport(ctx, fx.admin, fx.aktobe.ID, "people.csv", []byte("Имя\nАлия\n"),
			[]store.ImportColumn{{Header: "Имя", Sample: "Алия"}}, []string{"given_name"})
		if err != nil {
			t.Fatal(err)
		}
		rep := &store.ImportReport{Rows: 2, Duplicates: []store.ImportDuplicate{
			{Line: 2, PersonID: hidden.ID, Center: &fx.kargaly.Names, Reasons: []string{"phone"}},
			{Line: 3, PersonID: seen.ID, Center: &fx.aktobe.Names, Reasons: []string{"phone"}}}}
		if err := st.People.FinishImport(ctx, fx.admin, im.ID, store.ImportChecked, rep); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			who        *birge.Actor
			wantHidden int64
		}{{fx.admin, hidden.ID}, {fx.coord, 0}} {
			got, err := st.People.GetImport(ctx, c.who, im.ID)
			if err != nil {
				t.Fatal(err)
			}
			d := got.Report.Duplicates
			if len(d) != 2 || d[0].PersonID != c.wantHidden || d[1].PersonID != seen.ID || d[0].Center == nil || d[0].Center.EN != fx.kargaly.Names.EN {
				t.Errorf("%s reads the duplicates as %+v; want the Kargaly match as #%d with its centre, the Aktobe one as #%d",
					c.who.Name, d, c.wantHidden, seen.ID)
			}
		}
	})
}
