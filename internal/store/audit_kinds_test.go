package store_test

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// auditKindsInSource lists the actions and entities the store's own code writes to the
// audit log: the values of action and entity in its event literals and assignments. A
// kind added to the store without a step in TestAuditEveryKindRoundTrip fails that test.
func auditKindsInSource(t *testing.T) (actions, entities map[string]bool) {
	t.Helper()
	actions, entities = map[string]bool{}, map[string]bool{}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	add := func(field string, v ast.Expr) {
		lit, ok := v.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return
		}
		s, _ := strconv.Unquote(lit.Value)
		switch field {
		case "action":
			actions[s] = true
		case "entity":
			entities[s] = true
		}
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.KeyValueExpr: // event{action: "create", entity: "person", …}
				if k, ok := n.Key.(*ast.Ident); ok {
					add(k.Name, n.Value)
				}
			case *ast.AssignStmt: // ev.action, ev.changes = "relation_removed", …
				for i, l := range n.Lhs {
					if sel, ok := l.(*ast.SelectorExpr); ok && i < len(n.Rhs) {
						add(sel.Sel.Name, n.Rhs[i])
					}
				}
			}
			return true
		})
	}
	if len(actions) < 20 || !actions["reveal_id"] || !entities["person"] {
		t.Fatalf("found only actions %v, entities %v in the store's code", actions, entities)
	}
	return actions, entities
}

