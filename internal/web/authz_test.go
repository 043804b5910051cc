package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/testenv"
)

// The authorisation matrix: every route of Server.Routes() × every demo role → the status
// it must answer. A route without an entry here fails the test, and so does an entry for a
// route that no longer exists, so a new route cannot ship without someone deciding who may
// reach it.
//
// Each role runs against its own fresh database with the demo data, so that a role's
// writes (a deleted centre, a changed password, a signed-out session) never change what
// another role sees. Within a role every page request signs in afresh, so signing out or
// changing the password does not spoil the next case either.

// roles are the columns of the matrix.
var roles = []struct{ name, email string }{
	{"anonymous", ""},
	{"admin", "admin@birge.example"},             // installation administrator
	{"fpc.admin", "fpc.admin@birge.example"},     // administrator of the Family Preservation Centre
	{"coordinator", "coordinator@birge.example"}, // FPC, Aktobe centre
	{"caseworker", "caseworker@birge.example"},   // FPC, Kargaly office
	{"trainer", "trainer@birge.example"},         // Mama Pro, Almaty centre
	{"grants", "grants@birge.example"},           // grant officer, Belesteri
	{"reviewer", "reviewer@birge.example"},       // Belesteri
	{"analyst", "analyst@birge.example"},         // FPC, whole organisation
	{"viewer", "viewer@birge.example"},           // Woman Supports Woman campaign (KG)
}

// want is the expected status of each role, in the order of roles:
//
//	anonymous, admin, fpc.admin, coordinator, caseworker, trainer, grants, reviewer, analyst, viewer
type want [10]int

// authzCase is one request to a route: its path parameters name fixture records.
type authzCase struct {
	target string            // what the case is about, for messages ("" when the route has no parameters)
	params map[string]string // path parameter → fixture key
	query  string            // appended to the path
	body   func(fx *fixture) any
	want   want
}

// on makes a case with path parameters given as name, fixture key, name, fixture key, ….
func on(target string, w want, params ...string) authzCase {
	c := authzCase{target: target, params: map[string]string{}, want: w}
	for i := 0; i+1 < len(params); i += 2 {
		c.params[params[i]] = params[i+1]
	}
	return c
}

func (c authzCase) with(body func(fx *fixture) any) authzCase { c.body = body; return c }

func (c authzCase) q(query string) authzCase { c.query = query; return c }

// Shorthands for routes everyone reaches alike.
func all(status int) want {
	return want{status, status, status, status, status, status, status, status, status, status}
}

func staff(status int) want { // a page any signed-in user may open
	return want{303, status, status, status, status, status, status, status, status, status}
}

func token(status int) want { // an API route any token may use
	return want{401, status, status, status, status, status, status, status, status, status}
}

