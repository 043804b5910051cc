package api

import (
	"net/http"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// ListDeliveries returns the deliveries the caller may see, a page at a time.
func (a *API) ListDeliveries(w http.ResponseWriter, r *http.Request) error {
	return listRecords(w, r, a.store.Deliveries.List, func(d birge.Delivery) int64 { return d.ID })
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
	return createRecords(w, r, body, a.store.Deliveries.Record, a.store.Deliveries.RecordMany)
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
