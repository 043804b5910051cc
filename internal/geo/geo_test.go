package geo

import (
	"strings"
	"testing"
	"unicode"
)

func TestReferenceData(t *testing.T) {
	if got := len(Regions("KZ")); got != 20 {
		t.Errorf("Kazakhstan has %d first-level units, want 20", got)
	}
	if got := len(Regions("KG")); got != 9 {
		t.Errorf("Kyrgyzstan has %d first-level units, want 9", got)
	}
	n := 0
	for _, r := range Regions("KZ") {
		n += len(Districts(r.Code))
	}
	if n != 224 {
		t.Errorf("Kazakhstan has %d districts, want 224", n)
	}
	d, ok := LookupDistrict("KZ154000")
	if !ok || d.Region != "KZ15" || d.Names.In("kk") != "Қарғалы" || d.Names.In("ky") != "Каргалы" {
		t.Errorf("Kargaly district = %+v, %v", d, ok)
	}
	if r, _ := LookupRegion("KG-Y"); r.Names.In("ky") != "Ысык-Көл облусу" {
		t.Errorf("Issyk-Kul in Kyrgyz = %q", r.Names.In("ky"))
	}
}

// Every bundled name is in one script: a Latin letter in a Cyrillic name (or the reverse)
// looks the same on screen but is another word to search, sorting and the duplicate
// check. The source list held "Солтүстiк" with a Latin i and "Aршалинский" with a Latin A.
func TestNamesInOneScript(t *testing.T) {
	check := func(what string, n Names) {
		t.Helper()
		for lang, name := range map[string]string{"kk": n.KK, "ru": n.RU, "ky": n.KY, "en": n.EN} {
			want := unicode.Cyrillic
			if lang == "en" {
				want = unicode.Latin
			}
			for _, r := range name {
				if unicode.IsLetter(r) && !unicode.Is(want, r) {
					t.Errorf("%s: the %s name %q holds %q (U+%04X), not a %s letter", what, lang, name, r, r,
						map[bool]string{true: "Latin", false: "Cyrillic"}[lang == "en"])
				}
			}
		}
	}
	for _, c := range Countries {
		for _, r := range Regions(c) {
			check(r.Code, r.Names)
			for _, d := range Districts(r.Code) {
				check(d.Code, d.Names)
			}
		}
	}
}

// kazakhOnly are the Kazakh letters Kyrgyz does not have.
const kazakhOnly = "ӘәҒғҚқҰұІіҺһ"

// TestKyrgyzNamesOfKazakhPlaces: Kyrgyz readers see every Kazakh region, city and
// district written with Kyrgyz letters, and a region as an oblast or a city of Kyrgyz
// ("облусу", "шаары"), not the Kazakh form the source list gives.
func TestKyrgyzNamesOfKazakhPlaces(t *testing.T) {
	for _, r := range Regions("KZ") {
		ky := r.Names.In("ky")
		if r.Names.KY == "" || ky == r.Names.KK || strings.ContainsAny(ky, kazakhOnly) ||
			!strings.HasSuffix(ky, " облусу") && !strings.HasSuffix(ky, " шаары") {
			t.Errorf("%s (%s) in Kyrgyz is %q", r.Code, r.Names.KK, ky)
		}
		for _, d := range Districts(r.Code) {
			ky := d.Names.In("ky")
			if d.Names.KY == "" || strings.ContainsAny(ky, kazakhOnly) ||
				strings.ContainsAny(d.Names.KK, kazakhOnly) == (ky == d.Names.KK) {
				t.Errorf("%s (%s) in Kyrgyz is %q", d.Code, d.Names.KK, ky)
			}
		}
	}
	for code, want := range map[string]string{"KZ59": "Түндүк Казакстан облусу", "KZ71": "Астана шаары", "KZ19": "Алматы облусу"} {
		if r, _ := LookupRegion(code); r.Names.In("ky") != want {
			t.Errorf("%s in Kyrgyz is %q, want %q", code, r.Names.In("ky"), want)
		}
	}
	for _, c := range []struct{ kk, ky string }{{"Тұрар Рысқұлов", "Турар Рыскулов"}, {"Есіл", "Есил"}, {"Аягөз", "Аягөз"}} {
		found := false
		for _, d := range district {
			found = found || d.Names.KK == c.kk && d.Names.KY == c.ky
		}
		if !found {
			t.Errorf("no district %s written %s in Kyrgyz", c.kk, c.ky)
		}
	}
}
