package store

import (
	"context"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/geo"
)

// Applications is the store's view for applications to calls (decision 0035). The public
// side needs no account: a woman starts a draft, comes back to it with the private token
// she was given, attaches files and submits it; she checks its status with its reference
// and her phone. The staff side (call_application_staff.go) is for those who see the
// call's organisation's competitions.
type Applications struct{ s *Store }

// applicationForm is the system actor the public form writes as.
const applicationForm = "public application form"

// ApplicationInput is what the public form or API sends: a new application (no
// Reference) or the draft named by Reference with its Token; submitted when Submit.
// Bot says the form's hidden field was filled in.
type ApplicationInput struct {
	Reference string
	Token     string
	Applicant birge.Applicant
	Answers   map[string]json.RawMessage
	Language  string
	Submit    bool
	Bot       bool
}

// ApplicationReceipt is what she is told: the reference, and for a new draft the token
// of her private link (shown once: the store keeps only its hash).
type ApplicationReceipt struct {
	Reference string
	Token     string
	Status    string
}

// applyKey counts the applications started from an address; missKey the wrong tokens,
// references and phones tried from it. Both live in the sign-in throttle's table.
func applyKey(ip string) string { return "apply:" + birge.ThrottleAddress(ip) }
func missKey(ip string) string  { return "apply-miss:" + birge.ThrottleAddress(ip) }

// miss counts a wrong guess from an address and answers as for an unknown reference.
func (apps *Applications) miss(ctx context.Context, ip string) error {
	s := apps.s
	if err := s.tx(ctx, func(c q) error { return s.bumpThrottle(ctx, c, missKey(ip)) }); err != nil {
		return err
	}
	return birge.ErrNotFound
}

// ClosedError is a late application's refusal: the call closed at ClosesAt, which the
// page and the API show in her language and the centres' zone.
type ClosedError struct{ ClosesAt time.Time }

func (e *ClosedError) Error() string { return "the call closed at " + e.ClosesAt.Format(time.RFC3339) }

// AsBirge is the refusal as an invalid-input error whose detail names the closing time.
func (e *ClosedError) AsBirge(closes string) *birge.Error {
	return &birge.Error{Kind: birge.KindInvalid, Key: "application.closed", Args: map[string]any{"time": closes}}
}

// openCall returns a call that takes applications now: a call not yet open (or not
// published) is not found; one closed is a *ClosedError.
func (apps *Applications) openCall(ctx context.Context, c q, id int64) (birge.Call, error) {
	call, err := apps.s.Calls.scanCall(c.row(ctx, `SELECT `+callColumns+` FROM calls c WHERE c.id = ?`, id))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return call, birge.ErrNotFound
	case err != nil:
		return call, err
	case call.Status == birge.CallClosed:
		return call, &ClosedError{ClosesAt: call.ClosesAt}
	case call.Status != birge.CallOpen:
		return call, birge.ErrNotFound
	}
	return call, nil
}

// applicationCenter is the centre a new applicant is registered at: the organisation's
// first centre in her region, else its first; its country reads her phones.
func (apps *Applications) applicationCenter(ctx context.Context, c q, orgID int64, region string) (birge.Center, error) {
	var id int64
	err := c.row(ctx, `SELECT id FROM centers WHERE org_id = ? ORDER BY CASE WHEN region = ? THEN 0 ELSE 1 END, id LIMIT 1`,
		orgID, region).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return birge.Center{}, errors.New("the call's organisation has no centre to register applicants at")
	}
	if err != nil {
		return birge.Center{}, err
	}
	return apps.s.getCenter(ctx, c, id)
}

// Regions are the regions an applicant may live in: the call's, or when it names none,
// every region of the countries its organisation has centres in — her record is kept at
// one of them, and read by that country's rules (a Kazakh organisation's applicant in a
// Kyrgyz oblast would be refused at submitting).
func (apps *Applications) Regions(ctx context.Context, call birge.Call) ([]string, error) {
	if len(call.Regions) > 0 {
		return call.Regions, nil
	}
	rows, err := apps.s.read().query(ctx, `SELECT DISTINCT country FROM centers WHERE org_id = ? ORDER BY country`, call.OrgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var country string
		if err := rows.Scan(&country); err != nil {
			return nil, err
		}
		for _, rg := range geo.Regions(country) {
			out = append(out, rg.Code)
		}
	}
	return out, rows.Err()
}

func hashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// appRow is an application's row as stored: its applicant still sealed.
type appRow struct {
	birge.Application
	tokenHash string
	sealed    string
	keyPerson int64
	orgID     int64
}

const appColumns = `a.id, a.call_id, a.reference, a.token_hash, a.person_id, a.key_person_id, a.status, a.language,
	a.applicant, a.answers, a.region, a.district, a.rural, a.eligibility_reasons, a.override_reason, a.overridden_by,
	a.submitted_at, a.created_at, a.updated_at, c.org_id`

func scanApp(row interface{ Scan(...any) error }) (appRow, error) {
	var r appRow
	var person, keyPerson, by sql.NullInt64
	var answers, reasons string
	var at sql.NullTime
	err := row.Scan(&r.ID, &r.CallID, &r.Reference, &r.tokenHash, &person, &keyPerson, &r.Status, &r.Language,
		&r.sealed, &answers, &r.Region, &r.District, &r.Rural, &reasons, &r.OverrideReason, &by, &at,
		&r.CreatedAt, &r.UpdatedAt, &r.orgID)
	if err != nil {
		return r, err
	}
	r.PersonID, r.keyPerson, r.OverriddenBy = person.Int64, keyPerson.Int64, by.Int64
	if at.Valid {
		t := at.Time.UTC()
		r.SubmittedAt = &t
	}
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	r.Answers, r.EligibilityReasons, r.Files = map[string]any{}, []birge.EligibilityReason{}, []birge.ApplicationFile{}
	r.Applicant.Phones, r.Applicant.Categories = []string{}, []string{}
	if answers != "" {
		if err := json.Unmarshal([]byte(answers), &r.Answers); err != nil {
			return r, err
		}
	}
	return r, json.Unmarshal([]byte(reasons), &r.EligibilityReasons)
}

// aeadOf is the key that seals an application's applicant and files: hers once she
// submitted (nil when she was anonymised since), the installation's before.
func (apps *Applications) aeadOf(ctx context.Context, c q, keyPerson int64) (cipher.AEAD, error) {
	if keyPerson == 0 {
		return apps.s.seal.aead, nil
	}
	return apps.s.loadPersonKey(ctx, c, keyPerson)
}

// open fills in the applicant's fields, sealed in the row: nothing once she was
// anonymised.
func (apps *Applications) open(ctx context.Context, c q, r *appRow) error {
	if r.sealed == "" {
		return nil
	}
	aead, err := apps.aeadOf(ctx, c, r.keyPerson)
	if err != nil || aead == nil {
		return err
	}
	plain, err := openWith(aead, r.sealed)
	if err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(plain), &r.Applicant); err != nil {
		return err
	}
	if r.Applicant.Phones == nil {
		r.Applicant.Phones = []string{}
	}
	if r.Applicant.Categories == nil {
		r.Applicant.Categories = []string{}
	}
	return nil
}

