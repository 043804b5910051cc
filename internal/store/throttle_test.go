package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/demo"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// throttleClock sets the store's clock to an evening hour (already tomorrow in Almaty)
// and returns a function that moves it on.
func throttleClock(st *store.Store) (advance func(time.Duration), now func() time.Time) {
	t := time.Date(2027, 3, 10, 20, 30, 0, 0, time.UTC)
	st.SetClock(func() time.Time { return t })
	return func(d time.Duration) { t = t.Add(d) }, func() time.Time { return t }
}

// demoLogin loads the demo data and returns the coordinator's email and password.
func demoLogin(t *testing.T, st *store.Store) (string, string) {
	t.Helper()
	logins, err := demo.Load(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range logins {
		if l.Role == birge.RoleCoordinator {
			return l.Email, l.Password
		}
	}
	t.Fatal("no demo coordinator")
	return "", ""
}

// waitOf is the wait a throttled sign-in names, in seconds; 0 when it was not throttled.
func waitOf(err error) int {
	if birge.KindOf(err) != birge.KindTooMany {
		return 0
	}
	return birge.AsError(err).Args["seconds"].(int)
}

// TestLoginThrottleKeepsOwnerIn: someone guessing once a minute from one address, for
// hours, never keeps the owner out from her own address; the guesser's own address stays
// throttled, even with the right password.
func TestLoginThrottleKeepsOwnerIn(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		email, password := demoLogin(t, st)
		advance, _ := throttleClock(st)
		checked := 0
		for minute := 1; minute <= 180; minute++ {
			_, _, err := st.Login(ctx, email, fmt.Sprintf("guess %d", minute), "203.0.113.9", "")
			switch birge.KindOf(err) {
			case birge.KindUnauthenticated:
				checked++
			case birge.KindTooMany:
			default:
				t.Fatalf("guess %d: %v", minute, err)
			}
			if minute%30 == 0 {
				// Right after a guess, from her office: in at once.
				if _, a, err := st.Login(ctx, email, password, "198.51.100.7", ""); err != nil || a == nil {
					t.Fatalf("after %d minutes of guessing, the owner from her own address: %v, want signed in", minute, err)
				}
				// The guesser's address is refused even the right password.
				if _, _, err := st.Login(ctx, email, password, "203.0.113.9", ""); birge.KindOf(err) != birge.KindTooMany {
					t.Fatalf("after %d minutes, the right password from the guessing address: %v, want throttled", minute, err)
				}
			}
			advance(time.Minute)
		}
		if checked != 180 {
			t.Errorf("%d of 180 guesses a minute apart were checked, want all (the wait is at most a minute)", checked)
		}
		n, err := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM audit_log WHERE action = 'login_failed'`)
		if err != nil || n != checked {
			t.Errorf("%d failed sign-ins audited, want %d: %v", n, checked, err)
		}
	})
}

// TestLoginThrottleCost measures, with the store's clock, what guessing as fast as the
// throttle allows costs from one address at one account: 20 guesses take at least ten
// minutes. Someone who mistypes waits a minute at worst.
func TestLoginThrottleCost(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		email, password := demoLogin(t, st)
		advance, now := throttleClock(st)
		start := now()
		longest := 0
		for guesses := 0; guesses < 20; {
			_, _, err := st.Login(ctx, email, "a wrong password", "203.0.113.9", "")
			if w := waitOf(err); w > 0 {
				longest = max(longest, w)
				advance(time.Duration(w) * time.Second) // the wait shown, and not a moment more
				continue
			}
			if birge.KindOf(err) != birge.KindUnauthenticated {
				t.Fatalf("guess %d: %v", guesses+1, err)
			}
			guesses++
		}
		took := now().Sub(start)
		t.Logf("20 guesses at one account from one address took %v at the fastest", took)
		if took < 10*time.Minute {
			t.Errorf("20 guesses took %v, want at least 10 minutes", took)
		}
		if longest > int(birge.MaxLoginDelay/time.Second) {
			t.Errorf("the longest wait shown was %d s, want at most %v", longest, birge.MaxLoginDelay)
		}
		// The first failures are free: five mistakes, then the right password at once.
		if _, _, err := st.Login(ctx, email, password, "198.51.100.7", ""); err != nil {
			t.Fatalf("the owner from her address: %v", err)
		}
		for i := 0; i < birge.FreeFailuresPair; i++ {
			if _, _, err := st.Login(ctx, email, "mistyped", "198.51.100.7", ""); birge.KindOf(err) != birge.KindUnauthenticated {
				t.Fatalf("mistake %d: %v, want a plain refusal", i+1, err)
			}
		}
		if _, _, err := st.Login(ctx, email, password, "198.51.100.7", ""); waitOf(err) != 1 {
			t.Fatalf("the right password after %d mistakes: %v, want a wait of 1 s", birge.FreeFailuresPair, err)
		}
		advance(time.Second)
		if _, _, err := st.Login(ctx, email, password, "198.51.100.7", ""); err != nil {
			t.Fatalf("the right password after the wait: %v", err)
		}
		// A day after the last failure, the guesser's count is forgotten.
		advance(birge.ThrottleWindow + time.Minute)
		if _, _, err := st.Login(ctx, email, password, "203.0.113.9", ""); err != nil {
			t.Errorf("a day later, from the address that guessed: %v, want signed in", err)
		}
	})
}

// TestLoginThrottleAddress: one address failing at many accounts is throttled for all of
// them; addresses in one IPv6 /64 count as one; the same accounts from elsewhere get in.
func TestLoginThrottleAddress(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		email, password := demoLogin(t, st)
		_, _ = throttleClock(st)
		for i := 0; i < birge.FreeFailuresAddress; i++ {
			// Each from another address of the same /64, each at another account.
			ip := fmt.Sprintf("2001:db8:5:7::%x", i+1)
			if _, _, err := st.Login(ctx, fmt.Sprintf("guess%d@example.org", i), "wrong", ip, ""); birge.KindOf(err) != birge.KindUnauthenticated {
				t.Fatalf("guess %d: %v", i+1, err)
			}
		}
		if _, _, err := st.Login(ctx, email, password, "2001:db8:5:7::ffff", ""); waitOf(err) == 0 {
			t.Errorf("a real account from a /64 with %d failures: %v, want throttled", birge.FreeFailuresAddress, err)
		}
		if _, _, err := st.Login(ctx, email, password, "2001:db8:5:8::1", ""); err != nil {
			t.Errorf("the same account from the next /64: %v, want signed in", err)
		}
	})
}

// TestLoginThrottleCeiling: guesses from many addresses at one account, past the ceiling,
// leave each further address one free failure instead of five; an address that has not
// been failing still signs in at once.
func TestLoginThrottleCeiling(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		email, password := demoLogin(t, st)
		advance, _ := throttleClock(st)
		guess := func(ip string) error {
			_, _, err := st.Login(ctx, email, "wrong", ip, "")
			return err
		}
		// Before the ceiling, a fresh address has its five free failures.
		for i := 0; i < birge.FreeFailuresPair; i++ {
			if err := guess("192.0.2.200"); birge.KindOf(err) != birge.KindUnauthenticated {
				t.Fatalf("before the ceiling, failure %d: %v", i+1, err)
			}
		}
		for i := birge.FreeFailuresPair; i < birge.AccountCeiling; i++ {
			if err := guess(fmt.Sprintf("10.1.%d.%d", i/200, i%200)); birge.KindOf(err) != birge.KindUnauthenticated {
				t.Fatalf("spread guess %d: %v", i+1, err)
			}
			advance(time.Second)
		}
		if err := guess("192.0.2.1"); birge.KindOf(err) != birge.KindUnauthenticated {
			t.Fatalf("past the ceiling, a fresh address's first failure: %v", err)
		}
		if err := guess("192.0.2.1"); waitOf(err) != 1 {
			t.Errorf("past the ceiling, a second failure from one address: %v, want a wait of 1 s", err)
		}
		if _, _, err := st.Login(ctx, email, password, "198.51.100.7", ""); err != nil {
			t.Errorf("past the ceiling, the owner from an address that has not failed: %v, want signed in", err)
		}
		// Old counters are purged with expired sessions.
		advance(birge.ThrottleWindow + time.Minute)
		if err := st.PurgeExpired(ctx); err != nil {
			t.Fatal(err)
		}
		if n, err := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM login_throttle`); err != nil || n != 0 {
			t.Errorf("%d sign-in counters left a day after the last failure, want 0: %v", n, err)
		}
	})
}

// BenchmarkFailedLogin is what one refused sign-in costs the database (three counters
// read, three counted, one audit entry), passwords hashed at test speed: the load a
// guesser can put on the server while being throttled.
func BenchmarkFailedLogin(b *testing.B) {
	ctx := context.Background()
	for _, db := range testenv.Databases(b) {
		st := testenv.Open(b, db) // once: b.Run calls the function again for each b.N
		if _, err := demo.Load(ctx, st); err != nil {
			b.Fatal(err)
		}
		n := 0
		b.Run(db.Name, func(b *testing.B) {
			for range b.N {
				// A new account and address each time, so that every attempt is checked,
				// not throttled (and the figure compares with the throttle before 0016).
				n++
				ip := fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255)
				if _, _, err := st.Login(ctx, fmt.Sprintf("guess%d@birge.example", n), "wrong", ip, ""); birge.KindOf(err) != birge.KindUnauthenticated {
					b.Fatal(err)
				}
			}
		})
	}
}
