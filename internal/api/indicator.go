package api

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// indicatorJSON is an indicator as the API answers it: target and actual in its unit —
// people, deliveries, hours or sessions as integers, money as {"amount", "currency"} as
// everywhere, a share as a percentage with the women it counts (numerator) of the whole.
type indicatorJSON struct {
	birge.Indicator
	Target    any    `json:"target"`
	Actual    any    `json:"actual"`
	Numerator *int64 `json:"numerator,omitempty"`
	Whole     *int64 `json:"whole,omitempty"`
	Met       bool   `json:"met"`
}

func newIndicatorJSON(f store.IndicatorFigure) indicatorJSON {
	out := indicatorJSON{Indicator: f.Indicator, Target: f.Indicator.Target, Actual: f.Actual, Met: f.Met(f.Indicator)}
	switch {
	case f.Unit == "money":
		out.Target = birge.Money{Amount: f.Indicator.Target, Currency: f.Currency}
		out.Actual = birge.Money{Amount: f.Actual, Currency: f.Currency}
	case f.Measure == birge.MeasureShare:
		out.Actual = f.Percent(f.Indicator)
		out.Numerator, out.Whole = &f.Actual, &f.Whole
	}
	return out
}

// ListIndicators returns a programme's indicators, each with its target and its actual
// counted now, to anyone who sees the programme (analysts too: figures, never names).
func (a *API) ListIndicators(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	figures, err := a.store.Indicators.List(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	items := make([]indicatorJSON, len(figures))
	for i, f := range figures {
		items[i] = newIndicatorJSON(f)
	}
	return writeJSON(w, http.StatusOK, list(items, len(items), func(indicatorJSON) int64 { return 0 }))
}

// CreateIndicator adds one indicator to a programme. Its target is an integer, or money
// as {"amount", "currency"} for a sum of money, whose currency it then counts.
func (a *API) CreateIndicator(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var body struct {
		birge.Indicator
		Target json.RawMessage `json:"target"`
	}
	if err := decode(w, r, &body); err != nil {
		return err
	}
	in := body.Indicator
	in.ProgramID = id
	if err := readTarget(body.Target, &in); err != nil {
		return err
	}
	in, err = a.store.Indicators.Create(r.Context(), actor(r), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, newIndicatorJSON(store.IndicatorFigure{Indicator: in}))
}

// readTarget reads a target given as a number or as money; money names the currency
// counted, and must agree with a currency given beside it.
func readTarget(raw json.RawMessage, in *birge.Indicator) error {
	invalid := func(field string) error {
		return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{field: "field.type"}}
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		if len(raw) > 0 && json.Unmarshal(raw, &in.Target) != nil {
			return invalid("target")
		}
		return nil
	}
	var m birge.Money
	if err := decodeBytes(raw, &m); err != nil || in.Unit != "money" {
		return invalid("target")
	}
	if in.Currency != "" && in.Currency != m.Currency {
		return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"target.currency": "indicator.currency_differs"}}
	}
	in.Target, in.Currency = m.Amount, m.Currency
	return nil
}
