package web

import (
	"html/template"
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

// placeOptions gives the regions by country and the Kazakh districts by region, sorted
// in the user's alphabet, for the region and district selects of centres and people.
// The lists never change while the server runs, so each language's are sorted and
// written out as HTML once: sorting them took most of a search page's time, and then
// drawing their 250 options through the template took half of what remained.
func placeOptions(p *i18n.Printer) (regions, districts placeSelect) {
	l := allPlaceOptions()[p.Lang]
	return l[0], l[1]
}

// placeSelect is the options of a place select, as HTML, with a way to mark the chosen one.
type placeSelect struct {
	html  string
	codes map[string]bool
}

// HTML returns the options with the one whose value is chosen marked selected. A value
// that is not a known code marks nothing, so input never reaches the page this way.
func (ps placeSelect) HTML(chosen string) template.HTML {
	if !ps.codes[chosen] {
		return template.HTML(ps.html)
	}
	v := `value="` + chosen + `">`
	return template.HTML(strings.Replace(ps.html, v, `value="`+chosen+`" selected>`, 1))
}

func newPlaceSelect(groups []optionGroup) placeSelect {
	ps := placeSelect{codes: map[string]bool{}}
	var b strings.Builder
	for _, g := range groups {
		b.WriteString(`<optgroup label="` + template.HTMLEscapeString(g.Label) + `">`)
		for _, o := range g.Options {
			ps.codes[o.Value] = true
			b.WriteString(`<option value="` + template.HTMLEscapeString(o.Value) + `">` + template.HTMLEscapeString(o.Label) + `</option>`)
		}
		b.WriteString(`</optgroup>`)
	}
	ps.html = b.String()
	return ps
}

// allPlaceOptions makes the selects of every language on first use.
var allPlaceOptions = sync.OnceValue(func() map[string][2]placeSelect {
	m := map[string][2]placeSelect{}
	for _, lang := range i18n.Langs {
		r, d := makePlaceOptions(i18n.For(lang))
		m[lang] = [2]placeSelect{newPlaceSelect(r), newPlaceSelect(d)}
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
