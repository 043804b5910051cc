package store

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/birge-org/birge/internal/birge"
)

// where builds a WHERE clause from conditions joined by AND.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

// scope limits rows to an actor's scope, given the names of the rows' organisation and
// centre columns. An empty scope matches nothing.
func (w *where) scope(orgCol, centerCol string, s birge.Scope) {
	if s.All {
		return
	}
	var ors []string
	if len(s.Orgs) > 0 {
		ors = append(ors, orgCol+" IN ("+placeholders(len(s.Orgs))+")")
		for _, id := range s.Orgs {
			w.args = append(w.args, id)
		}
	}
	if len(s.Centers) > 0 && centerCol != "" {
		ors = append(ors, centerCol+" IN ("+placeholders(len(s.Centers))+")")
		for _, id := range s.Centers {
			w.args = append(w.args, id)
		}
	}
	if len(ors) == 0 {
		w.conds = append(w.conds, "1 = 0")
		return
	}
	w.conds = append(w.conds, "("+strings.Join(ors, " OR ")+")")
}

// clone copies w, so that conditions added to the copy leave w as it was.
func (w where) clone() where {
	return where{conds: slices.Clone(w.conds), args: slices.Clone(w.args)}
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func itoa(n int) string { return strconv.Itoa(n) }

// in adds "col IN (...)" for a list of codes.
func (w *where) in(col string, codes []string) {
	args := make([]any, len(codes))
	for i, c := range codes {
		args[i] = c
	}
	w.add(col+" IN ("+placeholders(len(codes))+")", args...)
}

// ids reads a query's one column of ids.
func ids(ctx context.Context, c q, query string, args ...any) ([]int64, error) {
	rows, err := c.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
