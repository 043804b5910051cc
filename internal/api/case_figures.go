package api

import (
	"net/http"
	"strconv"

	"github.com/birge-org/birge/internal/birge"
)

// CaseFigures returns a centre's figures of families for a period: center_id (required),
// from and to (days of intake, inclusive; either may be left out).
func (a *API) CaseFigures(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	center, err := strconv.ParseInt(q.Get("center_id"), 10, 64)
	if err != nil || center < 1 {
		return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"center_id": "field.choose"}}
	}
	f, err := a.store.Cases.Figures(r.Context(), actor(r), center, q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, f)
}
