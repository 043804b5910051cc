package birge

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// Category is a group a person belongs to, which programmes and reports count by. Each
// organisation keeps its own list: the defaults, named by the catalog in every language,
// and those it adds, named in the four languages by the organisation.
type Category struct {
	ID    int64  `json:"id"`
	OrgID int64  `json:"organization_id"`
	Code  string `json:"code"`
	// Sensitive categories are sealed in the database, shown only with person.sensitive,
	// and every view of a record holding one is written to the access log.
	Sensitive bool `json:"sensitive"`
	Names
	Default bool `json:"default"` // one of DefaultCategories: its names come from the catalog
	// Retired categories are no longer offered in forms and filters; people keep them.
	Retired   bool       `json:"retired"`
	RetiredAt *time.Time `json:"retired_at,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// DefaultCategories are the categories every organisation starts with, in display order.
var DefaultCategories = []Category{
	{Code: "special_needs_mother"},
	{Code: "dv_survivor", Sensitive: true},
	{Code: "rural"},
	{Code: "unemployed"},
	{Code: "self_employed"},
	{Code: "stay_at_home_mother"},
	{Code: "low_income"},
	{Code: "large_family"},
	{Code: "disability"},
}

// IsDefaultCategory reports whether code is one of DefaultCategories.
func IsDefaultCategory(code string) bool {
	return slices.ContainsFunc(DefaultCategories, func(c Category) bool { return c.Code == code })
}

// categoryCode is what a code may be: it goes into URLs, form field names and files.
var categoryCode = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// Validate checks a category an organisation adds or renames.
func (c *Category) Validate() error {
	p := Problems{}
	if !categoryCode.MatchString(c.Code) {
		p.Add("code", "categories.code_format")
	}
	if !c.Default {
		c.Names.check(p)
	}
	return p.Err()
}

// CategoryCode makes a code from a name when none was given: its ASCII letters and
// digits, lower-cased, words joined by "_"; "category" when nothing is left.
func CategoryCode(name string) string {
	var b strings.Builder
	gap := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if gap && b.Len() > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(r)
			gap = false
		default:
			gap = true
		}
	}
	code := b.String()
	if len(code) > 32 {
		code = strings.TrimRight(code[:32], "_")
	}
	if code == "" || code[0] < 'a' {
		code = "category_" + code
	}
	return strings.TrimRight(code, "_")
}

// CategoryList is an organisation's categories in display order.
type CategoryList []Category

// Lookup finds a category by code.
func (l CategoryList) Lookup(code string) (Category, bool) {
	i := slices.IndexFunc(l, func(c Category) bool { return c.Code == code })
	if i < 0 {
		return Category{}, false
	}
	return l[i], true
}

// Label is a category's name in lang, or its code when the list does not hold it.
func (l CategoryList) Label(code, lang string) string {
	if c, ok := l.Lookup(code); ok {
		return c.Names.In(lang)
	}
	return code
}

// Ordered puts codes in the list's display order, dropping those it does not hold.
func (l CategoryList) Ordered(have map[string]bool) []string {
	out := []string{}
	for _, c := range l {
		if have[c.Code] {
			out = append(out, c.Code)
		}
	}
	return out
}

// Split checks a person's categories against her organisation's list and splits them
// into those indexed in the clear and the sensitive ones, which are sealed. Each must be
// on the list once; a retired one only if she held it already (held), since it is no
// longer offered. It is the one place of this rule, for the form, the API and imports.
func (l CategoryList) Split(codes, held []string) (plain, sensitive []string, problem string) {
	seen := map[string]bool{}
	for _, code := range codes {
		c, ok := l.Lookup(code)
		if !ok || seen[code] || c.Retired && !slices.Contains(held, code) {
			problem = "field.choose"
			continue
		}
		seen[code] = true
		if c.Sensitive {
			sensitive = append(sensitive, code)
		} else {
			plain = append(plain, code)
		}
	}
	slices.Sort(sensitive)
	return plain, sensitive, problem
}
