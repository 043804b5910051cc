package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/birge-org/birge/internal/birge"
)

// Programs is the store's view for the programme module: programmes and who takes part
// in them. Like People, each method takes the acting *birge.Actor, is scoped by it and
// audited in the same transaction as its change.
type Programs struct{ s *Store }

const programColumns = `p.id, p.org_id, p.name_kk, p.name_ru, p.name_ky, p.name_en, p.description_kk,
	p.description_ru, p.description_ky, p.description_en, p.kind, p.starts_on, p.ends_on, p.status,
	p.categories, p.sdg_targets, p.sensitive, p.created_at, p.updated_at`

func scanProgram(row interface{ Scan(...any) error }) (birge.Program, error) {
	var p birge.Program
	var cats, sdg string
	err := row.Scan(&p.ID, &p.OrgID, &p.Names.KK, &p.Names.RU, &p.Names.KY, &p.Names.EN, &p.Descriptions.KK,
		&p.Descriptions.RU, &p.Descriptions.KY, &p.Descriptions.EN, &p.Kind, &p.StartsOn, &p.EndsOn, &p.Status,
		&cats, &sdg, &p.Sensitive, &p.CreatedAt, &p.UpdatedAt)
	p.Categories, p.SDGTargets, p.CenterIDs = splitCodes(cats), splitCodes(sdg), []int64{}
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	return p, err
}