// Need-to-know targets: the Aktobe centre (FPC) is seen by FPC's administrator, the
// Aktobe coordinator and FPC's analyst; the Mama Pro Almaty centre only by its trainer;
// the Kargaly caseworker by FPC's administrator and themselves, not the Aktobe coordinator.
var authzTable = map[string][]authzCase{
	// Operations and public pages: the same for everyone.
	"GET /healthz":          {on("", all(200))},
	"GET /readyz":           {on("", all(200))},
	"GET /metrics":          {on("", all(200))},
	"GET /static/{file...}": {on("app.css", all(200), "file...", "static:app.css")},
	"GET /{$}":              {on("", all(200))},
	// The public request form: anyone, signed in or not; a request goes to an office
	// with a coordinator (Aktobe), not to one without (Kargaly).
	"GET /request": {on("the offices", all(200)), on("Aktobe", all(200)).q("?center={center:aktobe}"),
		on("Kargaly", all(404)).q("?center={center:kargaly}")},
	"POST /request":     {on("to Aktobe", all(303)).with(requestForm("center:aktobe"))},
	"GET /request/sent": {on("", all(200))},
	"POST /lang":        {on("", all(303)).with(formBody("lang", "en", "next", "/"))},
	// The trainings' public sign-up (decision 0034): anyone; a cohort not offered is not found.
	"GET /trainings":      {on("", all(200))},
	"GET /trainings/{id}": {on("Mama Pro's course", all(200), "id", "course:mamapro")},
	"GET /trainings/cohorts/{id}/signup": {on("offered", all(200), "id", "cohort:almaty"),
		on("not offered", all(404), "id", "cohort:almaty-other")},
	"POST /trainings/cohorts/{id}/signup": {on("offered", all(303), "id", "cohort:almaty").with(signupFormBody),
		on("not offered", all(404), "id", "cohort:almaty-other").with(signupFormBody)},
	"GET /trainings/signed-up": {on("", all(200)).q("?status=pending")},
	// Signed-in visitors are sent on to their dashboard.
	"GET /login": {on("", want{200, 303, 303, 303, 303, 303, 303, 303, 303, 303})},
	// Each role signs in with its own password; anonymous with a wrong one.
	"POST /login": {on("", want{401, 303, 303, 303, 303, 303, 303, 303, 303, 303}).with(ownLogin)},
	// Setup is over once anyone can sign in.
	"GET /setup":  {on("", all(404)).q("?token=nope")},
	"POST /setup": {on("", all(404)).with(formBody("token", "nope", "email", "new@birge.example", "name", "New", "language", "en", "password", "long enough password", "password_confirm", "long enough password"))},

	// Own account.
	"POST /logout":              {on("", all(303))},
	"POST /logout-everywhere":   {on("", all(303))},
	"GET /dashboard":            {on("", staff(200))},
	"GET /account":              {on("", staff(200))},
	"POST /account/preferences": {on("", all(303)).with(formBody("time_zone", "Asia/Almaty"))},
	"POST /account/password":    {on("", all(303)).with(samePassword)}, // the same password again: valid, harmless
	"POST /account/tokens":      {on("", staff(200)).with(formBody("name", "laptop"))},
	"POST /account/tokens/{id}/delete": {
		on("own token", all(303), "id", "token:own-web"),
		on("admin's token", want{303, 303, 404, 404, 404, 404, 404, 404, 404, 404}, "id", "token:admin-web"),
	},

	// People: the Aktobe woman is seen by the installation and FPC administrators and the
	// Aktobe coordinator; the Kyrgyz one by the campaign's viewer too, who may not edit.
	// Analysts and reviewers see no one.
	"GET /people":     {on("", want{303, 200, 200, 200, 200, 200, 200, 403, 403, 200})},
	"GET /people/new": {on("", want{303, 200, 200, 200, 200, 200, 200, 403, 403, 403})},
	"POST /people":    {on("in Aktobe", want{303, 303, 303, 303, 422, 422, 422, 403, 403, 403}).with(newPersonForm)},
	"GET /people/{id}": {
		on("Aktobe", want{303, 200, 200, 200, 404, 404, 404, 404, 404, 404}, "id", "person:aktobe"),
		on("Bishkek", want{303, 200, 404, 404, 404, 404, 404, 404, 404, 200}, "id", "person:kg"),
		on("merged away, Aktobe", want{303, 303, 303, 303, 404, 404, 404, 404, 404, 404}, "id", "person:merged"),
	},
	"GET /people/{id}/edit": {
		on("Aktobe", want{303, 200, 200, 200, 404, 404, 404, 404, 404, 404}, "id", "person:aktobe"),
		on("Bishkek", want{303, 200, 404, 404, 404, 404, 404, 404, 404, 403}, "id", "person:kg"),
	},
	"POST /people/{id}": {
		on("Aktobe", want{303, 303, 303, 303, 404, 404, 404, 404, 404, 404}, "id", "person:aktobe").with(aktobePersonForm),
		on("Bishkek", want{303, 303, 404, 404, 404, 404, 404, 404, 404, 403}, "id", "person:kg").with(kgPersonForm),
	},
	"POST /people/{id}/reveal": {on("Aktobe", want{303, 200, 200, 200, 404, 404, 404, 404, 404, 404}, "id", "person:aktobe")},
	"POST /people/{id}/consents": {
		on("Bishkek", want{303, 303, 404, 404, 404, 404, 404, 404, 404, 403}, "id", "person:kg").with(formBody("purpose", "story", "channel", "paper", "given_on", "2026-02-01")),
	},
	// Services: recorded by those who may record them in her centre; the viewer who sees
	// the woman of Bishkek is refused, the rest do not find her.
	"POST /people/{id}/deliveries": {
		on("Aktobe", want{303, 303, 303, 303, 404, 404, 404, 404, 404, 404}, "id", "person:aktobe").with(deliveryForm),
		on("Bishkek", want{303, 303, 404, 404, 404, 404, 404, 404, 404, 403}, "id", "person:kg").with(deliveryForm),
	},
	"POST /people/{id}/deliveries/{delivery}/delete": {
		on("Aktobe", want{303, 303, 303, 303, 404, 404, 404, 404, 404, 404}, "id", "person:aktobe", "delivery", "delivery:aktobe-web"),
		on("Bishkek", want{303, 303, 404, 404, 404, 404, 404, 404, 404, 403}, "id", "person:kg", "delivery", "delivery:kg-web"),
	},
	// Outcomes: as services, and their evidence files are seen by those who see them.
	"POST /people/{id}/outcomes": {
		on("Aktobe", want{303, 303, 303, 303, 404, 404, 404, 404, 404, 404}, "id", "person:aktobe").with(outcomeValues),
		on("Bishkek", want{303, 303, 404, 404, 404, 404, 404, 404, 404, 403}, "id", "person:kg").with(outcomeValues),
	},
	"GET /people/{id}/outcomes/{outcome}/edit": {
		on("Aktobe", want{303, 200, 200, 200, 404, 404, 404, 404, 404, 404}, "id", "person:aktobe", "outcome", "outcome:aktobe"),
		on("Bishkek", want{303, 200, 404, 404, 404, 404, 404, 404, 404, 403}, "id", "person:kg", "outcome", "outcome:kg"),
	},
	"POST /people/{id}/outcomes/{outcome}/edit": {
		on("Aktobe", want{303, 303, 303, 303, 404, 404, 404, 404, 404, 404}, "id", "person:aktobe", "outcome", "outcome:aktobe").with(outcomeValues),
		on("Bishkek", want{303, 303, 404, 404, 404, 404, 404, 404, 404, 403}, "id", "person:kg", "outcome", "outcome:kg").with(outcomeValues),
	},
	"POST /people/{id}/outcomes/{outcome}/delete": {
		on("Aktobe", want{303, 303, 303, 303, 404, 404, 404, 404, 404, 404}, "id", "person:aktobe", "outcome", "outcome:aktobe-web"),
		on("Bishkek", want{303, 303, 404, 404, 404, 404, 404, 404, 404, 403}, "id", "person:kg", "outcome", "outcome:kg-web"),
	},
	"GET /people/{id}/outcomes/{outcome}/file": {
		on("Aktobe", want{303, 200, 200, 200, 404, 404, 404, 404, 404, 404}, "id", "person:aktobe", "outcome", "outcome:aktobe"),
		on("Bishkek", want{303, 200, 404, 404, 404, 404, 404, 404, 404, 200}, "id", "person:kg", "outcome", "outcome:kg"),
	},
	"POST /people/{id}/consents/{consent}/withdraw": {
		on("Aktobe", want{303, 303, 303, 303, 404, 404, 404, 404, 404, 404}, "id", "person:aktobe", "consent", "consent:aktobe"),
	},
	// A relative must be in the actor's sight: one who is not is a form error, as if
	// unknown. Removing a link needs only the right to edit her.
	"POST /people/{id}/relations": {
		on("Aktobe", want{303, 303, 303, 303, 404, 404, 404, 404, 404, 404}, "id", "person:aktobe").with(formBody("kind", "child", "other_id", "{person:aktobe-child}")),
		on("Aktobe, relative in Bishkek", want{303, 303, 422, 422, 404, 404, 404, 404, 404, 404}, "id", "person:aktobe").with(formBody("kind", "parent", "other_id", "{person:kg-child}")),
		on("Bishkek", want{303, 303, 404, 404, 404, 404, 404, 404, 404, 403}, "id", "person:kg").with(formBody("kind", "child", "other_id", "{person:kg-child}")),
	},
	"POST /people/{id}/relations/{relation}/delete": {
		on("Aktobe", want{303, 303, 303, 303, 404, 404, 404, 404, 404, 404}, "id", "person:aktobe", "relation", "relation:aktobe"),
		on("Bishkek", want{303, 303, 404, 404, 404, 404, 404, 404, 404, 403}, "id", "person:kg", "relation", "relation:kg"),
	},
	"GET /people/import":              {on("", want{303, 200, 200, 200, 403, 403, 403, 403, 403, 403})},
	"GET /people/import/template.csv": {on("", want{303, 200, 200, 200, 403, 403, 403, 403, 403, 403})},
	"POST /people/import":             {on("into Aktobe", want{303, 303, 303, 303, 403, 403, 403, 403, 403, 403}).with(importUpload)},
	"GET /imports/{id}":               {on("Aktobe's", want{303, 200, 200, 200, 404, 404, 404, 404, 404, 404}, "id", "import:aktobe")},
	"POST /imports/{id}/mapping": {
		on("Aktobe's", want{303, 303, 303, 303, 404, 404, 404, 404, 404, 404}, "id", "import:aktobe").with(formBody("col0", "family_name", "col1", "given_name")),
	},
	"POST /imports/{id}/apply":       {on("Aktobe's", want{303, 303, 303, 303, 404, 404, 404, 404, 404, 404}, "id", "import:aktobe-ready")},
	"POST /api/v1/people/import":     {on("dry run into Aktobe", want{401, 200, 200, 200, 403, 403, 403, 403, 403, 403}).with(importUpload)},
	"GET /api/v1/imports/{id}":       {on("Aktobe's", want{401, 200, 200, 200, 404, 404, 404, 404, 404, 404}, "id", "import:aktobe")},
	"GET /api/v1/people":             {on("", want{401, 200, 200, 200, 200, 200, 200, 403, 403, 200})},
	"POST /api/v1/people":            {on("in Aktobe", want{401, 201, 201, 201, 422, 422, 422, 403, 403, 403}).with(newPersonJSON)},
	"POST /api/v1/people/duplicates": {on("in Aktobe", want{401, 200, 200, 200, 422, 422, 422, 403, 403, 403}).with(newPersonJSON)},
	"GET /api/v1/people/{id}": {
		on("Aktobe", want{401, 200, 200, 200, 404, 404, 404, 404, 404, 404}, "id", "person:aktobe"),
		on("Bishkek", want{401, 200, 404, 404, 404, 404, 404, 404, 404, 200}, "id", "person:kg"),
		on("merged away", want{401, 404, 404, 404, 404, 404, 404, 404, 404, 404}, "id", "person:merged"),
	},
	"PATCH /api/v1/people/{id}": {
		on("Bishkek", want{401, 200, 404, 404, 404, 404, 404, 404, 404, 403}, "id", "person:kg").with(jsonBody(`{"settlement": "Бишкек"}`)),
	},
	// Duplicates and merges: the queue is for those who register people; a merge, a
	// dismissal or an undo needs person.manage on both records.
	"GET /people/duplicates":                 {on("", want{303, 200, 200, 200, 200, 200, 200, 403, 403, 403})},
	"POST /people/duplicates/{pair}/dismiss": {on("Aktobe pair", want{303, 303, 303, 303, 404, 404, 404, 404, 404, 404}, "pair", "pair:aktobe")},
	"GET /people/{id}/merge": {
		on("Aktobe", want{303, 200, 200, 200, 404, 404, 404, 404, 404, 404}, "id", "person:merge-look").q("?other={person:merge-look-other}"),
		on("Bishkek", want{303, 200, 404, 404, 404, 404, 404, 404, 404, 403}, "id", "person:merge-lookkg").q("?other={person:merge-lookkg-other}"),
	},
	"POST /people/{id}/merge": {
		on("Aktobe", want{303, 303, 303, 303, 404, 404, 404, 404, 404, 404}, "id", "person:merge-web").with(formBody("other_id", "{person:merge-web-other}")),
		on("Bishkek", want{303, 303, 404, 404, 404, 404, 404, 404, 404, 403}, "id", "person:merge-kg").with(formBody("other_id", "{person:merge-kg-other}")),
	},
	"POST /people/{id}/merges/{merge}/undo": {
		on("Aktobe", want{303, 303, 303, 303, 404, 404, 404, 404, 404, 404}, "id", "person:undo-web", "merge", "merge:undo-web"),
		on("Bishkek", want{303, 303, 404, 404, 404, 404, 404, 404, 404, 403}, "id", "person:undo-kg", "merge", "merge:undo-kg"),
	},
	"POST /api/v1/people/{id}/merge": {
		on("Aktobe", want{401, 200, 200, 200, 404, 404, 404, 404, 404, 404}, "id", "person:merge-api").with(otherJSON("person:merge-api-other")),
	},
	"POST /api/v1/people/{id}/merges/{merge}/undo": {
		on("Aktobe", want{401, 200, 200, 200, 404, 404, 404, 404, 404, 404}, "id", "person:undo-api", "merge", "merge:undo-api"),
	},

	// A person's rights (her dossier, anonymisation) and list exports: administrators and
	// the coordinator of her centre. The viewer sees the Kyrgyz woman but has no right.
	"GET /people/export.csv":  {on("", want{303, 200, 200, 200, 403, 403, 403, 403, 403, 403}).q("?q=Айжан")},
	"GET /people/export.xlsx": {on("", want{303, 200, 200, 200, 403, 403, 403, 403, 403, 403})},
	"GET /people/{id}/dossier": {
		on("Aktobe", want{303, 200, 200, 200, 404, 404, 404, 404, 404, 404}, "id", "person:aktobe"),
		on("Bishkek", want{303, 200, 404, 404, 404, 404, 404, 404, 404, 403}, "id", "person:kg"),
	},
	"GET /people/{id}/dossier.json": {
		on("Aktobe", want{303, 200, 200, 200, 404, 404, 404, 404, 404, 404}, "id", "person:aktobe"),
		on("Bishkek", want{303, 200, 404, 404, 404, 404, 404, 404, 404, 403}, "id", "person:kg"),
	},
	"GET /people/{id}/anonymise": {
		on("Aktobe", want{303, 200, 200, 200, 404, 404, 404, 404, 404, 404}, "id", "person:aktobe"),
		on("Bishkek", want{303, 200, 404, 404, 404, 404, 404, 404, 404, 403}, "id", "person:kg"),
	},
	"POST /people/{id}/anonymise": {
		on("Aktobe, word mistyped", want{303, 422, 422, 422, 404, 404, 404, 404, 404, 404}, "id", "person:aktobe").with(formBody("confirm", "anonymize")),
		on("Aktobe", want{303, 303, 303, 303, 404, 404, 404, 404, 404, 404}, "id", "person:anon-web").with(formBody("confirm", "anonymise")),
		on("Bishkek", want{303, 303, 404, 404, 404, 404, 404, 404, 404, 403}, "id", "person:kg-anon-web").with(formBody("confirm", "anonymise")),
	},
	"GET /api/v1/people/export": {on("", want{401, 200, 200, 200, 403, 403, 403, 403, 403, 403}).q("?format=xlsx")},
	"GET /api/v1/people/{id}/dossier": {
		on("Aktobe", want{401, 200, 200, 200, 404, 404, 404, 404, 404, 404}, "id", "person:aktobe"),
		on("Bishkek", want{401, 200, 404, 404, 404, 404, 404, 404, 404, 403}, "id", "person:kg"),
	},
	"DELETE /api/v1/people/{id}": {
		on("Aktobe", want{401, 204, 204, 204, 404, 404, 404, 404, 404, 404}, "id", "person:anon-api"),
		on("Bishkek", want{401, 204, 404, 404, 404, 404, 404, 404, 404, 403}, "id", "person:kg-anon-api"),
	},
	"POST /api/v1/people/{id}/relations": {
		on("Aktobe", want{401, 201, 201, 201, 404, 404, 404, 404, 404, 404}, "id", "person:aktobe").with(relationJSON("parent", "person:aktobe-parent")),
		on("Aktobe, relative in Bishkek", want{401, 201, 422, 422, 404, 404, 404, 404, 404, 404}, "id", "person:aktobe").with(relationJSON("parent", "person:kg-parent")),
		on("Bishkek", want{401, 201, 404, 404, 404, 404, 404, 404, 404, 403}, "id", "person:kg").with(relationJSON("parent", "person:kg-parent")),
	},
	"DELETE /api/v1/people/{id}/relations/{relation}": {
		on("Aktobe", want{401, 204, 204, 204, 404, 404, 404, 404, 404, 404}, "id", "person:aktobe", "relation", "relation:aktobe-api"),
		on("Bishkek", want{401, 204, 404, 404, 404, 404, 404, 404, 404, 403}, "id", "person:kg", "relation", "relation:kg-api"),
	},

	// Competitions (decision 0030): grant officers and administrators of the organisation
	// (Belesteri's grant officer, the installation's administrator); FPC's administrator
	// manages FPC's calls and sees none of Belesteri's; the rest hold no call permission.
	"GET /calls":     {on("", want{303, 200, 200, 403, 403, 403, 200, 403, 403, 403})},
	"GET /calls/new": {on("", want{303, 200, 200, 403, 403, 403, 200, 403, 403, 403})},
	"POST /calls":    {on("in Belesteri", want{303, 303, 422, 422, 422, 422, 303, 403, 422, 422}).with(callForm)},
	"GET /calls/{id}": {
		on("open", want{303, 200, 404, 404, 404, 404, 200, 404, 404, 404}, "id", "call:open"),
		on("draft", want{303, 200, 404, 404, 404, 404, 200, 404, 404, 404}, "id", "call:draft"),
	},
	"GET /calls/{id}/edit":     {on("draft", want{303, 200, 404, 404, 404, 404, 200, 404, 404, 404}, "id", "call:draft")},
	"POST /calls/{id}":         {on("draft", want{303, 303, 404, 404, 404, 404, 303, 404, 404, 404}, "id", "call:draft").with(callForm)},
	"GET /calls/{id}/form":     {on("draft", want{303, 200, 404, 404, 404, 404, 200, 404, 404, 404}, "id", "call:draft")},
	"POST /calls/{id}/form":    {on("draft", want{303, 303, 404, 404, 404, 404, 303, 404, 404, 404}, "id", "call:draft").with(callFieldsForm)},
	"GET /competitions":        {on("", all(200))},
	"GET /certificates":        {on("", all(200))},
	"GET /certificates/{code}": {on("unknown code", all(404), "code", "static:AAAAA-AAAAA")},
	"GET /programs":            {on("", want{303, 200, 200, 200, 200, 200, 200, 403, 200, 200})},
	"GET /programs/new":        {on("", want{303, 200, 200, 200, 403, 403, 403, 403, 403, 403})},
	"POST /programs":           {on("in Aktobe", want{303, 303, 303, 303, 403, 422, 422, 422, 403, 422}).with(newProgramForm)},
	// The public application form: anyone, on an open call only; a wrong reference or
	// token is not found, whoever asks.
	"GET /competitions/{id}/apply": {on("open", all(200), "id", "call:open"), on("draft", all(404), "id", "call:draft")},
	"POST /competitions/{id}/apply": {on("open", all(303), "id", "call:open").with(formBody("step", "0",
		"applicant.given_name", "Айгүл"))},
	"POST /competitions/{id}/apply/files": {on("unknown", all(404), "id", "call:open").q("?ref=BG-2222-2222&token=x&field=photos")},
	"GET /competitions/status":            {on("", all(200))},
	"POST /competitions/status":           {on("unknown", all(404)).with(formBody("reference", "BG-2222-2222", "phone", "+77015551234"))},
	// A call's applications: its organisation's grant officers and the administrators.
	"GET /calls/{id}/applications":        {on("open", want{303, 200, 404, 404, 404, 404, 200, 404, 404, 404}, "id", "call:open")},
	"GET /applications/{id}/files/{file}": {on("", want{303, 200, 404, 404, 404, 404, 200, 404, 404, 404}, "id", "application:submitted", "file", "file:application")},
	"POST /applications/{id}/eligibility": {on("", want{303, 303, 404, 404, 404, 404, 303, 404, 404, 404}, "id", "application:submitted").with(overrideForm)},
	// Awards (decision 0037): the call's managers make, approve and pay them; a call's
	// figures are for its managers and analysts of its organisation (FPC's analyst sees
	// none of Belesteri's, nor do the calls of FPC's own list).
	"GET /calls/figures":           {on("", want{303, 200, 200, 403, 403, 403, 200, 403, 200, 403})},
	"GET /calls/{id}/figures":      {on("open", want{303, 200, 404, 404, 404, 404, 200, 404, 404, 404}, "id", "call:open")},
	"GET /calls/{id}/awards":       {on("open", want{303, 200, 404, 404, 404, 404, 200, 404, 404, 404}, "id", "call:open")},
	"POST /calls/{id}/awards":      {on("open", want{303, 303, 404, 404, 404, 404, 303, 404, 404, 404}, "id", "call:open").with(awardForm)},
	"GET /awards/follow-ups":       {on("", want{303, 200, 200, 403, 403, 403, 200, 403, 403, 403})},
	"GET /awards/{id}":             {on("grant", want{303, 200, 404, 404, 404, 404, 200, 404, 404, 404}, "id", "award:grant")},
	"POST /awards/{id}/payments":   {on("grant", want{303, 303, 404, 404, 404, 404, 303, 404, 404, 404}, "id", "award:grant").with(paymentForm)},
	"POST /awards/{id}/follow-ups": {on("grant", want{303, 303, 404, 404, 404, 404, 303, 404, 404, 404}, "id", "award:grant").with(followUpForm)},
	// A grant is not renewed: only a scholarship is.
	"POST /awards/{id}/renew": {on("grant", want{303, 409, 404, 404, 404, 404, 409, 404, 404, 404}, "id", "award:grant").
		with(formBody("renew.period", "2027/28", "renew.agreed_on", "2026-12-30"))},
	"POST /awards/{id}/tranches/{tranche}/evidence": {on("grant", want{303, 303, 404, 404, 404, 404, 303, 404, 404, 404},
		"id", "award:grant", "tranche", "tranche:3").with(receiptUpload)},
	"POST /awards/{id}/tranches/{tranche}/approve": {on("grant", want{303, 303, 404, 404, 404, 404, 303, 404, 404, 404},
		"id", "award:grant", "tranche", "tranche:2")},
	"GET /awards/{id}/evidence/{evidence}": {on("grant", want{303, 200, 404, 404, 404, 404, 200, 404, 404, 404},
		"id", "award:grant", "evidence", "evidence:grant")},
	// Review (decision 0036): officers assign and decide; a reviewer reads and scores only
	// what is assigned to her (blind), never the ranking; fairness after the decision for
	// call.figures in the organisation (FPC's analyst and administrator: not Belesteri's).
	"GET /calls/{id}/assignments":  {on("under review", want{303, 200, 404, 404, 404, 404, 200, 404, 404, 404}, "id", "call:review")},
	"POST /calls/{id}/assignments": {on("under review", want{303, 303, 404, 404, 404, 404, 303, 404, 404, 404}, "id", "call:review").with(poolForm)},
	"GET /calls/{id}/ranking":      {on("under review", want{303, 200, 404, 404, 404, 404, 200, 404, 404, 404}, "id", "call:review")},
	"POST /calls/{id}/decisions": {on("under review, not all reviewed", want{303, 422, 404, 404, 404, 404, 422, 404, 404, 404}, "id", "call:review").
		with(formBody("shortlist", "0"))},
	"GET /calls/{id}/fairness": {on("decided", want{303, 200, 404, 404, 404, 404, 200, 404, 404, 404}, "id", "call:decided")},
	"GET /reviews":             {on("", want{303, 403, 403, 403, 403, 403, 403, 200, 403, 403})},
	"GET /fairness":            {on("", want{303, 200, 200, 403, 403, 403, 200, 403, 200, 403})},
	"GET /applications/{id}": {
		on("assigned to the reviewer", want{303, 200, 404, 404, 404, 404, 200, 200, 404, 404}, "id", "application:assigned"),
		on("assigned to another", want{303, 200, 404, 404, 404, 404, 200, 404, 404, 404}, "id", "application:other"),
		on("submitted, not assigned", want{303, 200, 404, 404, 404, 404, 200, 404, 404, 404}, "id", "application:submitted"),
	},
	"POST /applications/{id}/reviews": {
		on("assigned to the reviewer", want{303, 403, 404, 404, 404, 404, 403, 303, 404, 404}, "id", "application:assigned").with(scoresForm),
		on("assigned to another", want{303, 403, 404, 404, 404, 404, 403, 404, 404, 404}, "id", "application:other").with(scoresForm),
	},
	"GET /applications/{id}/letter": {on("decided", want{303, 200, 404, 404, 404, 404, 200, 404, 404, 404}, "id", "application:decided")},
	"GET /programs/{id}": {
		on("Aktobe", want{303, 200, 200, 200, 404, 404, 404, 404, 200, 404}, "id", "program:aktobe"),
		on("Almaty, sensitive", want{303, 200, 404, 404, 404, 200, 404, 404, 404, 404}, "id", "program:almaty"),
	},
	// Indicators: added and deleted by those who may edit the programme; a service for a
	// group recorded by those who see who takes part and record services.
	"GET /programs/{id}/indicators/new": {on("Aktobe", want{303, 200, 200, 200, 404, 404, 404, 404, 403, 404}, "id", "program:aktobe")},
	"POST /programs/{id}/indicators": {on("Aktobe", want{303, 303, 303, 303, 404, 404, 404, 404, 403, 404}, "id", "program:aktobe").with(
		formBody("name_kk", "Сессиялар", "name_ru", "Сессии", "name_ky", "Сессиялар", "name_en", "Sessions", "measure", "deliveries", "target", "50"))},
	"POST /programs/{id}/indicators/{indicator}/delete": {on("Aktobe", want{303, 303, 303, 303, 404, 404, 404, 404, 403, 404}, "id", "program:aktobe", "indicator", "indicator:aktobe")},
	"POST /programs/{id}/deliveries":                    {on("Aktobe", want{303, 303, 303, 303, 404, 404, 404, 404, 403, 404}, "id", "program:aktobe").with(groupForm)},
	"GET /programs/{id}/edit":                           {on("Aktobe", want{303, 200, 200, 200, 404, 404, 404, 404, 403, 404}, "id", "program:aktobe")},
	"POST /programs/{id}":                               {on("Aktobe", want{303, 303, 303, 303, 404, 404, 404, 404, 403, 404}, "id", "program:aktobe").with(newProgramForm)},
	"POST /programs/{id}/participants": {
		on("Aktobe", want{303, 303, 303, 303, 404, 404, 404, 404, 403, 404}, "id", "program:aktobe").with(formBody("person_id", "{person:aktobe-child}", "joined_on", "2026-05-01")),
		on("Almaty, sensitive", want{303, 303, 404, 404, 404, 403, 404, 404, 404, 404}, "id", "program:almaty").with(formBody("person_id", "{person:almaty}", "joined_on", "2026-05-01")),
	},
	"POST /programs/{id}/participants/{participant}/end": {
		on("Aktobe", want{303, 303, 303, 303, 404, 404, 404, 404, 403, 404}, "id", "program:aktobe", "participant", "participant:aktobe").with(formBody("left_on", "2026-06-01", "reason", "Көшіп кетті")),
	},

	// Funding is the organisation's: seen by its administrators, coordinators, grant
	// officers and analysts; recorded by administrators and grant officers.
	"GET /cases":     {on("", want{303, 200, 200, 200, 200, 403, 403, 403, 403, 403})},
	"GET /cases/new": {on("", want{303, 200, 200, 200, 403, 403, 403, 403, 403, 403})},
	"POST /cases":    {on("in Aktobe", want{303, 303, 303, 303, 403, 403, 403, 403, 403, 403}).with(caseForm("aktobe", "aktobe"))},
	"GET /cases/{id}": {on("Aktobe, unassigned", want{303, 200, 200, 200, 404, 404, 404, 404, 404, 404}, "id", "case:aktobe"),
		on("Kargaly, the case worker's", want{303, 200, 200, 404, 200, 404, 404, 404, 404, 404}, "id", "case:kargaly")},
	"POST /cases/{id}/reviewed": {on("Kargaly, danger", want{303, 303, 303, 404, 403, 404, 404, 404, 404, 404}, "id", "case:kargaly-flagged-page")},
	"GET /case-requests":        {on("", want{303, 200, 200, 200, 403, 403, 403, 403, 403, 403})},
	"GET /case-requests/{id}":   {on("Aktobe", want{303, 200, 200, 200, 404, 404, 404, 404, 404, 404}, "id", "request:aktobe-web")},
	"POST /case-requests/{id}/accept": {on("Aktobe", want{303, 303, 303, 303, 404, 404, 404, 404, 404, 404}, "id", "request:aktobe-web").
		with(formBody("given_name", "Сәуле", "phone", "+77015551234"))},
	"POST /case-requests/{id}/decline": {on("Aktobe", want{303, 303, 303, 303, 404, 404, 404, 404, 404, 404}, "id", "request:aktobe-web-decline")},
	"GET /cases/{id}/screen":           {on("Kargaly", want{303, 200, 200, 404, 200, 404, 404, 404, 404, 404}, "id", "case:kargaly")},
	"POST /cases/{id}/screenings": {on("Kargaly", want{303, 303, 303, 404, 303, 404, 404, 404, 404, 404}, "id", "case:kargaly").
		with(screeningForm)},
	"POST /cases/{id}/override": {on("Kargaly, flagged", want{303, 303, 303, 404, 403, 404, 404, 404, 404, 404}, "id", "case:kargaly-flagged-page").
		with(func(*fixture) any {
			return url.Values{"reason": {"Муж уехал; она в безопасности у сестры"}}
		})},
	// A safety plan: the case's assigned worker and the centre's supervisors only; the
	// Aktobe coordinator does not see a Kargaly case, and so not its plan.
	"GET /cases/{id}/safety-plan": {on("Kargaly, flagged", want{303, 200, 200, 404, 200, 404, 404, 404, 404, 404}, "id", "case:kargaly-flagged-page").
		q("?person_id={person:kargaly-wife}"),
		on("Aktobe, not flagged", want{303, 409, 409, 409, 404, 404, 404, 404, 404, 404}, "id", "case:aktobe")},
	"POST /cases/{id}/safety-plan": {on("Kargaly, flagged", want{303, 303, 303, 404, 303, 404, 404, 404, 404, 404}, "id", "case:kargaly-flagged-page").
		with(func(fx *fixture) any {
			return url.Values{"person_id": {fx.id(fx.site.t, "person:kargaly-wife")}, "safe_place": {"Әпкесінің үйі"}}
		})},
	// Referrals: those who see cases; the form from a case to those who see the case.
	"GET /referrals": {on("", want{303, 200, 200, 200, 200, 403, 403, 403, 403, 403})},
	"GET /referrals/new": {on("from Kargaly's case", want{303, 200, 200, 404, 200, 404, 404, 404, 404, 404}).q("?case_id={case:kargaly}"),
		on("from the Aktobe woman's record", want{303, 200, 200, 200, 404, 404, 404, 404, 404, 404}).q("?person_id={person:aktobe}")},
	"POST /referrals": {on("from Kargaly's case", want{303, 303, 303, 404, 303, 404, 404, 404, 404, 404}).
		with(func(fx *fixture) any {
			return url.Values{"case_id": {fx.id(fx.site.t, "case:kargaly")}, "person_id": {fx.id(fx.site.t, "person:kargaly-wife")},
				"service_id": {fx.id(fx.site.t, "service:fpc")}, "chosen_by_her": {"on"}}
		})},
	// Accepting a referral to Aktobe is the receiving centre's: the Kargaly case worker
	// who sent it may not (403); no one else sees it.
	"POST /referrals/{id}/status": {on("Kargaly → Aktobe", want{303, 303, 303, 303, 403, 404, 404, 404, 404, 404}, "id", "referral:web").
		with(formBody("status", "accepted"))},
	// Changing what a referral carries is the sender's: the worker who made it and the
	// sending centre's supervisors; the receiving coordinator is refused.
	"GET /referrals/{id}/edit": {on("Kargaly → Aktobe", want{303, 200, 200, 403, 200, 404, 404, 404, 404, 404}, "id", "referral:web")},
	"POST /referrals/{id}": {on("Kargaly → Aktobe", want{303, 303, 303, 403, 303, 404, 404, 404, 404, 404}, "id", "referral:web").
		with(formBody("follow_up_on", "2027-01-20", "note", "Қоңырау шалды"))},
	// Closing and reopening need case.manage; a case worker who sees the case is refused.
	"POST /cases/{id}/close": {on("Kargaly, open", want{303, 303, 303, 404, 403, 404, 404, 404, 404, 404}, "id", "case:kargaly-to-close-page").
		with(formBody("outcome", "reconciled", "closed_on", "2026-12-01"))},
	"POST /cases/{id}/reopen": {on("Kargaly, closed", want{303, 303, 303, 404, 403, 404, 404, 404, 404, 404}, "id", "case:kargaly-closed-page").
		with(formBody("reopen_reason", "Они снова пришли"))},
	// A centre's figures: counts for case.figures (administrators, the coordinator, the
	// analyst), not for the case worker who sees only her own families.
	"GET /centers/{id}/families": {on("Kargaly", want{303, 200, 200, 404, 403, 404, 404, 404, 200, 404}, "id", "center:kargaly"),
		on("Aktobe", want{303, 200, 200, 200, 404, 404, 404, 404, 200, 404}, "id", "center:aktobe").q("?from=2026-09-01&to=2026-12-31")},
	"GET /cases/{id}/edit": {on("Kargaly", want{303, 200, 200, 404, 403, 404, 404, 404, 404, 404}, "id", "case:kargaly")},
	// Sessions follow their case: its workers and its centre's supervisors; the office's
	// calendar and tomorrow's call list, those who manage a centre's cases.
	"POST /cases/{id}/sessions": {on("Kargaly", want{303, 303, 303, 404, 303, 404, 404, 404, 404, 404}, "id", "case:kargaly-sessions").
		with(sessionForm("2027-01-10"))},
	"GET /sessions/{id}": {on("Kargaly", want{303, 200, 200, 404, 200, 404, 404, 404, 404, 404}, "id", "session:kargaly")},
	"POST /sessions/{id}": {on("Kargaly, attended", want{303, 303, 303, 404, 303, 404, 404, 404, 404, 404}, "id", "session:kargaly").
		with(formBody("attendance", "came"))},
	"POST /sessions/{id}/notes": {on("Kargaly", want{303, 303, 303, 404, 303, 404, 404, 404, 404, 404}, "id", "session:kargaly").
		with(formBody("body", "Сабырлы сөйлесті"))},
	"GET /calendar":          {on("", want{303, 200, 200, 200, 200, 403, 403, 403, 403, 403})},
	"GET /calendar/tomorrow": {on("", want{303, 200, 200, 200, 403, 403, 403, 403, 403, 403})},
	"POST /cases/{id}": {on("Kargaly", want{303, 303, 303, 404, 403, 404, 404, 404, 404, 404}, "id", "case:kargaly").
		with(caseForm("kargaly", "kargaly-wife"))},
	"GET /funding":           {on("", want{303, 200, 200, 200, 403, 403, 200, 403, 200, 403})},
	"GET /funding/new":       {on("", want{303, 200, 200, 403, 403, 403, 200, 403, 403, 403})},
	"POST /funding":          {on("of FPC", want{303, 303, 303, 403, 422, 422, 422, 422, 403, 422}).with(fundingForm)},
	"GET /funding/deadlines": {on("", want{303, 200, 200, 200, 403, 403, 200, 403, 200, 403})},
	"GET /funding/{id}":      {on("FPC", want{303, 200, 200, 200, 404, 404, 404, 404, 200, 404}, "id", "funding:fpc")},
	"GET /funding/{id}/edit": {on("FPC", want{303, 200, 200, 403, 404, 404, 404, 404, 403, 404}, "id", "funding:fpc")},
	"POST /funding/{id}":     {on("FPC", want{303, 303, 303, 403, 404, 404, 404, 404, 403, 404}, "id", "funding:fpc").with(fundingForm)},
	"POST /funding/{id}/spending": {on("FPC", want{303, 303, 303, 403, 404, 404, 404, 404, 403, 404}, "id", "funding:fpc").
		with(formBody("budget_line_id", "{line:fpc}", "spent", "1000", "date", "2026-06-01"))},
	"POST /funding/{id}/deadlines": {on("FPC", want{303, 303, 303, 403, 404, 404, 404, 404, 403, 404}, "id", "funding:fpc").
		with(formBody("due_on", "2027-06-01", "what", "Қорытынды есеп"))},
	"POST /funding/{id}/deadlines/{deadline}/submitted": {on("FPC", want{303, 303, 303, 403, 404, 404, 404, 404, 403, 404},
		"id", "funding:fpc", "deadline", "deadline:fpc").with(formBody("submitted_on", "2026-12-01"))},

	// Organisations: everyone sees those they have a role in; only their administrators edit.
	"GET /organizations":     {on("", staff(200))},
	"GET /organizations/new": {on("", want{303, 200, 403, 403, 403, 403, 403, 403, 403, 403})},
	"POST /organizations":    {on("", want{303, 303, 403, 403, 403, 403, 403, 403, 403, 403}).with(newOrgForm)},
	"GET /organizations/{id}": {
		on("FPC", want{303, 200, 200, 200, 200, 404, 404, 404, 200, 404}, "id", "org:fpc"),
		on("Mama Pro", want{303, 200, 404, 404, 404, 200, 404, 404, 404, 404}, "id", "org:mamapro"),
	},
	"GET /organizations/{id}/edit": {on("FPC", want{303, 200, 200, 403, 403, 404, 404, 404, 403, 404}, "id", "org:fpc")},
	"POST /organizations/{id}":     {on("FPC", want{303, 303, 303, 403, 403, 404, 404, 404, 403, 404}, "id", "org:fpc").with(sameOrgForm)},
	// Categories: configured by the organisation's administrators; listed in the API to
	// anyone who sees people in the organisation.
	"GET /organizations/{id}/categories": {on("FPC", want{303, 200, 200, 403, 403, 404, 404, 404, 403, 404}, "id", "org:fpc")},
	"POST /organizations/{id}/categories": {
		on("FPC", want{303, 303, 303, 403, 403, 404, 404, 404, 403, 404}, "id", "org:fpc").with(newCategoryForm),
	},
	"GET /organizations/{id}/categories/{category}/edit": {
		on("FPC's rural", want{303, 200, 200, 403, 403, 404, 404, 404, 403, 404}, "id", "org:fpc", "category", "static:rural"),
		on("FPC's unknown", want{303, 404, 404, 403, 403, 404, 404, 404, 403, 404}, "id", "org:fpc", "category", "static:nope"),
	},
	"POST /organizations/{id}/categories/{category}": {
		on("FPC's rural", want{303, 303, 303, 403, 403, 404, 404, 404, 403, 404}, "id", "org:fpc", "category", "static:rural").with(formBody()),
	},
	"POST /organizations/{id}/categories/{category}/retire": {
		on("FPC's rural", want{303, 303, 303, 403, 403, 404, 404, 404, 403, 404}, "id", "org:fpc", "category", "static:rural"),
	},
	"POST /organizations/{id}/categories/{category}/restore": {
		on("FPC's rural", want{303, 303, 303, 403, 403, 404, 404, 404, 403, 404}, "id", "org:fpc", "category", "static:rural"),
	},
	// The directory of outside services: configured like categories.
	"GET /organizations/{id}/services": {
		on("FPC's", want{303, 200, 200, 403, 403, 404, 404, 404, 403, 404}, "id", "org:fpc"),
	},
	"POST /organizations/{id}/services": {
		on("FPC's", want{303, 303, 303, 403, 403, 404, 404, 404, 403, 404}, "id", "org:fpc").with(serviceForm),
	},
	"GET /organizations/{id}/services/{service}/edit": {
		on("FPC's crisis centre", want{303, 200, 200, 403, 403, 404, 404, 404, 403, 404}, "id", "org:fpc", "service", "service:fpc"),
	},
	"POST /organizations/{id}/services/{service}": {
		on("FPC's crisis centre", want{303, 303, 303, 403, 403, 404, 404, 404, 403, 404}, "id", "org:fpc", "service", "service:fpc").with(serviceForm),
	},
	// The lists of kinds of service and of outcome: configured like categories.
	"GET /organizations/{id}/screening": {on("FPC", want{303, 200, 200, 403, 403, 404, 404, 404, 403, 404}, "id", "org:fpc")},
	"POST /organizations/{id}/screening": {on("FPC", want{303, 303, 303, 403, 403, 404, 404, 404, 403, 404}, "id", "org:fpc").
		with(questionsForm)},
	"GET /organizations/{id}/kinds/{list}": {
		on("FPC's outcomes", want{303, 200, 200, 403, 403, 404, 404, 404, 403, 404}, "id", "org:fpc", "list", "static:outcomes"),
		on("FPC's services", want{303, 200, 200, 403, 403, 404, 404, 404, 403, 404}, "id", "org:fpc", "list", "static:deliveries"),
		on("FPC's case reasons", want{303, 200, 200, 403, 403, 404, 404, 404, 403, 404}, "id", "org:fpc", "list", "static:cases"),
	},
	"POST /organizations/{id}/kinds/{list}": {
		on("FPC's outcomes", want{303, 303, 303, 403, 403, 404, 404, 404, 403, 404}, "id", "org:fpc", "list", "static:outcomes").with(newCategoryForm),
	},
	"GET /organizations/{id}/kinds/{list}/{code}/edit": {
		on("FPC's employed", want{303, 200, 200, 403, 403, 404, 404, 404, 403, 404}, "id", "org:fpc", "list", "static:outcomes", "code", "static:employed"),
	},
	"POST /organizations/{id}/kinds/{list}/{code}/edit": {
		on("FPC's mediation", want{303, 303, 303, 403, 403, 404, 404, 404, 403, 404}, "id", "org:fpc", "list", "static:deliveries", "code", "static:mediation").with(formBody()),
	},
	"POST /organizations/{id}/kinds/{list}/{code}/retire": {
		on("FPC's reconciled", want{303, 303, 303, 403, 403, 404, 404, 404, 403, 404}, "id", "org:fpc", "list", "static:outcomes", "code", "static:reconciled"),
	},
	"POST /organizations/{id}/kinds/{list}/{code}/restore": {
		on("FPC's reconciled", want{303, 303, 303, 403, 403, 404, 404, 404, 403, 404}, "id", "org:fpc", "list", "static:outcomes", "code", "static:reconciled"),
	},

	// Centres. The list is filtered (empty for the reviewer); creating in an organisation
	// the user has no role in is a form error, so that the form does not confirm it exists.
	"GET /centers":     {on("", want{303, 200, 200, 200, 200, 200, 200, 403, 200, 200})},
	"GET /centers/new": {on("", want{303, 200, 200, 403, 403, 403, 403, 403, 403, 403})},
	"POST /centers":    {on("in FPC", want{303, 303, 303, 403, 403, 422, 422, 422, 403, 422}).with(newCenterForm)},
	"GET /centers/{id}": {
		on("Aktobe", want{303, 200, 200, 200, 404, 404, 404, 404, 200, 404}, "id", "center:aktobe"),
		on("Kargaly", want{303, 200, 200, 404, 200, 404, 404, 404, 200, 404}, "id", "center:kargaly"),
		on("Mama Pro Almaty", want{303, 200, 404, 404, 404, 200, 404, 404, 404, 404}, "id", "center:almaty"),
	},
	"GET /centers/{id}/edit": {on("Aktobe", want{303, 200, 200, 403, 404, 404, 404, 404, 403, 404}, "id", "center:aktobe")},
	"POST /centers/{id}":     {on("Aktobe", want{303, 303, 303, 403, 404, 404, 404, 404, 403, 404}, "id", "center:aktobe").with(sameCenterForm("center:aktobe"))},
	"POST /centers/{id}/delete": {
		// Aktobe has staff, so even its administrators get a conflict: nothing is deleted.
		on("Aktobe (in use)", want{303, 409, 409, 403, 404, 404, 404, 404, 403, 404}, "id", "center:aktobe"),
		on("unused FPC centre", want{303, 303, 303, 404, 404, 404, 404, 404, 403, 404}, "id", "center:spare-web"),
	},

	// Users: only those who may view users list them; others' users do not exist for them.
	"GET /users":     {on("", want{303, 200, 200, 200, 403, 403, 403, 403, 403, 403})},
	"GET /users/new": {on("", want{303, 200, 200, 403, 403, 403, 403, 403, 403, 403})},
	"POST /users":    {on("viewer of Aktobe", want{303, 303, 303, 403, 403, 403, 403, 403, 403, 403}).with(newUserForm)},
	"GET /users/{id}": {
		on("Kargaly caseworker", want{303, 200, 200, 404, 200, 404, 404, 404, 404, 404}, "id", "user:caseworker"),
		on("Mama Pro trainer", want{303, 200, 404, 404, 404, 200, 404, 404, 404, 404}, "id", "user:trainer"),
	},
	"GET /users/{id}/edit":      {on("Kargaly caseworker", want{303, 200, 200, 404, 403, 404, 404, 404, 404, 404}, "id", "user:caseworker")},
	"POST /users/{id}":          {on("Kargaly caseworker", want{303, 303, 303, 404, 403, 404, 404, 404, 404, 404}, "id", "user:caseworker").with(sameUserForm)},
	"POST /users/{id}/password": {on("Kargaly caseworker", want{303, 303, 303, 404, 403, 404, 404, 404, 404, 404}, "id", "user:caseworker").with(caseworkerPassword)},
	// A user's API tokens: seen and revoked by those who manage her, and by herself.
	"POST /users/{id}/tokens/{token}/delete": {on("FPC analyst's token", want{303, 303, 303, 404, 404, 404, 404, 404, 303, 404}, "id", "user:analyst", "token", "token:analyst-web")},
	"POST /users/{id}/roles":                 {on("Kargaly caseworker", want{303, 303, 303, 404, 403, 404, 404, 404, 404, 404}, "id", "user:caseworker").with(formBody("role", "viewer", "scope", "center:{center:aktobe}"))},
	"POST /users/{id}/roles/{grant}/delete":  {on("Kargaly caseworker's extra role", want{303, 303, 303, 404, 403, 404, 404, 404, 404, 404}, "id", "user:caseworker", "grant", "grant:extra")},
	"GET /audit":                             {on("", want{303, 200, 200, 403, 403, 403, 403, 403, 403, 403})},

	// JSON API: the same rules; no token is 401.
	"GET /api/v1/openapi.json":   {on("", all(200))},
	"GET /api/v1/me":             {on("", token(200))},
	"PATCH /api/v1/me":           {on("", token(200)).with(jsonBody(`{"time_zone": "Asia/Almaty"}`))},
	"GET /api/v1/organizations":  {on("", token(200))},
	"POST /api/v1/organizations": {on("", want{401, 201, 403, 403, 403, 403, 403, 403, 403, 403}).with(newOrgJSON)},
	"GET /api/v1/organizations/{id}": {
		on("FPC", want{401, 200, 200, 200, 200, 404, 404, 404, 200, 404}, "id", "org:fpc"),
		on("Mama Pro", want{401, 200, 404, 404, 404, 200, 404, 404, 404, 404}, "id", "org:mamapro"),
	},
	"PATCH /api/v1/organizations/{id}": {on("FPC", want{401, 200, 200, 403, 403, 404, 404, 404, 403, 404}, "id", "org:fpc").with(jsonBody(`{"website": ""}`))},
	"GET /api/v1/organizations/{id}/categories": {
		on("FPC", want{401, 200, 200, 200, 200, 404, 404, 404, 403, 404}, "id", "org:fpc"),
		on("Mama Pro", want{401, 200, 404, 404, 404, 200, 404, 404, 404, 404}, "id", "org:mamapro"),
	},
	"POST /api/v1/organizations/{id}/categories": {
		on("FPC", want{401, 201, 201, 403, 403, 404, 404, 404, 403, 404}, "id", "org:fpc").with(newCategoryJSON),
	},
	"GET /api/v1/organizations/{id}/categories/{category}": {
		on("FPC's rural", want{401, 200, 200, 200, 200, 404, 404, 404, 403, 404}, "id", "org:fpc", "category", "static:rural"),
		on("FPC's unknown", want{401, 404, 404, 404, 404, 404, 404, 404, 403, 404}, "id", "org:fpc", "category", "static:nope"),
	},
	"PATCH /api/v1/organizations/{id}/categories/{category}": {
		on("FPC's rural", want{401, 200, 200, 403, 403, 404, 404, 404, 403, 404}, "id", "org:fpc", "category", "static:rural").with(jsonBody(`{"retired": false}`)),
	},
	"GET /api/v1/centers":  {on("", want{401, 200, 200, 200, 200, 200, 200, 403, 200, 200})},
	"POST /api/v1/centers": {on("in FPC", want{401, 201, 201, 403, 403, 422, 422, 422, 403, 422}).with(newCenterJSON)},
	"GET /api/v1/centers/{id}": {
		on("Aktobe", want{401, 200, 200, 200, 404, 404, 404, 404, 200, 404}, "id", "center:aktobe"),
		on("Mama Pro Almaty", want{401, 200, 404, 404, 404, 200, 404, 404, 404, 404}, "id", "center:almaty"),
	},
	"PATCH /api/v1/centers/{id}": {on("Aktobe", want{401, 200, 200, 403, 404, 404, 404, 404, 403, 404}, "id", "center:aktobe").with(jsonBody(`{"type": "family_center"}`))},
	"DELETE /api/v1/centers/{id}": {
		on("Aktobe (in use)", want{401, 409, 409, 403, 404, 404, 404, 404, 403, 404}, "id", "center:aktobe"),
		on("unused FPC centre", want{401, 204, 204, 404, 404, 404, 404, 404, 403, 404}, "id", "center:spare-api"),
	},
	// Programmes: seen where they run (Aktobe's by FPC's administrators, the Aktobe
	// coordinator and FPC's analyst), managed by administrators and coordinators. Who takes
	// part is refused to the analyst, and, in a sensitive programme, to the trainer who
	// sees the programme and its count.
	"GET /api/v1/deliveries": {on("", want{401, 200, 200, 200, 200, 200, 200, 403, 403, 200}),
		on("of a woman out of sight", want{401, 200, 200, 200, 200, 200, 200, 403, 403, 200}).q("?person_id={person:kg}&from=2026-01-01")},
	"POST /api/v1/deliveries": {
		on("Aktobe", want{401, 201, 201, 201, 404, 404, 404, 404, 404, 404}).with(deliveryJSON("person:aktobe")),
		on("Bishkek", want{401, 201, 404, 404, 404, 404, 404, 404, 404, 403}).with(deliveryJSON("person:kg")),
	},
	"GET /api/v1/deliveries/{id}": {
		on("Aktobe", want{401, 200, 200, 200, 404, 404, 404, 404, 404, 404}, "id", "delivery:aktobe"),
		on("Bishkek", want{401, 200, 404, 404, 404, 404, 404, 404, 404, 200}, "id", "delivery:kg"),
	},
	"PATCH /api/v1/deliveries/{id}": {
		on("Aktobe", want{401, 200, 200, 200, 404, 404, 404, 404, 404, 404}, "id", "delivery:aktobe").with(jsonBody(`{"quantity": 2}`)),
		on("Bishkek", want{401, 200, 404, 404, 404, 404, 404, 404, 404, 403}, "id", "delivery:kg").with(jsonBody(`{"quantity": 2}`)),
	},
	"DELETE /api/v1/deliveries/{id}": {
		on("Aktobe", want{401, 204, 204, 204, 404, 404, 404, 404, 404, 404}, "id", "delivery:aktobe-api"),
		on("Bishkek", want{401, 204, 404, 404, 404, 404, 404, 404, 404, 403}, "id", "delivery:kg-api"),
	},
	"GET /api/v1/outcomes": {on("", want{401, 200, 200, 200, 200, 200, 200, 403, 403, 200}),
		on("of a woman out of sight", want{401, 200, 200, 200, 200, 200, 200, 403, 403, 200}).q("?person_id={person:kg}&kind=employed")},
	"POST /api/v1/outcomes": {
		on("Aktobe", want{401, 201, 201, 201, 404, 404, 404, 404, 404, 404}).with(outcomeJSON("person:aktobe")),
		on("Bishkek", want{401, 201, 404, 404, 404, 404, 404, 404, 404, 403}).with(outcomeJSON("person:kg")),
	},
	"GET /api/v1/outcomes/{id}": {
		on("Aktobe", want{401, 200, 200, 200, 404, 404, 404, 404, 404, 404}, "id", "outcome:aktobe"),
		on("Bishkek", want{401, 200, 404, 404, 404, 404, 404, 404, 404, 200}, "id", "outcome:kg"),
	},
	"GET /api/v1/outcomes/{id}/file": {
		on("Aktobe", want{401, 200, 200, 200, 404, 404, 404, 404, 404, 404}, "id", "outcome:aktobe"),
		on("Bishkek", want{401, 200, 404, 404, 404, 404, 404, 404, 404, 200}, "id", "outcome:kg"),
	},
	"PUT /api/v1/outcomes/{id}/file": {
		on("Aktobe", want{401, 200, 200, 200, 404, 404, 404, 404, 404, 404}, "id", "outcome:aktobe").with(pdfBody),
		on("Bishkek", want{401, 200, 404, 404, 404, 404, 404, 404, 404, 403}, "id", "outcome:kg").with(pdfBody),
	},
	"DELETE /api/v1/outcomes/{id}/file": {
		on("Aktobe", want{401, 200, 200, 200, 404, 404, 404, 404, 404, 404}, "id", "outcome:aktobe-file"),
		on("Bishkek", want{401, 200, 404, 404, 404, 404, 404, 404, 404, 403}, "id", "outcome:kg-file"),
	},
	"PATCH /api/v1/outcomes/{id}": {
		on("Aktobe", want{401, 200, 200, 200, 404, 404, 404, 404, 404, 404}, "id", "outcome:aktobe").with(jsonBody(`{"value": 2}`)),
		on("Bishkek", want{401, 200, 404, 404, 404, 404, 404, 404, 404, 403}, "id", "outcome:kg").with(jsonBody(`{"value": 2}`)),
	},
	"DELETE /api/v1/outcomes/{id}": {
		on("Aktobe", want{401, 204, 204, 204, 404, 404, 404, 404, 404, 404}, "id", "outcome:aktobe-api"),
		on("Bishkek", want{401, 204, 404, 404, 404, 404, 404, 404, 404, 403}, "id", "outcome:kg-api"),
	},
	"GET /api/v1/calls":  {on("", want{401, 200, 200, 403, 403, 403, 200, 403, 403, 403})},
	"POST /api/v1/calls": {on("in Belesteri", want{401, 201, 422, 422, 422, 422, 201, 403, 422, 422}).with(callJSON)},
	"GET /api/v1/calls/{id}": {
		on("open", want{401, 200, 404, 404, 404, 404, 200, 404, 404, 404}, "id", "call:open"),
		on("draft", want{401, 200, 404, 404, 404, 404, 200, 404, 404, 404}, "id", "call:draft"),
	},
	"PATCH /api/v1/calls/{id}": {on("draft", want{401, 200, 404, 404, 404, 404, 200, 404, 404, 404}, "id", "call:draft").
		with(jsonBody(`{"title_en": "Grants for rural women, second round"}`))},
	"GET /api/v1/calls/{id}/figures": {on("open", want{401, 200, 404, 404, 404, 404, 200, 404, 404, 404}, "id", "call:open")},
	"GET /api/v1/awards":             {on("", want{401, 200, 200, 403, 403, 403, 200, 403, 403, 403})},
	// Another organisation's application is no choice at all.
	"POST /api/v1/awards":           {on("in Belesteri", want{401, 201, 422, 422, 422, 422, 201, 422, 422, 422}).with(awardJSON)},
	"GET /api/v1/awards/follow-ups": {on("", want{401, 200, 200, 403, 403, 403, 200, 403, 403, 403})},
	"GET /api/v1/awards/{id}":       {on("grant", want{401, 200, 404, 404, 404, 404, 200, 404, 404, 404}, "id", "award:api")},
	"POST /api/v1/awards/{id}/payments": {on("grant", want{401, 201, 404, 404, 404, 404, 201, 404, 404, 404}, "id", "award:api").
		with(jsonBody(`{"tranche": 1, "date": "2026-12-20", "amount": {"amount": 240000, "currency": "USD"}}`))},
	"POST /api/v1/awards/{id}/follow-ups": {on("grant", want{401, 201, 404, 404, 404, 404, 201, 404, 404, 404}, "id", "award:api").
		with(jsonBody(`{"months": 6, "date": "2026-12-30", "operating": true, "jobs": 1}`))},
	"POST /api/v1/awards/{id}/renew": {on("grant", want{401, 409, 404, 404, 404, 404, 409, 404, 404, 404}, "id", "award:api").
		with(jsonBody(`{"period": "2027/28", "agreed_on": "2026-12-30"}`))},
	"POST /api/v1/awards/{id}/tranches/{tranche}/evidence": {on("grant", want{401, 201, 404, 404, 404, 404, 201, 404, 404, 404},
		"id", "award:api", "tranche", "tranche:3").with(func(*fixture) any { return receiptPNG })},
	"POST /api/v1/awards/{id}/tranches/{tranche}/approve": {on("grant", want{401, 200, 404, 404, 404, 404, 200, 404, 404, 404},
		"id", "award:api", "tranche", "tranche:2")},
	"GET /api/v1/awards/{id}/evidence/{evidence}": {on("grant", want{401, 200, 404, 404, 404, 404, 200, 404, 404, 404},
		"id", "award:api", "evidence", "evidence:api")},
	"GET /api/v1/calls/{id}/assignments":  {on("under review", want{401, 200, 404, 404, 404, 404, 200, 404, 404, 404}, "id", "call:review")},
	"POST /api/v1/calls/{id}/assignments": {on("under review", want{401, 200, 404, 404, 404, 404, 200, 404, 404, 404}, "id", "call:review").with(poolJSON)},
	"GET /api/v1/calls/{id}/ranking":      {on("under review", want{401, 200, 404, 404, 404, 404, 200, 404, 404, 404}, "id", "call:review")},
	"POST /api/v1/calls/{id}/decisions": {on("under review, not all reviewed", want{401, 422, 404, 404, 404, 404, 422, 404, 404, 404}, "id", "call:review").
		with(func(*fixture) any { return `{"shortlist": 0}` })},
	"GET /api/v1/calls/{id}/fairness": {on("decided", want{401, 200, 404, 404, 404, 404, 200, 404, 404, 404}, "id", "call:decided")},
	"GET /api/v1/applications/{id}": {
		on("assigned to the reviewer", want{401, 200, 404, 404, 404, 404, 200, 200, 404, 404}, "id", "application:assigned"),
		on("assigned to another", want{401, 200, 404, 404, 404, 404, 200, 404, 404, 404}, "id", "application:other"),
		on("submitted, not assigned", want{401, 200, 404, 404, 404, 404, 200, 404, 404, 404}, "id", "application:submitted"),
	},
	"GET /api/v1/applications/{id}/reviews": {on("assigned", want{401, 200, 404, 404, 404, 404, 200, 404, 404, 404}, "id", "application:assigned")},
	"POST /api/v1/applications/{id}/reviews": {
		on("assigned to the reviewer", want{401, 403, 404, 404, 404, 404, 403, 200, 404, 404}, "id", "application:assigned").
			with(func(*fixture) any {
				return `{"scores": {"rural_problem": 7, "real_income": 5}, "comment": "Жақсы"}`
			}),
		on("assigned to another", want{401, 403, 404, 404, 404, 404, 403, 404, 404, 404}, "id", "application:other").
			with(func(*fixture) any { return `{"conflict": true}` }),
	},
	// Open calls are public; a draft is not found, whoever asks.
	"GET /api/v1/public/calls":        {on("", all(200))},
	"GET /api/v1/certificates/{code}": {on("unknown code", all(404), "code", "static:AAAAA-AAAAA")},
	// The public catalogue of trainings and its sign-up (decision 0034).
	"GET /api/v1/public/courses": {on("", all(200))},
	"POST /api/v1/public/cohorts/{id}/signups": {on("offered", all(201), "id", "cohort:almaty").with(signupJSON),
		on("not offered", all(404), "id", "cohort:almaty-other").with(signupJSON)},
	"GET /api/v1/public/calls/{id}": {on("open", all(200), "id", "call:open"),
		on("draft", all(404), "id", "call:draft")},
	// Applying is public; a draft is changed with its token, its status told with her phone.
	"POST /api/v1/public/calls/{id}/applications": {on("open", all(201), "id", "call:open").with(applicationJSON),
		on("draft", all(404), "id", "call:draft").with(applicationJSON)},
	"PUT /api/v1/public/applications/{reference}": {on("unknown", all(404), "reference", "static:BG-2222-2222").
		with(jsonBody(`{"token": "x", "applicant": {}}`))},
	"GET /api/v1/public/applications/{reference}": {on("unknown", all(404), "reference", "static:BG-2222-2222").q("?phone=87015551234")},
	"POST /api/v1/public/applications/{reference}/files": {on("unknown", all(404), "reference", "static:BG-2222-2222").
		with(func(*fixture) any {
			return upload{fields: map[string]string{"token": "x", "field": "photos"}, name: "a.png", content: pngContent()}
		})},
	"GET /api/v1/calls/{id}/applications":        {on("open", want{401, 200, 404, 404, 404, 404, 200, 404, 404, 404}, "id", "call:open")},
	"GET /api/v1/applications/{id}/files/{file}": {on("", want{401, 200, 404, 404, 404, 404, 200, 404, 404, 404}, "id", "application:submitted", "file", "file:application")},
	"POST /api/v1/applications/{id}/eligibility": {on("", want{401, 200, 404, 404, 404, 404, 200, 404, 404, 404}, "id", "application:submitted").
		with(jsonBody(`{"eligible": false, "reason": "Қала шегінде тұрады"}`))},
	"GET /api/v1/programs":  {on("", want{401, 200, 200, 200, 200, 200, 200, 403, 200, 200})},
	"POST /api/v1/programs": {on("in Aktobe", want{401, 201, 201, 201, 403, 422, 422, 422, 403, 422}).with(newProgramJSON)},
	"GET /api/v1/programs/{id}": {
		on("Aktobe", want{401, 200, 200, 200, 404, 404, 404, 404, 200, 404}, "id", "program:aktobe"),
		on("Almaty, sensitive", want{401, 200, 404, 404, 404, 200, 404, 404, 404, 404}, "id", "program:almaty"),
	},
	"PATCH /api/v1/programs/{id}": {on("Aktobe", want{401, 200, 200, 200, 404, 404, 404, 404, 403, 404}, "id", "program:aktobe").with(jsonBody(`{"status": "active"}`))},
	"GET /api/v1/programs/{id}/participants": {
		on("Aktobe", want{401, 200, 200, 200, 404, 404, 404, 404, 403, 404}, "id", "program:aktobe"),
		on("Almaty, sensitive", want{401, 200, 404, 404, 404, 403, 404, 404, 404, 404}, "id", "program:almaty"),
	},
	"POST /api/v1/programs/{id}/participants": {
		on("Aktobe", want{401, 201, 201, 201, 404, 404, 404, 404, 403, 404}, "id", "program:aktobe").with(participantJSON("person:aktobe-parent")),
	},
	// A programme's indicators are figures: everyone who sees the programme reads them,
	// the analyst and, in a sensitive programme, the trainer too; those who may edit the
	// programme add them.
	"GET /api/v1/programs/{id}/indicators": {
		on("Aktobe", want{401, 200, 200, 200, 404, 404, 404, 404, 200, 404}, "id", "program:aktobe"),
		on("Almaty, sensitive", want{401, 200, 404, 404, 404, 200, 404, 404, 404, 404}, "id", "program:almaty"),
	},
	"POST /api/v1/programs/{id}/indicators": {
		on("Aktobe", want{401, 201, 201, 201, 404, 404, 404, 404, 403, 404}, "id", "program:aktobe").with(jsonBody(
			`{"name_kk": "Қамтылған әйелдер", "name_ru": "Охвачено женщин", "name_ky": "Камтылган аялдар", "name_en": "Women reached", "measure": "people_reached", "target": 100}`)),
	},
	"GET /api/v1/cases":  {on("", want{401, 200, 200, 200, 200, 403, 403, 403, 403, 403})},
	"POST /api/v1/cases": {on("in Aktobe", want{401, 201, 201, 201, 422, 422, 422, 422, 403, 422}).with(caseJSON)},
	"GET /api/v1/cases/{id}": {on("Aktobe, unassigned", want{401, 200, 200, 200, 404, 404, 404, 404, 404, 404}, "id", "case:aktobe"),
		on("Kargaly, the case worker's", want{401, 200, 200, 404, 200, 404, 404, 404, 404, 404}, "id", "case:kargaly")},
	"PATCH /api/v1/cases/{id}": {on("Kargaly", want{401, 200, 200, 404, 403, 404, 404, 404, 404, 404}, "id", "case:kargaly").
		with(func(*fixture) any { return `{"status": "screening"}` })},
	// Screenings: only the case's assigned workers and its centre's supervisors; lifting a
	// flag needs case.override (not the case worker's); a review, case.manage.
	"GET /api/v1/cases/{id}/screenings": {on("Kargaly, the case worker's", want{401, 200, 200, 404, 200, 404, 404, 404, 404, 404}, "id", "case:kargaly"),
		on("Aktobe, unassigned", want{401, 200, 200, 200, 404, 404, 404, 404, 404, 404}, "id", "case:aktobe")},
	"POST /api/v1/cases/{id}/screenings": {on("Kargaly", want{401, 201, 201, 404, 201, 404, 404, 404, 404, 404}, "id", "case:kargaly").
		with(screeningJSON("insults"))},
	"POST /api/v1/cases/{id}/override": {on("Kargaly, flagged", want{401, 200, 200, 404, 403, 404, 404, 404, 404, 404}, "id", "case:kargaly-flagged").
		with(jsonBody(`{"reason": "Он уехал на заработки в Россию; она в безопасности"}`))},
	"POST /api/v1/cases/{id}/reviewed": {on("Kargaly, danger", want{401, 200, 200, 404, 403, 404, 404, 404, 404, 404}, "id", "case:kargaly-flagged")},
	"GET /api/v1/cases/{id}/safety-plan": {on("Kargaly, flagged", want{401, 200, 200, 404, 200, 404, 404, 404, 404, 404}, "id", "case:kargaly-flagged").
		q("?person_id={person:kargaly-wife}")},
	"PUT /api/v1/cases/{id}/safety-plan": {on("Kargaly, flagged", want{401, 200, 200, 404, 200, 404, 404, 404, 404, 404}, "id", "case:kargaly-flagged").
		q("?person_id={person:kargaly-wife}").with(jsonBody(`{"code_word": "алма", "safe_place": "Әпкесінің үйі"}`))},
	"GET /api/v1/referrals": {on("", want{401, 200, 200, 200, 200, 403, 403, 403, 403, 403})},
	// A case out of sight is a field error, as a case that does not exist.
	"POST /api/v1/referrals": {on("from Kargaly's case", want{401, 201, 201, 422, 201, 422, 422, 422, 422, 422}).
		with(func(fx *fixture) any {
			return fmt.Sprintf(`{"case_id": %d, "person_id": %d, "service_id": %d, "chosen_by_her": true}`,
				fx.ids["case:kargaly"], fx.ids["person:kargaly-wife"], fx.ids["service:fpc"])
		})},
	"GET /api/v1/referrals/{id}": {on("Kargaly → Aktobe", want{401, 200, 200, 200, 200, 404, 404, 404, 404, 404}, "id", "referral:api")},
	"PATCH /api/v1/referrals/{id}": {on("Kargaly → Aktobe", want{401, 200, 200, 200, 403, 404, 404, 404, 404, 404}, "id", "referral:api").
		with(jsonBody(`{"status": "accepted"}`))},
	"GET /api/v1/services":            {on("FPC's", want{401, 200, 200, 200, 200, 404, 404, 404, 404, 404}).q("?organization_id={org:fpc}")},
	"GET /api/v1/cases/{id}/sessions": {on("Kargaly", want{401, 200, 200, 404, 200, 404, 404, 404, 404, 404}, "id", "case:kargaly-sessions")},
	"POST /api/v1/cases/{id}/sessions": {on("Kargaly", want{401, 201, 201, 404, 201, 404, 404, 404, 404, 404}, "id", "case:kargaly-sessions").
		with(sessionJSON("2027-01-11T05:00:00Z"))},
	"GET /api/v1/sessions/{id}": {on("Kargaly", want{401, 200, 200, 404, 200, 404, 404, 404, 404, 404}, "id", "session:kargaly")},
	"PATCH /api/v1/sessions/{id}": {on("Kargaly", want{401, 200, 200, 404, 200, 404, 404, 404, 404, 404}, "id", "session:kargaly").
		with(jsonBody(`{"room": "Кабинет 4"}`))},
	"POST /api/v1/cases/{id}/close": {on("Kargaly, open", want{401, 200, 200, 404, 403, 404, 404, 404, 404, 404}, "id", "case:kargaly-to-close").
		with(jsonBody(`{"outcome": "reconciled_withdrawn", "closed_on": "2026-12-01", "satisfaction": 5}`))},
	"POST /api/v1/cases/{id}/reopen": {on("Kargaly, closed", want{401, 200, 200, 404, 403, 404, 404, 404, 404, 404}, "id", "case:kargaly-closed").
		with(jsonBody(`{"reason": "Они снова пришли"}`))},
	"GET /api/v1/cases/figures": {on("Kargaly", want{401, 200, 200, 404, 403, 404, 404, 404, 200, 404}).q("?center_id={center:kargaly}"),
		on("Aktobe", want{401, 200, 200, 200, 404, 404, 404, 404, 200, 404}).q("?center_id={center:aktobe}&from=2026-09-01")},
	"GET /api/v1/screening/questions": {on("", want{401, 422, 200, 200, 200, 404, 404, 404, 404, 404})},
	"GET /api/v1/funding":             {on("", want{401, 200, 200, 200, 403, 403, 200, 403, 200, 403})},
	"POST /api/v1/funding":            {on("of FPC", want{401, 201, 201, 403, 422, 422, 422, 422, 403, 422}).with(fundingJSON)},
	"GET /api/v1/funding/{id}":        {on("FPC", want{401, 200, 200, 200, 404, 404, 404, 404, 200, 404}, "id", "funding:fpc")},
	// Trainings: Mama Pro's catalogue is seen by whoever holds training.view in the
	// organisation (its trainer) and edited with training.manage on the whole of it; a
	// cohort by those who run trainings where it is held and by its own trainer, who
	// changes nothing. FPC's administrator and coordinator run trainings in FPC only.
	"GET /courses":           {on("", want{303, 200, 200, 200, 403, 200, 403, 403, 403, 403})},
	"GET /courses/new":       {on("", want{303, 200, 200, 403, 403, 403, 403, 403, 403, 403})},
	"POST /courses":          {on("of Mama Pro", want{303, 303, 422, 403, 403, 403, 403, 403, 403, 403}).with(courseForm)},
	"GET /courses/{id}/edit": {on("Mama Pro", want{303, 200, 404, 404, 404, 403, 404, 404, 404, 404}, "id", "course:mamapro")},
	"POST /courses/{id}":     {on("Mama Pro", want{303, 303, 404, 404, 404, 403, 404, 404, 404, 404}, "id", "course:mamapro").with(courseForm)},
	"GET /cohorts":           {on("", want{303, 200, 200, 200, 403, 200, 403, 403, 403, 403})},
	"GET /cohorts/new":       {on("", want{303, 200, 200, 200, 403, 403, 403, 403, 403, 403})},
	"POST /cohorts":          {on("at Almaty", want{303, 303, 422, 422, 403, 403, 403, 403, 403, 403}).with(cohortForm)},
	"GET /cohorts/{id}": {on("Almaty, the trainer's", want{303, 200, 404, 404, 404, 200, 404, 404, 404, 404}, "id", "cohort:almaty"),
		on("Almaty, another's", want{303, 200, 404, 404, 404, 404, 404, 404, 404, 404}, "id", "cohort:almaty-other"),
		on("searching the registry", want{303, 200, 404, 404, 404, 200, 404, 404, 404, 404}, "id", "cohort:almaty").q("?q=Серікова")},
	"POST /cohorts/{id}/sessions": {on("Almaty", want{303, 303, 404, 404, 404, 403, 404, 404, 404, 404}, "id", "cohort:almaty").
		with(formBody("weekday", "2", "start", "18:30", "minutes", "90"))},
	"GET /cohorts/{id}/edit": {on("Almaty, the trainer's", want{303, 200, 404, 404, 404, 403, 404, 404, 404, 404}, "id", "cohort:almaty-edit"),
		on("Almaty, another's", want{303, 200, 404, 404, 404, 404, 404, 404, 404, 404}, "id", "cohort:almaty-other")},
	"POST /cohorts/{id}": {on("Almaty, the trainer's", want{303, 303, 404, 404, 404, 403, 404, 404, 404, 404}, "id", "cohort:almaty-edit").
		with(cohortEditBody("cohort:almaty-edit"))},
	"POST /cohorts/{id}/enrollments/import": {on("Almaty", want{303, 200, 404, 404, 404, 403, 404, 404, 404, 404}, "id", "cohort:almaty").
		with(cohortListUpload)},
	"POST /cohorts/{id}/enrollments": {on("Almaty", want{303, 303, 404, 404, 404, 403, 404, 404, 404, 404}, "id", "cohort:almaty").
		with(formBody("person_id", "{person:almaty-web-enrol}", "childcare", "on"))},
	"POST /training-sessions/{id}/delete": {on("Almaty", want{303, 303, 404, 404, 404, 403, 404, 404, 404, 404}, "id", "lesson:almaty-web-delete")},
	"POST /enrollments/{id}": {on("Almaty", want{303, 303, 404, 404, 404, 403, 404, 404, 404, 404}, "id", "enrollment:web").
		with(formBody("status", "dropped", "reason", "Көшіп кетті"))},
	// Certificates: read by those who see the cohort (its trainer too), issued and revoked
	// by those who run it; their codes are checked by anyone.
	"POST /cohorts/{id}/certificates": {on("Almaty", want{303, 303, 404, 404, 404, 403, 404, 404, 404, 404}, "id", "cohort:almaty")},
	"GET /training-certificates/{id}": {on("Almaty, the trainer's", want{303, 200, 404, 404, 404, 200, 404, 404, 404, 404}, "id", "certificate:almaty"),
		on("Almaty, another's", want{303, 200, 404, 404, 404, 404, 404, 404, 404, 404}, "id", "certificate:almaty-other")},
	"GET /training-certificates/{id}/pdf": {on("Almaty, the trainer's", want{303, 200, 404, 404, 404, 200, 404, 404, 404, 404}, "id", "certificate:almaty"),
		on("Almaty, another's", want{303, 200, 404, 404, 404, 404, 404, 404, 404, 404}, "id", "certificate:almaty-other")},
	"POST /training-certificates/{id}/revoke": {on("Almaty", want{303, 303, 404, 404, 404, 403, 404, 404, 404, 404}, "id", "certificate:almaty-revoke").
		with(formBody("reason", "Қате берілді"))},
	"GET /api/v1/courses":        {on("", want{401, 200, 200, 200, 403, 200, 403, 403, 403, 403})},
	"POST /api/v1/courses":       {on("of Mama Pro", want{401, 201, 422, 422, 403, 403, 403, 403, 403, 403}).with(courseJSON)},
	"GET /api/v1/courses/{id}":   {on("Mama Pro", want{401, 200, 404, 404, 404, 200, 404, 404, 404, 404}, "id", "course:mamapro")},
	"PATCH /api/v1/courses/{id}": {on("Mama Pro", want{401, 200, 404, 404, 404, 403, 404, 404, 404, 404}, "id", "course:mamapro").with(jsonBody(`{"hours": 30}`))},
	"GET /api/v1/cohorts":        {on("", want{401, 200, 200, 200, 403, 200, 403, 403, 403, 403})},
	"POST /api/v1/cohorts":       {on("at Almaty", want{401, 201, 422, 422, 403, 403, 403, 403, 403, 403}).with(cohortJSON)},
	// Attendance (decision 0031): the register is read by those who see the cohort and
	// marked with training.attend (a trainer in her own cohorts only: another's is not
	// found); the completion rule is training.manage; the service worker is public.
	"GET /attendance-sw.js":        {on("", all(200))},
	"GET /training-sessions/today": {on("", want{303, 200, 200, 200, 403, 200, 403, 403, 403, 403})},
	"GET /training-sessions/{id}/attendance": {on("Almaty, the trainer's", want{303, 200, 404, 404, 404, 200, 404, 404, 404, 404}, "id", "lesson:almaty-held"),
		on("Almaty, another's", want{303, 200, 404, 404, 404, 404, 404, 404, 404, 404}, "id", "lesson:almaty-other-held")},
	"POST /training-sessions/{id}/attendance": {on("Almaty, everyone present", want{303, 303, 404, 404, 404, 303, 404, 404, 404, 404}, "id", "lesson:almaty-held").
		with(formBody("everyone", "1")),
		on("Almaty, another's", want{303, 303, 404, 404, 404, 404, 404, 404, 404, 404}, "id", "lesson:almaty-other-held").with(formBody("everyone", "1"))},
	"PUT /training-sessions/{id}/attendance": {on("Almaty, the trainer's", want{303, 200, 404, 404, 404, 200, 404, 404, 404, 404}, "id", "lesson:almaty-held").
		with(marksJSON)},
	"POST /cohorts/{id}/complete": {on("Almaty, ended", want{303, 303, 404, 404, 404, 403, 404, 404, 404, 404}, "id", "cohort:almaty-ended")},
	"POST /enrollments/{id}/project": {on("Almaty", want{303, 303, 404, 404, 404, 303, 404, 404, 404, 404}, "id", "enrollment:web").
		with(formBody("project_passed", "on"))},
	"GET /api/v1/training-sessions/{id}/attendance": {on("Almaty, the trainer's", want{401, 200, 404, 404, 404, 200, 404, 404, 404, 404}, "id", "lesson:almaty-held"),
		on("Almaty, another's", want{401, 200, 404, 404, 404, 404, 404, 404, 404, 404}, "id", "lesson:almaty-other-held")},
	"PUT /api/v1/training-sessions/{id}/attendance": {on("Almaty, the trainer's", want{401, 200, 404, 404, 404, 200, 404, 404, 404, 404}, "id", "lesson:almaty-held").
		with(marksJSON)},
	"POST /api/v1/cohorts/{id}/complete": {on("Almaty, ended", want{401, 200, 404, 404, 404, 403, 404, 404, 404, 404}, "id", "cohort:almaty-ended")},
	"GET /api/v1/cohorts/{id}": {on("Almaty, the trainer's", want{401, 200, 404, 404, 404, 200, 404, 404, 404, 404}, "id", "cohort:almaty"),
		on("Almaty, another's", want{401, 200, 404, 404, 404, 404, 404, 404, 404, 404}, "id", "cohort:almaty-other")},
	"PATCH /api/v1/cohorts/{id}": {on("Almaty, the trainer's", want{401, 200, 404, 404, 404, 403, 404, 404, 404, 404}, "id", "cohort:almaty").with(jsonBody(`{"capacity": 12}`)),
		on("Almaty, another's", want{401, 200, 404, 404, 404, 404, 404, 404, 404, 404}, "id", "cohort:almaty-other").with(jsonBody(`{"capacity": 12}`))},
	"GET /api/v1/cohorts/{id}/enrollments": {on("Almaty, the trainer's", want{401, 200, 404, 404, 404, 200, 404, 404, 404, 404}, "id", "cohort:almaty"),
		on("Almaty, another's", want{401, 200, 404, 404, 404, 404, 404, 404, 404, 404}, "id", "cohort:almaty-other")},
	"POST /api/v1/cohorts/{id}/enrollments": {on("Almaty, the trainer's", want{401, 201, 404, 404, 404, 403, 404, 404, 404, 404}, "id", "cohort:almaty").
		with(enrolJSON("person:almaty")),
		on("Almaty, another's", want{401, 201, 404, 404, 404, 404, 404, 404, 404, 404}, "id", "cohort:almaty-other").
			with(enrolJSON("person:almaty"))},
	"POST /api/v1/cohorts/{id}/enrollments/import": {on("Almaty", want{401, 200, 404, 404, 404, 403, 404, 404, 404, 404}, "id", "cohort:almaty").
		with(cohortListUpload)},
	"GET /api/v1/enrollments/{id}": {on("Almaty", want{401, 200, 404, 404, 404, 200, 404, 404, 404, 404}, "id", "enrollment:api")},
	"PATCH /api/v1/enrollments/{id}": {on("Almaty", want{401, 200, 404, 404, 404, 403, 404, 404, 404, 404}, "id", "enrollment:api-patch").
		with(jsonBody(`{"status": "dropped", "reason": "Жұмысқа тұрды"}`)),
		on("Almaty, her project only", want{401, 200, 404, 404, 404, 200, 404, 404, 404, 404}, "id", "enrollment:api").
			with(jsonBody(`{"project_passed": true}`))},
	"GET /api/v1/cohorts/{id}/sessions": {on("Almaty, the trainer's", want{401, 200, 404, 404, 404, 200, 404, 404, 404, 404}, "id", "cohort:almaty"),
		on("Almaty, another's", want{401, 200, 404, 404, 404, 404, 404, 404, 404, 404}, "id", "cohort:almaty-other")},
	"POST /api/v1/cohorts/{id}/sessions": {on("Almaty", want{401, 201, 404, 404, 404, 403, 404, 404, 404, 404}, "id", "cohort:almaty").
		with(jsonBody(`{"weekday": 4, "start": "18:00", "minutes": 90, "venue": "Зал 2"}`))},
	"GET /api/v1/training-sessions/{id}": {on("Almaty", want{401, 200, 404, 404, 404, 200, 404, 404, 404, 404}, "id", "lesson:almaty")},
	"PATCH /api/v1/training-sessions/{id}": {on("Almaty", want{401, 200, 404, 404, 404, 403, 404, 404, 404, 404}, "id", "lesson:almaty").
		with(jsonBody(`{"venue": "Зал 3"}`))},
	"DELETE /api/v1/training-sessions/{id}": {on("Almaty", want{401, 204, 404, 404, 404, 403, 404, 404, 404, 404}, "id", "lesson:almaty-api-delete")},
	"GET /api/v1/cohorts/{id}/certificates": {on("Almaty, the trainer's", want{401, 200, 404, 404, 404, 200, 404, 404, 404, 404}, "id", "cohort:almaty"),
		on("Almaty, another's", want{401, 200, 404, 404, 404, 404, 404, 404, 404, 404}, "id", "cohort:almaty-other")},
	"POST /api/v1/cohorts/{id}/certificates": {on("Almaty", want{401, 200, 404, 404, 404, 403, 404, 404, 404, 404}, "id", "cohort:almaty")},
	"GET /api/v1/training-certificates/{id}": {on("Almaty, the trainer's", want{401, 200, 404, 404, 404, 200, 404, 404, 404, 404}, "id", "certificate:almaty"),
		on("Almaty, another's", want{401, 200, 404, 404, 404, 404, 404, 404, 404, 404}, "id", "certificate:almaty-other")},
	"POST /api/v1/training-certificates/{id}/revoke": {on("Almaty", want{401, 200, 404, 404, 404, 403, 404, 404, 404, 404}, "id", "certificate:almaty-api-revoke").
		with(jsonBody(`{"reason": "Қате берілді"}`))},
	// Follow-ups (decision 0033): those who run the cohort record them, its trainer reads
	// them, and no one else finds them; figures are counts, for training.figures; a
	// one-time link that does not work is gone for everyone.
	"GET /followups": {on("", want{303, 200, 200, 200, 403, 200, 403, 403, 403, 403})},
	"GET /followups/{enrollment}/{months}": {on("Almaty, the trainer's", want{303, 200, 404, 404, 404, 200, 404, 404, 404, 404},
		"enrollment", "enrollment:followup-web", "months", "static:3")},
	"POST /followups/{enrollment}/{months}": {on("Almaty, the trainer's", want{303, 303, 404, 404, 404, 403, 404, 404, 404, 404},
		"enrollment", "enrollment:followup-web", "months", "static:3").with(followupForm)},
	"POST /followups/{enrollment}/{months}/link": {on("Almaty, the trainer's", want{303, 200, 404, 404, 404, 403, 404, 404, 404, 404},
		"enrollment", "enrollment:followup-link", "months", "static:3").with(formBody("lang", "kk"))},
	"GET /followup/{secret}":        {on("an unknown link", all(410), "secret", "static:f_nope")},
	"POST /followup/{secret}":       {on("an unknown link", all(410), "secret", "static:f_nope").with(followupForm)},
	"GET /trainings/figures":        {on("", want{303, 200, 200, 200, 403, 403, 403, 403, 200, 403})},
	"GET /api/v1/followups":         {on("", want{401, 200, 200, 200, 403, 200, 403, 403, 403, 403})},
	"POST /api/v1/followups":        {on("Almaty, the trainer's", want{401, 201, 404, 404, 404, 403, 404, 404, 404, 404}).with(followupJSON)},
	"GET /api/v1/trainings/figures": {on("", want{401, 200, 200, 200, 403, 403, 403, 403, 200, 403})},
	// Requests from the public site: those who manage the office's cases; no one else.
	"GET /api/v1/case-requests": {on("", want{401, 200, 200, 200, 403, 403, 403, 403, 403, 403})},
	"POST /api/v1/case-requests/{id}/accept": {on("Aktobe", want{401, 201, 201, 201, 404, 404, 404, 404, 404, 404}, "id", "request:aktobe-api").
		with(jsonBody(`{"person": {"given_name": "Сәуле", "phones": ["+77015551234"]}}`))},
	"POST /api/v1/case-requests/{id}/decline": {on("Aktobe", want{401, 200, 200, 200, 404, 404, 404, 404, 404, 404}, "id", "request:aktobe-api-decline")},
	"PATCH /api/v1/funding/{id}": {on("FPC", want{401, 200, 200, 403, 404, 404, 404, 404, 403, 404}, "id", "funding:fpc").
		with(jsonBody(`{"reference": "KAZ-2026-014/B"}`))},
	"POST /api/v1/funding/{id}/spending": {on("FPC", want{401, 201, 201, 403, 404, 404, 404, 404, 403, 404}, "id", "funding:fpc").
		with(spendingJSON)},
	"GET /api/v1/users":  {on("", want{401, 200, 200, 200, 403, 403, 403, 403, 403, 403})},
	"POST /api/v1/users": {on("viewer of Aktobe", want{401, 201, 201, 403, 403, 403, 403, 403, 403, 403}).with(newUserJSON)},
	"GET /api/v1/users/{id}": {
		on("Kargaly caseworker", want{401, 200, 200, 404, 200, 404, 404, 404, 404, 404}, "id", "user:caseworker"),
		on("Mama Pro trainer", want{401, 200, 404, 404, 404, 200, 404, 404, 404, 404}, "id", "user:trainer"),
	},
	"PATCH /api/v1/users/{id}": {on("Kargaly caseworker", want{401, 200, 200, 404, 403, 404, 404, 404, 404, 404}, "id", "user:caseworker").with(jsonBody(`{"language": "kk"}`))},
	"GET /api/v1/users/{id}/tokens": {
		on("FPC analyst", want{401, 200, 200, 404, 404, 404, 404, 404, 200, 404}, "id", "user:analyst"),
		on("Mama Pro trainer", want{401, 200, 404, 404, 404, 200, 404, 404, 404, 404}, "id", "user:trainer"),
	},
	"DELETE /api/v1/users/{id}/tokens/{token}": {on("FPC analyst's token", want{401, 204, 204, 404, 404, 404, 404, 404, 204, 404}, "id", "user:analyst", "token", "token:analyst-api")},
	"GET /api/v1/tokens":                       {on("", token(200))},
	"POST /api/v1/tokens":                      {on("", token(201)).with(jsonBody(`{"name": "script"}`))},
	"DELETE /api/v1/tokens/{id}": {
		on("own token", token(204), "id", "token:own-api"),
		on("admin's token", want{401, 204, 404, 404, 404, 404, 404, 404, 404, 404}, "id", "token:admin-api"),
	},
}

