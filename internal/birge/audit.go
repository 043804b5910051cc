package birge

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"
)

// AuditEntry is one line of the append-only audit log. Hash chains the entry to the one
// before it, so that editing or deleting history breaks the chain (birge audit verify).
type AuditEntry struct {
	Seq      int64             `json:"seq"`
	At       time.Time         `json:"at"`
	ActorID  int64             `json:"actor_id,omitempty"`
	Actor    string            `json:"actor"`
	Action   string            `json:"action"` // create, update, delete, login, login_failed, grant, revoke, …
	Entity   string            `json:"entity"` // organization, center, user, session, token
	EntityID int64             `json:"entity_id,omitempty"`
	OrgID    int64             `json:"organization_id,omitempty"`
	CenterID int64             `json:"center_id,omitempty"`
	IP       string            `json:"ip,omitempty"`
	Changes  map[string]Change `json:"changes,omitempty"`
	PrevHash string            `json:"prev_hash"`
	Hash     string            `json:"hash"`
}

// Change is the before and after of one field. Sensitive fields (passwords, tokens)
// are recorded as changed with both sides left empty.
type Change struct {
	Before any `json:"before,omitempty"`
	After  any `json:"after,omitempty"`
}

// Erased stands, when the audit log is read, for a value about a person that was sealed
// with her data key, destroyed when she was anonymised: the entry still says which field
// changed, when and by whom, but no longer what it held.
type Erased struct{}

// ComputeHash returns the entry's chained hash over every field but Hash itself. The
// time is hashed at microsecond precision in UTC: what both databases store exactly.
func (e *AuditEntry) ComputeHash() string {
	changes, _ := json.Marshal(e.Changes) // map keys are sorted: the encoding is stable
	h := sha256.New()
	for _, s := range []string{
		strconv.FormatInt(e.Seq, 10),
		e.At.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano),
		strconv.FormatInt(e.ActorID, 10), e.Actor, e.Action, e.Entity,
		strconv.FormatInt(e.EntityID, 10), strconv.FormatInt(e.OrgID, 10),
		strconv.FormatInt(e.CenterID, 10), e.IP, string(changes), e.PrevHash,
	} {
		h.Write([]byte(strconv.Itoa(len(s)))) // length prefix: no two field lists collide
		h.Write([]byte{':'})
		h.Write([]byte(s))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Diff returns the changed fields between two flat maps of a record's fields.
// Fields named in secret are recorded as changed without their values.
func Diff(before, after map[string]any, secret ...string) map[string]Change {
	out := map[string]Change{}
	hidden := map[string]bool{}
	for _, s := range secret {
		hidden[s] = true
	}
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	for k := range keys {
		b, a := before[k], after[k]
		if jsonEqual(b, a) {
			continue
		}
		if hidden[k] {
			out[k] = Change{}
		} else {
			out[k] = Change{Before: b, After: a}
		}
	}
	return out
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
