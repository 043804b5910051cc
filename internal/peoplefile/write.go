package peoplefile

import (
	"encoding/csv"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/geo"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/xlsx"
)

// ExportFields are the columns of an export of people: the import's fields, headed and
// written the way the import reads them, so an exported file maps by itself when
// imported; and before and among them the record's number and what a caller needs to
// contact a woman safely.
var ExportFields = []string{"id", "family_name", "given_name", "patronymic", "sex", "birth_date",
	"birth_year", "iin", "pin", "phones", "email", "may_call", "call_times", "may_leave_message",
	"center", "country", "region", "district", "settlement", "rural", "children", "income_band",
	"special_needs", "categories"}

// exportLabelKey labels the export's columns that the import does not read.
var exportLabelKey = map[string]string{"id": "person.record_number", "may_call": "person.may_call",
	"call_times": "person.call_times", "may_leave_message": "person.may_leave_message",
	"country": "field.country", "special_needs": "person.special_needs"}

// Label is the catalog key of a field's label, as the person form shows it.
func Label(field string) string {
	if k, ok := LabelKey[field]; ok {
		return k
	}
	return exportLabelKey[field]
}

// ExportHeader is the header row of an export in the user's language.
func ExportHeader(p *i18n.Printer) []string {
	out := make([]string, len(ExportFields))
	for i, f := range ExportFields {
		out[i] = p.T(Label(f))
	}
	return out
}

// ExportRow is a person's row of an export: codes written as their labels in the user's
// language, centres by name, categories by the names of her organisation's list. The
// person is as the store gave her to this user: the identity number masked, sensitive
// categories only for those allowed.
func ExportRow(p *i18n.Printer, centers map[int64]string, cats map[int64]birge.CategoryList, x birge.Person) []string {
	yesNo := func(b bool) string {
		if b {
			return p.T("field.yes")
		}
		return p.T("field.no")
	}
	label := func(prefix, code string) string {
		if code == "" {
			return ""
		}
		return p.T(prefix + code)
	}
	year, children := "", ""
	if x.BirthDate == "" && x.BirthYear != 0 {
		year = strconv.Itoa(x.BirthYear)
	}
	if x.Children != nil {
		children = strconv.Itoa(*x.Children)
	}
	region, district := x.Region, x.District
	if r, ok := geo.LookupRegion(x.Region); ok {
		region = r.Names.In(p.Lang)
	}
	if d, ok := geo.LookupDistrict(x.District); ok {
		district = d.Names.In(p.Lang)
	}
	names := make([]string, len(x.Categories))
	for i, c := range x.Categories {
		names[i] = cats[x.OrgID].Label(c, p.Lang)
	}
	v := map[string]string{"id": strconv.FormatInt(x.ID, 10), "family_name": x.FamilyName,
		"given_name": x.GivenName, "patronymic": x.Patronymic, "sex": label("person.sex.", x.Sex),
		"birth_date": x.BirthDate, "birth_year": year, "iin": x.IIN, "pin": x.PIN,
		"phones": strings.Join(x.Phones, ", "), "email": x.Email, "may_call": yesNo(x.MayCall),
		"call_times": x.CallTimes, "may_leave_message": yesNo(x.MayLeaveMessage), "center": centers[x.CenterID],
		"country": label("country.", x.Country), "region": region, "district": district,
		"settlement": x.Settlement, "rural": yesNo(x.Rural), "children": children,
		"income_band": label("person.income.", x.IncomeBand), "special_needs": yesNo(x.SpecialNeeds),
		"categories": strings.Join(names, "; ")}
	out := make([]string, len(ExportFields))
	for i, f := range ExportFields {
		out[i] = v[f]
	}
	return out
}

// RowWriter writes a table a row at a time and finishes it with Close.
type RowWriter interface {
	WriteRow(cells []string) error
	Close() error
}

// Formats are the formats of an export and their media types.
var Formats = map[string]string{
	"csv":  "text/csv; charset=utf-8",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

// NewWriter returns a writer of one of Formats to w; sheet names what it holds, where
// the format has a place for it (an XLSX worksheet's tab).
func NewWriter(format string, w io.Writer, sheet string) RowWriter {
	if format == "xlsx" {
		x := xlsx.NewWriter(w)
		x.Sheet = sheet
		return x
	}
	return newCSVWriter(w)
}

// csvWriter writes CSV as Excel opens it: UTF-8 with a byte-order mark, without which
// Excel reads Cyrillic as Windows-1251 gibberish, and lines ending in CRLF.
type csvWriter struct {
	w       *csv.Writer
	started bool
	out     io.Writer
}

func newCSVWriter(w io.Writer) *csvWriter {
	c := csv.NewWriter(w)
	c.UseCRLF = true
	return &csvWriter{w: c, out: w}
}

func (c *csvWriter) WriteRow(cells []string) error {
	if !c.started {
		c.started = true
		if _, err := io.WriteString(c.out, "\uFEFF"); err != nil {
			return err
		}
	}
	safe := make([]string, len(cells))
	for i, cell := range cells {
		safe[i] = notFormula(cell)
	}
	return c.w.Write(safe)
}

func (c *csvWriter) Close() error {
	c.w.Flush()
	return c.w.Error()
}

// notFormula keeps a cell from running as a formula when the file is opened in a
// spreadsheet: a name typed as =HYPERLINK(…) would otherwise be one. Such a cell gets an
// apostrophe in front. Phones in E.164 start with + too and are left as they are.
func notFormula(cell string) string {
	if cell == "" || !strings.ContainsRune("=+-@\t\r", rune(cell[0])) || phoneList.MatchString(cell) {
		return cell
	}
	return "'" + cell
}

var phoneList = regexp.MustCompile(`^\+[0-9]+(, \+[0-9]+)*$`)