func splitCodes(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

func programFields(p birge.Program) map[string]any {
	centers := make([]string, len(p.CenterIDs))
	for i, id := range p.CenterIDs {
		centers[i] = itoa(int(id))
	}
	return map[string]any{"name_kk": p.Names.KK, "name_ru": p.Names.RU, "name_ky": p.Names.KY,
		"name_en": p.Names.EN, "description_kk": p.Descriptions.KK, "description_ru": p.Descriptions.RU,
		"description_ky": p.Descriptions.KY, "description_en": p.Descriptions.EN, "kind": p.Kind,
		"center_ids": strings.Join(centers, ","), "starts_on": p.StartsOn, "ends_on": p.EndsOn,
		"status": p.Status, "categories": strings.Join(p.Categories, ","),
		"sdg_targets": strings.Join(p.SDGTargets, ","), "sensitive": p.Sensitive}
}

// canProgram reports whether the actor holds perm on a programme: on its organisation, or
// on one of the centres where it runs. A programme of no centre is the organisation's.
func canProgram(a *birge.Actor, perm birge.Permission, p birge.Program) bool {
	if a.Can(perm, p.OrgID, 0) {
		return true
	}
	for _, c := range p.CenterIDs {
		if a.Can(perm, p.OrgID, c) {
			return true
		}
	}
	return false
}

// SeesWho reports whether the actor may see who takes part in a programme: person.view
// there and, for a sensitive programme, person.sensitive there too. The rest see counts.
func SeesWho(a *birge.Actor, p birge.Program) bool {
	return canProgram(a, birge.PermPersonView, p) && (!p.Sensitive || canProgram(a, birge.PermPersonSensitive, p))
}

// ProgramFilter narrows a list of programmes.
type ProgramFilter struct {
	Status   string
	Kind     string
	CenterID int64
	After    int64 // page: programmes with id > After
	Limit    int   // 0: all
}

// programScope limits a programmes query (alias p) to those the actor may see.
func programScope(a *birge.Actor) (where, error) {
	scope := a.ScopeOf(birge.PermProgramView)
	if scope.Empty() {
		return where{}, birge.ErrForbidden
	}
	w := where{}
	if scope.All {
		return w, nil
	}
	var ors []string
	if len(scope.Orgs) > 0 {
		ors = append(ors, "p.org_id IN ("+placeholders(len(scope.Orgs))+")")
		for _, id := range scope.Orgs {
			w.args = append(w.args, id)
		}
	}
	if len(scope.Centers) > 0 {
		ors = append(ors, "p.id IN (SELECT program_id FROM program_centers WHERE center_id IN ("+
			placeholders(len(scope.Centers))+"))")
		for _, id := range scope.Centers {
			w.args = append(w.args, id)
		}
	}
	w.conds = append(w.conds, "("+strings.Join(ors, " OR ")+")")
	return w, nil
}

// List returns the programmes the actor may see, by id.
func (programs *Programs) List(ctx context.Context, a *birge.Actor, f ProgramFilter) ([]birge.Program, error) {
	w, err := programScope(a)
	if err != nil {
		return nil, err
	}
	if f.Status != "" {
		w.add("p.status = ?", f.Status)
	}
	if f.Kind != "" {
		w.add("p.kind = ?", f.Kind)
	}
	if f.CenterID != 0 {
		w.add("p.id IN (SELECT program_id FROM program_centers WHERE center_id = ?)", f.CenterID)
	}
	if f.After != 0 {
		w.add("p.id > ?", f.After)
	}
	limit := ""
	if f.Limit > 0 {
		limit = " LIMIT " + itoa(f.Limit)
	}
	c := programs.s.read()
	rows, err := c.query(ctx, `SELECT `+programColumns+` FROM programs p`+w.sql()+` ORDER BY p.id`+limit, w.args...)
	if err != nil {
		return nil, err
	}
	var out []birge.Program
	for rows.Next() {
		p, err := scanProgram(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].CenterIDs, err = programs.centers(ctx, c, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (programs *Programs) centers(ctx context.Context, c q, id int64) ([]int64, error) {
	return ids(ctx, c, `SELECT center_id FROM program_centers WHERE program_id = ? ORDER BY center_id`, id)
}

// Get returns a programme the actor may see, or ErrNotFound.
func (programs *Programs) Get(ctx context.Context, a *birge.Actor, id int64) (birge.Program, error) {
	return programs.get(ctx, programs.s.read(), a, birge.PermProgramView, id)
}

// get loads a programme on which the actor holds perm; out of sight it is not found.
func (programs *Programs) get(ctx context.Context, c q, a *birge.Actor, perm birge.Permission, id int64) (birge.Program, error) {
	p, err := scanProgram(c.row(ctx, `SELECT `+programColumns+` FROM programs p WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, birge.ErrNotFound
	}
	if err != nil {
		return p, err
	}
	if p.CenterIDs, err = programs.centers(ctx, c, id); err != nil {
		return p, err
	}
	switch {
	case canProgram(a, perm, p):
		return p, nil
	case canProgram(a, birge.PermProgramView, p):
		return birge.Program{}, birge.ErrForbidden
	}
	return birge.Program{}, birge.ErrNotFound
}

// mayRunIn checks that the actor may manage a programme running in these centres of
// the organisation: on the organisation, or on each of the centres. A centre out of
// sight is not found; one of another organisation is a mistake on the field.
func (programs *Programs) mayRunIn(ctx context.Context, c q, a *birge.Actor, p birge.Program) error {
	if len(p.CenterIDs) == 0 && !a.Can(birge.PermProgramManage, p.OrgID, 0) {
		return birge.ErrForbidden
	}
	for _, id := range p.CenterIDs {
		ctr, err := programs.s.getCenter(ctx, c, id)
		if err != nil || !a.Can(birge.PermCenterView, ctr.OrgID, ctr.ID) {
			return birge.ErrNotFound
		}
		if ctr.OrgID != p.OrgID {
			return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"center_ids": "field.choose"}}
		}
		if !a.Can(birge.PermProgramManage, p.OrgID, id) {
			return birge.ErrForbidden
		}
	}
	return nil
}

// Create adds a programme to an organisation; those who manage programmes in it (or in
// each of its centres) may.
func (programs *Programs) Create(ctx context.Context, a *birge.Actor, p birge.Program) (birge.Program, error) {
	if !a.CanIn(birge.PermProgramManage, p.OrgID) {
		if visibleOrg(a, p.OrgID) {
			return p, birge.ErrForbidden
		}
		return p, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid",
			Fields: birge.Problems{"organization_id": "field.choose"}}
	}
	s := programs.s
	p.CreatedAt, p.UpdatedAt = s.now(), s.now()
	err := s.tx(ctx, func(c q) error {
		list, err := s.orgCategories(ctx, c, p.OrgID)
		if err != nil {
			return err
		}
		if err := p.Validate(list, nil); err != nil {
			return err
		}
		if err := programs.mayRunIn(ctx, c, a, p); err != nil {
			return err
		}
		err = c.row(ctx, `INSERT INTO programs (org_id, name_kk, name_ru, name_ky, name_en, description_kk,
			description_ru, description_ky, description_en, kind, starts_on, ends_on, status, categories,
			sdg_targets, sensitive, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			p.OrgID, p.Names.KK, p.Names.RU, p.Names.KY, p.Names.EN, p.Descriptions.KK, p.Descriptions.RU,
			p.Descriptions.KY, p.Descriptions.EN, p.Kind, p.StartsOn, p.EndsOn, p.Status,
			strings.Join(p.Categories, ","), strings.Join(p.SDGTargets, ","), p.Sensitive,
			p.CreatedAt, p.UpdatedAt).Scan(&p.ID)
		if err != nil {
			return err
		}
		if err := programs.setCenters(ctx, c, p); err != nil {
			return err
		}
		return s.audit(ctx, c, a, event{action: birge.ActionCreate, entity: birge.EntityProgram, entityID: p.ID,
			orgID: p.OrgID, changes: birge.Diff(nil, programFields(p))})
	})
	return p, err
}

func (programs *Programs) setCenters(ctx context.Context, c q, p birge.Program) error {
	if _, err := c.exec(ctx, `DELETE FROM program_centers WHERE program_id = ?`, p.ID); err != nil {
		return err
	}
	for _, id := range p.CenterIDs {
		if _, err := c.exec(ctx, `INSERT INTO program_centers (program_id, center_id) VALUES (?, ?)`, p.ID, id); err != nil {
			return err
		}
	}
	return nil
}

// Update saves changes to a programme: the actor must manage it where it runs now and
// where it will run. It never moves to another organisation. Saving it unchanged writes
// nothing: no audit entry, and its updated_at (its version) stays.
func (programs *Programs) Update(ctx context.Context, a *birge.Actor, p birge.Program) (birge.Program, error) {
	s := programs.s
	var out birge.Program
	err := s.tx(ctx, func(c q) error {
		if err := lockRow(ctx, c, "programs", p.ID); err != nil {
			return err
		}
		old, err := programs.get(ctx, c, a, birge.PermProgramView, p.ID)
		if err != nil {
			return err
		}
		if err := programs.mayRunIn(ctx, c, a, old); err != nil {
			return err
		}
		if err := sameVersion(p.UpdatedAt, old.UpdatedAt); err != nil {
			return err
		}
		p.OrgID, p.CreatedAt, p.UpdatedAt = old.OrgID, old.CreatedAt, nextVersion(s.now(), old.UpdatedAt)
		list, err := s.orgCategories(ctx, c, p.OrgID)
		if err != nil {
			return err
		}
		if err := p.Validate(list, old.Categories); err != nil {
			return err
		}
		if err := programs.mayRunIn(ctx, c, a, p); err != nil {
			return err
		}
		changes := birge.Diff(programFields(old), programFields(p))
		if len(changes) == 0 {
			out = old
			return nil
		}
		if _, err := c.exec(ctx, `UPDATE programs SET name_kk = ?, name_ru = ?, name_ky = ?, name_en = ?,
			description_kk = ?, description_ru = ?, description_ky = ?, description_en = ?, kind = ?,
			starts_on = ?, ends_on = ?, status = ?, categories = ?, sdg_targets = ?, sensitive = ?,
			updated_at = ? WHERE id = ?`,
			p.Names.KK, p.Names.RU, p.Names.KY, p.Names.EN, p.Descriptions.KK, p.Descriptions.RU,
			p.Descriptions.KY, p.Descriptions.EN, p.Kind, p.StartsOn, p.EndsOn, p.Status,
			strings.Join(p.Categories, ","), strings.Join(p.SDGTargets, ","), p.Sensitive, p.UpdatedAt, p.ID); err != nil {
			return err
		}
		if err := programs.setCenters(ctx, c, p); err != nil {
			return err
		}
		out = p
		return s.audit(ctx, c, a, event{action: birge.ActionUpdate, entity: birge.EntityProgram, entityID: p.ID,
			orgID: p.OrgID, changes: changes})
	})
	return out, err
}

// MayManage reports whether the actor may add a programme's participants and end their
// participation: program.manage where it runs.
func MayManage(a *birge.Actor, p birge.Program) bool {
	return canProgram(a, birge.PermProgramManage, p)
}

// MayEdit reports whether the actor may edit a programme: program.manage on its
// organisation or in every centre where it runs (as Update requires).
func MayEdit(a *birge.Actor, p birge.Program) bool {
	if a.Can(birge.PermProgramManage, p.OrgID, 0) {
		return true
	}
	for _, c := range p.CenterIDs {
		if !a.Can(birge.PermProgramManage, p.OrgID, c) {
			return false
		}
	}
	return len(p.CenterIDs) > 0
}

// Categories returns an organisation's categories, to name a programme's target groups
// to anyone who sees its programmes (analysts too: the list names groups, not people).
func (programs *Programs) Categories(ctx context.Context, a *birge.Actor, orgID int64) (birge.CategoryList, error) {
	if !a.CanIn(birge.PermProgramView, orgID) {
		return nil, birge.ErrNotFound
	}
	return programs.s.orgCategories(ctx, programs.s.read(), orgID)
}
