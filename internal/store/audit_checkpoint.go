package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Checkpoint is where every audit chain ended at one moment, signed with the audit key.
// An administrator keeps it away from the database (birge audit checkpoint); verifying
// against it later catches what the chains alone cannot: a chain cut back to an earlier
// entry together with its head, or emptied, or rewritten from the start by someone who
// holds the audit key too. Its signature means that someone holding only the database
// cannot make one.
type Checkpoint struct {
	Format    string      `json:"format"`
	MadeAt    time.Time   `json:"made_at"`
	Breaks    int         `json:"breaks"` // breaks the log had when it was made; 0 for an intact log
	Chains    []ChainHead `json:"chains"`
	Signature string      `json:"signature"`
}

const checkpointFormat = "birge audit checkpoint 1"

// MakeCheckpoint verifies the log and records where each chain ends, signed. A log with
// breaks gets a checkpoint too, saying how many: refusing would leave an installation
// whose old entries were damaged without any protection from now on.
func (s *Store) MakeCheckpoint(ctx context.Context) (Checkpoint, AuditReport, error) {
	r, err := s.CheckAudit(ctx, nil)
	if err != nil {
		return Checkpoint{}, r, err
	}
	cp := Checkpoint{Format: checkpointFormat, MadeAt: s.now(), Breaks: len(r.Breaks) + r.More, Chains: r.Chains}
	cp.Signature = s.signCheckpoint(cp)
	return cp, r, nil
}

// ReadCheckpoint reads a checkpoint file and checks its signature with this
// installation's audit key.
func (s *Store) ReadCheckpoint(r io.Reader) (*Checkpoint, error) {
	var cp Checkpoint
	dec := json.NewDecoder(io.LimitReader(r, 16<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cp); err != nil || cp.Format != checkpointFormat {
		return nil, errors.New("not a Birge audit checkpoint")
	}
	want := s.signCheckpoint(cp)
	if !hmac.Equal([]byte(want), []byte(cp.Signature)) {
		return nil, errors.New("the checkpoint's signature is wrong: it was changed, or made by another installation (another audit key)")
	}
	return &cp, nil
}

// signCheckpoint is the HMAC of a checkpoint's fields, written out one per line so that
// the signature does not depend on how the JSON was formatted.
func (s *Store) signCheckpoint(cp Checkpoint) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s\n%d\n", cp.Format, cp.MadeAt.UTC().Format(time.RFC3339Nano), cp.Breaks)
	for _, h := range cp.Chains {
		b.WriteString(strconv.FormatInt(h.Chain, 10) + " " + strconv.FormatInt(h.Seq, 10) + " " + h.Hash + "\n")
	}
	m := hmac.New(sha256.New, s.seal.audit.checkpoint)
	m.Write([]byte(b.String()))
	return hex.EncodeToString(m.Sum(nil))
}

// chains is the checkpoint's chains, none for no checkpoint.
func (cp *Checkpoint) chains() []ChainHead {
	if cp == nil {
		return nil
	}
	return cp.Chains
}
