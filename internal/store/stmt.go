package store

import (
	"container/list"
	"context"
	"database/sql"
	"sync"
	"time"
)

// stmtCache keeps reads on the pool prepared. modernc's SQLite otherwise parses and plans
// every query anew, which was a fifth of a staff page's time. database/sql prepares a
// cached statement on each connection the first time that connection runs it.
//
// It holds at most maxStmts statements and drops the least recently used: queries built
// from filters differ in text (an IN list per scope size), and the rare ones must not
// push out those every page runs. The lock is held only to look up and to insert, never
// while preparing, so that a slow prepare does not hold up every other query.
type stmtCache struct {
	db  *sql.DB
	mu  sync.Mutex
	m   map[string]*list.Element // by query text as written, before rebinding
	lru list.List                // of *cachedStmt, the most recently used first
}

type cachedStmt struct {
	query string
	st    *sql.Stmt
}

// maxStmts bounds the cache.
const maxStmts = 512

// evictedGrace is how long a statement pushed out of the cache stays open: whoever took it
// from the cache last has started with it by then, and Close waits for what still runs.
const evictedGrace = time.Minute

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, m: map[string]*list.Element{}}
}

// get returns the prepared form of query, preparing it on first use.
func (c *stmtCache) get(ctx context.Context, d *dialect, query string) (*sql.Stmt, error) {
	if st := c.lookup(query); st != nil {
		return st, nil
	}
	st, err := c.db.PrepareContext(ctx, d.rebind(query))
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[query]; ok { // prepared meanwhile by another caller: keep theirs
		st.Close()
		c.lru.MoveToFront(e)
		return e.Value.(*cachedStmt).st, nil
	}
	c.m[query] = c.lru.PushFront(&cachedStmt{query: query, st: st})
	if c.lru.Len() > maxStmts {
		old := c.lru.Remove(c.lru.Back()).(*cachedStmt)
		delete(c.m, old.query)
		time.AfterFunc(evictedGrace, func() { old.st.Close() })
	}
	return st, nil
}

// lookup returns the cached statement for query and marks it used, or nil.
func (c *stmtCache) lookup(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[query]
	if !ok {
		return nil
	}
	c.lru.MoveToFront(e)
	return e.Value.(*cachedStmt).st
}

// len is how many statements are cached.
func (c *stmtCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}

// close releases every cached statement.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for e := c.lru.Front(); e != nil; e = e.Next() {
		e.Value.(*cachedStmt).st.Close()
	}
	c.m = map[string]*list.Element{}
	c.lru.Init()
}
