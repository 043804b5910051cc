package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
)

// People is the store's view for the person module. Its methods keep the store's
// guarantees: each takes the acting *birge.Actor, is scoped by it and audited in the
// same transaction as its change, through the store it holds.
type People struct{ s *Store }

// personColumns are read by scanPerson, in this order.
const personColumns = `p.id, p.org_id, p.center_id, p.family_name, p.given_name, p.patronymic, p.sex,
	p.birth_date, p.birth_year, p.id_kind, p.id_sealed, p.email, p.country, p.region, p.district,
	p.settlement, p.rural, p.children, p.income_band, p.special_needs, p.may_call, p.call_times,
	p.may_leave_message, p.sensitive_sealed, p.created_at, p.updated_at`

// personRow is a person as stored, before the sealed fields are opened or masked.
type personRow struct {
	birge.Person
	idKind, idSealed string
	sensitiveSealed  string
}

func scanPerson(row interface{ Scan(...any) error }) (personRow, error) {
	var r personRow
	var year, children sql.NullInt64
	err := row.Scan(&r.ID, &r.OrgID, &r.CenterID, &r.FamilyName, &r.GivenName, &r.Patronymic, &r.Sex,
		&r.BirthDate, &year, &r.idKind, &r.idSealed, &r.Email, &r.Country, &r.Region, &r.District,
		&r.Settlement, &r.Rural, &children, &r.IncomeBand, &r.SpecialNeeds, &r.MayCall, &r.CallTimes,
		&r.MayLeaveMessage, &r.sensitiveSealed, &r.CreatedAt, &r.UpdatedAt)
	r.BirthYear = int(year.Int64)
	if children.Valid {
		n := int(children.Int64)
		r.Children = &n
	}
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	return r, err
}

// GetPerson returns a person the actor may see, with phones, categories, consents and
// relations: sensitive categories only for those allowed, the identity number masked.
// Every opening of a record is written to the access log, whoever opens it: logging only
// those with a sensitive category made the log a list of survivors (decision 0014).
func (people *People) Get(ctx context.Context, a *birge.Actor, id int64) (birge.Person, error) {
	r, err := people.visiblePerson(ctx, people.s.read(), a, id)
	if err != nil {
		return birge.Person{}, err
	}
	if err := people.s.tx(ctx, func(c q) error { return people.logAccess(ctx, c, a, r.Person, "view") }); err != nil {
		return birge.Person{}, err
	}
	return people.completePerson(ctx, a, r)
}

// savedPerson reads back a record the actor has just saved, for the reply: the audit
// entry of the save records it, so it is not an opening for the access log.
func (people *People) savedPerson(ctx context.Context, a *birge.Actor, id int64) (birge.Person, error) {
	r, err := people.visiblePerson(ctx, people.s.read(), a, id)
	if err != nil {
		return birge.Person{}, err
	}
	return people.completePerson(ctx, a, r)
}

