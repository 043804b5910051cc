package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// TestProgramPages: the Aktobe coordinator creates a programme (a mistake first, shown
// beside its field in her Russian), adds a woman by her record number and ends her
// participation; FPC's analyst sees the count and no name; Mama Pro's trainer sees a
// sensitive programme's count and not who takes part, there or on the woman's page.
func TestProgramPages(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s := newSite(t, st, Config{})
		ctx, sys := context.Background(), birge.System("t")
		ru, kk, en := i18n.For("ru"), i18n.For("kk"), i18n.For("en")
		aktobe := s.center("Aktobe family centre")
		coord := s.login("coordinator@birge.example")

		f := url.Values{"org_id": {strconv.FormatInt(aktobe.OrgID, 10)}, "kind": {"counselling"}, "status": {"active"},
			"starts_on": {"2026-03-01"}, "ends_on": {"2026-02-01"}, "ctr_" + strconv.FormatInt(aktobe.ID, 10): {"on"},
			"sdg_5.2": {"on"}, "cat_rural": {"on"}, "description_ru": {"Для семей\nв трудной ситуации"}}
		namesForm(f, birge.Names{KK: "Отбасы кеңесі", RU: "Семейные консультации", KY: "Үй-бүлө кеңеши", EN: "Family counselling"})
		res := s.postForm(coord, "/programs", f, nil)
		doc := parseHTML(t, res.Body)
		if e := first(doc, byID("e-ends_on")); res.StatusCode != http.StatusUnprocessableEntity || e == nil || text(e) != ru.T("program.ends_before_start") {
			t.Fatalf("end before start: %d, message %v\n%.2000s", res.StatusCode, e, res.Body)
		}
		if in := first(doc, byID("f-name_ru")); in == nil || attr(in, "value") != "Семейные консультации" {
			t.Errorf("the refusing form lost the name typed")
		}
		f.Set("ends_on", "2026-12-31")
		res = s.postForm(coord, "/programs", f, nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: %d\n%.2000s", res.StatusCode, res.Body)
		}
		page := res.Header.Get("Location")
		list, err := st.Programs.List(ctx, sys, store.ProgramFilter{})
		if err != nil || len(list) == 0 || page != "/programs/"+strconv.FormatInt(list[len(list)-1].ID, 10) {
			t.Fatalf("created programme: %v, %v, sent to %s", list, err, page)
		}
		prog := list[len(list)-1]
		if prog.Names.RU != "Семейные консультации" || len(prog.CenterIDs) != 1 || prog.SDGTargets[0] != "5.2" || prog.Categories[0] != "rural" {
			t.Errorf("stored as %+v", prog)
		}

		woman, err := st.People.Create(ctx, sys, birge.Person{CenterID: aktobe.ID, FamilyName: "Жұмабаева", GivenName: "Айжан"})
		if err != nil {
			t.Fatal(err)
		}
		stranger, err := st.People.Create(ctx, sys, birge.Person{CenterID: s.center("Mama Pro Almaty").ID, GivenName: "Мадина"})
		if err != nil {
			t.Fatal(err)
		}
		// A number out of her sight reads as unknown, beside the field.
		res = s.postForm(coord, page+"/participants", url.Values{"person_id": {strconv.FormatInt(stranger.ID, 10)}, "joined_on": {"2026-03-02"}}, nil)
		if e := first(parseHTML(t, res.Body), byID("e-person_id")); res.StatusCode != http.StatusUnprocessableEntity || e == nil || text(e) != ru.T("program.person_not_found") {
			t.Errorf("a woman out of sight: %d, %v", res.StatusCode, e)
		}
		res = s.postForm(coord, page+"/participants", url.Values{"person_id": {strconv.FormatInt(woman.ID, 10)}, "joined_on": {"2026-03-02"}}, nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("add participant: %d\n%.2000s", res.StatusCode, res.Body)
		}
		res = s.get(coord, page)
		if !strings.Contains(res.Body, "Жұмабаева Айжан") || !strings.Contains(res.Body, ru.T("program.count", "active", 1, "total", 1)) {
			t.Errorf("the programme's page does not name her with the count\n%.3000s", res.Body)
		}
		if strings.Count(res.Body, "Для семей") != 1 {
			t.Errorf("the description is not shown once")
		}
		// The people list filters by the programme.
		if res := s.get(coord, fmt.Sprintf("/people?program=%d", prog.ID)); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Жұмабаева Айжан") {
			t.Errorf("people list by programme: %d", res.StatusCode)
		}
		// The woman's page lists the programme.
		if res := s.get(coord, fmt.Sprintf("/people/%d", woman.ID)); !strings.Contains(res.Body, "Семейные консультации") {
			t.Errorf("her page does not list her programme")
		}
		pts, _ := st.Programs.ListParticipants(ctx, sys, prog.ID, store.ParticipantFilter{})
		end := fmt.Sprintf("%s/participants/%d/end", page, pts[0].ID)
		res = s.postForm(coord, end, url.Values{"left_on": {"2026-03-01"}, "reason": {"Переехала"}}, nil)
		if e := first(parseHTML(t, res.Body), byID(fmt.Sprintf("e-left_on-%d", pts[0].ID))); res.StatusCode != http.StatusUnprocessableEntity || e == nil || text(e) != ru.T("program.left_before_joined") {
			t.Errorf("left before joining: %d, %v", res.StatusCode, e)
		}
		if res := s.postForm(coord, end, url.Values{"left_on": {"2026-06-30"}, "reason": {"Переехала"}}, nil); res.StatusCode != http.StatusSeeOther {
			t.Errorf("end participation: %d\n%.1000s", res.StatusCode, res.Body)
		}

		// The analyst: the figures, never a name.
		res = s.get(s.login("analyst@birge.example"), page)
		if res.StatusCode != http.StatusOK || strings.Contains(res.Body, "Жұмабаева") ||
			!strings.Contains(res.Body, en.T("program.count", "active", 0, "total", 1)) || !strings.Contains(res.Body, en.T("program.who_hidden")) {
			t.Errorf("analyst's page: %d\n%.3000s", res.StatusCode, res.Body)
		}

		// A sensitive programme in Almaty: the trainer sees it and its count, not her.
		almaty := s.center("Mama Pro Almaty")
		survivors, err := st.Programs.Create(ctx, sys, birge.Program{OrgID: almaty.OrgID, CenterIDs: []int64{almaty.ID},
			Names: birge.Names{KK: "Қолдау тобы", RU: "Группа поддержки", KY: "Колдоо тобу", EN: "Support group"},
			Kind:  "counselling", Status: "active", StartsOn: "2026-01-01", Sensitive: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Programs.AddParticipant(ctx, sys, survivors.ID, birge.Participant{PersonID: stranger.ID, JoinedOn: "2026-02-01"}); err != nil {
			t.Fatal(err)
		}
		trainer := s.login("trainer@birge.example")
		res = s.get(trainer, fmt.Sprintf("/programs/%d", survivors.ID))
		if res.StatusCode != http.StatusOK || strings.Contains(res.Body, "Мадина") ||
			!strings.Contains(res.Body, kk.T("program.count", "active", 1, "total", 1)) || !strings.Contains(res.Body, kk.T("program.who_hidden")) {
			t.Errorf("trainer's page of the sensitive programme: %d\n%.3000s", res.StatusCode, res.Body)
		}
		if res := s.get(trainer, fmt.Sprintf("/people/%d", stranger.ID)); res.StatusCode != http.StatusOK || strings.Contains(res.Body, "Қолдау тобы") {
			t.Errorf("the trainer sees the sensitive programme on her page: %d", res.StatusCode)
		}
		if res := s.get(s.login("admin@birge.example"), fmt.Sprintf("/people/%d", stranger.ID)); !strings.Contains(res.Body, "Қолдау тобы") {
			t.Errorf("the administrator does not see her programme on her page")
		}
		// The list: the trainer sees Mama Pro's programme only, and filters by status.
		if res := s.get(trainer, "/programs"); !strings.Contains(res.Body, "Қолдау тобы") || strings.Contains(res.Body, "Отбасы кеңесі") {
			t.Errorf("trainer's list\n%.3000s", res.Body)
		}
		if res := s.get(trainer, "/programs?status=closed"); strings.Contains(res.Body, "Қолдау тобы") {
			t.Errorf("the status filter kept an active programme")
		}
	})
}

