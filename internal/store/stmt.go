package store

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps reads on the pool prepared. modernc's SQLite otherwise parses and plans
// every query anew, which was a fifth of a staff page's time. database/sql prepares a
// cached statement on each connection the first time that connection runs it.
type stmtCache struct {
	db *sql.DB
	mu sync.RWMutex
	m  map[string]*sql.Stmt // by query text as written, before rebinding
}

// maxStmts bounds the cache: queries built from filters differ in text (an IN list per
// scope size), and past this many the rare ones are simply prepared each time.
const maxStmts = 512

// get returns the prepared form of query, or nil when the cache is full.
func (c *stmtCache) get(ctx context.Context, d *dialect, query string) (*sql.Stmt, error) {
	c.mu.RLock()
	st, ok := c.m[query]
	c.mu.RUnlock()
	if ok {
		return st, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok {
		return st, nil
	}
	if len(c.m) >= maxStmts {
		return nil, nil
	}
	st, err := c.db.PrepareContext(ctx, d.rebind(query))
	if err != nil {
		return nil, err
	}
	c.m[query] = st
	return st, nil
}

// close releases every cached statement.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = map[string]*sql.Stmt{}
}
