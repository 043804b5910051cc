package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/demo"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// tokenWorks says whether a token's secret still signs a program in.
func tokenWorks(t *testing.T, st *store.Store, secret string) (bool, string) {
	t.Helper()
	_, err := st.ActorByToken(context.Background(), secret, "10.0.0.1")
	if err == nil {
		return true, ""
	}
	if birge.KindOf(err) != birge.KindUnauthenticated {
		t.Fatalf("ActorByToken: %v", err)
	}
	return false, birge.AsError(err).Key
}

// TestTokenExpiry: a token works for the days chosen at creation (90 by default, at most
// 365), is refused with its own message after that, and is listed as expired.
func TestTokenExpiry(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		logins, err := demo.Load(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		a := actorFor(t, st, logins, "coordinator@birge.example")
		now := time.Date(2027, 3, 10, 20, 30, 0, 0, time.UTC)
		st.SetClock(func() time.Time { return now })
		for _, days := range []int{-1, 366, 100000} {
			_, _, err := st.CreateToken(ctx, a, a.UserID, "script", days)
			if e := birge.AsError(err); birge.KindOf(err) != birge.KindInvalid || e.Fields["expires_in_days"] != "token.days_range" {
				t.Errorf("%d days: %v, want expires_in_days token.days_range", days, err)
			}
		}
		tok, secret, err := st.CreateToken(ctx, a, a.UserID, "script", 0)
		if err != nil {
			t.Fatal(err)
		}
		if want := now.Add(90 * 24 * time.Hour); !tok.ExpiresAt.Equal(want) {
			t.Errorf("default expiry %v, want %v", tok.ExpiresAt, want)
		}
		year, yearSecret, err := st.CreateToken(ctx, a, a.UserID, "yearly", 365)
		if err != nil || !year.ExpiresAt.Equal(now.AddDate(0, 0, 365)) {
			t.Fatalf("a year's token: %v expires %v", err, year.ExpiresAt)
		}
		now = now.Add(90*24*time.Hour - time.Second)
		if ok, _ := tokenWorks(t, st, secret); !ok {
			t.Error("a token refused a second before its expiry")
		}
		now = now.Add(time.Second)
		if ok, key := tokenWorks(t, st, secret); ok || key != "token.expired" {
			t.Errorf("at its expiry the token: works %v, %q; want refused with token.expired", ok, key)
		}
		if ok, _ := tokenWorks(t, st, yearSecret); !ok {
			t.Error("the year's token refused after 90 days")
		}
		list, err := st.ListTokens(ctx, a)
		if err != nil || len(list) != 2 || !list[0].Expired || list[1].Expired {
			t.Errorf("list %+v (%v): want the first expired, the second not", list, err)
		}
		// A token with no expiry at all (as none had before migration 0017 filled them) is
		// refused, never taken to live for ever.
		if _, err := store.Exec(ctx, st, `UPDATE tokens SET expires_at = NULL`); err != nil {
			t.Fatal(err)
		}
		if ok, _ := tokenWorks(t, st, yearSecret); ok {
			t.Error("a token without an expiry works")
		}
	})
}