// files lists an application's attachments, without their content.
func (apps *Applications) files(ctx context.Context, c q, id int64) ([]birge.ApplicationFile, error) {
	rows, err := c.query(ctx, `SELECT id, field, name, type, size FROM application_files WHERE application_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []birge.ApplicationFile{}
	for rows.Next() {
		var f birge.ApplicationFile
		if err := rows.Scan(&f.ID, &f.Field, &f.Name, &f.Type, &f.Size); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

func filesByField(files []birge.ApplicationFile) map[string]int {
	n := map[string]int{}
	for _, f := range files {
		n[f.Field]++
	}
	return n
}

// referenceShaped reports whether what was typed for a reference could be one: a few
// letters, digits and dashes. Anything else (a NUL byte or bytes that are not UTF-8,
// which PostgreSQL refuses to compare) is a wrong reference without asking the database.
func referenceShaped(typed string) bool {
	ref := birge.CleanReference(typed)
	if ref == "" || len(ref) > 32 {
		return false
	}
	for _, r := range ref {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != '-' {
			return false
		}
	}
	return true
}

// byToken returns the application a reference and its private token name, with its
// applicant and files; a wrong token is as unknown as a wrong reference, and counts
// against the address.
func (apps *Applications) byToken(ctx context.Context, ip, reference, token string) (appRow, error) {
	s := apps.s
	c := s.read() // not in a transaction: a wrong guess is counted in one of its own (miss)
	if err := s.throttled(ctx, missKey(ip)); err != nil {
		return appRow{}, err
	}
	if !referenceShaped(reference) {
		return appRow{}, apps.miss(ctx, ip)
	}
	r, err := scanApp(c.row(ctx, `SELECT `+appColumns+` FROM applications a JOIN calls c ON c.id = a.call_id
		WHERE a.reference = ?`, birge.CleanReference(reference)))
	if errors.Is(err, sql.ErrNoRows) || err == nil && subtle.ConstantTimeCompare([]byte(r.tokenHash), []byte(hashToken(token))) != 1 {
		return appRow{}, apps.miss(ctx, ip)
	}
	if err != nil {
		return r, err
	}
	if err := apps.open(ctx, c, &r); err != nil {
		return r, err
	}
	r.Files, err = apps.files(ctx, c, r.ID)
	return r, err
}

// Draft returns the application her private link names, for her to go on with (or see
// what she submitted), and its call.
func (apps *Applications) Draft(ctx context.Context, ip, reference, token string) (birge.Application, birge.Call, error) {
	c := apps.s.read()
	r, err := apps.byToken(ctx, ip, reference, token)
	if err != nil {
		return birge.Application{}, birge.Call{}, err
	}
	call, err := apps.s.Calls.scanCall(c.row(ctx, `SELECT `+callColumns+` FROM calls c WHERE c.id = ?`, r.CallID))
	return r.Application, call, err
}

// Save writes an application from the public form or API, from the address ip: a new
// draft (or one submitted at once) when in names no reference, else the draft it names,
// with its token. A draft is checked for what she wrote; a submission for everything the
// form and the registry need, then linked to her record (People.publicPerson, in
// txPerson) and checked against the call's rules. Nothing is saved when anything is
// wrong. A submitted application cannot be changed (conflict); a call that has closed
// refuses with its closing time (*ClosedError).
func (apps *Applications) Save(ctx context.Context, ip string, callID int64, in ApplicationInput) (ApplicationReceipt, error) {
	s := apps.s
	if in.Reference == "" {
		if err := s.throttled(ctx, applyKey(ip)); err != nil {
			return ApplicationReceipt{}, err
		}
	}
	call, err := apps.openCall(ctx, s.read(), callID)
	if err != nil {
		return ApplicationReceipt{}, err
	}
	if in.Bot {
		// A robot is told what a person would be, and its address pays for it.
		err := s.tx(ctx, func(c q) error { return s.bumpThrottle(ctx, c, applyKey(ip)) })
		return ApplicationReceipt{Reference: birge.NewReference(call.Kind), Token: newToken(), Status: birge.AppDraft}, err
	}
	var old appRow
	if in.Reference != "" {
		if old, err = apps.byToken(ctx, ip, in.Reference, in.Token); err != nil {
			return ApplicationReceipt{}, err
		}
		if old.CallID != callID {
			return ApplicationReceipt{}, birge.ErrNotFound
		}
		if old.Status != birge.AppDraft {
			return ApplicationReceipt{}, &birge.Error{Kind: birge.KindConflict, Key: "application.submitted"}
		}
	}
	if !birge.ValidLang(in.Language) {
		in.Language = "ru"
	}
	ctr, err := apps.applicationCenter(ctx, s.read(), call.OrgID, in.Applicant.Region)
	if err != nil {
		return ApplicationReceipt{}, err
	}
	today := birge.Day(s.now(), birge.Location(ctr.TimeZone))
	pr := in.Applicant.Check(call, ctr.Country, today, in.Submit)
	answers, apr := birge.CheckAnswers(call, in.Answers, filesByField(old.Files), in.Submit)
	for f, key := range apr {
		pr.Add(f, key)
	}
	if err := pr.Err(); err != nil {
		return ApplicationReceipt{}, err
	}
	app := old.Application
	app.CallID, app.Language, app.Applicant, app.Answers = callID, in.Language, in.Applicant, answers
	out := ApplicationReceipt{Reference: old.Reference, Status: birge.AppDraft}
	if in.Reference == "" {
		out.Reference, out.Token = birge.NewReference(call.Kind), newToken()
		app.Reference = out.Reference
	}
	write := func(c q) error {
		if in.Reference != "" {
			if err := lockRow(ctx, c, "applications", old.ID); err != nil {
				return err
			}
			var status string
			if err := c.row(ctx, `SELECT status FROM applications WHERE id = ?`, old.ID).Scan(&status); err != nil {
				return err
			}
			if status != birge.AppDraft {
				return &birge.Error{Kind: birge.KindConflict, Key: "application.submitted"}
			}
		} else if err := s.takeTurn(ctx, c, applyKey(ip)); err != nil {
			return err
		}
		if !in.Submit {
			return apps.writeDraft(ctx, c, call, &app, out.Token)
		}
		status, err := apps.submit(ctx, c, call, ctr, &app, out.Token, today)
		out.Status = toldStatus(call, app, status, today)
		return err
	}
	if in.Submit {
		err = s.People.txPerson(ctx, write)
	} else {
		err = s.tx(ctx, write)
	}
	if err != nil {
		return ApplicationReceipt{}, err
	}
	if in.Submit {
		out.Token = "" // nothing is left to come back to
	}
	return out, nil
}

// writeDraft inserts a new draft (token: its private token) or updates one, its
// applicant sealed with the installation's key. Only its creation is audited: until she
// submits, what she writes is hers alone, and nobody else reads it.
func (apps *Applications) writeDraft(ctx context.Context, c q, call birge.Call, app *birge.Application, token string) error {
	s := apps.s
	applicant, err := json.Marshal(app.Applicant)
	if err != nil {
		return err
	}
	answers, err := json.Marshal(app.Answers)
	if err != nil {
		return err
	}
	if app.ID != 0 {
		_, err := c.exec(ctx, `UPDATE applications SET language = ?, applicant = ?, answers = ?, updated_at = ? WHERE id = ?`,
			app.Language, s.seal.seal(string(applicant)), string(answers), s.now(), app.ID)
		return err
	}
	if err := c.row(ctx, `INSERT INTO applications (call_id, reference, token_hash, status, language, applicant, answers,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, call.ID, app.Reference, hashToken(token),
		birge.AppDraft, app.Language, s.seal.seal(string(applicant)), string(answers), s.now(), s.now()).Scan(&app.ID); err != nil {
		return err
	}
	return s.audit(ctx, c, birge.System(applicationForm), event{action: birge.ActionCreate, entity: birge.EntityApplication,
		entityID: app.ID, orgID: call.OrgID, changes: birge.Diff(nil, map[string]any{"call_id": call.ID,
			"reference": app.Reference, "status": birge.AppDraft})})
}

// submit links her to the registry, checks the call's rules and writes the application
// as submitted, its applicant and files sealed with her key from now on; it returns the
// status the rules gave.
func (apps *Applications) submit(ctx context.Context, c q, call birge.Call, ctr birge.Center, app *birge.Application,
	token string, today time.Time) (string, error) {
	s := apps.s
	personID, _, err := s.People.publicPerson(ctx, c, applicationForm, app.Applicant.Person(ctr.ID))
	if err != nil {
		if be := birge.AsError(err); be != nil && len(be.Fields) > 0 {
			pr := birge.Problems{}
			for f, key := range be.Fields {
				pr.Add("applicant."+f, key)
			}
			return "", pr.Err()
		}
		return "", err
	}
	var categories []string
	rows, err := c.query(ctx, `SELECT code FROM person_categories WHERE person_id = ?`, personID)
	if err != nil {
		return "", err
	}
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			rows.Close()
			return "", err
		}
		categories = append(categories, code)
	}
	rows.Close()
	var earlier int
	if err := c.row(ctx, `SELECT COUNT(*) FROM applications a JOIN calls c ON c.id = a.call_id
		WHERE a.person_id = ? AND a.status = ? AND c.program_id = ? AND a.call_id <> ?`,
		personID, birge.AppAwarded, call.ProgramID, call.ID).Scan(&earlier); err != nil {
		return "", err
	}
	reasons := birge.CheckEligibility(call, app.Facts(categories, earlier > 0), today)
	status := birge.EligibilityStatus(reasons)
	aead, err := s.personKey(ctx, c, personID)
	if err != nil {
		return "", err
	}
	applicant, err := json.Marshal(app.Applicant)
	if err != nil {
		return "", err
	}
	answers, err := json.Marshal(app.Answers)
	if err != nil {
		return "", err
	}
	reasonsJSON, err := json.Marshal(reasons)
	if err != nil {
		return "", err
	}
	now := s.now()
	args := []any{personID, personID, status, app.Language, sealWith(aead, string(applicant)), string(answers),
		app.Applicant.Region, app.Applicant.District, app.Applicant.Rural, string(reasonsJSON), now, now}
	created := app.ID == 0
	if created {
		err = c.row(ctx, `INSERT INTO applications (person_id, key_person_id, status, language, applicant, answers, region,
			district, rural, eligibility_reasons, submitted_at, updated_at, call_id, reference, token_hash, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			append(args, call.ID, app.Reference, hashToken(token), now)...).Scan(&app.ID)
	} else {
		_, err = c.exec(ctx, `UPDATE applications SET person_id = ?, key_person_id = ?, status = ?, language = ?,
			applicant = ?, answers = ?, region = ?, district = ?, rural = ?, eligibility_reasons = ?, submitted_at = ?,
			updated_at = ? WHERE id = ?`, append(args, app.ID)...)
	}
	if err != nil {
		return "", err
	}
	if err := apps.resealFiles(ctx, c, app.ID, personID, aead); err != nil {
		return "", err
	}
	changes := map[string]birge.Change{"person_id": {After: personID}, "call_id": {After: call.ID},
		"reference": {After: app.Reference}, "status": {Before: birge.AppDraft, After: status},
		"eligibility_reasons": {After: string(reasonsJSON)}, "applicant": {After: string(applicant)}}
	ev := event{action: birge.ActionUpdate, entity: birge.EntityApplication, entityID: app.ID, orgID: call.OrgID,
		centerID: ctr.ID, changes: changes}
	if created {
		ev.action, changes["status"] = birge.ActionCreate, birge.Change{After: status}
	}
	return status, s.audit(ctx, c, birge.System(applicationForm), ev)
}

// resealFiles seals a submitted application's files with her key, one at a time, so
// that anonymising her erases them with it.
func (apps *Applications) resealFiles(ctx context.Context, c q, appID, personID int64, aead cipher.AEAD) error {
	var ids []int64
	rows, err := c.query(ctx, `SELECT id FROM application_files WHERE application_id = ? AND key_person_id IS NULL`, appID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	for _, id := range ids {
		var sealed []byte
		if err := c.row(ctx, `SELECT content FROM application_files WHERE id = ?`, id).Scan(&sealed); err != nil {
			return err
		}
		content, err := openBytes(apps.s.seal.aead, sealed)
		if err != nil {
			return err
		}
		if _, err := c.exec(ctx, `UPDATE application_files SET content = ?, key_person_id = ? WHERE id = ?`,
			sealBytes(aead, content), personID, id); err != nil {
			return err
		}
	}
	return nil
}

func sealBytes(aead cipher.AEAD, content []byte) []byte {
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	return aead.Seal(nonce, nonce, content, nil)
}

func openBytes(aead cipher.AEAD, sealed []byte) ([]byte, error) {
	n := aead.NonceSize()
	if len(sealed) < n {
		return nil, errors.New("application file is damaged")
	}
	content, err := aead.Open(nil, sealed[:n], sealed[n:], nil)
	if err != nil {
		return nil, errors.New("application file does not open with its key")
	}
	return content, nil
}

// AddFile attaches an upload to a file field of her draft, named by its reference and
// token: a PDF, JPEG or PNG (read from its content) of at most birge.MaxEvidenceBytes,
// at most birge.MaxApplicationFiles in all, sealed with the installation's key until
// she submits.
func (apps *Applications) AddFile(ctx context.Context, ip, reference, token, field string, u birge.EvidenceUpload) (birge.ApplicationFile, error) {
	s := apps.s
	r, err := apps.byToken(ctx, ip, reference, token)
	if err != nil {
		return birge.ApplicationFile{}, err
	}
	call, err := apps.openCall(ctx, s.read(), r.CallID)
	if err != nil {
		return birge.ApplicationFile{}, err
	}
	if r.Status != birge.AppDraft {
		return birge.ApplicationFile{}, &birge.Error{Kind: birge.KindConflict, Key: "application.submitted"}
	}
	pr := birge.Problems{}
	if !slices.ContainsFunc(call.Form, func(f birge.CallField) bool { return f.Code == field && f.Type == "file" }) {
		pr.Add("field", "field.choose")
	}
	typ, key := u.EvidenceType()
	pr.Add("file", key)
	if len(r.Files) >= birge.MaxApplicationFiles {
		pr.Add("file", "application.too_many_files")
	}
	if err := pr.Err(); err != nil {
		return birge.ApplicationFile{}, err
	}
	f := birge.ApplicationFile{Field: field, Name: u.CleanName(), Type: typ, Size: int64(len(u.Content))}
	err = s.tx(ctx, func(c q) error {
		if err := lockRow(ctx, c, "applications", r.ID); err != nil {
			return err
		}
		var status string
		var n int
		if err := c.row(ctx, `SELECT status, (SELECT COUNT(*) FROM application_files WHERE application_id = a.id)
			FROM applications a WHERE id = ?`, r.ID).Scan(&status, &n); err != nil {
			return err
		}
		switch {
		case status != birge.AppDraft:
			return &birge.Error{Kind: birge.KindConflict, Key: "application.submitted"}
		case n >= birge.MaxApplicationFiles:
			return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"file": "application.too_many_files"}}
		}
		return c.row(ctx, `INSERT INTO application_files (application_id, field, name, type, size, content, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, r.ID, f.Field, f.Name, f.Type, f.Size,
			sealBytes(s.seal.aead, u.Content), s.now()).Scan(&f.ID)
	})
	return f, err
}

