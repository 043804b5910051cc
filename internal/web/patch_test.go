package web

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// patchCase is one PATCH route of the API, on a record the token may change.
type patchCase struct {
	path     string
	entity   birge.AuditEntity // of its audit entries
	id       int64
	readOnly []string
	// change is a body setting one field to a new value; wrong sends a value of the wrong
	// type; clears are fields null empties, with what GET then shows.
	change map[string]any
	wrong  map[string]any
	clears map[string]any
	// notNull is a field on which null is refused; date one that takes a date.
	notNull, date string
	// apart are bodies that each change another field, sent at once by
	// TestConcurrentPatchesAllCount.
	apart []map[string]any
}

// patchCases are the API's PATCH routes; TestPatchRoutesCovered fails when one is missing.
func patchCases(t *testing.T, s *site) []patchCase {
	t.Helper()
	ctx, sys := context.Background(), birge.System("t")
	aktobe, fpc := s.center("Aktobe family centre"), s.org("Family Preservation Centre")
	children := 2
	p, err := s.st.People.Create(ctx, sys, birge.Person{CenterID: aktobe.ID, FamilyName: "Жұмабаева", GivenName: "Айжан",
		Patronymic: "Серікқызы", BirthDate: "1985-03-15", Phones: []string{"+77011234567"}, Children: &children,
		Categories: []string{"rural"}})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := s.st.CreateCategory(ctx, sys, birge.Category{OrgID: fpc.ID, Code: "patch_test",
		Names: birge.Names{KK: "Сынақ", RU: "Проба", KY: "Сыноо", EN: "Trial"}})
	if err != nil {
		t.Fatal(err)
	}
	prog, err := s.st.Programs.Create(ctx, sys, birge.Program{OrgID: fpc.ID, CenterIDs: []int64{aktobe.ID},
		Names:        birge.Names{KK: "Кеңес", RU: "Консультации", KY: "Кеңеш", EN: "Counselling"},
		Descriptions: birge.Descriptions{EN: "For families"}, Kind: "counselling", Status: "active",
		StartsOn: "2026-01-01", EndsOn: "2026-12-31", Categories: []string{"rural"}, SDGTargets: []string{"5.2"}})
	if err != nil {
		t.Fatal(err)
	}
	caseworker, admin := s.userID("caseworker@birge.example"), s.userID("admin@birge.example")
	del, err := s.st.Deliveries.Record(ctx, sys, birge.Delivery{PersonID: p.ID, ProgramID: &prog.ID, Date: "2026-03-02",
		Time: "10:30", Kind: "consultation", Quantity: 1, Unit: "sessions", Note: "Келді"})
	if err != nil {
		t.Fatal(err)
	}
	award, err := s.st.Funding.Create(ctx, sys, fpcAward(fpc.ID))
	if err != nil {
		t.Fatal(err)
	}
	out, err := s.st.Outcomes.Record(ctx, sys, birge.Outcome{PersonID: p.ID, ProgramID: &prog.ID, Date: "2026-03-02",
		Kind: "employed", Value: &birge.OutcomeValue{Amount: 3}, Evidence: "Еңбек шарты"})
	if err != nil {
		t.Fatal(err)
	}
	k, err := s.st.Cases.Create(ctx, sys, birge.Case{CenterID: aktobe.ID, PartnerIDs: []int64{p.ID}, ChildIDs: []int64{},
		IntakeDate: "2026-03-02", Reasons: []string{"finances"}, CameFrom: "self", DivorceFiled: true, DivorceCourt: "Ақтөбе соты"})
	if err != nil {
		t.Fatal(err)
	}
	screenNone(t, s, k) // a session's type may then become a couple's
	sv, err := s.st.Services.Create(ctx, sys, birge.Service{OrgID: fpc.ID, Name: "Баспана", Kind: "shelter"})
	if err != nil {
		t.Fatal(err)
	}
	ref, err := s.st.Referrals.Create(ctx, sys, birge.Referral{PersonID: p.ID, CaseID: k.ID, ServiceID: sv.ID,
		Contact: "+77011234567", Note: "Баспана керек", FollowUpOn: "2027-01-05"})
	if err != nil {
		t.Fatal(err)
	}
	x, err := s.st.Sessions.Schedule(ctx, sys, k.ID, birge.Session{Type: "individual", WorkerID: s.userID("coordinator@birge.example"),
		Room: "Кабинет 1", StartsAt: time.Date(2026, 3, 2, 4, 0, 0, 0, time.UTC), EndsAt: time.Date(2026, 3, 2, 5, 0, 0, 0, time.UTC),
		PersonIDs: []int64{p.ID}})
	if err != nil {
		t.Fatal(err)
	}
	belesteri := s.org("Belesteri rural business grants").ID
	grants, err := s.st.Programs.Create(ctx, sys, birge.Program{OrgID: belesteri, Kind: "grants", Status: "active", StartsOn: "2026-01-01",
		Names: birge.Names{KK: "Грант", RU: "Гранты", KY: "Грант", EN: "Grants"}})
	if err != nil {
		t.Fatal(err)
	}
	draft := belesteriCall(belesteri, grants.ID)
	draft.Status = birge.CallDraft
	draft.AwardMin = &birge.Money{Amount: 200_000, Currency: "USD"}
	call, err := s.st.Calls.Create(ctx, sys, draft)
	if err != nil {
		t.Fatal(err)
	}
	course, err := s.st.Trainings.CreateCourse(ctx, sys, birge.Course{OrgID: fpc.ID, Names: birge.Names{KK: "Қаржылық сауаттылық",
		RU: "Финансовая грамотность", KY: "Финансылык сабаттуулук", EN: "Financial literacy"}, Hours: 16,
		Descriptions: birge.Descriptions{EN: "Budgets and savings"}})
	if err != nil {
		t.Fatal(err)
	}
	cohort, err := s.st.Trainings.CreateCohort(ctx, sys, birge.Cohort{CourseID: course.ID, CenterID: aktobe.ID, Venue: "Зал 1",
		Language: "kk", Capacity: 20, StartsOn: "2027-01-11", EndsOn: "2027-02-28"})
	if err != nil {
		t.Fatal(err)
	}
	enrolled, err := s.st.Trainings.Enroll(ctx, sys, cohort.ID, birge.Enrollment{PersonID: p.ID, Accommodation: "Бала күтімі"})
	if err != nil {
		t.Fatal(err)
	}
	// A rule set after she enrolled, for null to clear.
	cohort.Regions = []string{"KZ15"}
	if cohort, err = s.st.Trainings.UpdateCohort(ctx, sys, cohort); err != nil {
		t.Fatal(err)
	}
	lessons, err := s.st.Trainings.AddTrainingSessions(ctx, sys, cohort.ID, []birge.TrainingSession{{Venue: "Зал 1",
		StartsAt: time.Date(2027, 1, 12, 13, 0, 0, 0, time.UTC), EndsAt: time.Date(2027, 1, 12, 15, 0, 0, 0, time.UTC)}})
	if err != nil {
		t.Fatal(err)
	}
	lesson := lessons[0]
	return []patchCase{
		{path: fmt.Sprintf("/api/v1/calls/%d", call.ID), entity: birge.EntityCall, id: call.ID,
			readOnly: []string{"id", "organization_id", "created_at", "updated_at"},
			change:   map[string]any{"title_en": "Business grants, second round"}, wrong: map[string]any{"awards": "fifty"},
			clears:  map[string]any{"award_min": nil, "regions": []any{}, "criteria": []any{}},
			notNull: "opens_at",
			apart: []map[string]any{{"title_kk": "Екінші кезең"}, {"text_ru": "Второй этап"}, {"awards": 40},
				{"closes_at": "2027-02-15T13:00:00Z"}}},
		{path: fmt.Sprintf("/api/v1/courses/%d", course.ID), entity: birge.EntityCourse, id: course.ID,
			readOnly: []string{"id", "organization_id", "created_at", "updated_at"},
			change:   map[string]any{"hours": 24}, wrong: map[string]any{"hours": "many"},
			clears: map[string]any{"description_en": ""}, notNull: "hours",
			apart: []map[string]any{{"hours": 30}, {"online": true}, {"description_ru": "Бюджет"}, {"retired": true}}},
		{path: fmt.Sprintf("/api/v1/cohorts/%d", cohort.ID), entity: birge.EntityCohort, id: cohort.ID,
			readOnly: []string{"id", "organization_id", "course_id", "enrolled", "waiting", "created_at", "updated_at"},
			change:   map[string]any{"capacity": 25}, wrong: map[string]any{"trainer_ids": "all"},
			clears: map[string]any{"venue": "", "eligible_regions": []any{}}, notNull: "capacity", date: "starts_on",
			apart: []map[string]any{{"capacity": 30}, {"venue": "Зал 3"}, {"max_age": 60.0}, {"rural_only": true}}},
		{path: fmt.Sprintf("/api/v1/enrollments/%d", enrolled.ID), entity: birge.EntityEnrollment, id: enrolled.ID,
			readOnly: []string{"id", "organization_id", "cohort_id", "person_id", "person_name", "position", "moved_up",
				"created_at", "updated_at"},
			change: map[string]any{"accommodation": "Пандус"}, wrong: map[string]any{"childcare": "yes"},
			clears: map[string]any{"accommodation": ""}, notNull: "childcare",
			apart: []map[string]any{{"childcare": true}, {"special_needs": true}, {"accommodation": "Кресло"}}},
		{path: fmt.Sprintf("/api/v1/training-sessions/%d", lesson.ID), entity: birge.EntityTrainingSess, id: lesson.ID,
			readOnly: []string{"id", "organization_id", "cohort_id", "created_at", "updated_at"},
			change:   map[string]any{"venue": "Зал 2"}, wrong: map[string]any{"starts_at": 5},
			clears: map[string]any{"venue": ""}, notNull: "starts_at",
			apart: []map[string]any{{"venue": "Зал 4"}, {"ends_at": "2027-01-12T16:00:00Z"}}},
		{path: fmt.Sprintf("/api/v1/referrals/%d", ref.ID), entity: birge.EntityReferral, id: ref.ID,
			readOnly: []string{"id", "organization_id", "from_center_id", "person_id", "case_id", "to_center_id", "service_id",
				"name", "chosen_by_her", "created_by", "created_at", "updated_at"},
			change: map[string]any{"note": "Баспанаға орналасты"}, wrong: map[string]any{"follow_up_on": 5},
			clears: map[string]any{"note": "", "contact": "", "follow_up_on": ""}, date: "follow_up_on",
			apart: []map[string]any{{"note": "Қоңырау шалды"}, {"contact": "+77017654321"}, {"follow_up_on": "2027-01-10"},
				{"status": "accepted"}}},
		{path: fmt.Sprintf("/api/v1/sessions/%d", x.ID), entity: birge.EntitySession, id: x.ID,
			readOnly: []string{"id", "case_id", "center_id", "created_at", "updated_at"},
			change:   map[string]any{"room": "Кабинет 2"}, wrong: map[string]any{"worker_id": "me"},
			clears:  map[string]any{"room": "", "attendance": ""},
			notNull: "starts_at",
			apart:   []map[string]any{{"room": "Кабинет 3"}, {"type": "couple"}, {"attendance": "no_show"}}},
		{path: fmt.Sprintf("/api/v1/cases/%d", k.ID), entity: birge.EntityCase, id: k.ID,
			readOnly: []string{"id", "organization_id", "center_id", "worker_ids", "flagged", "risk", "outcome", "created_at", "updated_at"},
			change:   map[string]any{"came_from": "police"}, wrong: map[string]any{"partner_ids": "all"},
			clears:  map[string]any{"divorce_court": "", "child_ids": []any{}},
			notNull: "divorce_filed", date: "intake_date",
			apart: []map[string]any{{"came_from": "akimat"}, {"divorce_court": "Қарғалы соты"}, {"status": "screening"},
				{"reasons": []any{"housing"}}}},
		{path: fmt.Sprintf("/api/v1/funding/%d", award.ID), entity: birge.EntityFunding, id: award.ID,
			readOnly: []string{"id", "organization_id", "created_at", "updated_at"},
			change:   map[string]any{"reference": "KAZ-2026-014/B"}, wrong: map[string]any{"program_ids": "all"},
			clears:  map[string]any{"reference": "", "program_ids": []any{}, "deadlines": []any{}, "budget_lines": []any{}},
			notNull: "amount", date: "starts_on",
			apart: []map[string]any{{"donor": "UN Women Kazakhstan"}, {"reference": "KAZ-2026-015"}, {"ends_on": "2027-03-31"},
				{"donor_kind": "foundation"}}},
		{path: fmt.Sprintf("/api/v1/outcomes/%d", out.ID), entity: birge.EntityOutcome, id: out.ID,
			readOnly: []string{"id", "organization_id", "center_id", "person_id", "evidence_file", "recorded_by", "source",
				"source_id", "created_at", "updated_at"},
			change: map[string]any{"kind": "self_employed"}, wrong: map[string]any{"value": "three"},
			clears: map[string]any{"evidence": "", "program_id": nil, "value": nil},
			date:   "date",
			apart: []map[string]any{{"evidence": "Патент"}, {"value": map[string]any{"amount": 5000000, "currency": "KZT"}},
				{"date": "2026-03-05"}}},
		{path: fmt.Sprintf("/api/v1/deliveries/%d", del.ID), entity: birge.EntityDelivery, id: del.ID,
			readOnly: []string{"id", "organization_id", "center_id", "person_id", "source", "source_id", "created_at", "updated_at"},
			change:   map[string]any{"quantity": 2}, wrong: map[string]any{"quantity": "two"},
			clears:  map[string]any{"note": "", "time": "", "program_id": nil},
			notNull: "quantity", date: "date"},
		{path: fmt.Sprintf("/api/v1/programs/%d", prog.ID), entity: birge.EntityProgram, id: prog.ID,
			readOnly: []string{"id", "organization_id", "created_at", "updated_at"},
			change:   map[string]any{"status": "closed"}, wrong: map[string]any{"center_ids": "Aktobe"},
			clears: map[string]any{"description_en": "", "ends_on": "", "categories": []any{}, "sdg_targets": []any{},
				"center_ids": []any{}},
			notNull: "sensitive", date: "starts_on",
			apart: []map[string]any{{"name_kk": "Бағдарлама"}, {"name_ru": "Программа"}, {"name_ky": "Программа иши"},
				{"description_en": "Trainings for mothers"}}},
		{path: fmt.Sprintf("/api/v1/people/%d", p.ID), entity: birge.EntityPerson, id: p.ID,
			readOnly: []string{"id", "organization_id", "consents", "relations", "created_at", "updated_at"},
			change:   map[string]any{"settlement": "Шалқар"}, wrong: map[string]any{"birth_date": 19850315},
			clears:  map[string]any{"patronymic": "", "children": nil, "categories": []any{}, "phones": []any{}},
			notNull: "rural", date: "birth_date",
			apart: []map[string]any{{"settlement": "Ырғыз"}, {"email": "aizhan@example.kz"}, {"region": "KZ15"}, {"may_call": false}}},
		{path: fmt.Sprintf("/api/v1/centers/%d", aktobe.ID), entity: birge.EntityCenter, id: aktobe.ID,
			readOnly: []string{"id", "organization_id", "created_at", "updated_at"},
			change:   map[string]any{"address": "ул. Абая, 1"}, wrong: map[string]any{"phone": 87011234567},
			clears: map[string]any{"address": ""},
			apart: []map[string]any{{"name_kk": "Ақтөбе орталығы"}, {"name_ru": "Актюбинский центр"}, {"name_ky": "Актөбө борбору"},
				{"name_en": "Aktobe centre"}, {"address": "пр. Абилкайыр хана, 2"}, {"phone": "+77132000000"}}},
		{path: fmt.Sprintf("/api/v1/organizations/%d", fpc.ID), entity: birge.EntityOrganization, id: fpc.ID,
			readOnly: []string{"id", "created_at", "updated_at"},
			change:   map[string]any{"website": "https://fpc.example.kz"}, wrong: map[string]any{"name_en": []string{"x"}},
			clears: map[string]any{"website": ""},
			apart: []map[string]any{{"name_kk": "Отбасы орталығы"}, {"name_ru": "Центр семьи"}, {"name_ky": "Үй-бүлө борбору"},
				{"name_en": "Family centre"}, {"website": "https://family.example.kz"}}},
		{path: fmt.Sprintf("/api/v1/organizations/%d/categories/patch_test", fpc.ID), entity: birge.EntityCategory, id: cat.ID,
			readOnly: []string{"id", "organization_id", "code", "default", "retired_at", "created_at", "updated_at"},
			change:   map[string]any{"name_en": "Trial run"}, wrong: map[string]any{"retired": "yes"}, notNull: "sensitive",
			apart: []map[string]any{{"name_kk": "Сынама"}, {"name_ru": "Испытание"}, {"name_ky": "Сыноо иши"}, {"name_en": "Test run"}}},
		{path: fmt.Sprintf("/api/v1/users/%d", caseworker), entity: birge.EntityUser, id: caseworker,
			readOnly: []string{"id", "organization_id", "roles", "created_at", "updated_at"},
			change:   map[string]any{"name": "Гүлнар Әлиева"}, wrong: map[string]any{"disabled": "no"}, notNull: "disabled",
			apart: []map[string]any{{"name": "Гүлнара Әлиева"}, {"language": "ky"}, {"time_zone": "Asia/Bishkek"}}},
		{path: "/api/v1/me", entity: birge.EntityUser, id: admin,
			readOnly: []string{"id", "email", "name", "disabled", "roles", "created_at", "updated_at"},
			change:   map[string]any{"time_zone": "Asia/Bishkek"}, wrong: map[string]any{"language": 1},
			apart: []map[string]any{{"language": "ru"}, {"time_zone": "Asia/Almaty"}}},
	}
}

