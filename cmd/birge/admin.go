package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// migrate shows or applies schema migrations. The action may come before the flags, as
// for the other commands (birge migrate up --data DIR), or after them: either way every
// flag is read, none ignored.
func (e *env) migrate(ctx context.Context, args []string) error {
	action := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		action, args = args[0], args[1:]
	}
	var db dbFlags
	fs := e.flags("migrate", &db)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if action == "" && fs.NArg() == 1 {
		action = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return fmt.Errorf("migrate: unexpected %q (birge migrate [status|up] --data DIR)", strings.Join(fs.Args(), " "))
	}
	st, err := e.open(ctx, db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	switch action {
	case "", "status":
		list, err := st.MigrationStatus(ctx)
		if err != nil {
			return err
		}
		for _, m := range list {
			state := "pending"
			if m.AppliedAt != nil {
				state = "applied " + m.AppliedAt.UTC().Format("2006-01-02 15:04:05Z")
			}
			fmt.Fprintf(e.stdout, "%04d_%s\t%s\n", m.Version, m.Name, state)
		}
		return nil
	case "up":
		n, err := st.Migrate(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "applied %d migration(s)\n", n)
		return nil
	}
	return fmt.Errorf("migrate: unknown action %q (status or up)", action)
}

// user adds users and resets passwords from the command line, acting as the system.
func (e *env) user(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("user: add or reset-password")
	}
	var db dbFlags
	fs := e.flags("user "+args[0], &db)
	email := fs.String("email", "", "email address")
	name := fs.String("name", "", "full name")
	role := fs.String("role", "admin", "role: admin, coordinator, caseworker, trainer, grantofficer, reviewer, analyst, viewer")
	org := fs.Int64("org", 0, "organisation id (with neither --org nor --center: the whole installation)")
	center := fs.Int64("center", 0, "centre id")
	lang := fs.String("lang", "ru", "preferred language: kk, ru, ky or en")
	stdinPw := fs.Bool("password-stdin", false, "read the password from standard input")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if !*stdinPw {
		return fmt.Errorf("pass the password on standard input with --password-stdin, never as an argument")
	}
	pw, err := e.readPassword()
	if err != nil {
		return err
	}
	st, err := e.open(ctx, db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	sys := birge.System("cli")
	switch args[0] {
	case "add":
		g := birge.Grant{Role: birge.Role(*role), OrgID: *org, CenterID: *center}
		if *center != 0 {
			c, err := st.GetCenter(ctx, sys, *center)
			if err != nil {
				return fmt.Errorf("centre %d: %w", *center, err)
			}
			g.OrgID = c.OrgID
		}
		u, err := st.CreateUser(ctx, sys, store.NewUser{User: birge.User{Email: *email, Name: *name, Lang: *lang,
			Grants: []birge.Grant{g}}, Password: pw})
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(e.stdout, "user %d created: %s\n", u.ID, u.Email)
		return nil
	case "reset-password":
		id, err := st.UserIDByEmail(ctx, *email)
		if err != nil {
			return fmt.Errorf("no user with email %q", *email)
		}
		if err := st.SetPassword(ctx, sys, id, pw); err != nil {
			return explain(err)
		}
		fmt.Fprintln(e.stdout, "password set; the user's sessions have ended and their API tokens are revoked")
		return nil
	}
	return fmt.Errorf("user: unknown action %q (add or reset-password)", args[0])
}

// token prints a new personal API token as the last line of output.
func (e *env) token(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		return fmt.Errorf("token: create")
	}
	var db dbFlags
	fs := e.flags("token create", &db)
	email := fs.String("email", "", "the user the token acts for")
	name := fs.String("name", "", "what the token is for")
	days := fs.Int("expires-in-days", birge.TokenDefaultDays, fmt.Sprintf("how many days the token works, 1 to %d", birge.TokenMaxDays))
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	st, err := e.open(ctx, db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	id, err := st.UserIDByEmail(ctx, *email)
	if err != nil {
		return fmt.Errorf("no user with email %q", *email)
	}
	t, secret, err := st.CreateToken(ctx, birge.System("cli"), id, *name, *days)
	if err != nil {
		return explain(err)
	}
	fmt.Fprintf(e.stderr, "API token created, valid until %s; it is shown only now:\n", t.ExpiresAt.Format("2006-01-02 15:04Z07:00"))
	fmt.Fprintln(e.stdout, secret)
	return nil
}

// backup copies a SQLite database while the server keeps serving.
func (e *env) backup(ctx context.Context, args []string) error {
	var db dbFlags
	fs := e.flags("backup", &db)
	to := fs.String("to", "", "file to write the copy to (must not exist)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if db.database != "" {
		fmt.Fprintf(e.stdout, "This installation runs on PostgreSQL; back it up with pg_dump:\n  pg_dump --format=custom --file=birge.dump %q\n", db.database)
		return nil
	}
	if *to == "" {
		return fmt.Errorf("backup: --to FILE is required")
	}
	st, err := e.open(ctx, db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Backup(ctx, *to); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backup written to %s\n", *to)
	return nil
}

// explain turns a validation error into a line a person at a terminal can act on.
func explain(err error) error {
	e := birge.AsError(err)
	if len(e.Fields) > 0 {
		return fmt.Errorf("%s %v", e.Key, e.Fields)
	}
	return err
}
