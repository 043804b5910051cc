package web

import (
	"context"
	"net/url"
	"strconv"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// caseRequestFixtures sends four requests to Aktobe, to take in and to decline on the
// page and by the API.
func caseRequestFixtures(t *testing.T, s *site, fx *fixture) {
	ctx := context.Background()
	keys := []string{"aktobe-web", "aktobe-web-decline", "aktobe-api", "aktobe-api-decline"}
	for i, key := range keys {
		r := birge.CaseRequest{CenterID: fx.ids["center:aktobe"], Lang: "kk", Name: "Сәуле " + key,
			Contact: birge.ContactCall, Phone: "+7701555120" + strconv.Itoa(i)}
		if err := s.st.CaseRequests.Submit(ctx, "198.51.100."+strconv.Itoa(i), r, false); err != nil {
			t.Fatal(err)
		}
	}
	l, err := s.st.CaseRequests.List(ctx, birge.System("test"), store.RequestFilter{})
	if err != nil || len(l) < len(keys) {
		t.Fatalf("requests: %v", err)
	}
	for i, key := range keys {
		fx.ids["request:"+key] = l[len(l)-len(keys)+i].ID
	}
}

// requestForm is a request for the office named by a fixture key, as the public form
// sends it.
func requestForm(center string) func(fx *fixture) any {
	return func(fx *fixture) any {
		return url.Values{"center_id": {strconv.FormatInt(fx.ids[center], 10)}, "name": {"Айгерім"},
			"contact": {"call"}, "phone": {"+77015559876"}, "call_times": {"кешке"}, "reasons": {"finances"},
			"message": {"Сөйлескім келеді"}}
	}
}

// questionsForm is the default questionnaire as its editing page sends it, unchanged.
func questionsForm(*fixture) any {
	f := url.Values{}
	for i, q := range birge.DefaultQuestions {
		at := "questions." + strconv.Itoa(i) + "."
		f.Set(at+"keep", "on")
		f.Set(at+"code", q.Code)
		f.Set(at+"domain", q.Domain)
		if q.Lethality {
			f.Set(at+"lethality", "on")
		}
		f.Set(at+"text_kk", q.TextKK)
		f.Set(at+"text_ru", q.TextRU)
		f.Set(at+"text_ky", q.TextKY)
		f.Set(at+"text_en", q.TextEN)
	}
	return f
}