// TestProgramAPI: a programme made, read, listed and changed through the API, and a
// woman added and listed; analysts get 403 on the names.
func TestProgramAPI(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	_, tok := s.token("coordinator@birge.example", "api")
	aktobe, fpc := s.center("Aktobe family centre"), s.org("Family Preservation Centre")
	res := s.api(tok, http.MethodPost, "/api/v1/programs", map[string]any{"organization_id": fpc.ID,
		"name_kk": "Кеңес", "name_ru": "Консультации", "name_ky": "Кеңеш", "name_en": "Counselling", "kind": "counselling",
		"status": "planned", "starts_on": "2026-04-01", "center_ids": []int64{aktobe.ID}, "sdg_targets": []string{"5.2", "5.a"},
		"categories": []string{"dv_survivor"}, "sensitive": true})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("POST: %d\n%s", res.StatusCode, res.Body)
	}
	var p birge.Program
	decodeJSON(t, res, &p)
	path := "/api/v1/programs/" + strconv.FormatInt(p.ID, 10)
	res = s.api(tok, http.MethodPatch, path, map[string]any{"status": "active", "ends_on": "2026-03-01"})
	var pr problem
	decodeJSON(t, res, &pr)
	if res.StatusCode != http.StatusUnprocessableEntity || pr.Errors["ends_on"] == "" {
		t.Errorf("PATCH an end before the start: %d %v", res.StatusCode, pr.Errors)
	}
	res = s.api(tok, http.MethodPatch, path, map[string]any{"status": "active"})
	var got birge.Program
	decodeJSON(t, res, &got)
	if res.StatusCode != http.StatusOK || got.Status != "active" || !got.Sensitive || len(got.SDGTargets) != 2 || got.CenterIDs[0] != aktobe.ID {
		t.Errorf("PATCH status: %d %+v", res.StatusCode, got)
	}
	woman, err := s.st.People.Create(context.Background(), birge.System("t"), birge.Person{CenterID: aktobe.ID, GivenName: "Айжан"})
	if err != nil {
		t.Fatal(err)
	}
	res = s.api(tok, http.MethodPost, path+"/participants", map[string]any{"person_id": woman.ID, "joined_on": "2026-04-02"})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("POST participant: %d\n%s", res.StatusCode, res.Body)
	}
	if res := s.api(tok, http.MethodPost, path+"/participants", map[string]any{"person_id": woman.ID, "joined_on": "2026-04-02"}); res.StatusCode != http.StatusConflict {
		t.Errorf("the same woman twice: %d", res.StatusCode)
	}
	// A woman or a centre out of the coordinator's sight is not found.
	stranger, err := s.st.People.Create(context.Background(), birge.System("t"), birge.Person{CenterID: s.center("Kargaly district office").ID, GivenName: "Гүлмира"})
	if err != nil {
		t.Fatal(err)
	}
	if res := s.api(tok, http.MethodPost, path+"/participants", map[string]any{"person_id": stranger.ID, "joined_on": "2026-04-02"}); res.StatusCode != http.StatusNotFound {
		t.Errorf("a woman out of sight: %d", res.StatusCode)
	}
	if res := s.api(tok, http.MethodPatch, path, map[string]any{"center_ids": []int64{s.center("Kargaly district office").ID}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("a centre out of sight: %d", res.StatusCode)
	}
	var l struct {
		Items []birge.Participant `json:"items"`
	}
	decodeJSON(t, s.api(tok, http.MethodGet, path+"/participants", nil), &l)
	if len(l.Items) != 1 || l.Items[0].PersonID != woman.ID || l.Items[0].JoinedOn != "2026-04-02" || l.Items[0].LeftOn != "" {
		t.Errorf("participants: %+v", l.Items)
	}
	_, analyst := s.token("analyst@birge.example", "api")
	if res := s.api(analyst, http.MethodGet, path+"/participants", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("analyst lists names: %d", res.StatusCode)
	}
	var pl struct {
		Items []birge.Program `json:"items"`
	}
	decodeJSON(t, s.api(analyst, http.MethodGet, "/api/v1/programs?status=active&center_id="+strconv.FormatInt(aktobe.ID, 10), nil), &pl)
	found := false
	for _, it := range pl.Items {
		found = found || it.ID == p.ID
		if it.Status != "active" || !slices.Contains(it.CenterIDs, aktobe.ID) {
			t.Errorf("the filtered list holds %+v", it)
		}
	}
	if !found {
		t.Errorf("analyst's filtered list lacks the programme: %+v", pl.Items)
	}
	decodeJSON(t, s.api(analyst, http.MethodGet, "/api/v1/programs?status=planned", nil), &pl)
	if len(pl.Items) != 0 {
		t.Errorf("FPC has no planned programme, the analyst lists %+v", pl.Items)
	}
}