// fixture is one role's database: ids of the records the cases name.
type fixture struct {
	site  *site
	email string           // the acting user; "" for anonymous
	ids   map[string]int64 // "center:aktobe" → id, …
}

// setupFixture loads the demo data and adds what the cases need: two unused centres to
// delete, an extra role for the caseworker to revoke, and tokens to delete.
func setupFixture(t *testing.T, s *site, email string) *fixture {
	ctx := context.Background()
	sys := birge.System("test")
	fx := &fixture{site: s, email: email, ids: map[string]int64{}}
	fx.ids["org:fpc"] = s.org("Family Preservation Centre").ID
	fx.ids["org:mamapro"] = s.org("Mama Pro").ID
	fx.ids["center:aktobe"] = s.center("Aktobe family centre").ID
	fx.ids["center:kargaly"] = s.center("Kargaly district office").ID
	fx.ids["center:almaty"] = s.center("Mama Pro Almaty").ID
	fx.ids["center:bishkek"] = s.center("Bishkek office").ID
	for _, key := range []string{"spare-web", "spare-api"} {
		c := s.center("Kargaly district office")
		c.ID, c.Names.EN = 0, "Spare "+key
		c, err := s.st.CreateCenter(ctx, sys, c)
		if err != nil {
			t.Fatal(err)
		}
		fx.ids["center:"+key] = c.ID
	}
	fx.ids["user:caseworker"] = s.userID("caseworker@birge.example")
	fx.ids["user:trainer"] = s.userID("trainer@birge.example")
	fx.ids["user:analyst"] = s.userID("analyst@birge.example")
	g, err := s.st.AddGrant(ctx, sys, birge.Grant{UserID: fx.ids["user:caseworker"], Role: birge.RoleViewer,
		OrgID: fx.ids["org:fpc"], CenterID: fx.ids["center:kargaly"]})
	if err != nil {
		t.Fatal(err)
	}
	fx.ids["grant:extra"] = g.ID
	for key, center := range map[string]string{"aktobe": "Aktobe family centre", "kg": "Bishkek office"} {
		p, err := s.st.People.Create(ctx, sys, birge.Person{CenterID: s.center(center).ID, FamilyName: "Жұмабаева",
			GivenName: "Айжан", IIN: "850315401231", Consents: []birge.Consent{{Purpose: "services", Channel: "paper", GivenOn: "2026-01-05"}}})
		if err != nil {
			t.Fatal(err)
		}
		fx.ids["person:"+key], fx.ids["consent:"+key] = p.ID, p.Consents[0].ID
		// Her relatives: a spouse and a guardian linked already, for the cases that undo
		// a link; a child and a parent for those that make one.
		for _, kin := range []string{"spouse", "guardian", "child", "parent"} {
			r, err := s.st.People.Create(ctx, sys, birge.Person{CenterID: s.center(center).ID, GivenName: kin})
			if err != nil {
				t.Fatal(err)
			}
			fx.ids["person:"+key+"-"+kin] = r.ID
		}
		for kin, rel := range map[string]string{"spouse": "relation:" + key, "guardian": "relation:" + key + "-api"} {
			r, err := s.st.People.AddRelation(ctx, sys, p.ID, fx.ids["person:"+key+"-"+kin], kin)
			if err != nil {
				t.Fatal(err)
			}
			fx.ids[rel] = r.ID
		}
	}
	// Women the anonymising cases erase, so that the others still find those above.
	for key, center := range map[string]string{"anon-web": "Aktobe family centre", "anon-api": "Aktobe family centre",
		"kg-anon-web": "Bishkek office", "kg-anon-api": "Bishkek office"} {
		p, err := s.st.People.Create(ctx, sys, birge.Person{CenterID: s.center(center).ID, GivenName: "Сәуле"})
		if err != nil {
			t.Fatal(err)
		}
		fx.ids["person:"+key] = p.ID
	}
	// Two imports: the mapping case starts a check of one, which the apply must not meet.
	fx.ids["import:aktobe"] = s.checkedImport(fx.ids["center:aktobe"])
	fx.ids["import:aktobe-ready"] = s.checkedImport(fx.ids["center:aktobe"])
	mergeFixtures(t, s, fx)
	programFixtures(t, s, fx)
	deliveryFixtures(t, s, fx)
	fundingFixtures(t, s, fx)
	caseFixtures(t, s, fx)
	referralFixtures(t, s, fx)
	closingFixtures(t, s, fx)
	caseRequestFixtures(t, s, fx)
	callFixtures(t, s, fx)
	applicationFixtures(t, s, fx)
	awardFixtures(t, s, fx)
	reviewFixtures(t, s, fx)
	outcomeFixtures(t, s, fx)
	trainingFixtures(t, s, fx)
	followupFixtures(t, s, fx)
	fx.ids["token:admin-web"], _ = s.token("admin@birge.example", "victim web")
	fx.ids["token:admin-api"], _ = s.token("admin@birge.example", "victim api")
	fx.ids["token:analyst-web"], _ = s.token("analyst@birge.example", "analyst web")
	fx.ids["token:analyst-api"], _ = s.token("analyst@birge.example", "analyst api")
	if email != "" {
		fx.ids["token:own-web"], _ = s.token(email, "own web")
		fx.ids["token:own-api"], _ = s.token(email, "own api")
	} else {
		fx.ids["token:own-web"], fx.ids["token:own-api"] = 1<<40, 1<<40 // anonymous has none
	}
	return fx
}