// TestPatchRoutesCovered: every PATCH route of the route table is in patchCases.
func TestPatchRoutesCovered(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	covered := map[string]bool{}
	for _, c := range patchCases(t, s) {
		covered[c.path] = true
	}
	patterns := map[string]string{
		"PATCH /api/v1/people/{id}":                              "person",
		"PATCH /api/v1/centers/{id}":                             "center",
		"PATCH /api/v1/organizations/{id}":                       "organization",
		"PATCH /api/v1/organizations/{id}/categories/{category}": "category",
		"PATCH /api/v1/users/{id}":                               "user",
		"PATCH /api/v1/me":                                       "me",
		"PATCH /api/v1/programs/{id}":                            "program",
		"PATCH /api/v1/deliveries/{id}":                          "delivery",
		"PATCH /api/v1/funding/{id}":                             "funding",
		"PATCH /api/v1/cases/{id}":                               "case",
		"PATCH /api/v1/outcomes/{id}":                            "outcome",
		"PATCH /api/v1/referrals/{id}":                           "referral",
		"PATCH /api/v1/sessions/{id}":                            "case_session",
		"PATCH /api/v1/calls/{id}":                               "call",
		"PATCH /api/v1/courses/{id}":                             "course",
		"PATCH /api/v1/cohorts/{id}":                             "cohort",
		"PATCH /api/v1/enrollments/{id}":                         "enrollment",
		"PATCH /api/v1/training-sessions/{id}":                   "training_session",
	}
	for _, rt := range s.srv.Routes() {
		if len(rt.Pattern) > 6 && rt.Pattern[:6] == "PATCH " && patterns[rt.Pattern] == "" {
			t.Errorf("%s is not in patchCases", rt.Pattern)
		}
	}
	if len(covered) != len(patterns) {
		t.Errorf("patchCases has %d routes, want %d", len(covered), len(patterns))
	}
}

