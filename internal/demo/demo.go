// Package demo loads the organisations of the seed stories into an empty database, with
// one user per role, so that a newcomer can sign in and look around at once.
package demo

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strings"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// Login is a demo account and its one-time-printed password.
type Login struct {
	Email, Password string
	Role            birge.Role
	Where           string
}

type centerSeed struct {
	key                              string
	names                            birge.Names
	typ                              string
	region, district, address, phone string
}

type orgSeed struct {
	key     string
	names   birge.Names
	country string
	centers []centerSeed
}

// orgs are the organisations of shared/context: the Family Preservation Centre in Aktobe
// (opened 15 May 2019) and its Kargaly office (July 2019); Mama Pro's centres in Almaty
// and Astana; the Belesteri rural business-grant programme; the Erke association of Aktobe;
// and the Kyrgyz "woman supports woman" leadership campaign.
var orgs = []orgSeed{
	{"fpc", birge.Names{KK: "Отбасын сақтау орталығы", RU: "Центр сохранения семьи", KY: "Үй-бүлөнү сактоо борбору", EN: "Family Preservation Centre"}, "KZ", []centerSeed{
		{"aktobe", birge.Names{KK: "Ақтөбе отбасы орталығы", RU: "Актюбинский центр семьи", KY: "Актөбө үй-бүлө борбору", EN: "Aktobe family centre"}, "family_center", "KZ15", "KZ151000", "Ақтөбе қ., Абай даңғылы, 1", "+77132000000"},
		{"kargaly", birge.Names{KK: "Қарғалы аудандық кеңсесі", RU: "Каргалинский районный офис", KY: "Каргалы райондук кеңсеси", EN: "Kargaly district office"}, "office", "KZ15", "KZ154000", "Бадамша а.", "+77134200000"},
	}},
	{"mamapro", birge.Names{KK: "Mama Pro", RU: "Mama Pro", KY: "Mama Pro", EN: "Mama Pro"}, "KZ", []centerSeed{
		{"almaty", birge.Names{KK: "Mama Pro Алматы", RU: "Mama Pro Алматы", KY: "Mama Pro Алматы", EN: "Mama Pro Almaty"}, "training_center", "KZ75", "", "Алматы қ.", "+77272000000"},
		{"astana", birge.Names{KK: "Mama Pro Астана", RU: "Mama Pro Астана", KY: "Mama Pro Астана", EN: "Mama Pro Astana"}, "training_center", "KZ71", "", "Астана қ.", "+77172000000"},
	}},
	{"belesteri", birge.Names{KK: "Belesteri ауыл әйелдеріне гранттар", RU: "Belesteri: гранты для сельских женщин", KY: "Belesteri: айыл аялдарына гранттар", EN: "Belesteri rural business grants"}, "KZ", []centerSeed{
		{"office", birge.Names{KK: "Belesteri бағдарлама кеңсесі", RU: "Офис программы Belesteri", KY: "Belesteri программасынын кеңсеси", EN: "Belesteri programme office"}, "office", "KZ75", "", "Алматы қ.", ""},
	}},
	{"erke", birge.Names{KK: "«Ерке» белсенді әйелдер қоғамдық бірлестігі", RU: "Общественное объединение активных женщин «Ерке»", KY: "«Ерке» активдүү аялдар коомдук бирикмеси", EN: "Erke association of active women"}, "KZ", []centerSeed{
		{"aktobe", birge.Names{KK: "«Ерке» Ақтөбе", RU: "«Ерке» Актобе", KY: "«Ерке» Актөбө", EN: "Erke Aktobe"}, "office", "KZ15", "KZ151000", "", ""},
	}},
	{"campaign", birge.Names{KK: "«Әйел әйелді қолдайды» науқаны", RU: "Кампания «Женщина поддерживает женщину»", KY: "«Аял аялды колдойт» өнөктүгү", EN: "Woman Supports Woman campaign"}, "KG", []centerSeed{
		{"bishkek", birge.Names{KK: "Бішкек кеңсесі", RU: "Бишкекский офис", KY: "Бишкек кеңсеси", EN: "Bishkek office"}, "office", "KG-GB", "", "", "+996312000000"},
	}},
}