// id returns a fixture id as text; "static:…" keys stand for themselves.
func (fx *fixture) id(t testing.TB, key string) string {
	if v, ok := strings.CutPrefix(key, "static:"); ok {
		return v
	}
	id, ok := fx.ids[key]
	if !ok {
		t.Fatalf("no fixture %q", key)
	}
	return strconv.FormatInt(id, 10)
}

var fixtureRef = regexp.MustCompile(`\{([a-z]+:[a-z-]+)\}`)

// expand replaces {fixture:key} in s with the fixture's id.
func (fx *fixture) expand(t *testing.T, s string) string {
	return fixtureRef.ReplaceAllStringFunc(s, func(m string) string { return fx.id(t, m[1:len(m)-1]) })
}

// Bodies.

func formBody(pairs ...string) func(fx *fixture) any {
	return func(fx *fixture) any {
		f := url.Values{}
		for i := 0; i+1 < len(pairs); i += 2 {
			f.Set(pairs[i], pairs[i+1])
		}
		return f
	}
}

func jsonBody(s string) func(fx *fixture) any { return func(*fixture) any { return s } }

func ownLogin(fx *fixture) any {
	if fx.email == "" {
		return url.Values{"email": {"viewer@birge.example"}, "password": {"not the password"}}
	}
	return url.Values{"email": {fx.email}, "password": {fx.site.passwords[fx.email]}}
}

