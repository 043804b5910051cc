package store

import (
	"testing"
)

// BenchmarkOpenIdentity measures what masking a number when it is read costs a row: one
// opening of the sealed number.
func BenchmarkOpenIdentity(b *testing.B) {
	s := &Store{}
	var err error
	if s.seal, err = loadSealer(b.TempDir()); err != nil {
		b.Fatal(err)
	}
	r := personRow{idKind: "iin", idSealed: s.seal.seal("850315401231")}
	for b.Loop() {
		if iin, _, err := s.People.openIdentity(r, false); err != nil || iin != "8503••••1231" {
			b.Fatal(iin, err)
		}
	}
}
