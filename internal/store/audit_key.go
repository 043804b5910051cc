package store

import (
	"crypto/hkdf"
	"crypto/sha256"
)

// auditKeyFile holds the key the audit chains are signed with, beside the master key and
// like it never in the database: someone who can write the database but not read the
// data folder cannot recompute a chain after editing it (decision 0013). Losing it makes
// the chains unverifiable (not the data unreadable); docs/operations.md says to back it
// up with the master key.
const auditKeyFile = "keys/audit.key"

// auditKeys are the two keys derived from the audit key: one for entries, one for
// checkpoints, so that an entry's hash can never pass for a checkpoint's signature.
type auditKeys struct {
	chain      []byte
	checkpoint []byte
}

// loadAuditKeys reads the audit key from dataDir, creating it on first start.
func loadAuditKeys(dataDir string) (*auditKeys, error) {
	key, err := loadKey(dataDir, auditKeyFile, "audit key")
	if err != nil {
		return nil, err
	}
	chain, err := hkdf.Key(sha256.New, key, nil, "birge audit chain", 32)
	if err != nil {
		return nil, err
	}
	checkpoint, err := hkdf.Key(sha256.New, key, nil, "birge audit checkpoint", 32)
	if err != nil {
		return nil, err
	}
	return &auditKeys{chain: chain, checkpoint: checkpoint}, nil
}