// Status tells the status of the application a reference names to one who gives one of
// its applicant's phones; a wrong phone is as unknown as a wrong reference, and counts
// against the address.
func (apps *Applications) Status(ctx context.Context, ip, reference, phone string) (string, error) {
	s := apps.s
	c := s.read()
	if err := s.throttled(ctx, missKey(ip)); err != nil {
		return "", err
	}
	if !referenceShaped(reference) {
		return "", apps.miss(ctx, ip)
	}
	r, err := scanApp(c.row(ctx, `SELECT `+appColumns+` FROM applications a JOIN calls c ON c.id = a.call_id
		WHERE a.reference = ?`, birge.CleanReference(reference)))
	if errors.Is(err, sql.ErrNoRows) {
		return "", apps.miss(ctx, ip)
	}
	if err != nil {
		return "", err
	}
	if err := apps.open(ctx, c, &r); err != nil {
		return "", err
	}
	ctr, err := apps.applicationCenter(ctx, c, r.orgID, r.Applicant.Region)
	if err != nil {
		return "", err
	}
	typed, _ := birge.NormalizePhone(phone, ctr.Country)
	if typed == "" || !slices.Contains(r.Applicant.Phones, typed) {
		return "", apps.miss(ctx, ip)
	}
	if r.SubmittedAt == nil {
		return r.Status, nil
	}
	call, err := apps.s.Calls.scanCall(c.row(ctx, `SELECT `+callColumns+` FROM calls c WHERE c.id = ?`, r.CallID))
	if err != nil {
		return "", err
	}
	return toldStatus(call, r.Application, r.Status, birge.Day(*r.SubmittedAt, birge.Location(ctr.TimeZone))), nil
}

