package web

import (
	"strings"
	"sync"

	"github.com/birge-org/birge/internal/geo"
	"github.com/birge-org/birge/internal/i18n"
)

// optionGroup is an <optgroup> of a select.
type optionGroup struct {
	Label   string
	Options []option
}

// placeName names a region and district in the user's language: "Aktobe Region, Kargaly
// District", or the district as typed where there is no reference list (Kyrgyzstan).
func placeName(p *i18n.Printer, region, district string) string {
	var parts []string
	if r, ok := geo.LookupRegion(region); ok {
		parts = append(parts, r.Names.In(p.Lang))
	}
	if d, ok := geo.LookupDistrict(district); ok {
		parts = append(parts, d.Names.In(p.Lang))
	} else if district != "" {
		parts = append(parts, district)
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, ", ")
}

// placeOptions lists the regions by country and the Kazakh districts by region, sorted in
// the user's alphabet, for the region and district selects of centres and people. The
// lists never change while the server runs, and sorting them took most of a search
// page's time, so each language's are made once.
func placeOptions(p *i18n.Printer) (regions, districts []optionGroup) {
	l := allPlaceOptions()[p.Lang]
	return l.regions, l.districts
}

type placeLists struct{ regions, districts []optionGroup }

// allPlaceOptions makes the lists of every language on first use.
var allPlaceOptions = sync.OnceValue(func() map[string]placeLists {
	m := map[string]placeLists{}
	for _, lang := range i18n.Langs {
		r, d := makePlaceOptions(i18n.For(lang))
		m[lang] = placeLists{r, d}
	}
	return m
})

func makePlaceOptions(p *i18n.Printer) (regions, districts []optionGroup) {
	for _, c := range geo.Countries {
		g := optionGroup{Label: p.T("country." + c)}
		for _, reg := range geo.Regions(c) {
			g.Options = append(g.Options, option{reg.Code, reg.Names.In(p.Lang)})
			if ds := geo.Districts(reg.Code); len(ds) > 0 {
				dg := optionGroup{Label: reg.Names.In(p.Lang)}
				for _, d := range ds {
					dg.Options = append(dg.Options, option{d.Code, d.Names.In(p.Lang)})
				}
				i18n.Sort(p, dg.Options, func(o option) string { return o.Label })
				districts = append(districts, dg)
			}
		}
		i18n.Sort(p, g.Options, func(o option) string { return o.Label })
		regions = append(regions, g)
	}
	i18n.Sort(p, districts, func(g optionGroup) string { return g.Label })
	return regions, districts
}
