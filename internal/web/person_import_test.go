package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

func peopleCount(t *testing.T, s *site) int {
	t.Helper()
	var n int
	if err := s.st.DB().QueryRow(`SELECT COUNT(*) FROM people`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The API refuses a thousand rows with one bad row in the middle, naming that row, and
// writes nobody; a dry run of the fixed file writes nobody either; then it imports them.
func TestImportAPI(t *testing.T) {
	s := sqliteSite(t, Config{})
	_, tok := s.token("coordinator@birge.example", "import")
	auth := http.Header{"Authorization": {"Bearer " + tok}}
	var b strings.Builder
	b.WriteString("family_name,given_name,iin,phones\n")
	for i := range 1000 {
		iin := ""
		if i == 499 {
			iin = "850315401232" // wrong check digit, line 501
		}
		fmt.Fprintf(&b, "Импортова,Жанар %d,%s,+7700880%04d\n", i, iin, i)
	}
	before := peopleCount(t, s)
	file := func(content string, dryRun bool) upload {
		return upload{fields: map[string]string{"dry_run": strconv.FormatBool(dryRun)}, name: "people.csv", content: []byte(content)}
	}

	res := s.do(nil, "POST", "/api/v1/people/import", file(b.String(), false), auth)
	var prob struct {
		Status int                `json:"status"`
		Report store.ImportReport `json:"report"`
	}
	if err := json.Unmarshal([]byte(res.Body), &prob); err != nil || res.StatusCode != 422 {
		t.Fatalf("a file with a bad row: %d %s", res.StatusCode, res.Body)
	}
	if prob.Report.BadRows != 1 || prob.Report.Problems[0].Line != 501 || prob.Report.Problems[0].Field != "iin" {
		t.Fatalf("the report: %+v", prob.Report)
	}
	if n := peopleCount(t, s); n != before {
		t.Fatalf("a refused import wrote %d people", n-before)
	}

	fixed := strings.Replace(b.String(), "850315401232", "", 1)
	if res := s.do(nil, "POST", "/api/v1/people/import", file(fixed, true), auth); res.StatusCode != 200 || peopleCount(t, s) != before {
		t.Fatalf("dry run: %d %s, %d people written", res.StatusCode, res.Body, peopleCount(t, s)-before)
	}
	res = s.do(nil, "POST", "/api/v1/people/import", file(fixed, false), auth)
	if res.StatusCode != 201 || peopleCount(t, s) != before+1000 {
		t.Fatalf("import: %d %s, %d people written", res.StatusCode, res.Body, peopleCount(t, s)-before)
	}
	// Not a table at all: a clear problem on the file field.
	res = s.do(nil, "POST", "/api/v1/people/import", file("\x00\x01\x02", false), auth)
	if res.StatusCode != 422 || !strings.Contains(res.Body, `"file"`) {
		t.Errorf("a binary file: %d %s", res.StatusCode, res.Body)
	}
}

// Every naughty string, as a name, a settlement and a heading, goes through the upload,
// the check and the report page without a 500.
func TestImportNaughtyStrings(t *testing.T) {
	s := sqliteSite(t, Config{})
	c := s.login("coordinator@birge.example")
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write([]string{"Фамилия", "Имя", "Село", "Пол", "Дата рождения", naughtyStrings(t)[7]})
	for _, v := range naughtyStrings(t) {
		w.Write([]string{v, v, v, v, v, v})
	}
	w.Flush()
	res := s.do(c, "POST", "/people/import", upload{fields: map[string]string{"center_id": strconv.FormatInt(s.center("Aktobe family centre").ID, 10)},
		name: naughtyStrings(t)[3], content: []byte(b.String())}, nil)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/imports/") {
		t.Fatalf("upload: %d %s\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
	}
	s.srv.WaitImports()
	imports, _ := strconv.Atoi(strings.TrimPrefix(res.Header.Get("Location"), "/imports/"))
	res = s.do(c, "GET", res.Header.Get("Location"), nil, nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `id="import-problems"`) {
		t.Fatalf("the report: %d\n%s", res.StatusCode, res.Body)
	}
	im, err := s.st.People.GetImport(context.Background(), birge.System("t"), int64(imports))
	// Rows of only spaces are dropped, as spreadsheets leave them below the data.
	if err != nil || im.State != store.ImportChecked || im.Report.Rows < len(naughtyStrings(t))*9/10 {
		t.Fatalf("import %+v: %v", im, err)
	}
}
