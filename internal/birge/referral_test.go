package birge

import (
	"testing"
	"time"
)

// TestReferralValidateNew: a new referral's follow-up day may be today or later, never a
// day already past (it would show overdue at once); Validate alone, as an edit uses it,
// keeps a day that has since passed.
func TestReferralValidateNew(t *testing.T) {
	today := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	for day, want := range map[string]string{"": "", "2026-12-31": "", "2027-01-15": "",
		"2026-12-30": "referral.follow_up_past", "1999-01-01": "referral.follow_up_past", "31.12.2026": "field.date"} {
		r := Referral{ServiceID: 1, FollowUpOn: day}
		got := ""
		if e := AsError(r.ValidateNew(today)); r.ValidateNew(today) != nil {
			got = e.Fields["follow_up_on"]
		}
		if got != want {
			t.Errorf("follow-up %q: %q, want %q", day, got, want)
		}
	}
	past := Referral{ServiceID: 1, FollowUpOn: "2026-12-01"}
	if err := past.Validate(); err != nil {
		t.Errorf("an edit keeping a past day: %v", err)
	}
}
