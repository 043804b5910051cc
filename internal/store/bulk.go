package store

import (
	"context"
	"errors"
	"strings"

	"github.com/birge-org/birge/internal/birge"
)

// Bulk writes, for imports: a hundred thousand people are a few hundred statements, not
// a million round trips.

// maxParams keeps a multi-row INSERT under both databases' limit on bound values
// (SQLite 32,766; PostgreSQL 65,535).
const maxParams = 30000

// insertRows inserts rows into table with multi-row INSERTs. Batches come in a few fixed
// sizes — as many as fit, then 256, 16 and 1 — so that the number of distinct statement
// texts (which the PostgreSQL dialect caches) stays small whatever the row count.
func insertRows(ctx context.Context, c q, table string, cols []string, rows [][]any) error {
	one := "(" + placeholders(len(cols)) + ")"
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	full := max(1, maxParams/len(cols))
	for len(rows) > 0 {
		n := 1
		for _, size := range []int{full, 256, 16} {
			if len(rows) >= size {
				n = size
				break
			}
		}
		args := make([]any, 0, n*len(cols))
		for _, row := range rows[:n] {
			args = append(args, row...)
		}
		query := head + strings.Repeat(one+", ", n-1) + one
		if _, err := c.exec(ctx, query, args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// reserveIDs takes n new ids of table, for rows inserted with their ids given, so that
// the rows that refer to them can be written in bulk too.
func (s *Store) reserveIDs(ctx context.Context, c q, table string, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	if s.d.name == "postgres" {
		rows, err := c.query(ctx, `SELECT nextval(pg_get_serial_sequence('`+table+`', 'id')) FROM generate_series(1, ?)`, n)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			ids = append(ids, id)
		}
		return ids, rows.Err()
	}
	// SQLite transactions are IMMEDIATE: this one holds the write lock, so nobody else
	// takes an id meanwhile, and AUTOINCREMENT never hands out one up to the sequence.
	var last int64
	if err := c.row(ctx, `SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = ?), 0)`, table).Scan(&last); err != nil {
		return nil, err
	}
	for i := range n {
		ids = append(ids, last+1+int64(i))
	}
	return ids, nil
}

// inChunks calls read with the ids a few hundred at a time, for queries with `IN (…)`:
// chunks come in fixed sizes (500, 50, 5, 1), so that the statement texts stay few, as
// insertRows' do.
func inChunks(ids []any, read func(chunk []any) error) error {
	for len(ids) > 0 {
		n := 1
		for _, size := range []int{500, 50, 5} {
			if len(ids) >= size {
				n = size
				break
			}
		}
		// The chunk's capacity ends with it, so a caller's append(chunk, more args...)
		// copies instead of writing over the ids of the next chunk.
		if err := read(ids[:n:n]); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// itemProblems adds the problems of item i of a bulk write to pr, keyed items[i].field;
// an error that is no problem of the item's is returned.
func itemProblems(pr birge.Problems, i int, err error) error {
	var e *birge.Error
	switch {
	case err == nil:
	case birge.KindOf(err) == birge.KindNotFound:
		pr.Add("items["+itoa(i)+"].person_id", "field.choose")
	case errors.As(err, &e) && e.Kind == birge.KindInvalid:
		for f, key := range e.Fields {
			pr.Add("items["+itoa(i)+"]."+f, key)
		}
	default:
		return err
	}
	return nil
}
