package birge

import "testing"

// An entry finds its person by its entity id, or by a field of its changes as written
// (int64) and as read back from JSON (float64); an entity about no one names no one.
func TestAuditEntityPersonOf(t *testing.T) {
	about := AuditEntityKind{Entity: "case", Person: "person_id", Fields: map[string]AuditField{"person_id": {Kept: true}}}
	for _, c := range []struct {
		kind    AuditEntityKind
		changes map[string]Change
		want    int64
	}{
		{EntityPerson.Kind(), nil, 7},
		{EntityUser.Kind(), map[string]Change{"person_id": {After: int64(5)}}, 0},
		{about, map[string]Change{"person_id": {After: int64(5)}}, 5},
		{about, map[string]Change{"person_id": {Before: float64(6)}}, 6},
		{about, map[string]Change{"kind": {After: "x"}}, 0},
	} {
		if got := c.kind.PersonOf(7, c.changes); got != c.want {
			t.Errorf("%s %v: person %d, want %d", c.kind.Entity, c.changes, got, c.want)
		}
	}
	if EntityPerson.Kind().Kept("given_name") || !EntityPerson.Kind().Kept("center_id") || EntityUser.Kind().Kept("kind") {
		t.Error("kept fields are not the entity's own")
	}
}
