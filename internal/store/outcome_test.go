package store_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

func employed(personID int64, date string) birge.Outcome {
	return birge.Outcome{PersonID: personID, Date: date, Kind: "employed", Evidence: "Еңбек шарты, №12"}
}

// pdf is a small file that is a PDF by its content.
var pdf = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// TestOutcomes: recorded and listed; a value as a number or money; every refusal named
// by its field; many at once all or none; a module's outcome is never edited as one.
func TestOutcomes(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		her := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Айгүл", FamilyName: "Сейтова"})
		if _, err := st.Outcomes.Record(ctx, fx.caseworker, employed(her.ID, "2026-05-02")); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("case worker of another centre records: %v, want not found", err)
		}
		o, err := st.Outcomes.Record(ctx, fx.coord, employed(her.ID, "2026-05-02"))
		if err != nil || o.Source != "manual" || o.CenterID != fx.aktobe.ID || o.RecordedBy != fx.coord.UserID {
			t.Fatalf("record: %+v, %v", o, err)
		}
		rise := birge.Outcome{PersonID: her.ID, Date: "2026-06-01", Kind: "income_increased",
			Value: &birge.OutcomeValue{Amount: 15000000, Currency: "KZT"}}
		if _, err := st.Outcomes.Record(ctx, fx.coord, rise); err != nil {
			t.Fatalf("record a rise in money: %v", err)
		}
		list, err := st.Outcomes.List(ctx, fx.coord, store.OutcomeFilter{PersonID: her.ID, Kind: "income_increased"})
		if err != nil || len(list) != 1 || list[0].Value == nil || *list[0].Value != *rise.Value {
			t.Fatalf("her rises: %+v, %v", list, err)
		}
		for _, c := range []struct {
			change func(*birge.Outcome)
			field  string
		}{
			{func(o *birge.Outcome) { o.Date = "2027-01-02" }, "date"}, // after the store clock's today in Almaty
			{func(o *birge.Outcome) { o.Date = "01.05.2026" }, "date"},
			{func(o *birge.Outcome) { o.Kind = "married" }, "kind"},
			{func(o *birge.Outcome) { o.Value = &birge.OutcomeValue{Amount: -1} }, "value"},
			{func(o *birge.Outcome) { o.Value = &birge.OutcomeValue{Amount: 5, Currency: "XXX"} }, "value.currency"},
			{func(o *birge.Outcome) { o.Value = &birge.OutcomeValue{Amount: 0, Currency: "USD"} }, "value.amount"},
			{func(o *birge.Outcome) { o.Evidence = "a\x00b" }, "evidence"},
			{func(o *birge.Outcome) { o.Evidence = strings.Repeat("ы", birge.MaxLong+1) }, "evidence"},
			{func(o *birge.Outcome) { p := int64(1 << 40); o.ProgramID = &p }, "program_id"},
		} {
			bad := employed(her.ID, "2026-05-02")
			c.change(&bad)
			_, err := st.Outcomes.Record(ctx, fx.coord, bad)
			if e := birge.AsError(err); e == nil || e.Fields[c.field] == "" || len(e.Fields) != 1 {
				t.Errorf("%s: %v, want a problem with %s alone", c.field, err, c.field)
			}
		}
		// Many at once: the third is dated after today, so none is recorded.
		many := []birge.Outcome{employed(her.ID, "2026-05-04"), employed(her.ID, "2026-05-05"), employed(her.ID, "2099-01-01")}
		_, err = st.Outcomes.RecordMany(ctx, fx.coord, many)
		if got := birge.AsError(err); got == nil || got.Fields["items[2].date"] == "" || len(got.Fields) != 1 {
			t.Errorf("many with a bad third: %v, want items[2].date", err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM outcomes WHERE person_id = ?`, her.ID); n != 2 {
			t.Errorf("%d outcomes after a refused batch, want 2", n)
		}
		many[2].Date = "2026-05-06"
		if got, err := st.Outcomes.RecordMany(ctx, fx.coord, many); err != nil || len(got) != 3 {
			t.Errorf("many: %v, %v", got, err)
		}
		o.Kind, o.Evidence = "self_employed", "Патент"
		if o, err = st.Outcomes.Update(ctx, fx.coord, o); err != nil || o.Kind != "self_employed" {
			t.Errorf("update: %+v, %v", o, err)
		}
		if _, err := store.ExecArgs(ctx, st, `UPDATE outcomes SET source = 'cases' WHERE id = ?`, o.ID); err != nil {
			t.Fatal(err)
		}
		if err := st.Outcomes.Delete(ctx, fx.coord, o.ID); birge.KindOf(err) != birge.KindConflict {
			t.Errorf("deleting a module's outcome: %v, want conflict", err)
		}
		if _, err := st.Outcomes.Update(ctx, fx.coord, o); birge.KindOf(err) != birge.KindConflict {
			t.Errorf("changing a module's outcome: %v, want conflict", err)
		}
		if err := st.Outcomes.Delete(ctx, fx.coord, list[0].ID); err != nil {
			t.Errorf("deleting a manual one: %v", err)
		}
	})
}

// TestOutcomeEvidenceFiles: a PDF, JPEG or PNG is kept sealed and given back whole; a
// file of another type (a program renamed .pdf), an empty one or one over 5 MB is
// refused beside the file's field, and nothing is recorded.
func TestOutcomeEvidenceFiles(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		her := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Айгүл", FamilyName: "Сейтова"})
		exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), make([]byte, 200)...)
		for name, content := range map[string][]byte{"contract.pdf": exe, "empty.pdf": nil,
			"big.pdf":    append(append([]byte{}, pdf...), make([]byte, birge.MaxEvidenceBytes)...),
			"letter.png": []byte("<html><script>alert(1)</script></html>")} {
			o := employed(her.ID, "2026-05-02")
			o.Upload = &birge.EvidenceUpload{Name: name, Content: content}
			if _, err := st.Outcomes.Record(ctx, fx.coord, o); birge.AsError(err) == nil || birge.AsError(err).Fields["evidence_file"] == "" {
				t.Errorf("%s: %v, want a problem with evidence_file", name, err)
			}
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM outcomes WHERE person_id = ?`, her.ID); n != 0 {
			t.Errorf("%d outcomes recorded with refused files", n)
		}
		o := employed(her.ID, "2026-05-02")
		o.Upload = &birge.EvidenceUpload{Name: `C:\Users\aigul\шарт.pdf`, Content: pdf}
		o, err := st.Outcomes.Record(ctx, fx.coord, o)
		if err != nil || o.File == nil || o.File.Name != "шарт.pdf" || o.File.Type != "application/pdf" || o.File.Size != int64(len(pdf)) {
			t.Fatalf("record with a PDF: %+v, %v", o.File, err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM outcome_files WHERE content = ?`, pdf); n != 0 {
			t.Error("the file is stored as uploaded, not sealed")
		}
		f, content, err := st.Outcomes.File(ctx, fx.coord, o.ID)
		if err != nil || !bytes.Equal(content, pdf) || f.Type != "application/pdf" {
			t.Errorf("file: %+v, %d bytes, %v", f, len(content), err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM access_log WHERE person_id = ? AND action = 'evidence_file'`, her.ID); n != 1 {
			t.Errorf("%d lines of her access log say her evidence was downloaded, want 1", n)
		}
		if _, _, err := st.Outcomes.File(ctx, fx.caseworker, o.ID); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("case worker elsewhere downloads: %v, want not found", err)
		}
		// A new file replaces it; dropping it leaves none.
		png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
		o.Upload = &birge.EvidenceUpload{Name: "photo.png", Content: png}
		if o, err = st.Outcomes.Update(ctx, fx.coord, o); err != nil || o.File.Type != "image/png" {
			t.Fatalf("replace the file: %+v, %v", o.File, err)
		}
		if _, content, _ := st.Outcomes.File(ctx, fx.coord, o.ID); !bytes.Equal(content, png) {
			t.Error("the replaced file is not the new one")
		}
		o.DropFile = true
		if o, err = st.Outcomes.Update(ctx, fx.coord, o); err != nil || o.File != nil {
			t.Fatalf("drop the file: %+v, %v", o.File, err)
		}
		if _, _, err := st.Outcomes.File(ctx, fx.coord, o.ID); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("dropped file: %v, want not found", err)
		}
	})
}
