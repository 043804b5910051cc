package birge

import (
	"strings"
	"testing"
	"time"
)

// TestThrottleBudget: 1,000 guesses at one account must take over ten minutes.
func TestThrottleBudget(t *testing.T) {
	var total time.Duration
	for f := 0; f < 1000; f++ {
		total += LoginDelay(f, FreeFailuresAccount)
	}
	if total < 10*time.Minute {
		t.Errorf("1,000 guesses take %v, want over 10 minutes", total)
	}
	if LoginDelay(FreeFailuresAccount-1, FreeFailuresAccount) != 0 {
		t.Error("the first mistakes must be free")
	}
}

func TestCheckText(t *testing.T) {
	for _, c := range []struct {
		in        string
		multiline bool
		want      string
	}{
		{"Айжан Әлжанова", false, ""},
		{"<script>alert(1)</script>", false, ""},
		{"", false, "field.required"},
		{"   ", false, "field.required"},
		{"a\x00b", false, "field.invalid_chars"},
		{"a\x1b[31mred", false, "field.invalid_chars"},
		{"\xff\xfe", false, "field.invalid_utf8"},
		{"Ай\xd0жан", false, "field.invalid_utf8"},
		// Nothing to see is no name (issue 8): zero-width space, joiners, BOM, marks.
		{"\u200b", false, "field.required"},
		{" \u200c\u200d\ufeff\u200e\u00ad\ufe0f\u3164 ", false, "field.required"},
		{"\u200bА", false, ""},
		{"👩\u200d👧", false, ""},
		{"line\nbreak", false, "field.single_line"},
		{"line\nbreak", true, ""},
		{strings.Repeat("ә", MaxName+1), false, "field.too_long"},
	} {
		if got := CheckText(c.in, true, MaxName, c.multiline); got != c.want {
			t.Errorf("CheckText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestPhones(t *testing.T) {
	for in, want := range map[string]string{"8 701 123 45 67": "+77011234567", "+7 (701) 1234567": "+77011234567"} {
		if got, key := NormalizePhone(in, "KZ"); got != want || key != "" {
			t.Errorf("KZ %q → %q %q", in, got, key)
		}
	}
	if got, key := NormalizePhone("0555 123 456", "KG"); got != "+996555123456" || key != "" {
		t.Errorf("KG → %q %q", got, key)
	}
	if _, key := NormalizePhone("12345", "KZ"); key != "field.phone" {
		t.Errorf("bad phone accepted")
	}
}

func TestPasswordHash(t *testing.T) {
	h := HashPassword("correct horse battery")
	if !strings.HasPrefix(h, "$argon2id$") || !VerifyPassword("correct horse battery", h) || VerifyPassword("wrong", h) {
		t.Errorf("hash %q does not verify", h)
	}
	if VerifyPassword("", "") {
		t.Error("an empty hash matched")
	}
}

// BenchmarkPasswordCheck measures the production argon2id cost of one wrong guess.
func BenchmarkPasswordCheck(b *testing.B) {
	h := HashPassword("correct horse battery")
	for b.Loop() {
		VerifyPassword("wrong guess", h)
	}
}

func TestPermissions(t *testing.T) {
	coord := &Actor{UserID: 1, Grants: []Grant{{Role: RoleCoordinator, OrgID: 1, CenterID: 10}}}
	if !coord.Can(PermUserView, 1, 10) || coord.Can(PermUserView, 1, 11) || coord.Can(PermUserView, 2, 10) || coord.Can(PermUserManage, 1, 10) {
		t.Error("coordinator scope is wrong")
	}
	orgAdmin := &Actor{Grants: []Grant{{Role: RoleAdmin, OrgID: 1}}}
	centreAdmin := &Actor{Grants: []Grant{{Role: RoleAdmin, OrgID: 1, CenterID: 10}}}
	if !orgAdmin.Can(PermCenterManage, 1, 0) || centreAdmin.Can(PermCenterManage, 1, 0) {
		t.Error("only organisation administrators manage the organisation's centres")
	}
	if centreAdmin.CanManageUser(1, orgAdmin.Grants) {
		t.Error("a centre administrator must not manage an organisation administrator")
	}
	if !orgAdmin.CanManageUser(1, centreAdmin.Grants) {
		t.Error("an organisation administrator manages its centres' administrators")
	}
}
