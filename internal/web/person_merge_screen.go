package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// mergeRow is one line of the comparison screen: a field, each record's value as shown,
// and, where they differ and the coordinator may choose, the side chosen.
type mergeRow struct {
	Field, Label string // Field names the radios, "choices.<field>"
	Kept, Other  string
	Choose       bool
	Take         string // birge.MergeKept or birge.MergeOther
	Error        string
}

// mergeLabels are the screen's rows in order, with their labels. The identity number,
// phones and categories are shown but not chosen (birge.MergeFields says why).
var mergeLabels = []struct{ field, label string }{
	{"family_name", "person.family_name"}, {"given_name", "person.given_name"}, {"patronymic", "person.patronymic"},
	{"sex", "person.sex"}, {"birth", "person.birth"}, {"identity", "merge.identity"}, {"center", "person.center"},
	{"place", "person.address"}, {"phones", "person.phones"}, {"email", "user.email"},
	{"safe_contact", "person.safe_contact"}, {"children", "person.children"}, {"income_band", "person.income_band"},
	{"special_needs", "person.special_needs"}, {"categories", "person.categories"},
}

// personMergeScreen compares this record, the one kept, with ?other=, field by field.
func (s *Server) personMergeScreen(w http.ResponseWriter, r *http.Request) error {
	f := newForm()
	f.Values["other_id"] = r.URL.Query().Get("other")
	return s.renderMergeScreen(w, r, http.StatusOK, f)
}

// renderMergeScreen draws the comparison with the choices on f (the defaults where
// none was posted) and f's errors beside their rows.
func (s *Server) renderMergeScreen(w http.ResponseWriter, r *http.Request, status int, f *form) error {
	info := request.From(r.Context())
	other, err := strconv.ParseInt(strings.TrimSpace(f.get("other_id")), 10, 64)
	if err != nil || other <= 0 {
		return &birge.Error{Kind: birge.KindInvalid, Key: "merge.no_other"}
	}
	kept := pathInt(r, "id")
	pv, err := s.store.People.PreviewMerge(r.Context(), info.Actor, kept, other)
	if err != nil {
		return err
	}
	centers, err := s.visibleCenters(r, store.CenterFilter{})
	if err != nil {
		return err
	}
	centerNames := map[int64]string{}
	for _, c := range centers {
		centerNames[c.ID] = c.Names.In(info.Lang)
	}
	categories, err := s.categoryNames(r, pv.Kept.OrgID)
	if err != nil {
		return err
	}
	p := i18n.For(info.Lang)
	show := func(field string, x birge.Person) string {
		if v := mergeValue(p, field, x, centerNames, categories); v != "" {
			return v
		}
		return "—"
	}
	rows := make([]mergeRow, len(mergeLabels))
	for i, l := range mergeLabels {
		row := mergeRow{Field: "choices." + l.field, Label: p.T(l.label), Kept: show(l.field, pv.Kept),
			Other: show(l.field, pv.Other), Choose: pv.Differs[l.field], Take: f.get("choices." + l.field)}
		if row.Take != birge.MergeKept && row.Take != birge.MergeOther {
			row.Take = birge.MergeKept
			if pv.Default[l.field] {
				row.Take = birge.MergeOther
			}
		}
		if key := f.Errors[row.Field]; key != "" {
			row.Error = p.T(key)
		}
		rows[i] = row
	}
	return s.render(w, r, status, "person/merge", f, map[string]any{"Kept": pv.Kept, "Other": pv.Other,
		"Rows": rows, "Refusal": pv.Refusal, "Moves": pv.Moves})
}

// mergeValue is a field's value as the screen shows it, "" when she has none.
func mergeValue(p *i18n.Printer, field string, x birge.Person, centers map[int64]string, categories map[string]string) string {
	yes := func(b bool, key string) string {
		if b {
			return p.T(key)
		}
		return ""
	}
	switch field {
	case "family_name":
		return x.FamilyName
	case "given_name":
		return x.GivenName
	case "patronymic":
		return x.Patronymic
	case "sex":
		if x.Sex == "" {
			return ""
		}
		return p.T("person.sex." + x.Sex)
	case "birth":
		if x.BirthDate != "" {
			return p.Day(x.BirthDate)
		}
		if x.BirthYear != 0 {
			return p.T("person.about_year", "year", x.BirthYear)
		}
	case "identity": // masked when read (store.completePerson)
		return x.IIN + x.PIN
	case "center":
		return centers[x.CenterID]
	case "place":
		parts := []string{placeName(p, x.Region, x.District), x.Settlement, yes(x.Rural, "person.rural")}
		return strings.Join(nonEmpty(parts), ", ")
	case "phones":
		return strings.Join(x.Phones, ", ")
	case "email":
		return x.Email
	case "safe_contact":
		call := p.T("person.no_calls")
		if x.MayCall {
			call = strings.Join(nonEmpty([]string{p.T("person.may_call"), x.CallTimes}), ": ")
		}
		return strings.Join(nonEmpty([]string{call, yes(x.MayLeaveMessage, "person.may_leave_message")}), "; ")
	case "children":
		if x.Children != nil {
			return strconv.Itoa(*x.Children)
		}
	case "income_band":
		if x.IncomeBand != "" {
			return p.T("person.income." + x.IncomeBand)
		}
	case "special_needs":
		if x.SpecialNeeds {
			return p.T("field.yes")
		}
		return p.T("field.no")
	case "categories":
		names := make([]string, len(x.Categories))
		for i, c := range x.Categories {
			names[i] = categories[c]
		}
		return strings.Join(names, ", ")
	}
	return ""
}

func nonEmpty(parts []string) []string {
	var out []string
	for _, s := range parts {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