func samePassword(fx *fixture) any {
	pw := fx.site.passwords[fx.email]
	return url.Values{"current_password": {pw}, "new_password": {pw}, "new_password_confirm": {pw}}
}

func caseworkerPassword(fx *fixture) any {
	return url.Values{"password": {fx.site.passwords["caseworker@birge.example"]}}
}

func namesForm(f url.Values, n birge.Names) {
	f.Set("name_kk", n.KK)
	f.Set("name_ru", n.RU)
	f.Set("name_ky", n.KY)
	f.Set("name_en", n.EN)
}

func newOrgForm(*fixture) any {
	f := url.Values{"country": {"KZ"}}
	namesForm(f, birge.Names{KK: "Жаңа ұйым", RU: "Новая организация", KY: "Жаңы уюм", EN: "New organisation"})
	return f
}

func newCategoryForm(*fixture) any {
	f := url.Values{"sensitive": {"on"}}
	namesForm(f, birge.Names{KK: "Босқын", RU: "Беженка", KY: "Качкын", EN: "Refugee"})
	return f
}

func newCategoryJSON(*fixture) any {
	return `{"name_kk": "Босқын", "name_ru": "Беженка", "name_ky": "Качкын", "name_en": "Refugee", "sensitive": true}`
}

func newOrgJSON(*fixture) any {
	return `{"name_kk": "Жаңа ұйым", "name_ru": "Новая организация", "name_ky": "Жаңы уюм", "name_en": "New organisation", "country": "KZ"}`
}

