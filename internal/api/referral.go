package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// ListReferrals returns the referrals the caller sees, a page at a time: those her
// centre sent (whole) and those it received (only what they carry). overdue=true keeps
// those she sent whose follow-up day has passed, still open; person_id and case_id
// narrow to hers.
func (a *API) ListReferrals(w http.ResponseWriter, r *http.Request) error {
	limit, after, err := page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := store.ReferralFilter{After: after, Limit: limit + 1}
	p := birge.Problems{}
	switch q.Get("overdue") {
	case "", "false":
	case "true":
		f.Overdue = true
	default:
		p.Add("overdue", "field.type")
	}
	for name, dst := range map[string]*int64{"person_id": &f.PersonID, "case_id": &f.CaseID} {
		if s := q.Get(name); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				p.Add(name, "field.type")
			}
			*dst = n
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	items, err := a.store.Referrals.List(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list(items, limit, func(x birge.Referral) int64 { return x.ID }))
}

// referralBody is what a new referral is given; the rest the store sets.
type referralBody struct {
	PersonID    int64  `json:"person_id"`
	CaseID      int64  `json:"case_id"`
	ToCenterID  int64  `json:"to_center_id"`
	ServiceID   int64  `json:"service_id"`
	Contact     string `json:"contact"`
	Note        string `json:"note"`
	FollowUpOn  string `json:"follow_up_on"`
	ChosenByHer bool   `json:"chosen_by_her"`
}

// CreateReferral refers a person to another Birge centre (with her consent to referral)
// or to a service of the directory.
func (a *API) CreateReferral(w http.ResponseWriter, r *http.Request) error {
	var b referralBody
	if err := decode(w, r, &b); err != nil {
		return err
	}
	ref, err := a.store.Referrals.Create(r.Context(), actor(r), birge.Referral{PersonID: b.PersonID, CaseID: b.CaseID,
		ToCenterID: b.ToCenterID, ServiceID: b.ServiceID, Contact: b.Contact, Note: b.Note, FollowUpOn: b.FollowUpOn,
		ChosenByHer: b.ChosenByHer})
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusCreated, ref, ref.UpdatedAt)
}

// GetReferral returns one referral as the caller may see it (the receiving side: only
// what it carries), with its version as the ETag.
func (a *API) GetReferral(w http.ResponseWriter, r *http.Request) error {
	return getByID(w, r, a.store.Referrals.Get, func(x birge.Referral) time.Time { return x.UpdatedAt })
}

// referralUpdate is the body of PATCH /referrals/{id}: the status (by the side that
// decides) and, by the sender, the contact, note and follow-up day.
type referralUpdate struct {
	Status     *string `json:"status"`
	Contact    *string `json:"contact"`
	Note       *string `json:"note"`
	FollowUpOn *string `json:"follow_up_on"`
}

func (u *referralUpdate) apply(x *birge.Referral) {
	set(&x.Status, u.Status)
	set(&x.Contact, u.Contact)
	set(&x.Note, u.Note)
	set(&x.FollowUpOn, u.FollowUpOn)
}

// UpdateReferral moves a referral's status or changes what the sender may change.
func (a *API) UpdateReferral(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx, act := r.Context(), actor(r)
	return patch(w, r, &referralUpdate{}, func(x birge.Referral) time.Time { return x.UpdatedAt }, readThenWrite(
		func() (birge.Referral, error) { return a.store.Referrals.Get(ctx, act, id) },
		func(x birge.Referral) (birge.Referral, error) { return a.store.Referrals.Update(ctx, act, x) }))
}

// ListServices returns an organisation's directory of outside services, retired ones
// too, to those who see cases in it or manage it.
func (a *API) ListServices(w http.ResponseWriter, r *http.Request) error {
	org, err := strconv.ParseInt(r.URL.Query().Get("organization_id"), 10, 64)
	if err != nil {
		return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"organization_id": "field.required"}}
	}
	items, err := a.store.Services.List(r.Context(), actor(r), org)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list(items, len(items), func(s birge.Service) int64 { return s.ID }))
}
