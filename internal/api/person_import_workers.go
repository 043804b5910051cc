package api

import (
	"context"
	"runtime"
	"sync"
)

// ImportWorkers runs the checks and writes of imports, a few at a time, for the pages
// and the API alike. Each one reads a whole file into memory and keeps a core busy for
// seconds, so without a bound a handful of uploads at once could take the server's
// memory; beyond the bound they wait their turn, and the import's page and its API
// status say "queued" meanwhile. What each one is doing is kept here, per instance: an
// import started on another instance shows its state from the database, without stages.
type ImportWorkers struct {
	slots chan struct{}
	mu    sync.Mutex
	runs  map[int64]ImportProgress
	wg    sync.WaitGroup
}

// ImportProgress is where a running import is: queued (waiting for a worker), check or
// write, with the rows done so far.
type ImportProgress struct {
	Stage string `json:"stage"`
	Done  int    `json:"done"`
	Total int    `json:"total"`
}

// Stages of a running import.
const (
	StageQueued = "queued"
	StageCheck  = "check"
	StageWrite  = "write"
)

// NewImportWorkers returns a pool of n workers, or of as many as there are cores (at
// least two) when n is 0: the checks are CPU-bound, and two keep a small machine
// answering pages while one file is checked.
func NewImportWorkers(n int) *ImportWorkers {
	if n <= 0 {
		n = max(2, runtime.GOMAXPROCS(0))
	}
	return &ImportWorkers{slots: make(chan struct{}, n), runs: map[int64]ImportProgress{}}
}

// Go queues job for import id and returns at once; job runs when a worker is free, with
// a function to report its progress.
func (w *ImportWorkers) Go(id int64, job func(progress func(stage string, done, total int))) {
	w.set(id, StageQueued, 0, 0)
	w.wg.Go(func() {
		defer w.end(id)
		w.slots <- struct{}{}
		defer func() { <-w.slots }()
		w.set(id, StageCheck, 0, 0)
		job(func(stage string, done, total int) { w.set(id, stage, done, total) })
	})
}

// Acquire waits for a free worker, for an import run while its request waits (the
// API's), and returns the function that frees it.
func (w *ImportWorkers) Acquire(ctx context.Context) (release func(), err error) {
	select {
	case w.slots <- struct{}{}:
		return func() { <-w.slots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Progress tells where import id is, if this instance is running it.
func (w *ImportWorkers) Progress(id int64) (ImportProgress, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	p, ok := w.runs[id]
	return p, ok
}

// Wait waits for the imports queued or running to end (for tests and shutdown).
func (w *ImportWorkers) Wait() { w.wg.Wait() }

func (w *ImportWorkers) set(id int64, stage string, done, total int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.runs[id] = ImportProgress{stage, done, total}
}

func (w *ImportWorkers) end(id int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.runs, id)
}
