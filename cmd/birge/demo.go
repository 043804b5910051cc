package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/demo"
	"github.com/birge-org/birge/internal/store"
)

// demo loads the demo organisations and users into an empty database, and with
// --people N as many generated people, and with --deliveries M that many services given
// to the people registered, to see the platform at a network's size.
func (e *env) demo(ctx context.Context, args []string) error {
	var db dbFlags
	fs := e.flags("demo", &db)
	n := fs.Int("people", 0, "also register this many generated people in the demo centres")
	m := fs.Int("deliveries", 0, "also record this many generated services for the people registered")
	history := fs.Bool("history", true, "also the Aktobe family centre's four months of families, Mama Pro's year of trainings and the competitions (calls, reviews, awards)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := e.open(ctx, db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := e.loadDemo(ctx, st, *history); err != nil {
		return err
	}
	if *n > 0 {
		if err := e.generate("people", "Registered %d generated people in %s.\n", func(progress func(int)) (int, error) {
			return *n, demo.LoadGenerated(ctx, st, *n, progress)
		}, *n); err != nil {
			return err
		}
	}
	if *m > 0 {
		if err := e.generate("deliveries", "Recorded %d generated deliveries in %s.\n", func(progress func(int)) (int, error) {
			return demo.LoadDeliveries(ctx, st, *m, progress)
		}, *m); err != nil {
			return err
		}
	}
	return nil
}

// generate runs a generator of total records, showing its progress, and says how many it
// made and how long it took. The time is the wall clock's, elapsed: how long the operator
// waited, not a day any record holds.
func (e *env) generate(what, done string, run func(progress func(int)) (int, error), total int) error {
	start := time.Now()
	n, err := run(func(made int) { fmt.Fprintf(e.stdout, "\r%d of %d %s", made, total, what) })
	fmt.Fprintf(e.stdout, "\n")
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, done, n, time.Since(start).Round(time.Millisecond))
	return nil
}

// loadDemo loads demo data unless the database has organisations already (so that
// `serve --demo` can be run again), with the Aktobe centre's four months of families,
// Mama Pro's year of trainings and the competitions if history, and prints each demo
// password once.
func (e *env) loadDemo(ctx context.Context, st *store.Store, history bool) error {
	orgs, err := st.ListOrgs(ctx, birge.System("demo"))
	if err != nil {
		return err
	}
	if len(orgs) > 0 {
		fmt.Fprintln(e.stdout, "Demo data is loaded already; its passwords were printed then.",
			"Set a new one with: birge user reset-password --email admin@birge.example --password-stdin")
		return nil
	}
	logins, err := demo.Load(ctx, st)
	if err != nil {
		return err
	}
	// The Aktobe centre's four months of families, Mama Pro's year of trainings and the
	// competitions, so that their figures look real.
	if history {
		staff, err := demo.LoadHistory(ctx, st)
		if err != nil {
			return err
		}
		trainings, err := demo.LoadTrainingHistory(ctx, st)
		if err != nil {
			return err
		}
		// A certificate's code is printed on it for anyone to check: one to try on /certificates.
		if certs, err := st.Trainings.Certificates(ctx, birge.System("demo"), trainings[0].Cohort.ID); err == nil && len(certs) > 0 {
			defer fmt.Fprintf(e.stdout, "A certificate to check at /certificates: %s\n", certs[0].Code)
		} else if err != nil {
			return err
		}
		reviewers, err := demo.LoadCalls(ctx, st)
		if err != nil {
			return err
		}
		logins = append(append(logins, staff...), reviewers...)
	}
	fmt.Fprintln(e.stdout, "Demo data loaded. Sign in with any of these (passwords are shown only now):")
	tw := tabwriter.NewWriter(e.stdout, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "  EMAIL\tPASSWORD\tROLE\tWHERE")
	for _, l := range logins {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", l.Email, l.Password, l.Role, l.Where)
	}
	return tw.Flush()
}
