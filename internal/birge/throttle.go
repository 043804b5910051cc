package birge

import (
	"net/netip"
	"time"
)

// Sign-in throttling (decisions 0003 and 0016). Three counters of failed sign-ins, each
// with a number of free failures after which every further failure doubles the wait
// before the next attempt, from one second up to a minute:
//
//   - the pair (account, address): what one guesser pays. It is keyed by the address as
//     well as the account so that someone guessing from one place cannot lock the owner
//     out from another: her right password from an address that has not been failing
//     still signs her in.
//   - the address, across all accounts: one place trying many accounts. It allows more
//     free failures because a whole village may share one mobile-network address.
//   - the account, across all addresses: a generous ceiling. Past it, every address gets
//     one free failure at the account instead of five, which slows a guesser who spreads
//     over many addresses without ever refusing an address that has not been failing.
//
// Twenty guesses at one account from one address take at least ten minutes (603 s), a
// thousand over sixteen hours; a person who mistypes waits a minute at worst. Failures
// are forgotten a day after the last one.
const (
	FreeFailuresPair    = 5
	FreeFailuresAddress = 20
	AccountCeiling      = 100
	MaxLoginDelay       = time.Minute
	ThrottleWindow      = 24 * time.Hour
)

// LoginDelay is how long after the last failure the next attempt is allowed.
func LoginDelay(failures, free int) time.Duration {
	if failures < free {
		return 0
	}
	d := time.Second << min(failures-free, 10)
	return min(d, MaxLoginDelay)
}

// Failures is one throttle counter: how many sign-ins failed, the last one when.
type Failures struct {
	Count int
	Last  time.Time
}

// Current is the counter as it counts at now: forgotten a ThrottleWindow after the last
// failure.
func (f Failures) Current(now time.Time) Failures {
	if f.Count > 0 && now.Sub(f.Last) > ThrottleWindow {
		return Failures{}
	}
	return f
}

func (f Failures) wait(now time.Time, free int) time.Duration {
	f = f.Current(now)
	if f.Count == 0 {
		return 0
	}
	return max(f.Last.Add(LoginDelay(f.Count, free)).Sub(now), 0)
}

// LoginWait is how long from now an attempt at an account from an address must wait,
// given the three counters: the pair's, the address's and the account's.
func LoginWait(now time.Time, pair, address, account Failures) time.Duration {
	free := FreeFailuresPair
	if account.Current(now).Count >= AccountCeiling {
		free = 1
	}
	return max(pair.wait(now, free), address.wait(now, FreeFailuresAddress))
}

// ThrottleAddress is the address a throttle counts by: an IPv4 address, or the /64 an
// IPv6 address is in, since one subscriber is usually given a whole /64 and could
// otherwise guess from a fresh address every time. Anything else is kept as it is, cut
// to a bounded length.
func ThrottleAddress(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		if len(ip) > 64 {
			ip = ip[:64]
		}
		return ip
	}
	a = a.Unmap().WithZone("")
	if a.Is4() {
		return a.String()
	}
	p, _ := a.Prefix(64)
	return p.String()
}
