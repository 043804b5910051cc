package birge

import (
	"encoding/json"
	"strconv"
)

// AuditAction says what an audit entry records. Every action the store writes is one of
// AuditActions; the audit page's filter and labels are made from that list, and a store
// test fails when the store writes an action missing from it.
type AuditAction string

const (
	ActionCreate           AuditAction = "create"
	ActionUpdate           AuditAction = "update"
	ActionDelete           AuditAction = "delete"
	ActionLogin            AuditAction = "login"
	ActionLoginFailed      AuditAction = "login_failed"
	ActionLogout           AuditAction = "logout"
	ActionLogoutEverywhere AuditAction = "logout_everywhere"
	ActionPassword         AuditAction = "password"
	ActionGrant            AuditAction = "grant"
	ActionRevoke           AuditAction = "revoke"
	ActionRevealID         AuditAction = "reveal_id"
	ActionConsent          AuditAction = "consent"
	ActionConsentWithdrawn AuditAction = "consent_withdrawn"
	ActionRelation         AuditAction = "relation"
	ActionRelationRemoved  AuditAction = "relation_removed"
	ActionNotDuplicate     AuditAction = "not_duplicate"
	ActionMerge            AuditAction = "merge"
	ActionUnmerge          AuditAction = "unmerge"
	ActionExport           AuditAction = "export"
	ActionExportDossier    AuditAction = "export_dossier"
	ActionAnonymise        AuditAction = "anonymise"
	ActionUpload           AuditAction = "upload"
	ActionApply            AuditAction = "apply"
	ActionImport           AuditAction = "import"
	ActionChainStart       AuditAction = "chain_start"
)

// AuditActions are every action, in the order the audit page's filter offers them.
var AuditActions = []AuditAction{ActionCreate, ActionUpdate, ActionDelete, ActionLogin, ActionLoginFailed,
	ActionLogout, ActionLogoutEverywhere, ActionPassword, ActionGrant, ActionRevoke, ActionRevealID,
	ActionConsent, ActionConsentWithdrawn, ActionRelation, ActionRelationRemoved, ActionNotDuplicate,
	ActionMerge, ActionUnmerge, ActionExport, ActionExportDossier, ActionAnonymise, ActionUpload,
	ActionApply, ActionImport, ActionChainStart}

// Label is the catalog key of the action's name.
func (a AuditAction) Label() string { return "audit.action." + string(a) }

// AuditEntity says what kind of record an audit entry is about.
type AuditEntity string

const (
	EntityOrganization AuditEntity = "organization"
	EntityCenter       AuditEntity = "center"
	EntityCategory     AuditEntity = "category"
	EntityUser         AuditEntity = "user"
	EntityToken        AuditEntity = "token"
	EntityPerson       AuditEntity = "person"
	EntityPersonList   AuditEntity = "person_list"
	EntityImport       AuditEntity = "import"
	EntityAudit        AuditEntity = "audit"
	EntityProgram      AuditEntity = "program"
	EntityParticipant  AuditEntity = "program_participant"
	EntityDelivery     AuditEntity = "delivery"
	EntityOutcome      AuditEntity = "outcome"
	EntityIndicator    AuditEntity = "indicator"
	EntityFunding      AuditEntity = "funding"
	EntitySpending     AuditEntity = "funding_spending"
	EntityDeadline     AuditEntity = "funding_deadline"
	EntityKind         AuditEntity = "kind"               // of service or outcome, in an organisation's list
	EntityCase         AuditEntity = "case"               // a family's counselling and mediation case
	EntityScreening    AuditEntity = "screening"          // one partner's safety screening in a case
	EntitySafetyPlan   AuditEntity = "safety_plan"        // a survivor's safety plan on a flagged case
	EntityReferral     AuditEntity = "referral"           // a person referred to another centre or an outside service
	EntityService      AuditEntity = "service"            // an outside service in an organisation's directory
	EntitySession      AuditEntity = "case_session"       // an appointment of a family case
	EntitySessionNote  AuditEntity = "case_session_note"  // a worker's private note of a session
	EntityCaseRequest  AuditEntity = "case_request"       // a request for a consultation from the public site
	EntityQuestions    AuditEntity = "screening_version"  // a version of an organisation's screening questions
	EntityCall         AuditEntity = "call"               // a competition: a call for grants or scholarships
	EntityCourse       AuditEntity = "course"             // a training of an organisation's catalogue
	EntityCohort       AuditEntity = "cohort"             // a run of a course, with its trainers and places
	EntityTrainingSess AuditEntity = "training_session"   // a meeting of a cohort
	EntityEnrollment   AuditEntity = "enrollment"         // a woman in a cohort, or on its waiting list
	EntityCertificate  AuditEntity = "certificate"        // of a training, for a woman who completed it
	EntityTrainingMark AuditEntity = "training_mark"      // a woman's mark in a training session's register
	EntityApplication  AuditEntity = "application"        // an application to a call
	EntityAward        AuditEntity = "award"              // a grant or scholarship given: tranches, evidence, payments, follow-ups
	EntityReview       AuditEntity = "application_review" // a reviewer's assignment to an application, her scores or conflict
	EntityDecision     AuditEntity = "call_decision"      // a call's awards, shortlist and rejections
	EntityFollowup     AuditEntity = "training_followup"  // what became of her months after a course
	EntityFollowupLink AuditEntity = "followup_link"      // a one-time link through which she answers a follow-up
)

