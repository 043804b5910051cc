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
		total += LoginDelay(f, FreeFailuresPair)
	}
	if total < 10*time.Minute {
		t.Errorf("1,000 guesses take %v, want over 10 minutes", total)
	}
	if LoginDelay(FreeFailuresPair-1, FreeFailuresPair) != 0 {
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

// TestLoginWait: the figures decision 0016 quotes, from the rule alone.
func TestLoginWait(t *testing.T) {
	now := time.Date(2026, 3, 10, 20, 30, 0, 0, time.UTC)
	var total time.Duration
	for f := 1; f < 20; f++ {
		total += LoginWait(now, Failures{f, now}, Failures{}, Failures{})
	}
	if total != 603*time.Second {
		t.Errorf("20 guesses from one address at one account take %v, want 603 s", total)
	}
	for f := 20; f < 1000; f++ {
		total += LoginWait(now, Failures{f, now}, Failures{}, Failures{})
	}
	if total < 16*time.Hour {
		t.Errorf("1,000 guesses take %v, want over 16 hours", total)
	}
	if w := LoginWait(now, Failures{1, now}, Failures{}, Failures{AccountCeiling, now}); w != time.Second {
		t.Errorf("past the account's ceiling, one failure costs %v, want 1 s", w)
	}
	if w := LoginWait(now, Failures{}, Failures{}, Failures{AccountCeiling * 10, now}); w != 0 {
		t.Errorf("an address that has not failed waits %v, want nothing", w)
	}
	if w := LoginWait(now.Add(ThrottleWindow+time.Second), Failures{}, Failures{}, Failures{AccountCeiling, now}); w != 0 {
		t.Errorf("a day later the ceiling still counts: %v", w)
	}
	for in, want := range map[string]string{"10.0.0.1": "10.0.0.1", "::ffff:10.0.0.1": "10.0.0.1",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64", "fe80::1%eth0": "fe80::/64", "not an address": "not an address"} {
		if got := ThrottleAddress(in); got != want {
			t.Errorf("ThrottleAddress(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestDiffSecrets: a secret field is recorded as changed without its values, and only
// when it changed: none on either side (a record created without one) is no change.
func TestDiffSecrets(t *testing.T) {
	got := Diff(nil, map[string]any{"iin": "", "pin": "12345678901234", "name": "Айжан"}, "iin", "pin")
	want := map[string]Change{"pin": {}, "name": {After: "Айжан"}}
	if len(got) != len(want) {
		t.Fatalf("Diff = %v, want %v", got, want)
	}
	for k, w := range want {
		if g, ok := got[k]; !ok || g.Before != w.Before || g.After != w.After {
			t.Errorf("Diff[%s] = %v (%v), want %v", k, g, ok, w)
		}
	}
	if got := Diff(map[string]any{"iin": "860101400123"}, map[string]any{"iin": ""}, "iin"); len(got) != 1 {
		t.Errorf("an IIN removed: Diff = %v, want it recorded", got)
	}
}
