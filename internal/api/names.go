package api

import "github.com/birge-org/birge/internal/birge"

// namesUpdate is the part of a PATCH body that renames something in the four languages.
type namesUpdate struct {
	KK *string `json:"name_kk"`
	RU *string `json:"name_ru"`
	KY *string `json:"name_ky"`
	EN *string `json:"name_en"`
}

func (u *namesUpdate) apply(n *birge.Names) {
	set(&n.KK, u.KK)
	set(&n.RU, u.RU)
	set(&n.KY, u.KY)
	set(&n.EN, u.EN)
}
