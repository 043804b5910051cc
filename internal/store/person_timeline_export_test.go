package store

import (
	"context"
	"strings"
)

// TimelinePlan is how SQLite runs the timeline's query of the audit log, for the test
// that it reads a range of the index rather than every entry about people.
func TimelinePlan(ctx context.Context, s *Store) (string, error) {
	rows, err := s.db.QueryContext(ctx, `EXPLAIN QUERY PLAN `+auditTimelineQuery+`20`, 1, 100)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return "", err
		}
		plan = append(plan, detail)
	}
	return strings.Join(plan, "; "), rows.Err()
}
