package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Registering someone new from the intake form (issue 11): the form's "register" link
// for a partner or the children opens the registry's own form (which finds duplicates)
// with where to come back; once she is registered — or one of the duplicates it found is
// chosen as her — the intake form opens again with her record number in that place and
// what was typed so far.

// intakeSlots are the intake form's places a registered person comes back to.
var intakeSlots = []string{"partner_1", "partner_2", "children"}

// intakeKept are the intake form's fields carried through the registry's form.
var intakeKept = []string{"center_id", "partner_1", "partner_2", "children", "intake_date", "came_from"}

// intakeRegisterLinks are the registry form's addresses for each place of the intake
// form f, carrying what f holds.
func intakeRegisterLinks(f *form) map[string]string {
	back := url.Values{}
	for _, k := range intakeKept {
		if v := f.get(k); v != "" {
			back.Set(k, v)
		}
	}
	links := map[string]string{}
	for _, slot := range intakeSlots {
		q := url.Values{"center_id": {f.get("center_id")}, "slot": {slot}, "next": {"/cases/new?" + back.Encode()}}
		links[slot] = "/people/new?" + q.Encode()
	}
	return links
}

// intakeReturn is the intake form's address with person id put in slot, or "" when next
// and slot are not an intake form's (so that no other address can be made a redirect).
func intakeReturn(next, slot string, id int64) string {
	u, err := url.Parse(next)
	if err != nil || u.Path != "/cases/new" || u.Host != "" || u.Scheme != "" || !slices.Contains(intakeSlots, slot) {
		return ""
	}
	q := url.Values{}
	for _, k := range intakeKept {
		if v := u.Query().Get(k); v != "" {
			q.Set(k, v)
		}
	}
	number := strconv.FormatInt(id, 10)
	if old := strings.TrimSpace(q.Get(slot)); slot == "children" && old != "" {
		number = old + ", " + number
	}
	q.Set(slot, number)
	return "/cases/new?" + q.Encode()
}
