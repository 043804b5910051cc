package birge

// KindLists are the organisation's lists of kinds that its administrators edit, by the
// name the pages and the audit log give each: kinds of service, kinds of outcome, and
// the reasons families come to a family centre for.
var KindLists = []string{"deliveries", "outcomes", "cases"}

// Validate checks a kind an organisation adds or renames: a code that can go into URLs
// and reports, and names in the four languages, but for a default kind, which the
// catalog names.
func (k *DeliveryKind) Validate(isDefault bool) error {
	p := Problems{}
	if !categoryCode.MatchString(k.Code) {
		p.Add("code", "categories.code_format")
	}
	if !isDefault {
		k.Names.check(p)
	}
	return p.Err()
}
