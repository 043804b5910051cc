package birge

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// PasswordCost holds the argon2id parameters for new hashes. 64 MiB and 3 passes cost
// about 100 ms on the 2-core reference machine, so each guess is expensive; see
// docs/decisions/0003-passwords.md. Each hash records its own parameters, so raising the
// cost later leaves old hashes valid. Tests lower it with FastPasswordsForTests.
var PasswordCost = struct {
	Time, Memory uint32
	Threads      uint8
}{Time: 3, Memory: 64 * 1024, Threads: 2}

const (
	argonKeyLen = 32
	MinPassword = 10
)

// FastPasswordsForTests makes hashing cheap, for test binaries that create many users.
func FastPasswordsForTests() {
	PasswordCost.Time, PasswordCost.Memory, PasswordCost.Threads = 1, 1024, 1
}

// hashing is a semaphore: each check holds 64 MiB, so a burst of sign-ins must queue
// rather than exhaust memory.
var hashing = make(chan struct{}, max(1, runtime.NumCPU()))

// CheckPassword enforces the password rule: long enough, and text a person can type again.
func CheckPassword(pw string) string {
	if !utf8.ValidString(pw) || strings.ContainsRune(pw, 0) {
		return "field.invalid_chars"
	}
	if utf8.RuneCountInString(pw) < MinPassword {
		return "password.too_short"
	}
	if len(pw) > 1024 {
		return "field.too_long"
	}
	return ""
}

// HashPassword returns an encoded argon2id hash in the PHC string format.
func HashPassword(pw string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	c := PasswordCost
	key := derive(pw, salt, c.Time, c.Memory, c.Threads)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		c.Memory, c.Time, c.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// VerifyPassword reports whether pw matches an encoded hash. An empty hash (an account
// that has never set a password) matches nothing, but still costs a full check so that
// timing does not reveal which accounts exist.
func VerifyPassword(pw, encoded string) bool {
	var m, t uint32
	var p uint8
	var saltB64, keyB64 string
	parts := strings.Split(encoded, "$")
	ok := len(parts) == 6 && parts[1] == "argon2id"
	if ok {
		_, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p)
		saltB64, keyB64 = parts[4], parts[5]
		ok = err == nil
	}
	if !ok {
		c := PasswordCost
		derive(pw, []byte("birge-dummy-salt"), c.Time, c.Memory, c.Threads)
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(saltB64)
	want, err2 := b64.DecodeString(keyB64)
	if err1 != nil || err2 != nil {
		return false
	}
	got := derive(pw, salt, t, m, p)
	return subtle.ConstantTimeCompare(got, want) == 1
}

func derive(pw string, salt []byte, t, m uint32, p uint8) []byte {
	hashing <- struct{}{}
	defer func() { <-hashing }()
	return argon2.IDKey([]byte(pw), salt, t, m, p, argonKeyLen)
}
