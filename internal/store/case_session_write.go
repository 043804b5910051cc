package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// SourceCaseSession marks the deliveries an attended session writes (Delivery.Source).
const SourceCaseSession = "case_session"

// Schedule books a session of a case the actor sees. The safety gate refuses a joint
// session on a flagged case (birge.SessionRefused); the worker must be one who works on
// the case; neither she (in any of her centres) nor the room may be booked at the same
// time; those who come must be people of the case.
func (ss *Sessions) Schedule(ctx context.Context, a *birge.Actor, caseID int64, x birge.Session) (birge.Session, error) {
	s := ss.s
	var out birge.Session
	err := s.tx(ctx, func(c q) error {
		if err := lockRow(ctx, c, "cases", caseID); err != nil {
			return err
		}
		k, err := s.Cases.get(ctx, c, a, birge.PermCaseView, caseID)
		if err != nil {
			return err
		}
		x.ID, x.CaseID, x.OrgID, x.CenterID = 0, k.ID, k.OrgID, k.CenterID
		if err := ss.check(ctx, c, a, k, &x, birge.Session{}); err != nil {
			return err
		}
		now := s.now()
		if err := c.row(ctx, `INSERT INTO case_sessions (case_id, org_id, center_id, type, worker_id, room, starts_at,
			ends_at, attendance, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			x.CaseID, x.OrgID, x.CenterID, x.Type, x.WorkerID, x.Room, x.StartsAt, x.EndsAt, x.Attendance,
			nullID(a.UserID), now, now).Scan(&x.ID); err != nil {
			return err
		}
		if err := writeAttendees(ctx, c, x); err != nil {
			return err
		}
		if err := s.audit(ctx, c, a, event{action: birge.ActionCreate, entity: birge.EntitySession, entityID: x.ID,
			orgID: x.OrgID, centerID: x.CenterID, changes: birge.Diff(nil, sessionFields(x))}); err != nil {
			return err
		}
		if err := ss.attended(ctx, c, a, k, birge.Session{}, x); err != nil {
			return err
		}
		out, _, err = ss.get(ctx, c, a, birge.PermCaseView, x.ID)
		return err
	})
	return out, err
}

// Update saves a session as given, made on version x.UpdatedAt: its type, worker, room,
// times, who comes and its attendance. Marking it attended writes one service delivery
// for each who came, in the same transaction; marking it otherwise removes them.
func (ss *Sessions) Update(ctx context.Context, a *birge.Actor, x birge.Session) (birge.Session, error) {
	s := ss.s
	var out birge.Session
	err := s.tx(ctx, func(c q) error {
		old, _, err := ss.get(ctx, c, a, birge.PermCaseView, x.ID)
		if err != nil {
			return err
		}
		if err := lockRow(ctx, c, "cases", old.CaseID); err != nil {
			return err
		}
		if err := lockRow(ctx, c, "case_sessions", old.ID); err != nil {
			return err
		}
		old, k, err := ss.get(ctx, c, a, birge.PermCaseView, x.ID)
		if err != nil {
			return err
		}
		if err := sameVersion(x.UpdatedAt, old.UpdatedAt); err != nil {
			return err
		}
		x.CaseID, x.OrgID, x.CenterID, x.CreatedBy, x.CreatedAt = old.CaseID, old.OrgID, old.CenterID, old.CreatedBy, old.CreatedAt
		changes := birge.Diff(sessionFields(old), sessionFields(x))
		if len(changes) == 0 {
			out = old
			return nil
		}
		if err := ss.check(ctx, c, a, k, &x, old); err != nil {
			return err
		}
		x.UpdatedAt = nextVersion(s.now(), old.UpdatedAt)
		if _, err := c.exec(ctx, `UPDATE case_sessions SET type = ?, worker_id = ?, room = ?, starts_at = ?, ends_at = ?,
			attendance = ?, updated_at = ? WHERE id = ?`, x.Type, x.WorkerID, x.Room, x.StartsAt, x.EndsAt, x.Attendance,
			x.UpdatedAt, x.ID); err != nil {
			return err
		}
		// Who comes is rewritten only when it changed, so that a merge's undo still finds
		// the rows it moved.
		if !slices.Equal(old.PersonIDs, x.PersonIDs) {
			if _, err := c.exec(ctx, `DELETE FROM case_session_people WHERE session_id = ?`, x.ID); err != nil {
				return err
			}
			if err := writeAttendees(ctx, c, x); err != nil {
				return err
			}
		}
		changes["person_id"] = birge.Change{Before: sessionFields(old)["person_id"], After: sessionFields(x)["person_id"]}
		if err := s.audit(ctx, c, a, event{action: birge.ActionUpdate, entity: birge.EntitySession, entityID: x.ID,
			orgID: x.OrgID, centerID: x.CenterID, changes: changes}); err != nil {
			return err
		}
		if err := ss.attended(ctx, c, a, k, old, x); err != nil {
			return err
		}
		out, _, err = ss.get(ctx, c, a, birge.PermCaseView, x.ID)
		return err
	})
	return out, err
}

func writeAttendees(ctx context.Context, c q, x birge.Session) error {
	for _, id := range x.PersonIDs {
		if _, err := c.exec(ctx, `INSERT INTO case_session_people (session_id, person_id) VALUES (?, ?)`, x.ID, id); err != nil {
			return err
		}
	}
	return nil
}

// check validates a session of case k (old: as it was, or zero when new), every mistake
// by its field, then the gate and the calendar.
func (ss *Sessions) check(ctx context.Context, c q, a *birge.Actor, k birge.Case, x *birge.Session, old birge.Session) error {
	x.StartsAt, x.EndsAt = x.StartsAt.UTC().Truncate(time.Second), x.EndsAt.UTC().Truncate(time.Second)
	if x.PersonIDs == nil {
		x.PersonIDs = []int64{}
	}
	if k.Status == birge.CaseClosed {
		return &birge.Error{Kind: birge.KindConflict, Key: "case.closed"}
	}
	pr := birge.Problems{}
	var e *birge.Error
	if verr := x.Validate(); errors.As(verr, &e) {
		pr = e.Fields
	} else if verr != nil {
		return verr
	}
	// A session is of the case: not before the family came (it would bend the waiting
	// time, and its delivery would predate the case), nor further ahead than a year.
	if !x.StartsAt.IsZero() && x.StartsAt.Unix() != old.StartsAt.Unix() {
		switch {
		case birge.Day(x.StartsAt, a.Location()).Format(time.DateOnly) < k.IntakeDate:
			pr.Add("starts_at", "session.before_intake")
		case x.StartsAt.After(ss.s.now().AddDate(1, 0, 0)):
			pr.Add("starts_at", "session.too_far")
		}
	}
	family := append(append([]int64{}, k.PartnerIDs...), k.ChildIDs...)
	for _, id := range x.PersonIDs {
		// One who has left the family since stays on the sessions she was booked for, so
		// that they can still be marked or cancelled; she cannot be booked anew.
		if !slices.Contains(family, id) && !slices.Contains(old.PersonIDs, id) {
			pr.Add("person_ids", "session.not_in_case")
		}
	}
	if x.WorkerID != 0 && x.WorkerID != old.WorkerID {
		ok, err := ss.worksOn(ctx, c, x.WorkerID, k)
		if err != nil {
			return err
		}
		if !ok {
			pr.Add("worker_id", "session.worker_not_on_case")
		}
	}
	// Whether they came is known once the session has begun: an attended session is a
	// service given, and a service is never recorded for a day still to come.
	if (x.Attendance == birge.AttendanceCame || x.Attendance == birge.AttendanceNoShow) && x.StartsAt.After(ss.s.now()) {
		pr.Add("attendance", "session.not_yet")
	}
	if err := pr.Err(); err != nil {
		return err
	}
	// The gate: a joint session on a flagged or unscreened case is refused, however it
	// is reached (a new one, a type or its people changed, one booked before the case was
	// flagged and marked now); only cancelling it stays possible.
	if x.Blocks() {
		if err := birge.SessionRefused(k, x.Type, x.PersonIDs); err != nil {
			return err
		}
	}
	if !x.Blocks() || (old.ID != 0 && old.Blocks() && x.WorkerID == old.WorkerID && x.Room == old.Room &&
		x.StartsAt.Equal(old.StartsAt) && x.EndsAt.Equal(old.EndsAt)) {
		return nil // frees time, or holds the same time it held
	}
	return ss.free(ctx, c, a, *x)
}

// worksOn reports whether a user may take a case's sessions: one, not disabled, who may
// see cases in its centre (worksIn) and sees this one — assigned to it, or a
// supervisor of the centre.
func (ss *Sessions) worksOn(ctx context.Context, c q, userID int64, k birge.Case) (bool, error) {
	ok, err := ss.s.Cases.worksIn(ctx, c, userID, k.OrgID, k.CenterID)
	if err != nil || !ok {
		return false, err
	}
	grants, err := ss.s.grants(ctx, c, userID)
	if err != nil {
		return false, err
	}
	return sees(&birge.Actor{UserID: userID, Grants: grants}, k), nil
}

// free refuses a session whose worker (in any centre) or room (in its centre) is booked
// at an overlapping time by a session not cancelled, naming the time of the one in the
// way in the actor's zone. The worker's row and the centre's are locked first, so that
// two bookings at once cannot both find the time free.
func (ss *Sessions) free(ctx context.Context, c q, a *birge.Actor, x birge.Session) error {
	if err := lockRow(ctx, c, "users", x.WorkerID); err != nil {
		return err
	}
	if err := lockRow(ctx, c, "centers", x.CenterID); err != nil {
		return err
	}
	// A session that overlaps began before this one ends and ends after it begins; it
	// began at most MaxSessionLength before this one, which keeps the search to a short
	// range of the (worker, start) and (centre, start) indexes.
	overlap := ` AND id <> ? AND attendance NOT IN ('cancelled_client', 'cancelled_center') AND starts_at > ?
		AND starts_at < ? AND ends_at > ? ORDER BY starts_at LIMIT 1`
	args := []any{x.ID, x.StartsAt.Add(-birge.MaxSessionLength), x.EndsAt, x.StartsAt}
	clash := func(key, query string, first ...any) error {
		var from, to time.Time
		err := c.row(ctx, `SELECT starts_at, ends_at FROM case_sessions WHERE `+query+overlap,
			append(first, args...)...).Scan(&from, &to)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		loc := a.Location()
		return &birge.Error{Kind: birge.KindConflict, Key: key, Args: map[string]any{
			"time": from.In(loc).Format("02.01.2006 15:04") + "–" + to.In(loc).Format("15:04")}}
	}
	if err := clash("session.clash_worker", "worker_id = ?", x.WorkerID); err != nil {
		return err
	}
	if x.Room == "" {
		return nil
	}
	return clash("session.clash_room", "center_id = ? AND room = ?", x.CenterID, x.Room)
}

// attended keeps the deliveries of a session true to its attendance: when it was
// attended (old) they are removed, when it is attended now (x) one is written for each
// who came; both when anything of an attended session changed. The first attended
// session of a case at intake or screening makes it active (decision 0025).
func (ss *Sessions) attended(ctx context.Context, c q, a *birge.Actor, k birge.Case, old, x birge.Session) error {
	was, is := old.Attendance == birge.AttendanceCame, x.Attendance == birge.AttendanceCame
	if !was && !is {
		return nil
	}
	if was {
		if err := ss.s.Deliveries.removeFrom(ctx, c, a, SourceCaseSession, x.ID); err != nil {
			return err
		}
	}
	if !is {
		return nil
	}
	kinds, err := ss.s.Deliveries.kinds(ctx, c, x.OrgID)
	if err != nil {
		return err
	}
	kind := ""
	for _, code := range []string{birge.SessionDeliveryKind(x.Type), "consultation"} {
		if kd, ok := kinds.Lookup(code); ok && !kd.Retired && kind == "" {
			kind = code
		}
	}
	if kind == "" {
		return &birge.Error{Kind: birge.KindConflict, Key: "session.no_kind"}
	}
	at := x.StartsAt.In(a.Location())
	for _, id := range x.PersonIDs {
		d := birge.Delivery{PersonID: id, Date: at.Format(time.DateOnly), Time: at.Format("15:04"), Kind: kind,
			Quantity: 1, Unit: "sessions", StaffID: x.WorkerID, Source: SourceCaseSession, SourceID: x.ID}
		if _, err := ss.s.Deliveries.recordIn(ctx, c, a, d); err != nil {
			return err
		}
	}
	if k.Status != birge.CaseIntake && k.Status != birge.CaseScreening {
		return nil
	}
	if _, err := c.exec(ctx, `UPDATE cases SET status = ?, updated_at = ? WHERE id = ?`, birge.CaseActive,
		nextVersion(ss.s.now(), k.UpdatedAt), k.ID); err != nil {
		return err
	}
	return ss.s.audit(ctx, c, a, event{action: birge.ActionUpdate, entity: birge.EntityCase, entityID: k.ID,
		orgID: k.OrgID, centerID: k.CenterID, changes: map[string]birge.Change{
			"status":    {Before: k.Status, After: birge.CaseActive},
			"person_id": {Before: k.PartnerIDs[0], After: k.PartnerIDs[0]}}})
}

// removeFrom deletes the deliveries a module's record wrote (source, id), inside the
// caller's transaction, taking them out of their programmes' totals, each audited.
func (deliveries *Deliveries) removeFrom(ctx context.Context, c q, a *birge.Actor, source string, id int64) error {
	return deliveries.removeWhere(ctx, c, a, `d.source = ? AND d.source_id = ?`, source, id)
}

// removeWhere deletes the deliveries a condition on d picks, as removeFrom does.
func (deliveries *Deliveries) removeWhere(ctx context.Context, c q, a *birge.Actor, cond string, args ...any) error {
	list, err := deliveries.query(ctx, c, `SELECT `+deliveryColumns+` FROM deliveries d WHERE `+cond+` ORDER BY d.id`, args...)
	if err != nil || len(list) == 0 {
		return err
	}
	del := make([]any, len(list))
	for i, d := range list {
		del[i] = d.ID
	}
	if _, err := c.exec(ctx, `DELETE FROM deliveries WHERE id IN (`+placeholders(len(del))+`)`, del...); err != nil {
		return err
	}
	if err := addTotals(ctx, c, list, -1); err != nil {
		return err
	}
	events := make([]event, len(list))
	for i, d := range list {
		events[i] = event{action: birge.ActionDelete, entity: birge.EntityDelivery, entityID: d.ID,
			orgID: d.OrgID, centerID: d.CenterID, changes: birge.Diff(deliveryFields(d), nil)}
	}
	return deliveries.s.auditMany(ctx, c, a, events)
}

// cancelAhead cancels, for the centre, those of a case's sessions still to come that
// cancel picks: the joint ones once a screening flags the case, every one once it is
// closed, so that no one is called to come to them. In the caller's transaction, each
// audited as the centre's cancellation.
func (ss *Sessions) cancelAhead(ctx context.Context, c q, a *birge.Actor, caseID int64, cancel func(birge.Session) bool) error {
	list, err := ss.query(ctx, c, ` WHERE cs.case_id = ? AND cs.attendance = '' AND cs.starts_at > ?`, `cs.starts_at, cs.id`,
		caseID, ss.s.now())
	if err != nil {
		return err
	}
	for _, x := range list {
		if !cancel(x) {
			continue
		}
		if _, err := c.exec(ctx, `UPDATE case_sessions SET attendance = ?, updated_at = ? WHERE id = ?`,
			birge.AttendanceCancelledCenter, nextVersion(ss.s.now(), x.UpdatedAt), x.ID); err != nil {
			return err
		}
		after := x
		after.Attendance = birge.AttendanceCancelledCenter
		changes := birge.Diff(sessionFields(x), sessionFields(after))
		changes["person_id"] = birge.Change{Before: sessionFields(x)["person_id"], After: sessionFields(x)["person_id"]}
		if err := ss.s.audit(ctx, c, a, event{action: birge.ActionUpdate, entity: birge.EntitySession, entityID: x.ID,
			orgID: x.OrgID, centerID: x.CenterID, changes: changes}); err != nil {
			return err
		}
	}
	return nil
}
