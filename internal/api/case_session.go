package api

import (
	"net/http"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// ListSessions returns a case's sessions, by start, to those who see the case.
func (a *API) ListSessions(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	items, err := a.store.Sessions.List(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list(items, len(items), func(x birge.Session) int64 { return x.ID }))
}

// sessionBody is what a session is booked with; its case is the path's, and the rest
// the store sets.
type sessionBody struct {
	Type       string  `json:"type"`
	WorkerID   int64   `json:"worker_id"`
	Room       string  `json:"room"`
	StartsAt   instant `json:"starts_at"`
	EndsAt     instant `json:"ends_at"`
	Attendance string  `json:"attendance"`
	PersonIDs  []int64 `json:"person_ids"`
}

// CreateSession books a session of a case. A joint session on a flagged case, and a
// worker or room already booked, are 409s whose detail says why.
func (a *API) CreateSession(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var b sessionBody
	if err := decode(w, r, &b); err != nil {
		return err
	}
	x, err := a.store.Sessions.Schedule(r.Context(), actor(r), id, birge.Session{Type: b.Type, WorkerID: b.WorkerID,
		Room: b.Room, StartsAt: b.StartsAt.Time, EndsAt: b.EndsAt.Time, Attendance: b.Attendance, PersonIDs: b.PersonIDs})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, x)
}

// GetSession returns one session.
func (a *API) GetSession(w http.ResponseWriter, r *http.Request) error {
	return getByID(w, r, a.store.Sessions.Get, func(x birge.Session) time.Time { return x.UpdatedAt })
}

// sessionUpdate is the body of PATCH /sessions/{id}: its case and centre never change.
type sessionUpdate struct {
	Type       *string    `json:"type"`
	WorkerID   *int64     `json:"worker_id"`
	Room       *string    `json:"room"`
	StartsAt   *time.Time `json:"starts_at"`
	EndsAt     *time.Time `json:"ends_at"`
	Attendance *string    `json:"attendance"`
	PersonIDs  *[]int64   `json:"person_ids"`
}

func (u *sessionUpdate) apply(x *birge.Session) {
	set(&x.Type, u.Type)
	set(&x.WorkerID, u.WorkerID)
	set(&x.Room, u.Room)
	set(&x.StartsAt, u.StartsAt)
	set(&x.EndsAt, u.EndsAt)
	set(&x.Attendance, u.Attendance)
	set(&x.PersonIDs, u.PersonIDs)
}

// UpdateSession changes the fields present in the body: its attendance (an attended
// session is a service delivery to each who came), its time, room, worker, type and who
// comes.
func (a *API) UpdateSession(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx, act := r.Context(), actor(r)
	return patch(w, r, &sessionUpdate{}, func(x birge.Session) time.Time { return x.UpdatedAt }, readThenWrite(
		func() (birge.Session, error) { return a.store.Sessions.Get(ctx, act, id) },
		func(x birge.Session) (birge.Session, error) { return a.store.Sessions.Update(ctx, act, x) }))
}
