package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// ListPrograms returns the programmes the caller may see; status, kind and center_id
// narrow the list.
func (a *API) ListPrograms(w http.ResponseWriter, r *http.Request) error {
	limit, after, err := page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := store.ProgramFilter{After: after, Limit: limit + 1, Status: q.Get("status"), Kind: q.Get("kind")}
	if s := q.Get("center_id"); s != "" {
		if f.CenterID, err = strconv.ParseInt(s, 10, 64); err != nil {
			return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"center_id": "field.type"}}
		}
	}
	items, err := a.store.Programs.List(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list(items, limit, func(p birge.Program) int64 { return p.ID }))
}

// GetProgram returns one programme.
func (a *API) GetProgram(w http.ResponseWriter, r *http.Request) error {
	return getByID(w, r, a.store.Programs.Get, func(x birge.Program) time.Time { return x.UpdatedAt })
}

// CreateProgram adds a programme to an organisation.
func (a *API) CreateProgram(w http.ResponseWriter, r *http.Request) error {
	var p birge.Program
	if err := decode(w, r, &p); err != nil {
		return err
	}
	p.ID = 0
	p, err := a.store.Programs.Create(r.Context(), actor(r), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, p)
}

// programUpdate is the body of PATCH /programs/{id}; a programme never moves to another
// organisation.
type programUpdate struct {
	namesUpdate
	DescriptionKK *string   `json:"description_kk"`
	DescriptionRU *string   `json:"description_ru"`
	DescriptionKY *string   `json:"description_ky"`
	DescriptionEN *string   `json:"description_en"`
	Kind          *string   `json:"kind"`
	CenterIDs     *[]int64  `json:"center_ids"`
	StartsOn      *string   `json:"starts_on"`
	EndsOn        *string   `json:"ends_on"`
	Status        *string   `json:"status"`
	Categories    *[]string `json:"categories"`
	SDGTargets    *[]string `json:"sdg_targets"`
	Sensitive     *bool     `json:"sensitive"`
}

func (u *programUpdate) apply(p *birge.Program) {
	u.namesUpdate.apply(&p.Names)
	set(&p.Descriptions.KK, u.DescriptionKK)
	set(&p.Descriptions.RU, u.DescriptionRU)
	set(&p.Descriptions.KY, u.DescriptionKY)
	set(&p.Descriptions.EN, u.DescriptionEN)
	set(&p.Kind, u.Kind)
	set(&p.CenterIDs, u.CenterIDs)
	set(&p.StartsOn, u.StartsOn)
	set(&p.EndsOn, u.EndsOn)
	set(&p.Status, u.Status)
	set(&p.Categories, u.Categories)
	set(&p.SDGTargets, u.SDGTargets)
	set(&p.Sensitive, u.Sensitive)
}

// UpdateProgram changes the fields present in the body.
func (a *API) UpdateProgram(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx, act := r.Context(), actor(r)
	return patch(w, r, &programUpdate{}, func(p birge.Program) time.Time { return p.UpdatedAt }, readThenWrite(
		func() (birge.Program, error) { return a.store.Programs.Get(ctx, act, id) },
		func(p birge.Program) (birge.Program, error) { return a.store.Programs.Update(ctx, act, p) }))
}

// ListParticipants returns who takes part in a programme, a page at a time: 403 to those
// who may see only how many.
func (a *API) ListParticipants(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	limit, after, err := page(r)
	if err != nil {
		return err
	}
	items, err := a.store.Programs.ListParticipants(r.Context(), actor(r), id, store.ParticipantFilter{After: after, Limit: limit + 1})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list(items, limit, func(p birge.Participant) int64 { return p.ID }))
}

// AddParticipant records that a person joined the programme: person_id and joined_on.
func (a *API) AddParticipant(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var body struct {
		PersonID int64  `json:"person_id"`
		JoinedOn string `json:"joined_on"`
	}
	if err := decode(w, r, &body); err != nil {
		return err
	}
	pt, err := a.store.Programs.AddParticipant(r.Context(), actor(r), id,
		birge.Participant{PersonID: body.PersonID, JoinedOn: body.JoinedOn})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, pt)
}
