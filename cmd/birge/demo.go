package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/demo"
	"github.com/birge-org/birge/internal/store"
)

// demo loads the demo organisations and users into an empty database.
func (e *env) demo(ctx context.Context, args []string) error {
	var db dbFlags
	fs := e.flags("demo", &db)
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := e.open(ctx, db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	return e.loadDemo(ctx, st)
}

// loadDemo loads demo data unless the database has organisations already (so that
// `serve --demo` can be run again), and prints each demo password once.
func (e *env) loadDemo(ctx context.Context, st *store.Store) error {
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
	fmt.Fprintln(e.stdout, "Demo data loaded. Sign in with any of these (passwords are shown only now):")
	tw := tabwriter.NewWriter(e.stdout, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "  EMAIL\tPASSWORD\tROLE\tWHERE")
	for _, l := range logins {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", l.Email, l.Password, l.Role, l.Where)
	}
	return tw.Flush()
}