// users: one per role, each where that role works in the stories.
var users = []struct {
	email, name, lang string
	role              birge.Role
	org, center       string // keys; empty org = whole installation
}{
	{"admin@birge.example", "Әсел Админова", "kk", birge.RoleAdmin, "", ""},
	{"fpc.admin@birge.example", "Бибігүл Халел", "kk", birge.RoleAdmin, "fpc", ""},
	{"coordinator@birge.example", "Айгүл Серікова", "ru", birge.RoleCoordinator, "fpc", "aktobe"},
	{"caseworker@birge.example", "Гүлнар Жұмабаева", "kk", birge.RoleCaseWorker, "fpc", "kargaly"},
	{"trainer@birge.example", "Айжан Алжанова", "kk", birge.RoleTrainer, "mamapro", "almaty"},
	{"grants@birge.example", "Ляззат Асқарова", "ru", birge.RoleGrantOfficer, "belesteri", ""},
	{"reviewer@birge.example", "Sholpan Reviewer", "en", birge.RoleReviewer, "belesteri", ""},
	{"analyst@birge.example", "Dana Analyst", "en", birge.RoleAnalyst, "fpc", ""},
	{"viewer@birge.example", "Айнура Усупбекова", "ky", birge.RoleViewer, "campaign", ""},
}

// Load fills an empty database and returns the demo logins. It refuses a database that
// has organisations already, so it can never mix demo records into real ones.
func Load(ctx context.Context, st *store.Store) ([]Login, error) {
	sys := birge.System("demo")
	existing, err := st.ListOrgs(ctx, sys)
	if err != nil {
		return nil, err
	}
	if len(existing) > 0 {
		return nil, fmt.Errorf("the database has organisations already; demo data goes only into an empty one")
	}
	orgIDs, centerIDs := map[string]int64{}, map[string]int64{}
	for _, o := range orgs {
		org, err := st.CreateOrg(ctx, sys, birge.Organization{Names: o.names, Country: o.country})
		if err != nil {
			return nil, fmt.Errorf("organisation %s: %w", o.key, err)
		}
		orgIDs[o.key] = org.ID
		for _, c := range o.centers {
			tz := "Asia/Almaty"
			if o.country == "KG" {
				tz = "Asia/Bishkek"
			}
			ctr, err := st.CreateCenter(ctx, sys, birge.Center{OrgID: org.ID, Names: c.names, Type: c.typ,
				Country: o.country, Region: c.region, District: c.district, Address: c.address, Phone: c.phone, TimeZone: tz})
			if err != nil {
				return nil, fmt.Errorf("centre %s/%s: %w", o.key, c.key, err)
			}
			centerIDs[o.key+"/"+c.key] = ctr.ID
		}
	}
	var logins []Login
	for _, u := range users {
		g := birge.Grant{Role: u.role, OrgID: orgIDs[u.org]}
		where := "installation"
		if u.org != "" {
			where = u.org
		}
		if u.center != "" {
			g.CenterID = centerIDs[u.org+"/"+u.center]
			where += "/" + u.center
		}
		pw := password()
		if _, err := st.CreateUser(ctx, sys, store.NewUser{User: birge.User{Email: u.email, Name: u.name, Lang: u.lang,
			Grants: []birge.Grant{g}}, Password: pw}); err != nil {
			return nil, fmt.Errorf("user %s: %w", u.email, err)
		}
		logins = append(logins, Login{Email: u.email, Password: pw, Role: u.role, Where: where})
	}
	personIDs, err := loadPeople(ctx, st, sys, centerIDs)
	if err != nil {
		return nil, err
	}
	programIDs, err := loadPrograms(ctx, st, sys, orgIDs, centerIDs, personIDs)
	if err != nil {
		return nil, err
	}
	if err := loadDeliveries(ctx, st, sys, programIDs, personIDs); err != nil {
		return nil, err
	}
	if err := loadIndicators(ctx, st, sys, programIDs, personIDs); err != nil {
		return nil, err
	}
	if err := loadFunding(ctx, st, sys, orgIDs, programIDs); err != nil {
		return nil, err
	}
	if err := loadCases(ctx, st, sys, centerIDs, personIDs); err != nil {
		return nil, err
	}
	if err := loadServices(ctx, st, sys, orgIDs); err != nil {
		return nil, err
	}
	if err := loadTrainings(ctx, st, sys, orgIDs, centerIDs, programIDs); err != nil {
		return nil, err
	}
	return logins, nil
}

// password makes a random 16-letter password that is easy to type from a terminal.
func password() string {
	b := make([]byte, 10)
	rand.Read(b)
	return strings.ToLower(base32.StdEncoding.EncodeToString(b))
}