// TestPatchSemantics: on every PATCH route, a read-only, unknown or wrongly typed field is
// a 422 naming it in the request's language and changes nothing; one field sent changes
// that field only; the same value again changes nothing (no write, no audit entry, the
// same updated_at and ETag); null empties a field that may be empty and is refused on one
// that may not; a stale If-Match is a 409.
func TestPatchSemantics(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s := newSite(t, st, Config{})
		_, tok := s.token("admin@birge.example", "patch")
		ru := i18n.For("ru")
		send := func(path string, body any, header http.Header) *response {
			t.Helper()
			h := http.Header{"Authorization": {"Bearer " + tok}, "Accept-Language": {"ru"}}
			maps.Copy(h, header)
			return s.do(nil, http.MethodPatch, path, body, h)
		}
		record := func(path string) (map[string]any, string) {
			t.Helper()
			res := s.api(tok, http.MethodGet, path, nil)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %d\n%s", path, res.StatusCode, res.Body)
			}
			var m map[string]any
			decodeJSON(t, res, &m)
			return m, res.Header.Get("ETag")
		}
		audits := func(c patchCase) int {
			t.Helper()
			l, err := st.ListAudit(context.Background(), birge.System("t"), store.AuditFilter{Entity: c.entity, EntityID: c.id, Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			return len(l)
		}
		refused := func(what, path string, body any, want map[string]string) {
			t.Helper()
			before, _ := record(path)
			n := len(before)
			res := send(path, body, nil)
			var p problem
			decodeJSON(t, res, &p)
			if res.StatusCode != http.StatusUnprocessableEntity || res.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s: %s: %d %s, want 422 problem+json", path, what, res.StatusCode, res.Body)
			}
			for field, key := range want {
				if p.Errors[field] != ru.T(key) {
					t.Errorf("%s: %s: errors %v, want %q on %s", path, what, p.Errors, ru.T(key), field)
				}
			}
			if len(p.Errors) != len(want) {
				t.Errorf("%s: %s: errors %v name other fields than %v", path, what, p.Errors, want)
			}
			if after, _ := record(path); !jsonSame(before, after) || len(after) != n {
				t.Errorf("%s: %s: a refused PATCH changed the record\nbefore %v\nafter  %v", path, what, before, after)
			}
		}

		for _, c := range patchCases(t, s) {
			for _, f := range c.readOnly {
				// created_at with a text that is not a date was once a 400 "invalid JSON".
				refused("read-only "+f, c.path, map[string]any{f: "not a date"}, map[string]string{f: "field.read_only"})
			}
			refused("unknown field", c.path, map[string]any{"nickname": "x"}, map[string]string{"nickname": "field.unknown"})
			for f, v := range c.wrong {
				refused("wrong type of "+f, c.path, map[string]any{f: v}, map[string]string{f: "field.type"})
				// Every problem of one body at once.
				refused("three problems", c.path, map[string]any{f: v, "nickname": 1, c.readOnly[0]: 1},
					map[string]string{f: "field.type", "nickname": "field.unknown", c.readOnly[0]: "field.read_only"})
			}
			if c.date != "" {
				refused("a date that is not one", c.path, map[string]any{c.date: "15.03.1985"}, map[string]string{c.date: "field.date"})
			}
			if c.notNull != "" {
				refused("null "+c.notNull, c.path, map[string]any{c.notNull: nil}, map[string]string{c.notNull: "field.not_null"})
			}
			if res := send(c.path, `{"name_en": `, nil); res.StatusCode != http.StatusBadRequest {
				t.Errorf("%s: malformed JSON: %d, want 400", c.path, res.StatusCode)
			}
			if res := send(c.path, `["name_en"]`, nil); res.StatusCode != http.StatusBadRequest {
				t.Errorf("%s: an array, not an object: %d, want 400", c.path, res.StatusCode)
			}

			// One field changes that field, and nothing else but updated_at.
			before, etag := record(c.path)
			audited := audits(c)
			res := send(c.path, c.change, http.Header{"If-Match": {etag}})
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s: PATCH %v: %d\n%s", c.path, c.change, res.StatusCode, res.Body)
			}
			after, changedTag := record(c.path)
			want := maps.Clone(before)
			maps.Copy(want, c.change)
			want["updated_at"] = after["updated_at"]
			if !jsonSame(want, after) {
				t.Errorf("%s: PATCH %v changed more than that\nbefore %v\nafter  %v", c.path, c.change, before, after)
			}
			if after["updated_at"] == before["updated_at"] || changedTag == etag || res.Header.Get("ETag") != changedTag {
				t.Errorf("%s: a change kept updated_at %v or the ETag %s (answer's %s, GET's %s)", c.path, after["updated_at"], etag, res.Header.Get("ETag"), changedTag)
			}
			if got := audits(c); got != audited+1 {
				t.Errorf("%s: a change wrote %d audit entries, want 1", c.path, got-audited)
			}
			if res := send(c.path, c.change, http.Header{"If-Match": {etag}}); res.StatusCode != http.StatusConflict {
				t.Errorf("%s: PATCH on a stale If-Match: %d, want 409", c.path, res.StatusCode)
			}

			// The same again, and an empty body, change nothing at all.
			for _, body := range []any{c.change, `{}`} {
				res := send(c.path, body, nil)
				var answer map[string]any
				decodeJSON(t, res, &answer)
				again, tag := record(c.path)
				if res.StatusCode != http.StatusOK || answer["updated_at"] != after["updated_at"] || res.Header.Get("ETag") != changedTag {
					t.Errorf("%s: no-op PATCH %v: %d, updated_at %v, ETag %s; want 200 with %v, %s", c.path, body,
						res.StatusCode, answer["updated_at"], res.Header.Get("ETag"), after["updated_at"], changedTag)
				}
				if !jsonSame(again, after) || tag != changedTag {
					t.Errorf("%s: no-op PATCH %v changed the record\nbefore %v\nafter  %v", c.path, body, after, again)
				}
				if got := audits(c); got != audited+1 {
					t.Errorf("%s: no-op PATCH %v wrote %d audit entries", c.path, body, got-audited-1)
				}
			}

			for f, empty := range c.clears {
				res := send(c.path, map[string]any{f: nil}, nil)
				got, _ := record(c.path)
				if res.StatusCode != http.StatusOK || !jsonSame(got[f], empty) {
					t.Errorf("%s: null %s: %d, now %v, want %v\n%s", c.path, f, res.StatusCode, got[f], empty, res.Body)
				}
			}
		}
	})
}

