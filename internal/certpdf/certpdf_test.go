package certpdf

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

func kazakhPage() Page {
	return Page{Title: "Сертификат", Intro: "Осы сертификат растайды:", Name: "Әйгерім Құрманғазықызы Үсенова",
		Completed: "курсын сәтті аяқтады", Course: "Кәсіпкерлік негіздері (һ, ө, ң, ғ)",
		Details: []string{"36 сағат", "1 қыркүйек 2026 – 30 қараша 2026", "Алматы орталығы"},
		Code:    "Тексеру коды: 7KQ2M-X9P4D", Check: "https://birge.example.kz/certificates/7KQ2M-X9P4D",
		Issued: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
}

// TestKazakhNameReadsBack writes a certificate and reads it back as a PDF reader
// would: the cross-reference table's offsets point at their objects, the page's content
// stream inflates, and its text, mapped through the font's ToUnicode map, holds her name
// with every Kazakh letter as typed.
func TestKazakhNameReadsBack(t *testing.T) {
	var buf bytes.Buffer
	p := kazakhPage()
	if err := Write(&buf, p); err != nil {
		t.Fatal(err)
	}
	text := extractText(t, buf.Bytes())
	for _, want := range []string{p.Name, p.Course, "7KQ2M-X9P4D", "36 сағат", "СЕРТИФИКАТ"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q; it reads:\n%s", want, text)
		}
	}
	if os.Getenv("CERTPDF_OUT") != "" {
		_ = os.WriteFile(os.Getenv("CERTPDF_OUT"), buf.Bytes(), 0o644)
	}
}

// TestHostileNames writes every line of the naughty strings as a name and a course: the
// writer never panics, and what it writes reads back as a PDF.
func TestHostileNames(t *testing.T) {
	f, err := os.Open("../../testdata/blns.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		p := kazakhPage()
		p.Name, p.Course = line, line
		var buf bytes.Buffer
		if err := Write(&buf, p); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		if n%25 == 0 {
			extractText(t, buf.Bytes())
		}
		n++
	}
	if n < 100 {
		t.Fatalf("only %d naughty strings read", n)
	}
}

func BenchmarkWrite(b *testing.B) {
	p := kazakhPage()
	for b.Loop() {
		if err := Write(io.Discard, p); err != nil {
			b.Fatal(err)
		}
	}
}

