package e2e

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
)

// A trainer, in Kyrgyz on a 360 px phone, opens today's sessions while online, then
// loses the network (Chromium's offline emulation, the service worker's requests too),
// opens the session's register from the worker's cache and marks her 20 women: everyone
// present, two absent with a reason, one late. The marks wait on the phone; when the
// network comes back they are sent by themselves and the server holds them, each
// attended one a service delivery.
func TestAttendanceOffline(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	p := newTabFor(t, srv, 2*time.Minute)
	const admin, trainer = "admin@birge.example", "trainer@birge.example"
	ky := i18n.For("ky")
	tok := srv.apiToken(t, admin)

	// Her cohort at Almaty, 20 women, and a session today: 1 January in Almaty, from
	// 01:00 (the server's clock is the tests' evening, 01:30 there).
	var centers struct{ Items []birge.Center }
	srv.apiGet(t, tok, "/api/v1/centers", &centers)
	var almaty birge.Center
	for _, c := range centers.Items {
		if c.Names.EN == "Mama Pro Almaty" {
			almaty = c
		}
	}
	var users struct{ Items []birge.User }
	srv.apiGet(t, tok, "/api/v1/users?limit=200", &users)
	var trainerID int64
	for _, u := range users.Items {
		if u.Email == trainer {
			trainerID = u.ID
		}
	}
	var courses struct{ Items []birge.Course }
	srv.apiGet(t, tok, "/api/v1/courses?organization_id="+strconv.FormatInt(almaty.OrgID, 10), &courses)
	if almaty.ID == 0 || trainerID == 0 || len(courses.Items) == 0 {
		t.Fatalf("demo: centre %d, trainer %d, %d courses", almaty.ID, trainerID, len(courses.Items))
	}
	var cohort birge.Cohort
	if code := srv.api(t, tok, http.MethodPost, "/api/v1/cohorts", map[string]any{"course_id": courses.Items[0].ID,
		"center_id": almaty.ID, "language": "ky", "capacity": 25, "starts_on": "2026-12-20", "ends_on": "2027-01-20",
		"trainer_ids": []int64{trainerID}}, &cohort); code != http.StatusCreated {
		t.Fatalf("cohort: %d", code)
	}
	var sessions struct{ Items []birge.TrainingSession }
	if code := srv.api(t, tok, http.MethodPost, fmt.Sprintf("/api/v1/cohorts/%d/sessions", cohort.ID), map[string]any{
		"starts_at": "2026-12-31T20:00:00Z", "ends_at": "2026-12-31T22:00:00Z", "venue": "Айыл өкмөтүнүн залы"}, &sessions); code != http.StatusCreated {
		t.Fatalf("session: %d", code)
	}
	session := sessions.Items[0]
	var women []int64
	for i := range 20 {
		var her birge.Person
		if code := srv.api(t, tok, http.MethodPost, "/api/v1/people", map[string]any{"center_id": almaty.ID,
			"family_name": "Осмонова", "given_name": fmt.Sprintf("Жылдыз %02d", i+1)}, &her); code != http.StatusCreated {
			t.Fatalf("register: %d", code)
		}
		if code := srv.api(t, tok, http.MethodPost, fmt.Sprintf("/api/v1/cohorts/%d/enrollments", cohort.ID),
			map[string]any{"person_id": her.ID}, nil); code != http.StatusCreated {
			t.Fatalf("enrol: %d", code)
		}
		women = append(women, her.ID)
	}

	p.login(trainer, srv.password(t, trainer))
	p.submit(`form.switcher button[value="ky"]`)
	p.do("emulate a phone", chromedp.EmulateViewport(360, 740))
	register := fmt.Sprintf("/training-sessions/%d/attendance", session.ID)
	p.open("/training-sessions/today")
	if !p.exists(fmt.Sprintf(`a[href=%q]`, register)) {
		t.Fatalf("today's session is not on her day:\n%s", p.body())
	}
	p.axe("today's sessions")
	// The worker keeps today's page and the register before the network goes.
	p.waitForJSWithin(`!document.getElementById("offline-ready").hidden`, 20*time.Second) // the registers kept for offline

	offline := func(off bool) {
		t.Helper()
		conditions := []*network.Conditions{}
		if off {
			conditions = append(conditions, &network.Conditions{Offline: true, DownloadThroughput: -1, UploadThroughput: -1})
		}
		if _, err := chromedp.Call(p.ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			EmulateOfflineServiceWorker: &off, MatchedNetworkConditions: conditions}); err != nil {
			t.Fatalf("network conditions: %v", err)
		}
		if _, err := chromedp.Call(p.ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: off,
			DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
			t.Fatalf("network state: %v", err)
		}
	}
	offline(true)
	p.do("open the register from today's page", chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href=%q]`, register))),
		chromedp.WaitVisible(chromedp.CSS("#register.js")))
	if got := js[bool](p, `navigator.onLine`); got {
		t.Fatal("the phone still says it is online")
	}
	p.do("everyone present", chromedp.Click(chromedp.CSS(`button[name="everyone"]`)))
	tap := func(person int64, mark, reason string) {
		t.Helper()
		p.do(fmt.Sprintf("%s for %d", mark, person), chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="mark-%d"][value=%q]`, person, mark))))
		if reason != "" {
			id := fmt.Sprintf("reason-%d", person)
			p.typeInto(id, reason)
			js[bool](p, fmt.Sprintf(`document.getElementById(%q).dispatchEvent(new Event("change", {bubbles: true}))`, id))
		}
	}
	tap(women[3], "absent", "Баласы ооруп калды")
	tap(women[7], "absent", "Шаарга кетти")
	tap(women[11], "late", "")
	if got, want := p.text("#outbox"), ky.T("attendance.waiting", "n", 20); got != want {
		t.Errorf("outbox says %q, want %q", got, want)
	}
	var reg birge.TrainingRegister
	srv.apiGet(t, tok, "/api/v1"+register, &reg)
	for _, l := range reg.Lines {
		if l.Mark != "" {
			t.Fatalf("a mark reached the server while offline: %+v", l)
		}
	}
	p.axe("the register, marked offline")
	if sw := js[int](p, `document.documentElement.scrollWidth`); sw > 360 {
		t.Errorf("the register is %d px wide on a 360 px phone", sw)
	}

	// Back online: the marks go by themselves (the deadline is a timeout on the wall
	// clock, not a date).
	offline(false)
	deadline := time.Now().Add(20 * time.Second)
	for {
		srv.apiGet(t, tok, "/api/v1"+register, &reg)
		marked := 0
		for _, l := range reg.Lines {
			if l.Mark != "" {
				marked++
			}
		}
		if marked == 20 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of 20 marks on the server after reconnecting; the page says:\n%s", marked, p.body())
		}
		time.Sleep(200 * time.Millisecond)
	}
	counts := map[string]int{}
	for _, l := range reg.Lines {
		counts[l.Mark]++
		switch l.PersonID {
		case women[3]:
			if l.Mark != "absent" || l.Reason != "Баласы ооруп калды" {
				t.Errorf("the first absence: %+v", l)
			}
		case women[7]:
			if l.Mark != "absent" || l.Reason != "Шаарга кетти" {
				t.Errorf("the second absence: %+v", l)
			}
		case women[11]:
			if l.Mark != "late" {
				t.Errorf("the late one: %+v", l)
			}
		}
	}
	if counts["present"] != 17 || counts["absent"] != 2 || counts["late"] != 1 {
		t.Errorf("marks on the server: %v", counts)
	}
	var ds struct{ Items []birge.Delivery }
	srv.apiGet(t, tok, fmt.Sprintf("/api/v1/deliveries?person_id=%d", women[0]), &ds)
	if len(ds.Items) != 1 || ds.Items[0].Kind != "training_session" || ds.Items[0].Source != "training" {
		t.Errorf("her delivery: %+v", ds.Items)
	}
	p.waitForJSWithin(`document.getElementById("outbox").hidden && !document.getElementById("answer").hidden`, 20*time.Second)
	if got, want := p.text("#answer"), ky.T("attendance.sent", "n", 20); got != want {
		t.Errorf("the answer says %q, want %q", got, want)
	}
	p.axe("the register, sent")
}
