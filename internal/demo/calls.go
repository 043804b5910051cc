package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// The demo's competitions (issue 13), so that a newcomer sees real figures: Belesteri's
// closed call "Business grants for rural women" — 650 business plans from the villages
// of Kazakhstan, 50 grants of US$4,000 — reviewed, decided and paid in tranches; its
// second round, open now, whose applications wait for reviewer@birge.example; and the
// Erke association's scholarships for gifted children of low-income families in Aktobe,
// renewed each school year. Everything goes through the store as it would in use: the
// applications through the public form on the days they came in (the store's clock is
// moved into the call's window while they are written, and put back), the reviews by
// each reviewer, the decision and the awards by the officers. LoadCalls is loaded with
// the history (`birge demo`, `serve --demo`), not by Load, the tests' small fixture.

// Sizes of the demo's competitions: the programme's real scale for the grants.
const (
	grantApplications  = 650
	grantReviewsPerApp = 2
	openApplications   = 10
	erkeApplications   = 40
)

// reviewerSeed is a demo reviewer LoadCalls adds; bias is how she scores against the
// others (a harsh one, a lenient one), for the fairness page to show.
type reviewerSeed struct {
	email, name, lang string
	org               string // English name of her organisation
	bias              int
}

var callReviewers = []reviewerSeed{
	{"reviewer2@birge.example", "Мөлдір Тәжібаева", "kk", "Belesteri rural business grants", -2},
	{"reviewer3@birge.example", "Ольга Ким", "ru", "Belesteri rural business grants", 2},
	{"erke.jury1@birge.example", "Гүлмира Қуанышева", "kk", "Erke association of active women", 0},
	{"erke.jury2@birge.example", "Светлана Ли", "ru", "Erke association of active women", 1},
}

// grantCriteria are how Belesteri scores a business plan: it "solves a problem of rural
// residents and brings real income".
var grantCriteria = []birge.CallCriterion{
	{Code: "rural_problem", Weight: 30, Max: 10, CallCriterionNames: birge.CallCriterionNames{
		KK: "Ауыл тұрғындарының мәселесін шешеді", RU: "Решает проблему сельских жителей",
		KY: "Айыл тургундарынын көйгөйүн чечет", EN: "Solves a problem of rural residents"}},
	{Code: "real_income", Weight: 30, Max: 10, CallCriterionNames: birge.CallCriterionNames{
		KK: "Нақты табыс әкеледі", RU: "Приносит реальный доход", KY: "Чыныгы киреше алып келет", EN: "Brings real income"}},
	{Code: "feasibility", Weight: 25, Max: 10, CallCriterionNames: birge.CallCriterionNames{
		KK: "Жүзеге асырылуы", RU: "Реализуемость", KY: "Ишке ашырылышы", EN: "Feasibility"}},
	{Code: "commitment", Weight: 15, Max: 10, CallCriterionNames: birge.CallCriterionNames{
		KK: "Табандылығы мен дайындығы", RU: "Целеустремлённость", KY: "Шыктуулугу жана даярдыгы", EN: "Commitment"}},
}

// scholarshipCriteria are how Erke's jury scores a child.
var scholarshipCriteria = []birge.CallCriterion{
	{Code: "results", Weight: 40, Max: 10, CallCriterionNames: birge.CallCriterionNames{
		KK: "Оқудағы үлгерімі", RU: "Успеваемость", KY: "Окуудагы жетишкендиги", EN: "School results"}},
	{Code: "olympiads", Weight: 30, Max: 10, CallCriterionNames: birge.CallCriterionNames{
		KK: "Олимпиадалар мен байқаулар", RU: "Олимпиады и конкурсы", KY: "Олимпиадалар жана сынактар", EN: "Olympiads and contests"}},
	{Code: "need", Weight: 30, Max: 10, CallCriterionNames: birge.CallCriterionNames{
		KK: "Отбасының мұқтаждығы", RU: "Нуждаемость семьи", KY: "Үй-бүлөнүн муктаждыгы", EN: "The family's need"}},
}