// TestTokensRevoked: an administrator's password reset revokes the user's tokens with her
// sessions; her own password change and "log out everywhere" revoke them when she asks,
// and keep them when she does not. Every revoked token has its audit entry.
func TestTokensRevoked(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		logins, err := demo.Load(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		pw := map[string]string{}
		for _, l := range logins {
			pw[l.Email] = l.Password
		}
		admin := actorFor(t, st, logins, "fpc.admin@birge.example")
		coordinator := actorFor(t, st, logins, "coordinator@birge.example")
		make2 := func(a *birge.Actor) []string {
			var out []string
			for _, name := range []string{"phone", "laptop"} {
				_, secret, err := st.CreateToken(ctx, a, a.UserID, name, 0)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, secret)
			}
			return out
		}
		works := func(what string, secrets []string, want bool) {
			t.Helper()
			for _, s := range secrets {
				if ok, _ := tokenWorks(t, st, s); ok != want {
					t.Errorf("%s: token works %v, want %v", what, ok, want)
				}
			}
		}
		deletions := func() int {
			n, err := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM audit_log WHERE entity = 'token' AND action = 'delete'`)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}

		// Her own password change: tokens kept unless she ticks the box.
		secrets := make2(coordinator)
		next := "a new long password 1"
		if err := st.ChangeOwnPassword(ctx, coordinator, pw["coordinator@birge.example"], next, false); err != nil {
			t.Fatal(err)
		}
		works("after her own password change without the tick", secrets, true)
		_, coordinator, err = st.Login(ctx, "coordinator@birge.example", next, "10.0.0.1", "")
		if err != nil {
			t.Fatal(err)
		}
		if err := st.ChangeOwnPassword(ctx, coordinator, next, "a new long password 2", true); err != nil {
			t.Fatal(err)
		}
		works("after her own password change with the tick", secrets, false)
		if n := deletions(); n != 2 {
			t.Errorf("%d token deletions audited, want 2", n)
		}

		// Log out everywhere: the same choice.
		_, coordinator, err = st.Login(ctx, "coordinator@birge.example", "a new long password 2", "10.0.0.1", "")
		if err != nil {
			t.Fatal(err)
		}
		secrets = make2(coordinator)
		if err := st.LogoutEverywhere(ctx, coordinator, false); err != nil {
			t.Fatal(err)
		}
		works("after log out everywhere without the tick", secrets, true)
		if err := st.LogoutEverywhere(ctx, coordinator, true); err != nil {
			t.Fatal(err)
		}
		works("after log out everywhere with the tick", secrets, false)

		// An administrator's reset: sessions and tokens end, always.
		_, coordinator, err = st.Login(ctx, "coordinator@birge.example", "a new long password 2", "10.0.0.1", "")
		if err != nil {
			t.Fatal(err)
		}
		secrets = make2(coordinator)
		session, _, err := st.Login(ctx, "coordinator@birge.example", "a new long password 2", "10.0.0.2", "")
		if err != nil {
			t.Fatal(err)
		}
		before := deletions()
		if err := st.SetPassword(ctx, admin, coordinator.UserID, "reset by the administrator"); err != nil {
			t.Fatal(err)
		}
		works("after an administrator's reset", secrets, false)
		if _, err := st.ActorBySession(ctx, session, "10.0.0.2"); birge.KindOf(err) != birge.KindUnauthenticated {
			t.Errorf("a session after an administrator's reset: %v, want ended", err)
		}
		if n := deletions() - before; n != 2 {
			t.Errorf("the reset audited %d token deletions, want 2", n)
		}
		entries, err := st.ListAudit(ctx, birge.System("t"), store.AuditFilter{Action: "delete", Entity: "token", Limit: 1})
		if err != nil || len(entries) != 1 || entries[0].ActorID != admin.UserID {
			t.Errorf("the last token deletion %+v (%v), want by the administrator", entries, err)
		}
	})
}

// TestUserTokens: an administrator who manages a user sees and revokes her tokens; one
// who sees her without managing her is refused; one who does not see her finds no one.
func TestUserTokens(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		logins, err := demo.Load(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		admin := actorFor(t, st, logins, "fpc.admin@birge.example")
		coordinator := actorFor(t, st, logins, "coordinator@birge.example")
		trainer := actorFor(t, st, logins, "trainer@birge.example")
		sys := birge.System("t")
		// A caseworker in Aktobe: the coordinator sees her, FPC's administrator manages her.
		aktobe := coordinator.Grants[0]
		u, err := st.CreateUser(ctx, sys, store.NewUser{User: birge.User{Email: "new.caseworker@birge.example", Name: "Сәуле",
			Lang: "kk", Grants: []birge.Grant{{Role: birge.RoleCaseWorker, OrgID: aktobe.OrgID, CenterID: aktobe.CenterID}}},
			Password: "a long enough password"})
		if err != nil {
			t.Fatal(err)
		}
		tok, secret, err := st.CreateToken(ctx, sys, u.ID, "her script", 30)
		if err != nil {
			t.Fatal(err)
		}
		list, err := st.ListUserTokens(ctx, admin, u.ID)
		if err != nil || len(list) != 1 || list[0].ID != tok.ID || !list[0].ExpiresAt.Equal(tok.ExpiresAt) {
			t.Fatalf("her administrator lists %+v (%v), want her one token", list, err)
		}
		if _, err := st.ListUserTokens(ctx, coordinator, u.ID); birge.KindOf(err) != birge.KindForbidden {
			t.Errorf("the coordinator, who sees but does not manage her: %v, want forbidden", err)
		}
		if _, err := st.ListUserTokens(ctx, trainer, u.ID); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("another organisation's trainer: %v, want not found", err)
		}
		for who, a := range map[string]*birge.Actor{"coordinator": coordinator, "trainer": trainer} {
			if err := st.DeleteUserToken(ctx, a, u.ID, tok.ID); err == nil {
				t.Errorf("the %s revoked her token", who)
			}
		}
		// Her token id under another user's id is not found, even for an administrator.
		if err := st.DeleteUserToken(ctx, admin, coordinator.UserID, tok.ID); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("her token under the coordinator's id: %v, want not found", err)
		}
		if ok, _ := tokenWorks(t, st, secret); !ok {
			t.Fatal("refused attempts revoked the token")
		}
		if err := st.DeleteUserToken(ctx, admin, u.ID, tok.ID); err != nil {
			t.Fatal(err)
		}
		if ok, _ := tokenWorks(t, st, secret); ok {
			t.Error("a token revoked by the administrator still works")
		}
		entries, err := st.ListAudit(ctx, sys, store.AuditFilter{Action: "delete", Entity: "token", Limit: 1})
		if err != nil || len(entries) != 1 || entries[0].ActorID != admin.UserID || entries[0].EntityID != tok.ID || entries[0].OrgID != u.OrgID {
			t.Errorf("audit %+v (%v), want the administrator's deletion of token %d in her organisation", entries, err, tok.ID)
		}
		// Her own revocation is in her organisation's log too, where its administrator reads it.
		tok, _, err = st.CreateToken(ctx, coordinator, coordinator.UserID, "mine", 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.DeleteToken(ctx, coordinator, tok.ID); err != nil {
			t.Fatal(err)
		}
		entries, err = st.ListAudit(ctx, admin, store.AuditFilter{Action: "delete", Entity: "token", Limit: 1})
		if err != nil || len(entries) != 1 || entries[0].EntityID != tok.ID || entries[0].OrgID != aktobe.OrgID {
			t.Errorf("her organisation's administrator reads %+v (%v), want the coordinator revoking token %d", entries, err, tok.ID)
		}
	})
}