// Every kind of entry the store writes is written through the store method that writes
// it, read back through the audit list, and the whole log verifies after each: before
// migration 0015 a dossier export or an identity number revealed broke it (an empty change
// set hashed as {} but stored as the empty string).
func TestAuditEveryKindRoundTrip(t *testing.T) {
	actions, entities := auditKindsInSource(t)
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		st.SetClock(func() time.Time { return time.Date(2027, 3, 2, 9, 0, 0, 0, time.UTC) })
		fx := newPeopleFixture(t, st) // organisations, centres, users, grants, people, logins
		sys := birge.System("t")
		var person, other, third birge.Person
		var consent birge.Consent
		var relation birge.Relation
		var merge store.Merge
		var org birge.Organization
		var center birge.Center
		var cat birge.Category
		var user birge.User
		var tok store.Token
		var im store.Import
		var session string
		var me *birge.Actor
		steps := []struct {
			name string
			do   func() error
		}{
			{"create person", func() (err error) {
				person, err = st.CreatePerson(ctx, fx.coord, aizhan(fx.aktobe.ID))
				return err
			}},
			{"update person", func() (err error) {
				person.Patronymic = "Серікқызы"
				person, err = st.UpdatePerson(ctx, fx.coord, person)
				return err
			}},
			{"reveal identity", func() error { _, err := st.RevealIdentity(ctx, fx.coord, person.ID); return err }},
			{"dossier", func() error { _, err := st.PersonDossier(ctx, fx.coord, person.ID); return err }},
			{"consent", func() (err error) {
				consent, err = st.AddConsent(ctx, fx.coord, person.ID, birge.Consent{Purpose: "story", Channel: "paper", GivenOn: "2027-03-01"})
				return err
			}},
			{"consent withdrawn", func() error { return st.WithdrawConsent(ctx, fx.coord, person.ID, consent.ID, "2027-03-02") }},
			{"relation", func() (err error) {
				other, err = st.CreatePerson(ctx, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Дана", BirthDate: "2015-04-01"})
				if err == nil {
					relation, err = st.AddRelation(ctx, fx.coord, person.ID, other.ID, "child")
				}
				return err
			}},
			{"relation removed", func() error { return st.RemoveRelation(ctx, fx.coord, person.ID, relation.ID) }},
			{"not duplicate", func() (err error) {
				third, err = st.CreatePerson(ctx, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Мария",
					Phones: []string{"8 701 123 45 67"}})
				if err != nil {
					return err
				}
				q, err := st.ListDuplicatePairs(ctx, fx.coord, 0, 0)
				if err != nil || len(q.Items) == 0 {
					t.Fatalf("no pair in the queue: %v", err)
				}
				return st.DismissDuplicatePair(ctx, fx.coord, q.Items[0].ID)
			}},
			{"merge", func() (err error) { merge, err = st.MergePeople(ctx, fx.admin, person.ID, third.ID, nil); return err }},
			{"unmerge", func() error { return st.UndoMerge(ctx, fx.admin, person.ID, merge.ID) }},
			{"import", func() error {
				_, err := st.ImportPeople(ctx, fx.coord, importRows(fx, 0, 3), store.ImportOptions{CenterID: fx.aktobe.ID})
				return err
			}},
			{"upload", func() (err error) {
				im, err = st.CreateImport(ctx, fx.admin, fx.aktobe.ID, "people.csv", []byte("Имя\nЖанар\n"),
					[]store.ImportColumn{{Header: "Имя", Sample: "Жанар"}}, []string{"given_name"})
				return err
			}},
			{"apply", func() error {
				return st.FinishImport(ctx, fx.admin, im.ID, store.ImportApplied, &store.ImportReport{Rows: 1, Created: 1})
			}},
			{"export", func() error {
				_, err := st.ExportPeople(ctx, fx.coord, store.PeopleFilter{}, "csv", func(birge.Person) error { return nil })
				return err
			}},
			{"anonymise", func() error { return st.AnonymisePerson(ctx, fx.coord, other.ID) }},
			{"create organisation", func() (err error) {
				org, err = st.CreateOrg(ctx, sys, birge.Organization{Names: birge.Names{KK: "Жаңа", RU: "Новая", KY: "Жаңы", EN: "New"}, Country: "KZ"})
				return err
			}},
			{"update organisation", func() (err error) {
				org.Names.EN = "New one"
				org, err = st.UpdateOrg(ctx, sys, org)
				return err
			}},
			{"create centre", func() (err error) {
				center, err = st.CreateCenter(ctx, sys, birge.Center{OrgID: org.ID, Names: org.Names, Type: "office",
					Country: "KZ", Region: "KZ15", TimeZone: "Asia/Almaty"})
				return err
			}},
			{"update centre", func() (err error) {
				center.Address = "Абай даңғылы, 2"
				center, err = st.UpdateCenter(ctx, sys, center)
				return err
			}},
			{"delete centre", func() error { return st.DeleteCenter(ctx, sys, center.ID) }},
			{"create category", func() (err error) {
				cat, err = st.CreateCategory(ctx, sys, birge.Category{OrgID: org.ID, Code: "migrant",
					Names: birge.Names{KK: "Көші-қон", RU: "Мигрантка", KY: "Мигрант", EN: "Migrant"}})
				return err
			}},
			{"update category", func() (err error) {
				cat.Names.EN = "Migrant woman"
				cat, err = st.UpdateCategory(ctx, sys, cat)
				return err
			}},
			{"create user", func() (err error) {
				user, err = st.CreateUser(ctx, sys, store.NewUser{User: birge.User{Email: "new@birge.example", Name: "Жаңа Қызметкер",
					Lang: "kk", Grants: []birge.Grant{{Role: birge.RoleViewer, OrgID: org.ID}}}, Password: "correct horse battery"})
				return err
			}},
			{"update user", func() (err error) {
				user.Name = "Жаңа Қызметкерова"
				user, err = st.UpdateUser(ctx, sys, user)
				return err
			}},
			{"grant", func() error {
				_, err := st.AddGrant(ctx, sys, birge.Grant{UserID: user.ID, Role: birge.RoleAnalyst, OrgID: org.ID})
				return err
			}},
			{"revoke", func() error { return st.RemoveGrant(ctx, sys, user.ID, user.Grants[0].ID) }},
			{"password", func() error { return st.SetPassword(ctx, sys, user.ID, "another horse battery") }},
			{"login", func() (err error) {
				session, _, err = st.Login(ctx, "new@birge.example", "another horse battery", "10.0.0.7", "test")
				return err
			}},
			{"login failed", func() error {
				if _, _, err := st.Login(ctx, "new@birge.example", "wrong guess", "10.0.0.7", "test"); birge.KindOf(err) != birge.KindUnauthenticated {
					t.Fatalf("wrong password: %v", err)
				}
				return nil
			}},
			{"preferences", func() (err error) {
				if me, err = st.ActorBySession(ctx, session, "10.0.0.7"); err == nil {
					_, err = st.SetPreferences(ctx, me, "ru", "Asia/Almaty")
				}
				return err
			}},
			{"token", func() (err error) { tok, _, err = st.CreateToken(ctx, me, user.ID, "script", 0); return err }},
			{"token deleted", func() error { return st.DeleteToken(ctx, me, tok.ID) }},
			{"logout", func() error { return st.Logout(ctx, me, session) }},
			{"logout everywhere", func() error { return st.LogoutEverywhere(ctx, fx.coord, true) }},
		}
		for _, s := range steps {
			if err := s.do(); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			if broken, _, err := st.VerifyAudit(ctx); err != nil || broken != 0 {
				t.Errorf("after %s the log is broken at entry %d (%v)", s.name, broken, err)
			}
		}
		// Read back: every kind the store's code writes was written, and reads.
		seen := map[string]bool{}
		var before int64
		for {
			page, err := st.ListAudit(ctx, sys, store.AuditFilter{Before: before, Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range page {
				seen["action "+e.Action], seen["entity "+e.Entity] = true, true
				before = e.Seq
			}
			if len(page) < 500 {
				break
			}
		}
		for a := range actions {
			if !seen["action "+a] {
				t.Errorf("no step writes an entry with action %q; add one", a)
			}
		}
		for e := range entities {
			if !seen["entity "+e] {
				t.Errorf("no step writes an entry about a %q; add one", e)
			}
		}
	})
}
