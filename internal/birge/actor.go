package birge

// Grant gives a user a role on a scope: the whole installation (OrgID 0), a whole
// organisation (CenterID 0) or one centre.
type Grant struct {
	ID       int64 `json:"id"`
	UserID   int64 `json:"-"`
	Role     Role  `json:"role"`
	OrgID    int64 `json:"organization_id,omitempty"`
	CenterID int64 `json:"center_id,omitempty"`
}

// Installation reports whether the grant covers the whole installation.
func (g Grant) Installation() bool { return g.OrgID == 0 }

// covers reports whether the grant's scope contains the scope (org, center). A centre
// grant never covers organisation-wide objects (center 0).
func (g Grant) covers(org, center int64) bool {
	switch {
	case g.Installation():
		return true
	case g.OrgID != org:
		return false
	case g.CenterID == 0:
		return true
	default:
		return g.CenterID == center
	}
}

// Actor is who is acting: a signed-in user, a token's owner or the command line. Every
// store method that reads or writes records takes one, so that no caller can forget to
// check need-to-know.
type Actor struct {
	UserID int64
	Name   string
	Lang   string
	Zone   string // the user's time zone
	IP     string
	Grants []Grant
}

// System is the actor of the command line and of demo loading: it may do everything.
func System(name string) *Actor {
	return &Actor{Name: name, Grants: []Grant{{Role: RoleAdmin}}}
}

// Can reports whether the actor holds permission p on the scope (org, center).
func (a *Actor) Can(p Permission, org, center int64) bool {
	for _, g := range a.Grants {
		if g.Role.Has(p) && g.covers(org, center) {
			return true
		}
	}
	return false
}

// CanIn reports whether the actor holds permission p on the organisation or on any of
// its centres.
func (a *Actor) CanIn(p Permission, org int64) bool {
	for _, g := range a.Grants {
		if g.Role.Has(p) && (g.Installation() || g.OrgID == org) {
			return true
		}
	}
	return false
}

// Scope lists where the actor holds permission p, for filtering lists in SQL.
type Scope struct {
	All     bool    // the whole installation
	Orgs    []int64 // whole organisations
	Centers []int64 // single centres
}

// Empty reports whether the scope covers nothing.
func (s Scope) Empty() bool { return !s.All && len(s.Orgs) == 0 && len(s.Centers) == 0 }

// ScopeOf returns where the actor holds permission p.
func (a *Actor) ScopeOf(p Permission) Scope {
	var s Scope
	for _, g := range a.Grants {
		if !g.Role.Has(p) {
			continue
		}
		switch {
		case g.Installation():
			return Scope{All: true}
		case g.CenterID == 0:
			s.Orgs = append(s.Orgs, g.OrgID)
		default:
			s.Centers = append(s.Centers, g.CenterID)
		}
	}
	return s
}

// InstallationAdmin reports whether the actor administers the whole installation.
func (a *Actor) InstallationAdmin() bool { return a.ScopeOf(PermOrgManage).All }

// CanManageUser says whether the actor may edit, disable or reset a user. The actor must
// manage every scope the user holds a role in — otherwise a centre administrator could take
// over an organisation administrator who also works in their centre — and, for a user
// with no roles, the user's home organisation.
func (a *Actor) CanManageUser(home int64, grants []Grant) bool {
	if len(grants) == 0 {
		if home == 0 {
			return a.InstallationAdmin()
		}
		return a.Can(PermUserManage, home, 0)
	}
	for _, g := range grants {
		if !a.Can(PermUserManage, g.OrgID, g.CenterID) {
			return false
		}
	}
	return true
}

// CanGrant says whether the actor may give or take away grant g.
func (a *Actor) CanGrant(g Grant) bool { return a.Can(PermUserManage, g.OrgID, g.CenterID) }
