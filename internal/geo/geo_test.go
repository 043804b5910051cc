package geo

import "testing"

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
	if !ok || d.Region != "KZ15" || d.Names.In("kk") != "Қарғалы" || d.Names.In("ky") != "Қарғалы" {
		t.Errorf("Kargaly district = %+v, %v", d, ok)
	}
	if r, _ := LookupRegion("KG-Y"); r.Names.In("ky") != "Ысык-Көл облусу" {
		t.Errorf("Issyk-Kul in Kyrgyz = %q", r.Names.In("ky"))
	}
}
