package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/testenv"
)

// TestTestClock: BIRGE_TEST_CLOCK sets the clock the store reads, which runs on from
// it, and the command says so; a value that is not RFC 3339 is refused; unset, nothing
// changes.
func TestTestClock(t *testing.T) {
	st := testenv.Open(t, testenv.Databases(t)[0])
	clock := func(v string) (*env, *bytes.Buffer) {
		var out bytes.Buffer
		return &env{getenv: func(k string) string {
			if k == "BIRGE_TEST_CLOCK" {
				return v
			}
			return ""
		}, stderr: &out}, &out
	}
	e, _ := clock("")
	if err := e.testClock(st); err != nil || st.Now().Sub(testenv.Evening) > time.Minute {
		t.Fatalf("unset: %v, the clock reads %v", err, st.Now())
	}
	e, out := clock("2030-05-01T10:00:00+05:00")
	want := time.Date(2030, 5, 1, 5, 0, 0, 0, time.UTC)
	if err := e.testClock(st); err != nil || st.Now().Before(want) || st.Now().Sub(want) > time.Minute ||
		!strings.Contains(out.String(), "for tests only") {
		t.Errorf("set: %v, the clock reads %v, said %q", err, st.Now(), out.String())
	}
	if e, _ := clock("1 May 2030"); e.testClock(st) == nil {
		t.Errorf("a clock that is not RFC 3339 was taken")
	}
}
