package api

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// DeliveryFilter reads the filters of a list of deliveries: person_id, program_id,
// center_id, kind, from and to.
func DeliveryFilter(q url.Values) (store.DeliveryFilter, error) {
	f := store.DeliveryFilter{Kind: q.Get("kind"), From: q.Get("from"), To: q.Get("to")}
	pr := birge.Problems{}
	for name, dst := range map[string]*int64{"person_id": &f.PersonID, "program_id": &f.ProgramID, "center_id": &f.CenterID} {
		if s := q.Get(name); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n <= 0 {
				pr.Add(name, "field.type")
			}
			*dst = n
		}
	}
	return f, pr.Err()
}

// ListDeliveries returns the deliveries the caller may see, a page at a time.
func (a *API) ListDeliveries(w http.ResponseWriter, r *http.Request) error {
	limit, after, err := page(r)
	if err != nil {
		return err
	}
	f, err := DeliveryFilter(r.URL.Query())
	if err != nil {
		return err
	}
	f.After, f.Limit = after, limit+1
	items, err := a.store.Deliveries.List(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list(items, limit, func(d birge.Delivery) int64 { return d.ID }))
}

// GetDelivery returns one delivery.
func (a *API) GetDelivery(w http.ResponseWriter, r *http.Request) error {
	return getByID(w, r, a.store.Deliveries.Get, func(x birge.Delivery) time.Time { return x.UpdatedAt })
}

// CreateDeliveries records one delivery, or with {"items": [...]} several, all or none:
// a mistake in any is named by its item (items[3].date) and none is recorded.
func (a *API) CreateDeliveries(w http.ResponseWriter, r *http.Request) error {
	body, err := readBodyUpTo(w, r, maxDeliveriesBody)
	if err != nil {
		return err
	}
	var probe map[string]json.RawMessage
	if json.Unmarshal(body, &probe) == nil && probe["items"] != nil {
		var many struct {
			Items []birge.Delivery `json:"items"`
		}
		if err := decodeBytes(body, &many); err != nil {
			return err
		}
		if len(many.Items) == 0 || len(many.Items) > MaxDeliveriesAtOnce {
			return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"items": "field.required"}}
		}
		items, err := a.store.Deliveries.RecordMany(r.Context(), actor(r), many.Items)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusCreated, List[birge.Delivery]{Items: items})
	}
	var d birge.Delivery
	if err := decodeBytes(body, &d); err != nil {
		return err
	}
	d, err = a.store.Deliveries.Record(r.Context(), actor(r), d)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, d)
}

// MaxDeliveriesAtOnce bounds a POST of many: what another system sends of a network's
// day, recorded in under 2 s (issue 10's budget; docs/operations.md has the figures).
const MaxDeliveriesAtOnce = 10_000

// maxDeliveriesBody bounds such a POST's body: 10,000 items with notes of a few hundred
// letters each.
const maxDeliveriesBody = 16 << 20

// deliveryUpdate is the body of PATCH /deliveries/{id}: her, her centre and the source
// never change.
type deliveryUpdate struct {
	ProgramID **int64       `json:"program_id"` // null: in no programme
	Date      *string       `json:"date"`
	Time      *string       `json:"time"`
	Kind      *string       `json:"kind"`
	Quantity  *int64        `json:"quantity"`
	Unit      *string       `json:"unit"`
	Money     **birge.Money `json:"money"`
	StaffID   *int64        `json:"staff_id"`
	Note      *string       `json:"note"`
}

func (u *deliveryUpdate) apply(d *birge.Delivery) {
	set(&d.ProgramID, u.ProgramID)
	set(&d.Date, u.Date)
	set(&d.Time, u.Time)
	set(&d.Kind, u.Kind)
	set(&d.Quantity, u.Quantity)
	set(&d.Unit, u.Unit)
	set(&d.Money, u.Money)
	set(&d.StaffID, u.StaffID)
	set(&d.Note, u.Note)
}

// UpdateDelivery changes the fields present in the body of a delivery recorded by hand.
func (a *API) UpdateDelivery(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx, act := r.Context(), actor(r)
	return patch(w, r, &deliveryUpdate{}, func(d birge.Delivery) time.Time { return d.UpdatedAt }, readThenWrite(
		func() (birge.Delivery, error) { return a.store.Deliveries.Get(ctx, act, id) },
		func(d birge.Delivery) (birge.Delivery, error) { return a.store.Deliveries.Update(ctx, act, d) }))
}

// DeleteDelivery deletes a delivery recorded by hand.
func (a *API) DeleteDelivery(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.store.Deliveries.Delete(r.Context(), actor(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
