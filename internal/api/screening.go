package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/birge-org/birge/internal/birge"
)

// ListScreeningQuestions returns the current questionnaire of an organisation: the one
// given by organization_id, else the caller's own when she works in one only.
func (a *API) ListScreeningQuestions(w http.ResponseWriter, r *http.Request) error {
	act := actor(r)
	var org int64
	if s := r.URL.Query().Get("organization_id"); s != "" {
		var err error
		if org, err = strconv.ParseInt(s, 10, 64); err != nil {
			return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"organization_id": "field.type"}}
		}
	} else {
		for _, g := range act.Grants {
			if org != 0 && g.OrgID != org {
				org = 0
				break
			}
			org = g.OrgID
		}
		if org == 0 {
			return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"organization_id": "field.required"}}
		}
	}
	v, err := a.store.Screenings.Questions(r.Context(), act, org)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"version_id": v.VersionID, "items": v.Questions})
}

// ListScreenings returns a case's screenings with their answers, to its workers and
// supervisors only; each read is in the screened partner's access log.
func (a *API) ListScreenings(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	items, err := a.store.Screenings.List(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list(items, len(items), func(s birge.Screening) int64 { return s.ID }))
}

// screeningBody is what a screening is given: who, alone, her answers and fear; the rest
// the store sets.
type screeningBody struct {
	PersonID int64           `json:"person_id"`
	Alone    bool            `json:"alone"`
	Answers  map[string]bool `json:"answers"`
	Fear     int             `json:"fear"`
}

// CreateScreening records one partner's screening, which may flag the case.
func (a *API) CreateScreening(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var b screeningBody
	if err := decode(w, r, &b); err != nil {
		return err
	}
	sg, err := a.store.Screenings.Create(r.Context(), actor(r), id,
		birge.Screening{PersonID: b.PersonID, Alone: b.Alone, Answers: b.Answers, Fear: b.Fear})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, sg)
}

// OverrideCase lifts a case's flag with a written reason.
func (a *API) OverrideCase(w http.ResponseWriter, r *http.Request) error {
	return caseWithReason(w, r, a.store.Cases.Override)
}

// caseWithReason runs a change to a case that takes a written reason, {"reason": "…"}
// (lifting its flag, reopening it), and answers with the case.
func caseWithReason(w http.ResponseWriter, r *http.Request,
	change func(context.Context, *birge.Actor, int64, string) (birge.Case, error)) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var b struct {
		Reason string `json:"reason"`
	}
	if err := decode(w, r, &b); err != nil {
		return err
	}
	k, err := change(r.Context(), actor(r), id, b.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, k)
}

// ReviewCase records that a supervisor reviewed a danger case.
func (a *API) ReviewCase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	k, err := a.store.Cases.Review(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, k)
}