// Label is the catalog key of the entity's name.
func (e AuditEntity) Label() string { return "audit.entity." + string(e) }

// Kind is what AuditEntities declares about the entity; an entity missing from it has
// no person and no known fields.
func (e AuditEntity) Kind() AuditEntityKind {
	for _, k := range AuditEntities {
		if k.Entity == e {
			return k
		}
	}
	return AuditEntityKind{Entity: e}
}

// PersonIsEntity, as an entity's Person, says its entries are about the person whose
// record the entry's entity id is.
const PersonIsEntity = "entity_id"

// AuditEntityKind is what the entries about one kind of record hold.
type AuditEntityKind struct {
	Entity AuditEntity
	// Person says how an entry names the person its values are about, whose data key
	// seals them and whose anonymisation erases them: PersonIsEntity, or a field of its
	// changes that holds her id (which must be Kept, to be read after). Empty for records
	// about no one she could ask to forget her.
	Person string
	// Fields are the fields its entries record, with their labels and how their values
	// read. Of a person's entries, only Kept fields stay readable after she is anonymised;
	// an unknown field is sealed, so a field added later is sealed unless someone decides
	// here that it identifies no one.
	Fields map[string]AuditField
}

// AuditField is a field of an entity's audit entries.
type AuditField struct {
	Label string     // catalog key of its name, as the record's form calls it
	Value AuditValue // how its values read
	Kept  bool       // readable after the person it concerns is anonymised
}

// AuditValue says how a field's values read on the audit page.
type AuditValue int

const (
	ValueText         AuditValue = iota // as written
	ValueYesNo                          // a boolean as yes or no
	ValueDay                            // an ISO day in the language's day form
	ValueTime                           // an instant, in the reader's time zone
	ValueLanguage                       // a language code by the language's name
	ValueCountry                        // a country code by its name
	ValueRegion                         // a region code by its name
	ValueDistrict                       // a district code by its name
	ValueCenter                         // a centre's id by its name
	ValueOrganization                   // an organisation's id by its name
	ValueRecord                         // the number of another record
	ValueCategories                     // category codes, comma separated, by their names
	ValueSex                            // codes labelled by catalog keys with a prefix …
	ValueIncome
	ValueRole
	ValueCenterType
	ValuePurpose
	ValueChannel
	ValueRelation
	ValueProgramKind
	ValueProgramStatus
	ValueDeliveryUnit
	ValueMeasure
	ValueDonorKind
	ValueCaseCameFrom
	ValueCaseStatus
	ValueReferralStatus
	ValueServiceKind
	ValueCaseOutcome
	ValueApplicationStatus
)

// ValuePrefixes are the catalog prefixes of coded values: a code c reads as prefix+c.
var ValuePrefixes = map[AuditValue]string{ValueSex: "person.sex.", ValueIncome: "person.income.",
	ValueRole: "role.", ValueCenterType: "center.type.", ValuePurpose: "consent.purpose.",
	ValueChannel: "consent.channel.", ValueRelation: "relation.",
	ValueProgramKind: "program.kind.", ValueProgramStatus: "program.status.",
	ValueDeliveryUnit: "delivery.unit.", ValueMeasure: "indicator.measure.", ValueDonorKind: "funding.donor_kind.",
	ValueCaseCameFrom: "case.came_from.", ValueCaseStatus: "case.status.",
	ValueReferralStatus: "referral.status.", ValueServiceKind: "service.kind.", ValueCaseOutcome: "case.outcome.",
	ValueApplicationStatus: "application.status."}

// PersonOf returns the id of the person an entry with this entity id and changes is
// about, or 0. Her id in a field reads as the number it was written as or, read back
// from JSON, as a float.
func (k AuditEntityKind) PersonOf(entityID int64, changes map[string]Change) int64 {
	switch k.Person {
	case "":
		return 0
	case PersonIsEntity:
		return entityID
	}
	ch := changes[k.Person]
	v := ch.After
	if v == nil {
		v = ch.Before
	}
	switch v := v.(type) {
	case int64:
		return v
	case float64:
		return int64(v)
	case json.Number:
		n, _ := strconv.ParseInt(string(v), 10, 64)
		return n
	}
	return 0
}

// Kept reports whether a field's values stay readable after the person is anonymised.
func (k AuditEntityKind) Kept(field string) bool { return k.Fields[field].Kept }

// names are the fields of a record named in the four languages.
var names = map[string]AuditField{"name_kk": {Label: "field.name_kk"}, "name_ru": {Label: "field.name_ru"},
	"name_ky": {Label: "field.name_ky"}, "name_en": {Label: "field.name_en"}}

