package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// birgeCmd runs the program with args and the database's flags, returning its output.
func birgeCmd(t *testing.T, db testenv.Database, args ...string) (string, error) {
	t.Helper()
	return birgeCmdIn(t, db, "", args...)
}

// birgeCmdIn is birgeCmd with stdin on standard input, as a password is given.
func birgeCmdIn(t *testing.T, db testenv.Database, stdin string, args ...string) (string, error) {
	t.Helper()
	return runArgs(t, stdin, append(args, "--data", db.DataDir, "--database", db.URL)...)
}

// runArgs runs the program as main does, with args exactly as given.
func runArgs(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), append([]string{"birge"}, args...), func(string) string { return "" },
		strings.NewReader(stdin), &out, &out)
	return out.String(), err
}

// The administrator's commands through run, as main calls it: migrations listed and
// applied, a user added, a token made for her that works, her password reset (which
// revokes it), a backup only its owner may read. Each refuses what it must.
func TestAdminCommands(t *testing.T) {
	birge.FastPasswordsForTests()
	for _, db := range testenv.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			out, err := birgeCmd(t, db, "migrate", "status")
			if err != nil || !strings.Contains(out, "0001_foundation\tpending") || strings.Contains(out, "applied") {
				t.Fatalf("migrate status on a new database: %v\n%s", err, out)
			}
			if out, err = birgeCmd(t, db, "migrate", "up"); err != nil || !strings.HasPrefix(out, "applied ") {
				t.Fatalf("migrate up: %v\n%s", err, out)
			}
			// Flags before the action are read too.
			if out, err = runArgs(t, "", "migrate", "--data", db.DataDir, "--database", db.URL, "status"); err != nil || strings.Contains(out, "pending") {
				t.Fatalf("migrate status after up: %v\n%s", err, out)
			}

			const email, pw = "it@birge.example", "a long enough password"
			if _, err := birgeCmd(t, db, "user", "add", "--email", email, "--name", "Әсел", "--role", "admin"); err == nil ||
				!strings.Contains(err.Error(), "--password-stdin") {
				t.Errorf("a user without --password-stdin: %v, want a refusal that names it", err)
			}
			if _, err := birgeCmdIn(t, db, pw, "user", "add", "--email", email, "--name", "Әсел", "--role", "chief", "--password-stdin"); err == nil {
				t.Error("a user with an unknown role was added")
			}
			if out, err = birgeCmdIn(t, db, pw+"\n", "user", "add", "--email", email, "--name", "Әсел", "--role", "admin",
				"--lang", "kk", "--password-stdin"); err != nil || !strings.Contains(out, "created: "+email) {
				t.Fatalf("user add: %v\n%s", err, out)
			}

			out, err = birgeCmd(t, db, "token", "create", "--email", email, "--name", "backup script")
			lines := strings.Fields(out)
			if err != nil || len(lines) == 0 || !strings.HasPrefix(lines[len(lines)-1], store.TokenPrefix) {
				t.Fatalf("token create: %v\n%s", err, out)
			}
			secret := lines[len(lines)-1]
			if _, err := birgeCmd(t, db, "token", "create", "--email", "nobody@birge.example", "--name", "x"); err == nil {
				t.Error("a token for no one was made")
			}

			st := testenv.Open(t, db)
			if a, err := st.ActorByToken(ctx, secret, "10.0.0.1"); err != nil || a.Name != "Әсел" {
				t.Fatalf("the new token: %v, %v", a, err)
			}
			const next = "another long password"
			if out, err = birgeCmdIn(t, db, next, "user", "reset-password", "--email", email, "--password-stdin"); err != nil {
				t.Fatalf("reset-password: %v\n%s", err, out)
			}
			if _, err := st.ActorByToken(ctx, secret, "10.0.0.1"); err == nil {
				t.Error("the token works after an administrator's reset")
			}
			if _, _, err := st.Login(ctx, email, next, "10.0.0.1", "test"); err != nil {
				t.Errorf("signing in with the new password: %v", err)
			}

			file := filepath.Join(t.TempDir(), "copy.db")
			out, err = birgeCmd(t, db, "backup", "--to", file)
			if db.URL != "" {
				if err != nil || !strings.Contains(out, "pg_dump") {
					t.Errorf("backup on PostgreSQL: %v\n%s, want pg_dump's command", err, out)
				}
				return
			}
			if fi, serr := os.Stat(file); err != nil || serr != nil || fi.Mode().Perm() != 0o600 {
				t.Errorf("backup: %v %v, mode %v, want a file only its owner reads\n%s", err, serr, fi, out)
			}
			if _, err := birgeCmd(t, db, "backup", "--to", file); err == nil {
				t.Error("a backup overwrote an existing file")
			}
		})
	}
}