// jsonSame compares two decoded JSON values.
func jsonSame(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// TestConcurrentPatchesAllCount: PATCHes of one record sent at once, each changing
// another field and none naming a version, all succeed and all their changes are kept:
// none is laid over a version another has replaced meanwhile.
func TestConcurrentPatchesAllCount(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s := newSite(t, st, Config{})
		_, tok := s.token("admin@birge.example", "patch")
		for _, c := range patchCases(t, s) {
			codes := make([]int, len(c.apart))
			var wg sync.WaitGroup
			for i, body := range c.apart {
				wg.Add(1)
				go func() {
					defer wg.Done()
					codes[i] = s.api(tok, http.MethodPatch, c.path, body).StatusCode
				}()
			}
			wg.Wait()
			res := s.api(tok, http.MethodGet, c.path, nil)
			var got map[string]any
			decodeJSON(t, res, &got)
			for i, body := range c.apart {
				if codes[i] != http.StatusOK {
					t.Errorf("%s: PATCH %v at once with others: %d, want 200", c.path, body, codes[i])
				}
				for f, v := range body {
					if !jsonSame(got[f], v) {
						t.Errorf("%s: PATCH %v at once with others was lost: %s is %v", c.path, body, f, got[f])
					}
				}
			}
		}
	})
}

