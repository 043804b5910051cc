package store

import (
	"context"
	"strconv"

	"github.com/birge-org/birge/internal/birge"
)

// exportPage is how many people an export reads at a time: memory stays flat however
// many match.
const exportPage = 200

// ExportPeople hands each person matching the filter to row, in the list's order, as the
// actor may see her: identity number masked, sensitive categories only with
// person.sensitive on her centre. Only centres where the actor holds person.export are
// exported. Before the first row, in one transaction, the export is audited (the filter,
// the format and the number of people) and every exported record is written to the
// access log, so an export cut short is on record too.
// It returns the number of people handed to row.
func (people *People) Export(ctx context.Context, a *birge.Actor, f PeopleFilter, format string, row func(birge.Person) error) (int, error) {
	scope := a.ScopeOf(birge.PermPersonExport)
	if scope.Empty() {
		return 0, birge.ErrForbidden
	}
	from, w, err := people.peopleWhere(ctx, a, f, scope)
	if err != nil {
		return 0, err
	}
	err = people.s.tx(ctx, func(c q) error {
		var n int
		if err := c.row(ctx, `SELECT COUNT(DISTINCT p.id) FROM `+from+w.sql(), w.args...).Scan(&n); err != nil {
			return err
		}
		// Every exported record goes to the access log: lines for those with a sensitive
		// category alone would mark them (decision 0014).
		if _, err := c.exec(ctx, `INSERT INTO access_log (at, user_id, actor_name, ip, person_id, org_id, action)
			SELECT ?, ?, ?, ?, x.id, x.org_id, 'export' FROM people x WHERE x.id IN (SELECT p.id FROM `+from+w.sql()+`)`,
			append([]any{people.s.now(), nullID(a.UserID), a.Name, a.IP}, w.args...)...); err != nil {
			return err
		}
		org, center := exportPlace(a)
		return people.s.audit(ctx, c, a, event{action: birge.ActionExport, entity: birge.EntityPersonList, orgID: org, centerID: center,
			changes: birge.Diff(nil, exportFields(f, format, n), "q")})
	})
	if err != nil {
		return 0, err
	}
	return people.streamPeople(ctx, a, from, w, row)
}

// exportFields are what an export's audit entry records: the filters used, the format
// and how many people matched. The search box is recorded as used, never its text: it
// may hold a name or an identity number, which would outlive an anonymisation there.
func exportFields(f PeopleFilter, format string, n int) map[string]any {
	out := map[string]any{"format": format, "rows": n}
	for k, v := range map[string]string{"q": f.Q, "region": f.Region, "district": f.District,
		"category": f.Category, "sex": f.Sex} {
		if v != "" {
			out[k] = v
		}
	}
	for k, v := range map[string]int64{"center_id": f.CenterID, "age_from": int64(f.AgeFrom), "age_to": int64(f.AgeTo),
		"program_id": f.Program} {
		if v != 0 {
			out[k] = v
		}
	}
	return out
}

// exportPlace is the organisation and centre an export's audit entry belongs to, so that
// those who audit them see it: where the actor may export, when that is one organisation
// (and one centre); an installation-wide entry otherwise.
func exportPlace(a *birge.Actor) (org, center int64) {
	first := true
	for _, g := range a.Grants {
		if !g.Role.Has(birge.PermPersonExport) {
			continue
		}
		switch {
		case g.Installation() || (!first && g.OrgID != org):
			return 0, 0
		case first:
			org, center = g.OrgID, g.CenterID
		case g.CenterID != center:
			center = 0
		}
		first = false
	}
	return org, center
}

// streamPeople reads the people matching from and w a page at a time, keyset on the
// sort order.
func (people *People) streamPeople(ctx context.Context, a *birge.Actor, from string, w where, row func(birge.Person) error) (int, error) {
	n := 0
	var lastKey []byte
	var lastID int64
	for {
		page := w.clone()
		if lastID != 0 {
			// A row value, which both databases read as a range of the sort index, so
			// each page starts where the last ended instead of walking past it again.
			page.add("(p.sort_key, p.id) > (?, ?)", lastKey, lastID)
		}
		batch, key, err := people.exportPage(ctx, a, from, page)
		if err != nil {
			return n, err
		}
		for _, p := range batch {
			if err := row(p); err != nil {
				return n, err
			}
			n++
		}
		if len(batch) < exportPage {
			return n, nil
		}
		lastKey, lastID = key, batch[len(batch)-1].ID
	}
}