// TestProgramNaughtyStrings: every string of the Big List through a programme's names and
// descriptions is stored exactly or refused beside its field, and the page shows it.
func TestProgramNaughtyStrings(t *testing.T) {
	t.Parallel()
	lines := naughtyStrings(t)
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s := newSite(t, st, Config{})
		_, tok := s.token("admin@birge.example", "blns")
		c := s.login("admin@birge.example")
		allowed := textRefusals("kk")
		aktobe := s.center("Aktobe family centre")
		p, err := st.Programs.Create(context.Background(), birge.System("t"), birge.Program{OrgID: aktobe.OrgID,
			Names: birge.Names{KK: "Кеңес", RU: "Консультации", KY: "Кеңеш", EN: "Counselling"},
			Kind:  "counselling", Status: "active", StartsOn: "2026-01-01"})
		if err != nil {
			t.Fatal(err)
		}
		path := "/api/v1/programs/" + strconv.FormatInt(p.ID, 10)
		fields := []string{"name_kk", "name_ru", "name_ky", "name_en", "description_kk", "description_ru", "description_ky", "description_en"}
		tally := map[string]int{}
		for _, v := range lines {
			send := func(fields []string) (int, map[string]string, string) {
				body := map[string]string{}
				for _, f := range fields {
					body[f] = v
				}
				res := s.api(tok, http.MethodPatch, path, body)
				var pr problem
				if res.StatusCode == http.StatusUnprocessableEntity {
					decodeJSON(t, res, &pr)
				}
				return res.StatusCode, pr.Errors, res.Body
			}
			stored := func(fields []string) {
				var got map[string]any
				decodeJSON(t, s.api(tok, http.MethodGet, path, nil), &got)
				for _, f := range fields {
					if got[f] != asSent(v) {
						t.Errorf("%q in %s: GET returns %q", v, f, got[f])
					}
				}
				if fields[0] == "name_kk" && asSent(v) == v { // the admin reads Kazakh: the name is the page's <h1>
					res := s.get(c, "/programs/"+strconv.FormatInt(p.ID, 10))
					doc := parseHTML(t, res.Body)
					checkScripts(t, doc, "programme page with "+strconv.Quote(v))
					if h1 := findAll(doc, byTag("h1")); res.StatusCode != http.StatusOK || len(h1) != 1 || text(h1[0]) != v {
						t.Errorf("%q: the programme page (%d) does not show it as its <h1>", v, res.StatusCode)
					}
				}
			}
			tryValue(t, v, fields, http.StatusOK, send, stored, allowed, tally)
		}
		t.Logf("%d strings: %d field values stored exactly, %d refused with a message", len(lines), tally["stored"], tally["refused"])
	})
}