// TestUndoMergeAfterNoOpPatch: a PATCH of the kept record that changes nothing leaves it
// as the merge left it, so the merge may still be undone; a real change then ends that.
func TestUndoMergeAfterNoOpPatch(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s := newSite(t, st, Config{})
		_, tok := s.token("coordinator@birge.example", "undo")
		register := func(p birge.Person) int64 { return s.registerAt("Aktobe family centre", p) }
		kept := register(birge.Person{FamilyName: "Жұмабаева", GivenName: "Айжан", Phones: []string{"+77011234567"}})
		other := register(birge.Person{FamilyName: "Zhumabaeva", GivenName: "Aizhan", Phones: []string{"+77771002030"}})
		path := "/api/v1/people/" + strconv.FormatInt(kept, 10)
		undo := func(merge int64) *response {
			return s.api(tok, http.MethodPost, fmt.Sprintf("%s/merges/%d/undo", path, merge), nil)
		}
		merge := func() int64 {
			t.Helper()
			res := s.api(tok, http.MethodPost, path+"/merge", map[string]int64{"other_id": other})
			var m struct {
				MergeID int64 `json:"merge_id"`
			}
			decodeJSON(t, res, &m)
			if res.StatusCode != http.StatusOK || m.MergeID == 0 {
				t.Fatalf("merge: %d\n%s", res.StatusCode, res.Body)
			}
			return m.MergeID
		}

		m := merge()
		for _, body := range []any{`{}`, map[string]any{"family_name": "Жұмабаева", "phones": []string{"8 701 123 45 67", "+7 777 100 20 30"}}} {
			if res := s.api(tok, http.MethodPatch, path, body); res.StatusCode != http.StatusOK {
				t.Fatalf("no-op PATCH %v: %d\n%s", body, res.StatusCode, res.Body)
			}
		}
		if res := undo(m); res.StatusCode != http.StatusOK {
			t.Fatalf("undo after a no-op PATCH: %d, want 200\n%s", res.StatusCode, res.Body)
		}
		if res := s.api(tok, http.MethodGet, "/api/v1/people/"+strconv.FormatInt(other, 10), nil); res.StatusCode != http.StatusOK {
			t.Fatalf("the undone merge's other record: %d, want 200", res.StatusCode)
		}

		m = merge()
		if res := s.api(tok, http.MethodPatch, path, map[string]any{"settlement": "Ақтөбе"}); res.StatusCode != http.StatusOK {
			t.Fatalf("PATCH: %d\n%s", res.StatusCode, res.Body)
		}
		res := undo(m)
		var p problem
		decodeJSON(t, res, &p)
		if res.StatusCode != http.StatusUnprocessableEntity || p.Detail != i18n.For("ru").T("merge.edited_since") {
			t.Errorf("undo after a real change: %d %q, want 422 saying her record was edited since", res.StatusCode, p.Detail)
		}
	})
}