// exportPage reads one page of people with their phones and categories (three queries
// for up to exportPage people, rather than two more per person) and the sort key of the
// last, where the next page starts.
func (people *People) exportPage(ctx context.Context, a *birge.Actor, from string, w where) ([]birge.Person, []byte, error) {
	distinct := "" // over the people alone, DISTINCT would only make PostgreSQL sort them all
	if from != fromPeople {
		distinct = "DISTINCT "
	}
	rows, err := people.s.read().query(ctx, `SELECT `+distinct+personColumns+`, p.sort_key FROM `+from+w.sql()+
		` ORDER BY p.sort_key, p.id LIMIT `+strconv.Itoa(exportPage), w.args...)
	if err != nil {
		return nil, nil, err
	}
	var page []personRow
	var lastKey []byte
	for rows.Next() {
		r, err := scanPerson(withSortKey{rows, &lastKey})
		if err != nil {
			rows.Close()
			return nil, nil, err
		}
		page = append(page, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(page) == 0 {
		return nil, nil, err
	}
	ids := make([]any, exportPage) // always exportPage ids, so the statements are prepared once
	for i := range ids {
		ids[i] = page[min(i, len(page)-1)].ID
	}
	phones, err := people.pagePhones(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	cats, err := people.pageCategories(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	out := make([]birge.Person, len(page))
	lists := map[int64]birge.CategoryList{}
	for i, r := range page {
		p := r.Person
		var err error
		if p.IIN, p.PIN, err = people.openIdentity(r, false); err != nil { // one AES-GCM opening, about a microsecond
			return nil, nil, err
		}
		p.Phones = phones[p.ID]
		have := cats[p.ID]
		if a.Can(birge.PermPersonSensitive, r.OrgID, r.CenterID) {
			codes, err := people.openSensitive(r.sensitiveSealed)
			if err != nil {
				return nil, nil, err
			}
			for _, c := range codes {
				have[c] = true
			}
		}
		if _, ok := lists[p.OrgID]; !ok { // an organisation's list, once a page, for the order
			if lists[p.OrgID], err = people.s.orgCategories(ctx, people.s.read(), p.OrgID); err != nil {
				return nil, nil, err
			}
		}
		p.Categories = lists[p.OrgID].Ordered(have)
		out[i] = p
	}
	return out, lastKey, nil
}

// withSortKey scans a person's columns followed by her sort key.
type withSortKey struct {
	rows interface{ Scan(...any) error }
	key  *[]byte
}

func (w withSortKey) Scan(dest ...any) error { return w.rows.Scan(append(dest, w.key)...) }

func (people *People) pagePhones(ctx context.Context, ids []any) (map[int64][]string, error) {
	rows, err := people.s.read().query(ctx, `SELECT person_id, phone FROM person_phones WHERE person_id IN (`+
		placeholders(len(ids))+`) ORDER BY person_id, position`, ids...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]string{}
	for rows.Next() {
		var id int64
		var phone string
		if err := rows.Scan(&id, &phone); err != nil {
			return nil, err
		}
		out[id] = append(out[id], phone)
	}
	return out, rows.Err()
}

func (people *People) pageCategories(ctx context.Context, ids []any) (map[int64]map[string]bool, error) {
	rows, err := people.s.read().query(ctx, `SELECT person_id, code FROM person_categories WHERE person_id IN (`+
		placeholders(len(ids))+`)`, ids...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]map[string]bool{}
	for _, id := range ids {
		out[id.(int64)] = map[string]bool{}
	}
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return nil, err
		}
		out[id][code] = true
	}
	return out, rows.Err()
}
