package birge

import "time"

// Sign-in throttling: a few mistakes are free, then each further failure doubles the wait
// before the next attempt, up to a minute. 1,000 guesses at one account then take over
// sixteen hours, while a person who mistypes waits a minute at worst. Addresses get more
// free attempts than accounts because a whole village may share one mobile-network address.
const (
	FreeFailuresAccount = 5
	FreeFailuresAddress = 20
	MaxLoginDelay       = time.Minute
)

// LoginDelay is how long after the last failure the next attempt is allowed.
func LoginDelay(failures, free int) time.Duration {
	if failures < free {
		return 0
	}
	d := time.Second << min(failures-free, 10)
	return min(d, MaxLoginDelay)
}
