package demo

import (
	"context"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// Generated deliveries, for measuring the platform at a network's size (`birge demo
// --people 1000000 --deliveries 5000000`): services over the last two years, in the
// demo programmes that run in each woman's centre — the survivors' counselling, a
// sensitive one, among them — or outside any programme. Most women get a few, a quarter
// none, and one in a thousand some hundreds, as a woman in a long court case or a
// weekly group does.

// LoadDeliveries gives the registered people m generated deliveries in all, through the
// store, and returns how many it wrote.
func LoadDeliveries(ctx context.Context, st *store.Store, m int, progress func(done int)) (int, error) {
	sys := birge.System("demo")
	n, err := st.People.Count(ctx, sys)
	if err != nil {
		return 0, err
	}
	programs, err := st.Programs.List(ctx, sys, store.ProgramFilter{})
	if err != nil {
		return 0, err
	}
	users, err := st.ListUsers(ctx, sys, store.UserFilter{})
	if err != nil {
		return 0, err
	}
	staff := map[int64][]int64{} // organisation → who serves there
	for _, u := range users {
		for _, g := range u.Grants {
			if g.OrgID != 0 && !slices.Contains(staff[g.OrgID], u.ID) {
				staff[g.OrgID] = append(staff[g.OrgID], u.ID)
			}
		}
	}
	counts := DeliveryCounts(3, n, m)
	// The latest day is yesterday, so that no delivery is after anyone's today.
	last := st.Now().AddDate(0, 0, -1)
	k := 0
	return st.Deliveries.Generate(ctx, sys, func(her store.DeliveryTarget) []birge.Delivery {
		if k >= len(counts) {
			return nil
		}
		k++
		return GenerateDeliveries(her, counts[k-1], programs, staff[her.OrgID], last)
	}, progress)
}

// DeliveryCounts splits m deliveries over n people with the skew above, the same for
// the same seed: the i-th person's number, adding up to m exactly.
func DeliveryCounts(seed uint64, n, m int) []int {
	raw := make([]int, n)
	sum := 0
	for i := range n {
		r := rand.New(rand.NewPCG(seed, uint64(i)))
		switch u := r.Float64(); {
		case u < 0.001:
			raw[i] = 200 + r.IntN(400)
		case u < 0.03:
			raw[i] = 20 + r.IntN(80)
		case u < 0.25:
		default:
			raw[i] = 1 + r.IntN(6)
		}
		sum += raw[i]
	}
	out := make([]int, n)
	if sum == 0 {
		return out
	}
	// Scaled by running totals, so that the rounding never loses or adds one.
	cum, prev := 0, 0
	for i := range n {
		cum += raw[i]
		next := int(int64(cum) * int64(m) / int64(sum))
		out[i], prev = next-prev, next
	}
	return out
}

// GenerateDeliveries makes count deliveries to her, the same for the same person: most
// in one programme of her organisation running in her centre (a planned one has not
// begun), the rest outside any, on days of the two years up to last.
func GenerateDeliveries(her store.DeliveryTarget, count int, programs []birge.Program, staff []int64, last time.Time) []birge.Delivery {
	if count == 0 {
		return nil
	}
	r := rand.New(rand.NewPCG(4, uint64(her.PersonID)))
	var open []birge.Program
	for _, p := range programs {
		if p.OrgID == her.OrgID && p.Status != "planned" && (len(p.CenterIDs) == 0 || slices.Contains(p.CenterIDs, her.CenterID)) {
			open = append(open, p)
		}
	}
	var main *birge.Program
	if len(open) > 0 && r.IntN(10) < 7 {
		main = &open[r.IntN(len(open))]
	}
	out := make([]birge.Delivery, count)
	for i := range out {
		d := birge.Delivery{Date: last.AddDate(0, 0, -r.IntN(730)).Format(time.DateOnly)}
		kind := "consultation"
		if main != nil && r.IntN(5) > 0 {
			d.ProgramID = &main.ID
			kind = pick(r, programKinds[main.Kind])
		} else {
			kind = pick(r, []string{"consultation", "consultation", "legal_advice", "counselling_session"})
		}
		d.Kind, d.Unit, d.Quantity = kind, "sessions", 1
		switch kind {
		case "training_session":
			d.Unit, d.Quantity = "hours", int64(1+r.IntN(4))
		case "grant_payment":
			d.Unit, d.Quantity = "money", 0
			d.Money = &birge.Money{Amount: int64(20+r.IntN(200)) * 1000 * 100, Currency: "KZT"}
		}
		if r.IntN(4) == 0 {
			d.Time = time.Date(0, 1, 1, 9+r.IntN(9), 15*r.IntN(4), 0, 0, time.UTC).Format("15:04")
		}
		if r.IntN(8) == 0 {
			d.Note = pick(r, notes)
		}
		if len(staff) > 0 {
			d.StaffID = staff[r.IntN(len(staff))]
		}
		out[i] = d
	}
	return out
}

// programKinds are the services each kind of programme gives, the likelier repeated.
var programKinds = map[string][]string{
	"training":    {"training_session", "training_session", "training_session", "consultation", "grant_payment"},
	"counselling": {"counselling_session", "counselling_session", "mediation", "legal_advice", "consultation"},
	"grants":      {"grant_payment", "consultation"},
	"leadership":  {"training_session", "consultation"},
}

var notes = []string{"Повторная консультация", "Келесі кездесу келісілді", "Документы переданы юристу",
	"Кеңес телефон арқылы", "Follow-up by phone", "Пришла с ребёнком"}

func pick(r *rand.Rand, from []string) string {
	if len(from) == 0 {
		return "consultation"
	}
	return from[r.IntN(len(from))]
}
