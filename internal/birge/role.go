package birge

// Role is what a user does in an organisation or a centre. The list is fixed in code so
// that the permission matrix below is the whole truth about who may do what.
type Role string

const (
	RoleAdmin        Role = "admin"        // runs the organisation, centre or installation
	RoleCoordinator  Role = "coordinator"  // intake, assignment, caseload of a centre
	RoleCaseWorker   Role = "caseworker"   // psychologist or mediator
	RoleTrainer      Role = "trainer"      // attendance of their trainings
	RoleGrantOfficer Role = "grantofficer" // calls, reviewers, awards
	RoleReviewer     Role = "reviewer"     // only assigned applications, blinded
	RoleAnalyst      Role = "analyst"      // figures, never names
	RoleViewer       Role = "viewer"       // reads what their centre publishes internally
)

// Roles lists every role in the order the UI shows them.
var Roles = []Role{RoleAdmin, RoleCoordinator, RoleCaseWorker, RoleTrainer,
	RoleGrantOfficer, RoleReviewer, RoleAnalyst, RoleViewer}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	_, ok := matrix[r]
	return ok
}

// Permission is one thing a role may do within the scope of a grant.
type Permission string

const (
	PermCenterView   Permission = "center.view"   // see a centre's details
	PermCenterManage Permission = "center.manage" // create, edit and delete centres
	PermOrgManage    Permission = "org.manage"    // edit the organisation itself
	PermUserView     Permission = "user.view"     // list and open users
	PermUserManage   Permission = "user.manage"   // create, edit, disable users and grant roles
	PermAuditView    Permission = "audit.view"    // browse the audit log

	PermPersonView      Permission = "person.view"      // find and open people, see their contacts
	PermPersonManage    Permission = "person.manage"    // register and edit people, record consent
	PermPersonSensitive Permission = "person.sensitive" // see and record sensitive categories
	PermPersonRevealID  Permission = "person.reveal_id" // see an identity number in full
	PermPersonImport    Permission = "person.import"    // register many people at once from a file
	PermPersonExport    Permission = "person.export"    // download lists of people
	PermPersonRights    Permission = "person.rights"    // answer a person's request: all her data, anonymise her

	PermProgramView   Permission = "program.view"   // see programmes and their figures
	PermProgramManage Permission = "program.manage" // create and edit programmes, add and remove participants

	PermDeliveryRecord Permission = "delivery.record" // record services given to women, edit and delete those recorded by hand
	PermOutcomeRecord  Permission = "outcome.record"  // record outcomes in women's lives, edit and delete those recorded by hand

	PermFundingView   Permission = "funding.view"   // see the organisation's donor funding, budgets and deadlines
	PermFundingManage Permission = "funding.manage" // record awards, their budgets, spending and deadlines

	PermCaseView     Permission = "case.view"     // see the family cases assigned to them; with case.manage, all of the centre's
	PermCaseManage   Permission = "case.manage"   // take in families, assign workers and move a case's status
	PermCaseOverride Permission = "case.override" // lift a case's safety flag, with a written reason
	PermCaseFigures  Permission = "case.figures"  // see a centre's figures of families: counts, never names

	PermCallView    Permission = "call.view"    // see the organisation's competitions: calls, their criteria, rules and forms
	PermCallManage  Permission = "call.manage"  // announce calls, edit their criteria, rules and forms, open them, make and pay awards
	PermCallFigures Permission = "call.figures" // see a call's figures: counts and money, never an applicant

	PermApplicationReview Permission = "application.review" // score the applications assigned to them, blind

	PermTrainingView    Permission = "training.view"    // see the course catalogue and cohorts: all of the scope's with training.manage, else those they train
	PermTrainingManage  Permission = "training.manage"  // edit courses and cohorts, their sessions, and enrol women
	PermTrainingAttend  Permission = "training.attend"  // mark attendance and final projects in the cohorts they see
	PermTrainingFigures Permission = "training.figures" // see trainings' figures: enrolled, completed, attendance, jobs and businesses — counts, never names
)

// matrix is the permission matrix: the single place that says what each role may do.
// docs/permissions.md shows it as a table; a test keeps the two in step.
var matrix = map[Role][]Permission{
	RoleAdmin: {PermCenterView, PermCenterManage, PermOrgManage, PermUserView, PermUserManage, PermAuditView,
		PermPersonView, PermPersonManage, PermPersonSensitive, PermPersonRevealID,
		PermPersonImport, PermPersonExport, PermPersonRights, PermProgramView, PermProgramManage,
		PermDeliveryRecord, PermOutcomeRecord, PermFundingView, PermFundingManage, PermCaseView, PermCaseManage, PermCaseOverride,
		PermCaseFigures, PermCallView, PermCallManage, PermCallFigures, PermTrainingView, PermTrainingManage, PermTrainingAttend, PermTrainingFigures},
	RoleCoordinator: {PermCenterView, PermUserView, PermPersonView, PermPersonManage, PermPersonSensitive,
		PermPersonRevealID, PermPersonImport, PermPersonExport, PermPersonRights, PermProgramView, PermProgramManage,
		PermDeliveryRecord, PermOutcomeRecord, PermFundingView, PermCaseView, PermCaseManage, PermCaseOverride,
		PermCaseFigures, PermTrainingView, PermTrainingManage, PermTrainingAttend, PermTrainingFigures},
	RoleCaseWorker: {PermCenterView, PermPersonView, PermPersonManage, PermPersonSensitive, PermProgramView,
		PermDeliveryRecord, PermOutcomeRecord, PermCaseView},
	RoleTrainer: {PermCenterView, PermPersonView, PermPersonManage, PermProgramView, PermDeliveryRecord, PermOutcomeRecord,
		PermTrainingView, PermTrainingAttend},
	RoleGrantOfficer: {PermCenterView, PermPersonView, PermPersonManage, PermProgramView, PermDeliveryRecord,
		PermOutcomeRecord, PermFundingView, PermFundingManage, PermCallView, PermCallManage, PermCallFigures},
	RoleReviewer: {PermApplicationReview},                                                                                   // external people: they see their assignments and nothing else
	RoleAnalyst:  {PermCenterView, PermProgramView, PermFundingView, PermCaseFigures, PermCallFigures, PermTrainingFigures}, // figures, never names
	RoleViewer:   {PermCenterView, PermPersonView, PermProgramView},
}

// Has reports whether role r carries permission p.
func (r Role) Has(p Permission) bool {
	for _, q := range matrix[r] {
		if q == p {
			return true
		}
	}
	return false
}

// Permissions lists every permission, for the documentation test.
var Permissions = []Permission{PermCenterView, PermCenterManage, PermOrgManage,
	PermUserView, PermUserManage, PermAuditView,
	PermPersonView, PermPersonManage, PermPersonSensitive, PermPersonRevealID,
	PermPersonImport, PermPersonExport, PermPersonRights, PermProgramView, PermProgramManage,
	PermDeliveryRecord, PermOutcomeRecord, PermFundingView, PermFundingManage, PermCaseView, PermCaseManage, PermCaseOverride, PermCaseFigures,
	PermCallView, PermCallManage, PermCallFigures, PermApplicationReview, PermTrainingView, PermTrainingManage, PermTrainingAttend, PermTrainingFigures}
