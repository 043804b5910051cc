package store

// This file exports to the external tests what the calendar's benchmark needs to write
// a million sessions quickly.

import (
	"context"
	"fmt"
	"time"
)

// SessionLoad is what GenerateSessions writes: Workers users; Cases cases, half at the
// office measured and half at Other; Sessions sessions, of which PerWeek a week for Weeks
// weeks from From (a Monday) are the office's, spread over its workers from Monday to
// Friday, and the rest Other's; each session with one of People as its attendee.
type SessionLoad struct {
	OrgID, Office, Other int64
	People               []int64
	Workers, Cases       int
	Sessions             int
	PerWeek, Weeks       int
	From                 time.Time
}

// GenerateSessions writes a SessionLoad with multi-row INSERTs (insertRows), a hundred
// thousand sessions a transaction.
func GenerateSessions(ctx context.Context, s *Store, g SessionLoad) error {
	now := s.now()
	var workers, cases []int64
	err := s.tx(ctx, func(c q) error {
		var err error
		if workers, err = s.reserveIDs(ctx, c, "users", g.Workers); err != nil {
			return err
		}
		rows := make([][]any, len(workers))
		for i, id := range workers {
			rows[i] = []any{id, fmt.Sprintf("worker%d@bench.example", i), fmt.Sprintf("Психолог %d", i), "kk", g.OrgID, now, now}
		}
		if err := insertRows(ctx, c, "users", []string{"id", "email", "name", "lang", "org_id", "created_at", "updated_at"}, rows); err != nil {
			return err
		}
		if cases, err = s.reserveIDs(ctx, c, "cases", g.Cases); err != nil {
			return err
		}
		rows = make([][]any, len(cases))
		for i, id := range cases {
			center := g.Office
			if i%2 == 1 {
				center = g.Other
			}
			rows[i] = []any{id, g.OrgID, center, "2026-01-05", "communication", "self", "active", workers[i%len(workers)], now, now}
		}
		return insertRows(ctx, c, "cases", []string{"id", "org_id", "center_id", "intake_date", "reasons", "came_from", "status",
			"psychologist_id", "created_at", "updated_at"}, rows)
	})
	if err != nil {
		return err
	}
	office := g.PerWeek * g.Weeks
	const batch = 100_000
	for done := 0; done < g.Sessions; done += batch {
		n := min(batch, g.Sessions-done)
		err := s.tx(ctx, func(c q) error {
			ids, err := s.reserveIDs(ctx, c, "case_sessions", n)
			if err != nil {
				return err
			}
			sessions, people := make([][]any, n), make([][]any, n)
			for j, id := range ids {
				i := done + j
				week, slot := i/g.PerWeek%g.Weeks, i%g.PerWeek
				k := slot / len(workers) // the worker's k-th session of the week
				start := g.From.AddDate(0, 0, 7*week+k%5).Add(time.Duration(4+k/5%8) * time.Hour)
				center, kase := g.Office, cases[(2*i)%len(cases)]
				if i >= office {
					center, kase = g.Other, cases[(2*i+1)%len(cases)]
				}
				sessions[j] = []any{id, kase, g.OrgID, center, "individual", workers[slot%len(workers)], "Кабинет 1", start,
					start.Add(time.Hour), "came", now, now}
				people[j] = []any{id, g.People[i%len(g.People)]}
			}
			if err := insertRows(ctx, c, "case_sessions", []string{"id", "case_id", "org_id", "center_id", "type", "worker_id",
				"room", "starts_at", "ends_at", "attendance", "created_at", "updated_at"}, sessions); err != nil {
				return err
			}
			return insertRows(ctx, c, "case_session_people", []string{"session_id", "person_id"}, people)
		})
		if err != nil {
			return err
		}
	}
	// What autovacuum does after such a load in production, at once: the planner's
	// statistics of the new rows.
	if s.d.name == "postgres" {
		for _, t := range []string{"users", "cases", "case_sessions", "case_session_people"} {
			if _, err := s.wdb.ExecContext(ctx, `ANALYZE `+t); err != nil {
				return err
			}
		}
	}
	return nil
}
