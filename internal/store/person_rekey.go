package store

import (
	"context"
	"strings"

	"github.com/birge-org/birge/internal/birge"
)

// rekeyPage is how many records migration 0018 folds again at a time.
const rekeyPage = 2000

// rekeyNames is migration 0018's step: each record's name key and name words, made by an
// older birge.NameKey, made again by the current one. It walks the records by id a page
// at a time and rewrites only those whose key changed; anonymised records have neither.
// The words keep what indexPerson gives them: the record's organisation, centre and
// sort key.
func (s *Store) rekeyNames(ctx context.Context, c q) error {
	var last int64
	for {
		rows, err := c.query(ctx, `SELECT id, family_name, given_name, patronymic, name_key, org_id, center_id, sort_key
			FROM people WHERE id > ? AND anonymized_at IS NULL ORDER BY id LIMIT `+itoa(rekeyPage), last)
		if err != nil {
			return err
		}
		var keys, ids []any
		var words [][]any
		read := 0
		for rows.Next() {
			var p birge.Person
			var old string
			var sortKey []byte
			if err := rows.Scan(&p.ID, &p.FamilyName, &p.GivenName, &p.Patronymic, &old, &p.OrgID, &p.CenterID, &sortKey); err != nil {
				rows.Close()
				return err
			}
			last, read = p.ID, read+1
			key := birge.NameKey(p.FullName())
			if key == old {
				continue
			}
			keys, ids = append(keys, p.ID, key), append(ids, p.ID)
			for _, w := range strings.Fields(key) {
				words = append(words, []any{w, p.ID, p.OrgID, p.CenterID, sortKey})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(ids) > 0 {
			// VALUES names its columns column1, column2 in both databases.
			values := strings.Repeat("(CAST(? AS BIGINT), ?), ", len(ids)-1) + "(CAST(? AS BIGINT), ?)"
			if _, err := c.exec(ctx, `UPDATE people SET name_key = v.column2 FROM (VALUES `+values+`) AS v
				WHERE people.id = v.column1`, keys...); err != nil {
				return err
			}
			if _, err := c.exec(ctx, `DELETE FROM person_names WHERE person_id IN (`+placeholders(len(ids))+`)`, ids...); err != nil {
				return err
			}
			if err := insertRows(ctx, c, "person_names", []string{"token", "person_id", "org_id", "center_id", "sort_key"}, words); err != nil {
				return err
			}
		}
		if read < rekeyPage {
			return nil
		}
	}
}