func sameOrgForm(fx *fixture) any {
	o := fx.site.org("Family Preservation Centre")
	f := url.Values{"country": {o.Country}, "website": {o.Website}}
	namesForm(f, o.Names)
	return f
}

func centerForm(c birge.Center) url.Values {
	f := url.Values{"org_id": {strconv.FormatInt(c.OrgID, 10)}, "type": {c.Type}, "country": {c.Country},
		"region": {c.Region}, "district": {c.District}, "district_text": {c.District}, "address": {c.Address},
		"phone": {c.Phone}, "time_zone": {c.TimeZone}}
	namesForm(f, c.Names)
	return f
}

func newCenterForm(fx *fixture) any {
	c := fx.site.center("Aktobe family centre")
	c.Names = birge.Names{KK: "Жаңа орталық", RU: "Новый центр", KY: "Жаңы борбор", EN: "New centre"}
	return centerForm(c)
}

func newCenterJSON(fx *fixture) any {
	return fmt.Sprintf(`{"organization_id": %d, "name_kk": "Жаңа орталық", "name_ru": "Новый центр", "name_ky": "Жаңы борбор",
		"name_en": "New centre", "type": "office", "country": "KZ", "region": "KZ15", "time_zone": "Asia/Aqtobe"}`, fx.ids["org:fpc"])
}

