package web

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// healthz says the process is alive.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
	return nil
}

// readyz says the instance can serve: the database answers and no migration is pending.
// A load balancer sends no traffic to an instance until it is ready.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.store.Ping(ctx); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "database unreachable")
		return nil
	}
	if n, err := s.store.Pending(ctx); err != nil || n > 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, "migrations pending: %d\n", n)
		return nil
	}
	fmt.Fprintln(w, "ready")
	return nil
}
