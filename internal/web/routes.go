package web

import "net/http"

// Routes is every route of the application, pages and API, in one list. The
// authorisation test walks this list, so a new route without an expected status for
// every role fails the build.
func (s *Server) Routes() []Route {
	a := s.api
	return []Route{
		// Operations
		{"GET /healthz", Public, s.healthz},
		{"GET /readyz", Public, s.readyz},
		{"GET /metrics", Public, s.serveMetrics},
		{"GET /static/{file...}", Public, s.static},

		// Public pages
		{"GET /{$}", Public, s.home},
		{"POST /lang", Public, s.setLanguage},
		{"GET /login", Public, s.loginForm},
		{"POST /login", Public, s.login},
		{"GET /setup", Public, s.setupForm},
		{"POST /setup", Public, s.setup},

		// Staff pages
		{"POST /logout", Staff, s.logout},
		{"POST /logout-everywhere", Staff, s.logoutEverywhere},
		{"GET /dashboard", Staff, s.dashboard},
		{"GET /account", Staff, s.account},
		{"POST /account/preferences", Staff, s.savePreferences},
		{"POST /account/password", Staff, s.changePassword},
		{"POST /account/tokens", Staff, s.createToken},
		{"POST /account/tokens/{id}/delete", Staff, s.deleteToken},
		{"GET /organizations", Staff, s.orgList},
		{"GET /organizations/new", Staff, s.orgNew},
		{"POST /organizations", Staff, s.orgCreate},
		{"GET /organizations/{id}", Staff, s.orgShow},
		{"GET /organizations/{id}/edit", Staff, s.orgEdit},
		{"POST /organizations/{id}", Staff, s.orgUpdate},
		{"GET /organizations/{id}/categories", Staff, s.categoryList},
		{"POST /organizations/{id}/categories", Staff, s.categoryCreate},
		{"GET /organizations/{id}/categories/{category}/edit", Staff, s.categoryEdit},
		{"POST /organizations/{id}/categories/{category}", Staff, s.categoryUpdate},
		{"POST /organizations/{id}/categories/{category}/retire", Staff, s.categoryRetire},
		{"POST /organizations/{id}/categories/{category}/restore", Staff, s.categoryRestore},
		{"GET /centers", Staff, s.centerList},
		{"GET /centers/new", Staff, s.centerNew},
		{"POST /centers", Staff, s.centerCreate},
		{"GET /centers/{id}", Staff, s.centerShow},
		{"GET /centers/{id}/edit", Staff, s.centerEdit},
		{"POST /centers/{id}", Staff, s.centerUpdate},
		{"POST /centers/{id}/delete", Staff, s.centerDelete},
		{"GET /users", Staff, s.userList},
		{"GET /users/new", Staff, s.userNew},
		{"POST /users", Staff, s.userCreate},
		{"GET /users/{id}", Staff, s.userShow},
		{"GET /users/{id}/edit", Staff, s.userEdit},
		{"POST /users/{id}", Staff, s.userUpdate},
		{"POST /users/{id}/password", Staff, s.userPassword},
		{"POST /users/{id}/tokens/{token}/delete", Staff, s.userTokenDelete},
		{"POST /users/{id}/roles", Staff, s.userGrant},
		{"POST /users/{id}/roles/{grant}/delete", Staff, s.userRevoke},
		{"GET /audit", Staff, s.auditList},
		{"GET /people", Staff, s.peopleList},
		{"GET /people/new", Staff, s.personNew},
		{"GET /people/import", Staff, s.importForm},
		{"GET /people/import/template.csv", Staff, s.importTemplate},
		{"POST /people/import", Staff, s.importUpload},
		{"GET /imports/{id}", Staff, s.importShow},
		{"POST /imports/{id}/mapping", Staff, s.importMapping},
		{"POST /imports/{id}/apply", Staff, s.importApply},
		{"POST /people", Staff, s.personCreate},
		{"GET /people/{id}", Staff, s.personShow},
		{"GET /people/{id}/edit", Staff, s.personEdit},
		{"POST /people/{id}", Staff, s.personUpdate},
		{"POST /people/{id}/reveal", Staff, s.personReveal},
		{"POST /people/{id}/consents", Staff, s.personConsent},
		{"POST /people/{id}/consents/{consent}/withdraw", Staff, s.personWithdraw},
		{"POST /people/{id}/relations", Staff, s.personRelate},
		{"POST /people/{id}/relations/{relation}/delete", Staff, s.personUnrelate},
		{"GET /people/export.csv", Staff, s.peopleExportCSV},
		{"GET /people/export.xlsx", Staff, s.peopleExportXLSX},
		{"GET /people/{id}/dossier", Staff, s.personDossier},
		{"GET /people/{id}/dossier.json", Staff, s.personDossierJSON},
		{"GET /people/{id}/anonymise", Staff, s.personAnonymiseForm},
		{"POST /people/{id}/anonymise", Staff, s.personAnonymise},
		{"GET /people/duplicates", Staff, s.duplicatesQueue},
		{"POST /people/duplicates/{pair}/dismiss", Staff, s.duplicateDismiss},
		{"GET /people/{id}/merge", Staff, s.personMergeScreen},
		{"POST /people/{id}/merge", Staff, s.personMerge},
		{"POST /people/{id}/merges/{merge}/undo", Staff, s.mergeUndo},

		// JSON API
		{"GET /api/v1/openapi.json", Public, s.openAPI},
		{"GET /api/v1/me", Token, a.Me},
		{"PATCH /api/v1/me", Token, a.UpdateMe},
		{"GET /api/v1/organizations", Token, a.ListOrgs},
		{"POST /api/v1/organizations", Token, a.CreateOrg},
		{"GET /api/v1/organizations/{id}", Token, a.GetOrg},
		{"PATCH /api/v1/organizations/{id}", Token, a.UpdateOrg},
		{"GET /api/v1/organizations/{id}/categories", Token, a.ListCategories},
		{"POST /api/v1/organizations/{id}/categories", Token, a.CreateCategory},
		{"GET /api/v1/organizations/{id}/categories/{category}", Token, a.GetCategory},
		{"PATCH /api/v1/organizations/{id}/categories/{category}", Token, a.UpdateCategory},
		{"GET /api/v1/centers", Token, a.ListCenters},
		{"POST /api/v1/centers", Token, a.CreateCenter},
		{"GET /api/v1/centers/{id}", Token, a.GetCenter},
		{"PATCH /api/v1/centers/{id}", Token, a.UpdateCenter},
		{"DELETE /api/v1/centers/{id}", Token, a.DeleteCenter},
		{"GET /api/v1/programs", Token, a.ListPrograms},
		{"POST /api/v1/programs", Token, a.CreateProgram},
		{"GET /api/v1/programs/{id}", Token, a.GetProgram},
		{"PATCH /api/v1/programs/{id}", Token, a.UpdateProgram},
		{"GET /api/v1/programs/{id}/participants", Token, a.ListParticipants},
		{"POST /api/v1/programs/{id}/participants", Token, a.AddParticipant},
		{"GET /api/v1/users", Token, a.ListUsers},
		{"POST /api/v1/users", Token, a.CreateUser},
		{"GET /api/v1/users/{id}", Token, a.GetUser},
		{"PATCH /api/v1/users/{id}", Token, a.UpdateUser},
		{"GET /api/v1/users/{id}/tokens", Token, a.ListUserTokens},
		{"DELETE /api/v1/users/{id}/tokens/{token}", Token, a.DeleteUserToken},
		{"GET /api/v1/people", Token, a.ListPeople},
		{"POST /api/v1/people", Token, a.CreatePerson},
		{"POST /api/v1/people/duplicates", Token, a.Duplicates},
		{"POST /api/v1/people/import", Token, a.ImportPeople},
		{"GET /api/v1/imports/{id}", Token, a.GetImport},
		{"GET /api/v1/people/{id}", Token, a.GetPerson},
		{"PATCH /api/v1/people/{id}", Token, a.UpdatePerson},
		{"POST /api/v1/people/{id}/relations", Token, a.AddRelation},
		{"DELETE /api/v1/people/{id}/relations/{relation}", Token, a.RemoveRelation},
		{"GET /api/v1/people/export", Token, a.ExportPeople},
		{"GET /api/v1/people/{id}/dossier", Token, a.PersonDossier},
		{"DELETE /api/v1/people/{id}", Token, a.AnonymisePerson},
		{"POST /api/v1/people/{id}/merge", Token, a.MergePerson},
		{"POST /api/v1/people/{id}/merges/{merge}/undo", Token, a.UndoMerge},
		{"GET /api/v1/tokens", Token, a.ListTokens},
		{"POST /api/v1/tokens", Token, a.CreateToken},
		{"DELETE /api/v1/tokens/{id}", Token, a.DeleteToken},
	}
}

// Cookie names. The session cookie is HttpOnly and SameSite=Lax; Secure when the
// installation is served over https (see Config.BaseURL).
const (
	sessionCookie = "birge_session"
	langCookie    = "birge_lang"
	flashCookie   = "birge_flash"
)

func (s *Server) secureCookies(r *http.Request) bool {
	return r.TLS != nil || len(s.cfg.BaseURL) > 6 && s.cfg.BaseURL[:6] == "https:"
}
