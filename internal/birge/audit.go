package birge

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash"
	"strconv"
	"time"
)

// AuditEntry is one line of the append-only audit log. Entries form one chain per
// organisation (Chain is its id; 0 for the installation's own entries, such as a user
// with no organisation signing in), numbered from 1 by ChainSeq. Hash is a keyed hash
// (HMAC-SHA256 under the installation's audit key, kept in the data folder, not in the
// database) over the entry and PrevHash, the hash of the entry before it in its chain, so
// that editing, deleting or reordering history breaks the chain, and someone holding only
// the database cannot recompute it (birge audit verify; decision 0013). Seq numbers
// every entry of the installation in the order written, for reading the log.
//
// Entries written before the chains were keyed (migration 0015) have ChainSeq 0 and form
// one unkeyed SHA-256 chain by Seq (LegacyHash), pinned by the installation chain's first
// entry.
type AuditEntry struct {
	Seq      int64             `json:"seq"`
	Chain    int64             `json:"chain"`
	ChainSeq int64             `json:"chain_seq,omitempty"`
	At       time.Time         `json:"at"`
	ActorID  int64             `json:"actor_id,omitempty"`
	Actor    string            `json:"actor"`
	Action   AuditAction       `json:"action"` // one of AuditActions
	Entity   AuditEntity       `json:"entity"` // one of AuditEntities
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

// ChangesText is how an entry's changes are stored, and what its hash covers: "" when
// there are none (nil or empty alike), else their JSON with the keys sorted.
func ChangesText(changes map[string]Change) (string, error) {
	if len(changes) == 0 {
		return "", nil
	}
	b, err := json.Marshal(changes)
	return string(b), err
}

// Sign returns the entry's keyed hash under key, over every field but Hash, with the
// changes as stored (ChangesText), so that what is verified is exactly what the database
// holds: a person's sealed values, which stay verifiable after her key is destroyed. The
// time is hashed at microsecond precision in UTC: what both databases store exactly.
func (e *AuditEntry) Sign(key []byte, changes string) string {
	h := hmac.New(sha256.New, key)
	e.write(h, strconv.FormatInt(e.Chain, 10), strconv.FormatInt(e.ChainSeq, 10), changes)
	return hex.EncodeToString(h.Sum(nil))
}

// LegacyHash returns the unkeyed SHA-256 an entry written before migration 0015 carries,
// as it was computed then: the changes were marshalled from the map, so an empty but
// non-nil map (a person's entry with nothing to seal, such as a dossier export) was
// hashed as "{}" although stored as "". Both readings are accepted for an entry stored
// without changes; they name the same content, so accepting both hides nothing.
func (e *AuditEntry) LegacyHash() (hash, alt string) {
	changes, _ := json.Marshal(e.Changes) // map keys are sorted: the encoding is stable
	h := sha256.New()
	e.write(h, string(changes))
	hash = hex.EncodeToString(h.Sum(nil))
	if len(e.Changes) == 0 {
		h.Reset()
		e.write(h, "{}")
		alt = hex.EncodeToString(h.Sum(nil))
	}
	return hash, alt
}

// write feeds the entry's fields to h, each with a length prefix so that no two field
// lists collide: first the extra fields (a keyed entry's chain and number), then those
// every entry has, with its changes as given.
func (e *AuditEntry) write(h hash.Hash, extra ...string) {
	changes := extra[len(extra)-1]
	fields := append(extra[:len(extra)-1:len(extra)-1],
		strconv.FormatInt(e.Seq, 10),
		e.At.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano),
		strconv.FormatInt(e.ActorID, 10), e.Actor, string(e.Action), string(e.Entity),
		strconv.FormatInt(e.EntityID, 10), strconv.FormatInt(e.OrgID, 10),
		strconv.FormatInt(e.CenterID, 10), e.IP, changes, e.PrevHash)
	for _, s := range fields {
		h.Write([]byte(strconv.Itoa(len(s))))
		h.Write([]byte{':'})
		h.Write([]byte(s))
	}
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
		// A secret with no value on either side did not change: recorded, a record
		// created without an IIN would read as one whose IIN changed.
		if jsonEqual(b, a) || (hidden[k] && blank(b) && blank(a)) {
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

// blank reports whether a field's value is absent or empty text.
func blank(v any) bool { return v == nil || v == "" }

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
