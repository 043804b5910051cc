package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/birge-org/birge/internal/birge"
)

// Outcomes is the store's view for outcomes: what became of a woman (a job, a business,
// a withdrawn divorce application), recorded by hand (Record) or by the module that
// brought it about (recordIn). Who sees them follows who sees her, as for deliveries:
// person.view in her centre and, for an outcome of a sensitive programme,
// person.sensitive there too (decision 0020).
type Outcomes struct{ s *Store }

const outcomeColumns = `o.id, o.org_id, o.center_id, o.person_id, o.program_id, o.date, o.kind, o.value,
	o.currency, o.evidence, o.recorded_by, o.source, o.source_id, o.created_at, o.updated_at,
	f.name, f.type, f.size`

// outcomesFrom is what outcomeColumns read from: an outcome and its file, if any.
const outcomesFrom = ` FROM outcomes o LEFT JOIN outcome_files f ON f.outcome_id = o.id`

func scanOutcome(row interface{ Scan(...any) error }) (birge.Outcome, error) {
	var o birge.Outcome
	var program, value, recorder, source, size sql.NullInt64
	var currency string
	var name, typ sql.NullString
	err := row.Scan(&o.ID, &o.OrgID, &o.CenterID, &o.PersonID, &program, &o.Date, &o.Kind, &value,
		&currency, &o.Evidence, &recorder, &o.Source, &source, &o.CreatedAt, &o.UpdatedAt, &name, &typ, &size)
	if program.Valid {
		o.ProgramID = &program.Int64
	}
	if value.Valid {
		o.Value = &birge.OutcomeValue{Amount: value.Int64, Currency: currency}
	}
	if typ.Valid {
		o.File = &birge.EvidenceFile{Name: name.String, Type: typ.String, Size: size.Int64}
	}
	o.RecordedBy, o.SourceID = recorder.Int64, source.Int64
	o.CreatedAt, o.UpdatedAt = o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	return o, err
}

// valueColumns are what the value and currency columns hold: NULL and ” for no value.
func valueColumns(o birge.Outcome) (any, string) {
	if o.Value == nil {
		return nil, ""
	}
	return o.Value.Amount, o.Value.Currency
}

// outcomeFields are what an entry about an outcome records; person_id names her, so the
// entry is sealed with her key (birge.AuditEntities).
func outcomeFields(o birge.Outcome) map[string]any {
	m := map[string]any{"person_id": o.PersonID, "date": o.Date, "kind": o.Kind,
		"evidence": o.Evidence, "evidence_file": "", "recorded_by": o.RecordedBy, "source": o.Source, "program_id": int64(0)}
	if o.ProgramID != nil {
		m["program_id"] = *o.ProgramID
	}
	m["value"], m["currency"] = valueColumns(o)
	if o.File != nil {
		m["evidence_file"] = o.File.Name
	}
	return m
}

// Kinds returns an organisation's kinds of outcome, retired ones too, to those who see
// women in it.
func (outcomes *Outcomes) Kinds(ctx context.Context, a *birge.Actor, orgID int64) (birge.KindList, error) {
	if !a.CanIn(birge.PermPersonView, orgID) {
		return nil, birge.ErrNotFound
	}
	return outcomeKinds.list(ctx, outcomes.s.read(), orgID)
}

// Record records an outcome in her life by hand, with its evidence file if any.
func (outcomes *Outcomes) Record(ctx context.Context, a *birge.Actor, o birge.Outcome) (birge.Outcome, error) {
	err := outcomes.s.tx(ctx, func(c q) error {
		var err error
		o.Source, o.SourceID = birge.SourceManual, 0
		o, err = outcomes.recordIn(ctx, c, a, o)
		return err
	})
	return o, err
}

