package birge

import (
	"encoding/json"
	"strconv"
)

// CallField is one question of a call's application form. The form is a list of fields;
// consecutive fields of one section make a step of the public form.
type CallField struct {
	Code     string       `json:"code"` // the key of her answer
	Section  string       `json:"section"`
	Type     string       `json:"type"`
	Required bool         `json:"required"`
	Options  []CallOption `json:"options"` // the choices of a choice field; none for others
	CallLabels
}

// CallOption is one choice of a choice field.
type CallOption struct {
	Code string `json:"code"`
	CallLabels
}

// CallLabels is a field's or an option's label in each of the four languages.
type CallLabels struct {
	KK string `json:"label_kk"`
	RU string `json:"label_ru"`
	KY string `json:"label_ky"`
	EN string `json:"label_en"`
}

// In returns the label in lang, with the fallbacks of Names.In.
func (l CallLabels) In(lang string) string { return Names(l).In(lang) }

// CallFieldTypes are the kinds of answer a field takes.
var CallFieldTypes = []string{"text", "longtext", "number", "money", "choice", "date", "file"}

// CallSections group a form's fields into the steps of the public form, in display order.
var CallSections = []string{"business", "finance", "child", "results", "household", "documents", "other"}

// MaxCallOptions bounds a choice field.
const MaxCallOptions = 50

// checkCallForm checks a form: at most MaxCallFields fields, each with a unique code, a
// known type and section, labels in the four languages, and options for a choice only.
func checkCallForm(pr Problems, form []CallField) {
	if len(form) > MaxCallFields {
		pr.Add("form", "call.too_many_fields")
	}
	seen := map[string]bool{}
	for i := range form {
		f := &form[i]
		at := "form[" + strconv.Itoa(i) + "]."
		switch {
		case !code.MatchString(f.Code):
			pr.Add(at+"code", "call.code")
		case seen[f.Code]:
			pr.Add(at+"code", "call.code_taken")
		}
		seen[f.Code] = true
		if !oneOf(f.Type, CallFieldTypes) {
			pr.Add(at+"type", "field.choose")
		}
		if !oneOf(f.Section, CallSections) {
			pr.Add(at+"section", "field.choose")
		}
		checkLabels(pr, at, f.CallLabels)
		if f.Options == nil {
			f.Options = []CallOption{}
		}
		switch {
		case f.Type == "choice" && len(f.Options) < 2:
			pr.Add(at+"options", "call.options_few")
		case f.Type != "choice" && len(f.Options) > 0:
			pr.Add(at+"options", "call.options_not_choice")
		case len(f.Options) > MaxCallOptions:
			pr.Add(at+"options", "call.options_many")
		}
		taken := map[string]bool{}
		for j, o := range f.Options {
			oat := at + "options[" + strconv.Itoa(j) + "]."
			switch {
			case !code.MatchString(o.Code):
				pr.Add(oat+"code", "call.code")
			case taken[o.Code]:
				pr.Add(oat+"code", "call.code_taken")
			}
			taken[o.Code] = true
			checkLabels(pr, oat, o.CallLabels)
		}
	}
}

func checkLabels(pr Problems, at string, l CallLabels) {
	for _, lang := range Langs {
		pr.Add(at+"label_"+lang, CheckText(Names(l).get(lang), true, MaxName, false))
	}
}

func sameJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// DefaultCallForm is the form a new call of a kind starts with, for the officer to edit
// before the call opens: for a business grant, the idea, the problem it solves for the
// village, market and customers, costs, her own contribution, the income expected and the
// jobs; for a scholarship, the child, school, results and household. A fresh copy each
// time: a call's form is its own.
func DefaultCallForm(kind string) []CallField {
	var src []CallField
	switch kind {
	case "business_grant":
		src = businessGrantForm
	case "scholarship":
		src = scholarshipForm
	default:
		src = otherForm
	}
	out := make([]CallField, len(src))
	for i, f := range src {
		f.Options = []CallOption{}
		out[i] = f
	}
	return out
}

