package store

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/birge-org/birge/internal/birge"
)

// What a copy of the database reveals without the master key (decision 0014): names,
// birth dates, sex and places are in the clear, because search, duplicates and reports
// need them; the identity number and the sensitive categories are not, and nothing in a
// survivor's rows tells them from another woman's. So:
//
//   - the masked number (8503••••1231) is computed when the record is read, from the
//     opened number: stored, its last digits were enough to recover the whole IIN from
//     the birth date and sex beside it;
//   - every record holds a sealed list of sensitive categories, empty or not, padded to
//     the same length, so that neither its presence nor its size marks her;
//   - the audit entries about a record's fields say whether her sensitive categories
//     changed in a sealed marker of fixed length that every such entry carries;
//   - every opening of a record goes to the access log, not only hers.

// sensitivePad is the length a sealed list of sensitive categories is padded to, in
// bytes of JSON: ["dv_survivor"] is 15, and a list longer than this (four long codes)
// takes the next multiple, which only an organisation with that many sensitive
// categories would ever see.
const sensitivePad = 64

// sealSensitive seals a person's sensitive category codes, an empty list too, padded
// with spaces (which JSON ignores) so that every record's sealed value has one length.
func (people *People) sealSensitive(codes []string) string {
	if codes == nil {
		codes = []string{}
	}
	b, _ := json.Marshal(codes)
	return people.s.seal.seal(padJSON(b, sensitivePad))
}

// padJSON pads a JSON text with spaces to a multiple of size bytes.
func padJSON(b []byte, size int) string {
	n := (len(b) + size - 1) / size * size
	return string(b) + strings.Repeat(" ", n-len(b))
}

// openSensitive opens what sealSensitive sealed: nil for an empty list, and for ""
// (records written before migration 0016 that had none).
func (people *People) openSensitive(sealed string) ([]string, error) {
	plain, err := people.s.seal.open(sealed)
	if err != nil || plain == "" {
		return nil, err
	}
	var codes []string
	if err := json.Unmarshal([]byte(plain), &codes); err != nil || len(codes) == 0 {
		return nil, err
	}
	return codes, nil
}

// openIdentity opens a person's identity number and returns it as her IIN or her PIN,
// masked (8503••••1231) unless full is asked for.
func (people *People) openIdentity(r personRow, full bool) (iin, pin string, err error) {
	number, err := people.s.seal.open(r.idSealed)
	if err != nil || number == "" {
		return "", "", err
	}
	if !full {
		number = birge.Identity{Number: number}.Masked()
	}
	iin, pin = identityOf(r.idKind, number)
	return iin, pin, nil
}

// sealSnapshot seals a whole person (wholePerson's form) for a merge's undo. The JSON is
// padded to its length without the sensitive categories plus sensitivePad, so that its
// sealed length, compared with what the record shows in the clear, does not tell that
// she holds one.
func (people *People) sealSnapshot(ctx context.Context, c q, p birge.Person) (string, error) {
	full, err := json.Marshal(p)
	if err != nil {
		return "", err
	}
	plain, _, err := people.splitWhole(ctx, c, p)
	if err != nil {
		return "", err
	}
	bare := p
	bare.Categories = plain
	b, err := json.Marshal(bare)
	if err != nil {
		return "", err
	}
	// What her sensitive categories add, rounded up to whole blocks, at least one.
	n := len(b) + (1+(len(full)-len(b))/sensitivePad)*sensitivePad
	return people.s.seal.seal(string(full) + strings.Repeat(" ", n-len(full))), nil
}

// sensitiveField is the audit field that records a change to a person's sensitive
// categories, never with their values.
const sensitiveField = "sensitive_categories"

// personDiff is the audit entry's changes from one state of a person's fields
// (personFields) to another: identity numbers and sensitive categories recorded as
// changed without their values, and the sensitive categories' change, or its absence,
// as a marker sealed with the master key that every such entry carries. A bare field
// name present only when they changed marked the entries of survivors.
func (people *People) personDiff(before, after map[string]any) map[string]birge.Change {
	changes := birge.Diff(before, after, personSecrets...)
	_, changed := changes[sensitiveField]
	mark := markSame
	if changed {
		mark = markChanged
	}
	changes[sensitiveField] = birge.Change{After: people.s.seal.seal(mark)}
	return changes
}

// The two markers have one length, so that their sealed texts have one length too.
const (
	markChanged = "changed"
	markSame    = "same   "
)

// resolveSensitiveMark turns the marker of personDiff back into what the audit log
// shows: the field as changed without values, or no field at all. Entries written
// before the marker (the field without values) are left as they are.
func (people *People) resolveSensitiveMark(changes map[string]birge.Change) error {
	ch, ok := changes[sensitiveField]
	sealed, isMark := ch.After.(string)
	if !ok || !isMark || ch.Before != nil {
		return nil
	}
	mark, err := people.s.seal.open(sealed)
	if err != nil {
		return err
	}
	if mark == markChanged {
		changes[sensitiveField] = birge.Change{}
	} else {
		delete(changes, sensitiveField)
	}
	return nil
}

// resealPage is how many records migration 0016 reseals at a time.
const resealPage = 2000

// resealSensitive is migration 0016's step: every record's sensitive categories sealed
// again, padded, an empty list too (sealSensitive). It walks the records by id a page at
// a time and writes each page with one statement, in the migration's transaction.
func (s *Store) resealSensitive(ctx context.Context, c q) error {
	var last int64
	for {
		rows, err := c.query(ctx, `SELECT id, sensitive_sealed FROM people WHERE id > ? ORDER BY id LIMIT `+itoa(resealPage), last)
		if err != nil {
			return err
		}
		var args []any
		for rows.Next() {
			var sealed string
			if err := rows.Scan(&last, &sealed); err != nil {
				rows.Close()
				return err
			}
			codes, err := s.People.openSensitive(sealed)
			if err != nil {
				rows.Close()
				return err
			}
			args = append(args, last, s.People.sealSensitive(codes))
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(args) == 0 {
			return err
		}
		// VALUES names its columns column1, column2 in both databases.
		values := strings.Repeat("(CAST(? AS BIGINT), ?), ", len(args)/2-1) + "(CAST(? AS BIGINT), ?)"
		if _, err := c.exec(ctx, `UPDATE people SET sensitive_sealed = v.column2 FROM (VALUES `+values+`) AS v
			WHERE people.id = v.column1`, args...); err != nil {
			return err
		}
		if len(args)/2 < resealPage {
			return nil
		}
	}
}