// RecordMany records several outcomes, all or none: a mistake in any refuses them all,
// each problem named by its item (items[3].date).
func (outcomes *Outcomes) RecordMany(ctx context.Context, a *birge.Actor, list []birge.Outcome) ([]birge.Outcome, error) {
	out := make([]birge.Outcome, len(list))
	err := outcomes.s.tx(ctx, func(c q) error {
		pr := birge.Problems{}
		for i, o := range list {
			o.Source, o.SourceID = birge.SourceManual, 0
			var err error
			out[i], err = outcomes.recordIn(ctx, c, a, o)
			if err := itemProblems(pr, i, err); err != nil {
				return err
			}
		}
		// Every problem is named at once; the transaction then rolls all of them back.
		return pr.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// recordIn records an outcome inside the caller's transaction: a module that brings it
// about (a case closed with a reconciliation, a grant's business started) writes its own
// record and her outcome with the same c, so both are committed or neither. o.Source
// names the module and o.SourceID its record. The actor must hold outcome.record in her
// centre.
func (outcomes *Outcomes) recordIn(ctx context.Context, c q, a *birge.Actor, o birge.Outcome) (birge.Outcome, error) {
	s := outcomes.s
	her, err := s.People.visiblePerson(ctx, c, a, o.PersonID)
	if err != nil {
		return o, err
	}
	if !a.Can(birge.PermOutcomeRecord, her.OrgID, her.CenterID) {
		return o, birge.ErrForbidden
	}
	o.ID, o.OrgID, o.CenterID, o.RecordedBy, o.File = 0, her.OrgID, her.CenterID, a.UserID, nil
	if err := outcomes.check(ctx, c, a, her, &o); err != nil {
		return o, err
	}
	o.CreatedAt, o.UpdatedAt = s.now(), s.now()
	value, currency := valueColumns(o)
	var source any
	if o.SourceID != 0 {
		source = o.SourceID
	}
	if err := c.row(ctx, `INSERT INTO outcomes (org_id, center_id, person_id, program_id, date, kind, value,
		currency, evidence, recorded_by, source, source_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		o.OrgID, o.CenterID, o.PersonID, o.ProgramID, o.Date, o.Kind, value, currency, o.Evidence,
		nullID(o.RecordedBy), o.Source, source, o.CreatedAt, o.UpdatedAt).Scan(&o.ID); err != nil {
		return o, err
	}
	upload := o.Upload
	o.Upload, o.File = nil, upload.Describe()
	// The entry first: it locks her organisation's chain, under which her key is made.
	if err := s.audit(ctx, c, a, event{action: birge.ActionCreate, entity: birge.EntityOutcome, entityID: o.ID,
		orgID: o.OrgID, centerID: o.CenterID, changes: birge.Diff(nil, outcomeFields(o))}); err != nil {
		return o, err
	}
	return o, outcomes.attach(ctx, c, o, upload)
}

// check validates an outcome of hers: its fields and its programme, which must be one
// a delivery to her could be recorded in.
func (outcomes *Outcomes) check(ctx context.Context, c q, a *birge.Actor, her personRow, o *birge.Outcome) error {
	kinds, err := outcomeKinds.list(ctx, c, her.OrgID)
	if err != nil {
		return err
	}
	verr := o.Validate(kinds, a.Today(outcomes.s.now()))
	pr := birge.Problems{}
	var e *birge.Error
	if errors.As(verr, &e) {
		pr = e.Fields
	} else if verr != nil {
		return verr
	}
	if o.ProgramID != nil {
		ok, err := outcomes.s.Deliveries.batch(a).programOpen(ctx, c, her, *o.ProgramID)
		if err != nil {
			return err
		}
		if !ok {
			pr.Add("program_id", "field.choose")
		}
	}
	return pr.Err()
}

// Get returns one outcome the actor may see, or ErrNotFound.
func (outcomes *Outcomes) Get(ctx context.Context, a *birge.Actor, id int64) (birge.Outcome, error) {
	o, _, err := outcomes.get(ctx, outcomes.s.read(), a, id)
	return o, err
}

func (outcomes *Outcomes) get(ctx context.Context, c q, a *birge.Actor, id int64) (birge.Outcome, personRow, error) {
	o, err := scanOutcome(c.row(ctx, `SELECT `+outcomeColumns+outcomesFrom+` WHERE o.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return o, personRow{}, birge.ErrNotFound
	}
	if err != nil {
		return o, personRow{}, err
	}
	her, err := outcomes.s.People.visiblePerson(ctx, c, a, o.PersonID)
	if err != nil {
		return birge.Outcome{}, her, err
	}
	var sensitive bool
	if o.ProgramID != nil {
		if err := c.row(ctx, `SELECT sensitive FROM programs WHERE id = ?`, *o.ProgramID).Scan(&sensitive); err != nil {
			return o, her, err
		}
	}
	if !seesSensitive(a, her, sensitive) {
		return birge.Outcome{}, her, birge.ErrNotFound
	}
	return o, her, nil
}
