// Package geo holds the reference lists of places a record can be in: Kazakhstan's regions
// and districts from the bundled COD-AB list, and Kyrgyzstan's nine first-level units,
// each named in Kazakh, Russian, Kyrgyz and English (Kazakhstan's places as Kyrgyz writes
// them: decision 0017). Everything is embedded and parsed once at start, so no request ever leaves the server.
package geo

import (
	"embed"
	"encoding/csv"
	"fmt"
	"sort"
	"strings"
)

//go:embed data/*.csv
var files embed.FS

// Names holds a place name in each of the four languages.
type Names struct{ KK, RU, KY, EN string }

// In returns the name in lang; a name with no Kyrgyz form falls back to the Kazakh one.
func (n Names) In(lang string) string {
	switch lang {
	case "kk":
		return n.KK
	case "ru":
		return n.RU
	case "ky":
		if n.KY != "" {
			return n.KY
		}
		return n.KK
	default:
		return n.EN
	}
}

// Region is a first-level unit: an oblast or a city of republican significance.
type Region struct {
	Code    string // P-code (KZ15) for Kazakhstan, ISO 3166-2 (KG-C) for Kyrgyzstan
	Country string // KZ or KG
	Names   Names
}

// District is a second-level unit of a Kazakh region.
type District struct {
	Code   string // P-code, e.g. KZ154000 for Kargaly district
	Region string // the region's code
	Names  Names
}

// Countries served, in display order.
var Countries = []string{"KZ", "KG"}

var (
	regions   []Region
	regionBy  = map[string]Region{}
	districts = map[string][]District{}
	district  = map[string]District{}
)

// kyrgyzRegions are the nine units of ISO 3166-2:KG; the README of the reference data
// notes there is no public machine-readable list to bundle, so they are written here.
var kyrgyzRegions = []Region{
	{"KG-B", "KG", Names{"Баткен облысы", "Баткенская область", "Баткен облусу", "Batken Region"}},
	{"KG-C", "KG", Names{"Шу облысы", "Чуйская область", "Чүй облусу", "Chuy Region"}},
	{"KG-GB", "KG", Names{"Бішкек қаласы", "город Бишкек", "Бишкек шаары", "Bishkek City"}},
	{"KG-GO", "KG", Names{"Ош қаласы", "город Ош", "Ош шаары", "Osh City"}},
	{"KG-J", "KG", Names{"Жалал-Абад облысы", "Джалал-Абадская область", "Жалал-Абад облусу", "Jalal-Abad Region"}},
	{"KG-N", "KG", Names{"Нарын облысы", "Нарынская область", "Нарын облусу", "Naryn Region"}},
	{"KG-O", "KG", Names{"Ош облысы", "Ошская область", "Ош облусу", "Osh Region"}},
	{"KG-T", "KG", Names{"Талас облысы", "Таласская область", "Талас облусу", "Talas Region"}},
	{"KG-Y", "KG", Names{"Ыстықкөл облысы", "Иссык-Кульская область", "Ысык-Көл облусу", "Issyk-Kul Region"}},
}

// kazakhRegionsKy are Kazakhstan's regions and cities of republican significance as
// Kyrgyz writes them (the source list has no Kyrgyz names): the oblast is "облусу", the
// city "шаары", and the Kazakh letters Kyrgyz lacks become its own (Ақтөбе Актөбө,
// Солтүстік Қазақстан Түндүк Казакстан, Шығыс Чыгыш).
var kazakhRegionsKy = map[string]string{
	"KZ10": "Абай облусу",
	"KZ11": "Акмола облусу",
	"KZ15": "Актөбө облусу",
	"KZ19": "Алматы облусу",
	"KZ23": "Атырау облусу",
	"KZ27": "Батыш Казакстан облусу",
	"KZ31": "Жамбыл облусу",
	"KZ33": "Жетисуу облусу",
	"KZ35": "Караганды облусу",
	"KZ39": "Костанай облусу",
	"KZ43": "Кызылорда облусу",
	"KZ47": "Маңгыстау облусу",
	"KZ55": "Павлодар облусу",
	"KZ59": "Түндүк Казакстан облусу",
	"KZ61": "Түркстан облусу",
	"KZ62": "Улытау облусу",
	"KZ63": "Чыгыш Казакстан облусу",
	"KZ71": "Астана шаары",
	"KZ75": "Алматы шаары",
	"KZ79": "Шымкент шаары",
}

// kyrgyzLetters writes a Kazakh proper name with Kyrgyz letters, as Kyrgyz texts write
// Kazakh names of districts and people: Қарғалы Каргалы, Есіл Есил, Тұрар Рысқұлов Турар
// Рыскулов, Әйтеке би Айтеке би. Kyrgyz has ң, ө and ү, which stay.
var kyrgyzLetters = strings.NewReplacer(
	"Ә", "А", "ә", "а", "Ғ", "Г", "ғ", "г", "Қ", "К", "қ", "к",
	"Ұ", "У", "ұ", "у", "І", "И", "і", "и", "Һ", "Х", "һ", "х",
)

func init() {
	if err := load(); err != nil {
		panic(fmt.Sprintf("geo: bundled reference data is broken: %v", err))
	}
}

func load() error {
	adm1, err := readCSV("data/kz_adm1.csv")
	if err != nil {
		return err
	}
	for _, r := range adm1 { // kato,pcode,iso_3166_2,name_en,name_kk,name_ru
		regions = append(regions, Region{r[1], "KZ", Names{KK: r[4], RU: r[5], KY: kazakhRegionsKy[r[1]], EN: r[3]}})
	}
	regions = append(regions, kyrgyzRegions...)
	for _, r := range regions {
		regionBy[r.Code] = r
	}
	adm2, err := readCSV("data/kz_adm2.csv")
	if err != nil {
		return err
	}
	for _, r := range adm2 { // kato,pcode,adm1_pcode,name_en,name_kk,name_ru
		d := District{r[1], r[2], Names{KK: r[4], RU: r[5], KY: kyrgyzLetters.Replace(r[4]), EN: r[3]}}
		if _, ok := regionBy[d.Region]; !ok {
			return fmt.Errorf("district %s names unknown region %s", d.Code, d.Region)
		}
		districts[d.Region] = append(districts[d.Region], d)
		district[d.Code] = d
	}
	return nil
}

func readCSV(name string) ([][]string, error) {
	f, err := files.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return rows[1:], nil
}

// Regions lists the regions of a country, sorted by their English name for stable codes;
// the web layer re-sorts them in the reader's alphabet.
func Regions(country string) []Region {
	var out []Region
	for _, r := range regions {
		if r.Country == country {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Names.EN < out[j].Names.EN })
	return out
}

// LookupRegion finds a region by code.
func LookupRegion(code string) (Region, bool) {
	r, ok := regionBy[code]
	return r, ok
}

// Districts lists the districts of a region (none for Kyrgyz regions).
func Districts(region string) []District { return districts[region] }

// LookupDistrict finds a district by code.
func LookupDistrict(code string) (District, bool) {
	d, ok := district[code]
	return d, ok
}
