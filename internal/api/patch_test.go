package api

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/birge"
)

// patchBodies are the update types of the API's PATCH routes, by path.
var patchBodies = map[string]any{
	"/api/v1/me":                 preferencesUpdate{},
	"/api/v1/organizations/{id}": orgUpdate{},
	"/api/v1/organizations/{id}/categories/{category}": categoryUpdate{},
	"/api/v1/centers/{id}":                             centerUpdate{},
	"/api/v1/users/{id}":                               userUpdate{},
	"/api/v1/people/{id}":                              personUpdate{},
	"/api/v1/programs/{id}":                            programUpdate{},
	"/api/v1/deliveries/{id}":                          deliveryUpdate{},
	"/api/v1/funding/{id}":                             fundingUpdate{},
	"/api/v1/cases/{id}":                               caseUpdate{},
	"/api/v1/sessions/{id}":                            sessionUpdate{},
	"/api/v1/outcomes/{id}":                            outcomeUpdate{},
	"/api/v1/referrals/{id}":                           referralUpdate{},
	"/api/v1/calls/{id}":                               callUpdate{},
	"/api/v1/courses/{id}":                             courseUpdate{},
	"/api/v1/cohorts/{id}":                             cohortUpdate{},
	"/api/v1/enrollments/{id}":                         enrollmentUpdate{},
	"/api/v1/training-sessions/{id}":                   trainingSessionUpdate{},
}

// TestPatchBodiesDocumented: each PATCH in openapi.json takes a body schema of its own
// that lists exactly the fields its update type writes, refuses any other
// (additionalProperties false), and documents the 422 and the 409 of If-Match.
func TestPatchBodiesDocumented(t *testing.T) {
	type operation struct {
		RequestBody struct {
			Content map[string]struct {
				Schema struct {
					Ref string `json:"$ref"`
				} `json:"schema"`
			} `json:"content"`
		} `json:"requestBody"`
		Responses map[string]any `json:"responses"`
	}
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]struct {
				Properties           map[string]any  `json:"properties"`
				AdditionalProperties json.RawMessage `json:"additionalProperties"` // false, or a schema of the values
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	documented := 0
	for path, item := range doc.Paths {
		raw, ok := item["patch"]
		if !ok {
			continue
		}
		var op operation
		if err := json.Unmarshal(raw, &op); err != nil {
			t.Fatal(err)
		}
		documented++
		body, ok := patchBodies[path]
		if !ok {
			t.Errorf("PATCH %s has no update type in patchBodies", path)
			continue
		}
		ref := op.RequestBody.Content["application/json"].Schema.Ref
		schema, ok := doc.Components.Schemas[strings.TrimPrefix(ref, "#/components/schemas/")]
		if !ok {
			t.Errorf("PATCH %s: request body %q is not a schema of the document", path, ref)
			continue
		}
		want := slices.Sorted(maps.Keys(jsonFields(reflect.TypeOf(body))))
		if got := slices.Sorted(maps.Keys(schema.Properties)); !slices.Equal(got, want) {
			t.Errorf("PATCH %s: %s documents %v, the update writes %v", path, ref, got, want)
		}
		if string(schema.AdditionalProperties) != "false" {
			t.Errorf("PATCH %s: %s does not refuse other fields (additionalProperties false)", path, ref)
		}
		for _, status := range []string{"200", "409", "422"} {
			if op.Responses[status] == nil {
				t.Errorf("PATCH %s: %s is not documented", path, status)
			}
		}
	}
	if documented != len(patchBodies) {
		t.Errorf("openapi.json documents %d PATCH routes, patchBodies has %d", documented, len(patchBodies))
	}
}

// TestDecodeUpdate: what a PATCH body may hold, field by field.
func TestDecodeUpdate(t *testing.T) {
	for _, c := range []struct {
		body string
		want map[string]string // field: message key; nil when accepted
	}{
		{`{}`, nil},
		{`{"name_en": "Aktobe", "phone": null, "address": ""}`, nil},
		{`{"id": 3, "created_at": "yesterday", "organization_id": null}`,
			map[string]string{"id": "field.read_only", "created_at": "field.read_only", "organization_id": "field.read_only"}},
		{`{"Name_EN": "x", "nmae_en": "x"}`, map[string]string{"Name_EN": "field.unknown", "nmae_en": "field.unknown"}},
		{`{"name_en": 5, "phone": ["x"]}`, map[string]string{"name_en": "field.type", "phone": "field.type"}},
	} {
		var u centerUpdate
		err := decodeUpdate([]byte(c.body), &u, reflect.TypeFor[birge.Center]())
		got := problemsOf(err)
		if !maps.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.body, got, c.want)
		}
	}
	var u personUpdate
	if err := decodeUpdate([]byte(`{"children": null, "phones": null, "patronymic": null, "rural": true}`), &u, reflect.TypeFor[birge.Person]()); err != nil {
		t.Fatal(err)
	}
	if u.Children == nil || *u.Children != nil || u.Phones == nil || *u.Phones != nil || u.Patronymic == nil || *u.Patronymic != "" ||
		u.Rural == nil || !*u.Rural || u.FamilyName != nil {
		t.Errorf("null should clear children, phones and patronymic and leave family_name out: %+v", u)
	}
	if got := problemsOf(decodeUpdate([]byte(`{"rural": null, "center_id": null}`), &u, reflect.TypeFor[birge.Person]())); !maps.Equal(got,
		map[string]string{"rural": "field.not_null", "center_id": "field.not_null"}) {
		t.Errorf("null on a yes/no and an id: %v, want both refused", got)
	}
	for _, body := range []string{`{"name_en": `, `[]`, `null`, `"x"`, `{} {}`} {
		if e := decodeUpdate([]byte(body), &centerUpdate{}, reflect.TypeFor[birge.Center]()); e == nil || Status(e) != 400 {
			t.Errorf("%s: %v, want 400", body, e)
		}
	}
}

// problemsOf is the message key of each field an error names; nil for no error.
func problemsOf(err error) map[string]string {
	if err == nil {
		return nil
	}
	return birge.AsError(err).Fields
}

// TestUpdatesApplyEveryField: each update type lays every field it decodes over its
// record; a field decoded but forgotten in apply would be accepted and silently dropped.
func TestUpdatesApplyEveryField(t *testing.T) {
	for name, made := range map[string]func() (any, any){
		"person":      filled[birge.Person, personUpdate],
		"center":      filled[birge.Center, centerUpdate],
		"org":         filled[birge.Organization, orgUpdate],
		"category":    filled[birge.Category, categoryUpdate],
		"user":        filled[birge.User, userUpdate],
		"preferences": filled[birge.User, preferencesUpdate],
	} {
		u, rec := made()
		b, err := json.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]any
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		for field := range jsonFields(reflect.TypeOf(u)) {
			if v := got[field]; v == nil || v == "" || v == false || v == 0.0 {
				t.Errorf("%s: %s is decoded but not applied: the record has %v", name, field, v)
			}
		}
	}
}

// filled is an update of record T with every field set to a value other than the empty
// one, and a record it was applied to.
func filled[T any, U any, PU interface {
	*U
	update[T]
}]() (any, any) {
	var u U
	v := reflect.ValueOf(&u).Elem()
	for _, f := range reflect.VisibleFields(v.Type()) {
		if !f.Anonymous {
			setNonEmpty(v.FieldByIndex(f.Index))
		}
	}
	var rec T
	PU(&u).apply(&rec)
	return u, rec
}

func setNonEmpty(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		setNonEmpty(v.Elem())
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		setNonEmpty(v.Index(0))
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(7)
	}
}
