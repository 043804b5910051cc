package birge

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestOutcomeValueJSON: a value reads and writes as a number or as money, and nothing
// else is taken for one.
func TestOutcomeValueJSON(t *testing.T) {
	for in, want := range map[string]OutcomeValue{
		`3`: {Amount: 3}, `{"amount": 1887000, "currency": "USD"}`: {Amount: 1887000, Currency: "USD"},
	} {
		var v OutcomeValue
		if err := json.Unmarshal([]byte(in), &v); err != nil || v != want {
			t.Errorf("%s reads as %+v, %v", in, v, err)
		}
		out, _ := json.Marshal(v)
		var back OutcomeValue
		if err := json.Unmarshal(out, &back); err != nil || back != want {
			t.Errorf("%+v writes as %s, which reads back as %+v", want, out, back)
		}
	}
	// Money without its currency reads, so that Validate names value.currency (a 422),
	// with a currency that is none.
	var v OutcomeValue
	if err := json.Unmarshal([]byte(`{"amount": 5}`), &v); err != nil || slices.Contains(Currencies, v.Currency) {
		t.Errorf(`{"amount": 5} reads as %+v, %v`, v, err)
	}
	for _, in := range []string{`"3"`, `3.5`, `{"amount": "5", "currency": "USD"}`, `[]`, `true`} {
		var v OutcomeValue
		if err := json.Unmarshal([]byte(in), &v); err == nil {
			t.Errorf("%s is taken for a value: %+v", in, v)
		}
	}
}

// TestEvidenceUploads: a file's type is read from its content, never from its name, and
// its name is kept without folders or control characters.
func TestEvidenceUploads(t *testing.T) {
	for _, c := range []struct {
		name, content, typ, problem string
	}{
		{"scan.pdf", "%PDF-1.7\n", "application/pdf", ""},
		{"photo.jpg", "\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg", ""},
		{"photo.png", "\x89PNG\r\n\x1a\n\x00\x00", "image/png", ""},
		{"contract.pdf", "MZ\x90\x00\x03\x00", "", "outcome.file_type"},
		{"letter.pdf", "<html><script>alert(1)</script>", "", "outcome.file_type"},
		{"empty.pdf", "", "", "outcome.file_empty"},
		{"big.pdf", "%PDF-1.7\n" + strings.Repeat("x", MaxEvidenceBytes), "", "outcome.file_too_large"},
	} {
		typ, problem := EvidenceUpload{Name: c.name, Content: []byte(c.content)}.EvidenceType()
		if typ != c.typ || problem != c.problem {
			t.Errorf("%s: %q, %q; want %q, %q", c.name, typ, problem, c.typ, c.problem)
		}
	}
	for name, want := range map[string]string{`C:\Users\a\шарт.pdf`: "шарт.pdf", "../../etc/passwd": "passwd",
		"a\x00b\u202e.pdf": "ab.pdf", "": "evidence", strings.Repeat("ы", 300): strings.Repeat("ы", MaxShort)} {
		if got := (EvidenceUpload{Name: name}).CleanName(); got != want {
			t.Errorf("%q is kept as %q, want %q", name, got, want)
		}
	}
}
