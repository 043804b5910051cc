package birge

import "time"

// API tokens expire: a token forgotten in a script on a lost laptop stops working on its
// own. The owner picks the lifetime when she makes one (decision 0016).
const (
	TokenDefaultDays = 90
	TokenMaxDays     = 365
)

// TokenExpiry is when a token made at now for days days stops working; 0 days means the
// default. It returns a message key for the expires_in_days field when days is out of
// range.
func TokenExpiry(now time.Time, days int) (time.Time, string) {
	if days == 0 {
		days = TokenDefaultDays
	}
	if days < 1 || days > TokenMaxDays {
		return time.Time{}, "token.days_range"
	}
	return now.Add(time.Duration(days) * 24 * time.Hour), ""
}