// villages are where applicants live, by region of Kazakhstan: mostly villages, and a
// town now and then (an applicant from a town is not eligible for a rural grant).
var villages = []struct {
	region string
	places []string
}{
	{"KZ15", []string{"Бадамша", "Қобда", "Мәртөк", "Темір"}},
	{"KZ19", []string{"Шамалған", "Ұзынағаш", "Қаскелең", "Есік"}},
	{"KZ31", []string{"Мерке", "Қордай", "Шу", "Сарыкемер"}},
	{"KZ61", []string{"Сарыағаш", "Шардара", "Ленгер", "Түлкібас"}},
	{"KZ43", []string{"Шиелі", "Жаңақорған", "Тереңөзек", "Әйтеке би"}},
	{"KZ39", []string{"Әулиекөл", "Федоровка", "Қарабалық", "Меңдіқара"}},
	{"KZ23", []string{"Мақат", "Индер", "Аққыстау", "Миялы"}},
	{"KZ63", []string{"Зайсан", "Күршім", "Үлкен Нарын", "Тарбағатай"}},
}

// towns are where the few urban applicants live.
var towns = map[string]string{"KZ15": "Ақтөбе", "KZ19": "Қонаев", "KZ31": "Тараз", "KZ61": "Түркістан",
	"KZ43": "Қызылорда", "KZ39": "Қостанай", "KZ23": "Атырау", "KZ63": "Өскемен"}

// businessPlans are the plans village women write, in the language each writes in.
var businessPlans = []struct{ lang, idea, problem, market, costs string }{
	{"kk", "Ауылда шағын наубайхана ашып, күн сайын нан пісіремін.", "Ауылда нан дүкені жоқ, нанды аудан орталығынан апта сайын әкеледі.",
		"Ауыл тұрғындары, мектеп асханасы және екі дүкен.", "Нан пісіретін пеш — 2 300 доллар\nҚамыр илегіш — 900 доллар\nҰн мен ашытқы — 500 доллар"},
	{"ru", "Мини-цех по пошиву школьной формы и постельного белья.", "Школьную форму возят из города, дорого и не по размеру.",
		"Родители трёх школ района, районный рынок.", "Две промышленные швейные машины — 1 800 долларов\nОверлок — 700 долларов\nТкань — 1 200 долларов"},
	{"kk", "Сүт қабылдау пункті және ірімшік, құрт жасау.", "Ауыл әйелдері сүтті арзанға алыпсатарға өткізеді немесе төгеді.",
		"Аудандық базар, қалалық дүкендер, көршілер.", "Сүт салқындатқыш — 2 500 доллар\nСепаратор — 600 доллар\nЫдыс-аяқ — 400 доллар"},
	{"ru", "Теплица для ранних овощей и рассады.", "Весной овощи и рассаду в село привозят втридорога.",
		"Жители села и соседних аулов, сельский магазин.", "Каркас и плёнка теплицы — 2 000 долларов\nКапельный полив — 800 долларов\nСемена и грунт — 400 долларов"},
	{"kk", "Ауылда шаштараз және сұлулық салоны.", "Шаш қидыру үшін әйелдер 60 шақырым жердегі аудан орталығына барады.",
		"Ауыл әйелдері мен қыздары, той алдындағы клиенттер.", "Кресло мен айна — 900 доллар\nҚұрал-жабдықтар — 1 100 доллар\nЖөндеу — 1 000 доллар"},
	{"ru", "Птицеферма на 300 кур-несушек.", "Яйца в село привозят из города, часто несвежие.",
		"Сельский магазин, школьная столовая, соседи.", "Птичник — 1 500 долларов\nКуры — 1 200 долларов\nКорма на три месяца — 900 долларов"},
	{"kk", "Киіз үй жабдықтары мен ұлттық бұйымдар тігу цехы.", "Ауылдағы шеберлердің бұйымдары сатылмай жатыр, жастар жұмыссыз.",
		"Туристер, той жасайтындар, онлайн дүкен.", "Тігін машинасы — 1 200 доллар\nКиіз бен жүн — 1 000 доллар\nФото және сайт — 300 доллар"},
	{"ru", "Пункт мелкого ремонта бытовой техники и телефонов.", "Сломанную технику приходится везти в райцентр за 80 км.",
		"Жители трёх сёл, школа и амбулатория.", "Инструменты и паяльная станция — 1 300 долларов\nЗапчасти — 900 долларов\nАренда помещения на год — 1 200 долларов"},
	{"kk", "Балаларға арналған шағын балабақша (мини-орталық).", "Ауылда балабақша жоқ, аналар жұмысқа шыға алмайды.",
		"Жас отбасылар, жұмыс істейтін аналар.", "Жиһаз бен ойыншықтар — 1 600 доллар\nЖөндеу — 1 400 доллар\nЫдыс және төсек-орын — 600 доллар"},
	{"ru", "Сушка фруктов и производство домашних компотов.", "Урожай абрикосов и яблок в сезон пропадает, перекупщики платят копейки.",
		"Магазины райцентра, оптовики, интернет-продажи.", "Сушильная камера — 2 200 долларов\nБанки и крышки — 500 долларов\nЭтикетки и сертификат — 400 долларов"},
}

