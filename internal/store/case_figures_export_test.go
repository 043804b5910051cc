package store

import "context"

// BulkInsert writes many rows into a table at once, in one transaction, for benchmarks
// that need data at size (the sessions of 100,000 cases).
func BulkInsert(ctx context.Context, s *Store, table string, cols []string, rows [][]any) error {
	return s.tx(ctx, func(c q) error { return insertRows(ctx, c, table, cols, rows) })
}
