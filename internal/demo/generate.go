package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// Generated people, for measuring the registry at the size of a national network
// (`birge demo --people 1000000`) and for tests that need many rows. Names mix Kazakh,
// Russian and Kyrgyz ones, in Cyrillic and now and then in Latin letters, as staff type
// them; identity numbers are valid but belong to nobody (serials no registry issues in
// order), and phones are in ranges no operator has assigned.

// familyNames are a family name as a man and as a woman bear it (-ов/-ова, -ев/-ева, -ин/-ина; a
// Korean name the same for both); given names are female, as most of those served are.
var (
	familyNames = [][2]string{{"Омаров", "Омарова"}, {"Жұмабаев", "Жұмабаева"}, {"Сейітов", "Сейітова"},
		{"Ахметов", "Ахметова"}, {"Нұрланов", "Нұрланова"}, {"Бекмұхамбетов", "Бекмұхамбетова"}, {"Тоқтаров", "Тоқтарова"},
		{"Ермеков", "Ермекова"}, {"Қасымов", "Қасымова"}, {"Сұлтанов", "Сұлтанова"}, {"Әбдіқадыров", "Әбдіқадырова"},
		{"Мұсабаев", "Мұсабаева"}, {"Асанов", "Асанова"}, {"Осмонов", "Осмонова"}, {"Токтогулов", "Токтогулова"},
		{"Жээнбеков", "Жээнбекова"}, {"Исаков", "Исакова"}, {"Мамытов", "Мамытова"}, {"Иванов", "Иванова"},
		{"Петров", "Петрова"}, {"Смирнов", "Смирнова"}, {"Кузнецов", "Кузнецова"}, {"Попов", "Попова"},
		{"Соколов", "Соколова"}, {"Морозов", "Морозова"}, {"Волков", "Волкова"}, {"Ким", "Ким"}, {"Ли", "Ли"},
		{"Пак", "Пак"}, {"Сәтбаев", "Сәтбаева"}, {"Байтұрсынов", "Байтұрсынова"}, {"Құнанбаев", "Құнанбаева"},
		{"Абылаев", "Абылаева"}, {"Кенесарин", "Кенесарина"}, {"Бөкейханов", "Бөкейханова"}, {"Жангиров", "Жангирова"},
		{"Айтматов", "Айтматова"}, {"Үсенов", "Үсенова"}, {"Бакиев", "Бакиева"}, {"Темірбеков", "Темірбекова"}}
	givenNames = []string{"Айжан", "Динара", "Сәуле", "Гүлнар", "Әсем", "Аружан", "Жанар", "Меруерт", "Ақбота",
		"Балжан", "Айгерім", "Назерке", "Толқын", "Бермет", "Айпери", "Чолпон", "Нургүл", "Айзада", "Гулзат",
		"Жылдыз", "Элнура", "Ольга", "Елена", "Наталья", "Татьяна", "Ирина", "Светлана", "Анна", "Мария",
		"Людмила", "Зарина", "Камила", "Алия", "Дана", "Салтанат", "Гаухар", "Ләззат", "Perizat", "Aigerim", "Dana"}
	fathers = []string{"Серік", "Бола", "Ерлан", "Асқар", "Марат", "Нұрлан", "Виктор", "Сергей", "Бакыт", "Талант"}
)

