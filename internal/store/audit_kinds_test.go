package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// auditKindsInSource lists the actions and entities the store's own code writes to the
// audit log: the constants given to action and entity in its event literals and
// assignments, read from birge's declarations. A string written there instead of a
// constant fails, and so does a kind added to the store without a step in
// TestAuditEveryKindRoundTrip.
func auditKindsInSource(t *testing.T) (actions map[birge.AuditAction]bool, entities map[birge.AuditEntity]bool) {
	t.Helper()
	actions, entities = map[birge.AuditAction]bool{}, map[birge.AuditEntity]bool{}
	fset := token.NewFileSet()
	consts := map[string]string{} // birge.ActionCreate: "create"
	decl, err := parser.ParseFile(fset, filepath.Join("..", "birge", "audit_kinds.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	ast.Inspect(decl, func(n ast.Node) bool {
		if v, ok := n.(*ast.ValueSpec); ok && len(v.Values) == len(v.Names) {
			for i, name := range v.Names {
				if lit, ok := v.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					consts["birge."+name.Name], _ = strconv.Unquote(lit.Value)
				}
			}
		}
		return true
	})
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	add := func(at token.Pos, field string, v ast.Expr) {
		if field != "action" && field != "entity" {
			return
		}
		sel, ok := v.(*ast.SelectorExpr)
		name := ""
		if ok {
			if pkg, ok := sel.X.(*ast.Ident); ok {
				name = pkg.Name + "." + sel.Sel.Name
			}
		}
		value, known := consts[name]
		if !known {
			t.Errorf("%s: the audit entry's %s is not one of birge's constants", fset.Position(at), field)
			return
		}
		if field == "action" {
			actions[birge.AuditAction(value)] = true
		} else {
			entities[birge.AuditEntity(value)] = true
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
			case *ast.CompositeLit: // event{action: birge.ActionCreate, entity: birge.EntityPerson, …}
				if typ, ok := n.Type.(*ast.Ident); ok && typ.Name == "event" {
					for _, e := range n.Elts {
						if kv, ok := e.(*ast.KeyValueExpr); ok {
							if k, ok := kv.Key.(*ast.Ident); ok {
								add(kv.Pos(), k.Name, kv.Value)
							}
						}
					}
				}
			case *ast.AssignStmt: // ev.action, ev.changes = birge.ActionRelationRemoved, …
				for i, l := range n.Lhs {
					if sel, ok := l.(*ast.SelectorExpr); ok && i < len(n.Rhs) {
						add(n.Pos(), sel.Sel.Name, n.Rhs[i])
					}
				}
			}
			return true
		})
	}
	if len(actions) < 20 || !actions[birge.ActionRevealID] || !entities[birge.EntityPerson] {
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
		var program birge.Program
		var participant birge.Participant
		var org birge.Organization
		var center birge.Center
		var cat birge.Category
		var user birge.User
		var tok store.Token
		var im store.Import
		var session string
		var me *birge.Actor
		var call birge.Call
		steps := []struct {
			name string
			do   func() error
		}{
			{"create person", func() (err error) {
				person, err = st.People.Create(ctx, fx.coord, aizhan(fx.aktobe.ID))
				return err
			}},
			{"update person", func() (err error) {
				person.Patronymic = "Серікқызы"
				person, err = st.People.Update(ctx, fx.coord, person)
				return err
			}},
			{"reveal identity", func() error { _, err := st.People.RevealIdentity(ctx, fx.coord, person.ID); return err }},
			{"dossier", func() error { _, err := st.People.Dossier(ctx, fx.coord, person.ID); return err }},
			{"consent", func() (err error) {
				consent, err = st.People.AddConsent(ctx, fx.coord, person.ID, birge.Consent{Purpose: "story", Channel: "paper", GivenOn: "2027-03-01"})
				return err
			}},
			{"consent withdrawn", func() error { return st.People.WithdrawConsent(ctx, fx.coord, person.ID, consent.ID, "2027-03-02") }},
			{"relation", func() (err error) {
				other, err = st.People.Create(ctx, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Дана", BirthDate: "2015-04-01"})
				if err == nil {
					relation, err = st.People.AddRelation(ctx, fx.coord, person.ID, other.ID, "child")
				}
				return err
			}},
			{"relation removed", func() error { return st.People.RemoveRelation(ctx, fx.coord, person.ID, relation.ID) }},
			{"create programme", func() (err error) {
				program, err = st.Programs.Create(ctx, fx.coord, counselling(fx.aktobe.OrgID, fx.aktobe.ID))
				return err
			}},
			{"update programme", func() (err error) {
				program.Status = "closed"
				program, err = st.Programs.Update(ctx, fx.coord, program)
				return err
			}},
			{"participant", func() (err error) {
				participant, err = st.Programs.AddParticipant(ctx, fx.coord, program.ID, birge.Participant{PersonID: person.ID, JoinedOn: "2026-05-01"})
				return err
			}},
			{"participation ended", func() error {
				_, err := st.Programs.EndParticipation(ctx, fx.coord, program.ID, participant.ID, "2026-06-01", "Көшіп кетті")
				return err
			}},
			{"delivery recorded, changed and deleted", func() error {
				d, err := st.Deliveries.Record(ctx, fx.coord, birge.Delivery{PersonID: person.ID, ProgramID: &program.ID,
					Date: "2026-05-02", Kind: "consultation", Quantity: 1, Unit: "sessions", Note: "Келді"})
				if err != nil {
					return err
				}
				d.Quantity = 2
				if d, err = st.Deliveries.Update(ctx, fx.coord, d); err != nil {
					return err
				}
				return st.Deliveries.Delete(ctx, fx.coord, d.ID)
			}},
			{"kind added and retired", func() error {
				k, err := st.Kinds.Create(ctx, fx.fpcAdmin, "outcomes", fx.aktobe.OrgID, birge.DeliveryKind{
					Names: birge.Names{KK: "Оқуға түсті", RU: "Поступила учиться", KY: "Окууга өттү", EN: "Enrolled"}})
				if err != nil {
					return err
				}
				k.Retired = true
				_, err = st.Kinds.Update(ctx, fx.fpcAdmin, "outcomes", fx.aktobe.OrgID, k)
				return err
			}},
			{"outcome recorded, changed and deleted", func() error {
				o, err := st.Outcomes.Record(ctx, fx.coord, birge.Outcome{PersonID: person.ID, ProgramID: &program.ID,
					Date: "2026-05-02", Kind: "employed", Evidence: "Еңбек шарты",
					Upload: &birge.EvidenceUpload{Name: "шарт.pdf", Content: []byte("%PDF-1.4\n%%EOF\n")}})
				if err != nil {
					return err
				}
				o.Value = &birge.OutcomeValue{Amount: 25000000, Currency: "KZT"}
				if o, err = st.Outcomes.Update(ctx, fx.coord, o); err != nil {
					return err
				}
				return st.Outcomes.Delete(ctx, fx.coord, o.ID)
			}},
			{"case taken in and moved to screening", func() error {
				k, err := st.Cases.Create(ctx, fx.coord, birge.Case{CenterID: fx.aktobe.ID, PartnerIDs: []int64{person.ID},
					IntakeDate: "2026-05-02", Reasons: []string{"finances"}, CameFrom: "self"})
				if err != nil {
					return err
				}
				k.Status = "screening"
				if k, err = st.Cases.Update(ctx, fx.coord, k); err != nil {
					return err
				}
				all := map[string]bool{}
				for _, q := range birge.DefaultQuestions {
					all[q.Code] = q.Code == "weapon"
				}
				if _, err = st.Screenings.Create(ctx, fx.coord, k.ID, birge.Screening{PersonID: person.ID, Alone: true,
					Answers: all}); err != nil {
					return err
				}
				if _, err = st.Cases.Override(ctx, fx.coord, k.ID, "reviewed with the crisis centre"); err != nil {
					return err
				}
				if _, err = st.Cases.Review(ctx, fx.coord, k.ID); err != nil {
					return err
				}
				plan := birge.SafetyPlan{CaseID: k.ID, PersonID: person.ID, SafePlace: "Апасының үйі"}
				if plan, err = st.SafetyPlans.Save(ctx, fx.coord, plan); err != nil {
					return err
				}
				plan.CodeWord = "алма"
				if _, err = st.SafetyPlans.Save(ctx, fx.coord, plan); err != nil {
					return err
				}
				sv, err := st.Services.Create(ctx, fx.fpcAdmin, birge.Service{OrgID: fx.aktobe.OrgID, Name: "Дағдарыс орталығы",
					Kind: "crisis_center", Phone: "8 701 123 45 67"})
				if err != nil {
					return err
				}
				sv.Address = "Абай даңғылы, 2"
				if _, err = st.Services.Update(ctx, fx.fpcAdmin, sv); err != nil {
					return err
				}
				r, err := st.Referrals.Create(ctx, fx.coord, birge.Referral{PersonID: person.ID, CaseID: k.ID, ServiceID: sv.ID,
					Note: "Баспана керек", ChosenByHer: true})
				if err != nil {
					return err
				}
				r.Status = birge.ReferralAccepted
				_, err = st.Referrals.Update(ctx, fx.coord, r)
				return err
			}},
			{"session booked, attended and noted", func() error {
				k, err := st.Cases.Create(ctx, fx.coord, birge.Case{CenterID: fx.aktobe.ID, PartnerIDs: []int64{person.ID},
					IntakeDate: "2026-05-02", Reasons: []string{"finances"}, CameFrom: "self"})
				if err != nil {
					return err
				}
				x, err := st.Sessions.Schedule(ctx, fx.coord, k.ID, birge.Session{Type: "individual", WorkerID: fx.coord.UserID,
					Room: "Кабинет 1", StartsAt: time.Date(2026, 5, 4, 4, 0, 0, 0, time.UTC),
					EndsAt: time.Date(2026, 5, 4, 5, 0, 0, 0, time.UTC), PersonIDs: []int64{person.ID}})
				if err != nil {
					return err
				}
				x.Attendance = "came"
				if _, err := st.Sessions.Update(ctx, fx.coord, x); err != nil {
					return err
				}
				_, err = st.Sessions.AddNote(ctx, fx.coord, x.ID, "Келді, сөйлесті")
				return err
			}},
			{"request sent and taken in, questionnaire edited", func() error {
				r := birge.CaseRequest{CenterID: fx.aktobe.ID, Lang: "kk", Name: "Сәуле", Contact: birge.ContactNone}
				if err := st.CaseRequests.Submit(ctx, "10.9.9.9", r, false); err != nil {
					return err
				}
				l, err := st.CaseRequests.List(ctx, fx.coord, store.RequestFilter{Status: birge.RequestNew})
				if err != nil {
					return err
				}
				if _, err := st.CaseRequests.Accept(ctx, fx.coord, l[len(l)-1].ID, store.Acceptance{PersonID: person.ID}); err != nil {
					return err
				}
				_, err = st.Screenings.SaveQuestions(ctx, fx.fpcAdmin, fx.aktobe.OrgID, 0, birge.DefaultQuestions)
				return err
			}},
			{"funding, spending and a deadline", func() error {
				f, err := st.Funding.Create(ctx, fx.fpcAdmin, unwomen(fx.fpcOrg()))
				if err != nil {
					return err
				}
				f.Reference = "KAZ-2026-015"
				if f, err = st.Funding.Update(ctx, fx.fpcAdmin, f); err != nil {
					return err
				}
				if _, err := st.Funding.AddSpending(ctx, fx.fpcAdmin, f.ID, birge.Spending{LineID: f.BudgetLines[0].ID,
					Amount: birge.Money{Amount: 100, Currency: "KZT"}, Date: "2027-03-01", Note: "Ақпан"}); err != nil {
					return err
				}
				d, err := st.Funding.AddDeadline(ctx, fx.fpcAdmin, f.ID, birge.Deadline{DueOn: "2027-04-01", What: "Есеп"})
				if err != nil {
					return err
				}
				return st.Funding.MarkSubmitted(ctx, fx.fpcAdmin, f.ID, d.ID, "2027-03-01")
			}},
			{"not duplicate", func() (err error) {
				third, err = st.People.Create(ctx, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Мария",
					Phones: []string{"8 701 123 45 67"}})
				if err != nil {
					return err
				}
				q, err := st.People.DuplicatePairs(ctx, fx.coord, 0, 0)
				if err != nil || len(q.Items) == 0 {
					t.Fatalf("no pair in the queue: %v", err)
				}
				return st.People.DismissDuplicatePair(ctx, fx.coord, q.Items[0].ID)
			}},
			{"merge", func() (err error) { merge, err = st.People.Merge(ctx, fx.admin, person.ID, third.ID, nil); return err }},
			{"unmerge", func() error { return st.People.UndoMerge(ctx, fx.admin, person.ID, merge.ID) }},
			{"import", func() error {
				_, err := st.People.Import(ctx, fx.coord, importRows(fx, 0, 3), store.ImportOptions{CenterID: fx.aktobe.ID})
				return err
			}},
			{"upload", func() (err error) {
				im, err = st.People.CreateImport(ctx, fx.admin, fx.aktobe.ID, "people.csv", []byte("Имя\nЖанар\n"),
					[]store.ImportColumn{{Header: "Имя", Sample: "Жанар"}}, []string{"given_name"})
				return err
			}},
			{"apply", func() error {
				return st.People.FinishImport(ctx, fx.admin, im.ID, store.ImportApplied, &store.ImportReport{Rows: 1, Created: 1})
			}},
			{"export", func() error {
				_, err := st.People.Export(ctx, fx.coord, store.PeopleFilter{}, "csv", func(birge.Person) error { return nil })
				return err
			}},
			{"anonymise", func() error { return st.People.Anonymise(ctx, fx.coord, other.ID) }},
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
			{"call", func() error {
				p, err := st.Programs.Create(ctx, fx.fpcAdmin, birge.Program{OrgID: fx.aktobe.OrgID, Kind: "grants", Status: "active",
					StartsOn: "2026-01-01", Names: birge.Names{KK: "Грант", RU: "Гранты", KY: "Грант", EN: "Grants"}})
				if err != nil {
					return err
				}
				opens := time.Date(2027, 2, 1, 4, 0, 0, 0, time.UTC)
				c, err := st.Calls.Create(ctx, fx.fpcAdmin, birge.Call{OrgID: fx.aktobe.OrgID, Kind: "scholarship", ProgramID: p.ID,
					CallTitles: birge.CallTitles{KK: "Стипендия", RU: "Стипендия", KY: "Стипендия", EN: "Scholarship"},
					CallTexts:  birge.CallTexts{KK: "Балаларға", RU: "Детям", KY: "Балдарга", EN: "For children"},
					OpensAt:    opens, ClosesAt: opens.AddDate(0, 1, 0), Budget: birge.Money{Amount: 100_000_000, Currency: "KZT"},
					AwardAmount: birge.Money{Amount: 5_000_000, Currency: "KZT"}, Awards: 20, Status: birge.CallDraft})
				if err != nil {
					return err
				}
				c.CallTitles.EN, c.Status = "Scholarships for gifted children", birge.CallOpen
				c.Criteria = []birge.CallCriterion{{Code: "results", Weight: 100, Max: 5,
					CallCriterionNames: birge.CallCriterionNames{KK: "Нәтижелер", RU: "Результаты", KY: "Натыйжалар", EN: "Results"}}}
				call, err = st.Calls.Update(ctx, fx.fpcAdmin, c)
				return err
			}},
			{"review and decision", func() error {
				u, err := st.CreateUser(ctx, sys, store.NewUser{User: birge.User{Email: "rv@birge.example", Name: "Рецензент",
					Lang: "ru", Grants: []birge.Grant{{Role: birge.RoleReviewer, OrgID: call.OrgID}}}, Password: "correct horse battery"})
				if err != nil {
					return err
				}
				app, err := st.InsertApplication(ctx, store.TestApplication{CallID: call.ID, Status: birge.AppEligible,
					Answers: map[string]any{"olympiads": "Облыстық олимпиада"}})
				if err != nil {
					return err
				}
				if _, err := st.Calls.Assign(ctx, fx.fpcAdmin, call.ID, store.ReviewPool{
					Reviewers: []birge.CallReviewer{{UserID: u.ID}}, PerApplication: 1}); err != nil {
					return err
				}
				rv := &birge.Actor{UserID: u.ID, Name: u.Name, Grants: u.Grants}
				if _, err := st.Calls.SubmitReview(ctx, rv, app, store.ReviewInput{Scores: map[string]int{"results": 4},
					Comment: "Жақсы"}); err != nil {
					return err
				}
				_, err = st.Calls.Decide(ctx, fx.fpcAdmin, call.ID, birge.DecisionRequest{Confirm: true})
				return err
			}},
			{"application", func() error {
				p, err := st.Programs.Create(ctx, fx.fpcAdmin, birge.Program{OrgID: fx.aktobe.OrgID, Kind: "grants", Status: "active",
					StartsOn: "2026-01-01", Names: birge.Names{KK: "Грант", RU: "Гранты", KY: "Грант", EN: "Grants"}})
				if err != nil {
					return err
				}
				opens := st.Now().Add(-time.Hour)
				c, err := st.Calls.Create(ctx, fx.fpcAdmin, birge.Call{OrgID: fx.aktobe.OrgID, Kind: "other", ProgramID: p.ID,
					CallTitles: birge.CallTitles{KK: "Грант", RU: "Грант", KY: "Грант", EN: "Grant"},
					CallTexts:  birge.CallTexts{KK: "Әйелдерге", RU: "Женщинам", KY: "Аялдарга", EN: "For women"},
					OpensAt:    opens, ClosesAt: opens.AddDate(0, 2, 0), Budget: birge.Money{Amount: 100_000_000, Currency: "KZT"},
					AwardAmount: birge.Money{Amount: 5_000_000, Currency: "KZT"}, Awards: 20, Status: birge.CallOpen,
					Criteria: []birge.CallCriterion{{Code: "idea", Weight: 100, Max: 5,
						CallCriterionNames: birge.CallCriterionNames{KK: "Идея", RU: "Идея", KY: "Идея", EN: "Idea"}}},
					Eligibility: birge.CallEligibility{AgeMin: 18}})
				if err != nil {
					return err
				}
				she := birge.Applicant{GivenName: "Гүлмира", Phones: []string{"+77015550101"}, Region: "KZ15"}
				got, err := st.Applications.Save(ctx, "10.0.0.9", c.ID, store.ApplicationInput{Applicant: she})
				if err != nil {
					return err
				}
				if _, err := st.Applications.Save(ctx, "10.0.0.9", c.ID, store.ApplicationInput{Reference: got.Reference,
					Token: got.Token, Applicant: she, Submit: true, Answers: map[string]json.RawMessage{
						"description": json.RawMessage(`"Тігін цехы"`)}}); err != nil {
					return err
				}
				list, err := st.Applications.List(ctx, fx.fpcAdmin, c.ID, store.ApplicationFilter{})
				if err != nil {
					return err
				}
				_, err = st.Applications.Override(ctx, fx.fpcAdmin, list[0].ID, true, "Туған күні құжатта бар")
				return err
			}},
			{"award", func() error {
				p, err := st.Programs.Create(ctx, fx.fpcAdmin, birge.Program{OrgID: fx.aktobe.OrgID, Kind: "grants", Status: "active",
					StartsOn: "2026-01-01", Names: birge.Names{KK: "Бизнес", RU: "Бизнес", KY: "Бизнес", EN: "Business"}})
				if err != nil {
					return err
				}
				opens := time.Date(2026, 2, 1, 4, 0, 0, 0, time.UTC)
				c, err := st.Calls.Create(ctx, fx.fpcAdmin, birge.Call{OrgID: fx.aktobe.OrgID, Kind: "business_grant", ProgramID: p.ID,
					CallTitles: birge.CallTitles{KK: "Грант", RU: "Грант", KY: "Грант", EN: "Grant"},
					CallTexts:  birge.CallTexts{KK: "Бизнес", RU: "Бизнес", KY: "Бизнес", EN: "Business"},
					OpensAt:    opens, ClosesAt: opens.AddDate(0, 1, 0), Budget: birge.Money{Amount: 100_000_000, Currency: "KZT"},
					AwardAmount: birge.Money{Amount: 5_000_000, Currency: "KZT"}, Awards: 20, Status: birge.CallDraft})
				if err != nil {
					return err
				}
				her, err := st.People.Create(ctx, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Гүлмира", BirthDate: "1988-05-01"})
				if err != nil {
					return err
				}
				app := testenv.InsertApplications(t, st, c.ID, []testenv.Application{{PersonID: her.ID, Status: "awarded"}})[0]
				aw, err := st.Awards.Create(ctx, fx.fpcAdmin, birge.Award{ApplicationID: app, AgreedOn: "2026-03-01",
					Tranches: []birge.AwardTranche{{Share: 100, NeedsEvidence: true}}})
				if err != nil {
					return err
				}
				if _, err := st.Awards.AddEvidence(ctx, fx.fpcAdmin, aw.ID, 1, birge.EvidenceUpload{Name: "чек.pdf", Content: []byte("%PDF-1.4\n%%EOF\n")}); err != nil {
					return err
				}
				if _, err := st.Awards.Approve(ctx, fx.fpcAdmin, aw.ID, 1); err != nil {
					return err
				}
				if _, err := st.Awards.Pay(ctx, fx.fpcAdmin, aw.ID, birge.AwardPayment{Tranche: 1, Date: "2026-03-05",
					Amount: birge.Money{Amount: 5_000_000, Currency: "KZT"}}); err != nil {
					return err
				}
				_, err = st.Awards.FollowUp(ctx, fx.fpcAdmin, aw.ID, birge.AwardFollowUp{Months: 12, Date: "2027-03-01", Operating: true, Jobs: 1})
				return err
			}},
			{"login failed", func() error {
				if _, _, err := st.Login(ctx, "new@birge.example", "wrong guess", "10.0.0.7", "test"); birge.KindOf(err) != birge.KindUnauthenticated {
					t.Fatalf("wrong password: %v", err)
				}
				return nil
			}},
			{"trainings", func() error {
				course, err := st.Trainings.CreateCourse(ctx, fx.admin, testCourse(fx.almaty.OrgID))
				if err != nil {
					return err
				}
				course.Hours = 30
				if _, err := st.Trainings.UpdateCourse(ctx, fx.admin, course); err != nil {
					return err
				}
				h, err := st.Trainings.CreateCohort(ctx, fx.admin, testCohort(course.ID, fx.almaty.ID, 1, fx.trainer.UserID))
				if err != nil {
					return err
				}
				l, err := st.Trainings.GenerateTrainingSessions(ctx, fx.admin, h.ID, birge.SessionPattern{Weekday: 1, Start: "10:00", Minutes: 60})
				if err != nil {
					return err
				}
				l[0].Venue = "Зал 2"
				if _, err := st.Trainings.UpdateTrainingSession(ctx, fx.admin, l[0]); err != nil {
					return err
				}
				if err := st.Trainings.DeleteTrainingSession(ctx, fx.admin, l[1].ID); err != nil {
					return err
				}
				var first birge.Enrollment
				for i, name := range []string{"Айгерім", "Гүлнар"} {
					her := fx.register(t, fx.admin, birge.Person{CenterID: fx.almaty.ID, GivenName: name})
					e, err := st.Trainings.Enroll(ctx, fx.admin, h.ID, birge.Enrollment{PersonID: her.ID, Accommodation: "Пандус"})
					if err != nil {
						return err
					}
					if i == 0 {
						first = e
					}
				}
				past := time.Date(2026, 12, 30, 5, 0, 0, 0, time.UTC)
				held, err := st.Trainings.AddTrainingSessions(ctx, fx.admin, h.ID, []birge.TrainingSession{{StartsAt: past, EndsAt: past.Add(time.Hour)}})
				if err != nil {
					return err
				}
				for _, mark := range []string{"present", "absent"} {
					if _, err := st.Trainings.PutMarks(ctx, fx.trainer, held[0].ID, []birge.TrainingMark{{PersonID: first.PersonID,
						Mark: mark, Reason: "Ауырды", MarkedAt: past.Add(time.Minute)}}); err != nil {
						return err
					}
					past = past.Add(time.Minute)
				}
				first.ProjectPassed = true
				if first, err = st.Trainings.UpdateEnrollment(ctx, fx.trainer, first); err != nil {
					return err
				}
				first.Status, first.Reason = "dropped", "Көшіп кетті"
				if _, err = st.Trainings.UpdateEnrollment(ctx, fx.admin, first); err != nil {
					return err
				}
				// The second completed: her certificate, issued and revoked.
				list, err := st.Trainings.Enrollments(ctx, fx.admin, h.ID)
				if err != nil {
					return err
				}
				second := list[0]
				second.Status = birge.EnrollmentCompleted
				if _, err := st.Trainings.UpdateEnrollment(ctx, fx.admin, second); err != nil {
					return err
				}
				if _, err := st.Trainings.IssueCertificates(ctx, fx.admin, h.ID); err != nil {
					return err
				}
				certs, err := st.Trainings.Certificates(ctx, fx.admin, h.ID)
				if err != nil || len(certs) != 1 {
					return fmt.Errorf("certificates: %d, %w", len(certs), err)
				}
				_, err = st.Trainings.RevokeCertificate(ctx, fx.admin, certs[0].ID, "Қате берілді")
				return err
			}},
			{"training follow-up: a link sent, answers recorded", func() error {
				h, err := st.Trainings.CreateCohort(ctx, fx.admin, birge.Cohort{CourseID: mustCourse(t, st, fx).ID, CenterID: fx.almaty.ID,
					Language: "ru", Capacity: 5, StartsOn: "2026-10-01", EndsOn: "2026-11-30"})
				if err != nil {
					return err
				}
				her := fx.register(t, fx.admin, birge.Person{CenterID: fx.almaty.ID, GivenName: "Жанар"})
				e, err := st.Trainings.Enroll(ctx, fx.admin, h.ID, birge.Enrollment{PersonID: her.ID})
				if err != nil {
					return err
				}
				e.Status = birge.EnrollmentCompleted
				if _, err := st.Trainings.UpdateEnrollment(ctx, fx.admin, e); err != nil {
					return err
				}
				if _, _, err := st.Trainings.CreateFollowupLink(ctx, fx.admin, e.ID, 3, "kk"); err != nil {
					return err
				}
				_, err = st.Trainings.RecordFollowup(ctx, fx.admin, e.ID, 3, birge.FollowupAnswers{Employment: "employed",
					Business: true, BusinessKind: "Наубайхана", Helped: "yes"})
				return err
			}},
			{"preferences", func() (err error) {
				if me, err = st.ActorBySession(ctx, session, "10.0.0.7"); err == nil {
					_, err = st.SetPreferences(ctx, me, "ru", "Asia/Almaty", time.Time{})
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
				seen["action "+string(e.Action)], seen["entity "+string(e.Entity)] = true, true
				kind := e.Entity.Kind()
				for field := range e.Changes {
					if _, ok := kind.Fields[field]; !ok {
						t.Errorf("an entry about a %s records the field %q, which birge.AuditEntities does not name", e.Entity, field)
					}
				}
				before = e.Seq
			}
			if len(page) < 500 {
				break
			}
		}
		for a := range actions {
			if !seen["action "+string(a)] {
				t.Errorf("no step writes an entry with action %q; add one", a)
			}
		}
		for e := range entities {
			if !seen["entity "+string(e)] {
				t.Errorf("no step writes an entry about a %q; add one", e)
			}
		}
	})
}

// Every action, entity, field and coded value the audit page shows has its label in the
// four languages: the filters and the change lines are made from birge's list.
func TestAuditLabelsInEveryLanguage(t *testing.T) {
	keys := map[string]bool{}
	for _, a := range birge.AuditActions {
		keys[a.Label()] = true
	}
	codes := map[birge.AuditValue][]string{birge.ValueSex: birge.Sexes, birge.ValueIncome: birge.IncomeBands,
		birge.ValueCenterType: birge.CenterTypes, birge.ValuePurpose: birge.ConsentPurposes,
		birge.ValueChannel: birge.ConsentChannels, birge.ValueRelation: slices.Collect(maps.Keys(birge.RelationKinds)),
		birge.ValueProgramKind: birge.ProgramKinds, birge.ValueProgramStatus: birge.ProgramStatuses}
	for _, r := range birge.Roles {
		codes[birge.ValueRole] = append(codes[birge.ValueRole], string(r))
	}
	codes[birge.ValueDeliveryUnit] = birge.DeliveryUnits
	codes[birge.ValueMeasure] = birge.Measures
	codes[birge.ValueDonorKind] = birge.DonorKinds
	codes[birge.ValueCaseCameFrom] = birge.CaseCameFrom
	codes[birge.ValueCaseStatus] = birge.CaseStatuses
	codes[birge.ValueReferralStatus] = birge.ReferralStatuses
	codes[birge.ValueServiceKind] = birge.ServiceKinds
	codes[birge.ValueCaseOutcome] = birge.CaseOutcomes
	codes[birge.ValueApplicationStatus] = birge.ApplicationStatuses
	for v, prefix := range birge.ValuePrefixes {
		if len(codes[v]) == 0 {
			t.Errorf("no codes to check for the values labelled %q", prefix)
		}
		for _, c := range codes[v] {
			keys[prefix+c] = true
		}
	}
	for _, k := range birge.AuditEntities {
		keys[k.Entity.Label()] = true
		for field, f := range k.Fields {
			if f.Label == "" {
				t.Errorf("%s.%s has no label", k.Entity, field)
			}
			keys[f.Label] = true
		}
		if k.Person != "" && k.Person != birge.PersonIsEntity && !k.Kept(k.Person) {
			t.Errorf("%s names its person in %q, which is sealed: her entries could not be opened", k.Entity, k.Person)
		}
	}
	for key := range keys {
		for _, lang := range i18n.Langs {
			if i18n.Raw(lang, key) == "" {
				t.Errorf("%s has no %q", lang, key)
			}
		}
	}
}

// Anonymising a woman erases what every entry about her held, whatever its action —
// her record, her consents, her family links, the reveal of her number — but the
// fields her entries' entity keeps, which stay readable for the counts.
func TestAnonymiseErasesEveryEntryAboutHer(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		her, err := st.People.Create(ctx, fx.coord, aizhan(fx.aktobe.ID))
		if err != nil {
			t.Fatal(err)
		}
		child, err := st.People.Create(ctx, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Дана", BirthDate: "2015-04-01"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.People.RevealIdentity(ctx, fx.coord, her.ID); err != nil {
			t.Fatal(err)
		}
		con, err := st.People.AddConsent(ctx, fx.coord, her.ID, birge.Consent{Purpose: "story", Channel: "paper", GivenOn: "2026-12-01"})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.People.WithdrawConsent(ctx, fx.coord, her.ID, con.ID, "2026-12-20"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.People.AddRelation(ctx, fx.coord, her.ID, child.ID, "child"); err != nil {
			t.Fatal(err)
		}
		if err := st.People.Anonymise(ctx, fx.coord, her.ID); err != nil {
			t.Fatal(err)
		}
		entries, err := st.ListAudit(ctx, fx.admin, store.AuditFilter{Entity: birge.EntityPerson, EntityID: her.ID})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[birge.AuditAction]bool{}
		kept := map[string]any{}
		for _, e := range entries {
			seen[e.Action] = true
			kind := e.Entity.Kind()
			for field, ch := range e.Changes {
				for _, v := range []any{ch.Before, ch.After} {
					switch {
					case v == nil:
					case kind.Kept(field) && v == (birge.Erased{}):
						t.Errorf("%s entry: %s, which the entity keeps, is erased", e.Action, field)
					case kind.Kept(field):
						kept[string(e.Action)+" "+field] = v
					case v != (birge.Erased{}):
						t.Errorf("%s entry: %s = %v after she was anonymised, want erased", e.Action, field, v)
					}
				}
			}
		}
		for _, a := range []birge.AuditAction{birge.ActionCreate, birge.ActionRevealID, birge.ActionConsent,
			birge.ActionConsentWithdrawn, birge.ActionRelation, birge.ActionAnonymise} {
			if !seen[a] {
				t.Errorf("no %s entry about her", a)
			}
		}
		want := map[string]any{"consent purpose": "story", "consent channel": "paper", "consent given_on": "2026-12-01",
			"consent_withdrawn withdrawn_on": "2026-12-20", "relation kind": "child", "relation other_id": float64(child.ID),
			"create center_id": float64(fx.aktobe.ID)}
		for k, v := range want {
			if kept[k] != v {
				t.Errorf("%s after anonymisation: %v, want %v readable", k, kept[k], v)
			}
		}
		if broken, _, err := st.VerifyAudit(ctx); err != nil || broken != 0 {
			t.Errorf("the log after anonymisation: broken at %d, %v", broken, err)
		}
	})
}

func mustCourse(t *testing.T, st *store.Store, fx *peopleFixture) birge.Course {
	t.Helper()
	k, err := st.Trainings.CreateCourse(context.Background(), fx.admin, testCourse(fx.almaty.OrgID))
	if err != nil {
		t.Fatal(err)
	}
	return k
}
