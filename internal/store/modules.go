package store

import (
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// This file holds what crosses modules. A module that records something about a person
// (cases, attendance, applications, grants…) adds its lines here, and merge, undo,
// anonymisation, her timeline and her dossier carry it along; nothing else changes.

// personLink is a column that points at a person, and what happens to its rows when
// her record is merged into another and when she is anonymised.
type personLink struct {
	table, column string
	merge         onMerge
	anonymise     onAnonymise
}

type onMerge int

const (
	// onMergeStay: the rows stay with the record they belong to — the parts of her record
	// itself (the kept record takes the other's fields, not her rows) and history, which
	// keeps the id it was written about.
	onMergeStay onMerge = iota
	// onMergeMove: the rows move to the kept record, and undo moves exactly those back. The
	// table needs an id column; a uniqueness that includes the person must be settled
	// before the move, as dropRelations does for relations.
	onMergeMove
	// onMergeOwnCode: the module's merge code settles the rows itself (duplicate pairs are
	// re-pointed or dropped: moveDuplicatePairs).
	onMergeOwnCode
)

type onAnonymise int

const (
	// onAnonymiseKeep: kept, for the counts in every past and future report; nothing in
	// them tells who she is (or what does is blanked by AnonymisePerson itself).
	onAnonymiseKeep onAnonymise = iota
	// onAnonymiseErase: deleted with her identity.
	onAnonymiseErase
)

// personLinks are every column, in every table, that points at a person.
// TestEveryPersonLinkIsListed reads the schema and fails when one is missing here.
var personLinks = []personLink{
	{"people", "merged_into", onMergeStay, onAnonymiseKeep},
	{"person_names", "person_id", onMergeStay, onAnonymiseErase},  // the search index of her name
	{"person_phones", "person_id", onMergeStay, onAnonymiseErase}, // part of her record
	{"person_keys", "person_id", onMergeStay, onAnonymiseErase},   // her data key: erasing it erases her audit values
	{"person_categories", "person_id", onMergeStay, onAnonymiseKeep},
	{"consents", "person_id", onMergeMove, onAnonymiseKeep},
	{"relations", "person_id", onMergeMove, onAnonymiseKeep},
	{"relations", "other_id", onMergeMove, onAnonymiseKeep},
	{"duplicate_pairs", "person_id", onMergeOwnCode, onAnonymiseKeep},
	{"duplicate_pairs", "other_id", onMergeOwnCode, onAnonymiseKeep},
	{"person_merges", "kept_id", onMergeStay, onAnonymiseKeep}, // kept_before, who she was, is blanked
	{"person_merges", "merged_id", onMergeStay, onAnonymiseKeep},
	{"access_log", "person_id", onMergeStay, onAnonymiseKeep},
	{"program_participants", "person_id", onMergeMove, onAnonymiseKeep}, // for the programme's counts
	{"deliveries", "person_id", onMergeMove, onAnonymiseKeep},           // for every count of services; notes blanked
	{"outcomes", "person_id", onMergeMove, onAnonymiseKeep},             // for every count of outcomes; evidence blanked
	{"case_people", "person_id", onMergeMove, onAnonymiseKeep},          // the family of a case, kept for the counts
	{"case_session_people", "person_id", onMergeMove, onAnonymiseKeep},  // who came to a session, for the counts
	// A session's private note stays with the record whose key sealed it, and is erased
	// with her.
	{"case_session_notes", "key_person_id", onMergeStay, onAnonymiseErase},
	// A screening stays with the record whose key sealed its answers, and is erased with her.
	{"screenings", "person_id", onMergeStay, onAnonymiseErase},
	// So does a safety plan, sealed with her key the same way.
	{"safety_plans", "person_id", onMergeStay, onAnonymiseErase},
	// A referral follows her record, and is kept for the counts with what it carried
	// (her name, the contact, the note) blanked.
	{"referrals", "person_id", onMergeMove, onAnonymiseKeep},
	// An evidence file stays with the record whose key sealed it (its outcome may move),
	// and is erased with her.
	{"outcome_files", "key_person_id", onMergeStay, onAnonymiseErase},
	// A closing's agreement and a reopening's reason stay with the record whose key sealed
	// them; the rows are kept for the case's history, those two blanked with her.
	{"case_closings", "key_person_id", onMergeStay, onAnonymiseKeep},
	// A request from the public site, once taken in, is sealed with her key: it stays
	// with that record, and is erased with her.
	{"case_requests", "key_person_id", onMergeStay, onAnonymiseErase},
	// An enrolment follows her record, and is kept for the counts of trainings with why she
	// dropped out and what she asked for blanked.
	{"enrollments", "person_id", onMergeMove, onAnonymiseKeep},
	// An application follows her record, and is kept for the call's counts with what she
	// typed (the applicant's fields, her answers) blanked.
	{"applications", "person_id", onMergeMove, onAnonymiseKeep},
	// What she typed in an application and her files are sealed with the key of the
	// record she was linked to when she submitted: the rows stay with that record's key.
	{"applications", "key_person_id", onMergeStay, onAnonymiseKeep},
	{"application_files", "key_person_id", onMergeStay, onAnonymiseErase},
	// An award follows her through its application; its evidence files stay with the
	// record whose key sealed them, and are erased with her.
	{"award_evidence", "key_person_id", onMergeStay, onAnonymiseErase},
}

// movedOnMerge and erasedWithHer are the columns merge moves and anonymisation erases.
var (
	movedOnMerge  = linksWhere(func(l personLink) bool { return l.merge == onMergeMove })
	erasedWithHer = linksWhere(func(l personLink) bool { return l.anonymise == onAnonymiseErase })
)

func linksWhere(keep func(personLink) bool) []personLink {
	var out []personLink
	for _, l := range personLinks {
		if keep(l) {
			out = append(out, l)
		}
	}
	return out
}

// Which audit entries concern her, and which of their fields stay readable after she is
// anonymised (the rest are sealed with her key), is declared with the entities
// themselves: birge.AuditEntities.

// timelineSources are what her timeline merges, each a module's record of her.
var timelineSources = []timelineSource{
	{"audit", (*Store).auditTimeline},
	{"delivery", recordTimeline("deliveries", "staff_id", "delivery")}, // "service recorded"
	{"outcome", recordTimeline("outcomes", "recorded_by", "outcome")},  // "outcome recorded"
	{"case", caseTimeline},                                             // "family case opened"
	{"referral", referralTimeline},                                     // "referred on"
	{"session", sessionTimeline},                                       // "session", to those who see the case
	{"enrollment", enrollmentTimeline},                                 // "enrolled in a training", to those who see the cohort
}

// Dossier is everything Birge holds about one person, to answer her request to see it
// (PersonDossier). A module that holds something about her adds it here.
type Dossier struct {
	Person       birge.Person        `json:"person"`         // identity number in full, every category
	Audit        []birge.AuditEntry  `json:"audit"`          // every change to her record, oldest first
	AccessLog    []AccessEntry       `json:"access_log"`     // who looked at her record, oldest first
	Programs     []DossierProgram    `json:"programs"`       // every programme she took part in
	Deliveries   []birge.Delivery    `json:"deliveries"`     // every service given to her, oldest first
	Outcomes     []birge.Outcome     `json:"outcomes"`       // every outcome of hers, oldest first (files by their own link)
	Cases        []birge.Case        `json:"cases"`          // every family case she is part of, by intake
	Referrals    []birge.Referral    `json:"referrals"`      // every referral of hers (never her safety plans)
	Sessions     []birge.Session     `json:"sessions"`       // every session she came to or was booked for; never the notes
	Requests     []birge.CaseRequest `json:"requests"`       // what she wrote asking for a consultation, once taken in
	Enrollments  []birge.Enrollment  `json:"enrollments"`    // every training she enrolled in or waited for
	Marks        []DossierMark       `json:"training_marks"` // her attendance of every training session, with the reasons given
	Certificates []birge.Certificate `json:"certificates"`   // every certificate of her trainings, revoked ones too
	// Applications are every application of hers to a call, as she sent it.
	Applications []birge.Application `json:"applications"`
	Awards       []birge.Award       `json:"awards"` // every grant or scholarship given her (files by their own link)
	ExportedAt   time.Time           `json:"exported_at"`
	ExportedBy   string              `json:"exported_by"`
}
