package web

import (
	"context"
	"net/url"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// Bodies of the authorisation matrix's trainings sign-up and list routes.

func signupFormBody(fx *fixture) any {
	return url.Values{"family_name": {"Сейітова"}, "given_name": {"Гүлнар"}, "phone": {"+77015550101"},
		"childcare": {"on"}}
}

func signupJSON(fx *fixture) any {
	return `{"family_name": "Сейітова", "given_name": "Айгүл", "phone": "+77015550102", "special_needs": true}`
}

// cohortListUpload is a two-row list of women for a cohort.
func cohortListUpload(fx *fixture) any {
	return upload{name: "list.csv", content: []byte("Фамилия;Имя;Телефон\nСейітова;Гүлнар;+77015550103\nОмарова;Әсел;\n")}
}

// cohortEditBody is a cohort's edit form as its page sends it, on the version saved now.
func cohortEditBody(key string) func(fx *fixture) any {
	return func(fx *fixture) any {
		h, err := fx.site.st.Trainings.Cohort(context.Background(), birge.System("t"), fx.ids[key])
		if err != nil {
			fx.site.t.Fatal(err)
		}
		f := url.Values{}
		for k, v := range cohortToForm(h, "").Values {
			f.Set(k, v)
		}
		f.Set("capacity", "12")
		f.Set("public_signup", "on")
		f.Set("version", h.UpdatedAt.Format(time.RFC3339Nano))
		return f
	}
}
