// Package certpdf writes a training certificate as a one-page PDF (issue 12, decision
// 0032). Its text is in DejaVu Sans, embedded in the binary, which has every letter of
// Kazakh and Kyrgyz (ә ғ қ ң ө ұ ү һ і, ө ү ң): the writer embeds only the glyphs a
// certificate uses (a subset, a few tens of kilobytes) as a CIDFontType2 font with
// Identity-H encoding and a ToUnicode map, so the PDF prints her name as typed and a
// reader can copy and search it.
//
// The font's licence (Bitstream Vera, with DejaVu's changes in the public domain) is
// DejaVuSans-LICENSE.txt beside it; docs/operations.md says so.
package certpdf

import (
	_ "embed"
	"io"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
)

//go:embed DejaVuSans.ttf
var dejaVuSans []byte

// Page is what a certificate says, every line already in the cohort's language.
type Page struct {
	Title     string   // "Certificate"
	Intro     string   // "This certifies that"
	Name      string   // her name exactly as typed
	Completed string   // "has completed the course"
	Course    string   // the course's name
	Details   []string // hours, dates, place: one line each
	Code      string   // "Verification code: XXXXX-XXXXX"
	Check     string   // "Check it at https://…/certificates/XXXXX-XXXXX"
	Issued    time.Time
}

const font = "dejavu"

// Write writes the certificate's PDF to w: A4 landscape, the text centred in a frame.
// Lines too long for the page wrap; a letter outside the font's plane (an emoji) is
// written as "?", since the embedded font has none and the writer's glyph map covers
// the Basic Multilingual Plane only.
func Write(w io.Writer, p Page) error {
	pdf := fpdf.New("L", "mm", "A4", "")
	pdf.SetCompression(true)
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(p.Issued)
	pdf.SetModificationDate(p.Issued)
	pdf.SetTitle(plane(p.Title+" — "+p.Name), true)
	pdf.SetProducer("Birge", false)
	pdf.SetMargins(25, 25, 25)
	pdf.SetAutoPageBreak(false, 0)
	pdf.AddUTF8FontFromBytes(font, "", dejaVuSans)
	pdf.AddPage()
	pdf.SetDrawColor(40, 80, 120)
	pdf.SetLineWidth(1.2)
	pdf.Rect(12, 12, 273, 186, "D")
	pdf.SetLineWidth(0.3)
	pdf.Rect(15, 15, 267, 180, "D")

	width := 247.0
	line := func(size, height float64, text string) {
		pdf.SetFont(font, "", size)
		pdf.MultiCell(width, height, plane(text), "", "C", false)
	}
	pdf.SetY(32)
	pdf.SetTextColor(40, 80, 120)
	line(30, 14, strings.ToUpper(p.Title))
	pdf.SetTextColor(0, 0, 0)
	pdf.SetY(58)
	line(13, 7, p.Intro)
	pdf.SetY(pdf.GetY() + 3)
	line(26, 12, p.Name)
	pdf.SetY(pdf.GetY() + 3)
	line(13, 7, p.Completed)
	pdf.SetY(pdf.GetY() + 2)
	line(19, 9, p.Course)
	pdf.SetY(pdf.GetY() + 4)
	for _, d := range p.Details {
		line(12, 6.5, d)
	}
	pdf.SetY(170)
	pdf.SetTextColor(60, 60, 60)
	line(11, 6, p.Code)
	line(9, 5, p.Check)
	return pdf.Output(w)
}

// plane keeps the letters of the Basic Multilingual Plane, and writes "?" for the rest.
func plane(s string) string {
	return strings.Map(func(r rune) rune {
		if r > 0xFFFF {
			return '?'
		}
		return r
	}, s)
}
