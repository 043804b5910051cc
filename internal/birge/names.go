package birge

// Langs are the languages Birge speaks, in the order forms show them.
var Langs = []string{"kk", "ru", "ky", "en"}

// ValidLang reports whether lang is one of Langs.
func ValidLang(lang string) bool {
	for _, l := range Langs {
		if l == lang {
			return true
		}
	}
	return false
}

// Names holds a name in each of the four languages: public pages and documents are read
// in all of them, so organisations and centres are named in all of them.
type Names struct {
	KK string `json:"name_kk"`
	RU string `json:"name_ru"`
	KY string `json:"name_ky"`
	EN string `json:"name_en"`
}

// In returns the name in lang, falling back to Russian, Kazakh and English in turn for a
// name not yet translated (records imported before a language was required).
func (n Names) In(lang string) string {
	for _, s := range []string{n.get(lang), n.RU, n.KK, n.EN, n.KY} {
		if s != "" {
			return s
		}
	}
	return ""
}

func (n Names) get(lang string) string {
	switch lang {
	case "kk":
		return n.KK
	case "ru":
		return n.RU
	case "ky":
		return n.KY
	case "en":
		return n.EN
	}
	return ""
}

// check adds a problem for each missing or malformed language under name_<lang>.
func (n Names) check(p Problems) {
	for _, lang := range Langs {
		p.Add("name_"+lang, CheckText(n.get(lang), true, MaxName, false))
	}
}