func sameCenterForm(key string) func(fx *fixture) any {
	return func(fx *fixture) any {
		c, err := fx.site.st.GetCenter(context.Background(), birge.System("test"), fx.ids[key])
		if err != nil {
			fx.site.t.Fatal(err)
		}
		return centerForm(c)
	}
}

// programFixtures adds a programme in Aktobe with the Aktobe woman taking part, and a
// sensitive one in Mama Pro's Almaty centre with a woman of her own, not yet in it.
func programFixtures(t *testing.T, s *site, fx *fixture) {
	ctx, sys := context.Background(), birge.System("test")
	for key, center := range map[string]string{"aktobe": "Aktobe family centre", "almaty": "Mama Pro Almaty"} {
		c := s.center(center)
		p, err := s.st.Programs.Create(ctx, sys, birge.Program{OrgID: c.OrgID, CenterIDs: []int64{c.ID},
			Names: birge.Names{KK: "Кеңес", RU: "Консультации", KY: "Кеңеш", EN: "Counselling"},
			Kind:  "counselling", Status: "active", StartsOn: "2026-01-01", Sensitive: key == "almaty"})
		if err != nil {
			t.Fatal(err)
		}
		fx.ids["program:"+key] = p.ID
	}
	pt, err := s.st.Programs.AddParticipant(ctx, sys, fx.ids["program:aktobe"], birge.Participant{PersonID: fx.ids["person:aktobe"], JoinedOn: "2026-02-01"})
	if err != nil {
		t.Fatal(err)
	}
	fx.ids["participant:aktobe"] = pt.ID
	in, err := s.st.Indicators.Create(ctx, sys, birge.Indicator{ProgramID: fx.ids["program:aktobe"], Measure: birge.MeasurePeopleReached,
		Target: 20, Names: birge.Names{KK: "Қамтылған әйелдер", RU: "Охвачено женщин", KY: "Камтылган аялдар", EN: "Women reached"}})
	if err != nil {
		t.Fatal(err)
	}
	fx.ids["indicator:aktobe"] = in.ID
	woman, err := s.st.People.Create(ctx, sys, birge.Person{CenterID: s.center("Mama Pro Almaty").ID, GivenName: "Мадина"})
	if err != nil {
		t.Fatal(err)
	}
	fx.ids["person:almaty"] = woman.ID
}

// groupForm ticks the Aktobe woman on a programme's group form.
func groupForm(fx *fixture) any {
	return url.Values{"who_" + fx.id(fx.site.t, "person:aktobe"): {"on"}, "service": {"consultation"},
		"date": {"2026-05-04"}, "quantity": {"1"}, "unit": {"sessions"}}
}

