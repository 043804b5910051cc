package store_test

import (
	"context"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/demo"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// actorFor signs a demo user in and returns them as an actor.
func actorFor(t testing.TB, st *store.Store, logins []demo.Login, email string) *birge.Actor {
	t.Helper()
	for _, l := range logins {
		if l.Email == email {
			_, a, err := st.Login(context.Background(), l.Email, l.Password, "10.0.0.1", "test")
			if err != nil {
				t.Fatalf("login %s: %v", email, err)
			}
			return a
		}
	}
	t.Fatalf("no demo user %s", email)
	return nil
}

func TestNeedToKnow(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		logins, err := demo.Load(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		coord := actorFor(t, st, logins, "coordinator@birge.example")
		caseworkerID, _ := st.UserIDByEmail(ctx, "caseworker@birge.example")
		trainerID, _ := st.UserIDByEmail(ctx, "trainer@birge.example")

		// The coordinator of the Aktobe centre sees only that centre and its people.
		centers, err := st.ListCenters(ctx, coord, store.CenterFilter{})
		if err != nil || len(centers) != 1 || centers[0].Names.EN != "Aktobe family centre" {
			t.Fatalf("coordinator sees centres %v, %v", centers, err)
		}
		users, err := st.ListUsers(ctx, coord, store.UserFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range users {
			if u.ID == caseworkerID || u.ID == trainerID {
				t.Errorf("coordinator lists %s from another centre", u.Email)
			}
		}
		for _, id := range []int64{caseworkerID, trainerID} {
			if _, err := st.GetUser(ctx, coord, id); birge.KindOf(err) != birge.KindNotFound {
				t.Errorf("coordinator opens user %d: %v, want not found", id, err)
			}
		}
		// Other centres do not exist for them, whether read or written.
		all, _ := st.ListCenters(ctx, birge.System("t"), store.CenterFilter{})
		for _, c := range all {
			if c.ID == centers[0].ID {
				continue
			}
			if _, err := st.GetCenter(ctx, coord, c.ID); birge.KindOf(err) != birge.KindNotFound {
				t.Errorf("coordinator opens centre %d: %v", c.ID, err)
			}
			c.Names.EN = "hijacked"
			if _, err := st.UpdateCenter(ctx, coord, c); birge.KindOf(err) != birge.KindNotFound {
				t.Errorf("coordinator edits centre %d: %v", c.ID, err)
			}
		}
		// A coordinator may not edit their own centre either: that is an administrator's job.
		c := centers[0]
		c.Names.EN = "renamed"
		if _, err := st.UpdateCenter(ctx, coord, c); birge.KindOf(err) != birge.KindForbidden {
			t.Errorf("coordinator edits own centre: %v, want forbidden", err)
		}
		// An analyst cannot list users; a reviewer sees no centre at all.
		analyst := actorFor(t, st, logins, "analyst@birge.example")
		if _, err := st.ListUsers(ctx, analyst, store.UserFilter{}); birge.KindOf(err) != birge.KindForbidden {
			t.Errorf("analyst lists users: %v", err)
		}
		reviewer := actorFor(t, st, logins, "reviewer@birge.example")
		if cs, _ := st.ListCenters(ctx, reviewer, store.CenterFilter{}); len(cs) != 0 {
			t.Errorf("reviewer sees %d centres", len(cs))
		}
		// A centre administrator cannot take over an organisation administrator.
		orgAdmin := actorFor(t, st, logins, "fpc.admin@birge.example")
		kargaly := centerByName(t, st, "Kargaly district office")
		nu, err := st.CreateUser(ctx, orgAdmin, store.NewUser{User: birge.User{Email: "ca@x.kz", Name: "Centre Admin", Lang: "ru",
			Grants: []birge.Grant{{Role: birge.RoleAdmin, OrgID: kargaly.OrgID, CenterID: kargaly.ID}}}, Password: "long enough pw"})
		if err != nil {
			t.Fatal(err)
		}
		_, centreAdmin, err := st.Login(ctx, nu.Email, "long enough pw", "10.0.0.2", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.AddGrant(ctx, orgAdmin, birge.Grant{UserID: orgAdmin.UserID, Role: birge.RoleViewer, OrgID: kargaly.OrgID, CenterID: kargaly.ID}); err != nil {
			t.Fatal(err)
		}
		if err := st.SetPassword(ctx, centreAdmin, orgAdmin.UserID, "taken over!!"); birge.KindOf(err) != birge.KindForbidden {
			t.Errorf("centre admin resets org admin's password: %v, want forbidden", err)
		}
		if _, err := st.AddGrant(ctx, centreAdmin, birge.Grant{UserID: nu.ID, Role: birge.RoleAdmin, OrgID: kargaly.OrgID}); birge.KindOf(err) != birge.KindForbidden {
			t.Errorf("centre admin grants themselves the organisation: %v", err)
		}
	})
}

func centerByName(t *testing.T, st *store.Store, en string) birge.Center {
	t.Helper()
	all, err := st.ListCenters(context.Background(), birge.System("t"), store.CenterFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range all {
		if c.Names.EN == en {
			return c
		}
	}
	t.Fatalf("no centre %q", en)
	return birge.Center{}
}

func TestValidationSavesNothing(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		sys := birge.System("t")
		if _, err := demo.Load(ctx, st); err != nil {
			t.Fatal(err)
		}
		before, _ := st.ListCenters(ctx, sys, store.CenterFilter{})
		aktobe := centerByName(t, st, "Aktobe family centre")
		bad := aktobe
		bad.ID, bad.Phone, bad.District = 0, "12345", "KZ711110" // an Astana district in Aktobe region
		_, err := st.CreateCenter(ctx, sys, bad)
		e := birge.AsError(err)
		if e.Kind != birge.KindInvalid || e.Fields["phone"] != "field.phone" || e.Fields["district"] != "center.district_outside_region" {
			t.Fatalf("bad centre: %#v", e)
		}
		after, _ := st.ListCenters(ctx, sys, store.CenterFilter{})
		if len(after) != len(before) {
			t.Errorf("a refused centre was saved: %d → %d", len(before), len(after))
		}
		good := aktobe
		good.ID, good.Phone = 0, "8 701 123 45 67"
		c, err := st.CreateCenter(ctx, sys, good)
		if err != nil || c.Phone != "+77011234567" {
			t.Errorf("phone stored as %q: %v", c.Phone, err)
		}
	})
}

func TestAuditChain(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, st); err != nil {
			t.Fatal(err)
		}
		broken, n, err := st.VerifyAudit(ctx)
		if err != nil || broken != 0 || n < 20 {
			t.Fatalf("fresh chain: broken at %d after %d entries: %v", broken, n, err)
		}
		// The database refuses to change history.
		if _, err := store.Exec(ctx, st, `UPDATE audit_log SET actor = 'someone else' WHERE seq = 3`); err == nil {
			t.Fatal("audit_log accepted an UPDATE")
		}
		if _, err := store.Exec(ctx, st, `DELETE FROM audit_log WHERE seq = 3`); err == nil {
			t.Fatal("audit_log accepted a DELETE")
		}
		// Someone who bypasses the guard is still caught by the chain.
		store.DropAuditGuard(t, st)
		if _, err := store.Exec(ctx, st, `UPDATE audit_log SET actor = 'someone else' WHERE seq = 3`); err != nil {
			t.Fatal(err)
		}
		if broken, _, _ := st.VerifyAudit(ctx); broken != 3 {
			t.Errorf("edited entry 3: verify says broken at %d", broken)
		}
	})
}
