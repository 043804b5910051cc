package store

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// sealer encrypts the fields the law and the survivors' safety require us to keep
// unreadable in the database and its backups (identity numbers, sensitive categories),
// and computes keyed hashes to find a record by such a field without decrypting all.
type sealer struct {
	aead  cipher.AEAD
	mac   []byte     // HMAC key for look-up hashes
	audit *auditKeys // the audit chains' keys, from their own file (audit_key.go)
}

// keyFile is where the installation's master key lives, inside the data folder. Losing
// it makes every sealed field unreadable: docs/operations.md says to back it up apart
// from the database.
const keyFile = "keys/birge.key"

// loadSealer reads the master key from dataDir, creating it on first start. Two keys are
// derived from it, so that the look-up hash reveals nothing about the encryption key. The
// audit key beside it is read (or created) here too: both are the data folder's keys.
func loadSealer(dataDir string) (*sealer, error) {
	master, err := loadKey(dataDir, keyFile, "master key")
	if err != nil {
		return nil, err
	}
	encKey, err := hkdf.Key(sha256.New, master, nil, "birge field encryption", 32)
	if err != nil {
		return nil, err
	}
	macKey, err := hkdf.Key(sha256.New, master, nil, "birge look-up hash", 32)
	if err != nil {
		return nil, err
	}
	aead, err := newAEAD(encKey)
	if err != nil {
		return nil, err
	}
	audit, err := loadAuditKeys(dataDir)
	if err != nil {
		return nil, err
	}
	return &sealer{aead: aead, mac: macKey, audit: audit}, nil
}

// missingKeys lists the key files not in dataDir yet: loadSealer creates them.
func missingKeys(dataDir string) []string {
	var out []string
	for _, file := range []string{keyFile, auditKeyFile} {
		if _, err := os.Stat(filepath.Join(dataDir, file)); errors.Is(err, os.ErrNotExist) {
			out = append(out, file)
		}
	}
	return out
}

// keysBelong refuses keys made just now for a database that was written with others: a
// second instance started without the first's keys, a lost key file, or a command given
// the wrong --data. A new master key cannot open what the old one sealed, and a new audit
// key would sign the chains anew, so that the log could never be verified again. The keys
// made are removed, so that the next start asks again.
func keysBelong(ctx context.Context, db *sql.DB, dataDir string, created []string) error {
	// What shows that a key was used: any audit entry for the master key (the setup and
	// the demo write some before anything is sealed), a keyed chain for the audit key. A
	// table not there yet (a new or an old database) shows nothing.
	used := map[string]string{keyFile: `SELECT COUNT(*) FROM audit_log`, auditKeyFile: `SELECT COUNT(*) FROM audit_chains`}
	for _, file := range created {
		var n int
		if db.QueryRowContext(ctx, used[file]).Scan(&n) != nil || n == 0 {
			continue
		}
		for _, f := range created {
			os.Remove(filepath.Join(dataDir, f))
		}
		return fmt.Errorf("%s is not in %s, but this database was written with one: copy it there from your backup or from the first instance's data folder (docs/operations.md, keys)",
			file, dataDir)
	}
	return nil
}

// newAEAD is AES-256-GCM with a 32-byte key: the master's derived key or a person's key.
func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// loadKey reads a key of 32 bytes kept in base64 in dataDir/file, creating it on first
// start; what names it in errors.
func loadKey(dataDir, file, what string) ([]byte, error) {
	path := filepath.Join(dataDir, file)
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		raw, err = createKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(raw)))
	if err != nil || len(key) != 32 {
		return nil, fmt.Errorf("%s %s: not 32 bytes of base64", what, path)
	}
	return key, nil
}

func createKey(path string) ([]byte, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	key := make([]byte, 32)
	rand.Read(key)
	raw := []byte(base64.StdEncoding.EncodeToString(key) + "\n")
	// O_EXCL: of two instances starting at once on a shared folder, one writes the key and
	// the other reads it, never two different keys.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return os.ReadFile(path)
	}
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(raw); err != nil {
		f.Close()
		return nil, err
	}
	return raw, f.Close()
}

// seal encrypts plain with the master key; the empty string stays empty, so "not
// recorded" needs no key.
func (s *sealer) seal(plain string) string { return sealWith(s.aead, plain) }

// open decrypts what seal produced.
func (s *sealer) open(sealed string) (string, error) { return openWith(s.aead, sealed) }

// sealWith encrypts plain with a random nonce, as base64 text.
func sealWith(aead cipher.AEAD, plain string) string {
	if plain == "" {
		return ""
	}
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	return base64.StdEncoding.EncodeToString(aead.Seal(nonce, nonce, []byte(plain), nil))
}

// openWith decrypts what sealWith produced with the same key.
func openWith(aead cipher.AEAD, sealed string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	b, err := base64.StdEncoding.DecodeString(sealed)
	n := aead.NonceSize()
	if err != nil || len(b) < n {
		return "", errors.New("sealed field is damaged")
	}
	plain, err := aead.Open(nil, b[:n], b[n:], nil)
	if err != nil {
		return "", errors.New("sealed field does not open with this key")
	}
	return string(plain), nil
}

// lookup is the keyed hash of a value, to find records by it; "" for no value.
func (s *sealer) lookup(kind, value string) string {
	if value == "" {
		return ""
	}
	h := hmac.New(sha256.New, s.mac)
	h.Write([]byte(kind + ":" + value))
	return base64.RawStdEncoding.EncodeToString(h.Sum(nil))
}