func newProgramForm(fx *fixture) any {
	f := url.Values{"org_id": {fx.id(fx.site.t, "org:fpc")}, "kind": {"training"}, "status": {"planned"},
		"starts_on": {"2026-03-01"}, "ctr_" + fx.id(fx.site.t, "center:aktobe"): {"on"}, "sdg_5.5": {"on"}, "cat_rural": {"on"}}
	namesForm(f, birge.Names{KK: "Көшбасшылық мектебі", RU: "Школа лидерства", KY: "Лидерлик мектеби", EN: "Leadership school"})
	return f
}

func newProgramJSON(fx *fixture) any {
	return fmt.Sprintf(`{"organization_id": %d, "name_kk": "Көшбасшылық мектебі", "name_ru": "Школа лидерства",
		"name_ky": "Лидерлик мектеби", "name_en": "Leadership school", "kind": "leadership", "status": "planned",
		"starts_on": "2026-03-01", "center_ids": [%d], "sdg_targets": ["5.5"], "categories": ["rural"]}`, fx.ids["org:fpc"], fx.ids["center:aktobe"])
}

func participantJSON(key string) func(fx *fixture) any {
	return func(fx *fixture) any {
		return fmt.Sprintf(`{"person_id": %d, "joined_on": "2026-05-01"}`, fx.ids[key])
	}
}

func newUserForm(fx *fixture) any {
	return url.Values{"email": {"new.viewer@birge.example"}, "name": {"Жаңа қызметкер"}, "language": {"kk"},
		"password": {"a long enough password"}, "role": {"viewer"},
		"scope": {"center:" + strconv.FormatInt(fx.ids["center:aktobe"], 10)}}
}

func newUserJSON(fx *fixture) any {
	return fmt.Sprintf(`{"email": "api.viewer@birge.example", "name": "API viewer", "language": "ru",
		"password": "a long enough password", "roles": [{"role": "viewer", "organization_id": %d, "center_id": %d}]}`,
		fx.ids["org:fpc"], fx.ids["center:aktobe"])
}

func sameUserForm(fx *fixture) any {
	u, err := fx.site.st.GetUser(context.Background(), birge.System("test"), fx.ids["user:caseworker"])
	if err != nil {
		fx.site.t.Fatal(err)
	}
	return url.Values{"email": {u.Email}, "name": {u.Name}, "language": {u.Lang}}
}

// routeParam matches a path parameter of a pattern: {id}, {file...}, {$}.
var routeParam = regexp.MustCompile(`\{[^}]*\}`)

// path fills a route pattern's parameters for a case.
func (c authzCase) path(t *testing.T, fx *fixture, pattern string) string {
	_, p, _ := strings.Cut(pattern, " ")
	p = routeParam.ReplaceAllStringFunc(p, func(m string) string {
		name := m[1 : len(m)-1]
		if name == "$" {
			return ""
		}
		key, ok := c.params[name]
		if !ok {
			t.Fatalf("%s: case %q has no value for {%s}", pattern, c.target, name)
		}
		return fx.id(t, key)
	})
	return p + fx.expand(t, c.query)
}

// TestRouteTableCovered fails when the matrix and the route table disagree.
func TestRouteTableCovered(t *testing.T) {
	routes := map[string]bool{}
	for _, rt := range new(Server).Routes() {
		if routes[rt.Pattern] {
			t.Errorf("route %q is listed twice", rt.Pattern)
		}
		routes[rt.Pattern] = true
		cases, ok := authzTable[rt.Pattern]
		if !ok {
			t.Errorf("route %q has no entry in the authorisation matrix (authzTable): add what every role must get", rt.Pattern)
			continue
		}
		if len(cases) == 0 {
			t.Errorf("route %q has an entry without cases", rt.Pattern)
		}
		for _, c := range cases {
			for i, st := range c.want {
				if http.StatusText(st) == "" {
					t.Errorf("route %q, %s: no expected status for %s", rt.Pattern, c.target, roles[i].name)
				}
			}
		}
	}
	for p := range authzTable {
		if !routes[p] {
			t.Errorf("the authorisation matrix has an entry for %q, which is not a route any more", p)
		}
	}
	if os.Getenv("BIRGE_TEST_SHOW_MATRIX") != "" {
		printMatrix(t)
	}
}

func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	for _, db := range testenv.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			t.Parallel()
			for i, role := range roles {
				t.Run(role.name, func(t *testing.T) {
					t.Parallel()
					// Each role gets a database of its own; on PostgreSQL a new one per role.
					d := db
					if db.Name == "postgres" {
						for _, other := range testenv.Databases(t) {
							if other.Name == "postgres" {
								d = other
							}
						}
					} else {
						d.DataDir = t.TempDir()
					}
					runMatrixRole(t, openSite(t, d, Config{}), i)
				})
			}
		})
	}
}

// runMatrixRole sends every case of every route as one role and reports every mismatch.
func runMatrixRole(t *testing.T, s *site, col int) {
	role := roles[col]
	fx := setupFixture(t, s, role.email)
	var apiToken string
	if role.email != "" {
		_, apiToken = s.token(role.email, "matrix")
	}
	var mismatches []string
	for _, rt := range s.srv.Routes() {
		for _, c := range authzTable[rt.Pattern] {
			method, _, _ := strings.Cut(rt.Pattern, " ")
			path := c.path(t, fx, rt.Pattern)
			var body any
			if c.body != nil {
				body = c.body(fx)
				if f, ok := body.(url.Values); ok {
					for k := range f {
						f.Set(k, fx.expand(t, f.Get(k)))
					}
				}
			}
			isAPI := strings.Contains(rt.Pattern, "/api/")
			var client *http.Client
			header := http.Header{}
			switch {
			case role.email == "":
			case isAPI:
				header.Set("Authorization", "Bearer "+apiToken)
			default:
				client = s.login(role.email) // a fresh session for every case
			}
			res := s.do(client, method, path, body, header)
			where := rt.Pattern
			if c.target != "" {
				where += " (" + c.target + ")"
			}
			if w := c.want[col]; res.StatusCode != w {
				detail := ""
				if res.StatusCode >= 300 && res.StatusCode < 400 {
					detail = " → " + res.Header.Get("Location")
				}
				mismatches = append(mismatches, fmt.Sprintf("%-60s %s %s: got %d%s, want %d",
					where, method, path, res.StatusCode, detail, w))
				continue
			}
			// How a request without credentials is refused: a page sends to sign-in and
			// comes back; the API answers with a problem document.
			switch {
			case role.email == "" && rt.Access == Staff:
				if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/login?next=") {
					t.Errorf("%s: anonymous redirected to %q, want /login?next=…", where, loc)
				}
			case role.email == "" && rt.Access == Token:
				if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
					t.Errorf("%s: anonymous got Content-Type %q, want application/problem+json", where, ct)
				}
			}
		}
	}
	checkDeletions(t, fx, col)
	checkMerges(t, fx, col)
	if len(mismatches) > 0 {
		sort.Strings(mismatches)
		t.Errorf("%s: %d of the matrix's statuses differ:\n%s", role.name, len(mismatches), strings.Join(mismatches, "\n"))
	}
}

// printMatrix logs the matrix as a table (BIRGE_TEST_SHOW_MATRIX=1 go test -run RouteTable -v).
func printMatrix(t *testing.T) {
	var keys []string
	for k := range authzTable {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "%-62s", "")
	for _, r := range roles {
		fmt.Fprintf(&b, " %-5.5s", r.name)
	}
	b.WriteString("\n")
	for _, k := range keys {
		for _, c := range authzTable[k] {
			name := k
			if c.target != "" {
				name += " (" + c.target + ")"
			}
			fmt.Fprintf(&b, "%-62.62s", name)
			for _, st := range c.want {
				fmt.Fprintf(&b, " %-5d", st)
			}
			b.WriteString("\n")
		}
	}
	t.Log("\n" + b.String())
}

// checkDeletions looks at the records the deleting cases aimed at: a refused request left
// its record alone, an allowed one removed it.
func checkDeletions(t *testing.T, fx *fixture, col int) {
	ctx := context.Background()
	sys := birge.System("test")
	st := fx.site.st
	centerExists := func(id int64) bool { _, err := st.GetCenter(ctx, sys, id); return err == nil }
	tokenExists := func(owner string) func(id int64) bool {
		return func(id int64) bool {
			if owner == "" {
				return false
			}
			toks, err := st.ListTokens(ctx, &birge.Actor{UserID: fx.site.userID(owner)})
			if err != nil {
				t.Fatal(err)
			}
			for _, tk := range toks {
				if tk.ID == id {
					return true
				}
			}
			return false
		}
	}
	grantExists := func(id int64) bool {
		u, err := st.GetUser(ctx, sys, fx.ids["user:caseworker"])
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range u.Grants {
			if g.ID == id {
				return true
			}
		}
		return false
	}
	relationExists := func(person string) func(id int64) bool {
		return func(id int64) bool {
			p, err := st.People.Get(ctx, sys, fx.ids[person])
			if err != nil {
				t.Fatal(err)
			}
			return slices.ContainsFunc(p.Relations, func(r birge.Relation) bool { return r.ID == id })
		}
	}
	personExists := func(id int64) bool { _, err := st.People.Get(ctx, sys, id); return err == nil }
	deliveryExists := func(id int64) bool { _, err := st.Deliveries.Get(ctx, sys, id); return err == nil }
	outcomeExists := func(id int64) bool { _, err := st.Outcomes.Get(ctx, sys, id); return err == nil }
	for _, d := range []struct {
		pattern, target, key string
		exists               func(int64) bool
	}{
		{"POST /people/{id}/anonymise", "Aktobe", "person:anon-web", personExists},
		{"POST /people/{id}/anonymise", "Bishkek", "person:kg-anon-web", personExists},
		{"DELETE /api/v1/people/{id}", "Aktobe", "person:anon-api", personExists},
		{"DELETE /api/v1/people/{id}", "Bishkek", "person:kg-anon-api", personExists},
		{"POST /centers/{id}/delete", "Aktobe (in use)", "center:aktobe", centerExists},
		{"POST /centers/{id}/delete", "unused FPC centre", "center:spare-web", centerExists},
		{"DELETE /api/v1/centers/{id}", "unused FPC centre", "center:spare-api", centerExists},
		{"POST /account/tokens/{id}/delete", "own token", "token:own-web", tokenExists(fx.email)},
		{"POST /account/tokens/{id}/delete", "admin's token", "token:admin-web", tokenExists("admin@birge.example")},
		{"DELETE /api/v1/tokens/{id}", "own token", "token:own-api", tokenExists(fx.email)},
		{"DELETE /api/v1/tokens/{id}", "admin's token", "token:admin-api", tokenExists("admin@birge.example")},
		{"POST /users/{id}/tokens/{token}/delete", "FPC analyst's token", "token:analyst-web", tokenExists("analyst@birge.example")},
		{"DELETE /api/v1/users/{id}/tokens/{token}", "FPC analyst's token", "token:analyst-api", tokenExists("analyst@birge.example")},
		{"POST /users/{id}/roles/{grant}/delete", "Kargaly caseworker's extra role", "grant:extra", grantExists},
		{"POST /people/{id}/relations/{relation}/delete", "Aktobe", "relation:aktobe", relationExists("person:aktobe")},
		{"POST /people/{id}/relations/{relation}/delete", "Bishkek", "relation:kg", relationExists("person:kg")},
		{"DELETE /api/v1/people/{id}/relations/{relation}", "Aktobe", "relation:aktobe-api", relationExists("person:aktobe")},
		{"DELETE /api/v1/people/{id}/relations/{relation}", "Bishkek", "relation:kg-api", relationExists("person:kg")},
		{"POST /people/{id}/deliveries/{delivery}/delete", "Aktobe", "delivery:aktobe-web", deliveryExists},
		{"POST /people/{id}/deliveries/{delivery}/delete", "Bishkek", "delivery:kg-web", deliveryExists},
		{"DELETE /api/v1/deliveries/{id}", "Aktobe", "delivery:aktobe-api", deliveryExists},
		{"DELETE /api/v1/deliveries/{id}", "Bishkek", "delivery:kg-api", deliveryExists},
		{"POST /people/{id}/outcomes/{outcome}/delete", "Aktobe", "outcome:aktobe-web", outcomeExists},
		{"POST /people/{id}/outcomes/{outcome}/delete", "Bishkek", "outcome:kg-web", outcomeExists},
		{"DELETE /api/v1/outcomes/{id}", "Aktobe", "outcome:aktobe-api", outcomeExists},
		{"DELETE /api/v1/outcomes/{id}", "Bishkek", "outcome:kg-api", outcomeExists},
	} {
		var status int
		for _, c := range authzTable[d.pattern] {
			if c.target == d.target {
				status = c.want[col]
			}
		}
		if status == 0 {
			t.Fatalf("no case %s (%s)", d.pattern, d.target)
		}
		deleted := fx.email != "" && (status == http.StatusNoContent || status == http.StatusSeeOther)
		if fx.email == "" && strings.HasPrefix(d.key, "token:own") {
			continue // anonymous has no tokens
		}
		if got := !d.exists(fx.ids[d.key]); got != deleted {
			t.Errorf("%s (%s) answered %d, but the record was deleted: %v", d.pattern, d.target, status, got)
		}
	}
}

// importUpload is a one-row file for the Aktobe centre, as a dry run where the API is asked.
func importUpload(fx *fixture) any {
	return upload{fields: map[string]string{"center_id": strconv.FormatInt(fx.ids["center:aktobe"], 10), "dry_run": "true"},
		name: "people.csv", content: []byte("Фамилия;Имя\nСейітова;Гүлнар\n")}
}

func newPersonForm(fx *fixture) any {
	return url.Values{"center_id": {fx.id(fx.site.t, "center:aktobe")}, "family_name": {"Серікова"},
		"given_name": {"Гүлнар"}, "phones": {"8 701 555 44 33"}, "not_duplicate": {"1"}}
}

// aktobePersonForm sends back the masked IIN, as the edit form does, which keeps it.
func aktobePersonForm(fx *fixture) any {
	return url.Values{"center_id": {fx.id(fx.site.t, "center:aktobe")}, "family_name": {"Жұмабаева"},
		"given_name": {"Айжан"}, "iin": {"8503••••1231"}}
}

func kgPersonForm(fx *fixture) any {
	return url.Values{"center_id": {fx.id(fx.site.t, "center:bishkek")}, "given_name": {"Айнура"}, "phones": {"0555 123 456"}}
}

// relationJSON links a person to the fixture person other.
func relationJSON(kind, other string) func(fx *fixture) any {
	return func(fx *fixture) any {
		return fmt.Sprintf(`{"kind": %q, "other_id": %s}`, kind, fx.id(fx.site.t, other))
	}
}

func newPersonJSON(fx *fixture) any {
	return fmt.Sprintf(`{"center_id": %s, "family_name": "Серікова", "given_name": "Гүлнар", "phones": ["8 701 555 44 33"]}`,
		fx.id(fx.site.t, "center:aktobe"))
}