// toldStatus is the status the public form and the status check tell of a submitted
// application: the rules' answer on what she typed alone. The rules also read the record
// she was linked to (its categories, an earlier award), and anyone may type a woman's
// identity number: telling that answer would tell a stranger what the registry holds of
// her (decision 0035: nothing about anyone is revealed). An officer's override, and the
// decision's statuses, are told as they are.
func toldStatus(call birge.Call, app birge.Application, status string, day time.Time) string {
	if status != birge.AppEligible && status != birge.AppIneligible || app.OverrideReason != "" {
		return status
	}
	return birge.EligibilityStatus(birge.CheckEligibility(call, app.Facts(nil, false), day))
}

// RuleCategories names the categories a call's rules ask for, in lang, for the public
// form to offer: the rules are public with the call (decision 0030), the rest of the
// organisation's list is not.
func (apps *Applications) RuleCategories(ctx context.Context, c birge.Call, lang string) (map[string]string, error) {
	out := map[string]string{}
	if len(c.Eligibility.Categories) == 0 {
		return out, nil
	}
	list, err := apps.s.orgCategories(ctx, apps.s.read(), c.OrgID)
	if err != nil {
		return nil, err
	}
	for _, code := range c.Eligibility.Categories {
		out[code] = list.Label(code, lang)
	}
	return out, nil
}
