package demo

import (
	"context"
	"fmt"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// programs are what the organisations of the stories run: Mama Pro's trainings for
// mothers of children with special needs (funded by its US$18,870 AEIF award), the Family
// Preservation Centre's mediation for couples and its counselling of survivors (a
// sensitive programme), Belesteri's business grants for rural women, and the campaign's
// leadership circles, not yet begun.
var programs = []struct {
	key, org     string
	centers      []string
	program      birge.Program
	participants map[string]string // person key → day she joined
}{
	{"mamapro-skills", "mamapro", []string{"mamapro/almaty", "mamapro/astana"}, birge.Program{
		Names: birge.Names{KK: "Mama Pro: кәсіпкерлік пен цифрлық дағдылар", RU: "Mama Pro: предпринимательство и цифровые навыки",
			KY: "Mama Pro: ишкердик жана санариптик көндүмдөр", EN: "Mama Pro: entrepreneurship and digital skills"},
		Descriptions: birge.Descriptions{
			KK: "Ерекше қажеттіліктері бар балалардың аналарына кәсіпкерлік, компьютерлік сауаттылық және копирайтинг бойынша тренингтер. AEIF гранты есебінен.",
			RU: "Тренинги по предпринимательству, компьютерной грамотности и копирайтингу для мам детей с особыми потребностями. На средства гранта AEIF.",
			KY: "Өзгөчө муктаждыктары бар балдардын апаларына ишкердик, компьютердик сабаттуулук жана копирайтинг боюнча тренингдер. AEIF грантынын эсебинен.",
			EN: "Trainings in entrepreneurship, computer literacy and copywriting for mothers of children with special needs. Funded by the AEIF award."},
		Kind: "training", StartsOn: "2026-02-01", EndsOn: "2026-12-20", Status: "active",
		Categories: []string{"special_needs_mother", "stay_at_home_mother", "self_employed"},
		SDGTargets: []string{"5.4", "5.5", "5.b"}}, map[string]string{"olga": "2026-02-03"}},
	{"fpc-mediation", "fpc", []string{"fpc/aktobe", "fpc/kargaly"}, birge.Program{
		Names: birge.Names{KK: "Отбасылық медиация", RU: "Семейная медиация", KY: "Үй-бүлөлүк медиация", EN: "Family mediation"},
		Descriptions: birge.Descriptions{
			KK: "Ерлі-зайыптыларға психолог пен медиатордың тегін көмегі: отбасы ішіндегі жанжалдарды шешу.",
			RU: "Бесплатная помощь психолога и медиаторов супружеским парам в разрешении внутрисемейных конфликтов.",
			KY: "Жубайларга психолог менен медиатордун акысыз жардамы: үй-бүлө ичиндеги чыр-чатактарды чечүү.",
			EN: "Free help of a psychologist and mediators for couples resolving conflicts in the family."},
		Kind: "counselling", StartsOn: "2026-01-10", Status: "active", Categories: []string{"large_family", "low_income"},
		SDGTargets: []string{"5.1", "5.4"}}, map[string]string{"dinara": "2026-03-12", "yerzhan": "2026-03-12"}},
	{"fpc-survivors", "fpc", []string{"fpc/kargaly"}, birge.Program{
		Names: birge.Names{KK: "Зорлық-зомбылықтан зардап шеккендерге кеңес", RU: "Консультации пострадавшим от насилия",
			KY: "Зордук-зомбулуктан жабыркагандарга кеңеш", EN: "Counselling of survivors of violence"},
		Kind: "counselling", StartsOn: "2026-01-10", Status: "active", Categories: []string{"dv_survivor", "rural"},
		SDGTargets: []string{"5.2"}, Sensitive: true}, map[string]string{"saule": "2026-04-02"}},
	// Belesteri's grants programme: its calls are announced in Birge (issue 13).
	{"belesteri-grants", "belesteri", nil, birge.Program{
		Names: birge.Names{KK: "Ауыл әйелдеріне бизнес-гранттар", RU: "Бизнес-гранты для сельских женщин",
			KY: "Айыл аялдарына бизнес-гранттар", EN: "Business grants for rural women"},
		Kind: "grants", StartsOn: "2026-01-15", Status: "active", Categories: []string{"rural"},
		SDGTargets: []string{"5.a"}}, nil},
	{"campaign-leadership", "campaign", []string{"campaign/bishkek"}, birge.Program{
		Names: birge.Names{KK: "Әйел әйелді қолдайды: көшбасшылық үйірмелері", RU: "Женщина поддерживает женщину: круги лидерства",
			KY: "Аял аялды колдойт: лидерлик ийримдери", EN: "Woman Supports Woman: leadership circles"},
		Kind: "leadership", StartsOn: "2027-02-01", EndsOn: "2027-06-30", Status: "planned",
		SDGTargets: []string{"5.5"}}, nil},
}

// loadPrograms creates the demo programmes and their participants, and returns their
// ids by key.
func loadPrograms(ctx context.Context, st *store.Store, sys *birge.Actor, orgIDs, centerIDs, personIDs map[string]int64) (map[string]int64, error) {
	ids := map[string]int64{}
	for _, d := range programs {
		p := d.program
		p.OrgID = orgIDs[d.org]
		for _, c := range d.centers {
			p.CenterIDs = append(p.CenterIDs, centerIDs[c])
		}
		created, err := st.Programs.Create(ctx, sys, p)
		if err != nil {
			return nil, fmt.Errorf("programme %s: %w", d.key, err)
		}
		ids[d.key] = created.ID
		for person, joined := range d.participants {
			if _, err := st.Programs.AddParticipant(ctx, sys, created.ID, birge.Participant{PersonID: personIDs[person], JoinedOn: joined}); err != nil {
				return nil, fmt.Errorf("programme %s, %s: %w", d.key, person, err)
			}
		}
	}
	return ids, nil
}
