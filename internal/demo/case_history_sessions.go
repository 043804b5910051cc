package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// historyStaffUsers are the Aktobe centre's psychologist and mediator, who see its
// families in the history.
var historyStaffUsers = []struct{ email, name, lang string }{
	{"psychologist@birge.example", "Мәдина Оспанова", "kk"},
	{"mediator@birge.example", "Ирина Ковальчук", "ru"},
}

// historyStaff adds the Aktobe psychologist and mediator (case workers of the centre)
// and returns their logins, and them as workers, psychologist first.
func historyStaff(ctx context.Context, st *store.Store, aktobe birge.Center) ([]Login, []birge.User, error) {
	sys := birge.System("demo")
	var logins []Login
	var staff []birge.User
	for _, u := range historyStaffUsers {
		pw := password()
		created, err := st.CreateUser(ctx, sys, store.NewUser{User: birge.User{Email: u.email, Name: u.name, Lang: u.lang,
			Grants: []birge.Grant{{Role: birge.RoleCaseWorker, OrgID: aktobe.OrgID, CenterID: aktobe.ID}}}, Password: pw})
		if err != nil {
			return nil, nil, fmt.Errorf("user %s: %w", u.email, err)
		}
		logins = append(logins, Login{Email: u.email, Password: pw, Role: birge.RoleCaseWorker, Where: "fpc/aktobe"})
		staff = append(staff, created)
	}
	return logins, staff, nil
}

// historyCalendar books the history's sessions so that no worker is booked twice: each
// worker has her own room, and her day's hours are handed out in turn, 09:00 to 17:00
// in Almaty.
type historyCalendar struct {
	now   time.Time
	staff []birge.User
	next  map[string]int // worker and day → the next free hour
}

func newHistoryCalendar(now time.Time, staff []birge.User) *historyCalendar {
	return &historyCalendar{now: now, staff: staff, next: map[string]int{}}
}

// slot is the next free hour of a worker on day or after it.
func (h *historyCalendar) slot(worker int, day time.Time) time.Time {
	for {
		key := fmt.Sprint(worker, day.Format(time.DateOnly))
		hour := h.next[key]
		if hour == 0 {
			hour = 9
		}
		if hour < 17 && day.Weekday() != time.Sunday {
			h.next[key] = hour + 1
			return time.Date(day.Year(), day.Month(), day.Day(), hour, 0, 0, 0, birge.Location("Asia/Almaty"))
		}
		day = day.AddDate(0, 0, 1)
	}
}

// book gives case k its sessions from first to end, a week apart: the psychologist sees
// each partner alone, then (unless the gate refuses it) the couple, or the mediator
// mediates where a divorce application is filed. Past sessions are marked as most go;
// those still to come stay booked.
func (h *historyCalendar) book(ctx context.Context, st *store.Store, r *rand.Rand, k birge.Case, first, end time.Time) error {
	sys := birge.System("demo")
	var plan []birge.Session
	for _, partner := range k.PartnerIDs {
		plan = append(plan, birge.Session{Type: birge.SessionIndividual, PersonIDs: []int64{partner}})
	}
	joint := birge.SessionCouple
	if k.DivorceFiled {
		joint = birge.SessionMediation
	}
	for range 1 + r.IntN(3) {
		x := birge.Session{Type: joint, PersonIDs: k.PartnerIDs}
		if birge.SessionRefused(k, joint, k.PartnerIDs) != nil {
			x = birge.Session{Type: birge.SessionIndividual, PersonIDs: k.PartnerIDs[:1]}
		}
		plan = append(plan, x)
	}
	day := first
	for i, x := range plan {
		if day.After(end) {
			break
		}
		worker := 0
		if x.Type == birge.SessionMediation {
			worker = 1
		}
		x.WorkerID, x.Room = h.staff[worker].ID, fmt.Sprintf("Кабинет %d", worker+1)
		if x.StartsAt = h.slot(worker, day); birge.Day(x.StartsAt, birge.Location("Asia/Almaty")).After(end) {
			break
		}
		x.EndsAt = x.StartsAt.Add(50 * time.Minute)
		if x.StartsAt.Before(h.now) {
			switch n := r.IntN(100); {
			case n < 88:
				x.Attendance = birge.AttendanceCame
			case n < 95:
				x.Attendance = birge.AttendanceNoShow
			default:
				x.Attendance = birge.AttendanceCancelledClient
			}
		}
		if _, err := st.Sessions.Schedule(ctx, sys, k.ID, x); err != nil {
			return err
		}
		// The partners are seen alone the same week; then a week apart.
		if i >= len(k.PartnerIDs)-1 {
			day = day.AddDate(0, 0, 7)
		}
	}
	return nil
}
