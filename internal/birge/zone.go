package birge

import (
	"time"
	_ "time/tzdata" // Asia/Almaty and Asia/Bishkek on any machine, with or without a tz database
)

// locations are the time zones users and centres may choose, loaded once: LoadLocation
// reads a file.
var locations = func() map[string]*time.Location {
	m := map[string]*time.Location{}
	for _, name := range UserTimeZones {
		loc, err := time.LoadLocation(name)
		if err != nil {
			panic(err) // the tz database is embedded (time/tzdata), so this cannot happen
		}
		m[name] = loc
	}
	return m
}()

// Location returns the named zone, or Almaty's for an unknown or empty name.
func Location(name string) *time.Location {
	if loc := locations[name]; loc != nil {
		return loc
	}
	return locations[DefaultTimeZone]
}

// Location is where the actor's times are shown and where their day begins: their
// choice, else Almaty (visitors and the command line).
func (a *Actor) Location() *time.Location {
	if a == nil {
		return Location("")
	}
	return Location(a.Zone)
}

// Today is the actor's calendar day at the instant now, as midnight UTC of that date, to
// compare with dates typed as YYYY-MM-DD. Between 19:00 and 24:00 UTC it is already
// tomorrow in Almaty, and a consent given "today" there must not be "in the future".
func (a *Actor) Today(now time.Time) time.Time {
	return Day(now, a.Location())
}

// Day is the calendar date of the instant t in loc, as midnight UTC of that date.
func Day(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