// visiblePerson loads a live person (not merged away, not anonymised) in the actor's
// scope, or ErrNotFound.
func (people *People) visiblePerson(ctx context.Context, c q, a *birge.Actor, id int64) (personRow, error) {
	r, err := scanPerson(c.row(ctx, `SELECT `+personColumns+` FROM people p
		WHERE p.id = ? AND p.merged_into IS NULL AND p.anonymized_at IS NULL`, id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !a.Can(birge.PermPersonView, r.OrgID, r.CenterID)) {
		return personRow{}, birge.ErrNotFound
	}
	return r, err
}

// personWith loads a person the actor may see and act on with perm: not found when out
// of sight, forbidden when only in sight.
func (people *People) personWith(ctx context.Context, c q, a *birge.Actor, id int64, perm birge.Permission) (personRow, error) {
	r, err := people.visiblePerson(ctx, c, a, id)
	if err == nil && !a.Can(perm, r.OrgID, r.CenterID) {
		return r, birge.ErrForbidden
	}
	return r, err
}

// completePerson fills what lives beside the row and applies what the actor may see.
func (people *People) completePerson(ctx context.Context, a *birge.Actor, r personRow) (birge.Person, error) {
	p := r.Person
	var err error
	if p.IIN, p.PIN, err = people.openIdentity(r, false); err != nil {
		return p, err
	}
	if p.Phones, err = personPhones(ctx, people.s.read(), p.ID); err != nil {
		return p, err
	}
	if p.Categories, err = people.personCategories(ctx, a, r); err != nil {
		return p, err
	}
	if p.Consents, err = people.consents(ctx, p.ID); err != nil {
		return p, err
	}
	p.Relations, err = people.relations(ctx, a, p.ID)
	return p, err
}

// personPhones lists her phones in order, on c: the pool, or the transaction that is
// changing them.
func personPhones(ctx context.Context, c q, id int64) ([]string, error) {
	rows, err := c.query(ctx, `SELECT phone, position FROM person_phones WHERE person_id = ?`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type phone struct {
		number string
		pos    int
	}
	var ps []phone
	for rows.Next() {
		var ph phone
		if err := rows.Scan(&ph.number, &ph.pos); err != nil {
			return nil, err
		}
		ps = append(ps, ph)
	}
	slices.SortFunc(ps, func(a, b phone) int { return a.pos - b.pos })
	out := make([]string, len(ps))
	for i, ph := range ps {
		out[i] = ph.number
	}
	return out, rows.Err()
}

// personCategories lists a person's categories in display order; the sealed sensitive
// ones are opened only for an actor with person.sensitive on her centre.
func (people *People) personCategories(ctx context.Context, a *birge.Actor, r personRow) ([]string, error) {
	return people.categoriesOf(ctx, people.s.read(), r, a.Can(birge.PermPersonSensitive, r.OrgID, r.CenterID))
}

// categoriesOf lists a person's categories in display order, the sensitive ones too
// when asked, reading on c.
func (people *People) categoriesOf(ctx context.Context, c q, r personRow, sensitive bool) ([]string, error) {
	plain, err := plainCategories(ctx, c, r.ID)
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, c := range plain {
		have[c] = true
	}
	if sensitive {
		codes, err := people.openSensitive(r.sensitiveSealed)
		if err != nil {
			return nil, err
		}
		for _, c := range codes {
			have[c] = true
		}
	}
	cats, err := people.s.orgCategories(ctx, c, r.OrgID)
	return cats.Ordered(have), err
}

// RevealIdentity returns a person's identity number in full to an actor allowed to see
// it, and records that they did, in the audit and access logs.
func (people *People) RevealIdentity(ctx context.Context, a *birge.Actor, id int64) (string, error) {
	var number string
	err := people.s.tx(ctx, func(c q) error {
		r, err := people.visiblePerson(ctx, c, a, id)
		if err != nil {
			return err
		}
		if !a.Can(birge.PermPersonRevealID, r.OrgID, r.CenterID) {
			return birge.ErrForbidden
		}
		if r.idSealed == "" {
			return birge.ErrNotFound
		}
		if number, err = people.s.seal.open(r.idSealed); err != nil {
			return err
		}
		if err := people.logAccess(ctx, c, a, r.Person, "reveal_id"); err != nil {
			return err
		}
		return people.s.audit(ctx, c, a, event{action: birge.ActionRevealID, entity: birge.EntityPerson, entityID: r.ID, orgID: r.OrgID, centerID: r.CenterID})
	})
	return number, err
}

// CreatePerson registers a person in a centre where the actor may manage people.
func (people *People) Create(ctx context.Context, a *birge.Actor, p birge.Person) (birge.Person, error) {
	if a.ScopeOf(birge.PermPersonManage).Empty() {
		return p, birge.ErrForbidden
	}
	now := people.s.now()
	p.CreatedAt, p.UpdatedAt = now, now
	in := p
	err := people.txPerson(ctx, func(c q) (err error) {
		p, err = people.create(ctx, c, a, in)
		return err
	})
	if err != nil {
		return p, err
	}
	return people.savedPerson(ctx, a, p.ID)
}

// create registers a person in the caller's transaction (Create; a public request taken
// in, CaseRequests.Accept). p carries its CreatedAt.
func (people *People) create(ctx context.Context, c q, a *birge.Actor, p birge.Person) (birge.Person, error) {
	sensitive, err := people.preparePerson(ctx, c, a, &p, nil, nil)
	if err != nil {
		return p, err
	}
	if err := people.identityFree(ctx, c, p, ""); err != nil {
		return p, err
	}
	args := people.personArgs(p, sensitive)
	err = c.row(ctx, `INSERT INTO people (org_id, center_id, family_name, given_name, patronymic, name_key,
		sort_key, sex, birth_date, birth_year, id_kind, id_sealed, id_lookup, email, country, region,
		district, settlement, rural, children, income_band, special_needs, may_call, call_times,
		may_leave_message, sensitive_sealed, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		append(args, nullID(a.UserID), p.CreatedAt, p.UpdatedAt)...).Scan(&p.ID)
	if err != nil {
		return p, err
	}
	if err := people.indexPerson(ctx, c, p); err != nil {
		return p, err
	}
	if err := people.queueDuplicatesOf(ctx, c, p); err != nil {
		return p, err
	}
	for i := range p.Consents {
		if p.Consents[i], err = people.addConsent(ctx, c, a, p.ID, p.Consents[i]); err != nil {
			return p, err
		}
	}
	return p, people.s.audit(ctx, c, a, event{action: birge.ActionCreate, entity: birge.EntityPerson, entityID: p.ID, orgID: p.OrgID,
		centerID: p.CenterID, changes: people.personDiff(nil, personFields(p, sensitive))})
}

// UpdatePerson saves changes to a person. What the actor may not see is kept as it was:
// sensitive categories for those without person.sensitive, and the identity number when
// the form sends back its masked form. A non-zero p.UpdatedAt is the version the change
// was made on: when her record has changed since, nothing is saved (changedMeanwhile).
func (people *People) Update(ctx context.Context, a *birge.Actor, p birge.Person) (birge.Person, error) {
	if err := people.txPerson(ctx, func(c q) error { return people.updatePerson(ctx, c, a, p) }); err != nil {
		return p, err
	}
	return people.savedPerson(ctx, a, p.ID)
}

// updatePerson is UpdatePerson in the transaction c.
func (people *People) updatePerson(ctx context.Context, c q, a *birge.Actor, p birge.Person) error {
	// Her row is locked before it is read, so that on PostgreSQL an edit at the same
	// moment waits and then sees this one's version.
	if err := lockPeople(ctx, c, p.ID); err != nil {
		return err
	}
	old, err := people.visiblePerson(ctx, c, a, p.ID)
	if err != nil {
		return err
	}
	if !a.Can(birge.PermPersonManage, old.OrgID, old.CenterID) {
		return birge.ErrForbidden
	}
	if !p.UpdatedAt.IsZero() && !p.UpdatedAt.Equal(old.UpdatedAt) {
		return changedMeanwhile
	}
	oldSensitive, err := people.openSensitive(old.sensitiveSealed)
	if err != nil {
		return err
	}
	oldNumber, err := people.s.seal.open(old.idSealed)
	if err != nil {
		return err
	}
	keepIdentity(&p, old.idKind, oldNumber)
	// Her categories as they were, for the audit entry: the row read above has none,
	// and without them every change would seem to change her categories too.
	if old.Categories, err = plainCategories(ctx, c, p.ID); err != nil {
		return err
	}
	if old.Phones, err = personPhones(ctx, c, p.ID); err != nil {
		return err
	}
	if !a.Can(birge.PermPersonSensitive, old.OrgID, old.CenterID) {
		p.Categories = append(p.Categories, oldSensitive...) // unseen, so unchanged
	}
	sensitive, err := people.preparePerson(ctx, c, a, &p, &old.Person, oldSensitive)
	if err != nil {
		return err
	}
	if err := people.identityFree(ctx, c, p, people.s.seal.lookup(old.idKind, oldNumber)); err != nil {
		return err
	}
	// Saved unchanged, her record stays as it is: no audit entry, and the same version,
	// so that an unchanged save neither refuses someone else's edit form nor ends the
	// time in which a merge into her record may be undone.
	old.IIN, old.PIN = identityOf(old.idKind, oldNumber)
	before, after := personFields(old.Person, oldSensitive), personFields(p, sensitive)
	if len(birge.Diff(before, after)) == 0 {
		return nil
	}
	p.CreatedAt, p.UpdatedAt = old.CreatedAt, nextVersion(people.s.now(), old.UpdatedAt)
	if err := people.writePerson(ctx, c, p, sensitive); err != nil {
		return err
	}
	if err := people.queueDuplicatesOf(ctx, c, p); err != nil {
		return err
	}
	return people.s.audit(ctx, c, a, event{action: birge.ActionUpdate, entity: birge.EntityPerson, entityID: p.ID, orgID: p.OrgID,
		centerID: p.CenterID, changes: people.personDiff(before, after)})
}

// keepIdentity puts back the stored number when the input left the masked one (a form
// shows 8503••••1231 and sends it back unchanged).
func keepIdentity(p *birge.Person, kind, number string) {
	if strings.Contains(p.IIN, "•") && kind == "iin" {
		p.IIN = number
	}
	if strings.Contains(p.PIN, "•") && kind == "pin" {
		p.PIN = number
	}
}

func identityOf(kind, number string) (iin, pin string) {
	if kind == "iin" {
		return number, ""
	}
	if kind == "pin" {
		return "", number
	}
	return "", ""
}

// preparePerson checks the actor may keep the person in her centre, validates, checks
// her categories against her organisation's list and splits off the sensitive ones, in
// the writing transaction c. old is nil for a new person; oldSensitive are her sensitive
// categories before the change, which an actor without the right may keep but not change.
func (people *People) preparePerson(ctx context.Context, c q, a *birge.Actor, p *birge.Person, old *birge.Person, oldSensitive []string) ([]string, error) {
	ctr, err := people.s.getCenter(ctx, c, p.CenterID)
	if err != nil || !a.Can(birge.PermPersonManage, ctr.OrgID, ctr.ID) {
		if err == nil && old == nil && a.Can(birge.PermPersonView, ctr.OrgID, ctr.ID) {
			return nil, birge.ErrForbidden
		}
		if err != nil && !errors.Is(err, birge.ErrNotFound) {
			return nil, err
		}
		return nil, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"center_id": "field.choose"}}
	}
	if old != nil && ctr.OrgID != old.OrgID {
		return nil, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"center_id": "person.other_org"}}
	}
	p.OrgID = ctr.OrgID
	if p.Country == "" {
		p.Country = ctr.Country
	}
	// In the writing transaction: a category turned sensitive meanwhile must not be
	// written in the clear.
	cats, err := people.s.orgCategories(ctx, c, p.OrgID)
	if err != nil {
		return nil, err
	}
	pr := birge.Problems{}
	if err := p.Validate(a.Today(people.s.now())); err != nil {
		pr = birge.AsError(err).Fields
	}
	var held []string // what she holds already may stay, retired or not
	if old != nil {
		held = append(slices.Clone(old.Categories), oldSensitive...)
	}
	plain, sensitive, problem := cats.Split(p.Categories, held)
	pr.Add("categories", problem)
	if err := pr.Err(); err != nil {
		return nil, err
	}
	if !slices.Equal(sensitive, oldSensitive) && !a.Can(birge.PermPersonSensitive, p.OrgID, p.CenterID) {
		return nil, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"categories": "field.choose"}}
	}
	p.Categories = plain
	return sensitive, nil
}

// writePerson saves a person's own columns over her row and rebuilds her search index.
func (people *People) writePerson(ctx context.Context, c q, p birge.Person, sensitive []string) error {
	args := people.personArgs(p, sensitive)
	if _, err := c.exec(ctx, `UPDATE people SET org_id = ?, center_id = ?, family_name = ?, given_name = ?,
		patronymic = ?, name_key = ?, sort_key = ?, sex = ?, birth_date = ?, birth_year = ?, id_kind = ?,
		id_sealed = ?, id_lookup = ?, email = ?, country = ?, region = ?, district = ?,
		settlement = ?, rural = ?, children = ?, income_band = ?, special_needs = ?, may_call = ?,
		call_times = ?, may_leave_message = ?, sensitive_sealed = ?, updated_at = ?
		WHERE id = ?`, append(args, p.UpdatedAt, p.ID)...); err != nil {
		return err
	}
	for _, table := range []string{"person_names", "person_phones", "person_categories"} {
		if _, err := c.exec(ctx, `DELETE FROM `+table+` WHERE person_id = ?`, p.ID); err != nil {
			return err
		}
	}
	return people.indexPerson(ctx, c, p)
}

// personIdentity reads the identity number a person carries: her IIN, else her PIN. ok
// is false when she has none, or it does not parse.
func personIdentity(p birge.Person) (birge.Identity, bool) {
	switch {
	case p.IIN != "":
		id, key := birge.ParseIIN(p.IIN)
		return id, key == ""
	case p.PIN != "":
		id, key := birge.ParsePIN(p.PIN)
		return id, key == ""
	}
	return birge.Identity{}, false
}

// personArgs are the values of a person's own columns, from org_id to sensitive_sealed.
// The identity number is stored sealed and hashed, not masked (masked when read), and
// the sensitive categories are sealed for everyone, an empty list too (person_sealed.go).
func (people *People) personArgs(p birge.Person, sensitive []string) []any {
	kind, number := "", ""
	if id, ok := personIdentity(p); ok {
		kind, number = string(id.Kind), id.Number
	}
	var year, children any
	if p.BirthYear != 0 {
		year = p.BirthYear
	}
	if p.Children != nil {
		children = *p.Children
	}
	return []any{p.OrgID, p.CenterID, p.FamilyName, p.GivenName, p.Patronymic,
		birge.NameKey(p.FullName()), i18n.SortKey(p.FullName()), p.Sex, p.BirthDate, year, kind,
		people.s.seal.seal(number), people.s.seal.lookup(kind, number), p.Email, p.Country, p.Region, p.District,
		p.Settlement, p.Rural, children, p.IncomeBand, p.SpecialNeeds, p.MayCall, p.CallTimes,
		p.MayLeaveMessage, people.sealSensitive(sensitive)}
}

// indexPerson writes the rows search and filters use: name words, phones and the
// categories that are not sensitive. Words and categories carry her sort key and where
// she is registered, so that a list by one of them reads their index alone.
func (people *People) indexPerson(ctx context.Context, c q, p birge.Person) error {
	key := i18n.SortKey(p.FullName())
	for _, tok := range birge.NameTokens(p.FullName()) {
		if _, err := c.exec(ctx, `INSERT INTO person_names (token, person_id, org_id, center_id, sort_key)
			VALUES (?, ?, ?, ?, ?)`, tok, p.ID, p.OrgID, p.CenterID, key); err != nil {
			return err
		}
	}
	for i, ph := range p.Phones {
		if _, err := c.exec(ctx, `INSERT INTO person_phones (person_id, phone, position) VALUES (?, ?, ?)`, p.ID, ph, i); err != nil {
			return err
		}
	}
	for _, code := range p.Categories {
		if _, err := c.exec(ctx, `INSERT INTO person_categories (person_id, code, org_id, center_id, sort_key)
			VALUES (?, ?, ?, ?, ?)`, p.ID, code, p.OrgID, p.CenterID, key); err != nil {
			return err
		}
	}
	return nil
}

// plainCategories are the codes of a person's categories that are not sensitive.
func plainCategories(ctx context.Context, c q, id int64) ([]string, error) {
	rows, err := c.query(ctx, `SELECT code FROM person_categories WHERE person_id = ?`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return nil, err
		}
		out = append(out, code)
	}
	return out, rows.Err()
}

// personSecrets are the fields the audit log records as changed without their values.
var personSecrets = []string{"iin", "pin", "sensitive_categories"}

func personFields(p birge.Person, sensitive []string) map[string]any {
	children := ""
	if p.Children != nil {
		children = strconv.Itoa(*p.Children)
	}
	return map[string]any{"center_id": p.CenterID, "family_name": p.FamilyName, "given_name": p.GivenName,
		"patronymic": p.Patronymic, "sex": p.Sex, "birth_date": p.BirthDate, "birth_year": p.BirthYear,
		"iin": p.IIN, "pin": p.PIN, "phones": strings.Join(p.Phones, ", "), "email": p.Email,
		"country": p.Country, "region": p.Region, "district": p.District, "settlement": p.Settlement,
		"rural": p.Rural, "children": children, "income_band": p.IncomeBand, "special_needs": p.SpecialNeeds,
		"may_call": p.MayCall, "call_times": p.CallTimes, "may_leave_message": p.MayLeaveMessage,
		"categories": strings.Join(slices.Sorted(slices.Values(p.Categories)), ", "), "sensitive_categories": strings.Join(sensitive, ", ")}
}

// logAccess writes one line to the access log.
func (people *People) logAccess(ctx context.Context, c q, a *birge.Actor, p birge.Person, action string) error {
	_, err := c.exec(ctx, `INSERT INTO access_log (at, user_id, actor_name, ip, person_id, org_id, action)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, people.s.now(), nullID(a.UserID), a.Name, a.IP, p.ID, p.OrgID, action)
	return err
}

// AccessEntry is one line of the access log.
type AccessEntry struct {
	At       time.Time `json:"at"`
	UserID   int64     `json:"user_id"`
	Actor    string    `json:"actor"`
	IP       string    `json:"ip"`
	PersonID int64     `json:"person_id"`
	Action   string    `json:"action"`
}

// ListAccess returns the access log of one person, newest first, to those who may read
// the audit log of her organisation.
func (people *People) ListAccess(ctx context.Context, a *birge.Actor, personID int64) ([]AccessEntry, error) {
	var org int64
	err := people.s.read().row(ctx, `SELECT org_id FROM people WHERE id = ?`, personID).Scan(&org)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !a.Can(birge.PermAuditView, org, 0)) {
		return nil, birge.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return people.accessLog(ctx, personID, "DESC LIMIT 500")
}

// accessLog reads a person's lines of the access log in the order given.
func (people *People) accessLog(ctx context.Context, personID int64, order string) ([]AccessEntry, error) {
	rows, err := people.s.read().query(ctx, `SELECT at, user_id, actor_name, ip, person_id, action FROM access_log
		WHERE person_id = ? ORDER BY id `+order, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []AccessEntry{}
	for rows.Next() {
		var e AccessEntry
		var user sql.NullInt64
		if err := rows.Scan(&e.At, &user, &e.Actor, &e.IP, &e.PersonID, &e.Action); err != nil {
			return nil, err
		}
		e.At, e.UserID = e.At.UTC(), user.Int64
		out = append(out, e)
	}
	return out, rows.Err()
}