// reviewComments are what reviewers write, by their language.
var reviewComments = map[string][]string{
	"en": {"A clear plan; the costs are realistic.", "Good idea, but the market is not described well.",
		"Strong local need; income estimate seems optimistic.", "Feasible with the equipment listed."},
	"kk": {"Жоспар нақты, шығындар шынайы.", "Идея жақсы, бірақ нарық толық сипатталмаған.",
		"Ауылға шынымен қажет, табыс болжамы тым жоғары.", "Көрсетілген құрал-жабдықпен жүзеге асады."},
	"ru": {"План понятный, расходы реалистичные.", "Идея хорошая, но рынок описан слабо.",
		"Сельская потребность очевидна, доход оценён оптимистично.", "Реализуемо с указанным оборудованием."},
}

// LoadCalls loads the demo's competitions into a database that has the demo already
// (Load): Belesteri's closed call with its reviews, decisions and awards, its open second
// round, and Erke's scholarship round. The grant officer is given Erke too (a user may
// hold several grants); the reviewers it adds are returned as logins.
func LoadCalls(ctx context.Context, st *store.Store) ([]Login, error) {
	sys := birge.System("demo")
	orgs, err := st.ListOrgs(ctx, sys)
	if err != nil {
		return nil, err
	}
	orgIDs := map[string]int64{}
	for _, o := range orgs {
		orgIDs[o.Names.EN] = o.ID
	}
	belesteri, erke := orgIDs["Belesteri rural business grants"], orgIDs["Erke association of active women"]
	if belesteri == 0 || erke == 0 {
		return nil, fmt.Errorf("no Belesteri or Erke: load the demo first")
	}
	officer, err := userActor(ctx, st, "grants@birge.example")
	if err != nil {
		return nil, err
	}
	if _, err := st.AddGrant(ctx, sys, birge.Grant{UserID: officer.UserID, Role: birge.RoleGrantOfficer, OrgID: erke}); err != nil {
		return nil, fmt.Errorf("the grant officer at Erke: %w", err)
	}
	if officer, err = userActor(ctx, st, "grants@birge.example"); err != nil {
		return nil, err
	}
	reviewer, err := userActor(ctx, st, "reviewer@birge.example")
	if err != nil {
		return nil, err
	}
	var logins []Login
	jury := map[int64][]*birge.Actor{belesteri: {reviewer}}
	bias := map[int64]int{}
	for _, r := range callReviewers {
		org := orgIDs[r.org]
		pw := password()
		u, err := st.CreateUser(ctx, sys, store.NewUser{User: birge.User{Email: r.email, Name: r.name, Lang: r.lang,
			Grants: []birge.Grant{{Role: birge.RoleReviewer, OrgID: org}}}, Password: pw})
		if err != nil {
			return nil, fmt.Errorf("user %s: %w", r.email, err)
		}
		jury[org] = append(jury[org], &birge.Actor{UserID: u.ID, Name: u.Name, Lang: u.Lang, Grants: u.Grants})
		bias[u.ID] = r.bias
		where := "belesteri"
		if org == erke {
			where = "erke"
		}
		logins = append(logins, Login{Email: r.email, Password: pw, Role: birge.RoleReviewer, Where: where})
	}
	clock := st.Clock()
	defer st.SetClock(clock)
	now := st.Now()
	if err := grantCall(ctx, st, officer, belesteri, jury[belesteri], bias, now); err != nil {
		return nil, fmt.Errorf("the business-grant call: %w", err)
	}
	if err := openCall(ctx, st, officer, belesteri, reviewer, now); err != nil {
		return nil, fmt.Errorf("the open call: %w", err)
	}
	if err := erkeRound(ctx, st, officer, erke, jury[erke], bias, now); err != nil {
		return nil, fmt.Errorf("the Erke round: %w", err)
	}
	return logins, nil
}