func with(base map[string]AuditField, more map[string]AuditField) map[string]AuditField {
	out := make(map[string]AuditField, len(base)+len(more))
	for _, m := range []map[string]AuditField{base, more} {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// AuditEntities are every entity, in the order the audit page's filter offers them.
var AuditEntities = []AuditEntityKind{
	{Entity: EntityPerson, Person: PersonIsEntity, Fields: map[string]AuditField{
		// Her record: what her anonymised record keeps is kept here too.
		"center_id":   {Label: "person.center", Value: ValueCenter, Kept: true},
		"family_name": {Label: "person.family_name"}, "given_name": {Label: "person.given_name"},
		"patronymic": {Label: "person.patronymic"},
		"sex":        {Label: "person.sex", Value: ValueSex, Kept: true},
		"birth_date": {Label: "person.birth_date", Value: ValueDay},
		"birth_year": {Label: "audit.field.birth_year", Kept: true},
		"iin":        {Label: "person.iin"}, "pin": {Label: "person.pin"},
		"phones": {Label: "person.phones"}, "email": {Label: "user.email"},
		"country":           {Label: "field.country", Value: ValueCountry, Kept: true},
		"region":            {Label: "center.region", Value: ValueRegion, Kept: true},
		"district":          {Label: "center.district", Value: ValueDistrict, Kept: true},
		"settlement":        {Label: "person.settlement"},
		"rural":             {Label: "person.rural", Value: ValueYesNo, Kept: true},
		"children":          {Label: "person.children", Kept: true},
		"income_band":       {Label: "person.income_band", Value: ValueIncome, Kept: true},
		"special_needs":     {Label: "person.special_needs", Value: ValueYesNo, Kept: true},
		"may_call":          {Label: "person.may_call", Value: ValueYesNo, Kept: true},
		"may_leave_message": {Label: "person.may_leave_message", Value: ValueYesNo, Kept: true},
		"call_times":        {Label: "person.call_times"},
		"categories":        {Label: "person.categories", Value: ValueCategories, Kept: true},
		// A marker sealed with the master key already, the same for every record
		// (store/person_sealed.go); sealed again with her key, it would make a key for
		// everyone.
		"sensitive_categories": {Label: "timeline.field.sensitive_categories", Kept: true},
		// Her consents, relations, imports and merges: what they are, not who she is.
		"purpose":      {Label: "consent.purpose", Value: ValuePurpose, Kept: true},
		"channel":      {Label: "consent.channel", Value: ValueChannel, Kept: true},
		"given_on":     {Label: "consent.given_on", Value: ValueDay, Kept: true},
		"withdrawn_on": {Label: "audit.field.withdrawn_on", Value: ValueDay, Kept: true},
		"consent_id":   {Label: "audit.field.consent_id", Value: ValueRecord, Kept: true},
		"other_id":     {Label: "audit.field.other_id", Value: ValueRecord, Kept: true},
		"kind":         {Label: "relation.kind", Value: ValueRelation, Kept: true},
		"import_id":    {Label: "audit.field.import_id", Value: ValueRecord, Kept: true},
		"merged_id":    {Label: "audit.field.merged_id", Value: ValueRecord},
		"from_other":   {Label: "audit.field.from_other", Kept: true}, // field names only: who she is stays sealed
		"merged_into":  {Label: "audit.field.merged_into", Value: ValueRecord},
	}},
	{Entity: EntityPersonList, Fields: map[string]AuditField{
		"format": {Label: "audit.field.format"}, "rows": {Label: "audit.field.rows"},
		"q": {Label: "audit.field.q"}, "region": {Label: "center.region", Value: ValueRegion},
		"district": {Label: "center.district", Value: ValueDistrict},
		"category": {Label: "person.category", Value: ValueCategories}, "sex": {Label: "person.sex", Value: ValueSex},
		"center_id": {Label: "person.center", Value: ValueCenter},
		"age_from":  {Label: "person.age_from"}, "age_to": {Label: "person.age_to"},
		"program_id": {Label: "audit.entity.program", Value: ValueRecord},
	}},
	{Entity: EntityImport, Fields: map[string]AuditField{
		"file_name": {Label: "audit.field.file_name"}, "created": {Label: "audit.field.created"},
	}},
	{Entity: EntityUser, Fields: map[string]AuditField{
		"email": {Label: "user.email"}, "name": {Label: "user.name"},
		"language":        {Label: "user.language", Value: ValueLanguage},
		"time_zone":       {Label: "user.time_zone"},
		"disabled":        {Label: "user.disabled", Value: ValueYesNo},
		"organization_id": {Label: "center.organization", Value: ValueOrganization},
		"password":        {Label: "user.password"},
		"role":            {Label: "user.role", Value: ValueRole},
		"center_id":       {Label: "person.center", Value: ValueCenter},
	}},
	{Entity: EntityToken, Fields: map[string]AuditField{
		"name": {Label: "account.token_name"}, "user_id": {Label: "audit.entity.user", Value: ValueRecord},
		"expires_at": {Label: "account.token_expires", Value: ValueTime},
	}},
	{Entity: EntityOrganization, Fields: with(names, map[string]AuditField{
		"country": {Label: "field.country", Value: ValueCountry}, "website": {Label: "org.website"},
	})},
	{Entity: EntityCenter, Fields: with(names, map[string]AuditField{
		"type":     {Label: "center.type", Value: ValueCenterType},
		"country":  {Label: "field.country", Value: ValueCountry},
		"region":   {Label: "center.region", Value: ValueRegion},
		"district": {Label: "center.district", Value: ValueDistrict},
		"address":  {Label: "center.address"}, "phone": {Label: "center.phone"},
		"time_zone": {Label: "center.time_zone"},
	})},
	{Entity: EntityCategory, Fields: with(names, map[string]AuditField{
		"code": {Label: "categories.code"}, "retired": {Label: "categories.retired", Value: ValueYesNo},
		"sensitive": {Label: "audit.field.sensitive", Value: ValueYesNo},
	})},
	{Entity: EntityKind, Fields: with(names, map[string]AuditField{
		"list": {Label: "kinds.list"}, "code": {Label: "categories.code"},
		"retired": {Label: "categories.retired", Value: ValueYesNo},
	})},
	{Entity: EntityProgram, Fields: with(names, map[string]AuditField{
		"description_kk": {Label: "field.description_kk"}, "description_ru": {Label: "field.description_ru"},
		"description_ky": {Label: "field.description_ky"}, "description_en": {Label: "field.description_en"},
		"kind":        {Label: "program.kind", Value: ValueProgramKind},
		"center_ids":  {Label: "program.centers"},
		"starts_on":   {Label: "program.starts_on", Value: ValueDay},
		"ends_on":     {Label: "program.ends_on", Value: ValueDay},
		"status":      {Label: "program.status", Value: ValueProgramStatus},
		"categories":  {Label: "program.categories", Value: ValueCategories},
		"sdg_targets": {Label: "program.sdg_targets"},
		"sensitive":   {Label: "program.sensitive", Value: ValueYesNo},
	})},
	// A participation is about her: its values are sealed with her key, and only what
	// names no one (which programme, when) stays readable after she is anonymised.
	{Entity: EntityParticipant, Person: "person_id", Fields: map[string]AuditField{
		"person_id":  {Label: "audit.field.person_id", Value: ValueRecord, Kept: true},
		"program_id": {Label: "audit.entity.program", Value: ValueRecord, Kept: true},
		"joined_on":  {Label: "program.joined_on", Value: ValueDay, Kept: true},
		"left_on":    {Label: "program.left_on", Value: ValueDay, Kept: true},
		"reason":     {Label: "program.reason"},
	}},
	// A delivery is about her: sealed with her key; what was given, when and in which
	// programme stays readable after she is anonymised, for the counts; the note may
	// name her, and is erased with her.
	{Entity: EntityDelivery, Person: "person_id", Fields: map[string]AuditField{
		"person_id":  {Label: "audit.field.person_id", Value: ValueRecord, Kept: true},
		"program_id": {Label: "audit.entity.program", Value: ValueRecord, Kept: true},
		"date":       {Label: "delivery.date", Value: ValueDay, Kept: true},
		"time":       {Label: "delivery.time", Kept: true},
		"kind":       {Label: "delivery.kind", Kept: true},
		"quantity":   {Label: "delivery.quantity", Kept: true},
		"unit":       {Label: "delivery.unit", Value: ValueDeliveryUnit, Kept: true},
		"currency":   {Label: "delivery.currency", Kept: true},
		"staff_id":   {Label: "delivery.staff", Value: ValueRecord, Kept: true},
		"source":     {Label: "delivery.source", Kept: true},
		"note":       {Label: "delivery.note"},
		// A batch of generated deliveries (demo data for trials) is one entry, of no one.
		"generated": {Label: "audit.field.generated", Kept: true},
		"first_id":  {Label: "audit.field.first_id", Kept: true},
		"last_id":   {Label: "audit.field.last_id", Kept: true},
	}},
	// An outcome is about her: sealed with her key; what became of her, when and in
	// which programme stays readable after she is anonymised, for the counts; the
	// evidence and the file's name may name her, and are erased with her.
	{Entity: EntityOutcome, Person: "person_id", Fields: map[string]AuditField{
		"person_id":     {Label: "audit.field.person_id", Value: ValueRecord, Kept: true},
		"program_id":    {Label: "audit.entity.program", Value: ValueRecord, Kept: true},
		"date":          {Label: "outcome.date", Value: ValueDay, Kept: true},
		"kind":          {Label: "outcome.kind", Kept: true},
		"value":         {Label: "outcome.value", Kept: true},
		"currency":      {Label: "delivery.currency", Kept: true},
		"recorded_by":   {Label: "outcome.recorded_by", Value: ValueRecord, Kept: true},
		"source":        {Label: "delivery.source", Kept: true},
		"evidence":      {Label: "outcome.evidence"},
		"evidence_file": {Label: "outcome.evidence_file"},
	}},
	// A case is about its family: sealed with the first partner's key; what kind of case
	// it is, when and who works on it stay readable after she is anonymised, for the
	// counts; who its people are and the court may name them, and are erased with her.
	{Entity: EntityCase, Person: "person_id", Fields: map[string]AuditField{
		"person_id":        {Label: "audit.field.person_id", Value: ValueRecord, Kept: true},
		"center_id":        {Label: "person.center", Value: ValueCenter, Kept: true},
		"partner_ids":      {Label: "case.partners"},
		"child_ids":        {Label: "case.children"},
		"intake_date":      {Label: "case.intake_date", Value: ValueDay, Kept: true},
		"reasons":          {Label: "case.reasons", Kept: true},
		"came_from":        {Label: "case.came_from", Value: ValueCaseCameFrom, Kept: true},
		"divorce_filed":    {Label: "case.divorce_filed", Value: ValueYesNo, Kept: true},
		"divorce_filed_on": {Label: "case.divorce_filed_on", Value: ValueDay, Kept: true},
		"divorce_court":    {Label: "case.divorce_court"},
		"status":           {Label: "case.status", Value: ValueCaseStatus, Kept: true},
		"psychologist_id":  {Label: "case.psychologist", Value: ValueRecord, Kept: true},
		"mediator_id":      {Label: "case.mediator", Value: ValueRecord, Kept: true},
		"override_reason":  {Label: "case.override_reason"},
		"reviewed_by":      {Label: "case.reviewed_by", Value: ValueRecord, Kept: true},
		// Closing and reopening (decision 0027): how it ended stays for the counts; the
		// agreement and the reason to reopen may name the family.
		"outcome":       {Label: "case.outcome", Value: ValueCaseOutcome, Kept: true},
		"closed_on":     {Label: "case.closed_on", Value: ValueDay, Kept: true},
		"satisfaction":  {Label: "case.satisfaction", Kept: true},
		"agreement":     {Label: "case.agreement"},
		"reopen_reason": {Label: "case.reopen_reason"},
	}},
	// A screening is sealed with the screened partner's key; her answers are never in an
	// entry, and all of it but the case it belongs to is erased with her.
	// A session is sealed with the key of the first who comes; its kind, times, worker
	// and attendance stay readable after she is anonymised, for the counts; the room
	// and who came may say who she is, and are erased with her.
	{Entity: EntitySession, Person: "person_id", Fields: map[string]AuditField{
		"person_id":  {Label: "audit.field.person_id", Value: ValueRecord, Kept: true},
		"case_id":    {Label: "audit.entity.case", Value: ValueRecord, Kept: true},
		"center_id":  {Label: "person.center", Value: ValueCenter, Kept: true},
		"type":       {Label: "session.type", Kept: true},
		"worker_id":  {Label: "session.worker", Value: ValueRecord, Kept: true},
		"room":       {Label: "session.room"},
		"starts_at":  {Label: "session.starts_at", Kept: true},
		"ends_at":    {Label: "session.ends_at", Kept: true},
		"attendance": {Label: "session.attendance", Kept: true},
		"person_ids": {Label: "session.people"},
	}},
	// A private note's entry never holds its text: only that a note was written, sealed
	// with the key that seals the note.
	{Entity: EntitySessionNote, Person: "person_id", Fields: map[string]AuditField{
		"person_id":  {Label: "audit.field.person_id", Value: ValueRecord, Kept: true},
		"session_id": {Label: "audit.entity.case_session", Value: ValueRecord, Kept: true},
	}},
	{Entity: EntityScreening, Person: "person_id", Fields: map[string]AuditField{
		"person_id":  {Label: "audit.field.person_id", Value: ValueRecord, Kept: true},
		"case_id":    {Label: "audit.entity.case", Value: ValueRecord, Kept: true},
		"version_id": {Label: "screening.version"},
		"alone":      {Label: "screening.alone", Value: ValueYesNo},
		"result":     {Label: "screening.result"},
	}},
	// A safety plan is sealed with her key; an entry says only that it was written, on
	// which case, never what it says.
	{Entity: EntitySafetyPlan, Person: "person_id", Fields: map[string]AuditField{
		"person_id": {Label: "audit.field.person_id", Value: ValueRecord, Kept: true},
		"case_id":   {Label: "audit.entity.case", Value: ValueRecord, Kept: true},
	}},
	// A referral is about her: sealed with her key; where it went, when and its status
	// stay readable after she is anonymised, for the counts; what it carried is erased.
	{Entity: EntityReferral, Person: "person_id", Fields: map[string]AuditField{
		"person_id":      {Label: "audit.field.person_id", Value: ValueRecord, Kept: true},
		"case_id":        {Label: "audit.entity.case", Value: ValueRecord, Kept: true},
		"from_center_id": {Label: "referral.from_center", Value: ValueCenter, Kept: true},
		"to_center_id":   {Label: "referral.to_center", Value: ValueCenter, Kept: true},
		"service_id":     {Label: "referral.service", Value: ValueRecord, Kept: true},
		"contact":        {Label: "referral.contact"},
		"note":           {Label: "referral.note"},
		"status":         {Label: "referral.status", Value: ValueReferralStatus, Kept: true},
		"follow_up_on":   {Label: "referral.follow_up_on", Value: ValueDay, Kept: true},
		"chosen_by_her":  {Label: "referral.chosen_by_her", Value: ValueYesNo, Kept: true},
	}},
	// The directory is the organisation's, about no one: its entries stay readable.
	{Entity: EntityService, Fields: map[string]AuditField{
		"name": {Label: "service.name"}, "kind": {Label: "service.kind", Value: ValueServiceKind},
		"phone": {Label: "service.phone"}, "address": {Label: "service.address"},
		"retired": {Label: "categories.retired", Value: ValueYesNo},
	}},
	// A request from the public site: its entries name the office alone until she is
	// taken in; then the person she became, sealed with her key.
	{Entity: EntityCaseRequest, Person: "person_id", Fields: map[string]AuditField{
		"person_id": {Label: "audit.field.person_id", Value: ValueRecord, Kept: true},
		"center_id": {Label: "person.center", Value: ValueCenter, Kept: true},
		"case_id":   {Label: "audit.entity.case", Value: ValueRecord, Kept: true},
		"status":    {Label: "request.status", Kept: true},
	}},
	// A call is the organisation's, about no one: its entries stay readable.
	{Entity: EntityCall, Fields: map[string]AuditField{
		"kind": {Label: "call.kind"}, "program_id": {Label: "audit.entity.program", Value: ValueRecord},
		"title_kk": {Label: "call.title_kk"}, "title_ru": {Label: "call.title_ru"},
		"title_ky": {Label: "call.title_ky"}, "title_en": {Label: "call.title_en"},
		"text_kk": {Label: "call.text_kk"}, "text_ru": {Label: "call.text_ru"},
		"text_ky": {Label: "call.text_ky"}, "text_en": {Label: "call.text_en"},
		"opens_at": {Label: "call.opens_at"}, "closes_at": {Label: "call.closes_at"},
		"regions": {Label: "call.regions"}, "budget": {Label: "call.budget"},
		"award_amount": {Label: "call.award_amount"}, "award_min": {Label: "call.award_min"},
		"currency": {Label: "call.currency"}, "awards": {Label: "call.awards"},
		"criteria": {Label: "call.criteria"}, "eligibility": {Label: "call.eligibility"},
		"form": {Label: "call.form"}, "published": {Label: "call.published", Value: ValueYesNo},
		"review_pool": {Label: "review.pool"},
	}},
	// A reviewer's assignment, scores and conflicts: about the application, not its
	// applicant (no person id), and readable as the record of a fair selection.
	{Entity: EntityReview, Fields: map[string]AuditField{
		"application_id": {Label: "review.application", Value: ValueRecord},
		"reviewer_id":    {Label: "review.reviewer", Value: ValueRecord},
		"replaces":       {Label: "review.replaces", Value: ValueRecord},
		"status":         {Label: "review.status"}, "scores": {Label: "review.scores"},
		"comment": {Label: "review.comment"},
	}},
	// A call's decision: which applications were awarded, shortlisted and rejected.
	{Entity: EntityDecision, Fields: map[string]AuditField{
		"awarded": {Label: "decision.awarded"}, "shortlisted": {Label: "decision.shortlisted"},
		"rejected": {Label: "decision.rejected"}, "included": {Label: "decision.include"},
		"excluded": {Label: "decision.exclude"}, "total": {Label: "decision.total"},
	}},
	// Courses, cohorts and their sessions are the organisation's, about no one.
	{Entity: EntityCourse, Fields: with(names, map[string]AuditField{
		"description_kk": {Label: "field.description_kk"}, "description_ru": {Label: "field.description_ru"},
		"description_ky": {Label: "field.description_ky"}, "description_en": {Label: "field.description_en"},
		"hours":           {Label: "course.hours"},
		"online":          {Label: "course.online", Value: ValueYesNo},
		"program_id":      {Label: "audit.entity.program", Value: ValueRecord},
		"min_attendance":  {Label: "course.min_attendance"},
		"project":         {Label: "course.project", Value: ValueYesNo},
		"retired":         {Label: "categories.retired", Value: ValueYesNo},
		"followup_months": {Label: "course.followup_months"},
	})},
	{Entity: EntityCohort, Fields: map[string]AuditField{
		"course_id":           {Label: "audit.entity.course", Value: ValueRecord},
		"center_id":           {Label: "person.center", Value: ValueCenter},
		"venue":               {Label: "cohort.venue"},
		"trainer_ids":         {Label: "cohort.trainers"},
		"language":            {Label: "cohort.language"},
		"capacity":            {Label: "cohort.capacity"},
		"starts_on":           {Label: "program.starts_on", Value: ValueDay},
		"ends_on":             {Label: "program.ends_on", Value: ValueDay},
		"eligible_categories": {Label: "cohort.eligible_categories"},
		"eligible_regions":    {Label: "cohort.eligible_regions"},
		"min_age":             {Label: "cohort.min_age"},
		"max_age":             {Label: "cohort.max_age"},
		"rural_only":          {Label: "cohort.rural_only", Value: ValueYesNo},
		"public_signup":       {Label: "cohort.public_signup", Value: ValueYesNo},
		"signup_until":        {Label: "cohort.signup_until", Value: ValueDay},
	}},
	{Entity: EntityTrainingSess, Fields: map[string]AuditField{
		"cohort_id": {Label: "audit.entity.cohort", Value: ValueRecord},
		"starts_at": {Label: "session.starts_at"},
		"ends_at":   {Label: "session.ends_at"},
		"venue":     {Label: "cohort.venue"},
	}},
	// An enrolment is about her: sealed with her key; the cohort and status stay
	// readable after she is anonymised, for the counts; why she dropped out and what she
	// asked for are erased.
	{Entity: EntityEnrollment, Person: "person_id", Fields: map[string]AuditField{
		"person_id":       {Label: "audit.field.person_id", Value: ValueRecord, Kept: true},
		"cohort_id":       {Label: "audit.entity.cohort", Value: ValueRecord, Kept: true},
		"status":          {Label: "enrollment.status", Kept: true},
		"position":        {Label: "enrollment.position", Kept: true},
		"reason":          {Label: "enrollment.reason"},
		"childcare":       {Label: "enrollment.childcare", Value: ValueYesNo},
		"special_needs":   {Label: "enrollment.special_needs", Value: ValueYesNo},
		"accommodation":   {Label: "enrollment.accommodation"},
		"moved_up":        {Label: "enrollment.moved_up", Value: ValueYesNo, Kept: true},
		"project_passed":  {Label: "enrollment.project_passed", Value: ValueYesNo, Kept: true},
		"completed_on":    {Label: "enrollment.completed_on", Value: ValueDay, Kept: true},
		"completion_note": {Label: "enrollment.completion_note", Kept: true},
		"source":          {Label: "enrollment.source", Kept: true},
	}},
	// A mark is about her, sealed with her key; the session, the mark and when it was made
	// stay readable after she is anonymised (they are counted); the reason for an absence
	// is hers and is erased. The entry's id is the session's.
	{Entity: EntityTrainingMark, Person: "person_id", Fields: map[string]AuditField{
		"person_id":     {Label: "audit.field.person_id", Value: ValueRecord, Kept: true},
		"enrollment_id": {Label: "audit.entity.enrollment", Value: ValueRecord, Kept: true},
		"mark":          {Label: "attendance.mark", Kept: true},
		"reason":        {Label: "attendance.reason"},
		"marked_at":     {Label: "attendance.marked_at", Value: ValueTime, Kept: true},
	}},
	// A certificate is about her: sealed with her key; which enrolment, when and whether
	// revoked stay readable for the counts; its code and why it was revoked are erased.
	{Entity: EntityCertificate, Person: "person_id", Fields: map[string]AuditField{
		"person_id":     {Label: "audit.field.person_id", Value: ValueRecord, Kept: true},
		"enrollment_id": {Label: "audit.entity.enrollment", Value: ValueRecord, Kept: true},
		"cohort_id":     {Label: "audit.entity.cohort", Value: ValueRecord, Kept: true},
		"issued_on":     {Label: "certificate.issued_on", Value: ValueDay, Kept: true},
		"revoked":       {Label: "certificate.revoked", Value: ValueYesNo, Kept: true},
		"code":          {Label: "certificate.code"},
		"reason":        {Label: "certificate.revoke_reason"},
	}},
	// An application is about her once she submits: what she typed and an officer's
	// reason are sealed with her key; the call, reference, status and the rules' reasons
	// stay readable after she is anonymised, for the call's counts. A draft's entry names
	// no one.
	{Entity: EntityApplication, Person: "person_id", Fields: map[string]AuditField{
		"person_id":           {Label: "audit.field.person_id", Value: ValueRecord, Kept: true},
		"call_id":             {Label: "audit.entity.call", Value: ValueRecord, Kept: true},
		"reference":           {Label: "application.reference", Kept: true},
		"status":              {Label: "application.status", Value: ValueApplicationStatus, Kept: true},
		"eligibility_reasons": {Label: "application.eligibility_reasons", Kept: true},
		"applicant":           {Label: "application.applicant"},
		"override_reason":     {Label: "application.override_reason"},
	}},
	// An award is hers: its entries are sealed with her key, and what was given, paid
	// and reported stays readable after she is anonymised; a file's name and a
	// follow-up's note, which may name her, do not.
	{Entity: EntityAward, Person: "person_id", Fields: map[string]AuditField{
		"person_id":      {Label: "audit.field.person_id", Value: ValueRecord, Kept: true},
		"application_id": {Label: "award.application", Value: ValueRecord, Kept: true},
		"call_id":        {Label: "audit.entity.call", Value: ValueRecord, Kept: true},
		"renewed_from":   {Label: "award.renewed_from", Value: ValueRecord, Kept: true},
		"amount":         {Label: "award.amount", Kept: true},
		"currency":       {Label: "call.currency", Kept: true},
		"agreed_on":      {Label: "award.agreed_on", Value: ValueDay, Kept: true},
		"period":         {Label: "award.period", Kept: true},
		"tranches":       {Label: "award.tranches", Kept: true},
		"tranche":        {Label: "award.tranche", Kept: true},
		"evidence_file":  {Label: "award.evidence"},
		"approved":       {Label: "award.approved", Value: ValueYesNo, Kept: true},
		"paid_on":        {Label: "award.paid_on", Value: ValueDay, Kept: true},
		"paid":           {Label: "award.paid", Kept: true},
		"paid_currency":  {Label: "award.paid_currency", Kept: true},
		"exchange_rate":  {Label: "award.exchange_rate", Kept: true},
		"months":         {Label: "award.followup_months", Kept: true},
		"reported_on":    {Label: "award.reported_on", Value: ValueDay, Kept: true},
		"operating":      {Label: "award.operating", Value: ValueYesNo, Kept: true},
		"income":         {Label: "award.income", Kept: true},
		"jobs":           {Label: "award.jobs", Kept: true},
		"note":           {Label: "award.note"},
	}},
	// A follow-up is about her: sealed with her key; what she answered stays readable
	// after she is anonymised, for the counts, but the business she named and her words
	// are erased. A link's entry says only that one was sent and for which follow-up.
	{Entity: EntityFollowup, Person: "person_id", Fields: map[string]AuditField{
		"person_id":           {Label: "audit.field.person_id", Value: ValueRecord, Kept: true},
		"enrollment_id":       {Label: "audit.entity.enrollment", Value: ValueRecord, Kept: true},
		"months":              {Label: "followup.months", Kept: true},
		"employment":          {Label: "followup.employment", Kept: true},
		"business_started":    {Label: "followup.business", Value: ValueYesNo, Kept: true},
		"business_kind":       {Label: "followup.business_kind"},
		"business_registered": {Label: "followup.business_registered", Value: ValueYesNo, Kept: true},
		"business_employees":  {Label: "followup.business_employees", Kept: true},
		"income_band":         {Label: "followup.income_band", Kept: true},
		"helped":              {Label: "followup.helped", Kept: true},
		"comment":             {Label: "followup.comment"},
		"via":                 {Label: "followup.via", Kept: true},
	}},
	{Entity: EntityFollowupLink, Person: "person_id", Fields: map[string]AuditField{
		"person_id":     {Label: "audit.field.person_id", Value: ValueRecord, Kept: true},
		"enrollment_id": {Label: "audit.entity.enrollment", Value: ValueRecord, Kept: true},
		"months":        {Label: "followup.months", Kept: true},
		"expires_at":    {Label: "followup.link_expires", Kept: true},
	}},
	// A questionnaire version is the organisation's, about no one.
	{Entity: EntityQuestions, Fields: map[string]AuditField{
		"questions": {Label: "screening_edit.questions"},
	}},
	{Entity: EntityIndicator, Fields: with(names, map[string]AuditField{
		"program_id":     {Label: "audit.entity.program", Value: ValueRecord},
		"measure":        {Label: "indicator.measure", Value: ValueMeasure},
		"delivery_kinds": {Label: "indicator.delivery_kinds"},
		"outcome_kinds":  {Label: "indicator.outcome_kinds"},
		"unit":           {Label: "delivery.unit", Value: ValueDeliveryUnit},
		"currency":       {Label: "delivery.currency"},
		"of":             {Label: "indicator.of", Value: ValueRecord},
		"target":         {Label: "indicator.target"},
		"from":           {Label: "indicator.from", Value: ValueDay},
		"to":             {Label: "indicator.to", Value: ValueDay},
	})},
	// Funding is the organisation's, about no one: its entries stay readable.
	{Entity: EntityFunding, Fields: map[string]AuditField{
		"donor":         {Label: "funding.donor"},
		"donor_kind":    {Label: "funding.donor_kind", Value: ValueDonorKind},
		"reference":     {Label: "funding.reference"},
		"amount":        {Label: "funding.amount"},
		"currency":      {Label: "delivery.currency"},
		"starts_on":     {Label: "program.starts_on", Value: ValueDay},
		"ends_on":       {Label: "program.ends_on", Value: ValueDay},
		"program_ids":   {Label: "funding.programs"},
		"indicator_ids": {Label: "funding.indicators"},
		"budget_lines":  {Label: "funding.budget_lines"},
		"deadlines":     {Label: "funding.deadlines"},
	}},
	{Entity: EntitySpending, Fields: map[string]AuditField{
		"funding_id":     {Label: "audit.entity.funding", Value: ValueRecord},
		"budget_line_id": {Label: "funding.budget_line", Value: ValueRecord},
		"amount":         {Label: "funding.spent_amount"},
		"currency":       {Label: "delivery.currency"},
		"date":           {Label: "funding.spent_on", Value: ValueDay},
		"note":           {Label: "delivery.note"},
	}},
	{Entity: EntityDeadline, Fields: map[string]AuditField{
		"funding_id":   {Label: "audit.entity.funding", Value: ValueRecord},
		"due_on":       {Label: "funding.due_on", Value: ValueDay},
		"what":         {Label: "funding.what"},
		"submitted_on": {Label: "funding.submitted_on", Value: ValueDay},
	}},
	{Entity: EntityAudit, Fields: map[string]AuditField{
		"legacy_entries": {Label: "audit.field.legacy_entries"}, "legacy_hash": {Label: "audit.field.legacy_hash"},
	}},
}