// extractText is a reader of the PDFs this package writes, for tests only: it checks
// the cross-reference table, inflates the streams, and maps the page's strings through
// the ToUnicode map of its font.
func extractText(t *testing.T, pdf []byte) string {
	t.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.")) || !bytes.HasSuffix(bytes.TrimSpace(pdf), []byte("%%EOF")) {
		t.Fatal("not a PDF: no header or no end-of-file marker")
	}
	m := regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`).FindSubmatch(pdf)
	if m == nil {
		t.Fatal("no startxref")
	}
	at, _ := strconv.Atoi(string(m[1]))
	if at >= len(pdf) || !bytes.HasPrefix(pdf[at:], []byte("xref")) {
		t.Fatalf("startxref %d does not point at the xref table", at)
	}
	head := regexp.MustCompile(`^xref\s+(\d+) (\d+)\s+`).FindSubmatch(pdf[at:])
	if head == nil {
		t.Fatal("malformed xref table")
	}
	first, _ := strconv.Atoi(string(head[1]))
	count, _ := strconv.Atoi(string(head[2]))
	entries := pdf[at+len(head[0]):]
	objects := map[int][]byte{} // object number → what follows "N 0 obj"
	for i := range count {
		e := entries[i*20 : i*20+20]
		if e[17] != 'n' {
			continue
		}
		off, _ := strconv.Atoi(string(e[:10]))
		num := first + i
		prefix := fmt.Sprintf("%d 0 obj", num)
		if !bytes.HasPrefix(pdf[off:], []byte(prefix)) {
			t.Fatalf("xref says object %d is at %d, where %q is", num, off, pdf[off:min(off+20, len(pdf))])
		}
		end := bytes.Index(pdf[off:], []byte("endobj"))
		if end < 0 {
			t.Fatalf("object %d has no endobj", num)
		}
		objects[num] = pdf[off+len(prefix) : off+end]
	}
	if !bytes.Contains(pdf[at:], []byte("/Root")) {
		t.Fatal("the trailer names no /Root")
	}
	stream := func(num int) []byte {
		obj, ok := objects[num]
		if !ok {
			t.Fatalf("no object %d", num)
		}
		lm := regexp.MustCompile(`/Length (\d+)`).FindSubmatch(obj)
		start := bytes.Index(obj, []byte("stream"))
		if lm == nil || start < 0 {
			t.Fatalf("object %d is not a stream", num)
		}
		n, _ := strconv.Atoi(string(lm[1]))
		start += len("stream")
		if obj[start] == '\r' {
			start++
		}
		start++
		data := obj[start : start+n]
		if !bytes.HasPrefix(bytes.TrimLeft(obj[start+n:], "\r\n"), []byte("endstream")) {
			t.Fatalf("object %d: /Length %d does not end at endstream", num, n)
		}
		if bytes.Contains(obj[:start], []byte("/FlateDecode")) {
			r, err := zlib.NewReader(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("object %d: %v", num, err)
			}
			if data, err = io.ReadAll(r); err != nil {
				t.Fatalf("object %d: %v", num, err)
			}
		}
		return data
	}
	ref := func(obj []byte, key string) int {
		m := regexp.MustCompile(key + ` (\d+) 0 R`).FindSubmatch(obj)
		if m == nil {
			t.Fatalf("no %s in %q", key, obj)
		}
		n, _ := strconv.Atoi(string(m[1]))
		return n
	}
	// The font's ToUnicode map: code ranges to the first of their letters.
	cmap := map[uint16]rune{}
	var ranges [][3]int
	for _, obj := range objects {
		if !bytes.Contains(obj, []byte("/Subtype /Type0")) {
			continue
		}
		if !bytes.Contains(obj, []byte("/Encoding /Identity-H")) {
			t.Fatal("the font is not Identity-H")
		}
		cm := string(stream(ref(obj, "/ToUnicode")))
		hex := func(s string) int { n, _ := strconv.ParseInt(s, 16, 32); return int(n) }
		for _, m := range regexp.MustCompile(`<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]{4})>`).FindAllStringSubmatch(cm, -1) {
			ranges = append(ranges, [3]int{hex(m[1]), hex(m[2]), hex(m[3])})
		}
		for _, m := range regexp.MustCompile(`(?s)beginbfchar(.*?)endbfchar`).FindAllStringSubmatch(cm, -1) {
			for _, p := range regexp.MustCompile(`<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]{4})>`).FindAllStringSubmatch(m[1], -1) {
				cmap[uint16(hex(p[1]))] = rune(hex(p[2]))
			}
		}
	}
	if len(ranges) == 0 && len(cmap) == 0 {
		t.Fatal("no ToUnicode map")
	}
	toUnicode := func(code uint16) rune {
		if r, ok := cmap[code]; ok {
			return r
		}
		for _, g := range ranges {
			if int(code) >= g[0] && int(code) <= g[1] {
				return rune(g[2] + int(code) - g[0])
			}
		}
		return '\uFFFD'
	}
	var page []byte
	for _, obj := range objects {
		if bytes.Contains(obj, []byte("/Type /Page\n")) || bytes.Contains(obj, []byte("/Type /Page>")) {
			page = stream(ref(obj, "/Contents"))
		}
	}
	if page == nil {
		t.Fatal("no page")
	}
	// The strings shown (Tj), each a PDF literal string of two-byte codes.
	var out strings.Builder
	for i := 0; i < len(page); i++ {
		if page[i] != '(' {
			continue
		}
		var raw []byte
		depth := 1
		for i++; i < len(page) && depth > 0; i++ {
			c := page[i]
			switch {
			case c == '\\' && i+1 < len(page):
				i++
				switch e := page[i]; e {
				case 'n':
					raw = append(raw, '\n')
				case 'r':
					raw = append(raw, '\r')
				case 't':
					raw = append(raw, '\t')
				case 'b':
					raw = append(raw, '\b')
				case 'f':
					raw = append(raw, '\f')
				default:
					if e >= '0' && e <= '7' {
						v := 0
						for k := 0; k < 3 && i < len(page) && page[i] >= '0' && page[i] <= '7'; k++ {
							v = v*8 + int(page[i]-'0')
							i++
						}
						i--
						raw = append(raw, byte(v))
					} else {
						raw = append(raw, e)
					}
				}
			case c == '(':
				depth++
				raw = append(raw, c)
			case c == ')':
				depth--
				if depth > 0 {
					raw = append(raw, c)
				}
			default:
				raw = append(raw, c)
			}
		}
		i--
		if len(raw)%2 != 0 {
			t.Fatalf("a string of %d bytes is not two-byte codes", len(raw))
		}
		codes := make([]uint16, len(raw)/2)
		for k := range codes {
			codes[k] = uint16(raw[2*k])<<8 | uint16(raw[2*k+1])
		}
		for _, c := range codes {
			r := toUnicode(c)
			if utf16.IsSurrogate(r) {
				r = '\uFFFD'
			}
			out.WriteRune(r)
		}
		out.WriteByte('\n')
	}
	return out.String()
}