// userActor is the demo user of email as the store would see her signed in.
func userActor(ctx context.Context, st *store.Store, email string) (*birge.Actor, error) {
	id, err := st.UserIDByEmail(ctx, email)
	if err != nil {
		return nil, fmt.Errorf("user %s: %w", email, err)
	}
	u, err := st.GetUser(ctx, birge.System("demo"), id)
	if err != nil {
		return nil, err
	}
	return &birge.Actor{UserID: u.ID, Name: u.Name, Lang: u.Lang, Grants: u.Grants}, nil
}

// at sets the store's clock to t: what follows happens then.
func at(st *store.Store, t time.Time) { st.SetClock(func() time.Time { return t }) }

// programID is the id of the organisation's programme named en in English.
func programID(ctx context.Context, st *store.Store, orgID int64, en string) (int64, error) {
	list, err := st.Programs.List(ctx, birge.System("demo"), store.ProgramFilter{})
	if err != nil {
		return 0, err
	}
	for _, p := range list {
		if p.OrgID == orgID && p.Names.EN == en {
			return p.ID, nil
		}
	}
	return 0, fmt.Errorf("no programme %q", en)
}

// raw is v as an answer of the public form.
func raw(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

// applicant is the i-th applicant from the demo's name generator: a woman of a village
// (every 40th of a town) of one of the regions, aged 20 to 58 when she applied (every
// 90th past 60), with a phone in a block no operator uses.
func applicant(r *rand.Rand, i int, applied time.Time) birge.Applicant {
	name := familyNames[r.IntN(len(familyNames))]
	v := villages[r.IntN(len(villages))]
	a := birge.Applicant{FamilyName: name[1], GivenName: givenNames[r.IntN(len(givenNames))],
		Phones: []string{fmt.Sprintf("+77009%06d", i)}, Region: v.region, Settlement: v.places[r.IntN(len(v.places))],
		Rural: true, HouseholdMembers: 2 + r.IntN(6)}
	if r.IntN(2) == 0 {
		a.Patronymic = fathers[r.IntN(len(fathers))] + "қызы"
	}
	age := 20 + r.IntN(39)
	if i%40 == 39 {
		a.Rural, a.Settlement = false, towns[v.region]
	}
	if i%90 == 89 {
		age = 61 + r.IntN(4)
	}
	a.BirthDate = applied.AddDate(-age, -r.IntN(12), -r.IntN(28)).Format(time.DateOnly)
	return a
}

// submitAll sends n applications to a call through the public form, each on its day
// between from and to (the store's clock is set to it), as fill writes them; the
// applicants are numbered from first, each with her own address.
func submitAll(ctx context.Context, st *store.Store, callID int64, first, n int, from, to time.Time,
	fill func(i int, applied time.Time) store.ApplicationInput) error {
	for i := range n {
		applied := from.Add(time.Duration(i+1) * to.Sub(from) / time.Duration(n+1))
		at(st, applied)
		in := fill(i, applied)
		// Each from her own phone's address, as the public form sees them.
		ip := fmt.Sprintf("100.64.%d.%d", (first+i)/250, 1+(first+i)%250)
		if _, err := st.Applications.Save(ctx, ip, callID, in); err != nil {
			return fmt.Errorf("application %d: %w %v", i, err, birge.AsError(err))
		}
	}
	return nil
}

// reviewAll has every application of a call reviewed by the reviewers assigned to it:
// each scores quality (0–10 by application) give or take her bias and a point of
// disagreement; the applications in conflicts are declared by their first reviewer, and
// scored by whom the store puts in her place.
func reviewAll(ctx context.Context, st *store.Store, callID int64, jury []*birge.Actor, bias map[int64]int,
	criteria []birge.CallCriterion, quality func(appID int64) int, conflicts map[int]bool) error {
	as, err := st.Calls.Assignments(ctx, birge.System("demo"), callID)
	if err != nil {
		return err
	}
	byID := map[int64]*birge.Actor{}
	for _, a := range jury {
		byID[a.UserID] = a
	}
	var order []int64
	onApp := map[int64][]int64{}
	for _, it := range as.Items {
		if len(onApp[it.ApplicationID]) == 0 {
			order = append(order, it.ApplicationID)
		}
		onApp[it.ApplicationID] = append(onApp[it.ApplicationID], it.ReviewerID)
	}
	for n, app := range order {
		r := rand.New(rand.NewPCG(13, uint64(app)))
		for k, id := range onApp[app] {
			if k == 0 && conflicts[n] {
				res, err := st.Calls.SubmitReview(ctx, byID[id], app, store.ReviewInput{Conflict: true})
				if err != nil {
					return err
				}
				if res.ReplacedBy == 0 {
					return fmt.Errorf("nobody replaced the conflicted reviewer of application %d", app)
				}
				id = res.ReplacedBy
			}
			rv := byID[id]
			in := store.ReviewInput{Scores: map[string]int{}, Comment: reviewComments[rv.Lang][r.IntN(4)]}
			for _, c := range criteria {
				in.Scores[c.Code] = max(0, min(c.Max, quality(app)+bias[id]+r.IntN(3)-1))
			}
			if _, err := st.Calls.SubmitReview(ctx, rv, app, in); err != nil {
				return fmt.Errorf("review of application %d: %w", app, err)
			}
		}
	}
	return nil
}

// grantCall is Belesteri's closed call: opened six months ago, closed four and a half
// months ago, reviewed in the two weeks after, decided, then awarded.
func grantCall(ctx context.Context, st *store.Store, officer *birge.Actor, orgID int64, jury []*birge.Actor,
	bias map[int64]int, now time.Time) error {
	program, err := programID(ctx, st, orgID, "Business grants for rural women")
	if err != nil {
		return err
	}
	opens, closes := now.AddDate(0, -6, 0).Truncate(time.Hour), now.AddDate(0, -4, -15).Truncate(time.Hour)
	at(st, opens.Add(-7*24*time.Hour))
	call, err := st.Calls.Create(ctx, officer, birge.Call{OrgID: orgID, Kind: "business_grant", ProgramID: program,
		CallTitles: birge.CallTitles{KK: "Ауыл әйелдеріне бизнес-гранттар", RU: "Бизнес-гранты для сельских женщин",
			KY: "Айыл аялдарына бизнес-гранттар", EN: "Business grants for rural women"},
		CallTexts: birge.CallTexts{
			KK: "Ауылда тұратын 18–60 жастағы әйелдерге 4 000 доллар көлеміндегі 50 грант. Бизнес ауыл тұрғындарының мәселесін шешіп, нақты табыс әкелуі керек.",
			RU: "50 грантов по 4 000 долларов для женщин 18–60 лет, живущих в селе. Бизнес должен решать проблему сельских жителей и приносить реальный доход.",
			KY: "Айылда жашаган 18–60 жаштагы аялдарга 4 000 доллардан 50 грант. Бизнес айыл тургундарынын көйгөйүн чечип, чыныгы киреше алып келиши керек.",
			EN: "50 grants of US$4,000 for women aged 18 to 60 who live in a village. The business must solve a problem of rural residents and bring real income."},
		OpensAt: opens, ClosesAt: closes, Budget: birge.Money{Amount: 20_000_000, Currency: "USD"},
		AwardAmount: birge.Money{Amount: 400_000, Currency: "USD"}, Awards: 50, Criteria: grantCriteria,
		Eligibility: birge.CallEligibility{RuralOnly: true, AgeMin: 18, AgeMax: 60}, Status: birge.CallOpen})
	if err != nil {
		return err
	}
	// What she answers follows her plan; the expected income and jobs vary with it.
	quality := map[int64]int{}
	if err := submitAll(ctx, st, call.ID, 0, grantApplications, opens, closes, func(i int, applied time.Time) store.ApplicationInput {
		r := rand.New(rand.NewPCG(17, uint64(i)))
		plan := businessPlans[r.IntN(len(businessPlans))]
		return store.ApplicationInput{Applicant: applicant(r, i, applied), Language: plan.lang, Submit: true,
			Answers: map[string]json.RawMessage{"idea": raw(plan.idea), "problem": raw(plan.problem), "market": raw(plan.market),
				"costs": raw(plan.costs), "own_contribution": raw(birge.Money{Amount: int64(20_000 + r.IntN(20)*5_000), Currency: "USD"}),
				"monthly_income": raw(birge.Money{Amount: int64(40_000 + r.IntN(30)*5_000), Currency: "USD"}), "jobs": raw(1 + r.IntN(4))}}
	}); err != nil {
		return err
	}
	// Reviewed in the fortnight after the call closed.
	at(st, closes.Add(3*24*time.Hour))
	pool := store.ReviewPool{PerApplication: grantReviewsPerApp}
	for _, a := range jury {
		pool.Reviewers = append(pool.Reviewers, birge.CallReviewer{UserID: a.UserID})
	}
	if _, err := st.Calls.Assign(ctx, officer, call.ID, pool); err != nil {
		return err
	}
	at(st, closes.Add(10*24*time.Hour))
	if err := reviewAll(ctx, st, call.ID, jury, bias, grantCriteria, func(app int64) int {
		if q, ok := quality[app]; ok {
			return q
		}
		quality[app] = 2 + rand.New(rand.NewPCG(19, uint64(app))).IntN(8)
		return quality[app]
	}, map[int]bool{7: true, 311: true}); err != nil {
		return err
	}
	at(st, closes.Add(17*24*time.Hour))
	if _, err := st.Calls.Decide(ctx, officer, call.ID, birge.DecisionRequest{Shortlist: 25, Confirm: true}); err != nil {
		return err
	}
	at(st, now)
	_, err = CallAwards(ctx, st, call.ID)
	return err
}

// openCall is the grants programme's second round, open now and closing in a month: ten
// applications in, all waiting for reviewer@birge.example's scores, and one woman's draft.
func openCall(ctx context.Context, st *store.Store, officer *birge.Actor, orgID int64, reviewer *birge.Actor, now time.Time) error {
	program, err := programID(ctx, st, orgID, "Business grants for rural women")
	if err != nil {
		return err
	}
	opens, closes := now.AddDate(0, 0, -14).Truncate(time.Hour), now.AddDate(0, 1, 0).Truncate(time.Hour)
	at(st, opens.Add(-3*24*time.Hour))
	call, err := st.Calls.Create(ctx, officer, birge.Call{OrgID: orgID, Kind: "business_grant", ProgramID: program,
		CallTitles: birge.CallTitles{KK: "Ауыл әйелдеріне бизнес-гранттар: екінші кезең", RU: "Бизнес-гранты для сельских женщин: второй раунд",
			KY: "Айыл аялдарына бизнес-гранттар: экинчи этап", EN: "Business grants for rural women: second round"},
		CallTexts: birge.CallTexts{
			KK: "Ауылда тұратын 18–60 жастағы әйелдерге 4 000 доллар көлеміндегі 10 грант.",
			RU: "10 грантов по 4 000 долларов для женщин 18–60 лет, живущих в селе.",
			KY: "Айылда жашаган 18–60 жаштагы аялдарга 4 000 доллардан 10 грант.",
			EN: "10 grants of US$4,000 for women aged 18 to 60 who live in a village."},
		OpensAt: opens, ClosesAt: closes, Budget: birge.Money{Amount: 4_000_000, Currency: "USD"},
		AwardAmount: birge.Money{Amount: 400_000, Currency: "USD"}, Awards: 10, Criteria: grantCriteria,
		Eligibility: birge.CallEligibility{RuralOnly: true, AgeMin: 18, AgeMax: 60}, Status: birge.CallOpen})
	if err != nil {
		return err
	}
	answers := func(r *rand.Rand) (string, map[string]json.RawMessage) {
		plan := businessPlans[r.IntN(len(businessPlans))]
		return plan.lang, map[string]json.RawMessage{"idea": raw(plan.idea), "problem": raw(plan.problem),
			"market": raw(plan.market), "costs": raw(plan.costs), "own_contribution": raw(birge.Money{Amount: 30_000, Currency: "USD"}),
			"monthly_income": raw(birge.Money{Amount: 60_000 + int64(r.IntN(10))*5_000, Currency: "USD"}), "jobs": raw(1 + r.IntN(3))}
	}
	if err := submitAll(ctx, st, call.ID, grantApplications, openApplications, opens, now.Add(-time.Hour), func(i int, applied time.Time) store.ApplicationInput {
		r := rand.New(rand.NewPCG(23, uint64(i)))
		a := applicant(r, grantApplications+i, applied)
		a.Rural, a.BirthDate = true, applied.AddDate(-25-i, 0, 0).Format(time.DateOnly) // all eligible, to be reviewed
		lang, ans := answers(r)
		return store.ApplicationInput{Applicant: a, Language: lang, Answers: ans, Submit: true}
	}); err != nil {
		return err
	}
	// Her draft: the idea written, the rest to come back to.
	at(st, now.Add(-2*time.Hour))
	if _, err := st.Applications.Save(ctx, "100.64.99.1", call.ID, store.ApplicationInput{
		Applicant: birge.Applicant{GivenName: "Ақбота", Region: "KZ15", Rural: true}, Language: "kk",
		Answers: map[string]json.RawMessage{"idea": raw("Ауылда дәріхана ашу")}}); err != nil {
		return err
	}
	at(st, now.Add(-time.Hour))
	_, err = st.Calls.Assign(ctx, officer, call.ID, store.ReviewPool{PerApplication: 1,
		Reviewers: []birge.CallReviewer{{UserID: reviewer.UserID}}})
	return err
}

// schools are the Aktobe region's schools Erke's children go to.
var schools = []string{"Ақтөбе қ., №21 мектеп-гимназия", "Ақтөбе қ., Назарбаев Зияткерлік мектебі",
	"Қарғалы ауд., Бадамша орта мектебі", "Ақтөбе қ., №6 лицей", "Мәртөк ауд., №1 орта мектеп", "Ақтөбе қ., №4 физика-математика мектебі"}

// olympiads are what gifted children have won.
var olympiads = []string{"Облыстық математика олимпиадасы, II орын", "Республикалық «Дарын» физика олимпиадасы, III орын",
	"Областная олимпиада по химии, I место", "Қалалық ағылшын тілі байқауы, I орын", "", "Облыстық шахмат турнирі, жеңімпаз"}

// erkeRound is Erke's round of scholarships for gifted children from low-income
// families of the Aktobe region: a year and a half ago, twelve scholarships of 300,000
// tenge a school year, renewed each September on results.
func erkeRound(ctx context.Context, st *store.Store, officer *birge.Actor, orgID int64, jury []*birge.Actor,
	bias map[int64]int, now time.Time) error {
	centers, err := st.ListCenters(ctx, birge.System("demo"), store.CenterFilter{})
	if err != nil {
		return err
	}
	var office int64
	for _, c := range centers {
		if c.OrgID == orgID {
			office = c.ID
		}
	}
	opens, closes := now.AddDate(0, -20, 0).Truncate(time.Hour), now.AddDate(0, -18, 0).Truncate(time.Hour)
	at(st, opens.Add(-14*24*time.Hour))
	program, err := st.Programs.Create(ctx, birge.System("demo"), birge.Program{OrgID: orgID, CenterIDs: []int64{office},
		Names: birge.Names{KK: "Дарынды балаларға «Ерке» стипендиясы", RU: "Стипендии «Ерке» одарённым детям",
			KY: "Таланттуу балдарга «Ерке» стипендиясы", EN: "Erke scholarships for gifted children"},
		Descriptions: birge.Descriptions{
			KK: "Ақтөбе облысындағы аз қамтылған отбасылардың дарынды балаларына оқу жылына стипендия.",
			RU: "Стипендии на учебный год одарённым детям из малообеспеченных семей Актюбинской области.",
			KY: "Актөбө облусундагы аз камсыз болгон үй-бүлөлөрдүн таланттуу балдарына окуу жылына стипендия.",
			EN: "A scholarship for the school year for gifted children from low-income families of the Aktobe region."},
		Kind: "scholarships", StartsOn: opens.AddDate(0, -1, 0).Format(time.DateOnly), Status: "active",
		Categories: []string{"low_income"}, SDGTargets: []string{"5.1", "5.5"}})
	if err != nil {
		return err
	}
	call, err := st.Calls.Create(ctx, officer, birge.Call{OrgID: orgID, Kind: "scholarship", ProgramID: program.ID,
		CallTitles: birge.CallTitles{KK: "«Ерке» стипендиясы: дарынды балаларға", RU: "Стипендия «Ерке» для одарённых детей",
			KY: "«Ерке» стипендиясы: таланттуу балдарга", EN: "Erke scholarships for gifted children"},
		CallTexts: birge.CallTexts{
			KK: "Ақтөбе облысындағы аз қамтылған отбасылардың дарынды балаларына оқу жылына 300 000 теңгеден 12 стипендия. Нәтижесі жақсы болса, стипендия жыл сайын ұзартылады.",
			RU: "12 стипендий по 300 000 тенге на учебный год одарённым детям из малообеспеченных семей Актюбинской области. При хороших результатах стипендия продлевается каждый год.",
			KY: "Актөбө облусундагы аз камсыз болгон үй-бүлөлөрдүн таланттуу балдарына окуу жылына 300 000 теңгеден 12 стипендия. Натыйжалары жакшы болсо, стипендия жыл сайын узартылат.",
			EN: "12 scholarships of 300,000 tenge a school year for gifted children from low-income families of the Aktobe region, renewed each year on good results."},
		OpensAt: opens, ClosesAt: closes, Regions: []string{"KZ15"}, Budget: birge.Money{Amount: 360_000_000, Currency: "KZT"},
		AwardAmount: birge.Money{Amount: 30_000_000, Currency: "KZT"}, Awards: 12, Criteria: scholarshipCriteria,
		Eligibility: birge.CallEligibility{IncomePerMember: &birge.Money{Amount: 7_000_000, Currency: "KZT"}},
		Status:      birge.CallOpen})
	if err != nil {
		return err
	}
	aktobe := villages[0]
	if err := submitAll(ctx, st, call.ID, grantApplications+openApplications, erkeApplications, opens, closes, func(i int, applied time.Time) store.ApplicationInput {
		r := rand.New(rand.NewPCG(29, uint64(i)))
		a := applicant(r, grantApplications+openApplications+i, applied)
		a.Region, a.Settlement, a.Rural = "KZ15", aktobe.places[r.IntN(len(aktobe.places))], r.IntN(2) == 0
		if !a.Rural {
			a.Settlement = towns["KZ15"]
		}
		a.BirthDate = applied.AddDate(-30-r.IntN(15), 0, -r.IntN(300)).Format(time.DateOnly)
		// A month's income per member of 30,000 to 65,000 tenge; every eighth family's is above the bar.
		perMember := int64(3_000_000 + r.IntN(8)*500_000)
		if i%8 == 7 {
			perMember = 9_000_000
		}
		a.HouseholdMembers = 3 + r.IntN(5)
		income := birge.Money{Amount: perMember * int64(a.HouseholdMembers), Currency: "KZT"}
		a.HouseholdIncome = &income
		child := givenNames[r.IntN(len(givenNames))] + " " + a.FamilyName
		return store.ApplicationInput{Applicant: a, Language: []string{"kk", "ru"}[i%2], Submit: true,
			Answers: map[string]json.RawMessage{"child_name": raw(child),
				"child_birth_date": raw(applied.AddDate(-10-r.IntN(6), -r.IntN(12), 0).Format(time.DateOnly)),
				"school":           raw(schools[r.IntN(len(schools))]), "grade": raw(4 + r.IntN(7)),
				"olympiads":         raw(olympiads[r.IntN(len(olympiads))]),
				"exam_results":      raw(fmt.Sprintf("Орташа баға: %d,%d / 5", 4, 2+r.IntN(8))),
				"household_members": raw(a.HouseholdMembers), "household_income": raw(income)}}
	}); err != nil {
		return err
	}
	at(st, closes.Add(5*24*time.Hour))
	pool := store.ReviewPool{PerApplication: 2}
	for _, a := range jury {
		pool.Reviewers = append(pool.Reviewers, birge.CallReviewer{UserID: a.UserID})
	}
	if _, err := st.Calls.Assign(ctx, officer, call.ID, pool); err != nil {
		return err
	}
	at(st, closes.Add(12*24*time.Hour))
	if err := reviewAll(ctx, st, call.ID, jury, bias, scholarshipCriteria, func(app int64) int {
		return 4 + rand.New(rand.NewPCG(31, uint64(app))).IntN(6)
	}, nil); err != nil {
		return err
	}
	at(st, closes.Add(20*24*time.Hour))
	if _, err := st.Calls.Decide(ctx, officer, call.ID, birge.DecisionRequest{Shortlist: 5, Confirm: true}); err != nil {
		return err
	}
	at(st, now)
	_, err = CallAwards(ctx, st, call.ID)
	return err
}