// GeneratePeople makes n people numbered from start (so that batches made one after
// another never share an identity number), spread over centers, the same for the same
// seed and numbers.
func GeneratePeople(seed uint64, start, n int, centers []birge.Center) []birge.Person {
	out := make([]birge.Person, n)
	base := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)
	const days = 26000 // birth dates from 1950 to 2021
	for k := range n {
		i := start + k
		r := rand.New(rand.NewPCG(seed, uint64(i)))
		c := centers[r.IntN(len(centers))]
		p := birge.Person{CenterID: c.ID, Country: c.Country, Region: c.Region, District: c.District, Sex: "female"}
		if r.IntN(10) == 0 {
			p.Sex = "male"
		}
		name := familyNames[r.IntN(len(familyNames))]
		p.FamilyName = name[1]
		if p.Sex == "male" {
			p.FamilyName = name[0]
		}
		p.GivenName = givenNames[r.IntN(len(givenNames))]
		if r.IntN(2) == 0 {
			p.Patronymic = fathers[r.IntN(len(fathers))] + "қызы"
		}
		if p.Sex == "male" {
			p.GivenName, p.Patronymic = fathers[r.IntN(len(fathers))], ""
		}
		// Unique (date, serial) for every i: the date cycles, the serial counts the cycles,
		// from 5000 so as not to meet the demo families' numbers (the README's vectors).
		birth := base.AddDate(0, 0, i%days)
		serial := 5000 + i/days
		switch {
		case r.IntN(20) == 0:
			p.BirthYear = birth.Year() // only the year is known
		case c.Country == "KZ":
			if iin, ok := birge.MakeIIN(birth, p.Sex, serial); ok {
				p.IIN = iin
			} else {
				p.BirthDate = birth.Format(time.DateOnly)
			}
		default:
			sexDigit := 1
			if p.Sex == "male" {
				sexDigit = 2
			}
			p.PIN = fmt.Sprintf("%d%s%05d", sexDigit, birth.Format("02012006"), serial)
		}
		// 700 000 00 00 and 0 550 000 000 onwards: unassigned blocks, and unique per i.
		if c.Country == "KG" {
			p.Phones = []string{fmt.Sprintf("+99655%07d", i%10_000_000)}
		} else {
			p.Phones = []string{fmt.Sprintf("+7700%07d", i%10_000_000)}
		}
		p.Rural = r.IntN(3) == 0
		children := r.IntN(5)
		p.Children = &children
		p.IncomeBand = birge.IncomeBands[r.IntN(len(birge.IncomeBands))]
		for _, cat := range birge.DefaultCategories {
			if !cat.Sensitive && r.IntN(6) == 0 {
				p.Categories = append(p.Categories, cat.Code)
			}
		}
		out[k] = p
	}
	return out
}

// generateBatch is how many generated people are imported in one transaction.
const generateBatch = 20_000

// LoadGenerated registers n generated people in the demo centres through the import
// path, a batch at a time, numbering them after those already there so that running it
// twice adds more people rather than failing on repeated identity numbers.
func LoadGenerated(ctx context.Context, st *store.Store, n int, progress func(done int)) error {
	sys := birge.System("demo")
	centers, err := st.ListCenters(ctx, sys, store.CenterFilter{})
	if err != nil {
		return err
	}
	byOrg := map[int64][]birge.Center{}
	for _, c := range centers {
		byOrg[c.OrgID] = append(byOrg[c.OrgID], c)
	}
	start, err := st.People.Count(ctx, sys)
	if err != nil {
		return err
	}
	for done := 0; done < n; done += generateBatch {
		progress(done)
		people := GeneratePeople(1, start+done, min(generateBatch, n-done), centers)
		// An import goes to one organisation; split the batch by the centres' organisations.
		rows := map[int64][]birge.ImportRow{}
		for i, p := range people {
			org := orgOf(centers, p.CenterID)
			rows[org] = append(rows[org], birge.ImportRow{Line: i + 2, Person: p, Center: strconv.FormatInt(p.CenterID, 10)})
		}
		for org, rs := range rows {
			_, err := st.People.Import(ctx, sys, rs, store.ImportOptions{CenterID: byOrg[org][0].ID})
			if err != nil {
				return fmt.Errorf("generated people: %w", err)
			}
		}
	}
	progress(n)
	return nil
}

func orgOf(centers []birge.Center, id int64) int64 {
	for _, c := range centers {
		if c.ID == id {
			return c.OrgID
		}
	}
	return 0
}