// TestPatchNaughtyNames: a string of the Big List of Naughty Strings as a field's name is
// an unknown field, named exactly in the 422; as a value sent twice, the second PATCH
// changes nothing.
func TestPatchNaughtyNames(t *testing.T) {
	t.Parallel()
	lines := naughtyStrings(t)
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s := newSite(t, st, Config{})
		_, tok := s.token("admin@birge.example", "blns")
		id := s.registerAt("Aktobe family centre", birge.Person{GivenName: "Айжан"})
		path := "/api/v1/people/" + strconv.FormatInt(id, 10)
		unknown := i18n.For("kk").T("field.unknown")
		for i, v := range lines {
			name := asSent(v)
			if name == "settlement" {
				continue
			}
			res := s.api(tok, http.MethodPatch, path, map[string]any{name: "x"})
			var p problem
			decodeJSON(t, res, &p)
			if res.StatusCode != http.StatusUnprocessableEntity || len(p.Errors) != 1 || p.Errors[name] != unknown {
				t.Errorf("field named %q: %d %v, want 422 naming it unknown", name, res.StatusCode, p.Errors)
			}
			if i%10 != 0 {
				continue // as values, every tenth: each is two PATCHes and a GET
			}
			body := map[string]string{"settlement": v}
			first := s.api(tok, http.MethodPatch, path, body)
			if first.StatusCode == http.StatusUnprocessableEntity {
				continue // refused as text: TestNaughtyStrings checks the message
			}
			second := s.api(tok, http.MethodPatch, path, body)
			if first.StatusCode != http.StatusOK || second.StatusCode != http.StatusOK || second.Header.Get("ETag") != first.Header.Get("ETag") {
				t.Errorf("settlement %q twice: %d then %d, ETag %s then %s: the second should change nothing", v,
					first.StatusCode, second.StatusCode, first.Header.Get("ETag"), second.Header.Get("ETag"))
			}
		}
	})
}