var businessGrantForm = []CallField{
	{Code: "idea", Section: "business", Type: "longtext", Required: true, CallLabels: CallLabels{
		KK: "Бизнес идеяңыз: не істейсіз, не сатасыз?",
		RU: "Ваша бизнес-идея: что вы будете делать или продавать?",
		KY: "Бизнес идеяңыз: эмне кыласыз, эмне сатасыз?",
		EN: "Your business idea: what will you make or sell?"}},
	{Code: "problem", Section: "business", Type: "longtext", Required: true, CallLabels: CallLabels{
		KK: "Бұл бизнес ауыл тұрғындарының қандай мәселесін шешеді?",
		RU: "Какую проблему жителей села решит этот бизнес?",
		KY: "Бул бизнес айыл тургундарынын кандай көйгөйүн чечет?",
		EN: "What problem of the village's residents does it solve?"}},
	{Code: "market", Section: "business", Type: "longtext", Required: true, CallLabels: CallLabels{
		KK: "Тұтынушыларыңыз кімдер және олар қазір қайдан сатып алады?",
		RU: "Кто ваши покупатели и где они покупают сейчас?",
		KY: "Кардарларыңыз кимдер жана алар азыр кайдан сатып алышат?",
		EN: "Who are your customers, and where do they buy now?"}},
	{Code: "costs", Section: "finance", Type: "longtext", Required: true, CallLabels: CallLabels{
		KK: "Шығындар: не сатып аласыз және әрқайсысының бағасы",
		RU: "Расходы: что вы купите и сколько стоит каждая позиция",
		KY: "Чыгымдар: эмне сатып аласыз жана ар биринин баасы",
		EN: "Costs: what you will buy and the price of each item"}},
	{Code: "own_contribution", Section: "finance", Type: "money", Required: true, CallLabels: CallLabels{
		KK: "Өз салымыңыз", RU: "Ваш собственный вклад", KY: "Өз салымыңыз", EN: "Your own contribution"}},
	{Code: "monthly_income", Section: "finance", Type: "money", Required: true, CallLabels: CallLabels{
		KK: "Күтілетін айлық табыс", RU: "Ожидаемый ежемесячный доход", KY: "Күтүлгөн айлык киреше",
		EN: "Expected monthly income"}},
	{Code: "jobs", Section: "finance", Type: "number", Required: true, CallLabels: CallLabels{
		KK: "Қанша жұмыс орны ашылады?", RU: "Сколько рабочих мест будет создано?",
		KY: "Канча жумуш орду ачылат?", EN: "How many jobs will it create?"}},
	{Code: "photos", Section: "documents", Type: "file", CallLabels: CallLabels{
		KK: "Фотосуреттер немесе құжаттар", RU: "Фотографии или документы", KY: "Сүрөттөр же документтер",
		EN: "Photos or documents"}},
}

var scholarshipForm = []CallField{
	{Code: "child_name", Section: "child", Type: "text", Required: true, CallLabels: CallLabels{
		KK: "Баланың аты-жөні", RU: "Имя и фамилия ребёнка", KY: "Баланын аты-жөнү", EN: "The child's name"}},
	{Code: "child_birth_date", Section: "child", Type: "date", Required: true, CallLabels: CallLabels{
		KK: "Баланың туған күні", RU: "Дата рождения ребёнка", KY: "Баланын туулган күнү", EN: "The child's date of birth"}},
	{Code: "school", Section: "child", Type: "text", Required: true, CallLabels: CallLabels{
		KK: "Мектеп", RU: "Школа", KY: "Мектеп", EN: "School"}},
	{Code: "grade", Section: "child", Type: "number", Required: true, CallLabels: CallLabels{
		KK: "Сынып", RU: "Класс", KY: "Класс", EN: "Grade"}},
	{Code: "olympiads", Section: "results", Type: "longtext", CallLabels: CallLabels{
		KK: "Олимпиадалар мен байқаулардағы нәтижелер", RU: "Результаты олимпиад и конкурсов",
		KY: "Олимпиадалардагы жана сынактардагы натыйжалар", EN: "Olympiad and competition results"}},
	{Code: "exam_results", Section: "results", Type: "longtext", Required: true, CallLabels: CallLabels{
		KK: "Емтихан нәтижелері мен бағалар", RU: "Результаты экзаменов и оценки",
		KY: "Экзамендердин натыйжалары жана баалар", EN: "Exam results and marks"}},
	{Code: "household_members", Section: "household", Type: "number", Required: true, CallLabels: CallLabels{
		KK: "Отбасында неше адам тұрады?", RU: "Сколько человек живёт в семье?",
		KY: "Үй-бүлөдө канча адам жашайт?", EN: "How many people live in the household?"}},
	{Code: "household_income", Section: "household", Type: "money", Required: true, CallLabels: CallLabels{
		KK: "Отбасының айлық табысы", RU: "Ежемесячный доход семьи", KY: "Үй-бүлөнүн айлык кирешеси",
		EN: "The household's monthly income"}},
	{Code: "certificates", Section: "documents", Type: "file", CallLabels: CallLabels{
		KK: "Грамоталар мен анықтамалар", RU: "Грамоты и справки", KY: "Грамоталар жана маалымкаттар",
		EN: "Certificates and statements"}},
}

var otherForm = []CallField{
	{Code: "description", Section: "other", Type: "longtext", Required: true, CallLabels: CallLabels{
		KK: "Өтінішіңізді сипаттаңыз", RU: "Опишите вашу заявку", KY: "Арызыңызды сүрөттөп бериңиз",
		EN: "Describe your application"}},
}
